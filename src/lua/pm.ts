/**
 * gopher-lua's Lua pattern matcher (pm/pm.go), which string.find, match, gmatch and gsub use
 * (stringlib.go). It is not Lua's matcher: the pattern is parsed and compiled first (so a
 * malformed pattern fails with pm's own texts, `unexpected EOS at 1`, `invalid ')' at 0`,
 * `unfinished capture at EOS`, even when nothing would be matched), then run by a backtracking
 * VM anchored at each start position. Its own rules: no frontier `%f` (an escaped `f`), a final
 * `%` or an incomplete `%b` is a class that matches nothing, `[%a-z]` has a range that matches
 * nothing, a quantifier after a non-single item is a literal, `$` anchors only as the last
 * character. This is a line-for-line port; the VM keeps its choice points on an explicit stack
 * (Go's recursion, with the same limit of 1,000,000 levels: "pattern/input too complex").
 */

const EOS = -1;
const UNKNOWN = -2;
const MAX_RECURSION = 1000000;

export class PmError extends Error {
  constructor(pos: number, msg: string) {
    super(pos === EOS ? `${msg} at EOS` : pos === UNKNOWN ? msg : `${msg} at ${pos}`);
  }
}

// ---- scanner

class Scanner {
  pos = 0;
  started = false;
  savedPos = 0;
  savedStarted = false;
  constructor(readonly src: Uint8Array) {}
  length(): number {
    return this.src.length;
  }
  next(): number {
    if (!this.started) {
      this.started = true;
      if (this.src.length === 0) this.pos = EOS;
    } else this.pos = this.nextPos();
    if (this.pos === EOS) return EOS;
    return this.src[this.pos]!;
  }
  nextPos(): number {
    if (this.pos === EOS || this.pos >= this.src.length - 1) return EOS;
    return this.started ? this.pos + 1 : 0;
  }
  peek(): number {
    const cureof = this.pos === EOS;
    const ch = this.next();
    if (!cureof) {
      if (this.pos === EOS) this.pos = this.src.length - 1;
      else {
        this.pos--;
        if (this.pos < 0) {
          this.pos = 0;
          this.started = false;
        }
      }
    }
    return ch;
  }
  save(): void {
    this.savedPos = this.pos;
    this.savedStarted = this.started;
  }
  restore(): void {
    this.pos = this.savedPos;
    this.started = this.savedStarted;
  }
}

// ---- classes

type Class =
  | { k: 'dot' }
  | { k: 'char'; ch: number }
  | { k: 'single'; cls: number }
  | { k: 'set'; not: boolean; classes: Class[] }
  | { k: 'range'; begin: Class; end: Class };

const A = (c: string): number => c.charCodeAt(0);

function singleMatches(cls: number, ch: number): boolean {
  let ret: boolean;
  switch (cls) {
    case A('a'):
    case A('A'):
      ret = (ch >= 0x41 && ch <= 0x5a) || (ch >= 0x61 && ch <= 0x7a);
      break;
    case A('c'):
    case A('C'):
      ret = (ch >= 0 && ch <= 0x1f) || ch === 0x7f;
      break;
    case A('d'):
    case A('D'):
      ret = ch >= 0x30 && ch <= 0x39;
      break;
    case A('l'):
    case A('L'):
      ret = ch >= 0x61 && ch <= 0x7a;
      break;
    case A('p'):
    case A('P'):
      ret = (ch >= 0x21 && ch <= 0x2f) || (ch >= 0x3a && ch <= 0x40) || (ch >= 0x5b && ch <= 0x60) || (ch >= 0x7b && ch <= 0x7e);
      break;
    case A('s'):
    case A('S'):
      ret = ch === 0x20 || ch === 0x0c || ch === 0x0a || ch === 0x0d || ch === 0x09 || ch === 0x0b;
      break;
    case A('u'):
    case A('U'):
      ret = ch >= 0x41 && ch <= 0x5a;
      break;
    case A('w'):
    case A('W'):
      ret = (ch >= 0x30 && ch <= 0x39) || (ch >= 0x41 && ch <= 0x5a) || (ch >= 0x61 && ch <= 0x7a);
      break;
    case A('x'):
    case A('X'):
      ret = (ch >= 0x30 && ch <= 0x39) || (ch >= 0x61 && ch <= 0x66) || (ch >= 0x41 && ch <= 0x46);
      break;
    case A('z'):
    case A('Z'):
      ret = ch === 0;
      break;
    default:
      return ch === cls;
  }
  return cls >= 0x41 && cls <= 0x5a ? !ret : ret;
}

