/**
 * Differences from gopher-lua found by a differential run. Every expected value below was
 * observed from gopher-lua v1.1.2 (the version Argo CD v3.5.1 pins in go.mod) run the way
 * Argo CD's util/lua/lua.go does it: lua.NewState(Options{SkipOpenLibs: !useOpenLibs}), then
 * OpenPackage, OpenBase, OpenTable and OpenSafeOs, `obj` as a global, DoString, and
 * ExecuteHealthLua's conversion of the returned table (layeh.com/gopher-json Encode, then
 * json.Unmarshal into HealthStatus; an error becomes status Unknown with err.Error() as the
 * message, as gitops-engine's GetResourceHealth records it). The Go source line that explains
 * each value is named where it helps. Cases run with open libs unless marked `safe`.
 */
import { describe, expect, it } from 'vitest';
import { evaluateHealth } from '../../src/lua/runtime.js';

interface Case {
  script: string;
  status: string;
  message: string;
  safe?: boolean;
  obj?: unknown;
}

function check(cases: Case[]): void {
  const diffs: string[] = [];
  for (const c of cases) {
    const r = evaluateHealth(c.script, c.obj ?? {}, { openLibs: c.safe !== true });
    if (r.status !== c.status || r.message !== c.message) {
      diffs.push(`${c.script}\n  gopher-lua: ${JSON.stringify([c.status, c.message])}\n  wavegate:   ${JSON.stringify([r.status, r.message])}`);
    }
  }
  expect(diffs.join('\n')).toBe('');
}

const keys = (build: string): string =>
  `local t = ${build} local ks = {} for k in pairs(t) do ks[#ks+1] = tostring(k) end return {status="Healthy", message=table.concat(ks, ",")}`;
const ok = (message: string) => ({ status: 'Healthy', message });
const unknown = (message: string) => ({ status: 'Unknown', message });
const J = 'json: error calling MarshalJSON for type json.jsonValue: ';

describe('pairs/next order (table.go LTable.Next: array part 1..n first, then keys in insertion order)', () => {
  it('walks the array part before the hash part, whatever order the script built them in', () => {
    check([
      // gopher-lua v1.1.2 as Argo runs it: "1,2,3,x,y"
      { script: keys('{1,2,3, x=1, y=2}'), ...ok('1,2,3,x,y') },
      // observed "1,2,x,y": the constructor's positional items go to the array part
      { script: keys('{x=1, y=2, 1, 2}'), ...ok('1,2,x,y') },
      // observed "1,2,3": RawSet puts every integer key 1..MaxArrayIndex (config.go) in the array
      { script: keys('{}; t[3]=1; t[1]=1; t[2]=1'), ...ok('1,2,3') },
      // observed "1,2,z,a"
      { script: keys('{}; t.z=1; t[1]=1; t.a=1; t[2]=1'), ...ok('1,2,z,a') },
      // observed "1,2,4": nil holes in the array part are skipped
      { script: keys('{10,20,nil,40}'), ...ok('1,2,4') },
      // observed "k1,k3,k4,k5,k6": string keys in insertion order (LTable.keys)
      { script: keys('{}; for i=1,5 do t["k"..i]=i end; t.k2=nil; t.k6=1'), ...ok('k1,k3,k4,k5,k6') },
      // observed: next from nil gives the first array key
      { script: 'local t = {a=1}; t[1] = "one"; local k = next(t) return {status="Healthy", message=tostring(k)}', ...ok('1') },
    ]);
  });
});

describe('the returned table as gopher-json encodes it (json.go jsonValue.MarshalJSON)', () => {
  it('refuses mixed keys, sparse arrays, NaN/Inf and functions anywhere, with encoding/json prefixes', () => {
    check([
      // observed: the array key 1 comes first (Next), then a string key: errInvalidKeys at depth 0
      { script: 'return {status="Healthy", [1]="x"}', ...unknown(`${J}cannot encode mixed or invalid key types`) },
      { script: 'return {[1]=1, status="Healthy"}', ...unknown(`${J}cannot encode mixed or invalid key types`) },
      { script: 'return {status="Healthy", [true]=1}', ...unknown(`${J}cannot encode mixed or invalid key types`) },
      // observed: a value one level down carries two MarshalerError prefixes
      { script: 'return {status="Healthy", sub={1,2,x=1}}', ...unknown(`${J}${J}cannot encode mixed or invalid key types`) },
      { script: 'return {status="Healthy", sub={[1]=1,[3]=3}}', ...unknown(`${J}${J}cannot encode sparse array`) },
      { script: 'return {status="Healthy", sub={[0]=1}}', ...unknown(`${J}${J}cannot encode sparse array`) },
      { script: 'return {status="Healthy", message="x", sub={[1.5]=1}}', ...unknown(`${J}${J}cannot encode sparse array`) },
      // observed: json.Marshal(float64(NaN)) fails (encoding/json UnsupportedValueError), even outside status/message
      { script: 'return {status="Healthy", message=0/0}', ...unknown(`${J}${J}json: unsupported value: NaN`) },
      { script: 'return {status="Healthy", message="m", extra=0/0}', ...unknown(`${J}${J}json: unsupported value: NaN`) },
      { script: 'return {status="Healthy", extra=1/0}', ...unknown(`${J}${J}json: unsupported value: +Inf`) },
      { script: 'return {status="Healthy", sub={{-1/0}}}', ...unknown(`${J}${J}${J}${J}json: unsupported value: -Inf`) },
      // observed: invalidTypeError under two prefixes
      { script: 'return {status="Healthy", f=function() end}', ...unknown(`${J}${J}cannot encode function to JSON`) },
      { script: 'local t = {status="Healthy"} t.self = t return t', ...unknown(`${J}${J}cannot encode recursively nested tables to JSON`) },
      // observed: the visited map is never cleared, so one table reached twice counts as nested
      { script: 'local s = {} return {status="Healthy", a=s, b=s}', ...unknown(`${J}${J}cannot encode recursively nested tables to JSON`) },
      // observed: an array at the top is an UnmarshalTypeError, which Argo turns into an empty status
      { script: 'return {"Healthy"}', status: '', message: '' },
      { script: 'return {status="Healthy", message={}}', status: '', message: '' },
      { script: 'return {status="Healthy", message="m", sub={1,2,3}, e={}}', ...ok('m') },
    ]);
  });
});
