/**
 * A stand-in API server for the smoke-script tests: NOT a Kubernetes API server. It is a
 * small Node `http` server on 127.0.0.1 that answers the few requests `kubectl get` makes
 * (legacy API discovery under /api and /apis, then GET of one object) and the list and
 * watch `kubectl wait` makes (with a metadata.name field selector, as kubectl sends it:
 * kubectl/pkg/cmd/wait/condition.go getObjAndCheckCondition) from recorded objects, so the
 * real kubectl and the real check script can run against it. It implements no auth or
 * admission: an object is served, missing (404) or forbidden (403) because the test recorded
 * it that way; a list or watch without that field selector is refused (403), as RBAC with
 * resourceNames refuses it.
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
  | { forbidden: true }
  | { unauthorized: true };

export interface StandInOptions {
  /** Answer every request 401 Unauthorized, as a kube-apiserver does for a bad or expired token. */
  rejectAll?: boolean;
}

export interface RequestLog {
  method: string;
  path: string;
  /** The query string without `?` ('' when none). */
  query: string;
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
  {
    group: 'external-secrets.io',
    versions: ['v1', 'v1beta1'],
    resource: 'externalsecrets',
    singular: 'externalsecret',
    kind: 'ExternalSecret',
  },
  {
    group: 'external-secrets.io',
    versions: ['v1', 'v1beta1'],
    resource: 'clustersecretstores',
    singular: 'clustersecretstore',
    kind: 'ClusterSecretStore',
    namespaced: false,
  },
  { group: 'postgresql.cnpg.io', versions: ['v1'], resource: 'clusters', singular: 'cluster', kind: 'Cluster' },
];

const key = (group: string, resource: string, ns: string, name: string): string => `${group}/${resource}/${ns}/${name}`;

/**
 * Starts the stand-in on a random port. `objects` maps `group/resource/namespace/name`
 * (core group: empty, e.g. `/secrets/platform/db`; cluster-scoped: namespace `-`) to what to serve.
 */
