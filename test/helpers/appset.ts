/**
 * ApplicationSet manifests for test catalogs, shaped like examples/ameide/argocd (git files
 * generator over component.yaml files, goTemplate with missingkey=error) and Argo CD's own
 * docs/operator-manual/applicationset/Progressive-Syncs.md (spec.strategy.rollingSync.steps).
 */
export interface AppSetOptions {
  name: string;
  /** Generator file globs (default: _shared and the environment's component files). */
  paths: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** YAML lines of spec.strategy, indented for "  strategy:" (without that line), or undefined. */
  strategy?: string;
  goTemplate?: boolean;
  missingKeyError?: boolean;
  /** Extra lines at the end of template.spec.destination (indented 8 spaces). */
  specExtra?: string;
  automated?: boolean;
  /** spec.templatePatch, written as a literal block. */
  templatePatch?: string;
}

export function appSetYaml(o: AppSetOptions): string {
  const labels = o.labels ?? { 'wavegate.dev/wave': '{{ .wave }}' };
  const lines = [
    '# an ApplicationSet of a test catalog',
    'apiVersion: argoproj.io/v1alpha1',
    'kind: ApplicationSet',
    'metadata:',
    `  name: ${o.name}`,
    '  namespace: argocd',
    'spec:',
    ...(o.goTemplate === false ? [] : ['  goTemplate: true']),
    ...(o.missingKeyError === false || o.goTemplate === false ? [] : ['  goTemplateOptions: ["missingkey=error"]']),
    '  generators:',
    '    - git:',
    '        repoURL: https://example.com/gitops.git',
    '        revision: main',
    '        files:',
    ...o.paths.map((p) => `          - path: ${p}`),
    ...(o.strategy !== undefined ? ['  strategy:', o.strategy] : []),
    '  # the Application of each component',
    '  template:',
    '    metadata:',
    `      name: '${o.goTemplate === false ? '{{name}}' : '{{ .name }}'}'`,
    '      labels:',
    ...Object.entries(labels).map(([k, v]) => `        ${k}: '${v}'`),
    ...(o.annotations ? ['      annotations:', ...Object.entries(o.annotations).map(([k, v]) => `        ${k}: '${v}'`)] : []),
    '    spec:',
    '      project: default',
    '      source:',
    '        repoURL: https://example.com/gitops.git',
    '        targetRevision: main',
    `        path: '${o.goTemplate === false ? '{{path}}' : '{{ .path.path }}'}'`,
    '      destination:',
    '        server: https://kubernetes.default.svc',
    ...(o.specExtra ? [o.specExtra] : []),
    ...(o.automated ? ['      syncPolicy:', '        automated:', '          prune: true'] : []),
    ...(o.templatePatch !== undefined ? ['  templatePatch: |', ...o.templatePatch.split('\n').map((l) => (l ? `    ${l}` : ''))] : []),
    '',
  ];
  return lines.join('\n');
}

/** RollingSync steps (YAML under "  strategy:") selecting `key` In each list of values. */
export function rollingSync(key: string, steps: string[][], extra = ''): string {
  return [
    '    type: RollingSync',
    '    rollingSync:',
    '      steps:',
    ...steps.map(
      (vs) =>
        `        - matchExpressions:\n            - key: ${key}\n              operator: In\n              values: [${vs.map((v) => JSON.stringify(v)).join(', ')}]${extra}`,
    ),
  ].join('\n');
}
