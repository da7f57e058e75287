// wavegate benchmark (`npm run bench`; never part of `npm test`).
//
//   node bench/run.mjs [--write-readme] [--only health,fixtures,scale,check,startup] [--runs N]
//                      [--sizes 1000,10000,50000] [--keep]
//
// Prints a table (median of several runs, PASS/FAIL per target) and writes bench/results.json.
// --write-readme replaces the bench/README.md section between <!-- section:bench --> markers with the
// table, the machine it ran on and bench/optimisations.md. Whole-process numbers come from
// child processes; peak memory is reported from inside the child by bench/stats-hook.mjs.
// Synthetic inputs go to a temporary folder and are deleted at the end; with --keep the
// generated catalogs stay there (keyed by the generator's content) for the next run.
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { writeSyntheticCatalog } from './synthetic.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'wavegate.js');
const HOOK = join(ROOT, 'bench', 'stats-hook.mjs');
const SUGGEST_CHAIN = join(ROOT, 'bench', 'suggest-chain.mjs');
const RESULTS = join(ROOT, 'bench', 'results.json');
const README = join(ROOT, 'bench', 'README.md');
const NOTES = join(ROOT, 'bench', 'optimisations.md');

// ---------------------------------------------------------------- options

function parseArgs(argv) {
  const o = {
    writeReadme: false,
    only: ['health', 'fixtures', 'scale', 'startup'],
    runs: undefined,
    sizes: [1000, 10000, 50000],
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    if (a === '--write-readme') o.writeReadme = true;
    else if (a === '--keep') o.keep = true;
    else if (a.startsWith('--only')) o.only = val().split(',');
    else if (a.startsWith('--runs')) o.runs = Number(val());
    else if (a.startsWith('--sizes')) o.sizes = val().split(',').map(Number);
    else if (a === '-h' || a === '--help') {
      process.stdout.write(
        `${readFileSync(fileURLToPath(import.meta.url), 'utf8')
          .split('\n')
          .slice(0, 12)
          .join('\n')}\n`,
      );
      process.exit(0);
    } else fail(`unknown option ${a}`);
  }
  for (const s of o.only) if (!['health', 'fixtures', 'scale', 'check', 'startup'].includes(s)) fail(`--only: unknown part ${s}`);
  if (o.sizes.some((n) => !Number.isInteger(n) || n < 10)) fail('--sizes: whole numbers of at least 10');
  if (o.runs !== undefined && !(Number.isInteger(o.runs) && o.runs >= 1)) fail('--runs: a whole number of at least 1');
  return o;
}

