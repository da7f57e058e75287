import { basename, join, relative } from 'node:path';
import { Option, type Command } from 'commander';
import { countBySeverity, findingToJson } from '../../findings.js';
import { paint, useColor } from '../../report/color.js';
import { formatFindingsText } from '../../report/findings-text.js';
import { TESTS_DIR } from '../../render/marker.js';

export function registerRender(program: Command): void {
  program
    .command('render')
    .description(
      'check the catalog, then write per environment what is applied, DIR/<env>/{argocd-cm.patch.yaml, argocd-cmd-params-cm.patch.yaml, argocd-values.yaml, smokes/}, and what is only tested, DIR/.tests/<env>/health/ (the health checks with their tests), atomically; exit 0 written, 1 error findings (nothing written), 2 usage',
    )
    .argument('[catalog]', 'catalog folder', '.')
    .requiredOption('--out <dir>', "output folder (each environment goes to <dir>/<env>/, its health checks' tests to <dir>/.tests/<env>/)")
    .option('--env <env>', 'only this environment')
    .option(
      '--hard-links',
      "write files with the same content (e.g. every smoke chart's templates) as hard links to one file: faster on large catalogs, but an in-place edit of one shows in all (default: every file is its own copy)",
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      '\nExamples:\n  wavegate render examples/ameide --out out\n  wavegate render examples/ameide --out out --env dev\n  wavegate render examples/ameide --out out --hard-links\n  wavegate health test out/.tests/dev/health',
    )
    .action(async (catalogDir: string, opts: { out: string; env?: string; format: string; hardLinks?: boolean }) => {
      const { loadCatalog } = await import('../../catalog/load.js');
      const { renderCatalog } = await import('../../render/index.js');
      const catalog = loadCatalog(catalogDir, { env: opts.env });
      const report = await renderCatalog(catalog, {
        out: opts.out,
        env: opts.env,
        links: opts.hardLinks === true,
        onLockWait: (holder) => process.stderr.write(`wavegate: waiting for another render (${holder}) writing to ${opts.out}\n`),
        // a sign of life on a terminal (a big catalog takes seconds); never in logs or pipes
        ...(process.stderr.isTTY
          ? {
              onProgress: (done: number, total: number, env: string) =>
                process.stderr.write(`\rrendered ${env} (${done}/${total})\x1b[K${done === total ? '\r\x1b[K' : ''}`),
            }
          : {}),
      });
      const failed = countBySeverity(report.findings).errors > 0;
      if (opts.format === 'json') {
        const out = {
          written: report.written,
          findings: report.findings.map(findingToJson),
          removed: report.removed ?? [],
          foreign: report.foreign ?? [],
          environments: report.environments.map((e) => ({
            name: e.name,
            dir: relative(process.cwd(), e.dir) || '.',
            files: e.files.map((f) => f.path),
            testDir: relative(process.cwd(), e.testDir) || '.',
            testFiles: e.testFiles.map((f) => f.path),
            summary: e.summary,
          })),
        };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      } else {
        if (report.findings.length > 0 || failed)
          process.stdout.write(
            formatFindingsText(report.findings, paint(useColor()), {
              catalogRoot: catalog.root,
              cwd: process.cwd(),
              catalogLabel: catalogDir,
            }),
          );
        if (failed) {
          process.stdout.write(`nothing written: fix the errors above (previous output in ${opts.out} left untouched)\n`);
        } else {
          for (const e of report.environments) {
            const where = join(opts.out, e.name);
            const tests = e.testFiles.length > 0 ? `, ${e.testFiles.length} test files in ${join(opts.out, TESTS_DIR, e.name)}` : '';
            process.stdout.write(
              `${e.name}: ${e.files.length} files in ${where}${tests}${e.summary.length ? ` (${e.summary.join('; ')})` : ''}\n`,
            );
          }
          for (const r of report.removed ?? [])
            process.stdout.write(`removed ${join(opts.out, r)}: environment ${basename(r)} is gone from the catalog\n`);
          for (const r of report.foreign ?? [])
            process.stdout.write(
              `left ${join(opts.out, r)} alone: no environment ${basename(r)} in the catalog, and wavegate did not write it\n`,
            );
        }
      }
      process.exitCode = failed ? 1 : 0;
    });
}
