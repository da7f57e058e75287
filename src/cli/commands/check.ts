import { Option, type Command } from 'commander';
import { loadCatalog } from '../../catalog/load.js';
import { checkCatalog } from '../../check.js';
import { countBySeverity, findingToJson } from '../../findings.js';
import { paint, useColor } from '../../report/color.js';
import { formatFindingsText } from '../../report/findings-text.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('validate the catalog (schema and dependency rules); exit 0 clean, 1 errors, 2 usage or unreadable catalog')
    .argument('[catalog]', 'catalog folder', '.')
    .option('--env <env>', 'only this environment')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((catalogDir: string, opts: { env?: string; format: string }) => {
      const catalog = loadCatalog(catalogDir, { env: opts.env });
      const findings = checkCatalog(catalog);
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify({ findings: findings.map(findingToJson) }, null, 2)}\n`);
      } else {
        process.stdout.write(formatFindingsText(findings, paint(useColor()), catalogDir));
      }
      process.exitCode = countBySeverity(findings).errors > 0 ? 1 : 0;
    });
}
