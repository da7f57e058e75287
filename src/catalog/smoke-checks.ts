/**
 * The smoke check types: the one table the `smoke:` block of component.yaml is built from.
 *
 * Each type is a field of the smoke block (`externalSecrets`, `secrets`, `resources`) holding a
 * list of entries. From this table come: the JSON Schema of those fields in
 * schemas/component.schema.json and of `checks` in smokes/chart/values.schema.json (written by
 * `npm run schemas:smoke`, checked by test/smoke/check-types.test.ts), the loader's defaults,
 * `hasChecks`, the smoke-coverage message, env-parity's comparison, what `fix` writes for a
 * chart-level wait, and the chart values. The Helm templates and smokes/check.sh stay code per
 * type; `chart` names where each type is handled, and the test renders one entry of each type
 * with the real helm to prove it is.
 *
 * It lives in catalog/ because the loader and the component types need it, and catalog/ must not
 * import smoke/ (smoke/ imports catalog/).
 */
type Schema = Record<string, unknown>;

/** `externalSecrets` entry: an ExternalSecret that must be Ready. */
export interface ExternalSecretCheck {
  name: string;
  namespace?: string;
}

/** `secrets` entry: a Secret that must exist, with the listed keys. */
export interface SecretCheck {
  name: string;
  namespace?: string;
  keys?: string[];
}

/** `resources` entry: any named object that must reach a condition (default Ready). */
export interface ResourceCheck {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  condition?: string;
  clusterScoped?: boolean;
  plural?: string;
}

/** The entry type of each check field: a new check type starts here. */
export interface SmokeCheckEntries {
  externalSecrets: ExternalSecretCheck;
  secrets: SecretCheck;
  resources: ResourceCheck;
}

/** A field of the smoke block holding checks (findings.ts re-exports it for fix requests). */
export type SmokeCheckField = keyof SmokeCheckEntries;

/** Where the chart handles a type: Helm `define`s / template files ranging over its values, and the check.sh line type. */
export interface ChartHandling {
  /** Named templates (`define "smoke.x"` in _helpers.tpl) and template files that range over `.Values.checks.<field>`. */
  templates: readonly string[];
  /** The first word of the type's lines in the checks file that smokes/check.sh reads (runner script). */
  scriptLine: 'condition' | 'secret';
}

export interface SmokeCheckType<E> {
  /** The field's description in component.schema.json. */
  description: string;
  /** JSON Schema of one entry as written in component.yaml. */
  item: Schema;
  /** JSON Schema of one entry in the chart's values (`checks.<field>`). */
  valuesItem: Schema;
  /** The kind of object every entry checks (chart-level waits on that kind become this type); undefined: each entry names its kind. */
  kind?: string;
  /** The entry as chart values; `ns` gives the namespace to write (the entry's, else the component's). */
  values(e: E, ns: (namespace?: string) => { namespace?: string }): Record<string, unknown>;
  /** The entry in a canonical form for env-parity (order of unordered lists removed). */
  canonical(e: E): unknown;
  chart: ChartHandling;
  /** One entry, for the tests that prove each type is handled end to end. */
  example: E;
}

const sorted = (xs: readonly string[]): string[] => [...new Set(xs)].sort();

/**
 * The plural resource name of a kind, when the catalog gives none: lowercase kind plus `es`
 * after s/x/ch/sh, `ies` for a consonant + y, else `s`. This is apimachinery's
 * UnsafeGuessKindToResource with one fix: a vowel + y takes `s` (Gateway -> gateways, where
 * Kubernetes' guess says "gatewaies"). A CRD with another plural needs `plural:` in the catalog.
 */
export function guessPlural(kind: string): string {
  const s = kind.toLowerCase();
  if (s.endsWith('endpoints')) return s;
  if (/(s|x|ch|sh)$/.test(s)) return `${s}es`;
  if (/[^aeiou]y$/.test(s)) return `${s.slice(0, -1)}ies`;
  return `${s}s`;
}

/** Cluster-scoped kinds a smoke may check, as group/Kind (core: Kind). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'cert-manager.io/ClusterIssuer',
  'external-secrets.io/ClusterExternalSecret',
  'external-secrets.io/ClusterSecretStore',
  'gateway.networking.k8s.io/GatewayClass',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'scheduling.k8s.io/PriorityClass',
  'storage.k8s.io/StorageClass',
]);

/** Whether a `resources` entry names a cluster-scoped object: the catalog's `clusterScoped`, else known kinds and Cluster<Something>. */
export function isClusterScoped(apiVersion: string, kind: string, explicit?: boolean): boolean {
  if (explicit !== undefined) return explicit;
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return CLUSTER_SCOPED.has(group ? `${group}/${kind}` : kind) || /^Cluster[A-Z]/.test(kind);
}

const NAME = { $ref: '#/definitions/objectName' };
const KEYS = { type: 'array', items: { type: 'string', pattern: '^[-._a-zA-Z0-9]+$' } };
const CONDITION = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*$' };
const PLURAL_PATTERN = '^[a-z][a-z0-9]*$';
/** Entry schema with the namespace reference of the file (`dnsLabel` in component.schema.json, `namespace` in the values). */
const entry = (required: string[], properties: Schema): Schema => ({ type: 'object', additionalProperties: false, required, properties });