export async function startStandInApiServer(
  objects: Record<string, Recorded>,
  types: ResourceType[] = DEFAULT_TYPES,
  options: StandInOptions = {},
): Promise<StandInApiServer> {
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
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = url.pathname;
    requests.push({ method: req.method ?? 'GET', path, query: url.search.replace(/^\?/, '') });
    // The body a kube-apiserver sends for a rejected token (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters: Unauthorized).
    if (options.rejectAll) return status(res, 401, 'Unauthorized', 'Unauthorized', {});
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
      if (!types.some((t) => t.group === group && t.versions.includes(version)))
        return status(res, 404, 'NotFound', 'the server could not find the requested resource', {});
      return send(res, 200, resourceList(group, version));
    }
    // Every namespace exists (kubectl wait asks when the object it waits on is missing).
    const nsGet = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path);
    if (nsGet) return send(res, 200, { kind: 'Namespace', apiVersion: 'v1', metadata: { name: nsGet[1] }, status: { phase: 'Active' } });
    const collection =
      /^\/api\/(v1)\/namespaces\/([^/]+)\/([^/]+)$/.exec(path) ??
      /^\/apis\/([^/]+\/[^/]+)\/namespaces\/([^/]+)\/([^/]+)$/.exec(path) ??
      /^\/apis\/([^/]+\/[^/]+)\/([^/]+)$/.exec(path);
    if (collection) return listOrWatch(req, res, url, collection);
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
    const type = types.find(
      (t) => t.group === group && t.resource === resource && t.versions.includes(version) && (t.namespaced === false) === (ns === '-'),
    );
    const gr = group ? `${resource}.${group}` : resource;
    if (!type) return status(res, 404, 'NotFound', 'the server could not find the requested resource', {});
    const rec = objects[key(group, resource, ns, name)];
    if (!rec) return status(res, 404, 'NotFound', `${gr} "${name}" not found`, { name, group, kind: resource });
    if ('unauthorized' in rec) return status(res, 401, 'Unauthorized', 'Unauthorized', {});
    if ('forbidden' in rec) {
      return status(
        res,
        403,
        'Forbidden',
        `${gr} "${name}" is forbidden: User "system:serviceaccount:${ns}:smoke" cannot get resource "${resource}" in API group "${group}" in the namespace "${ns}"`,
        { name, group, kind: resource },
      );
    }
    return send(res, 200, next(key(group, resource, ns, name), rec, group, version, type.kind));
  };

  /** The object to serve now: a recorded object, or the next of a sequence (the last repeats), with a resourceVersion. */
  const next = (k: string, rec: Recorded, group: string, version: string, kind: string): Record<string, unknown> => {
    let obj: Record<string, unknown>;
    let i = 0;
    if ('sequence' in rec) {
      i = served.get(k) ?? 0;
      served.set(k, i + 1);
      obj = rec.sequence[Math.min(i, rec.sequence.length - 1)]!;
    } else if ('object' in rec) obj = rec.object;
    else throw new Error('forbidden or unauthorized objects are not served');
    const metadata = {
      ...(obj.metadata as Record<string, unknown>),
      resourceVersion: String(Math.min(i, 'sequence' in rec ? rec.sequence.length - 1 : 0) + 1),
    };
    return { ...obj, metadata, apiVersion: group ? `${group}/${version}` : version, kind };
  };

  /**
   * LIST or WATCH of a collection, as kubectl wait sends them: fieldSelector=metadata.name=NAME.
   * A watch sends, 200 ms apart, the rest of a sequence as MODIFIED events, then stays open
   * (no events) until the client goes away or the server closes.
   */
  const listOrWatch = (req: IncomingMessage, res: ServerResponse, url: URL, m: RegExpExecArray): void => {
    const [gv, ns, resource] = m.length === 4 && m[0]!.includes('/namespaces/') ? [m[1]!, m[2]!, m[3]!] : [m[1]!, '-', m[2]!];
    const [group, version] = gv.includes('/') ? (gv.split('/') as [string, string]) : ['', gv];
    const type = types.find(
      (t) => t.group === group && t.resource === resource && t.versions.includes(version) && (t.namespaced === false) === (ns === '-'),
    );
    if (!type) return status(res, 404, 'NotFound', 'the server could not find the requested resource', {});
    const gr = group ? `${resource}.${group}` : resource;
    const selector = /^metadata\.name=([a-z0-9.-]+)$/.exec(url.searchParams.get('fieldSelector') ?? '');
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    if (!selector) {
      return status(
        res,
        403,
        'Forbidden',
        `${gr} is forbidden: the stand-in serves ${watch ? 'watch' : 'list'} only with a metadata.name field selector`,
        { group, kind: resource },
      );
    }
    const name = selector[1]!;
    const k = key(group, resource, ns, name);
    const rec = objects[k];
    if (rec && 'unauthorized' in rec) return status(res, 401, 'Unauthorized', 'Unauthorized', {});
    if (rec && 'forbidden' in rec) {
      return status(
        res,
        403,
        'Forbidden',
        `${gr} "${name}" is forbidden: User "system:serviceaccount:${ns}:smoke" cannot ${watch ? 'watch' : 'list'} resource "${resource}" in API group "${group}" in the namespace "${ns}"`,
        { name, group, kind: resource },
      );
    }
    if (!watch) {
      const items = rec ? [next(k, rec, group, version, type.kind)] : [];
      const rv = items.length > 0 ? String((items[0]!.metadata as Record<string, unknown>).resourceVersion) : '1';
      return send(res, 200, {
        kind: `${type.kind}List`,
        apiVersion: group ? `${group}/${version}` : version,
        metadata: { resourceVersion: rv },
        items,
      });
    }
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    watches.add(res);
    const event = (type: string, object: Record<string, unknown>): void => void res.write(`${JSON.stringify({ type, object })}\n`);
    // kubectl 1.35 watches with sendInitialEvents=true (streaming list, KEP-3157): the server
    // first sends the current objects as ADDED, then a BOOKMARK annotated
    // k8s.io/initial-events-end, then changes.
    let rv = '1';
    if (url.searchParams.get('sendInitialEvents') === 'true') {
      if (rec) {
        const obj = next(k, rec, group, version, type.kind);
        rv = String((obj.metadata as Record<string, unknown>).resourceVersion);
        event('ADDED', obj);
      }
      event('BOOKMARK', {
        kind: type.kind,
        apiVersion: group ? `${group}/${version}` : version,
        metadata: { resourceVersion: rv, annotations: { 'k8s.io/initial-events-end': 'true' } },
      });
    }
    const remaining = rec && 'sequence' in rec ? Math.max(0, rec.sequence.length - (served.get(k) ?? 0)) : 0;
    let sent = 0;
    const timer = setInterval(() => {
      if (sent >= remaining || !rec) {
        clearInterval(timer);
        return;
      }
      sent++;
      event('MODIFIED', next(k, rec, group, version, type.kind));
    }, 200);
    const stop = (): void => {
      clearInterval(timer);
      watches.delete(res);
    };
    req.on('close', stop);
    res.on('close', stop);
  };
  const watches = new Set<ServerResponse>();

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
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const w of watches) w.end();
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
