/**
 * A bound on the nesting of a YAML text, found by one scan before any parser runs: YAML
 * parsers (and the schema validator and every walk after them) recurse once per level, and
 * 1,000 nested block mappings overflowed the stack of `yaml` ("Maximum call stack size
 * exceeded" as a syntax error) while 2,000 crashed wavegate. A real catalog file nests a
 * handful of levels; a text nesting deeper than MAX_YAML_DEPTH is refused with its line.
 *
 * The scan counts, per line, the block levels open (the stack of indentations of the
 * lines above that are less indented), the sequence entries that start on the line (`- - x`),
 * and flow brackets (`[`, `{`) that open a collection (after `:`, `-`, `,`, `?`, another bracket
 * or at the start of a value, outside quotes and comments). Block scalar (`|`, `>`) contents
 * are skipped. It may count a level too many in unusual layouts, never too few for the usual
 * ones; the bound is far above what any catalog needs.
 */

export const MAX_YAML_DEPTH = 100;

/** The first line whose nesting exceeds `max`, or undefined. */
export function deepNesting(text: string, max = MAX_YAML_DEPTH): { line: number; depth: number } | undefined {
  // Each level the scan counts comes from a line (a deeper indentation), a flow bracket or a
  // `-`/`?` entry marker: a text with fewer of those in all than `max` cannot exceed it, and
  // counting them is far cheaper than the scan (every component file of a catalog passes here).
  let bound = 1;
  for (let k = 0; k < text.length && bound <= max; k++) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 91 || c === 123 || c === 45 || c === 63) bound++; // \n [ { - ?
  }
  if (bound <= max) return undefined;
  const indents: number[] = [];
  let flow = 0; // open flow brackets carried over lines
  let blockScalarParent = -1; // indentation of the line that opened a block scalar
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const line = text.slice(start, end);
    start = end + 1;
    let i = 0;
    while (i < line.length && line.charCodeAt(i) === 32) i++;
    const blank = i >= line.length || line[i] === '#' || line[i] === '\r' || line[i] === '\t';
    if (blockScalarParent >= 0) {
      if (blank || i > blockScalarParent) continue;
      blockScalarParent = -1;
    }
    if (blank) {
      if (end >= text.length) break;
      continue;
    }
    if (flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1]! >= i) indents.pop();
      indents.push(i);
    }
    let depth = indents.length + flow;
    // sequence entries and explicit keys starting this line: `- - - x`, `? x`
    let j = i;
    while (j + 1 < line.length && (line[j] === '-' || line[j] === '?') && (line[j + 1] === ' ' || line[j + 1] === '\t')) {
      depth++;
      j += 2;
      while (j < line.length && line[j] === ' ') j++;
    }
    if (depth > max) return { line: lineNo, depth };
    // flow brackets and the end of the line (a block scalar header)
    let quote = '';
    let prev = j > i ? '-' : ''; // last significant character
    for (let k = j; k < line.length; k++) {
      const ch = line[k]!;
      if (quote) {
        if (ch === quote) {
          if (quote === "'" && line[k + 1] === "'") k++;
          else quote = '';
        } else if (ch === '\\' && quote === '"') k++;
        continue;
      }
      if (ch === '#' && (k === 0 || line[k - 1] === ' ' || line[k - 1] === '\t')) break;
      if ((ch === '"' || ch === "'") && (prev === '' || ':-,[{?'.includes(prev))) {
        quote = ch;
        prev = ch;
        continue;
      }
      if ((ch === '[' || ch === '{') && (prev === '' || ':-,[{?'.includes(prev))) {
        flow++;
        if (++depth > max) return { line: lineNo, depth };
      } else if ((ch === ']' || ch === '}') && flow > 0) {
        flow--;
        depth--;
      }
      if (ch !== ' ' && ch !== '\t') prev = ch;
    }
    if (flow === 0 && /(?:^|[\s:-])[|>][-+0-9]*\s*(?:#.*)?\r?$/.test(line.slice(j))) blockScalarParent = i;
    if (end >= text.length) break;
  }
  return undefined;
}