function fail(msg) {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(2);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const log = (s) => process.stderr.write(`${s}\n`);

// ---------------------------------------------------------------- child processes

/** Runs node with args; returns wall ms, exit code, stdout, stderr and the hook's stats. */
function runNode(args, { stats = false, cwd = ROOT } = {}) {
  const statsFile = stats ? join(tmpdir(), `wavegate-bench-stats-${process.pid}-${Math.random().toString(36).slice(2)}.json`) : undefined;
  const nodeArgs = stats ? ['--import', HOOK, ...args] : args;
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.NODE_OPTIONS;
  if (statsFile) env.WAVEGATE_BENCH_STATS = statsFile;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, nodeArgs, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  let st;
  if (statsFile && existsSync(statsFile)) {
    st = JSON.parse(readFileSync(statsFile, 'utf8'));
    rmSync(statsFile, { force: true });
  }
  return { wallMs, status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', stats: st };
}

function expectExit(r, what, codes = [0]) {
  if (!codes.includes(r.status)) {
    throw new Error(`${what}: exit ${r.status ?? r.signal}\n${r.stderr.slice(-2000)}${r.stdout.slice(-1000)}`);
  }
}

// ---------------------------------------------------------------- 1. health evaluation

const HEALTH_KINDS = ['external-secrets.io/ExternalSecret', 'kafka.strimzi.io/Kafka', 'gateway.networking.k8s.io/Gateway'];

async function benchHealth(opts) {
  const { renderKind, LIBRARY_DIR } = await import(join(ROOT, 'dist', 'health', 'library.js'));
  const { evaluateHealth } = await import(join(ROOT, 'dist', 'lua', 'runtime.js'));
  const { luaValue, luaString } = await import(join(ROOT, 'dist', 'health', 'lua-literal.js'));
  const rounds = opts.runs ?? 7;
  const out = [];
  const work = join(tmpdir(), `wavegate-bench-lua-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    for (const ref of HEALTH_KINDS) {
      const dir = join(LIBRARY_DIR, ref);
      const { script, openLibs } = renderKind(dir);
      const td = join(dir, 'testdata');
      const files = readdirSync(td)
        .filter((f) => f.endsWith('.yaml'))
        .sort();
      const objects = files.map((f) => parseYaml(readFileSync(join(td, f), 'utf8')));
      // in process: one evaluation per object in turn, each with Argo's fresh isolated env
      const perEval = 10000;
      const jsResults = objects.map((o) => evaluateHealth(script, o, { openLibs }));
      for (let i = 0; i < 3000; i++) evaluateHealth(script, objects[i % objects.length], { openLibs }); // warm-up
      const jsRates = [];
      for (let r = 0; r < rounds; r++) {
        const c0 = process.cpuUsage();
        for (let i = 0; i < perEval; i++) evaluateHealth(script, objects[i % objects.length], { openLibs });
        const c = process.cpuUsage(c0);
        jsRates.push(perEval / ((c.user + c.system) / 1e6));
      }
      // native Lua 5.1: chunk compiled once, objects as table literals built fresh per evaluation
      const nat = nativeLua(work, ref, script, objects, openLibs, rounds, luaValue, luaString);
      const mismatches = [];
      jsResults.forEach((j, i) => {
        const n = nat.results[i];
        if (!n || n.status !== j.status || n.message !== j.message)
          mismatches.push(`${files[i]}: wavegate ${JSON.stringify(j)} lua5.1 ${JSON.stringify(n)}`);
      });
      const evalsPerSec = median(jsRates);
      out.push({
        kind: ref,
        objects: files,
        openLibs,
        evalsPerSec: Math.round(evalsPerSec),
        runsEvalsPerSec: jsRates.map(Math.round),
        native: nat.available
          ? { evalsPerSec: Math.round(nat.evalsPerSec), runsEvalsPerSec: nat.rates.map(Math.round) }
          : { unavailable: nat.why },
        nativeOverWavegate: nat.available ? Number((nat.evalsPerSec / evalsPerSec).toFixed(2)) : undefined,
        sameResultsAsNative: nat.available ? mismatches.length === 0 : undefined,
        mismatches,
      });
      log(`health ${ref}: ${Math.round(evalsPerSec)} evals/s${nat.available ? `, lua5.1 ${Math.round(nat.evalsPerSec)} evals/s` : ''}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}

/** The same evaluation loop in the reference interpreter (CPU time from os.clock, like the JS side). */
function nativeLua(work, ref, script, objects, openLibs, rounds, luaValue, luaString) {
  const which = spawnSync('lua5.1', ['-v'], { encoding: 'utf8' });
  if (which.error) return { available: false, why: 'lua5.1 not installed' };
  const slug = ref.replace(/[^A-Za-z0-9]+/g, '_');
  const scriptFile = join(work, `${slug}.lua`);
  writeFileSync(scriptFile, script);
  const n = 30000;
  // A fresh environment per evaluation, as Argo gives each run a new VM: the base functions and
  // a copy of `table` (plus the other libraries when the kind runs with open libs), and `obj`.
  const lua = `
local f = assert(loadfile(${luaString(scriptFile)}))
local objs = {
${objects.map((o) => `  function() return ${luaValue(o, 2)} end,`).join('\n')}
}
local base = {}
for _, k in ipairs({"assert","error","getmetatable","ipairs","next","pairs","pcall","print","rawequal","rawget","rawset","select","setmetatable","tonumber","tostring","type","unpack","xpcall","loadstring","_VERSION"}) do base[k] = _G[k] end
local libs = { table = table${openLibs ? ', string = string, math = math, os = os' : ''} }
local function env(o)
  local e = {}
  for k, v in pairs(base) do e[k] = v end
  for name, lib in pairs(libs) do
    local c = {}
    for k, v in pairs(lib) do c[k] = v end
    e[name] = c
  end
  e._G = e
  e.obj = o
  return e
end
local function run(o)
  setfenv(f, env(o))
  return f()
end
for i, mk in ipairs(objs) do
  local r = run(mk())
  io.write("R\\t", tostring(r.status), "\\t", tostring(r.message), "\\n")
end
local count = #objs
for i = 1, 3000 do run(objs[(i - 1) % count + 1]()) end
for round = 1, ${rounds} do
  local t0 = os.clock()
  for i = 1, ${n} do run(objs[(i - 1) % count + 1]()) end
  io.write("T\\t", string.format("%.6f", os.clock() - t0), "\\n")
end
`;
  const file = join(work, `${slug}.bench.lua`);
  writeFileSync(file, lua);
  const r = spawnSync('lua5.1', [file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`lua5.1 ${ref}: ${r.stderr}`);
  const results = [];
  const rates = [];
  for (const line of r.stdout.split('\n')) {
    const [tag, a, b] = line.split('\t');
    if (tag === 'R') results.push({ status: a, message: b });
    if (tag === 'T') rates.push(n / Number(a));
  }
  return { available: true, results, rates, evalsPerSec: median(rates) };
}

// ---------------------------------------------------------------- 1b. fengari speed patches

/**
 * Each speed patch of src/lua/fengari/ (its registry, kind 'speed') earns its place: the
 * ExternalSecret evaluation rate with it and with it left out (WAVEGATE_BENCH_SKIP_PATCHES),
 * alternating child processes (bench/patch-eval.mjs), medians, with peak RSS.
 */
async function benchPatches(opts) {
  const { PATCHES } = await import(join(ROOT, 'dist', 'lua', 'fengari', 'index.js'));
  const rounds = Math.max(3, Math.min(opts.runs ?? 5, 7));
  const measure = (skip) => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bench', 'patch-eval.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, WAVEGATE_BENCH_SKIP_PATCHES: skip },
    });
    if (r.status !== 0) fail(`bench/patch-eval.mjs (skip ${skip || 'none'}): ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const out = [];
  for (const p of PATCHES.filter((x) => x.kind === 'speed')) {
    const on = [];
    const off = [];
    for (let i = 0; i < rounds; i++) {
      on.push(measure(''));
      off.push(measure(p.name));
    }
    out.push({
      name: p.name,
      summary: p.summary,
      withEvalsPerSec: median(on.map((m) => m.evalsPerSec)),
      withoutEvalsPerSec: median(off.map((m) => m.evalsPerSec)),
      withMaxRssKiB: median(on.map((m) => m.maxRssKiB)),
      withoutMaxRssKiB: median(off.map((m) => m.maxRssKiB)),
    });
  }
  return out;
}

// ---------------------------------------------------------------- 2. fixture suite

/**
 * A folder in Argo's resource_customizations layout with `total` cases: every library kind's
 * rendered script as `<group>/<Kind>/health.lua` (plus check.yaml for useOpenLibs), and one
 * testdata file per case, copied from the kind's own tests with a new metadata.name, so each
 * case reads and parses its own object as in Argo's repository.
 */
export async function writeSyntheticFixtures(dir, total) {
  const { renderKind, listLibraryKinds } = await import(join(ROOT, 'dist', 'health', 'library.js'));
  const kinds = listLibraryKinds()
    .map((k) => {
      const testFile = join(k.dir, 'health_test.yaml');
      const tests = existsSync(testFile) ? parseYaml(readFileSync(testFile, 'utf8')).tests : [];
      return { ...k, tests, rendered: renderKind(k.dir) };
    })
    .filter((k) => k.tests.length > 0);
  const perKind = new Map(kinds.map((k) => [k.ref, []]));
  for (let i = 0; i < total; i++) {
    const k = kinds[i % kinds.length];
    const t = k.tests[Math.floor(i / kinds.length) % k.tests.length];
    const obj = parseYaml(readFileSync(join(k.dir, t.inputPath), 'utf8'));
    obj.metadata = { ...(obj.metadata ?? {}), name: `bench-${String(i).padStart(5, '0')}` };
    const inputPath = `testdata/case-${String(i).padStart(5, '0')}.yaml`;
    const kindDir = join(dir, k.group === '' ? k.kind : join(k.group, k.kind));
    mkdirSync(join(kindDir, 'testdata'), { recursive: true });
    writeFileSync(join(kindDir, inputPath), stringifyYaml(obj));
    perKind.get(k.ref).push({ healthStatus: { ...t.healthStatus }, inputPath }); // a copy: shared objects would become YAML aliases
  }
  for (const k of kinds) {
    const kindDir = join(dir, k.group === '' ? k.kind : join(k.group, k.kind));
    writeFileSync(join(kindDir, 'health.lua'), k.rendered.script);
    if (k.rendered.openLibs) writeFileSync(join(kindDir, 'check.yaml'), 'useOpenLibs: true\n');
    writeFileSync(join(kindDir, 'health_test.yaml'), stringifyYaml({ tests: perKind.get(k.ref) }));
  }
  return kinds.length;
}

async function benchFixtures(opts) {
  const runs = opts.runs ?? 5;
  const out = {};
  const own = [];
  let ownCases;
  for (let i = 0; i < runs; i++) {
    const r = runNode([BIN, 'health', 'test'], { stats: true });
    expectExit(r, 'wavegate health test');
    ownCases = Number(/(\d+) passed, 0 failed/.exec(r.stdout)?.[1]);
    own.push(r);
  }
  out.library = {
    cases: ownCases,
    wallMs: median(own.map((r) => r.wallMs)),
    cpuMs: median(own.map((r) => r.stats.cpuMs)),
    runsWallMs: own.map((r) => Math.round(r.wallMs)),
  };
  log(`fixtures library: ${ownCases} cases ${Math.round(out.library.wallMs)} ms`);
  const dir = join(tmpdir(), `wavegate-bench-fixtures-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  try {
    const total = 5000;
    const kinds = await writeSyntheticFixtures(dir, total);
    const syn = [];
    for (let i = 0; i < runs; i++) {
      const r = runNode([BIN, 'health', 'test', dir], { stats: true });
      expectExit(r, 'wavegate health test (synthetic)');
      if (!r.stdout.includes(`${total} passed, 0 failed`))
        throw new Error(`synthetic fixtures: expected ${total} passed, got: ${r.stdout.slice(-300)}`);
      syn.push(r);
    }
    out.synthetic = {
      cases: total,
      kinds,
      wallMs: median(syn.map((r) => r.wallMs)),
      cpuMs: median(syn.map((r) => r.stats.cpuMs)),
      runsWallMs: syn.map((r) => Math.round(r.wallMs)),
    };
    log(`fixtures synthetic: ${total} cases ${Math.round(out.synthetic.wallMs)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

// ---------------------------------------------------------------- 3. catalog scale

function catalogCache() {
  const h = createHash('sha256')
    .update(readFileSync(join(ROOT, 'bench', 'synthetic.mjs')))
    .digest('hex')
    .slice(0, 12);
  return join(tmpdir(), `wavegate-bench-catalogs-${h}`);
}

function syntheticCatalog(count, messy = false) {
  const root = join(catalogCache(), `c${count}${messy ? '-messy' : ''}`);
  const done = join(root, '.complete');
  if (!existsSync(done)) {
    rmSync(root, { recursive: true, force: true });
    const t0 = Date.now();
    const files = writeSyntheticCatalog(root, { count, messy });
    writeFileSync(done, `${files}\n`);
    try {
      execFileSync('sync'); // write the new files out now, not during the measurements
    } catch {
      // no sync(1): the warm-up run below still helps
    }
    log(`generated ${count} components x 3 environments (${files} files) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  return root;
}

function measureCli(args, runs, what) {
  const rs = [];
  for (let i = 0; i < runs; i++) {
    const r = runNode([BIN, ...args], { stats: true });
    const oom = /heap out of memory|JavaScript heap|Allocation failed/i.test(r.stderr);
    if (r.status !== 0) {
      return { ok: false, oom, exit: r.status ?? r.signal, error: r.stderr.trim().split('\n').slice(-3).join(' | ') };
    }
    rs.push(r);
  }
  return {
    ok: true,
    wallMs: median(rs.map((r) => r.wallMs)),
    cpuMs: median(rs.map((r) => r.stats?.cpuMs ?? NaN)),
    peakRssMiB: Math.max(...rs.map((r) => (r.stats?.maxRssKiB ?? NaN) / 1024)),
    heapLimitMiB: rs[0].stats ? rs[0].stats.heapLimitBytes / 1048576 : undefined,
    runsWallMs: rs.map((r) => Math.round(r.wallMs)),
    what,
  };
}

/**
 * Where render output goes: a tmpfs (/dev/shm) when there is one, so the numbers measure
 * wavegate rather than the virtual disk (on these VMs creating the same 12,000 small files
 * on ext4 took anywhere from 0.2 s to 6 s, depending on what the host was doing, and a
 * render's own removal of the output it replaces slows the next file creations). The 10k
 * size is also rendered once to the disk, next to the disk's own cost of creating those files.
 */
function renderBase() {
  const shm = '/dev/shm';
  try {
    const probe = join(shm, `wavegate-bench-probe-${process.pid}`);
    mkdirSync(probe);
    rmSync(probe, { recursive: true });
    return { dir: shm, medium: 'tmpfs' };
  } catch {
    return { dir: tmpdir(), medium: 'disk' };
  }
}

/** Every file under dir: relative path and bytes. */
function readTree(dir) {
  const out = [];
  const walk = (abs, rel) => {
    for (const e of readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(abs, e.name), r);
      else out.push({ path: r, bytes: readFileSync(join(abs, e.name)) });
    }
  };
  walk(dir, '');
  return out;
}

/**
 * The disk's own cost of creating a render's files: mkdirSync + writeFileSync of the same
 * paths and bytes into a fresh folder beside it, in this process, contents already in memory.
 */
function fileCreationFloor(files, parent) {
  const dir = join(parent, `wavegate-bench-floor-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const t0 = process.hrtime.bigint();
  mkdirSync(dir);
  const made = new Set();
  for (const f of files) {
    const cut = f.path.lastIndexOf('/');
    const sub = cut < 0 ? '' : f.path.slice(0, cut);
    if (sub && !made.has(sub)) {
      mkdirSync(join(dir, sub), { recursive: true });
      made.add(sub);
    }
    writeFileSync(join(dir, f.path), f.bytes);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

function benchScale(opts) {
  const out = { sizes: {} };
  const base = renderBase();
  out.renderOutput = base.medium;
  const outDir = join(base.dir, `wavegate-bench-render-${process.pid}`);
  const diskDir = join(tmpdir(), `wavegate-bench-render-disk-${process.pid}`);
  try {
    for (const n of opts.sizes) {
      const cat = syntheticCatalog(n);
      const runs = opts.runs ?? (n <= 10000 ? 5 : 1);
      // One unmeasured run first: the measured ones see the catalog in the file cache, as a
      // repeated CI or pre-commit run does (a freshly generated catalog is not there yet).
      runNode([BIN, 'check', cat]);
      const check = measureCli(['check', cat], runs, `check ${n}`);
      log(`check ${n}: ${check.ok ? `${Math.round(check.wallMs)} ms, ${Math.round(check.peakRssMiB)} MiB` : `FAILED ${check.error}`}`);
      if (opts.checkOnly) {
        out.sizes[n] = { components: n, environments: 3, check };
        continue;
      }
      const renderRuns = [];
      let render;
      for (let i = 0; i < runs; i++) {
        rmSync(outDir, { recursive: true, force: true });
        const r = measureCli(['render', cat, '--out', outDir], 1, `render ${n}`);
        if (!r.ok) {
          render = r;
          break;
        }
        renderRuns.push(r);
      }
      render ??= {
        ok: true,
        wallMs: median(renderRuns.map((r) => r.wallMs)),
        cpuMs: median(renderRuns.map((r) => r.cpuMs)),
        peakRssMiB: Math.max(...renderRuns.map((r) => r.peakRssMiB)),
        heapLimitMiB: renderRuns[0].heapLimitMiB,
        runsWallMs: renderRuns.map((r) => r.runsWallMs[0]),
        output: base.medium,
      };
      log(
        `render ${n} (${base.medium}): ${render.ok ? `${Math.round(render.wallMs)} ms, ${Math.round(render.peakRssMiB)} MiB` : `FAILED ${render.error}`}`,
      );
      out.sizes[n] = { components: n, environments: 3, check, render };
      if (n === 10000 && render.ok && base.medium === 'tmpfs') {
        // the same render once to the disk, and the disk's cost of creating those files
        const files = readTree(outDir);
        rmSync(outDir, { recursive: true, force: true });
        rmSync(diskDir, { recursive: true, force: true });
        const floorMs = fileCreationFloor(files, tmpdir());
        const disk = measureCli(['render', cat, '--out', diskDir], 1, `render ${n} to disk`);
        rmSync(diskDir, { recursive: true, force: true });
        out.sizes[n].renderDisk = { ...disk, files: files.length, floorMs };
        log(
          `render ${n} (disk): ${disk.ok ? `${Math.round(disk.wallMs)} ms` : `FAILED ${disk.error}`}; writing its ${files.length} files alone: ${Math.round(floorMs)} ms`,
        );
      }
      rmSync(outDir, { recursive: true, force: true });
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(diskDir, { recursive: true, force: true });
    if (!opts.keep) rmSync(catalogCache(), { recursive: true, force: true });
  }
  const ratio = (a, b, cmd) => {
    const x = out.sizes[a]?.[cmd];
    const y = out.sizes[b]?.[cmd];
    return x?.ok && y?.ok ? Number((x.wallMs / y.wallMs).toFixed(2)) : undefined;
  };
  out.growth = {
    check: { '10k/1k': ratio(10000, 1000, 'check'), '50k/10k': ratio(50000, 10000, 'check') },
    render: { '10k/1k': ratio(10000, 1000, 'render'), '50k/10k': ratio(50000, 10000, 'render') },
  };
  out.suggest = benchSuggestChains(opts);
  out.messy = benchMessy(opts);
  return out;
}

/**
 * `check` in every format on a messy catalog: 10,000 components x 3 environments plus 10,000
 * components only in prod (bench/synthetic.mjs `messy`), about 20,000 env-parity warnings;
 * the clean catalog's rows are beside it.
 */
function benchMessy(opts) {
  if (!opts.sizes.includes(10000)) return undefined;
  const cat = syntheticCatalog(10000, true);
  runNode([BIN, 'check', cat]); // file cache
  const out = {};
  for (const format of ['text', 'json', 'sarif', 'github']) {
    const m = measureCli(['check', cat, '--format', format], opts.runs ?? 3, `check messy ${format}`);
    if (m.ok) {
      const r = runNode([BIN, 'check', cat, '--format', 'json']);
      m.findings = format === 'json' ? JSON.parse(r.stdout).findings.length : undefined;
    }
    out[format] = m;
    log(`check messy 10000 (${format}): ${m.ok ? `${Math.round(m.wallMs)} ms, ${Math.round(m.peakRssMiB)} MiB` : `FAILED ${m.error}`}`);
  }
  return out;
}

/**
 * `check --suggest` on a 10,000-component dependency chain (bench/suggest-chain.mjs, built in
 * memory): the rules, then suggestRepairs + formatSuggestions, timed inside the child; peak
 * memory of the child. "band": one band conflict along the chain; "missing": 9,999 suggested
 * edges and their wave changes.
 */
function benchSuggestChains(opts) {
  const out = {};
  for (const kind of ['band', 'missing']) {
    const rs = [];
    for (let i = 0; i < (opts.runs ?? 3); i++) {
      const r = runNode([SUGGEST_CHAIN, '10000', kind], { stats: true });
      if (r.status !== 0) {
        out[kind] = { ok: false, exit: r.status ?? r.signal, error: r.stderr.trim().split('\n').slice(-3).join(' | ') };
        break;
      }
      rs.push({ ...JSON.parse(r.stdout), wallMs: r.wallMs, peakRssMiB: (r.stats?.maxRssKiB ?? NaN) / 1024 });
    }
    out[kind] ??= {
      ok: true,
      n: 10000,
      suggestMs: median(rs.map((r) => r.suggestMs)),
      checkMs: median(rs.map((r) => r.checkMs)),
      wallMs: median(rs.map((r) => r.wallMs)),
      peakRssMiB: Math.max(...rs.map((r) => r.peakRssMiB)),
      outputLines: rs[0].outputLines,
    };
    const m = out[kind];
    log(
      `suggest chain ${kind} 10000: ${m.ok ? `suggest ${Math.round(m.suggestMs)} ms, check ${Math.round(m.checkMs)} ms, ${Math.round(m.peakRssMiB)} MiB` : `FAILED ${m.error}`}`,
    );
  }
  return out;
}

/**
 * What the YAML fast path (src/yaml/fast.ts) buys `check` at 10,000 x 3: the catalog's 30,000
 * component files parsed in this process by wavegate's reader (src/yaml/index.ts parseYaml:
 * fastYaml, js-yaml when it gives up) and by js-yaml alone (the reader without the fast path),
 * CPU time of each pass, passes alternating, median. Both give the same values (checked here).
 */
async function benchYamlFastPath(opts) {
  const cat = syntheticCatalog(10000);
  const { parseYaml } = await import(join(ROOT, 'dist', 'yaml', 'index.js'));
  const { default: jsyaml } = await import('js-yaml');
  const texts = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name === 'component.yaml') texts.push(readFileSync(join(dir, e.name), 'utf8'));
    }
  };
  walk(join(cat, 'environments'));
  const reader = (t) => parseYaml(t).doc.value;
  const plain = (t) => jsyaml.load(t, { schema: jsyaml.CORE_SCHEMA, json: false });
  for (let i = 0; i < texts.length; i += 97) {
    if (JSON.stringify(reader(texts[i])) !== JSON.stringify(plain(texts[i])))
      throw new Error(`yaml fast path: values differ for file ${i}`);
  }
  const pass = (f) => {
    const c0 = process.cpuUsage();
    for (const t of texts) f(t);
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  pass(reader);
  pass(plain); // warm-up
  const fast = [];
  const slow = [];
  for (let i = 0; i < (opts.runs ?? 5); i++) {
    fast.push(pass(reader));
    slow.push(pass(plain));
  }
  const out = { files: texts.length, fastMs: median(fast), jsyamlMs: median(slow) };
  log(`yaml fast path: ${texts.length} files ${Math.round(out.fastMs)} ms, js-yaml alone ${Math.round(out.jsyamlMs)} ms`);
  return out;
}

// ---------------------------------------------------------------- 4. start-up

function benchStartup(opts) {
  const runs = opts.runs ?? 9;
  const one = (args, what) => {
    runNode([BIN, ...args]); // warm the file cache
    const rs = [];
    for (let i = 0; i < runs; i++) {
      const r = runNode([BIN, ...args]);
      expectExit(r, what);
      rs.push(r.wallMs);
    }
    return { wallMs: median(rs), runsWallMs: rs.map(Math.round) };
  };
  const bare = one(['--version'], 'wavegate --version');
  const base = [];
  for (let i = 0; i < runs; i++) base.push(runNode(['-e', '0']).wallMs);
  const out = {
    version: bare,
    checkExample: one(['check', 'examples/ameide'], 'wavegate check examples/ameide'),
    nodeAlone: { wallMs: median(base), runsWallMs: base.map(Math.round) },
  };
  log(
    `startup: --version ${Math.round(out.version.wallMs)} ms, check example ${Math.round(out.checkExample.wallMs)} ms (node -e 0: ${Math.round(out.nodeAlone.wallMs)} ms)`,
  );
  return out;
}

// ---------------------------------------------------------------- report

function machine() {
  const cpuModel = (() => {
    try {
      return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim();
    } catch {
      return cpus()[0]?.model;
    }
  })();
  let nproc;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    nproc = cpus().length;
  }
  let lua;
  try {
    lua = spawnSync('lua5.1', ['-v'], { encoding: 'utf8' });
    lua = (lua.stdout || lua.stderr || '').trim().split('  ')[0] || undefined;
  } catch {
    lua = undefined;
  }
  return {
    cpu: cpuModel,
    nproc,
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    freeMemoryGiB: Number((freemem() / 2 ** 30).toFixed(1)),
    node: process.version,
    lua,
    loadavg: loadavg().map((x) => Number(x.toFixed(2))),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

const fmtMs = (ms) =>
  ms === undefined || Number.isNaN(ms)
    ? '-'
    : ms >= 10000
      ? `${(ms / 1000).toFixed(1)} s`
      : ms >= 1000
        ? `${(ms / 1000).toFixed(2)} s`
        : `${Math.round(ms)} ms`;
const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const verdict = (ok) => (ok === undefined ? '-' : ok ? 'PASS' : 'FAIL');

function tableRows(res) {
  const rows = [];
  const row = (measure, value, detail, target, ok) => rows.push({ measure, value, detail, target, result: verdict(ok) });
  for (const h of res.health ?? []) {
    const kind = h.kind.split('/')[1];
    const nat = h.native.evalsPerSec;
    const detail = nat
      ? `lua5.1 ${fmtInt(nat)}/s; native is ${h.nativeOverWavegate}x${h.sameResultsAsNative ? '; same results' : '; RESULTS DIFFER'}`
      : h.native.unavailable;
    if (kind === 'ExternalSecret') {
      row(`health eval ${kind} (evals/s)`, fmtInt(h.evalsPerSec), detail, '>= 25,000/s', h.evalsPerSec >= 25000);
      row(
        `health eval ${kind} vs lua5.1`,
        nat ? `${h.nativeOverWavegate}x slower` : '-',
        `${h.objects.length} testdata objects in turn`,
        'within 10x',
        nat ? h.nativeOverWavegate <= 10 && h.sameResultsAsNative : undefined,
      );
    } else {
      row(`health eval ${kind} (evals/s)`, fmtInt(h.evalsPerSec), detail, '-', undefined);
    }
  }
  for (const p of res.patches ?? []) {
    const gain = p.withEvalsPerSec / p.withoutEvalsPerSec;
    row(
      `fengari patch ${p.name} (speed): ExternalSecret evals/s with / without`,
      `${fmtInt(p.withEvalsPerSec)} / ${fmtInt(p.withoutEvalsPerSec)}`,
      `${gain.toFixed(2)}x; peak RSS ${Math.round(p.withMaxRssKiB / 1024)} / ${Math.round(p.withoutMaxRssKiB / 1024)} MiB; ${p.summary}`,
      '> 1.10x',
      gain > 1.1,
    );
  }
  if (res.fixtures) {
    const f = res.fixtures;
    row(`health test, package lua/ (${f.library.cases} cases)`, fmtMs(f.library.wallMs), `cpu ${fmtMs(f.library.cpuMs)}`, '-', undefined);
    if (f.synthetic)
      row(
        `health test, ${f.synthetic.cases} synthetic cases`,
        fmtMs(f.synthetic.wallMs),
        `${f.synthetic.kinds} kinds; cpu ${fmtMs(f.synthetic.cpuMs)}`,
        '< 2 s',
        f.synthetic.wallMs < 2000,
      );
  }
  if (res.scale) {
    for (const [n, s] of Object.entries(res.scale.sizes)) {
      for (const cmd of ['check', 'render']) {
        const m = s[cmd];
        if (!m) continue;
        const target = Number(n) === 10000 ? (cmd === 'check' ? '< 2 s' : '< 5 s') : Number(n) === 50000 ? 'no out-of-memory' : '-';
        const ok = Number(n) === 10000 ? m.ok && m.wallMs < (cmd === 'check' ? 2000 : 5000) : Number(n) === 50000 ? m.ok : undefined;
        const value = m.ok ? fmtMs(m.wallMs) : m.oom ? 'out of memory' : `exit ${m.exit}`;
        const detail = m.ok
          ? `peak RSS ${fmtInt(m.peakRssMiB)} MiB (heap limit ${fmtInt(m.heapLimitMiB)} MiB); cpu ${fmtMs(m.cpuMs)}`
          : m.error;
        const where = cmd === 'render' && m.output ? ` (output on ${m.output})` : '';
        row(`${cmd} ${fmtInt(Number(n))} x 3 envs${where}`, value, detail, target, ok);
      }
      const d = s.renderDisk;
      if (d) {
        const value = d.ok ? fmtMs(d.wallMs) : d.oom ? 'out of memory' : `exit ${d.exit}`;
        row(
          `render ${fmtInt(Number(n))} x 3 envs (output on disk)`,
          value,
          `one run; writing its ${fmtInt(d.files)} files alone (writeFileSync loop) took ${fmtMs(d.floorMs)} on the same disk just before`,
          '-',
          undefined,
        );
      }
    }
    const y = res.yamlFastPath;
    if (y) {
      const check = res.scale.sizes[10000]?.check;
      const margin = check?.ok
        ? `; the check 10,000 x 3 row is ${fmtMs(Math.abs(2000 - check.wallMs))} ${check.wallMs < 2000 ? 'under' : 'over'} its 2 s target`
        : '';
      row(
        `YAML fast path, ${fmtInt(y.files)} component files (10k x 3)`,
        fmtMs(y.fastMs),
        `cpu; js-yaml alone ${fmtMs(y.jsyamlMs)} (the fast path saves ${fmtMs(y.jsyamlMs - y.fastMs)})${margin}`,
        '-',
        undefined,
      );
    }
    for (const [kind, m] of Object.entries(res.scale.suggest ?? {})) {
      const what = kind === 'band' ? 'one band conflict' : '9,999 suggested edges';
      const value = m.ok ? fmtMs(m.suggestMs) : `exit ${m.exit}`;
      const detail = m.ok
        ? `suggestRepairs + text (${fmtInt(m.outputLines)} lines); the rules before it ${fmtMs(m.checkMs)}; process ${fmtMs(m.wallMs)}, peak RSS ${fmtInt(m.peakRssMiB)} MiB`
        : m.error;
      row(`check --suggest, chain of 10,000 (${what})`, value, detail, '< 2 s', m.ok && m.suggestMs < 2000);
    }
    for (const [format, m] of Object.entries(res.scale.messy ?? {})) {
      const value = m.ok ? fmtMs(m.wallMs) : `exit ${m.exit}`;
      const detail = m.ok
        ? `${m.findings !== undefined ? `${fmtInt(m.findings)} env-parity warnings; ` : ''}peak RSS ${fmtInt(m.peakRssMiB)} MiB; cpu ${fmtMs(m.cpuMs)}`
        : m.error;
      row(`check messy 10,000 x 3 envs (+10,000 only in prod), --format ${format}`, value, detail, '< 2 s', m.ok && m.wallMs < 2000);
    }
    for (const cmd of ['check', 'render']) {
      const g = res.scale.growth[cmd];
      if (g['10k/1k'] !== undefined) row(`${cmd} growth 10k/1k`, `${g['10k/1k']}`, 'wall time ratio', '<= 12', g['10k/1k'] <= 12);
      if (g['50k/10k'] !== undefined)
        row(`${cmd} growth 50k/10k`, `${g['50k/10k']}`, 'wall time ratio (5x the components)', '-', undefined);
    }
  }
  if (res.startup) {
    const s = res.startup;
    row('wavegate --version', fmtMs(s.version.wallMs), `node -e 0 alone: ${fmtMs(s.nodeAlone.wallMs)}`, '< 150 ms', s.version.wallMs < 150);
    row('wavegate check examples/ameide', fmtMs(s.checkExample.wallMs), '60 components x 3 envs', '< 500 ms', s.checkExample.wallMs < 500);
  }
  return rows;
}

function markdownTable(rows) {
  const lines = ['| measure | median | detail | target | result |', '|---|---:|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.measure} | ${r.value} | ${String(r.detail).replace(/\|/g, '\\|')} | ${r.target} | ${r.result} |`);
  return lines.join('\n');
}

/** The machine's CPU time counters (Linux /proc/stat, first line), or undefined elsewhere. */
function cpuTicks() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    return { total: f.slice(0, 8).reduce((a, b) => a + b, 0), steal: f[7] ?? 0 };
  } catch {
    return undefined;
  }
}

/**
 * Share of the machine's CPU time the hypervisor gave to other guests during the run
 * ("steal"): on a shared host this, more than the load average, shows when other guests
 * slowed a run down.
 */
function stealPercent(a, b) {
  if (!a || !b || b.total <= a.total) return undefined;
  return Number(((100 * (b.steal - a.steal)) / (b.total - a.total)).toFixed(1));
}

function machineLine(m) {
  const steal = m.stealPercent === undefined ? '' : `, CPU steal during the run ${m.stealPercent}%`;
  return `Measured ${m.date} on ${m.nproc} cores (${m.cpu}), ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.lua ?? 'no lua5.1'}; load average at start ${m.loadavg.join(' ')}${steal} (other jobs share these machines, so wall times vary).`;
}

function writeReadme(res, rows) {
  const text = readFileSync(README, 'utf8');
  const start = '<!-- section:bench -->';
  const end = '<!-- /section:bench -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) fail(`bench/README.md has no ${start} ... ${end} section`);
  const notes = existsSync(NOTES) ? readFileSync(NOTES, 'utf8').trim() : '';
  const body = [
    '## Benchmarks',
    '',
    '`npm run bench` builds, then runs `bench/run.mjs`: median of several runs, whole processes',
    'for the CLI numbers, and writes `bench/results.json`. `npm run bench -- --write-readme`',
    'also rewrites this section. `--only health,fixtures,scale,startup`, `--runs N` and',
    "`--sizes 1000,10000` narrow it down (`--only check`: the scale part's check rows without",
    'the renders). Benchmarks are not part of `npm test`.',
    '',
    'How: health evaluations are counted per CPU second on both sides (the bench process for',
    'wavegate, `os.clock()` inside `lua5.1`), each evaluation with a fresh environment and a fresh',
    "`obj`, cycling through the kind's `testdata/` objects; the native loop compiles the chunk once",
    'and builds each object from a Lua table literal. Everything else is the wall time of a whole',
    "`wavegate` process (start-up included); peak memory is the child's own `maxRSS`, reported at",
    "exit by `bench/stats-hook.mjs`, and the heap limit is Node's default for the machine.",
    'Render output goes to a tmpfs (`/dev/shm`) so that the render rows measure wavegate: on these',
    'VMs creating the same ~12,000 small files on the ext4 disk took from 0.2 s to 6 s depending on',
    'the host (and on deletions just before). The 10k render is also run once to the disk, shown',
    'with the time a plain `writeFileSync` loop took to create its files on that disk.',
    'Synthetic catalogs come from `bench/synthetic.mjs` (four tiers, fan-in/out, smokes, health',
    "kinds; `check` finds nothing in them); the 5,000 fixture cases are the library's own cases",
    "copied into Argo's layout, one input file each.",
    '',
    machineLine(res.machine),
    '',
    markdownTable(rows),
    '',
    notes,
  ].join('\n');
  const next = `${text.slice(0, a + start.length)}\n${body}\n${text.slice(b)}`;
  writeFileSync(README, next);
}

// ---------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) fail('dist/ is missing: run `npm run build` (or `npm run bench`)');
  const started = Date.now();
  const res = { machine: machine() };
  const ticksAtStart = cpuTicks();
  if (opts.only.includes('startup')) res.startup = benchStartup(opts);
  if (opts.only.includes('health')) res.health = await benchHealth(opts);
  if (opts.only.includes('health')) res.patches = await benchPatches(opts);
  if (opts.only.includes('fixtures')) res.fixtures = await benchFixtures(opts);
  const scale = opts.only.includes('scale') || opts.only.includes('check');
  if (scale && opts.sizes.includes(10000)) res.yamlFastPath = await benchYamlFastPath(opts);
  if (scale) res.scale = benchScale({ ...opts, checkOnly: !opts.only.includes('scale') });
  res.machine.loadavgAtEnd = loadavg().map((x) => Number(x.toFixed(2)));
  res.machine.stealPercent = stealPercent(ticksAtStart, cpuTicks());
  res.benchSeconds = Math.round((Date.now() - started) / 1000);
  const rows = tableRows(res);
  res.table = rows;
  writeFileSync(RESULTS, `${JSON.stringify(res, null, 2)}\n`);
  process.stdout.write(
    `${machineLine(res.machine)}\n\n${markdownTable(rows)}\n\n(bench took ${res.benchSeconds} s; details in ${relative(process.cwd(), RESULTS)})\n`,
  );
  if (opts.writeReadme) writeReadme(res, rows);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    process.stderr.write(`bench: ${e.stack ?? e}\n`);
    process.exit(1);
  });
}
