// The docs are split over README.md, docs/*.md and the top-level guides: every relative link
// and every #anchor between them must resolve, so moving a section cannot leave a dead link.
// Anchors are GitHub's heading ids (github-slugger's rules: lower case, punctuation and symbols
// dropped, each space a hyphen, repeated ids numbered -1, -2, ...), plus explicit
// <a id="..."> / <a name="..."> anchors (docs/rules.md has one per finding id).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');

/** GitHub's id for a heading's text (as github-slugger computes it from the rendered text). */
function slug(heading: string): string {
  const text = heading
    .replace(/<[^>]*>/g, '') // inline HTML
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images keep their text
    .replace(/`([^`]*)`/g, '$1'); // code spans keep their text
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The lines outside fenced code blocks, with their 1-based numbers. */
function proseLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let fence: string | undefined;
  text.split('\n').forEach((l, i) => {
    const m = /^\s*(`{3,}|~{3,})/.exec(l);
    if (m) {
      if (fence === undefined) fence = m[1]!;
      else if (m[1]![0] === fence[0] && m[1]!.length >= fence.length) fence = undefined;
      return;
    }
    if (fence === undefined) out.push({ line: i + 1, text: l });
  });
  return out;
}

/** Every anchor a Markdown text defines: heading ids (numbered when repeated) and <a id/name>. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const { text: l } of proseLines(text)) {
    const h = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(l);
    if (h) {
      const base = slug(h[1]!);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      out.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const a of l.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) out.add(a[1]!);
  }
  return out;
}

/** Every link target in a Markdown text, outside code: [text](target) and <a href="target">. */
function links(text: string): { line: number; target: string }[] {
  const out: { line: number; target: string }[] = [];
  for (const { line, text: l } of proseLines(text)) {
    const prose = l.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ line, target: m[1]! });
    for (const m of prose.matchAll(/<a\s+[^>]*href="([^"]+)"/g)) out.push({ line, target: m[1]! });
  }
  return out;
}

/** The links of `file` (absolute) that do not resolve, as `file:line: target (why)`. */
function brokenLinks(file: string, root = ROOT): string[] {
  const read = (f: string) => readFileSync(f, 'utf8');
  const broken: string[] = [];
  const name = relative(root, file);
  for (const { line, target } of links(read(file))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, ...
    const hash = target.indexOf('#');
    const path = hash < 0 ? target : target.slice(0, hash);
    const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
    const dest = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
    if (!existsSync(dest)) {
      broken.push(`${name}:${line}: ${target} (no such file)`);
      continue;
    }
    if (anchor === undefined) continue;
    if (statSync(dest).isDirectory() || !dest.endsWith('.md')) {
      broken.push(`${name}:${line}: ${target} (an anchor in a file that is not Markdown)`);
      continue;
    }
    if (!anchors(read(dest)).has(anchor)) broken.push(`${name}:${line}: ${target} (no heading or anchor #${anchor})`);
  }
  return broken;
}

/** README.md, the top-level guides, docs/*.md, bench/ and examples/ READMEs. */
function markdownFiles(): string[] {
  const inDir = (d: string) =>
    readdirSync(join(ROOT, d))
      .filter((f) => f.endsWith('.md'))
      .map((f) => join(ROOT, d, f));
  return [
    ...inDir('.'),
    ...inDir('docs'),
    ...inDir('bench'),
    join(ROOT, 'examples', 'ameide', 'README.md'),
    join(ROOT, 'test', 'schemas', 'README.md'),
  ].sort();
}

describe('the link checker', () => {
  it('computes GitHub heading ids', () => {
    expect(slug('`wavegate check [CATALOG] [--env ENV] [--format text|json|sarif|github] [--suggest] [--quiet] [--max-warnings N]`')).toBe(
      'wavegate-check-catalog---env-env---format-textjsonsarifgithub---suggest---quiet---max-warnings-n',
    );
    expect(slug('Chart-level waits (`chart-wait-hook`)')).toBe('chart-level-waits-chart-wait-hook');
    expect(slug("Choosing where a kind's check comes from (`health:` in `wavegate.yaml`)")).toBe(
      'choosing-where-a-kinds-check-comes-from-health-in-wavegateyaml',
    );
    expect(slug('`health_test.yaml` [format](x.md)')).toBe('health_testyaml-format');
  });

  it('numbers repeated headings and ignores headings inside code blocks', () => {
    const a = anchors('# Usage\n\n## Usage\n\n```yaml\n# not a heading\n```\n<a id="x-y"></a>\n');
    expect([...a].sort()).toEqual(['usage', 'usage-1', 'x-y']);
  });

  it('reports a missing file, a missing anchor, and nothing for a good link', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wavegate-docs-'));
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'README.md'), '# Top\n\n## Set up\n');
    writeFileSync(
      join(dir, 'docs', 'a.md'),
      '# A\n\nsee [b](../README.md#no-such-part), [c](missing.md), [self](#a), [up](../README.md#set-up), `[code](#skipped)`, [web](https://example.com/#x)\n\n```md\n[in code](#nowhere)\n```\n[d](#b)\n',
    );
    try {
      expect(brokenLinks(join(dir, 'docs', 'a.md'), dir)).toEqual([
        'docs/a.md:3: ../README.md#no-such-part (no heading or anchor #no-such-part)',
        'docs/a.md:3: missing.md (no such file)',
        'docs/a.md:8: #b (no heading or anchor #b)',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('docs', () => {
  const files = markdownFiles();

  it('covers the README, the guides and docs/', () => {
    const names = files.map((f) => relative(ROOT, f));
    for (const f of [
      'README.md',
      'ARCHITECTURE.md',
      'CONTRIBUTING.md',
      'SECURITY.md',
      'docs/rules.md',
      'docs/catalog.md',
      'bench/README.md',
    ])
      expect(names).toContain(f);
  });

  it('every relative link and #anchor resolves', () => {
    expect(files.flatMap((f) => brokenLinks(f))).toEqual([]);
  });

  it('every docs/ page is linked from the README', () => {
    const readme = links(readFileSync(join(ROOT, 'README.md'), 'utf8')).map((l) => l.target.split('#')[0]);
    const pages = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));
    for (const p of pages) expect(readme, p).toContain(`docs/${p}`);
  });
});
