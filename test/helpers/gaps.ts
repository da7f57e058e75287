import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The backlog 382 "before" fixture and its environments. */
export const BEFORE = join(__dirname, '..', 'fixtures', 'backlog-382-before');
export const BEFORE_ENVS = ['dev', 'prod', 'staging'];

export interface Gap {
  id: number;
  /** What the document says. */
  says: string;
  rule: string;
  envs?: string[];
  /** consumer -> related names (empty: any finding of the rule for that component). */
  findings: { component: string; related: string[] }[];
  files: string[];
}

/** The table of test/fixtures/backlog-382-before/GAPS.md, one row a gap. */
export function readGaps(): Gap[] {
  return readFileSync(join(BEFORE, 'GAPS.md'), 'utf8')
    .split('\n')
    .filter((l) => /^\| \d+ \|/.test(l))
    .map((l) => {
      const cells = l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      if (cells.length !== 6) throw new Error(`GAPS.md: expected 6 cells, got ${cells.length}: ${l}`);
      const [id, says, rule, env, findings, files] = cells as [string, string, string, string, string, string];
      return {
        id: Number(id),
        says,
        rule,
        envs: env === '-' ? undefined : env === 'all' ? BEFORE_ENVS : env.split(',').map((e) => e.trim()),
        findings:
          findings === '-'
            ? []
            : findings.split(';').map((p) => {
                const [component, related] = p.split('->').map((x) => x.trim());
                return { component: component!, related: related ? related.split(',').map((x) => x.trim()) : [] };
              }),
        files: files.split(',').map((f) => f.trim().replace(/^S\//, 'environments/_shared/components/')),
      };
    });
}
