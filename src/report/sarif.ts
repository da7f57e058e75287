import { statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SarifSection, Settings } from '../catalog/types.js';
import type { Finding } from '../findings.js';
import { groupFindings } from './group.js';
import { FINDINGS } from '../rules/registry.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The `uriBaseId` of every location: the repository (or working directory) the paths are relative to. */
const SRCROOT = '%SRCROOT%';

export interface SarifOptions {
  version: string;
  /** The catalog folder relative to %SRCROOT% (the working directory), forward slashes; '' when it is the root. */
  prefix?: string;
  /** Absolute URI of %SRCROOT% (a `file://` URI of the working directory); lets a viewer resolve the paths anywhere. */
  srcRoot?: string;
  /**
   * Base of each rule's `helpUri` (`<base>#<rule id>`, the anchors docs/rules.md has), when
   * a team hosts wavegate's docs: an absolute URI without a fragment (see helpUriBase).
   */
  helpBase?: string;
}

/** The `sarif` section of wavegate.yaml (schemas/wavegate.schema.json). */
export type SarifSettings = SarifSection;

export { helpUriBase } from '../catalog/help-uri.js';

export function sarifSettings(settings: Settings): SarifSettings {
  const raw = settings.sarif;
  return raw?.helpUriBase !== undefined ? { helpUriBase: raw.helpUriBase } : {};
}

/** cyrb53 (a public-domain 53-bit string hash): fast, well mixed, deterministic; not cryptographic, which a fingerprint need not be. */
function cyrb53(str: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A 53-bit number as 14 hex digits: its two halves, as `n.toString(16)` of a large double is slow. */
function hex14(n: number): string {
  const hi = Math.floor(n / 4294967296);
  return hi.toString(16).padStart(6, '0') + (n >>> 0).toString(16).padStart(8, '0');
}

/**
 * A finding's identity across runs, as code scanning tracks alerts: rule, file, component and
 * message with numbers that move with edits (line numbers quoted in it) taken out; not the
 * line itself, so an alert survives lines added above it. 14 hex digits (53 bits: among
 * 20,000 alerts a collision has odds of about 2 in 100 million).
 */
export function fingerprint(f: Finding): string {
  const message = f.message.replace(/\b(line|lines|:)\s*\d+/g, '$1 N');
  const key = `${f.rule}\u0000${f.file ?? ''}\u0000${f.component ?? ''}\u0000${message}`;
  return hex14(cyrb53(key, 382));
}

/**
 * Findings as a SARIF 2.1.0 log (one run, tool "wavegate") that GitHub code scanning takes
 * as it is: one result per location and message, with the environments it holds in
 * `properties.environments` (a `_shared` file's finding is one alert, not one per
 * environment); `partialFingerprints` stable across runs and line moves; locations relative
 * to `%SRCROOT%` (`prefix` + the finding's file), with `originalUriBaseIds` giving its URI
 * when known. A finding without a file has no location. Deterministic for the same findings.
 */
export function toSarif(findings: readonly Finding[], options: SarifOptions): Record<string, unknown> {
  const { log, results } = prepare(findings, options);
  (log.runs as Record<string, unknown>[])[0]!.results = results.map(resultObject);
  return log;
}

/** What one result says: the first finding of a group, its environments sorted, and what is derived from them. */
interface ResultData {
  f: Finding;
  envs: string[];
  ruleIndex: number;
  text: string;
  uri: string | undefined;
  fingerprint: string;
}

function prepare(findings: readonly Finding[], options: SarifOptions): { log: Record<string, unknown>; results: ResultData[] } {
  const prefix = options.prefix ? (options.prefix.endsWith('/') ? options.prefix : `${options.prefix}/`) : '';
  const descriptors = FINDINGS.map((f) => ({ id: f.id, text: f.description, level: f.defaultSeverity }));
  const known = new Set(descriptors.map((d) => d.id));
  for (const f of findings) {
    if (!known.has(f.rule)) {
      known.add(f.rule);
      descriptors.push({ id: f.rule, text: f.rule, level: f.severity });
    }
  }
  const ruleIndex = new Map(descriptors.map((d, i) => [d.id, i] as const));
  const uris = new Map<string, string>();
  const uriOf = (file: string): string => {
    let u = uris.get(file);
    if (u === undefined) {
      const path = `${prefix}${file}`;
      // characters encodeURIComponent leaves as they are (and '/'): most paths need no split
      u = /^[A-Za-z0-9\-_.!~*'()/]*$/.test(path) ? path : path.split('/').map(encodeURIComponent).join('/');
      uris.set(file, u);
    }
    return u;
  };
  const results = groupFindings(findings).map(({ finding: f, environments }): ResultData => {
    const envs = environments.sort(); // the group's own list, made for this call
    return {
      f,
      envs,
      ruleIndex: ruleIndex.get(f.rule)!,
      text: `${envs.length > 0 ? `[${envs.join(', ')}] ` : ''}${f.component ? `${f.component}: ` : ''}${f.message}`,
      uri: f.file ? uriOf(f.file) : undefined,
      fingerprint: fingerprint(f),
    };
  });
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'wavegate',
        version: options.version,
        rules: descriptors.map((d) => ({
          id: d.id,
          name: d.id.replace(/(^|-)([a-z])/g, (_m, _s, c: string) => c.toUpperCase()),
          shortDescription: { text: d.text },
          fullDescription: { text: d.text },
          ...(options.helpBase ? { helpUri: `${options.helpBase}#${d.id}` } : {}),
          help: {
            text: `${d.text} See ${options.helpBase ? `${options.helpBase}#${d.id}` : `docs/rules.md#${d.id} in wavegate's package`}.`,
          },
          defaultConfiguration: { level: d.level },
        })),
      },
    },
    originalUriBaseIds: {
      [SRCROOT]: options.srcRoot
        ? { uri: options.srcRoot.endsWith('/') ? options.srcRoot : `${options.srcRoot}/` }
        : { description: { text: 'The working directory wavegate ran in (the repository root in CI).' } },
    },
    columnKind: 'utf16CodeUnits',
    results: [],
  };
  return { log: { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] }, results };
}

