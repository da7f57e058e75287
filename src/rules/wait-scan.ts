/**
 * A tolerant scan of a component's chart, kustomize base or plain manifests for commands that
 * WAIT for something (rule chart-wait-hook). The files are read as text, not parsed as YAML:
 * Helm templates (`{{ ... }}`, `{{- if }}` blocks, `include`s) are not YAML until rendered,
 * and the scan must not stop at them. A document is cut at `---` lines; its kind, name and
 * hook annotations are read with line patterns; container lists are found by indentation.
 */

/** What a wait command waits for. */
export interface WaitTarget {
  /** Secret, ExternalSecret, Service, or another kind (Pod, Job, Deployment, ...). */
  kind: string;
  /** The object's name; undefined when the command selects by label or gives no name. */
  name?: string;
  namespace?: string;
  /** For kubectl wait: the condition waited for (`--for=condition=X`). */
  condition?: string;
  /** A label selector (`-l app=x`), when the command gives one. */
  selector?: string;
}

export interface WaitCommand {
  /** The file holding the command when it is not the scanned one (a named template's file). */
  file?: string;
  /** 1-based line of the command in the file. */
  line: number;
  /** The resource: `Job grafana-wait` (kind unknown in a values file: `values`). */
  resource: string;
  /** The hook it runs as (`a PreSync hook (helm.sh/hook: pre-install)`); undefined for an init container of a workload. */
  hook?: string;
  /** Whether the command is in an init container. */
  init: boolean;
  /** Container name, when one is found. */
  container?: string;
  /** The tool: `kubectl wait`, `until loop around kubectl get secret`, `wait-for-it`, ... */
  tool: string;
  /** The command text (one line, shortened). */
  text: string;
  targets: WaitTarget[];
}

/** Values for the few template expressions a name may hold (`.Values.x`, `.Release.Namespace`). */
export interface TemplateContext {
  values?: unknown;
  releaseName?: string;
  releaseNamespace?: string;
}

/** gitops-engine hook/helm/type.go: the Helm hooks Argo CD runs, and as what. */
const HELM_TO_ARGO: Record<string, string> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
};
/** gitops-engine common.NewHookType. */
const ARGO_HOOKS = new Set(['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip']);

const csv = (v: string | undefined): string[] =>
  v === undefined
    ? []
    : [
        ...new Set(
          v
            .split(',')
            .map((x) => x.trim())
            .filter((x) => x !== ''),
        ),
      ];

interface Doc {
  /** Text of the document with comments blanked (offsets as in the file). */
  text: string;
  /** Offset of the document in the file. */
  start: number;
  /** 0-based line of the document's first line. */
  firstLine: number;
}

/** Replaces YAML comment lines and Helm comments `{{/* ... *\/}}` with spaces (same length). */
function blankComments(text: string): string {
  let out = text.replace(/\{\{-?\s*\/\*[\s\S]*?\*\/\s*-?\}\}/g, (m) => m.replace(/[^\n]/g, ' '));
  out = out.replace(/^[ \t]*#.*$/gm, (m) => ' '.repeat(m.length));
  return out;
}

/** The documents of a file, cut at `---` lines. */
function documents(text: string): Doc[] {
  const clean = blankComments(text);
  const docs: Doc[] = [];
  const re = /^---[^\n]*$/gm;
  let start = 0;
  let line = 0;
  const push = (end: number): void => {
    docs.push({ text: clean.slice(start, end), start, firstLine: line });
  };
  let m: RegExpExecArray | null;
  while ((m = re.exec(clean))) {
    push(m.index);
    line += countLines(clean, start, m.index + m[0].length + 1);
    start = Math.min(clean.length, m.index + m[0].length + 1);
  }
  push(clean.length);
  return docs.filter((d) => d.text.trim() !== '');
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to && i < text.length; i++) if (text[i] === '\n') n++;
  return n;
}