function matches(c: Class, ch: number): boolean {
  switch (c.k) {
    case 'dot':
      return true;
    case 'char':
      return c.ch === ch;
    case 'single':
      return singleMatches(c.cls, ch);
    case 'set':
      for (const x of c.classes) if (matches(x, ch)) return !c.not;
      return c.not;
    case 'range':
      if (c.begin.k !== 'char' || c.end.k !== 'char') return false;
      return c.begin.ch <= ch && ch <= c.end.ch;
  }
}

// ---- patterns

type Pattern =
  | { k: 'single'; cls: Class }
  | { k: 'seq'; head: boolean; tail: boolean; items: Pattern[] }
  | { k: 'repeat'; type: number; cls: Class }
  | { k: 'poscap' }
  | { k: 'cap'; pat: Pattern }
  | { k: 'number'; n: number }
  | { k: 'brace'; begin: number; end: number };

function parseClass(sc: Scanner, allowset: boolean): Class {
  const ch = sc.next();
  switch (ch) {
    case A('%'):
      return { k: 'single', cls: sc.next() };
    case A('.'):
      return allowset ? { k: 'dot' } : { k: 'char', ch };
    case A('['):
      return allowset ? parseClassSet(sc) : { k: 'char', ch };
    case EOS:
      throw new PmError(sc.pos, 'unexpected EOS');
    default:
      return { k: 'char', ch };
  }
}

function parseClassSet(sc: Scanner): Class {
  const set: { k: 'set'; not: boolean; classes: Class[] } = { k: 'set', not: false, classes: [] };
  if (sc.peek() === A('^')) {
    set.not = true;
    sc.next();
  }
  let isrange = false;
  for (;;) {
    const ch = sc.peek();
    if (ch === EOS) throw new PmError(sc.pos, 'unexpected EOS');
    if (ch === A(']') && set.classes.length > 0) {
      sc.next();
      break;
    }
    if ((ch === A(']') || ch === A('-')) && set.classes.length > 0) {
      // ']' with classes was handled above; '-' after a class starts a range
      sc.next();
      isrange = true;
      continue;
    }
    set.classes.push(parseClass(sc, false));
    if (isrange) {
      const begin = set.classes[set.classes.length - 2]!;
      const end = set.classes[set.classes.length - 1]!;
      set.classes.length -= 2;
      set.classes.push({ k: 'range', begin, end });
      isrange = false;
    }
  }
  if (isrange) set.classes.push({ k: 'char', ch: A('-') });
  return set;
}

function parsePattern(sc: Scanner, toplevel: boolean): Pattern & { k: 'seq' } {
  const pat: Pattern & { k: 'seq' } = { k: 'seq', head: false, tail: false, items: [] };
  if (toplevel && sc.peek() === A('^')) {
    sc.next();
    pat.head = true;
  }
  for (;;) {
    const ch = sc.peek();
    switch (ch) {
      case A('%'): {
        sc.save();
        sc.next();
        const c = sc.peek();
        if (c === A('0')) throw new PmError(sc.pos, 'invalid capture index');
        if (c >= A('1') && c <= A('9')) pat.items.push({ k: 'number', n: sc.next() - 48 });
        else if (c === A('b')) {
          sc.next();
          const begin = sc.next();
          const end = sc.next();
          pat.items.push({ k: 'brace', begin, end });
        } else {
          sc.restore();
          pat.items.push({ k: 'single', cls: parseClass(sc, true) });
        }
        break;
      }
      case A('.'):
      case A('['):
      case A(']'):
        pat.items.push({ k: 'single', cls: parseClass(sc, true) });
        break;
      case A(')'):
        if (toplevel) throw new PmError(sc.pos, "invalid ')'");
        return pat;
      case A('('): {
        sc.next();
        if (sc.peek() === A(')')) {
          sc.next();
          pat.items.push({ k: 'poscap' });
        } else {
          const inner = parsePattern(sc, false);
          if (sc.peek() !== A(')')) throw new PmError(sc.pos, 'unfinished capture');
          sc.next();
          pat.items.push({ k: 'cap', pat: inner });
        }
        break;
      }
      case A('*'):
      case A('+'):
      case A('-'):
      case A('?'): {
        sc.next();
        const last = pat.items[pat.items.length - 1];
        if (last !== undefined && last.k === 'single') {
          pat.items[pat.items.length - 1] = { k: 'repeat', type: ch, cls: last.cls };
          continue;
        }
        pat.items.push({ k: 'single', cls: { k: 'char', ch } });
        break;
      }
      case A('$'):
        if (toplevel && (sc.nextPos() === sc.length() - 1 || sc.nextPos() === EOS)) pat.tail = true;
        else pat.items.push({ k: 'single', cls: { k: 'char', ch } });
        sc.next();
        break;
      case EOS:
        sc.next();
        return pat;
      default:
        sc.next();
        pat.items.push({ k: 'single', cls: { k: 'char', ch } });
    }
  }
}

