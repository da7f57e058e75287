/**
 * Patch `string-keys` (fidelity): a string's table key and comparison key (TString `hash`).
 *
 * fengari keys tables by a string's "hash" ("|" and each byte in hex without padding) and
 * compares strings by it (lvm.js l_strcmp), so a byte below 0x10 breaks both: "\n" < "0" is
 * false, "\1#" and "\18\3" are the same key. gopher-lua compares bytes (vm.go strCmp) and keys
 * by the string. Two digits per byte keep the order of bytes and tell every string apart;
 * for strings without such bytes the hash is fengari's own. The constructor's `this.hash =
 * null` goes through this setter, the hash is computed on first use.
 *
 * Process-wide: a string's hash is computed once and keys every table it is put in, inside an
 * evaluation or not, so it cannot change between evaluations. It only fixes fengari's own
 * mix-ups (wavegate runs no other fengari code).
 */
import './version.js'; // first: refuses a fengari these patches were not written for
import { lstring } from './internals.js';

/** Two hex digits per byte. */
const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function install(): void {
  Object.defineProperty(lstring.TString.prototype, 'hash', {
    configurable: true,
    get(this: { h2?: string; realstring: Uint8Array }) {
      let h = this.h2;
      if (h === undefined) {
        h = '|';
        const b = this.realstring;
        for (let i = 0; i < b.length; i++) h += HEX_BYTE[b[i]!];
        this.h2 = h;
      }
      return h;
    },
    set(this: { h2?: string }, v: string | null) {
      this.h2 = v === null ? undefined : v;
    },
  });
}