const unquote = (s: string): string =>
  s
    .trim()
    .replace(/^(["'])(.*)\1$/, '$2')
    .trim();

/** The value of `{{ ... }}` expressions the context knows; others are left as they are. */
function resolveTemplate(s: string, ctx: TemplateContext): string {
  return s.replace(/\{\{-?\s*([^}]*?)\s*-?\}\}/g, (whole, expr: string) => {
    const parts = expr.split('|').map((p) => p.trim());
    const head = parts[0]!.replace(/^\$/, '');
    let value: string | undefined;
    if (head === '.Release.Namespace') value = ctx.releaseNamespace;
    else if (head === '.Release.Name') value = ctx.releaseName;
    else if (head.startsWith('.Values.')) {
      let v: unknown = ctx.values;
      for (const k of head.slice('.Values.'.length).split('.')) {
        v = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[k] : undefined;
      }
      if (typeof v === 'string' || typeof v === 'number') value = String(v);
    } else if (/^"[^"]*"$/.test(head)) value = head.slice(1, -1);
    for (const p of parts.slice(1)) {
      const d = /^default\s+"?([^"\s]*)"?$/.exec(p);
      if (d && (value === undefined || value === '')) value = d[1];
    }
    return value ?? whole;
  });
}

const isTemplateOnly = (line: string): boolean => /^\s*\{\{.*\}\}\s*$/.test(line);
const indentOf = (line: string): number => line.length - line.trimStart().length;

/** A list of containers in a document: its key's line and the items' line ranges. */
interface ContainerBlock {
  init: boolean;
  /** Items: first and last line (0-based, in the document). */
  items: { from: number; to: number }[];
  /** Templates the list includes (`{{- include "name" . | nindent 8 }}` lines), with their line. */
  includes: { name: string; line: number }[];
}

const INCLUDE = /\{\{-?\s*(?:include|template)\s+"([^"]+)"/;

/** `containers:` and `*initContainers:` block lists of a document (by indentation). */
function containerBlocks(lines: string[]): ContainerBlock[] {
  const out: ContainerBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)(?:-\s+)?([A-Za-z]*(?:containers|Containers)):\s*(.*)$/.exec(lines[i]!);
    if (!m) continue;
    const key = m[2]!;
    if (!/^(containers|[A-Za-z]*initContainers|[A-Za-z]*InitContainers)$/.test(key)) continue;
    const keyIndent = lines[i]!.indexOf(key);
    const rest = m[3]!.trim();
    const init = /initcontainers$/i.test(key);
    if (rest !== '' && !rest.startsWith('{{') && !rest.startsWith('#')) {
      // A flow list on the line: one item spanning until the brackets close.
      if (!rest.startsWith('[')) continue;
      let depth = 0;
      let j = i;
      for (; j < lines.length; j++) {
        for (const ch of j === i ? rest : lines[j]!) depth += ch === '[' ? 1 : ch === ']' ? -1 : 0;
        if (depth <= 0) break;
      }
      out.push({ init, items: [{ from: i, to: Math.min(j, lines.length - 1) }], includes: [] });
      continue;
    }
    let itemIndent = -1;
    const items: { from: number; to: number }[] = [];
    const includes: { name: string; line: number }[] = [];
    const inc = INCLUDE.exec(rest);
    if (inc) includes.push({ name: inc[1]!, line: i });
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j]!;
      if (isTemplateOnly(l)) {
        const x = INCLUDE.exec(l);
        if (x && (itemIndent < 0 || indentOf(l) >= itemIndent)) includes.push({ name: x[1]!, line: j });
        continue;
      }
      if (l.trim() === '') continue;
      const x = INCLUDE.exec(l);
      if (x) includes.push({ name: x[1]!, line: j });
      const ind = indentOf(l);
      const dash = /^\s*-(\s|$)/.test(l);
      if (ind < keyIndent || (ind === keyIndent && !dash)) break;
      if (itemIndent < 0) {
        if (!dash) break;
        itemIndent = ind;
      }
      if (dash && ind === itemIndent) {
        if (items.length > 0) items[items.length - 1]!.to = j - 1;
        items.push({ from: j, to: j });
      } else if (ind < itemIndent) break;
    }
    if (items.length > 0) items[items.length - 1]!.to = j - 1;
    if (items.length > 0 || includes.length > 0) out.push({ init, items, includes });
  }
  return out;
}

