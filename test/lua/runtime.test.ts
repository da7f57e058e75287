import { describe, expect, it } from 'vitest';
import { clearCompileCache, compileCacheSize, evaluateHealth } from '../../src/lua/runtime.js';
import { checkGopherLuaSyntax } from '../../src/lua/syntax.js';
import { goNumberString, goToNumber } from '../../src/lua/gonum.js';
import { GOPHER_STRING_FUNCTIONS } from '../../src/lua/api.js';

const ok = (message: string) => ({ status: 'Healthy', message });
const run = (script: string, obj: unknown = {}, openLibs = false) => {
  const r = evaluateHealth(script, obj, { openLibs, instructionLimit: 200_000 });
  return { status: r.status, message: r.message };
};

describe('Argo sandbox rules (each: fails under Argo, and its mirror passes)', () => {
  it('string methods need open libs', () => {
    const s = 'local s = obj.metadata.name\nlocal hs = {}\nhs.status = "Healthy"\nif s:find("x") then hs.message = "x" end\nreturn hs';
    const obj = { metadata: { name: 'x1' } };
    expect(run(s, obj)).toEqual({ status: 'Unknown', message: "<string>:4: attempt to index a non-table object(string) with key 'find'" });
    expect(run(s, obj, true)).toEqual(ok('x'));
  });
  it('the string global needs open libs (the error text of the facts file)', () => {
    const s = 'local hs = {status = "Healthy"}\nlocal m = obj.m\n\nif string.find(m, "a") then hs.message = "a" end\nreturn hs';
    expect(run(s, { m: 'a' })).toEqual({
      status: 'Unknown',
      message: "<string>:4: attempt to index a non-table object(nil) with key 'find'",
    });
    expect(run(s, { m: 'a' }, true)).toEqual(ok('a'));
  });
  it('math and global os need open libs; require("os") gives only time and date', () => {
    expect(run('return {status = "Healthy", message = tostring(math.floor(2.5))}')).toEqual({
      status: 'Unknown',
      message: "<string>:1: attempt to index a non-table object(nil) with key 'floor'",
    });
    expect(run('return {status = "Healthy", message = tostring(math.floor(2.5))}', {}, true)).toEqual(ok('2'));
    expect(run('local os = require("os")\nreturn {status = "Healthy", message = type(os.time) .. type(os.date) .. type(os.exit)}')).toEqual(
      ok('functionfunctionnil'),
    );
  });
  it('table.time and table.date are nil, with or without open libs (gopher-lua v1.1.2 RegisterModule keeps the loaded table module)', () => {
    const s = 'return {status = "Healthy", message = type(table.time) .. type(table.date) .. type(table.insert)}';
    expect(run(s)).toEqual(ok('nilnilfunction'));
    expect(run(s, {}, true)).toEqual(ok('nilnilfunction'));
  });
  it('5.3-only names are absent, 5.1 names present', () => {
    expect(run('local a, b = table.unpack({1, 2})\nreturn {status = "Healthy"}').message).toBe(
      '<string>:1: attempt to call a non-function object',
    );
    expect(run('local a, b = unpack({1, 2})\nreturn {status = "Healthy", message = tostring(a + b) .. table.getn({1, 2, 3})}')).toEqual(
      ok('33'),
    );
    expect(
      run('return {status = "Healthy", message = type(math.type) .. type(utf8) .. type(table.pack) .. type(rawlen)}', {}, true),
    ).toEqual(ok('nilnilnilnil'));
  });
  it('numbers print as gopher-lua float64', () => {
    expect(run('return {status = "Healthy", message = tostring(10/2) .. " " .. 7/2 .. " " .. obj.n * 2}', { n: 3 })).toEqual(ok('5 3.5 6'));
    expect(run('return {status = "Healthy", message = tostring(2147483647 + 1) .. " " .. 1/3}')).toEqual(
      ok('2147483648 0.3333333333333333'),
    );
    expect(goNumberString(1e18)).toBe('1000000000000000000');
    expect(goNumberString(1e21)).toBe('1e+21'); // beyond int64: Go prints the float64
    expect(goNumberString(1234567.5)).toBe('1.2345675e+06');
    expect(goNumberString(0.00001)).toBe('1e-05');
    expect(goToNumber('1e5')).toBeUndefined();
    expect(goToNumber(' 12 ')).toBe(12);
    expect(run('return {status = "Healthy", message = string.format("%s|%d", 10/2, 3)}', {}, true)).toEqual(ok('5|3'));
  });
  it("string.format prints numbers as Go's fmt does for gopher-lua", () => {
    const f = (args: string) => run(`return {status = "Healthy", message = string.format(${args})}`, {}, true).message;
    expect(f('"%d|%5d|%05d|%+d", 2^31, 3.7, -42, 7')).toBe('2147483648|    3|-0042|+7');
    expect(f('"%x|%#x|%o|%x", 255, 255, 8, -255')).toBe('ff|0xff|10|-ff');
    expect(f('"%s|%q|%q", 10/2, "a\\"b", 5')).toBe('5|"a\\"b"|"5"');
    expect(f('"%g|%g|%.3g|%e|%5.2f", 0.1, 123456789.5, 1234.5678, 12345.678, 3.14159')).toBe(
      '0.1|1.234567895e+08|1.23e+03|1.234568e+04| 3.14',
    );
    expect(f('"%d/%d ready, %d%%", 2, 3, 50')).toBe('2/3 ready, 50%');
  });
  it('obj is built like Argo: nulls dropped, also inside arrays', () => {
    const obj = { a: [1, null, 3], b: null, c: { d: 'x' } };
    expect(run('return {status = "Healthy", message = #obj.a .. tostring(obj.b) .. obj.c.d .. obj.a[2]}', obj)).toEqual(ok('2nilx3'));
  });
  it('return handling', () => {
    expect(run('return {status = "Fine"}')).toEqual({ status: 'Unknown', message: 'Lua returned an invalid health status' });
    expect(run('return {status = "Progressing", message = "m"}')).toEqual({ status: 'Progressing', message: 'm' });
    expect(run('return 5')).toEqual({ status: 'Unknown', message: 'expect table output from Lua script, not number' });
    expect(run('return nil')).toEqual({ status: '', message: '' });
    expect(run('return {}')).toEqual({ status: '', message: '' });
    expect(run('local x = 1')).toEqual({ status: '', message: '' });
    expect(run('return {Status = "Degraded", message = "m"}')).toEqual({ status: 'Degraded', message: 'm' });
    expect(run('return {status = "Healthy", message = 5}')).toEqual({ status: '', message: '' });
  });
  it('runtime errors become Unknown with gopher-lua texts', () => {
    expect(run('local x = obj.status.phase')).toEqual({
      status: 'Unknown',
      message: "<string>:1: attempt to index a non-table object(nil) with key 'phase'",
    });
    expect(run('return {status = "Healthy", message = 1 + nil}').message).toBe(
      '<string>:1: cannot perform add operation between number and nil',
    );
    expect(run('return {status = "Healthy", message = "a" .. nil}').message).toBe(
      '<string>:1: cannot perform concat operation between string and nil',
    );
    expect(run('if 1 < nil then end').message).toBe('<string>:1: attempt to compare number with nil');
    expect(run('foo()').message).toBe('<string>:1: attempt to call a non-function object');
    expect(run('error("boom")').message).toBe('<string>:1: boom');
    expect(run('ipairs(nil)').message).toBe('<string>:1: bad argument #1 to ipairs (table expected, got nil)');
  });
  it('a script that runs forever or allocates without end is stopped', () => {
    expect(evaluateHealth('while true do end', {}, { instructionLimit: 200_000 })).toEqual({
      status: 'Unknown',
      message: '<string>:1: context deadline exceeded',
      sandboxBound: true,
    });
    expect(run('local ok = pcall(function() while true do end end)\nreturn {status = "Healthy"}').status).toBe('Unknown');
    expect(
      run('local co = coroutine.create(function() while true do end end)\ncoroutine.resume(co)\nreturn {status = "Healthy"}', {}, true)
        .status,
    ).toBe('Unknown');
    expect(run('local s = "x"\nfor i = 1, 60 do s = s .. s end').message).toMatch(/memory limit exceeded/);
    const grow = evaluateHealth(
      'local t = {}\nfor i = 1, 1e9 do t[i] = {i, "x" .. i} end',
      {},
      { instructionLimit: 20_000_000, memoryLimitBytes: 16 * 1024 * 1024 },
    );
    expect(grow).toEqual({ status: 'Unknown', message: expect.stringMatching(/^<string>:2: memory limit exceeded/), sandboxBound: true });
    expect(run('local n = 0\nfor i = 1, 1000 do n = n + i end\nreturn {status = "Healthy", message = tostring(n)}')).toEqual(ok('500500'));
    expect(evaluateHealth('return {status = "Degraded", message = "context deadline exceeded"}', {}).sandboxBound).toBeUndefined();
  });
  it('syntax: goto is accepted, 5.3 operators are rejected with line and column', () => {
    expect(run('goto done\n::done::\nreturn {status = "Healthy"}')).toEqual(ok(''));
    const p = checkGopherLuaSyntax('local a = 7\nlocal b = a // 2\nreturn {status = "Healthy"}');
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ line: 2 });
    expect(run('local a = 7\nlocal b = a // 2\nreturn {status = "Healthy"}').status).toBe('Unknown');
    expect(checkGopherLuaSyntax('local a = 7 & 3')).toHaveLength(1);
    expect(checkGopherLuaSyntax('local a = 0x1p4')).toHaveLength(1);
    expect(checkGopherLuaSyntax('local a = math.floor(7 / 2)')).toEqual([]);
  });
  it('compiles each script text once', () => {
    clearCompileCache();
    const script = 'return {status = "Healthy", message = obj.m}';
    for (let i = 0; i < 50; i++) expect(run(script, { m: `m${i}` })).toEqual(ok(`m${i}`));
    expect(compileCacheSize()).toBe(1);
    run(`${script} `);
    expect(compileCacheSize()).toBe(2);
  });
  it('print output is captured, not written', () => {
    const r = evaluateHealth('print("hi", 10/2)\nreturn {status = "Healthy"}', {});
    expect(r.printed).toEqual(['hi\t5']);
  });
});

