/**
 * Names taken from the file system (environment and component folder names) reach shell
 * scripts, YAML comments, Lua, DOT and Mermaid. The loader refuses names with control
 * characters (finding `unsafe-name`); the writers escape them as well, so no name can end a
 * comment line, a quoted string or a label early, whatever path it took.
 */

/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function hasControlCharacter(s: string): boolean {
  return CONTROL_CHARACTER.test(s);
}

/** `s` with each control character written as an escape (`\n`, `\t`, `\r`, `\x01`, `\u2028`): one line. */
export function escapeControl(s: string): string {
  return s.replace(CONTROL_CHARACTERS, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    const code = ch.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
