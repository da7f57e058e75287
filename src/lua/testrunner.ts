/**
 * Runs Argo CD-format health tests offline: every `health_test.yaml` under the given folders,
 * each case's input resolved to a script by the input object's own group/kind (wildcards
 * included), evaluated with Argo's semantics, status and message compared exactly.
 */
import { DEFAULT_MAX_FILE_BYTES, diskFs, fsReason, type ReadFs } from '../fsutil.js';
import { dirname, join, relative, resolve as resolvePath } from 'node:path';
import { UserError } from '../errors.js';
import { goStringField, readGoYaml, readTestdata } from '../yaml/go.js';
import { dirSource, groupKindKey, objectGroupKind, type ScriptSource } from './resolve.js';
import { evaluateHealth, type HealthResult } from './runtime.js';

/** How a testdata file is read (Argo's harness: sigs.k8s.io/yaml over go-yaml v2); see src/yaml/go.ts. */
export { readTestdata };

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
  /** Every file read must resolve inside this folder (default: each folder given). */
  root?: string;
  /** Size limit of each file read (default DEFAULT_MAX_FILE_BYTES). */
  maxBytes?: number;
  /** All libraries for every kind, as Argo runs its own built-in checks. */
  openLibs?: boolean;
  /** Where a folder's scripts come from (default: the folder itself in Argo's layout). */
  sourceFor?: (root: string) => ScriptSource;
  /** Where the test files and testdata are read from (default the disk; a catalog's `files.fs` for an override). */
  fs?: ReadFs;
}

/**
 * A result that comes from where wavegate differs from Argo CD by design (docs/sandbox.md, "The
 * sandbox"): its memory bound, its instruction-count deadline, an `os`/`setfenv` function it
 * does not run. Such a case is reported with this note even when it passes.
 */
export const SANDBOX_DIFFERENCE_NOTE =
  "this result comes from wavegate's sandbox, not from Argo CD's: Argo CD has no memory bound, stops a script after 1 s of wall clock (wavegate: 20 million instructions), and runs os.exit/os.execute/setfenv/module";

/** A case whose script read the environment: Argo CD's answer is its controller's, unknown here. */
export function environmentNote(names: string[]): string {
  const list = [...new Set(names)].map((n) => `os.getenv("${n}")`).join(', ');
  return `${list} read as unset here: in Argo CD the script reads the application controller's environment, which wavegate cannot know`;
}

export const EMPTY_STATUS_NOTE =
  'the script returned nil or an empty table: Argo records an empty health status and never counts the resource as done in a sync wave';

/**
 * The health_test.yaml files below `dir`. Symlinks are followed only where they lead inside
 * `root` (each folder once); others are listed in `refused` with the reason.
 */
