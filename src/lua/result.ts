/**
 * What the script returned, as Argo CD records it: gopher-json's encoding of the returned table,
 * then Go's json.Unmarshal into a HealthStatus.
 */
import { T } from './fengari/internals.js';
import { HEALTH_STATUSES, type HealthResult, INVALID_STATUS_MESSAGE } from './api.js';
import { goNumberString } from './gonum.js';
import { gopherEntries } from './gorder.js';
import { goJsonString } from './gostrings.js';
import { luaStringOf, materialize, typeName } from './values.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

class EncodeError extends Error {}

/**
 * layeh.com/gopher-json Encode (json.go jsonValue.MarshalJSON), which Argo CD runs on the
 * returned table, then json.Unmarshal into HealthStatus. A table is walked in gopher-lua's
 * order (gorder.ts): no keys encodes `[]`; a first key that is a number makes an array whose
 * keys must be 1, 2, 3... (else "cannot encode sparse array", a non-number key "cannot
 * encode mixed or invalid key types"); a first string key makes an object of string keys only;
 * any other first key is invalid. Values are then marshalled, objects in sorted key order
 * (encoding/json sorts map keys). Every table visited stays visited (the map is never
 * cleared), so one table reached twice is "recursively nested". NaN and ±Inf fail
 * (json: unsupported value). Each jsonValue level wraps a child's error in encoding/json's
 * MarshalerError, and Encode's own json.Marshal once more: an error at depth d (the returned
 * table is depth 0) carries d+1 prefixes.
 */
const MARSHALER_PREFIX = 'json: error calling MarshalJSON for type json.jsonValue: ';

function encodeFail(depth: number, msg: string): never {
  throw new EncodeError(MARSHALER_PREFIX.repeat(depth + 1) + msg);
}

/** Marshals `v` at `depth`; returns the object entries of a table that encodes as an object. */
function marshalValue(v: any, depth: number, visited: Set<unknown>): [string, any][] | undefined {
  switch (v.ttnov()) {
    case T.LUA_TNIL:
    case T.LUA_TBOOLEAN:
    case T.LUA_TSTRING:
      return undefined;
    case T.LUA_TNUMBER:
      if (!Number.isFinite(v.value)) encodeFail(depth, `json: unsupported value: ${goNumberString(v.value)}`);
      return undefined;
    case T.LUA_TTABLE: {
      const t = v.value;
      if (visited.has(t)) encodeFail(depth, 'cannot encode recursively nested tables to JSON');
      visited.add(t);
      if (t.lazy !== undefined) materialize(t);
      const entries = gopherEntries(t);
      if (entries.length === 0) return undefined;
      const first = entries[0].key;
      if (first.ttisnumber()) {
        let expected = 1;
        for (const e of entries) {
          if (!e.key.ttisnumber()) encodeFail(depth, 'cannot encode mixed or invalid key types');
          if (e.key.value !== expected) encodeFail(depth, 'cannot encode sparse array');
          expected++;
        }
        for (const e of entries) marshalValue(e.value, depth + 1, visited);
        return undefined;
      }
      if (!first.ttisstring()) encodeFail(depth, 'cannot encode mixed or invalid key types');
      const obj: [string, any][] = [];
      for (const e of entries) {
        if (!e.key.ttisstring()) encodeFail(depth, 'cannot encode mixed or invalid key types');
        obj.push([luaStringOf(e.key), e.value]);
      }
      obj.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      for (const [, val] of obj) marshalValue(val, depth + 1, visited);
      return obj;
    }
    default:
      return encodeFail(depth, `cannot encode ${typeName(v)} to JSON`);
  }
}

/** A string field as Go holds it after the JSON round trip (invalid UTF-8 bytes: U+FFFD each). */
function jsonText(tv: any): string {
  const b: Uint8Array = tv.value.getstr();
  for (let i = 0; i < b.length; i++) if (b[i]! >= 0x80) return goJsonString(b);
  return luaStringOf(tv);
}

export function toHealth(ret: any): HealthResult {
  if (ret === undefined || ret.ttisnil()) return { status: '', message: '' };
  if (!ret.ttistable()) return { status: 'Unknown', message: `expect table output from Lua script, not ${typeName(ret)}` };
  let entries;
  try {
    entries = marshalValue(ret, 0, new Set());
  } catch (e) {
    if (e instanceof EncodeError) return { status: 'Unknown', message: e.message };
    throw e;
  }
  // An empty table encodes as [] and any json.UnmarshalTypeError yields an empty HealthStatus.
  if (entries === undefined) return { status: '', message: '' };
  // Unmarshal matches field names case-insensitively; with keys in sorted order, the last wins.
  let status = '';
  let message = '';
  for (const [k, v] of entries) {
    const field = k.toLowerCase();
    if (field !== 'status' && field !== 'message') continue;
    if (v.ttisnil()) continue;
    // json.Unmarshal of a number, bool, object or array into a string field is an
    // UnmarshalTypeError, which Argo turns into an empty health status.
    if (!v.ttisstring()) return { status: '', message: '' };
    if (field === 'status') status = jsonText(v);
    else message = jsonText(v);
  }
  if (!(HEALTH_STATUSES as readonly string[]).includes(status)) return { status: 'Unknown', message: INVALID_STATUS_MESSAGE };
  return { status, message };
}