// ---- compiler

const OP_CHAR = 0;
const OP_MATCH = 1;
const OP_TAILMATCH = 2;
const OP_JMP = 3;
const OP_SPLIT = 4;
const OP_SAVE = 5;
const OP_PSAVE = 6;
const OP_BRACE = 7;
const OP_NUMBER = 8;

interface Inst {
  op: number;
  cls?: Class;
  a: number;
  b: number;
}

function compile(p: Pattern, insts: Inst[], ptr: { capture: number }): void {
  switch (p.k) {
    case 'single':
      insts.push({ op: OP_CHAR, cls: p.cls, a: -1, b: -1 });
      break;
    case 'seq':
      for (const c of p.items) compile(c, insts, ptr);
      break;
    case 'repeat': {
      const idx = insts.length;
      if (p.type === A('*'))
        insts.push({ op: OP_SPLIT, a: idx + 1, b: idx + 3 }, { op: OP_CHAR, cls: p.cls, a: -1, b: -1 }, { op: OP_JMP, a: idx, b: -1 });
      else if (p.type === A('+')) insts.push({ op: OP_CHAR, cls: p.cls, a: -1, b: -1 }, { op: OP_SPLIT, a: idx, b: idx + 2 });
      else if (p.type === A('-'))
        insts.push({ op: OP_SPLIT, a: idx + 3, b: idx + 1 }, { op: OP_CHAR, cls: p.cls, a: -1, b: -1 }, { op: OP_JMP, a: idx, b: -1 });
      else insts.push({ op: OP_SPLIT, a: idx + 1, b: idx + 2 }, { op: OP_CHAR, cls: p.cls, a: -1, b: -1 });
      break;
    }
    case 'poscap':
      insts.push({ op: OP_PSAVE, a: ptr.capture, b: -1 });
      ptr.capture += 2;
      break;
    case 'cap': {
      const c0 = ptr.capture;
      const c1 = ptr.capture + 1;
      ptr.capture += 2;
      insts.push({ op: OP_SAVE, a: c0, b: -1 });
      compile(p.pat, insts, ptr);
      insts.push({ op: OP_SAVE, a: c1, b: -1 });
      break;
    }
    case 'brace':
      insts.push({ op: OP_BRACE, a: p.begin, b: p.end });
      break;
    case 'number':
      insts.push({ op: OP_NUMBER, a: p.n, b: -1 });
      break;
  }
}

// ---- VM

/** Captured positions, as pm's MatchData: pos*2, +1 for a position capture. */
export class MatchData {
  captures: number[] = [];
  addPosCapture(s: number, pos: number): void {
    while (s + 1 >= this.captures.length) this.captures.push(0);
    this.captures[s] = pos * 2 + 1;
    this.captures[s + 1] = pos * 2 + 1;
  }
  setCapture(s: number, pos: number): number {
    while (s >= this.captures.length) this.captures.push(0);
    const v = this.captures[s]!;
    this.captures[s] = pos * 2;
    return v;
  }
  get length(): number {
    return this.captures.length;
  }
  isPos(i: number): boolean {
    return this.captures[i]! % 2 === 1;
  }
  at(i: number): number {
    return Math.floor(this.captures[i]! / 2);
  }
}

/** Reports VM work (the evaluation deadline); may throw to stop the match. */
export type Step = (cost: number) => void;
const STEP_EVERY = 1024;