function resultObject({ f, envs, ruleIndex, text, uri, fingerprint: print }: ResultData): Record<string, unknown> {
  const r: Record<string, unknown> = { ruleId: f.rule, ruleIndex, level: f.severity, message: { text } };
  if (uri !== undefined) {
    const region: Record<string, number> = {};
    if (f.line) region.startLine = f.line;
    if (f.line && f.column) region.startColumn = f.column;
    r.locations = [{ physicalLocation: { artifactLocation: { uri, uriBaseId: SRCROOT }, ...(f.line ? { region } : {}) } }];
  }
  r.partialFingerprints = { 'wavegateFinding/v1': print };
  const props: Record<string, unknown> = {};
  if (envs.length > 0) props.environments = envs;
  if (f.component) props.component = f.component;
  if (f.related && f.related.length > 0) props.related = f.related;
  if (Object.keys(props).length > 0) r.properties = props;
  return r;
}

/**
 * Where SARIF paths start: the Git work tree holding the catalog (the nearest folder up from
 * it with a `.git`, as code scanning wants repository-relative URIs wherever the catalog sits
 * and whatever the working directory), else the working directory when the catalog is inside
 * it, else the catalog itself.
 */
export function sarifBase(catalogRoot: string, cwd: string): { prefix: string; srcRoot: string } {
  const root = resolve(catalogRoot);
  let dir = root;
  for (;;) {
    try {
      statSync(join(dir, '.git'));
      break;
    } catch {
      const up = dirname(dir);
      if (up === dir) {
        dir = '';
        break;
      }
      dir = up;
    }
  }
  let base = dir || resolve(cwd);
  let prefix = relative(base, root);
  if (prefix.startsWith('..')) {
    base = root;
    prefix = '';
  }
  return { prefix: sep === '/' ? prefix : prefix.split(sep).join('/'), srcRoot: pathToFileURL(base).href };
}
