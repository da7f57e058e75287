import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { renderKind } from '../../src/health/library.js';
import { argocdCmSource, dirSource, objectGroupKind } from '../../src/lua/resolve.js';
import { evaluateHealth } from '../../src/lua/runtime.js';
import {
  EMPTY_STATUS_NOTE,
  formatHealthTestReport,
  healthTestReportToJson,
  readTestdata,
  runHealthTests,
} from '../../src/lua/testrunner.js';
import { lintHealthScript } from '../../src/lua/lint.js';

const ARGO = join(__dirname, '..', 'fixtures', 'argo-resource-customizations');
const PKG_LUA = join(__dirname, '..', '..', 'lua');

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const orig = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => {
    out += s;
    return true;
  }) as typeof process.stdout.write;
  process.exitCode = undefined;
  try {
    const code = await main(args);
    return { code, out };
  } finally {
    process.stdout.write = orig;
    process.exitCode = undefined;
  }
}

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'wavegate-lua-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

describe('wavegate health test', () => {
  it("runs Argo CD's own resource_customizations layout unchanged (with --open-libs)", async () => {
    const r = await cli(['health', 'test', ARGO, '--open-libs']);
    expect(r.out.trim().split('\n').pop()).toBe('13 passed, 0 failed');
    expect(r.code).toBe(0);
  });

  it('reports failures with kind, input, expected and actual, and exits 1', async () => {
    const root = tree({
      'example.io/Widget/health.lua': 'return {status = "Healthy", message = "up"}',
      'example.io/Widget/health_test.yaml':
        'tests:\n- healthStatus:\n    status: Degraded\n    message: down\n  inputPath: testdata/a.yaml\n- healthStatus:\n    status: Healthy\n    message: up\n  inputpath: testdata/b.yaml\n',
      'example.io/Widget/testdata/a.yaml': 'apiVersion: example.io/v1\nkind: Widget\n',
      'example.io/Widget/testdata/b.yaml': 'apiVersion: example.io/v1\nkind: Widget\n---\napiVersion: v1\nkind: Other\n',
    });
    const r = await cli(['health', 'test', root]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAIL example.io/Widget testdata/a.yaml');
    expect(r.out).toContain('expected: status "Degraded", message "down"');
    expect(r.out).toContain('actual:   status "Healthy", message "up"');
    expect(r.out.trim().split('\n').pop()).toBe('1 passed, 1 failed');
    const j = JSON.parse((await cli(['health', 'test', root, '--format', 'json'])).out);
    expect(j).toMatchObject({ passed: 1, failed: 1 });
  });

  it("resolves by the input object's own group/kind (wildcards too), and flags empty statuses", () => {
    const root = tree({
      '_.example.io/_/health.lua': 'return {status = "Suspended", message = obj.kind}',
      'other.io/Thing/health.lua': 'return nil',
      'other.io/Thing/health_test.yaml':
        'tests:\n- healthStatus:\n    status: Suspended\n    message: Gadget\n  inputPath: g.yaml\n- healthStatus:\n    status: ""\n  inputPath: t.yaml\n',
      'other.io/Thing/g.yaml': 'apiVersion: apps.example.io/v1\nkind: Gadget\n',
      'other.io/Thing/t.yaml': 'apiVersion: other.io/v1\nkind: Thing\n',
    });
    const report = runHealthTests([root]);
    expect(report.failed).toBe(0);
    expect(report.cases[1]!.notes).toEqual([EMPTY_STATUS_NOTE]);
    expect(formatHealthTestReport(report)).toContain('note: other.io/Thing t.yaml');
  });

  it('without --open-libs a kind gets only what its deployment gives it', () => {
    const script = 'local hs = {status = "Healthy", message = ""}\nif obj.metadata.name:find("x") then hs.message = "x" end\nreturn hs';
    const files = {
      'example.io/Widget/health.lua': script,
      'example.io/Widget/health_test.yaml': 'tests:\n- healthStatus:\n    status: Healthy\n    message: x\n  inputPath: a.yaml\n',
      'example.io/Widget/a.yaml': 'apiVersion: example.io/v1\nkind: Widget\nmetadata:\n  name: x1\n',
    };
    expect(runHealthTests([tree(files)]).failed).toBe(1);
    expect(runHealthTests([tree(files)], { openLibs: true }).failed).toBe(0);
    expect(runHealthTests([tree({ ...files, 'example.io/Widget/check.yaml': 'useOpenLibs: true\n' })]).failed).toBe(0);
  });

  it("reads check.yaml with the library's one reader: the same file:line:column message as render's", () => {
    const files = {
      'example.io/Widget/health.lua': 'return {status = "Healthy", message = ""}',
      'example.io/Widget/health_test.yaml': 'tests:\n- healthStatus:\n    status: Healthy\n  inputPath: a.yaml\n',
      'example.io/Widget/a.yaml': 'apiVersion: example.io/v1\nkind: Widget\n',
    };
    const bad = tree({ ...files, 'example.io/Widget/check.yaml': 'useOpenLibs: "yes"\n' });
    expect(() => runHealthTests([bad])).toThrow(/check\.yaml:1:14: useOpenLibs: expected true or false$/);
    expect(() => renderKind(join(bad, 'example.io/Widget'))).toThrow(/check\.yaml:1:14: useOpenLibs: expected true or false$/);
    const unknown = tree({ ...files, 'example.io/Widget/check.yaml': 'useOpenLibs: true\nopenLibs: true\n' });
    expect(() => runHealthTests([unknown])).toThrow(
      /check\.yaml:2:1: unknown field "openLibs" \(expected template, data, useOpenLibs, description\)$/,
    );
  });

  it('the built CLI gives the same report as the library for a large suite', async () => {
    const files: Record<string, string> = {};
    for (let k = 0; k < 8; k++) {
      const dir = `g${k}.example.io/Kind${k}`;
      files[`${dir}/health.lua`] = `return {status = obj.spec.s, message = "k${k} " .. obj.metadata.name}`;
      let t = 'tests:\n';
      for (let i = 0; i < 120; i++) {
        files[`${dir}/testdata/c${i}.yaml`] =
          `apiVersion: g${k}.example.io/v1\nkind: Kind${k}\nmetadata:\n  name: c${i}\nspec:\n  s: ${i % 7 === 0 ? 'Degraded' : 'Healthy'}\n`;
        t += `- healthStatus:\n    status: Healthy\n    message: k${k} c${i}\n  inputPath: testdata/c${i}.yaml\n`;
      }
      files[`${dir}/health_test.yaml`] = t;
    }
    const root = tree(files);
    const bin = join(__dirname, '..', '..', 'bin', 'wavegate.js');
    let out = '';
    try {
      out = execFileSync(process.execPath, [bin, 'health', 'test', root, '--format', 'json'], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (e) {
      out = (e as { stdout: string }).stdout; // exit 1: some cases fail on purpose
    }
    const inProcess = healthTestReportToJson(runHealthTests([root]));
    expect(JSON.parse(out)).toEqual(inProcess);
    expect((inProcess as { failed: number }).failed).toBe(8 * 18);
  });

  it("runs the package's own library", () => {
    const report = runHealthTests([PKG_LUA], { sourceFor: (root) => dirSource(root, { renderKind }) });
    expect(report.cases.length).toBeGreaterThan(20);
    expect(report.failed).toBe(0);
  });
});

describe('argocd-cm resolution', () => {
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    data: {
      'resource.customizations':
        '"*.example.io/*":\n  health.lua: return {status = "Degraded", message = "wild"}\nexample.io/Widget:\n  health.lua: return {status = "Degraded", message = "legacy"}\n  health.lua.useOpenLibs: false\n',
      'resource.customizations.health.example.io_Widget': 'return {status = "Healthy", message = string.upper("split")}',
      'resource.customizations.useOpenLibs.example.io_Widget': 'true',
      'resource.customizations.health.Service': 'return {status = "Healthy"}',
    },
  };
  it('split keys override the legacy block; wildcards; core kinds; useOpenLibs', () => {
    const src = argocdCmSource(cm);
    const w = src.resolve('example.io', 'Widget')!;
    expect(w.openLibs).toBe(true);
    expect(evaluateHealth(w.script, {}, { openLibs: w.openLibs })).toEqual({ status: 'Healthy', message: 'SPLIT' });
    expect(src.resolve('a.example.io', 'Gadget')!.groupKind).toBe('*.example.io/*');
    expect(src.resolve('', 'Service')!.script).toContain('Healthy');
    expect(src.resolve('other.io', 'X')).toBeUndefined();
  });
  it('wavegate health eval prints STATUS and MESSAGE', async () => {
    const root = tree({
      'cm.yaml': JSON.stringify(cm),
      'w.yaml': 'apiVersion: example.io/v1\nkind: Widget\n',
      'n.yaml': 'apiVersion: none.io/v1\nkind: Nope\n',
    });
    const r = await cli(['health', 'eval', join(root, 'w.yaml'), '--argocd-cm', join(root, 'cm.yaml')]);
    expect(r.out).toBe('STATUS: Healthy\nMESSAGE: SPLIT\n');
    const n = await cli(['health', 'eval', join(root, 'n.yaml'), '--argocd-cm', join(root, 'cm.yaml')]);
    expect(n.out).toContain('No health check is configured for none.io/Nope');
  });
});

describe('wavegate health lint', () => {
  const rules = (s: string, openLibs = false) => lintHealthScript(s, { openLibs }).map((p) => `${p.rule}@${p.line}:${p.column}`);
  it('finds each rule, and its mirror is clean', () => {
    expect(rules('local a = 7 // 2\nreturn {status = "Healthy"}')).toEqual(['syntax@1:14']);
    expect(rules('local s = obj.x\nif s:find("a") then end\nreturn {status = "Healthy"}')).toEqual(['open-libs@2:6']);
    expect(rules('local s = obj.x\nif s:find("a") then end\nreturn {status = "Healthy"}', true)).toEqual([]);
    // every function of gopher-lua's string library (stringlib.go strFuncs, gmatch, gfind), dump included
    expect(rules('local f = obj.x:dump()\nreturn {status = "Healthy"}')).toEqual(['open-libs@1:17']);
    expect(rules('local n = math.floor(1)\nreturn {status = "Healthy"}')).toEqual(['open-libs@1:11']);
    expect(rules('local os = require("os")\nlocal t = os.time()\nreturn {status = "Healthy"}')).toEqual([]);
    expect(rules('local a = table.unpack({})\nreturn {status = "Healthy"}', true)).toEqual(['lua53-name@1:17']);
    expect(rules('local a = unpack({})\nreturn {status = "Healthy"}')).toEqual([]);
    expect(rules('local hs = {}\nhs.status = "Ok"\nreturn hs')).toEqual(['status-literal@2:13']);
    expect(rules('local hs = {}\nhs.status = "Healthy"\nreturn hs')).toEqual([]);
    expect(rules('local hs = {status = "Healthy"}')).toEqual(['missing-return@1:1']);
    expect(rules('local function f() return 1 end\nlocal x = f()')).toEqual(['missing-return@2:1']);
    expect(rules('if obj.a then\n  return {status = "Healthy"}\nelse\n  return {status = "Degraded"}\nend')).toEqual([]);
    expect(rules('local m = "\\x41"\nreturn {status = "Healthy", message = m}')).toEqual(['escape@1:11']);
    // compile.go:1104: observed in gopher-lua v1.1.2, `for k, v in next, {10, 20}` runs no times
    expect(rules('local t = obj.x\nfor k, v in next, t do end\nreturn {status = "Healthy"}')).toEqual(['for-control@2:1']);
    expect(rules('for k in next, obj.x do end\nreturn {status = "Healthy"}')).toEqual(['for-control@1:1']);
    expect(rules('for k, v in next, obj.x, nil do end\nfor k, v in pairs(obj) do end\nreturn {status = "Healthy"}')).toEqual([]);
    expect(rules('local x = 1\ngoto nowhere\nreturn {status = "Healthy"}')).toEqual(['syntax@2:1']);
  });
  it('the CLI prints file:line:column and the rule, exit 1', async () => {
    const root = tree({ 'a/health.lua': 'local hs = {}\nhs.status = "Ok"\nreturn hs\n' });
    const r = await cli(['health', 'lint', root]);
    expect(r.code).toBe(1);
    // one layout with check: path:line:col: severity rule: message
    expect(r.out).toMatch(/a\/health\.lua:2:13: error status-literal: /);
  });
});

// ---------------------------------------------------------------------------------------------
// Cross-check against the reference Lua 5.1 interpreter for the project's own fixtures.

function luaLiteral(v: unknown): string {
  if (typeof v === 'string') {
    let out = '"';
    for (const b of Buffer.from(v, 'utf8')) {
      if (b === 0x22) out += '\\"';
      else if (b === 0x5c) out += '\\\\';
      else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
      else out += `\\${b}`;
    }
    return `${out}"`;
  }
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '0';
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v))
    return `{${v
      .filter((x) => x !== null && x !== undefined)
      .map(luaLiteral)
      .join(',')}}`;
  if (typeof v === 'object' && v !== null) {
    return `{${Object.entries(v)
      .filter(([, x]) => x !== null && x !== undefined)
      .map(([k, x]) => `[${luaLiteral(k)}]=${luaLiteral(x)}`)
      .join(',')}}`;
  }
  return 'nil';
}

