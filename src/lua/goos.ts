/**
 * os.date / os.time / os.difftime as Argo CD's Lua VM has them.
 *
 * Two versions exist. With open libs a script gets gopher-lua v1.1.2's own `os` (oslib.go
 * osDate/osTime); `require("os")` without open libs gets Argo CD's copy (util/lua/oslib_safe.go,
 * SafeOsLoader). Both print dates with Go's time.Format through a table of C specifiers
 * (utils.go cDateFlagToGo): `%c` is "02 Jan 06 15:04 MST", `%a` prints the literal "mon", `%x`
 * is the time "15/04/05", an unknown specifier is kept as written, `%%` is "%" and a trailing
 * "%" stays; a leading run of `!` is dropped and selects UTC; `*t` gives a table with
 * `yday` 0 and `isdst` false. os.time fills missing fields with Go's defaults (hour 12, day,
 * month and year -1) and lets time.Date normalise them; gopher-lua's version also reads
 * numeric strings (getIntField), Argo's only numbers.
 *
 * Local time is UTC: Argo CD's controller image sets no time zone, so Go's time.Local is UTC
 * there. (A check run on a workstation elsewhere still sees Argo's clock.)
 */
import { gopherRaise } from './gowhere.js';
import { lua, to_luastring } from './fengari/internals.js';
import { goNumberString, goParseNumber } from './gonum.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Fn = (Ls: any) => number;

const TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];

function gotName(Ls: any, i: number): string {
  const t = lua.lua_type(Ls, i);
  return t < 0 ? 'nil' : (TYPE_NAMES[t] ?? 'userdata');
}

function raise(Ls: any, msg: string): never {
  return gopherRaise(Ls, msg);
}

/** auxlib.go CheckString: a string or a number. */
function checkString(Ls: any, i: number, fn: string): string {
  const t = lua.lua_type(Ls, i);
  if (t !== lua.LUA_TSTRING && t !== lua.LUA_TNUMBER) raise(Ls, `bad argument #${i} to ${fn} (string expected, got ${gotName(Ls, i)})`);
  if (t === lua.LUA_TNUMBER) return goNumberString(lua.lua_tonumber(Ls, i));
  return lua.lua_tojsstring(Ls, i);
}

/** auxlib.go CheckInt64: a number, truncated (int64 conversion). */
function checkInt64(Ls: any, i: number, fn: string): number {
  if (lua.lua_type(Ls, i) !== lua.LUA_TNUMBER) raise(Ls, `bad argument #${i} to ${fn} (number expected, got ${gotName(Ls, i)})`);
  const v = lua.lua_tonumber(Ls, i);
  return Number.isFinite(v) ? Math.trunc(v) : -9223372036854775808;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  wday: number; // 0 = Sunday
}

function fieldsOf(unixSeconds: number): Fields {
  const d = new Date(unixSeconds * 1000);
  if (Number.isNaN(d.getTime())) return { year: 1970, month: 1, day: 1, hour: 0, min: 0, sec: 0, wday: 4 };
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    min: d.getUTCMinutes(),
    sec: d.getUTCSeconds(),
    wday: d.getUTCDay(),
  };
}

const p2 = (n: number) => String(n).padStart(2, '0');

function goYear(y: number): string {
  // time.Format "2006": at least four digits, a sign for negative years.
  return y < 0 ? `-${String(-y).padStart(4, '0')}` : String(y).padStart(4, '0');
}

/** utils.go cDateFlagToGo, each layout printed as time.Format prints it in UTC. */
function spec(c: string, f: Fields): string | undefined {
  const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  switch (c) {
    case 'a':
      return 'mon'; // the layout "mon" has no Go layout element
    case 'A':
      return DAYS[f.wday];
    case 'b':
      return MONTHS[f.month - 1]!.slice(0, 3);
    case 'B':
      return MONTHS[f.month - 1];
    case 'c':
      return `${p2(f.day)} ${MONTHS[f.month - 1]!.slice(0, 3)} ${p2(((f.year % 100) + 100) % 100)} ${p2(f.hour)}:${p2(f.min)} UTC`;
    case 'd':
      return p2(f.day);
    case 'F':
      return `${goYear(f.year)}-${p2(f.month)}-${p2(f.day)}`;
    case 'H':
      return p2(f.hour);
    case 'I':
      return p2(h12);
    case 'm':
      return p2(f.month);
    case 'M':
      return p2(f.min);
    case 'p':
      return f.hour >= 12 ? 'PM' : 'AM';
    case 'P':
      return f.hour >= 12 ? 'pm' : 'am';
    case 'S':
      return p2(f.sec);
    case 'x':
      return `${p2(f.hour)}/${p2(f.min)}/${p2(f.sec)}`; // layout "15/04/05"
    case 'X':
      return `${p2(f.hour)}:${p2(f.min)}:${p2(f.sec)}`;
    case 'y':
      return p2(((f.year % 100) + 100) % 100);
    case 'Y':
      return goYear(f.year);
    case 'z':
      return '+0000';
    case 'Z':
      return 'UTC';
    case 'w':
      return String(f.wday);
    default:
      return undefined;
  }
}

