/**
 * A stand-in API server for the smoke-script tests: NOT a Kubernetes API server. It is a
 * small Node `http` server on 127.0.0.1 that answers the few requests `kubectl get` makes
 * (legacy API discovery under /api and /apis, then GET of one namespaced object) from
 * recorded objects, so the real kubectl and the real check script can run against it.
 * It implements no watch, list, auth or admission: an object is served, missing (404) or
 * forbidden (403) because the test recorded it that way.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ResourceType {
  group: string; // '' for the core group
  versions: string[]; // first = preferred
  resource: string; // plural
  singular: string;
  kind: string;
  /** Default true; a cluster-scoped type is served at /apis/G/V/RESOURCE/NAME. */
  namespaced?: boolean;
}

/** What the stand-in answers for one object: the object (or a sequence, one per GET, last repeats) or an error. */
export type Recorded =
  | { object: Record<string, unknown> }
  | { sequence: Record<string, unknown>[] }
  | { forbidden: true };

export interface RequestLog {
  method: string;
  path: string;
}

export interface StandInApiServer {
  url: string;
  requests: RequestLog[];
  /** Writes a kubeconfig pointing at the stand-in; returns its path. */
  writeKubeconfig(dir: string): string;
  close(): Promise<void>;
}

export const DEFAULT_TYPES: ResourceType[] = [
  { group: '', versions: ['v1'], resource: 'secrets', singular: 'secret', kind: 'Secret' },
  { group: 'external-secrets.io', versions: ['v1', 'v1beta1'], resource: 'externalsecrets', singular: 'externalsecret', kind: 'ExternalSecret' },
  { group: 'external-secrets.io', versions: ['v1', 'v1beta1'], resource: 'clustersecretstores', singular: 'clustersecretstore', kind: 'ClusterSecretStore', namespaced: false },
  { group: 'postgresql.cnpg.io', versions: ['v1'], resource: 'clusters', singular: 'cluster', kind: 'Cluster' },
];

const key = (group: string, resource: string, ns: string, name: string): string => `${group}/${resource}/${ns}/${name}`;

/**
 * Starts the stand-in on a random port. `objects` maps `group/resource/namespace/name`
 * (core group: empty, e.g. `/secrets/platform/db`; cluster-scoped: namespace `-`) to what to serve.
 */
export async function startStandInApiServer(objects: Record<string, Recorded>, types: ResourceType[] = DEFAULT_TYPES): Promise<StandInApiServer> {
  const requests: RequestLog[] = [];
  const served = new Map<string, number>();
  const send = (res: ServerResponse, code: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const status = (res: ServerResponse, code: number, reason: string, message: string, details: Record<string, unknown>): void =>
    send(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code });
  const resourceList = (group: string, version: string): unknown => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: types
      .filter((t) => t.group === group && t.versions.includes(version))
      .map((t) => ({ name: t.resource, singularName: t.singular, namespaced: t.namespaced !== false, kind: t.kind, verbs: ['get'] })),
  });

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    requests.push({ method: req.method ?? 'GET', path });
    if (req.method !== 'GET') return status(res, 405, 'MethodNotAllowed', `the stand-in API server only serves GET`, {});
    if (path === '/api') return send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (path === '/apis') {
      const groups = [...new Set(types.filter((t) => t.group).map((t) => t.group))].sort().map((g) => {
        const versions = types.find((t) => t.group === g)!.versions;
        const gv = versions.map((v) => ({ groupVersion: `${g}/${v}`, version: v }));
        return { name: g, versions: gv, preferredVersion: gv[0] };
      });
      return send(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
    }
    let m = /^\/api\/(v1)$/.exec(path) ?? /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    if (m) {
      const [group, version] = m.length === 2 ? ['', m[1]!] : [m[1]!, m[2]!];
      if (!types.some((t) => t.group === group && t.versions.includes(version))) return status(res, 404, 'NotFound', 'the server could not find the requested resource', {});
      return send(res, 200, resourceList(group, version));
    }
    m = /^\/api\/v1\/namespaces\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
    let group = '';
    let version = 'v1';
    let ns: string, resource: string, name: string;
    if (m) {
      [, ns, resource, name] = m as unknown as [string, string, string, string];
    } else if ((m = /^\/apis\/([^/]+)\/([^/]+)\/namespaces\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path))) {
      [, group, version, ns, resource, name] = m as unknown as [string, string, string, string, string, string];
    } else if ((m = /^\/apis\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path))) {
      [, group, version, resource, name] = m as unknown as [string, string, string, string, string];
      ns = '-';
    } else {
      return status(res, 404, 'NotFound', 'the server could not find the requested resource', {});
    }
    const type = types.find((t) => t.group === group && t.resource === resource && t.versions.includes(version) && (t.namespaced === false) === (ns === '-'));
    const gr = group ? `${resource}.${group}` : resource;
    if (!type) return status(res, 404, 'NotFound', 'the server could not find the requested resource', {});
    const rec = objects[key(group, resource, ns, name)];
    if (!rec) return status(res, 404, 'NotFound', `${gr} "${name}" not found`, { name, group, kind: resource });
    if ('forbidden' in rec) {
      return status(res, 403, 'Forbidden', `${gr} "${name}" is forbidden: User "system:serviceaccount:${ns}:smoke" cannot get resource "${resource}" in API group "${group}" in the namespace "${ns}"`, { name, group, kind: resource });
    }
    let obj: Record<string, unknown>;
    if ('sequence' in rec) {
      const k = key(group, resource, ns, name);
      const i = served.get(k) ?? 0;
      served.set(k, i + 1);
      obj = rec.sequence[Math.min(i, rec.sequence.length - 1)]!;
    } else obj = rec.object;
    return send(res, 200, { ...obj, apiVersion: group ? `${group}/${version}` : version, kind: type.kind });
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    requests,
    writeKubeconfig(dir: string): string {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 'kubeconfig');
      writeFileSync(
        file,
        [
          'apiVersion: v1',
          'kind: Config',
          'clusters:',
          '- name: stand-in',
          `  cluster: {server: "${url}"}`,
          'users:',
          '- name: smoke',
          '  user: {token: stand-in-token}',
          'contexts:',
          '- name: stand-in',
          '  context: {cluster: stand-in, user: smoke, namespace: default}',
          'current-context: stand-in',
          '',
        ].join('\n'),
      );
      return file;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
