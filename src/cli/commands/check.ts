import { Option, type Command } from 'commander';
import { UserError } from '../../errors.js';
import { countBySeverity, findingToJson } from '../../findings.js';
import { paint, useColor } from '../../report/color.js';
import { formatFindingsGithub, formatFindingsText } from '../../report/findings-text.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('validate the catalog (schema and dependency rules); exit 0 clean, 1 errors, 2 usage or unreadable catalog')
    .argument('[catalog]', 'catalog folder', '.')
    .option('--env <env>', 'only this environment')
    .addOption(
      new Option('--format <format>', 'output format (sarif: SARIF 2.1.0 for code scanning; github: GitHub Actions annotations)')
        .choices(['text', 'json', 'sarif', 'github'])
        .default('text'),
    )
    .option('--quiet', 'report errors only (warnings are neither printed nor counted)')
    .option('--max-warnings <n>', 'exit 1 when there are more than N warnings (as ESLint does)', (v: string) => {
      if (!/^\d+$/.test(v)) throw new UserError(`--max-warnings: expected a whole number, got "${v}"`);
      return Number(v);
    })
    .option(
      '--help-uri-base <url>',
      "with --format sarif: where the team hosts wavegate's docs/rules.md (an absolute URI); each rule gets helpUri <url>#<rule id> (default: sarif.helpUriBase of wavegate.yaml, else none)",
    )
    .option(
      '--suggest',
      'also print the smallest repair: dependencies to add, wave changes and RollingSync steps (apply with `wavegate fix`)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  wavegate check examples/ameide\n  wavegate check . --format github --max-warnings 0\n  wavegate check examples/ameide --env prod --format json\n  wavegate check . --format sarif > wavegate.sarif\n  wavegate check . --format sarif --help-uri-base https://git.example.com/platform/wavegate/blob/main/docs/rules.md\n  wavegate check . --suggest',
    )
    .action(
      async (
        catalogDir: string,
        opts: { env?: string; format: string; suggest?: boolean; quiet?: boolean; maxWarnings?: number; helpUriBase?: string },
      ) => {
        if (opts.suggest && (opts.format === 'sarif' || opts.format === 'github'))
          throw new UserError(`--suggest works with --format text or json, not ${opts.format}`);
        if (opts.helpUriBase !== undefined && opts.format !== 'sarif')
          throw new UserError(`--help-uri-base works with --format sarif, not ${opts.format}`);
        // a wrong URI fails before the catalog is read
        const sarif = opts.format === 'sarif' ? await import('../../report/sarif.js') : undefined;
        const cliHelp = sarif && opts.helpUriBase !== undefined ? sarif.helpUriBase(opts.helpUriBase, '--help-uri-base') : undefined;
        // Loaded here, not at the top: `wavegate --version` and other commands do not pay for them.
        const { loadCatalog } = await import('../../catalog/load.js');
        const { checkCatalog } = await import('../../check.js');
        const catalog = loadCatalog(catalogDir, { env: opts.env });
        const all = checkCatalog(catalog);
        const findings = opts.quiet ? all.filter((f) => f.severity === 'error') : all;
        const suggest = opts.suggest ? await import('../../graph/suggest.js') : undefined;
        const suggestions = suggest ? suggest.suggestRepairs(catalog, findings) : undefined;
        const rollouts = suggestions
          ? (await import('../../graph/fix.js')).planRolloutAfter(catalog, suggestions, { env: opts.env })
          : undefined;
        if (opts.format === 'json') {
          const out: Record<string, unknown> = { findings: findings.map(findingToJson) };
          if (suggest && suggestions) out.suggestions = suggest.suggestionsToJson(suggestions);
          if (rollouts) out.rollouts = (await import('../../rollout/edit.js')).appSetEditsToJson(rollouts.edits);
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        } else if (sarif) {
          const { toSarif, sarifBase, sarifSettings, helpUriBase } = sarif;
          const { version } = await import('../version.js');
          const base = sarifBase(catalog.root, process.cwd());
          const fromSettings = sarifSettings(catalog.settings).helpUriBase;
          // (wavegate.yaml's value was checked when it was read; this gives its normal form)
          const help = cliHelp ?? (fromSettings !== undefined ? helpUriBase(fromSettings, 'sarif.helpUriBase') : undefined);
          // compact: a code-scanning upload, not for reading (a large log is half the bytes)
          process.stdout.write(
            `${JSON.stringify(toSarif(findings, { version: version(), ...base, ...(help !== undefined ? { helpBase: help } : {}) }))}\n`,
          );
        } else if (opts.format === 'github') {
          process.stdout.write(formatFindingsGithub(findings, { catalogRoot: catalog.root, cwd: process.cwd(), catalogLabel: catalogDir }));
        } else {
          process.stdout.write(
            formatFindingsText(findings, paint(useColor()), { catalogRoot: catalog.root, cwd: process.cwd(), catalogLabel: catalogDir }),
          );
          if (suggest && suggestions) process.stdout.write(suggest.formatSuggestions(suggestions));
          if (rollouts) process.stdout.write((await import('../../rollout/edit.js')).formatAppSetEdits(rollouts.edits));
        }
        const counts = countBySeverity(all);
        const tooManyWarnings = opts.maxWarnings !== undefined && counts.warnings > opts.maxWarnings;
        if (tooManyWarnings && opts.format !== 'json' && opts.format !== 'sarif') {
          process.stderr.write(
            `wavegate: ${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}, more than --max-warnings ${opts.maxWarnings}\n`,
          );
        }
        process.exitCode = counts.errors > 0 || tooManyWarnings ? 1 : 0;
      },
    );
}