describe('obj tables filled on first access behave as fully built tables', () => {
  const obj = { a: { x: 1, y: 'two', z: [3, null, 4] }, list: ['c', 'a', 'b'], status: { message: 'm', status: 'Healthy' } };
  it('traversal, length, raw access, writes, deletes, library calls', () => {
    const s = `
local keys = {}
for k, v in pairs(obj.a) do keys[#keys + 1] = k end
table.sort(keys)
local n = 0
for i, v in ipairs(obj.a.z) do n = n + v end
local first = next(obj.list)
obj.list[4] = "d"
table.insert(obj.list, "e")
table.sort(obj.list)
obj.a.y = nil
local fresh = rawget(obj.a, "x")
return {status = "Healthy", message = table.concat(keys, ",") .. "|" .. #obj.a.z .. "|" .. n .. "|" .. tostring(first) .. "|" .. table.concat(obj.list, ",") .. "|" .. tostring(obj.a.y) .. "|" .. fresh .. "|" .. table.getn(obj.list)}`;
    expect(run(s, obj)).toEqual(ok('x,y,z|2|7|1|a,b,c,d,e|nil|1|5'));
  });
  it('a sub-table of obj can be returned as the result', () => {
    expect(run('return obj.status', obj)).toEqual({ status: 'Healthy', message: 'm' });
    expect(run('return obj.list', obj)).toEqual({ status: '', message: '' });
  });
  it('a metatable set before the first read does not change what the table holds', () => {
    expect(
      run(
        'setmetatable(obj.a, {__index = function() return "meta" end})\nreturn {status = "Healthy", message = obj.a.y .. obj.a.missing}',
        obj,
      ),
    ).toEqual(ok('twometa'));
  });
  it('the object itself is not changed by a script', () => {
    run('obj.a.x = 99\nobj.list = nil', obj);
    expect(obj.a.x).toBe(1);
    expect(obj.list).toEqual(['c', 'a', 'b']);
  });
});

