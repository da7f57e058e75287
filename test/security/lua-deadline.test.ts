/**
 * Issue 13 item 8: the 1 s evaluation bound holds inside library calls.
 *
 * Argo CD runs a health script with a 1 s context deadline (util/lua/lua.go:
 * context.WithTimeout, gopher-lua raises ctx.Err().Error(), "context deadline exceeded";
 * /work/shared/reference/argo-cd-facts.md). Each script below spends its time inside one
 * library call or in coroutine switches, where no instruction hook ran: before the fix the
 * pattern never returned and the coroutine loop took 23 s. Each runs in a child process with
 * a 10 s kill timer, so a hang fails the test instead of blocking the run; no timing is
 * asserted beyond "it ends, with Argo's message".
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIST = pathToFileURL(join(__dirname, '..', '..', 'dist', 'index.js')).href;
const BIN = join(__dirname, '..', '..', 'bin', 'wavegate.js');
const KILL_MS = 10_000;

function evalInChild(script: string, openLibs = true): { status: string; message: string } {
  const code = `import { evaluateHealth } from ${JSON.stringify(DIST)};
const r = evaluateHealth(${JSON.stringify(script)}, { kind: 'Widget' }, { openLibs: ${openLibs} });
process.stdout.write(JSON.stringify(r));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: KILL_MS });
  expect(r.signal, `killed after ${KILL_MS} ms: the script was not stopped`).toBeNull();
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

const stopped = {
  status: 'Unknown',
  message: expect.stringMatching(/^<string>:\d+: (<string>:\d+: )?context deadline exceeded$/),
  sandboxBound: true,
};

describe('the 1 s deadline inside library calls (open libs)', () => {
  it('a backtracking pattern in string.find, string.match, string.gsub and string.gmatch', { timeout: 4 * KILL_MS }, () => {
    expect(evalInChild('return {status = tostring(string.find(("a"):rep(3000), ".-.-.-.-b"))}')).toEqual(stopped);
    expect(evalInChild('local m = string.match(("a"):rep(3000), "(.-)(.-)(.-)(.-)b") return {status = "Healthy"}')).toEqual(stopped);
    expect(evalInChild('local s = ("a"):rep(3000):gsub(".-.-.-.-b", "") return {status = "Healthy"}')).toEqual(stopped);
    expect(evalInChild('for m in ("a"):rep(3000):gmatch(".-.-.-.-b") do end return {status = "Healthy"}')).toEqual(stopped);
  });

  it('a plain (no pattern) search that compares long prefixes at every position', { timeout: KILL_MS }, () => {
    const s = 'local s = ("a"):rep(1024 * 1024) local p = ("a"):rep(4096) .. "b" while true do s:find(p, 1, true) end';
    expect(evalInChild(s)).toEqual(stopped);
  });

  it('a loop of huge string.rep results', { timeout: KILL_MS }, () => {
    expect(
      evalInChild(
        'local n = 0 for i = 1, 100 do n = n + #string.rep("a", 30 * 1024 * 1024) end return {status = "Healthy", message = tostring(n)}',
      ),
    ).toEqual(stopped);
  });

  it('a loop of huge table.concat results', { timeout: KILL_MS }, () => {
    const s =
      'local t = {} for i = 1, 1000 do t[i] = ("x"):rep(30000) end for i = 1, 100000 do local c = table.concat(t) end return {status = "Healthy"}';
    expect(evalInChild(s)).toEqual(stopped);
  });

  it('byte-wise functions and `..` on a 30 MB string in a loop', { timeout: 3 * KILL_MS }, () => {
    expect(evalInChild('local s = ("a"):rep(30 * 1024 * 1024) while true do s:upper() end')).toEqual(stopped);
    expect(evalInChild('local s = ("a"):rep(30 * 1024 * 1024) while true do local t = s .. "x" end')).toEqual(stopped);
    expect(evalInChild('local s = ("a"):rep(30 * 1024 * 1024) while true do local t = s:sub(2) end')).toEqual(stopped);
  });

  it('table.sort with a comparator that loops', { timeout: KILL_MS }, () => {
    expect(
      evalInChild(
        'local t = {} for i = 1, 100 do t[i] = i end table.sort(t, function(a, b) while true do end end) return {status = "Healthy"}',
      ),
    ).toEqual(stopped);
  });

  it('a coroutine yield/resume loop (wrap and resume)', { timeout: 2 * KILL_MS }, () => {
    expect(evalInChild('local co = coroutine.wrap(function() while true do coroutine.yield(1) end end) while true do co() end')).toEqual(
      stopped,
    );
    expect(
      evalInChild(
        'local co = coroutine.create(function() while true do coroutine.yield(1) end end) while true do coroutine.resume(co) end',
      ),
    ).toEqual(stopped);
  });

  it('the same library calls on small inputs still give their results', () => {
    const r = evalInChild(
      'local s = ("ab"):rep(40000) local t = {} for i = 1, 40000 do t[i] = "ab" end assert(s == table.concat(t))\n' +
        'assert(#string.rep("a", 30 * 1024 * 1024) == 30 * 1024 * 1024 and ("x"):rep(0) == "" and ("x"):rep(-1) == "")\n' +
        'assert(string.find("hello world", "o w") == 5 and string.find("a.b", ".", 1, true) == 2)\n' +
        'local k, v = string.match("key=val", "(%w+)=(%w+)") assert(k == "key" and v == "val")\n' +
        'assert(("a,b,c"):gsub(",", ";") == "a;b;c")\n' +
        'local u = {3, 1, 2} table.sort(u, function(a, b) return a > b end) assert(u[1] == 3 and u[3] == 1)\n' +
        'local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end) assert(co() + co() + co() == 6)\n' +
        'return {status = "Healthy", message = s:sub(1, 4)}',
    );
    expect(r).toEqual({ status: 'Healthy', message: 'abab' });
  });
});

describe('health test on a backtracking pattern (the CLI path of the issue)', () => {
  it('ends with the deadline message as the actual result instead of hanging', { timeout: KILL_MS + 5000 }, () => {
    const root = mkdtempSync(join(tmpdir(), 'wavegate-deadline-'));
    const files: Record<string, string> = {
      'example.io/Widget/health.lua':
        'local s = ("a"):rep(3000)\nif string.find(s, ".-.-.-.-b") then return {status = "Degraded"} end\nreturn {status = "Healthy"}\n',
      'example.io/Widget/health_test.yaml': 'tests:\n- healthStatus:\n    status: Healthy\n  inputPath: testdata/a.yaml\n',
      'example.io/Widget/testdata/a.yaml': 'apiVersion: example.io/v1\nkind: Widget\n',
    };
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), text);
    }
    const r = spawnSync(process.execPath, [BIN, 'health', 'test', root, '--open-libs'], { encoding: 'utf8', timeout: KILL_MS });
    expect(r.signal, 'health test was killed: the script was not stopped').toBeNull();
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('context deadline exceeded');
  });
});
