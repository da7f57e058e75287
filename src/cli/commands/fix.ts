import type { Command } from 'commander';
import { countBySeverity } from '../../findings.js';

export function registerFix(program: Command): void {
  program
    .command('fix')
    .description(
      'apply the repairs `check --suggest` prints (dependencies to add, wave changes, RollingSync steps, consumes entries and smoke checks replacing chart-level waits) to the component and ApplicationSet files in place, keeping comments and formatting; exit 1 if errors remain',
    )
    .argument('[catalog]', 'catalog folder', '.')
    .option('--env <env>', 'only this environment')
    .option('--dry-run', 'print the edits without writing any file')
    .addHelpText('after', '\nExamples:\n  wavegate fix examples/ameide --dry-run\n  wavegate fix . && wavegate check .')
    .action(async (catalogDir: string, opts: { env?: string; dryRun?: boolean }) => {
      const { planFix, applyFix, describeEdit, describeNewFile, fixedTexts } = await import('../../graph/fix.js');
      const { describeAppSetEdit } = await import('../../rollout/edit.js');
      const { loadCatalog } = await import('../../catalog/load.js');
      const { checkCatalog } = await import('../../check.js');
      // The whole catalog, even with --env: a file in _shared is edited only if every environment agrees.
      const catalog = loadCatalog(catalogDir);
      if (opts.env !== undefined) loadCatalog(catalogDir, { env: opts.env }); // a clear error for an unknown environment
      const plan = planFix(catalog, checkCatalog(catalog), { env: opts.env });
      if (opts.dryRun) {
        // Compute (and verify) every edit without writing.
        fixedTexts(catalog, plan);
      } else {
        applyFix(catalog, plan, (file, target) =>
          process.stdout.write(`${file} is a symlink: edited its target ${target} (the link is kept)\n`),
        );
      }
      const verb = opts.dryRun ? 'would edit' : 'edited';
      for (const e of plan.edits) process.stdout.write(`${verb} ${describeEdit(e)}\n`);
      for (const e of plan.appSets) process.stdout.write(`${verb} ${describeAppSetEdit(e)}\n`);
      for (const f of plan.newFiles) process.stdout.write(`${opts.dryRun ? 'would create' : 'created'} ${describeNewFile(f)}\n`);
      for (const n of plan.notes) process.stdout.write(`not fixed: ${n}\n`);
      if (plan.edits.length === 0 && plan.appSets.length === 0 && plan.newFiles.length === 0) process.stdout.write('nothing to fix\n');
      const after = checkCatalog(opts.dryRun ? catalog : loadCatalog(catalogDir));
      const { errors, warnings } = countBySeverity(after);
      process.stdout.write(
        `${opts.dryRun ? 'now' : 'after fixing'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} (run wavegate check to see them)\n`,
      );
      process.exitCode = errors > 0 ? 1 : 0;
    });
}