describe('isolation between evaluations on the reused state', () => {
  it('globals written by one evaluation are gone in the next', () => {
    run('leaked = "yes"\nfunction helper() return 1 end\nreturn {status = "Healthy"}');
    expect(run('return {status = "Healthy", message = tostring(leaked) .. tostring(helper)}')).toEqual(ok('nilnil'));
  });
  it('a replaced library function does not survive', () => {
    run('table.insert = function() error("hijacked") end\ntable.concat = nil\nreturn {status = "Healthy"}');
    expect(run('local t = {}\ntable.insert(t, "a")\nreturn {status = "Healthy", message = table.concat(t)}')).toEqual(ok('a'));
    run('string.find = function() return "hijacked" end\nreturn {status = "Healthy"}', {}, true);
    expect(run('return {status = "Healthy", message = tostring(("abc"):find("b"))}', {}, true)).toEqual(ok('2'));
  });
  it("has exactly gopher-lua's string library (stringlib.go OpenString: strFuncs, gmatch, gfind, and __index, the module being strings' metatable)", () => {
    const names =
      'local t = {}\nfor k in pairs(string) do t[#t + 1] = k end\ntable.sort(t)\nreturn {status = "Healthy", message = table.concat(t, " ")}';
    expect(run(names, {}, true)).toEqual(ok([...GOPHER_STRING_FUNCTIONS, '__index'].sort().join(' ')));
  });
  it('the string metatable and type metatables are reset', () => {
    run('getmetatable("").__index = {upper = function() return "hijacked" end}\nreturn {status = "Healthy"}', {}, true);
    expect(run('return {status = "Healthy", message = ("a"):upper()}', {}, true)).toEqual(ok('A'));
    run('debug.setmetatable(1, {__index = function() return "num" end})\nreturn {status = "Healthy"}', {}, true);
    expect(run('local n = 1\nreturn {status = "Healthy", message = tostring(n.x)}', {}, true).status).toBe('Unknown');
    // without open libs, strings have no metatable even after an open-libs evaluation
    expect(run('return {status = "Healthy", message = ("a"):upper()}').status).toBe('Unknown');
  });
  it('changes to obj, _G, package.loaded and metatables do not leak', () => {
    const obj = { status: { phase: 'Ready' } };
    run('obj.status.phase = "Broken"\nobj.extra = 1\nreturn {status = "Healthy"}', obj);
    expect(run('return {status = "Healthy", message = obj.status.phase .. tostring(obj.extra)}', obj)).toEqual(ok('Readynil'));
    run(
      'setmetatable(_G, {__index = function() return "meta" end})\npackage.loaded.table = nil\n_G.pairs = nil\nreturn {status = "Healthy"}',
    );
    expect(run('return {status = "Healthy", message = tostring(undefinedthing) .. type(package.loaded.table) .. type(pairs)}')).toEqual(
      ok('niltablefunction'),
    );
    run('obj = nil\n_G = nil\nreturn {status = "Healthy"}', obj);
    expect(run('return {status = "Healthy", message = type(obj) .. type(_G)}', obj)).toEqual(ok('tabletable'));
  });
  it('a require() module cache does not leak', () => {
    run('local os = require("os")\nos.time = nil\npackage.loaded.os.date = nil\nreturn {status = "Healthy"}');
    expect(run('local os = require("os")\nreturn {status = "Healthy", message = type(os.time) .. type(os.date)}')).toEqual(
      ok('functionfunction'),
    );
  });
  it('a stopped evaluation leaves a clean state', () => {
    run('x = 1\nwhile true do end');
    expect(run('return {status = "Healthy", message = tostring(x)}')).toEqual(ok('nil'));
  });
});