const HARNESS = `
local function sandbox(obj, open)
  if open then return setmetatable({obj = obj}, {__index = _G}) end
  return {obj = obj, pairs = pairs, ipairs = ipairs, next = next, type = type, tostring = tostring,
    tonumber = tonumber, table = {insert = table.insert, remove = table.remove, concat = table.concat,
    sort = table.sort, getn = table.getn, maxn = table.maxn}, unpack = unpack, error = error,
    pcall = pcall, select = select, setmetatable = setmetatable, getmetatable = getmetatable,
    rawget = rawget, rawset = rawset, rawequal = rawequal, assert = assert, print = function() end,
    require = function(n) if n == "os" then return {time = os.time, date = os.date} end error("no module " .. n) end}
end
local function run(i, script, obj, open)
  local f, err = loadstring(script, "=<string>")
  local line
  if not f then line = "ERROR\\t" .. err else
    setfenv(f, sandbox(obj, open))
    local ok, r = pcall(f)
    if not ok then line = "ERROR\\t" .. tostring(r)
    elseif r == nil then line = "\\t"
    elseif type(r) ~= "table" then line = "NONTABLE\\t" .. type(r)
    else line = tostring(r.status or "") .. "\\t" .. tostring(r.message or "") end
  end
  io.write("CASE ", i, "\\t", (string.gsub(line, "\\n", "\\\\n")), "\\n")
end
`;