function findTestFiles(
  dir: string,
  out: string[],
  root: string,
  shown: string,
  refused: { path: string; reason: string }[],
  seen: Set<string>,
  fs: ReadFs,
): void {
  let entries;
  try {
    entries = fs.list(dir);
  } catch (e) {
    throw new UserError(`${shown}: cannot read folder (${fsReason(e)})`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const ent of entries) {
    const name = ent.name;
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    const shownChild = shown === '.' ? name : `${shown}/${name}`;
    let isDir = ent.kind === 'dir';
    if (ent.kind === 'link') {
      const target = fs.kind(p);
      if (target === undefined) continue;
      isDir = target === 'dir';
      if (!isDir && name !== 'health_test.yaml') continue;
      let real: string;
      try {
        real = fs.resolveInside(root, p);
      } catch (e) {
        refused.push({ path: shownChild, reason: fsReason(e) });
        continue;
      }
      if (isDir) {
        if (seen.has(real)) continue;
        seen.add(real);
      }
    }
    if (isDir) findTestFiles(p, out, root, shownChild, refused, seen, fs);
    else if (name === 'health_test.yaml') out.push(p);
  }
}

/** Bounds on the files a test run reads: the folder they must resolve inside, and the size limit. */
export interface TestBounds {
  root: string;
  maxBytes: number;
  /** Where the files are read from (default the disk). */
  fs?: ReadFs;
}

function readBoundedText(path: string, bounds: TestBounds): string {
  return Buffer.from((bounds.fs ?? diskFs).read(path, bounds)).toString('utf8');
}

function readFirstDocument(path: string, bounds: TestBounds): unknown {
  let text: string;
  try {
    text = readBoundedText(path, bounds);
  } catch (e) {
    // never the file's content, never Node's own text: the reason only
    throw new Error(fsReason(e));
  }
  return readTestdata(text);
}

interface TestSpec {
  status: string;
  message: string;
  inputPath: string;
}

/**
 * A field of a Go struct as encoding/json fills it from sigs.k8s.io/yaml's JSON: the name matched
 * case-insensitively, the keys in sorted order (json.Marshal of a Go map), the last match winning.
 */
function goField(o: Record<string, unknown>, name: string): unknown {
  const lower = name.toLowerCase();
  let v: unknown;
  for (const k of Object.keys(o).sort()) if (k === name || k.toLowerCase() === lower) v = o[k];
  return v;
}

function stringOf(v: unknown, what: string): string {
  if (v === null || v === undefined) return '';
  const s = goStringField(v);
  if (s === undefined) throw new Error(`${what}: cannot unmarshal ${Array.isArray(v) ? 'array' : 'object'} into a Go string`);
  return s;
}

/** health_test.yaml read as Argo's TestStructure (Tests []IndividualTest{InputPath, HealthStatus}). */
function readTestFile(path: string, bounds: TestBounds): TestSpec[] {
  let text: string;
  try {
    text = readBoundedText(path, bounds);
  } catch (e) {
    throw new Error(fsReason(e));
  }
  let doc: unknown;
  try {
    doc = readGoYaml(text, { keepNumberKinds: true });
  } catch (e) {
    throw new Error(`not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const tests =
    typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? goField(doc as Record<string, unknown>, 'Tests') : undefined;
  if (!Array.isArray(tests)) throw new Error('expected a top-level "tests" list');
  return tests.map((t, i) => {
    const o = (typeof t === 'object' && t !== null ? t : {}) as Record<string, unknown>;
    const hsv = goField(o, 'HealthStatus');
    const hs = (typeof hsv === 'object' && hsv !== null ? hsv : {}) as Record<string, unknown>;
    const inputPath = goStringField(goField(o, 'InputPath'));
    if (inputPath === undefined) throw new Error(`test ${i + 1}: inputPath is missing`);
    const status = stringOf(goField(hs, 'status'), `test ${i + 1}: healthStatus.status`);
    const message = stringOf(goField(hs, 'message'), `test ${i + 1}: healthStatus.message`);
    return { status, message, inputPath };
  });
}

/** One folder given to the runner and the health_test.yaml files found under it (sorted). */
export interface TestPlan {
  dir: string;
  root: string;
  files: string[];
  /** Links under the folder that lead outside it (not followed), as shown to the user. */
  refused?: { path: string; reason: string }[];
}

/** Finds the health_test.yaml files under each folder; a missing folder is a usage error. */
function planHealthTests(dirs: string[], containRoot?: string, fs: ReadFs = diskFs): TestPlan[] {
  return dirs.map((dir) => {
    const root = resolvePath(dir);
    const kind = fs.kind(root);
    if (kind === undefined) {
      // why it cannot be looked at, as listing it says (a missing folder, a file on the way, permissions)
      let err: NodeJS.ErrnoException | undefined;
      try {
        fs.list(root);
      } catch (e) {
        err = e as NodeJS.ErrnoException;
      }
      throw new UserError(`${dir}: ${err === undefined || err.code === 'ENOENT' ? 'no such folder' : fsReason(err)}`);
    }
    if (kind !== 'dir') throw new UserError(`${dir}: not a folder`);
    const files: string[] = [];
    const refused: { path: string; reason: string }[] = [];
    findTestFiles(root, files, containRoot ?? root, dir.replace(/[\\/]+$/, '') || dir, refused, new Set([fs.realRoot(root)]), fs);
    return { dir, root, files, ...(refused.length > 0 ? { refused } : {}) };
  });
}

/** Runs the given test files of one folder (scripts resolved through `source`). */
function runTestFiles(plan: TestPlan, source: ScriptSource, openLibs: boolean, bounds: Partial<TestBounds> = {}): HealthTestCase[] {
  const cases: HealthTestCase[] = [];
  const { dir, root } = plan;
  const limits: TestBounds = { root: bounds.root ?? root, maxBytes: bounds.maxBytes ?? DEFAULT_MAX_FILE_BYTES, fs: bounds.fs };
  const cwd = process.cwd();
  const origins = new Map<string, string>();
  for (const r of plan.refused ?? []) {
    cases.push({
      testFile: r.path,
      index: 0,
      kind: '',
      input: '',
      expected: { status: '', message: '' },
      actual: { status: '', message: '' },
      passed: false,
      notes: [`not read: ${r.path}: ${r.reason}`],
    });
  }
  for (const file of plan.files) {
    const rel = relative(cwd, file) || file;
    const fileDir = dirname(file);
    const folderKey = relative(root, fileDir)
      .split(/[\\/]/)
      .map((p) => p.replace(/_/g, '*'))
      .join('/');
    let specs: TestSpec[];
    try {
      specs = readTestFile(file, limits);
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
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i]!;
      const base = {
        testFile: rel,
        index: i + 1,
        input: spec.inputPath,
        expected: { status: spec.status, message: spec.message },
      };
      let obj: unknown;
      try {
        obj = readFirstDocument(join(fileDir, spec.inputPath), limits);
      } catch (e) {
        const msg = (e as Error).message;
        const why = msg === fsReason({ code: 'ENOENT' }) ? 'file not found' : msg.split('\n')[0];
        cases.push({
          ...base,
          kind: folderKey,
          actual: { status: '', message: '' },
          passed: false,
          notes: [`cannot read input ${spec.inputPath}: ${why}`],
        });
        continue;
      }
      const gk = objectGroupKind(obj);
      if (!gk) {
        cases.push({
          ...base,
          kind: folderKey,
          actual: { status: '', message: '' },
          passed: false,
          notes: [`input ${spec.inputPath} has no apiVersion/kind`],
        });
        continue;
      }
      const kind = groupKindKey(gk.group, gk.kind);
      const hs = source.resolve(gk.group, gk.kind);
      if (!hs) {
        cases.push({
          ...base,
          kind,
          actual: { status: '', message: '' },
          passed: false,
          notes: [`no health.lua for ${kind} under ${dir}`],
        });
        continue;
      }
      const actual = evaluateHealth(hs.script, obj, { openLibs: openLibs || hs.openLibs });
      const passed = actual.status === spec.status && actual.message === spec.message;
      const notes = actual.status === '' ? [EMPTY_STATUS_NOTE] : [];
      if (actual.sandboxBound) notes.push(SANDBOX_DIFFERENCE_NOTE);
      if (actual.environment) notes.push(environmentNote(actual.environment));
      let script = origins.get(hs.origin);
      if (script === undefined) {
        script = relative(cwd, hs.origin) || hs.origin;
        origins.set(hs.origin, script);
      }
      cases.push({ ...base, kind, actual, passed, script, notes });
    }
  }
  return cases;
}

function summarize(cases: HealthTestCase[]): HealthTestReport {
  const failed = cases.filter((c) => !c.passed).length;
  return { cases, passed: cases.length - failed, failed };
}

/** Runs every health_test.yaml under `dirs`. */
export function runHealthTests(dirs: string[], options: RunOptions = {}): HealthTestReport {
  const cases: HealthTestCase[] = [];
  for (const plan of planHealthTests(dirs, options.root, options.fs)) {
    const source = options.sourceFor ? options.sourceFor(plan.root) : dirSource(plan.root);
    cases.push(
      ...runTestFiles(plan, source, options.openLibs === true, { root: options.root, maxBytes: options.maxBytes, fs: options.fs }),
    );
  }
  return summarize(cases);
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