/** The table. Its key order is the order of the fields in the schemas, the chart values and the checks the Job runs. */
export const SMOKE_CHECK_TYPES: { readonly [F in SmokeCheckField]: SmokeCheckType<SmokeCheckEntries[F]> } = {
  externalSecrets: {
    description: 'ExternalSecrets that must be Ready.',
    item: entry(['name'], { name: NAME, namespace: { $ref: '#/definitions/dnsLabel' } }),
    valuesItem: entry(['name'], { name: NAME, namespace: { $ref: '#/definitions/namespace' } }),
    kind: 'ExternalSecret',
    values: (e, ns) => ({ name: e.name, ...ns(e.namespace) }),
    canonical: (e) => e,
    chart: { templates: ['smoke.kubectlChecks', 'smoke.checks', 'smoke.namespaces', 'rbac.yaml'], scriptLine: 'condition' },
    example: { name: 'app-db-credentials', namespace: 'apps' },
  },
  secrets: {
    description: 'Secrets that must exist, with the listed keys.',
    item: entry(['name'], { name: NAME, namespace: { $ref: '#/definitions/dnsLabel' }, keys: KEYS }),
    valuesItem: entry(['name'], { name: NAME, namespace: { $ref: '#/definitions/namespace' }, keys: KEYS }),
    kind: 'Secret',
    values: (e, ns) => ({ name: e.name, ...ns(e.namespace), ...(e.keys && e.keys.length > 0 ? { keys: [...e.keys] } : {}) }),
    canonical: (e) => ({ ...e, keys: e.keys ? sorted(e.keys) : undefined }),
    chart: { templates: ['smoke.kubectlChecks', 'smoke.checks', 'smoke.namespaces', 'rbac.yaml'], scriptLine: 'secret' },
    example: { name: 'app-config', keys: ['url', 'token'] },
  },
  resources: {
    description: 'Any named object that must reach a condition (default Ready).',
    item: entry(['apiVersion', 'kind', 'name'], {
      apiVersion: {
        description:
          'GROUP/VERSION, or VERSION for the core group: the group a DNS-1123 subdomain (at most 253 characters), the version a DNS-1035 label (v1, v1beta1), as Kubernetes defines them.',
        type: 'string',
        pattern: '^((?=[^/]{1,253}/)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[a-z]([-a-z0-9]{0,61}[a-z0-9])?$',
      },
      kind: { type: 'string', maxLength: 63, pattern: '^[A-Z][A-Za-z0-9]*$' },
      name: NAME,
      namespace: { $ref: '#/definitions/dnsLabel' },
      condition: CONDITION,
      clusterScoped: {
        description:
          'The kind is cluster-scoped (namespace ignored; checked through a ClusterRole). Default: true for known cluster-scoped kinds (ClusterIssuer, ClusterSecretStore, GatewayClass, StorageClass, ...) and kinds named Cluster<Something>.',
        type: 'boolean',
      },
      plural: {
        description:
          'Resource name of the kind for RBAC and kubectl (default: lowercase kind plus s, es after s/x/ch/sh, ies for consonant + y).',
        type: 'string',
        pattern: PLURAL_PATTERN,
      },
    }),
    valuesItem: entry(['apiVersion', 'kind', 'plural', 'name'], {
      apiVersion: {
        type: 'string',
        pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[a-z]([-a-z0-9]{0,61}[a-z0-9])?$',
      },
      kind: { type: 'string', pattern: '^[A-Z][A-Za-z0-9]*$' },
      plural: { type: 'string', pattern: PLURAL_PATTERN },
      name: NAME,
      namespace: { $ref: '#/definitions/namespace' },
      condition: CONDITION,
      clusterScoped: { type: 'boolean' },
    }),
    values: (r, ns) => {
      const plural = r.plural ?? guessPlural(r.kind);
      const where = isClusterScoped(r.apiVersion, r.kind, r.clusterScoped) ? { clusterScoped: true } : ns(r.namespace);
      return { apiVersion: r.apiVersion, kind: r.kind, plural, name: r.name, ...where, condition: r.condition ?? 'Ready' };
    },
    canonical: (e) => e,
    chart: { templates: ['smoke.kubectlChecks', 'smoke.checks', 'smoke.namespaces', 'rbac.yaml'], scriptLine: 'condition' },
    example: { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', name: 'app-tls', condition: 'Ready' },
  },
};

/** The check fields in table order. */
export const SMOKE_CHECK_FIELDS = Object.keys(SMOKE_CHECK_TYPES) as SmokeCheckField[];

/** The check fields of a smoke block, each an empty list. */
export function emptySmokeChecks(): { [F in SmokeCheckField]: SmokeCheckEntries[F][] } {
  return Object.fromEntries(SMOKE_CHECK_FIELDS.map((f) => [f, []])) as unknown as { [F in SmokeCheckField]: SmokeCheckEntries[F][] };
}

/** The check field whose entries all check objects of `kind` (ExternalSecret -> externalSecrets), if one does. */
export function smokeCheckFieldOfKind(kind: string): SmokeCheckField | undefined {
  return SMOKE_CHECK_FIELDS.find((f) => SMOKE_CHECK_TYPES[f].kind === kind);
}

/** "a, b or c": the check fields for messages. */
export function smokeCheckFieldList(): string {
  const f = SMOKE_CHECK_FIELDS;
  return f.length === 1 ? f[0]! : `${f.slice(0, -1).join(', ')} or ${f[f.length - 1]}`;
}
