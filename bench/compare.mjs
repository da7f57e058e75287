// Before/after numbers for the optimisation commits listed below (not part of `npm test`).
//
//   node bench/compare.mjs [--runs N] [--only name,name]
//
// Each commit and its parent are exported with `git archive` into a temporary folder (the
// working tree is never touched), linked to this checkout's node_modules and built; the same
// measurement then runs against both builds, alternating, and the medians are printed as a
// markdown table (also written to bench/compare.json, gitignored with results.json).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticFixtures } from './run.mjs';
import { writeSyntheticCatalog } from './synthetic.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WORK = join(tmpdir(), 'wavegate-compare');
const log = (s) => process.stderr.write(`${s}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function tree(rev) {
  const sha = execFileSync('git', ['rev-parse', '--short', rev], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = join(WORK, sha);
  if (existsSync(join(dir, '.built'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${sha} | tar -x -C "${dir}"`], { cwd: ROOT });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
    cwd: dir,
    stdio: 'inherit',
  });
  if (existsSync(join(dir, 'scripts', 'build-validators.mjs')))
    execFileSync(process.execPath, ['scripts/build-validators.mjs'], { cwd: dir, stdio: 'inherit' });
  writeFileSync(join(dir, '.built'), '');
  log(`built ${sha}`);
  return dir;
}

/** Runs `node args` in `cwd`: wall ms and stdout. */
function timeNode(args, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} in ${cwd}: exit ${r.status}\n${r.stderr}`);
  return { wall, stdout: r.stdout };
}

const EVAL = `
const [root, ref, n] = process.argv.slice(1);
const { renderKind } = await import(root + '/dist/health/library.js');
const { evaluateHealth } = await import(root + '/dist/lua/runtime.js');
const { parse } = await import(root + '/node_modules/yaml/dist/index.js');
const { readdirSync, readFileSync } = await import('node:fs');
const dir = root + '/lua/' + ref;
const { script, openLibs } = renderKind(dir);
const objs = readdirSync(dir + '/testdata').sort().map((f) => parse(readFileSync(dir + '/testdata/' + f, 'utf8')));
for (let i = 0; i < 3000; i++) evaluateHealth(script, objs[i % objs.length], { openLibs });
const c0 = process.cpuUsage();
for (let i = 0; i < Number(n); i++) evaluateHealth(script, objs[i % objs.length], { openLibs });
const c = process.cpuUsage(c0);
process.stdout.write(String(Number(n) / ((c.user + c.system) / 1e6)));
`;

const OPTIMISATIONS = [
  {
    name: 'startup',
    commit: '8dfd6aa',
    what: 'wavegate --version (wall)',
    unit: 'ms',
    measure: (dir) => timeNode([join(dir, 'bin', 'wavegate.js'), '--version'], dir).wall,
    runs: 9,
  },
  {
    name: 'check-example',
    commit: 'ca33c6b',
    what: 'wavegate check examples/ameide (wall)',
    unit: 'ms',
    measure: (dir) => timeNode([join(dir, 'bin', 'wavegate.js'), 'check', join(ROOT, 'examples', 'ameide')], dir).wall,
    runs: 7,
  },
  {
    name: 'health-eval',
    commit: 'a4f45d4',
    what: 'ExternalSecret evaluations per CPU second',
    unit: '/s',
    higherIsBetter: true,
    measure: (dir) => Number(timeNode(['--input-type=module', '-e', EVAL, dir, 'external-secrets.io/ExternalSecret', '20000'], dir).stdout),
    runs: 5,
  },
  {
    name: 'fixtures',
    commit: 'f4267ac',
    what: 'wavegate health test, 5,000 synthetic cases (wall)',
    unit: 'ms',
    setup: async () => {
      const d = join(WORK, 'fixtures-5000');
      if (!existsSync(join(d, '.complete'))) {
        rmSync(d, { recursive: true, force: true });
        await writeSyntheticFixtures(d, 5000);
        writeFileSync(join(d, '.complete'), '');
      }
      return d;
    },
    measure: (dir, input) => timeNode([join(dir, 'bin', 'wavegate.js'), 'health', 'test', input], dir).wall,
    runs: 5,
  },
  {
    name: 'render-gzip',
    commit: '3893a12',
    what: 'wavegate render, 10,000 components x 3 envs (wall)',
    unit: 'ms',
    setup: async () => {
      const d = join(WORK, 'catalog-10000');
      if (!existsSync(join(d, '.complete'))) {
        rmSync(d, { recursive: true, force: true });
        writeSyntheticCatalog(d, { count: 10000 });
        writeFileSync(join(d, '.complete'), '');
      }
      return d;
    },
    measure: (dir, input) => {
      const out = join(WORK, 'render-out');
      rmSync(out, { recursive: true, force: true });
      const t = timeNode([join(dir, 'bin', 'wavegate.js'), 'render', input, '--out', out], dir).wall;
      rmSync(out, { recursive: true, force: true });
      return t;
    },
    runs: 3,
  },
];

async function main() {
  const args = process.argv.slice(2);
  const get = (flag) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const runsOverride = get('--runs') ? Number(get('--runs')) : undefined;
  const only = get('--only')?.split(',');
  mkdirSync(WORK, { recursive: true });
  const rows = [];
  for (const o of OPTIMISATIONS) {
    if (only && !only.includes(o.name)) continue;
    const before = tree(`${o.commit}^`);
    const after = tree(o.commit);
    const input = o.setup ? await o.setup() : undefined;
    o.measure(before, input); // warm the file cache
    o.measure(after, input);
    const b = [];
    const a = [];
    for (let i = 0; i < (runsOverride ?? o.runs); i++) {
      b.push(o.measure(before, input));
      a.push(o.measure(after, input));
    }
    const mb = median(b);
    const ma = median(a);
    const gain = o.higherIsBetter ? ma / mb : mb / ma;
    rows.push({
      name: o.name,
      commit: o.commit,
      what: o.what,
      unit: o.unit,
      before: mb,
      after: ma,
      gain: Number(gain.toFixed(2)),
      runsBefore: b.map(Math.round),
      runsAfter: a.map(Math.round),
    });
    log(`${o.name}: ${Math.round(mb)} -> ${Math.round(ma)} ${o.unit}`);
  }
  const fmt = (v, unit) =>
    unit === '/s' ? `${Math.round(v).toLocaleString('en-US')}/s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`;
  const table = [
    '| commit | measure | before | after | gain |',
    '|---|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.commit} | ${r.what} | ${fmt(r.before, r.unit)} | ${fmt(r.after, r.unit)} | ${r.gain}x |`),
  ].join('\n');
  writeFileSync(join(ROOT, 'bench', 'compare.json'), `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`);
  process.stdout.write(`${table}\n`);
}

main().catch((e) => {
  process.stderr.write(`compare: ${e.stack ?? e}\n`);
  process.exit(1);
});
