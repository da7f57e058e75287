import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { fengariFastCalls, install } from '../../../src/lua/fengari/fast-call.js';

install();

// src/lua/fengari/fast-call.ts replaces fengari's call path (ldo.js) for speed. Every snippet here
// runs twice: in this process with the replacement, and in a child process with fengari as
// published; the results (values and error texts) must be the same.
const SNIPPETS: Record<string, string> = {
  'missing arguments are nil':
    'local function f(a, b, c) return a, b, c end local x, y, z = f(1) return tostring(x) .. tostring(y) .. tostring(z)',
  'varargs and select':
    "local function f(...) return select('#', ...), ... end local n, a, b, c = f(1, nil, 3) return n .. tostring(a) .. tostring(b) .. tostring(c)",
  'results adjusted in a table constructor': 'local function g() return 1, 2, 3 end local t = {g(), g()} return #t',
  'recursion and tail calls':
    'local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end local function loop(n) if n == 0 then return "done" end return loop(n - 1) end return fib(18) .. loop(100000)',
  'runtime error inside pcall': 'local ok, e = pcall(function() local t = nil; return t.x end) return tostring(ok) .. e',
  'Lua stack overflow': 'local function r(n) return 1 + r(n + 1) end local ok, e = pcall(r, 1) return tostring(ok) .. e',
  'JS stack overflow through metamethods':
    'local t = setmetatable({}, {__index = function(t, k) return t[k] end}) local ok, e = pcall(function() return t.x end) return tostring(ok) .. e',
  '__call metamethod':
    'local o = setmetatable({}, {__call = function(self, a, b) return a * 2, b end}) local x, y = o(21) return x .. tostring(y)',
  coroutines: 'local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end) return co(1) + co(10)',
  'Lua callbacks from library functions':
    'local s = ("abc"):gsub("%w", function(c) return c:upper() end) local t = {5, 3, 9, 1} table.sort(t, function(a, b) return a > b end) return s .. table.concat(t, ",")',
  'error values and xpcall handlers':
    "local ok, e = pcall(error, {code = 7}) local _, h = xpcall(function() error('x') end, function(m) return 'h:' .. m end) return type(e) .. e.code .. h",
  'hundreds of results':
    'local function many(...) return ... end local r = {} for i = 1, 300 do r[i] = i end local t = {many(table.unpack(r))} return #t .. ":" .. t[300]',
  'call hooks still fire':
    "local n = 0 debug.sethook(function() n = n + 1 end, 'c') local function f() end f() f() debug.sethook() return n",
  'metamethods called from JS (__tostring, __index, __eq, __lt)':
    'local mt = {__tostring = function() return "T!" end, __index = function(t, k) return k .. "?" end, __eq = function() return true end, __lt = function() return true end} local a, b = setmetatable({}, mt), setmetatable({}, mt) return tostring(a) .. a.x .. tostring(a == b) .. tostring(a < b)',
  'results discarded and multiple assignment':
    'local function two() return 1, 2 end local a, b, c, d = two() two() local e = (two()) return tostring(a) .. tostring(b) .. tostring(c) .. tostring(d) .. e',
};

const RUNNER = `
const fengari = require('fengari');
const { lua, lauxlib, lualib, to_luastring, to_jsstring } = fengari;
module.exports = function run(src) {
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  if (lauxlib.luaL_loadstring(L, to_luastring(src)) !== lua.LUA_OK) return 'compile: ' + to_jsstring(lua.lua_tostring(L, -1));
  const st = lua.lua_pcall(L, 0, 1, 0);
  const v = lua.lua_tolstring(L, -1);
  return (st === lua.LUA_OK ? 'ok: ' : 'error: ') + (v === null ? lua.lua_typename(L, lua.lua_type(L, -1)) : to_jsstring(v));
};
`;

function runHere(src: string): string {
  const require = createRequire(import.meta.url);
  const m = { exports: undefined as unknown as (s: string) => string };
  new Function('module', 'require', RUNNER)(m, require);
  return m.exports(src);
}

describe('fengari fast call path', () => {
  it('is installed', () => {
    expect(fengariFastCalls()).toBe(true);
  });

  it('gives the same results and errors as fengari as published', () => {
    const child = spawnSync(
      process.execPath,
      [
        '-e',
        `const run = (() => { const module = {}; ${RUNNER}; return module.exports; })(); process.stdout.write(JSON.stringify(JSON.parse(process.argv[1]).map(run)));`,
        JSON.stringify(Object.values(SNIPPETS)),
      ],
      { encoding: 'utf8', cwd: process.cwd() },
    );
    expect(child.status, child.stderr).toBe(0);
    const plain = JSON.parse(child.stdout) as string[];
    const names = Object.keys(SNIPPETS);
    const here = Object.values(SNIPPETS).map(runHere);
    for (let i = 0; i < names.length; i++) {
      expect(`${names[i]}: ${here[i]}`).toBe(`${names[i]}: ${plain[i]}`);
    }
    expect(plain.filter((r) => r.startsWith('ok: ')).length).toBeGreaterThan(8);
  });
});

describe('the fengari the runtime is written against', () => {
  it('package.json pins exactly the release the patches check for, and it is the one installed', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { FENGARI_VERSION } = await import('../../../src/lua/fengari/version.js');
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies.fengari).toBe(FENGARI_VERSION);
    const installed = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'node_modules', 'fengari', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(installed.version).toBe(FENGARI_VERSION);
  });
});