/** utils.go strftime with its flagScanner ('%%' is '%', a '%' at the very end stays). */
function goStrftime(f: Fields, cfmt: string): string {
  let out = '';
  for (let i = 0; i < cfmt.length; i++) {
    const ch = cfmt[i]!;
    if (ch !== '%') {
      out += ch;
      continue;
    }
    if (cfmt[i + 1] === '%') {
      out += '%';
      i++;
      continue;
    }
    if (i === cfmt.length - 1) {
      out += '%';
      continue;
    }
    const c = cfmt[++i]!;
    out += spec(c, f) ?? `%${c}`;
  }
  return out;
}

function pushDateTable(Ls: any, f: Fields): void {
  lua.lua_createtable(Ls, 0, 9);
  const set = (k: string, v: number) => {
    lua.lua_pushnumber(Ls, v);
    lua.lua_setfield(Ls, -2, to_luastring(k));
  };
  set('year', f.year);
  set('month', f.month);
  set('day', f.day);
  set('hour', f.hour);
  set('min', f.min);
  set('sec', f.sec);
  set('wday', f.wday + 1);
  set('yday', 0); // "TODO yday & dst" in oslib.go
  lua.lua_pushboolean(Ls, false);
  lua.lua_setfield(Ls, -2, to_luastring('isdst'));
}

function dateFn(Ls: any): number {
  let t = Math.floor(Date.now() / 1000);
  let cfmt = '%c';
  if (lua.lua_gettop(Ls) >= 1) {
    cfmt = checkString(Ls, 1, 'date');
    cfmt = cfmt.replace(/^!+/, ''); // strings.TrimLeft(cfmt, "!"); UTC is also local here
    if (lua.lua_gettop(Ls) >= 2) t = checkInt64(Ls, 2, 'date');
    if (cfmt.startsWith('*t')) {
      pushDateTable(Ls, fieldsOf(t));
      return 1;
    }
  }
  lua.lua_pushstring(Ls, to_luastring(goStrftime(fieldsOf(t), cfmt)));
  return 1;
}

function getIntField(Ls: any, key: string, dflt: number, strings: boolean): number {
  lua.lua_pushstring(Ls, to_luastring(key));
  lua.lua_rawget(Ls, 1);
  const t = lua.lua_type(Ls, -1);
  let v = dflt;
  if (t === lua.LUA_TNUMBER) v = Math.trunc(lua.lua_tonumber(Ls, -1));
  else if (t === lua.LUA_TSTRING && strings) {
    let s = lua.lua_tojsstring(Ls, -1).replace(/^ +/, '');
    if (s.startsWith('0') && !/^0[xX]/.test(s)) s = s.replace(/^0+/, '') || '0';
    const n = goParseNumber(s);
    if (n !== undefined) v = Math.trunc(n);
  }
  lua.lua_pop(Ls, 1);
  return v;
}

/** time.Date(year, month, day, hour, min, sec, 0, UTC).Unix(), with Go's normalisation. */
function goDateUnix(year: number, month: number, day: number, hour: number, min: number, sec: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, min, sec, 0);
  return Math.floor(d.getTime() / 1000);
}

function timeFromTable(Ls: any, strings: boolean): number {
  const sec = getIntField(Ls, 'sec', 0, strings);
  const min = getIntField(Ls, 'min', 0, strings);
  const hour = getIntField(Ls, 'hour', 12, strings);
  const day = getIntField(Ls, 'day', -1, strings);
  const month = getIntField(Ls, 'month', -1, strings);
  const year = getIntField(Ls, 'year', -1, strings);
  return goDateUnix(year, month, day, hour, min, sec);
}

/** gopher-lua oslib.go osTime: CheckAny(1); nil is now; a table's string fields are read too. */
const gopherTime: Fn = (Ls) => {
  if (lua.lua_gettop(Ls) === 0 || lua.lua_isnil(Ls, 1)) {
    lua.lua_pushnumber(Ls, Math.floor(Date.now() / 1000));
    return 1;
  }
  if (lua.lua_type(Ls, 1) !== lua.LUA_TTABLE) raise(Ls, `bad argument #1 to time (table expected, got ${gotName(Ls, 1)})`);
  lua.lua_pushnumber(Ls, timeFromTable(Ls, true));
  return 1;
};

/** Argo CD oslib_safe.go osTime: no argument is now; otherwise CheckTable(1); numbers only. */
const argoTime: Fn = (Ls) => {
  if (lua.lua_gettop(Ls) === 0) {
    lua.lua_pushnumber(Ls, Math.floor(Date.now() / 1000));
    return 1;
  }
  if (lua.lua_type(Ls, 1) !== lua.LUA_TTABLE) raise(Ls, `bad argument #1 to time (table expected, got ${gotName(Ls, 1)})`);
  lua.lua_pushnumber(Ls, timeFromTable(Ls, false));
  return 1;
};

/** oslib.go osDiffTime: CheckInt64(1) - CheckInt64(2). */
const gopherDifftime: Fn = (Ls) => {
  lua.lua_pushnumber(Ls, checkInt64(Ls, 1, 'difftime') - checkInt64(Ls, 2, 'difftime'));
  return 1;
};

export const gopherOs = { date: dateFn as Fn, time: gopherTime, difftime: gopherDifftime };
export const argoSafeOs = { date: dateFn as Fn, time: argoTime };
