/**
 * Runs Argo CD-format health tests offline: every `health_test.yaml` under the given folders,
 * each case's input resolved to a script by the input object's own group/kind (wildcards
 * included), evaluated with Argo's semantics, status and message compared exactly.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve as resolvePath } from 'node:path';
import { parse as parseYamlText, parseAllDocuments } from 'yaml';
import { UserError } from '../errors.js';
import { dirSource, groupKindKey, objectGroupKind, type ScriptSource } from './resolve.js';
import { evaluateHealth, type HealthResult } from './runtime.js';

export interface HealthTestCase {
  /** health_test.yaml path, relative to the folder given. */
  testFile: string;
  /** Case number within the file (1-based). */
  index: number;
  /** group/Kind of the input object (or of the folder when the input has none). */
  kind: string;
  input: string;
  expected: { status: string; message: string };
  actual: HealthResult;
  passed: boolean;
  /** Script the case ran (file or key). */
  script?: string;
  /** Extra remarks: an empty status, a case that could not run. */
  notes: string[];
}

export interface HealthTestReport {
  cases: HealthTestCase[];
  passed: number;
  failed: number;
}

export interface RunOptions {
  /** All libraries for every kind, as Argo runs its own built-in checks. */
  openLibs?: boolean;
  /** Where a folder's scripts come from (default: the folder itself in Argo's layout). */
  sourceFor?: (root: string) => ScriptSource;
}

export const EMPTY_STATUS_NOTE =
  'the script returned nil or an empty table: Argo records an empty health status and never counts the resource as done in a sync wave';

function findTestFiles(dir: string, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new UserError(`${dir}: cannot read folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  for (const name of names) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) findTestFiles(p, out);
    else if (name === 'health_test.yaml') out.push(p);
  }
}

/** First YAML document of a file (Argo's inputs are sometimes multi-document). */
function readFirstDocument(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  if (text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch {
      /* not JSON after all: YAML below */
    }
  }
  try {
    return parseYamlText(text);
  } catch (e) {
    const docs = parseAllDocuments(text);
    const list = Array.isArray(docs) ? docs : [];
    const first = list.find((d) => d.contents !== null);
    if (!first || first.errors.length > 0) throw e;
    return first.toJS();
  }
}

interface TestSpec {
  status: string;
  message: string;
  inputPath: string;
}

function readTestFile(path: string): TestSpec[] {
  let doc: unknown;
  try {
    doc = parseYamlText(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const tests = (doc as { tests?: unknown } | null)?.tests;
  if (!Array.isArray(tests)) throw new Error('expected a top-level "tests" list');
  return tests.map((t, i) => {
    const o = (t ?? {}) as Record<string, unknown>;
    const hs = (o.healthStatus ?? {}) as Record<string, unknown>;
    const inputPath = o.inputPath ?? o.inputpath;
    if (typeof inputPath !== 'string') throw new Error(`test ${i + 1}: inputPath is missing`);
    const status = hs.status === undefined || hs.status === null ? '' : String(hs.status);
    const message = hs.message === undefined || hs.message === null ? '' : String(hs.message);
    return { status, message, inputPath };
  });
}

/** Runs every health_test.yaml under `dirs`. */
export function runHealthTests(dirs: string[], options: RunOptions = {}): HealthTestReport {
  const cases: HealthTestCase[] = [];
  for (const dir of dirs) {
    const root = resolvePath(dir);
    let st;
    try {
      st = statSync(root);
    } catch {
      throw new UserError(`${dir}: no such folder`);
    }
    if (!st.isDirectory()) throw new UserError(`${dir}: not a folder`);
    const source = options.sourceFor ? options.sourceFor(root) : dirSource(root);
    const files: string[] = [];
    findTestFiles(root, files);
    for (const file of files) {
      const rel = relative(process.cwd(), file) || file;
      const folderKey = relative(root, dirname(file)).split(/[\\/]/).map((p) => p.replace(/_/g, '*')).join('/');
      let specs: TestSpec[];
      try {
        specs = readTestFile(file);
      } catch (e) {
        cases.push({
          testFile: rel,
          index: 0,
          kind: folderKey,
          input: '',
          expected: { status: '', message: '' },
          actual: { status: '', message: '' },
          passed: false,
          notes: [`cannot read ${rel}: ${(e as Error).message}`],
        });
        continue;
      }
      specs.forEach((spec, i) => {
        const inputFile = join(dirname(file), spec.inputPath);
        const base = {
          testFile: rel,
          index: i + 1,
          input: spec.inputPath,
          expected: { status: spec.status, message: spec.message },
        };
        let obj: unknown;
        try {
          obj = readFirstDocument(inputFile);
        } catch (e) {
          const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message.split('\n')[0];
          cases.push({ ...base, kind: folderKey, actual: { status: '', message: '' }, passed: false, notes: [`cannot read input ${spec.inputPath}: ${why}`] });
          return;
        }
        const gk = objectGroupKind(obj);
        if (!gk) {
          cases.push({ ...base, kind: folderKey, actual: { status: '', message: '' }, passed: false, notes: [`input ${spec.inputPath} has no apiVersion/kind`] });
          return;
        }
        const kind = groupKindKey(gk.group, gk.kind);
        const hs = source.resolve(gk.group, gk.kind);
        if (!hs) {
          cases.push({ ...base, kind, actual: { status: '', message: '' }, passed: false, notes: [`no health.lua for ${kind} under ${dir}`] });
          return;
        }
        const actual = evaluateHealth(hs.script, obj, { openLibs: options.openLibs === true || hs.openLibs });
        const passed = actual.status === spec.status && actual.message === spec.message;
        const notes = actual.status === '' ? [EMPTY_STATUS_NOTE] : [];
        cases.push({ ...base, kind, actual, passed, script: relative(process.cwd(), hs.origin) || hs.origin, notes });
      });
    }
  }
  const failed = cases.filter((c) => !c.passed).length;
  return { cases, passed: cases.length - failed, failed };
}

function q(s: string): string {
  return JSON.stringify(s);
}

/** Text report: each failure with kind, input, expected and actual, then `N passed, M failed`. */
export function formatHealthTestReport(report: HealthTestReport): string {
  const lines: string[] = [];
  for (const c of report.cases) {
    if (c.passed) {
      for (const n of c.notes) lines.push(`note: ${c.kind} ${c.input} (${c.testFile}): ${n}`);
      continue;
    }
    lines.push(`FAIL ${c.kind} ${c.input || '-'} (${c.testFile}${c.index ? ` test ${c.index}` : ''})`);
    if (c.script !== undefined) {
      lines.push(`  expected: status ${q(c.expected.status)}, message ${q(c.expected.message)}`);
      lines.push(`  actual:   status ${q(c.actual.status)}, message ${q(c.actual.message)}`);
    }
    for (const n of c.notes) lines.push(`  ${n}`);
  }
  lines.push(`${report.passed} passed, ${report.failed} failed`);
  return `${lines.join('\n')}\n`;
}

/** JSON form of a report (stable key order). */
export function healthTestReportToJson(report: HealthTestReport): unknown {
  return {
    cases: report.cases.map((c) => ({
      testFile: c.testFile,
      index: c.index,
      kind: c.kind,
      input: c.input,
      expected: c.expected,
      actual: { status: c.actual.status, message: c.actual.message },
      passed: c.passed,
      ...(c.script !== undefined ? { script: c.script } : {}),
      ...(c.notes.length ? { notes: c.notes } : {}),
    })),
    passed: report.passed,
    failed: report.failed,
  };
}