/** The text with quotes, brackets, commas and YAML list dashes replaced by spaces (same length). */
function shellText(text: string): string {
  return text
    .replace(/\\"/g, '  ')
    .replace(/["'[\],]/g, ' ')
    .replace(/^(\s*)-(\s)/gm, '$1 $2');
}

/** Spaces inside `{{ ... }}` become \u0001, so that a template is one token. */
const GLUE: Record<string, string> = { ';': '\u0003', '&': '\u0004', '>': '\u0005', ')': '\u0006', '`': '\u0007' };
const UNGLUE: Record<string, string> = Object.fromEntries(Object.entries(GLUE).map(([k, v]) => [v, k]));
function glueTemplates(text: string): string {
  return text.replace(/\{\{[^}\n]*\}\}/g, (m) =>
    m
      .replace(/ /g, '\u0001')
      .replace(/\|/g, '\u0002')
      .replace(/[;&>)`]/g, (c) => GLUE[c]!),
  );
}
const unglue = (s: string): string =>
  s
    .replace(/\u0001+/g, ' ')
    .replace(/\u0002/g, '|')
    .replace(/[\u0003-\u0007]/g, (c) => UNGLUE[c]!)
    .replace(/\{\{ +/g, '{{ ')
    .replace(/ +\}\}/g, ' }}');

/** Tokens of one shell command starting at `from`, up to `;`, `&&`, `||`, `|`, `)`, a backquote or `stop`. */
function commandTokens(text: string, from: number, multiline: boolean): string[] {
  let end = from;
  while (end < text.length) {
    const ch = text[end]!;
    if (ch === ';' || ch === '&' || ch === '|' || ch === ')' || ch === '`' || ch === '>') break;
    if (ch === '\n') {
      if (!multiline) break;
      const next = text.slice(end + 1, text.indexOf('\n', end + 1) < 0 ? text.length : text.indexOf('\n', end + 1));
      if (/^\s*[A-Za-z_][\w-]*:(\s|$)/.test(next) || next.trim() === '' || /^\s*\{\{/.test(next)) break;
    }
    end++;
  }
  return text
    .slice(from, end)
    .split(/\s+/)
    .filter((t) => t !== '' && t !== '\\')
    .map(unglue);
}

const KIND_ALIASES: Record<string, { kind: string; apiVersion?: string }> = {
  secret: { kind: 'Secret' },
  secrets: { kind: 'Secret' },
  externalsecret: { kind: 'ExternalSecret' },
  externalsecrets: { kind: 'ExternalSecret' },
  es: { kind: 'ExternalSecret' },
  service: { kind: 'Service' },
  services: { kind: 'Service' },
  svc: { kind: 'Service' },
  pod: { kind: 'Pod' },
  pods: { kind: 'Pod' },
  po: { kind: 'Pod' },
  job: { kind: 'Job' },
  jobs: { kind: 'Job' },
  'job-wr': { kind: 'Job' },
  deployment: { kind: 'Deployment' },
  deployments: { kind: 'Deployment' },
  deploy: { kind: 'Deployment' },
  statefulset: { kind: 'StatefulSet' },
  statefulsets: { kind: 'StatefulSet' },
  sts: { kind: 'StatefulSet' },
  daemonset: { kind: 'DaemonSet' },
  daemonsets: { kind: 'DaemonSet' },
  ds: { kind: 'DaemonSet' },
  crd: { kind: 'CustomResourceDefinition' },
  crds: { kind: 'CustomResourceDefinition' },
  customresourcedefinition: { kind: 'CustomResourceDefinition' },
  customresourcedefinitions: { kind: 'CustomResourceDefinition' },
  namespace: { kind: 'Namespace' },
  namespaces: { kind: 'Namespace' },
  ns: { kind: 'Namespace' },
  configmap: { kind: 'ConfigMap' },
  configmaps: { kind: 'ConfigMap' },
  cm: { kind: 'ConfigMap' },
};

/** `externalsecrets.external-secrets.io` -> ExternalSecret; an unknown resource keeps its name, capitalised. */
function kindOf(resource: string): string {
  const base = resource.toLowerCase().split('.')[0]!;
  const known = KIND_ALIASES[base];
  if (known) return known.kind;
  const singular = base.endsWith('s') ? base.slice(0, -1) : base;
  return singular.charAt(0).toUpperCase() + singular.slice(1);
}

/** Reads `-n ns`, `--namespace=ns`, `-l sel`, `--for=condition=X` from kubectl tokens; returns the positionals. */
function kubectlArgs(tokens: string[]): { positionals: string[]; namespace?: string; selector?: string; forWhat?: string } {
  const positionals: string[] = [];
  let namespace: string | undefined;
  let selector: string | undefined;
  let forWhat: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const eq = /^(--?[\w-]+)=(.*)$/.exec(t);
    const flag = eq ? eq[1]! : t.startsWith('-') ? t : undefined;
    if (flag === undefined) {
      positionals.push(t);
      continue;
    }
    const takes = [
      '-n',
      '--namespace',
      '-l',
      '--selector',
      '--for',
      '--timeout',
      '-o',
      '--output',
      '-f',
      '--filename',
      '--context',
      '--kubeconfig',
      '-c',
      '--field-selector',
    ];
    let value = eq ? eq[2] : undefined;
    if (value === undefined && takes.includes(flag)) value = tokens[++i];
    // An output template (`-o jsonpath={.status.conditions[0].status}`) may have been cut into
    // several words by the normalisation: skip to the word closing its braces.
    if (value !== undefined && /^(jsonpath|go-template|custom-columns)/.test(value)) {
      let depth = 0;
      if (!value.includes('{') && tokens[i + 1]?.startsWith('{')) value += tokens[++i];
      for (const ch of value) depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
      while (depth > 0 && i + 1 < tokens.length) for (const ch of tokens[++i]!) depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
    }
    if (/^-n[^-]/.test(t) && !eq) value = t.slice(2); // -nfoo
    if (flag === '-n' || flag === '--namespace' || /^-n[^-]/.test(t)) namespace = value;
    else if (flag === '-l' || flag === '--selector' || /^-l[^-]/.test(t)) selector = value ?? t.slice(2);
    else if (flag === '--for') forWhat = value;
  }
  return { positionals, namespace, selector, forWhat };
}

/** Targets named by kubectl positionals `kind/name ...` or `kind name ...`. */
function kubectlTargets(a: ReturnType<typeof kubectlArgs>): WaitTarget[] {
  const out: WaitTarget[] = [];
  const cond = a.forWhat?.startsWith('condition=') ? a.forWhat.slice('condition='.length).split('=')[0] : undefined;
  const add = (resource: string, name?: string): void => {
    out.push({
      kind: kindOf(resource),
      ...(name ? { name } : {}),
      ...(a.namespace ? { namespace: a.namespace } : {}),
      ...(cond ? { condition: cond } : {}),
      ...(a.selector && !name ? { selector: a.selector } : {}),
    });
  };
  // A resource is a word (`secret`, `externalsecrets.external-secrets.io`), a name DNS-like or a template.
  const RESOURCE = /^[A-Za-z][\w.-]*$/;
  const NAME = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?|.*\{\{.*\}\}.*)$/;
  const slashed = a.positionals.filter(
    (p) => p.includes('/') && !p.includes('://') && RESOURCE.test(p.slice(0, p.indexOf('/'))) && NAME.test(p.slice(p.indexOf('/') + 1)),
  );
  if (slashed.length > 0) {
    for (const p of slashed) {
      const i = p.indexOf('/');
      add(p.slice(0, i), p.slice(i + 1));
    }
    return out;
  }
  const [resource, ...rest] = a.positionals;
  if (resource === undefined || !RESOURCE.test(resource)) return out;
  const names = rest.filter((n) => NAME.test(n));
  if (names.length === 0) add(resource);
  for (const n of names) add(resource, n);
  return out;
}

/** A service named by a host (`db`, `db.ns`, `db.ns.svc`, `db.ns.svc.cluster.local`), else undefined. */
function hostTarget(hostPort: string): WaitTarget | undefined {
  let host = hostPort.replace(/^[a-z]+:\/\//, '').replace(/[/?].*$/, '');
  host = host.replace(/:[^:]*$/, '').replace(/^\[.*\]$/, '');
  if (host === '' || /^(localhost|127\.|0\.0\.0\.0|\$)/.test(host) || /^[\d.]+$/.test(host)) return undefined;
  if (host.includes('{{')) return { kind: 'Service', name: host };
  const parts = host.replace(/\.svc(\.cluster\.local)?\.?$/, '').split('.');
  if (parts.length === 1) return { kind: 'Service', name: parts[0] };
  if (parts.length === 2 && !/\.svc/.test(host) && /^(com|org|net|io|dev|local|internal)$/.test(parts[1]!)) return undefined;
  if (parts.length === 2) return { kind: 'Service', name: parts[0], namespace: parts[1] };
  return undefined;
}

/** Probes a polling loop may run: what each names. */
function probes(text: string): { tool: string; targets: WaitTarget[] }[] {
  const g = glueTemplates(text);
  const out: { tool: string; targets: WaitTarget[] }[] = [];
  let m: RegExpExecArray | null;
  const kube = /\bkubectl\b/g;
  while ((m = kube.exec(g))) {
    const tokens = commandTokens(g, m.index + m[0].length, false);
    const gi = tokens.indexOf('get');
    if (gi < 0) continue;
    const a = kubectlArgs([...tokens.slice(0, gi), ...tokens.slice(gi + 1)]);
    const targets = kubectlTargets(a);
    if (targets.length > 0) out.push({ tool: `kubectl get ${a.positionals[0]!.split('/')[0]}`, targets });
  }
  const hostProbe = (re: RegExp, tool: string, pick: (tokens: string[]) => string | undefined): void => {
    let x: RegExpExecArray | null;
    while ((x = re.exec(g))) {
      const host = pick(commandTokens(g, x.index + x[0].length, false));
      const t = host !== undefined ? hostTarget(host) : undefined;
      if (t) out.push({ tool, targets: [t] });
    }
  };
  const dashH = (tokens: string[]): string | undefined => {
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t === '-h' || t === '--host') return tokens[i + 1];
      if (t.startsWith('--host=')) return t.slice(7);
      if (/^-h\S/.test(t)) return t.slice(2);
    }
    return undefined;
  };
  hostProbe(/\bnc\b/g, 'nc', (tokens) => {
    const pos: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (/^-[wqi]$/.test(t)) i++;
      else if (!t.startsWith('-')) pos.push(t);
    }
    return pos[0];
  });
  hostProbe(/\bpg_isready\b/g, 'pg_isready', dashH);
  hostProbe(/\b(?:psql|mysqladmin|redis-cli|mongosh|mongo)\b/g, 'a client', dashH);
  hostProbe(/\b(?:curl|wget)\b/g, 'curl', (tokens) => tokens.find((t) => /^https?:\/\//.test(t)));
  hostProbe(/\bnslookup\b/g, 'nslookup', (tokens) => tokens.find((t) => !t.startsWith('-')));
  hostProbe(/\bgetent\s+hosts\b/g, 'getent hosts', (tokens) => tokens.find((t) => !t.startsWith('-')));
  return out;
}

/** One wait found in a container's text: offset (in that text), tool and targets. */
interface Found {
  at: number;
  tool: string;
  targets: WaitTarget[];
  /** The command's words, for a command spread over several lines (args lists). */
  words?: string[];
}

/** Waits in the text of one container (normalised by shellText). `kubectlImage`/`waitForImage`: what its image is. */
function waitsIn(text: string, image: string): Found[] {
  const out: Found[] = [];
  const g = glueTemplates(text);
  let m: RegExpExecArray | null;
  // kubectl wait, in a shell command or as the args of a kubectl image.
  const kw = /\bkubectl\b((?:\s+(?:-n|--namespace)[=\s]+\S+)?)\s+wait\b/g;
  const argsWait = /\bargs:\s+wait\b/g;
  const kubectlWait = (at: number, tokens: string[]): void => {
    const a = kubectlArgs(tokens);
    if (a.forWhat === 'delete') return;
    const targets = kubectlTargets(a);
    out.push({ at, tool: 'kubectl wait', targets, words: ['kubectl', 'wait', ...tokens] });
  };
  while ((m = kw.exec(g))) kubectlWait(m.index, [...commandTokens(g, m.index + 'kubectl'.length, false).filter((t) => t !== 'wait')]);
  if (/kubectl/.test(image)) while ((m = argsWait.exec(g))) kubectlWait(m.index, commandTokens(g, m.index + m[0].length, true));
  // k8s-wait-for (groundnuty/k8s-wait-for): args `service|pod|job|job-wr NAME [-n NS]`.
  if (/k8s-wait-for/.test(image)) {
    const re = /\b(?:args:|wait_for\.sh)\s+(service|services|pod|pods|job|job-wr|jobs)\s/g;
    while ((m = re.exec(g))) {
      const tokens = commandTokens(g, m.index + m[0].length, true);
      const a = kubectlArgs(tokens);
      const [name] = a.positionals;
      const t: WaitTarget = { kind: kindOf(m[1]!) };
      if (name !== undefined && !name.startsWith('-l')) t.name = name;
      const sel = a.selector ?? (name?.startsWith('-l') ? name.slice(2) : undefined);
      if (sel) t.selector = sel;
      if (a.namespace) t.namespace = a.namespace;
      out.push({ at: m.index, tool: 'k8s-wait-for', targets: [t], words: ['k8s-wait-for', m[1]!, ...tokens] });
    }
  }
  // wait-for-it host:port / -h host -p port; eficode wait-for host:port.
  const wfi = /\bwait-for-it(?:\.sh)?\b/g;
  while ((m = wfi.exec(g))) {
    const tokens = commandTokens(g, m.index + m[0].length, false);
    let host = tokens.find((t) => !t.startsWith('-') && t.includes(':'));
    const hi = tokens.findIndex((t) => t === '-h' || t === '--host');
    if (hi >= 0) host = tokens[hi + 1];
    const eqHost = tokens.find((t) => t.startsWith('--host='));
    if (eqHost) host = eqHost.slice(7);
    const t = host ? hostTarget(host) : undefined;
    if (t) out.push({ at: m.index, tool: 'wait-for-it', targets: [t], words: ['wait-for-it', ...tokens] });
  }
  const wf = /\bwait-for(?:\.sh)?\s+(?:tcp:\/\/)?([\w.{}\u0001$-]+:\d+)/g;
  while ((m = wf.exec(g))) {
    const t = hostTarget(unglue(m[1]!));
    if (t) out.push({ at: m.index, tool: 'wait-for', targets: [t] });
  }
  // dockerize -wait tcp://host:port -wait http://host/... (the command, or the args of a dockerize image).
  const dz = /dockerize/.test(image) ? /\b(?:dockerize|args:|command:)(?=\s)/g : /\bdockerize\b/g;
  while ((m = dz.exec(g))) {
    const tokens = commandTokens(g, m.index + m[0].length, true);
    const targets: WaitTarget[] = [];
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i] === '-wait' || tokens[i] === '--wait') {
        const t = hostTarget(tokens[i + 1] ?? '');
        if (t) targets.push(t);
      }
    }
    if (targets.length > 0) out.push({ at: m.index, tool: 'dockerize -wait', targets, words: ['dockerize', ...tokens] });
  }
  // Polling loops: until/while COND; do BODY; done, and for ...; do BODY; done with a probe and a sleep.
  const loop = /\b(until|while|for)\b/g;
  while ((m = loop.exec(g))) {
    const rest = g.slice(m.index + m[0].length);
    // `for` starts a loop only as `for NAME in ...` or `for ((...))` (not `--for=condition=X`, not prose).
    if (m[1] === 'for' && !/^\s+\w+\s+in\b|^\s*\(\(/.test(rest)) continue;
    const doAt = /(?:^|[;\n\s])do\b/.exec(rest);
    if (!doAt) continue;
    const cond = rest.slice(0, doAt.index);
    const afterDo = rest.slice(doAt.index + doAt[0].length);
    const doneAt = /\bdone\b/.exec(afterDo);
    const body = doneAt ? afterDo.slice(0, doneAt.index) : afterDo;
    if (!/\bsleep\b/.test(body)) continue;
    const keyword = m[1]!;
    let found = keyword === 'for' ? [] : probes(cond);
    if (found.length === 0) found = probes(body);
    if (found.length === 0) continue;
    const targets = found.flatMap((f) => f.targets);
    const tools = [...new Set(found.map((f) => f.tool))].join(', ');
    const end = m.index + m[0].length + doAt.index + doAt[0].length + (doneAt ? doneAt.index + 4 : afterDo.length);
    // A script over several lines reads as one: lines joined with `; ` (not after do/then/else).
    const script = unglue(g.slice(m.index, end))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .join('; ')
      .replace(/\b(do|then|else);\s/g, '$1 ')
      .replace(/;\s*;/g, ';');
    const words = script.split(/\s+/).filter((x) => x !== '');
    out.push({ at: m.index, tool: `${keyword} loop around ${tools}`, targets, words });
  }
  // Several detectors may see the same command (a kubectl wait inside a loop): keep the first per target set.
  out.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  return out.filter((f) => {
    const key = JSON.stringify(f.targets);
    if (f.targets.length > 0 && seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Argo CD's phases for a document's hook annotations (argocd.argoproj.io/hook wins when it names one). */
function hookPhases(doc: string): { phases: string[]; annotation?: string } {
  const argo = /["']?argocd\.argoproj\.io\/hook["']?\s*:\s*["']?([A-Za-z, ]+?)["']?\s*$/m.exec(doc);
  const argoTypes = csv(argo?.[1]).filter((t) => ARGO_HOOKS.has(t));
  if (argoTypes.length > 0) return { phases: argoTypes, annotation: `argocd.argoproj.io/hook: ${argo![1]!.trim()}` };
  const helm = /["']?helm\.sh\/hook["']?\s*:\s*["']?([a-z, -]+?)["']?\s*$/m.exec(doc);
  const helmPhases = csv(helm?.[1]);
  if (helmPhases.length === 0) return { phases: [] };
  const phases = [...new Set(helmPhases.map((p) => HELM_TO_ARGO[p]).filter((p): p is string => p !== undefined))];
  return { phases: phases.length > 0 ? phases : ['none'], annotation: `helm.sh/hook: ${helm![1]!.trim()}` };
}

/** Kind and metadata.name of a document (names may be templates). */
function kindAndName(doc: string): { kind?: string; name?: string } {
  const kind = /^kind:\s*["']?([A-Za-z0-9]+)/m.exec(doc)?.[1];
  const meta = /^metadata:\s*$/m.exec(doc);
  let name: string | undefined;
  if (meta) {
    const lines = doc.slice(meta.index + meta[0].length).split('\n');
    let ind = -1;
    for (const l of lines) {
      if (l.trim() === '' || isTemplateOnly(l)) continue;
      const i = indentOf(l);
      if (i === 0) break;
      if (ind < 0) ind = i;
      const n = new RegExp(`^ {${ind}}name:\\s*(.+?)\\s*$`).exec(l);
      if (n) {
        name = unquote(n[1]!);
        break;
      }
    }
  }
  return { kind, name };
}

/** Defined objects of a file (kind, name, namespace; an ExternalSecret's target Secret too). */
export function definedObjects(
  text: string,
  ctx: TemplateContext,
): { kind: string; name: string; namespace?: string; targetName?: string }[] {
  const out: { kind: string; name: string; namespace?: string; targetName?: string }[] = [];
  for (const d of documents(text)) {
    const { kind, name } = kindAndName(d.text);
    if (!kind || !name) continue;
    const ns = /^ {2}namespace:\s*(.+?)\s*$/m.exec(d.text)?.[1];
    const o: { kind: string; name: string; namespace?: string; targetName?: string } = { kind, name: resolveTemplate(name, ctx) };
    if (ns) o.namespace = resolveTemplate(unquote(ns), ctx);
    if (kind === 'ExternalSecret') {
      const target = /^ {2}target:\s*\n((?: {4,}.*\n?)*)/m.exec(d.text);
      const tn = target ? /^ {4}name:\s*(.+?)\s*$/m.exec(target[1]!)?.[1] : undefined;
      o.targetName = tn ? resolveTemplate(unquote(tn), ctx) : o.name;
    }
    out.push(o);
  }
  return out;
}

/** A Helm named template (`{{ define "name" }} ... {{ end }}`) of a chart file. */
export interface Define {
  name: string;
  /** Relative path of the file holding it. */
  file: string;
  /** The body, comments blanked. */
  body: string;
  /** 0-based line of the body's first line in its file. */
  firstLine: number;
}

/** The named templates of a file (`_helpers.tpl` and the like), by nesting of `{{ if/range/with/define/block }}` and `{{ end }}`. */
export function collectDefines(text: string, file: string): Define[] {
  const clean = blankComments(text);
  const out: Define[] = [];
  const action = /\{\{-?\s*(define|if|range|with|block|end)\b(?:\s+"([^"]*)")?[^}]*\}\}/g;
  const stack: { kind: string; name?: string; start: number }[] = [];
  let m: RegExpExecArray | null;
  while ((m = action.exec(clean))) {
    if (m[1] !== 'end') {
      stack.push({ kind: m[1]!, name: m[2], start: m.index + m[0].length });
      continue;
    }
    const open = stack.pop();
    if (open?.kind === 'define' && open.name) {
      let start = open.start;
      if (clean[start] === '\n') start++;
      out.push({ name: open.name, file, body: clean.slice(start, m.index), firstLine: countLines(clean, 0, start) });
    }
  }
  return out;
}

interface Scope {
  resource: string;
  hook?: string;
  ctx: TemplateContext;
  file?: string;
}

/** Waits in the items of one container list (`lines` of one document or define body). */
function scanItems(
  lines: string[],
  items: { from: number; to: number }[],
  init: boolean,
  firstLine: number,
  scope: Scope,
  out: WaitCommand[],
): void {
  const { ctx } = scope;
  for (const item of items) {
    const raw = lines.slice(item.from, item.to + 1).join('\n');
    const cname = containerName(lines.slice(item.from, item.to + 1));
    const container = cname ? resolveTemplate(unquote(cname), ctx) : undefined;
    const image = resolveTemplate(/\bimage:\s*(.+)$/m.exec(raw)?.[1] ?? '', ctx);
    const norm = shellText(raw);
    for (const f of waitsIn(norm, image)) {
      const line = item.from + countLines(norm, 0, f.at);
      const lineText = resolveTemplate(f.words ? f.words.join(' ') : lines[line]!.trim(), ctx);
      out.push({
        ...(scope.file ? { file: scope.file } : {}),
        line: firstLine + line + 1,
        resource: scope.resource,
        ...(scope.hook ? { hook: scope.hook } : {}),
        init,
        ...(container ? { container } : {}),
        tool: f.tool,
        text: lineText.length > 120 ? `${lineText.slice(0, 117)}...` : lineText,
        targets: f.targets.map((t) => ({
          ...t,
          ...(t.name !== undefined ? { name: resolveTemplate(t.name, ctx) } : {}),
          ...(t.namespace !== undefined ? { namespace: resolveTemplate(t.namespace, ctx) } : {}),
        })),
      });
    }
  }
}

/** The container's own `name:` (at its keys' indentation, not an env entry's `- name:`). */
function containerName(item: string[]): string | undefined {
  const first = item[0] ?? '';
  const m = /^(\s*)(?:-\s+)?/.exec(first)!;
  const keyCol = m[0].length;
  for (const [i, l] of item.entries()) {
    const n = (i === 0 ? /^\s*(?:-\s+)?name:\s*(.+?)\s*$/ : new RegExp(`^ {${keyCol}}name:\\s*(.+?)\\s*$`)).exec(l);
    if (n) return n[1];
  }
  return undefined;
}

/** The items of a define body that is a container list (`- name: ...` items), or one container (a map). */
function defineItems(lines: string[]): { from: number; to: number }[] {
  const first = lines.findIndex((l) => l.trim() !== '' && !isTemplateOnly(l));
  if (first < 0) return [];
  if (!/^\s*-(\s|$)/.test(lines[first]!)) return [{ from: first, to: lines.length - 1 }];
  const ind = indentOf(lines[first]!);
  const items: { from: number; to: number }[] = [];
  lines.forEach((l, i) => {
    if (i < first || isTemplateOnly(l) || l.trim() === '') return;
    if (indentOf(l) === ind && /^\s*-(\s|$)/.test(l)) {
      if (items.length > 0) items[items.length - 1]!.to = i - 1;
      items.push({ from: i, to: i });
    }
  });
  if (items.length > 0) items[items.length - 1]!.to = lines.length - 1;
  return items;
}

/**
 * Every wait command in a file that runs as a PreSync or Sync hook (the argocd.argoproj.io
 * hook, or helm.sh/hook pre-install/pre-upgrade, which Argo CD runs as PreSync) or in an init
 * container. Other hooks (PostSync, delete, test) are left alone; a hook that only does work
 * (a migration, no probe loop, no wait tool) gives nothing. A container list that includes a
 * named template (`{{ include "x.waitForDb" . }}`) is scanned into that template's body, taken
 * from `defines` (the chart's `_helpers.tpl` and other files); the finding then points there.
 */
export function scanWaits(text: string, ctx: TemplateContext = {}, defines: ReadonlyMap<string, Define> = new Map()): WaitCommand[] {
  const out: WaitCommand[] = [];
  for (const d of documents(text)) {
    const { phases, annotation } = hookPhases(d.text);
    const syncHook = phases.some((p) => p === 'PreSync' || p === 'Sync');
    if (phases.length > 0 && !syncHook) continue;
    const { kind, name } = kindAndName(d.text);
    const resource = kind ? `${kind}${name ? ` ${resolveTemplate(name, ctx)}` : ''}` : 'values';
    const hook = syncHook ? `a ${phases.filter((p) => p === 'PreSync' || p === 'Sync').join('/')} hook (${annotation})` : undefined;
    const lines = d.text.split('\n');
    for (const block of containerBlocks(lines)) {
      if (!syncHook && !block.init) continue;
      scanItems(lines, block.items, block.init, d.firstLine, { resource, hook, ctx }, out);
      for (const inc of block.includes) {
        const def = defines.get(inc.name);
        if (!def) continue;
        const body = def.body.split('\n');
        scanItems(
          body,
          defineItems(body),
          block.init,
          def.firstLine,
          { resource: `${resource} (through template "${def.name}")`, hook, ctx, file: def.file },
          out,
        );
      }
    }
  }
  return out;
}