function collectCases(root: string, withRender: boolean): { script: string; obj: unknown; open: boolean }[] {
  const src = dirSource(root, withRender ? { renderKind } : {});
  const out: { script: string; obj: unknown; open: boolean }[] = [];
  const walkDir = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walkDir(p);
      else if (n === 'health_test.yaml') {
        const tests = (parse(readFileSync(p, 'utf8')) as { tests: { inputPath?: string; inputpath?: string }[] }).tests;
        for (const t of tests) {
          const obj = readTestdata(readFileSync(join(d, (t.inputPath ?? t.inputpath)!), 'utf8'));
          const gk = objectGroupKind(obj)!;
          const hs = src.resolve(gk.group, gk.kind)!;
          if (/\bgoto\b/.test(hs.script)) continue;
          out.push({ script: hs.script, obj, open: hs.openLibs });
        }
      }
    }
  };
  walkDir(root);
  return out;
}

describe('cross-check against Lua 5.1 (Debian lua5.1)', () => {
  it('gives the same status and message for every fixture of the project', () => {
    const cases = [...collectCases(PKG_LUA, true), ...collectCases(ARGO, false).map((c) => ({ ...c, open: true }))];
    expect(cases.length).toBeGreaterThan(20);
    const program = `${HARNESS + cases.map((c, i) => `run(${i}, ${luaLiteral(c.script)}, ${luaLiteral(c.obj)}, ${c.open})`).join('\n')}\n`;
    const out = execFileSync('lua5.1', ['-'], { input: program, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(cases.length);
    const diffs: string[] = [];
    lines.forEach((line, i) => {
      const [, status, ...rest] = line.split('\t');
      const ref = `${status}\t${rest.join('\t')}`;
      const r = evaluateHealth(cases[i]!.script, cases[i]!.obj, { openLibs: cases[i]!.open });
      const ours = `${r.status}\t${r.message.replace(/\n/g, '\\n')}`;
      if (status === 'ERROR' || ref !== ours) diffs.push(`case ${i}: lua5.1 ${JSON.stringify(ref)} vs ${JSON.stringify(ours)}`);
    });
    expect(diffs).toEqual([]);
  });
});