function run(src: Uint8Array, insts: Inst[], sp: number, step: Step, budget: { n: number }): [boolean, number, MatchData] {
  const m = new MatchData();
  // choice points: [kind, a, b]: 0 = split (resume pc a at sp b), 1 = save (restore slot a to b)
  const stack: number[] = [];
  let depth = 1;
  let pc = 0;
  const len = src.length;
  for (;;) {
    if (--budget.n <= 0) {
      budget.n = STEP_EVERY;
      step(STEP_EVERY);
    }
    const ins = insts[pc]!;
    let ok = true;
    switch (ins.op) {
      case OP_CHAR:
        if (sp >= len || !matches(ins.cls!, src[sp]!)) ok = false;
        else {
          pc++;
          sp++;
        }
        break;
      case OP_MATCH:
        return [true, sp, m];
      case OP_TAILMATCH:
        if (sp >= len) return [true, sp, m];
        ok = false;
        break;
      case OP_JMP:
        pc = ins.a;
        break;
      case OP_SPLIT:
        if (++depth > MAX_RECURSION) throw new PmError(UNKNOWN, 'pattern/input too complex');
        stack.push(0, ins.b, sp);
        pc = ins.a;
        break;
      case OP_SAVE: {
        if (++depth > MAX_RECURSION) throw new PmError(UNKNOWN, 'pattern/input too complex');
        const old = m.setCapture(ins.a, sp);
        stack.push(1, ins.a, old);
        pc++;
        break;
      }
      case OP_PSAVE:
        m.addPosCapture(ins.a, sp + 1);
        pc++;
        break;
      case OP_BRACE: {
        if (sp >= len || src[sp] !== ins.a) {
          ok = false;
          break;
        }
        let count = 1;
        let found = false;
        for (sp = sp + 1; sp < len; sp++) {
          if (src[sp] === ins.b) count--;
          if (count === 0) {
            pc++;
            sp++;
            found = true;
            break;
          }
          if (src[sp] === ins.a) count++;
        }
        if (!found) ok = false;
        break;
      }
      case OP_NUMBER: {
        const idx = ins.a * 2;
        if (idx >= m.length - 1) throw new PmError(UNKNOWN, 'invalid capture index');
        const from = m.at(idx);
        const to = m.at(idx + 1);
        if (to < from) throw new PmError(UNKNOWN, 'invalid capture index'); // Go: a slice out of range
        for (let i = from; i < to; i++) {
          if (sp + (i - from) >= len || src[i] !== src[sp + (i - from)]) {
            ok = false;
            break;
          }
        }
        if (ok) {
          pc++;
          sp += to - from;
        }
        break;
      }
    }
    if (ok) continue;
    // backtrack: saves restore their slot, the nearest split resumes its second branch
    for (;;) {
      if (stack.length === 0) return [false, sp, m];
      const b = stack.pop()!;
      const a = stack.pop()!;
      const kind = stack.pop()!;
      depth--;
      if (kind === 1) {
        m.captures[a] = b;
        continue;
      }
      pc = a;
      sp = b;
      break;
    }
  }
}

interface Compiled {
  insts: Inst[];
  head: boolean;
}
const cache = new Map<string, Compiled>();

function compilePattern(p: Uint8Array): Compiled {
  const key = String.fromCharCode(...(p.length > 4096 ? [] : p));
  const hit = p.length <= 4096 ? cache.get(key) : undefined;
  if (hit) return hit;
  const pat = parsePattern(new Scanner(p), true);
  const insts: Inst[] = [{ op: OP_SAVE, a: 0, b: -1 }];
  compile(pat, insts, { capture: 2 });
  if (pat.tail) insts.push({ op: OP_SAVE, a: 1, b: -1 }, { op: OP_TAILMATCH, a: -1, b: -1 });
  insts.push({ op: OP_SAVE, a: 1, b: -1 }, { op: OP_MATCH, a: -1, b: -1 });
  const c = { insts, head: pat.head };
  if (p.length <= 4096) {
    if (cache.size > 512) cache.clear();
    cache.set(key, c);
  }
  return c;
}

/** pm.go Find: the matches from `offset`, at most `limit` (-1: all); throws PmError. */
export function pmFind(p: Uint8Array, src: Uint8Array, offset: number, limit: number, step: Step): MatchData[] {
  const { insts, head } = compilePattern(p);
  const out: MatchData[] = [];
  const budget = { n: STEP_EVERY };
  for (let sp = offset; sp <= src.length; ) {
    const [ok, nsp, m] = run(src, insts, sp, step, budget);
    sp++;
    if (ok) {
      if (sp < nsp) sp = nsp;
      out.push(m);
    }
    if (out.length === limit || head) break;
  }
  return out;
}
