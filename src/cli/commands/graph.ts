import { Option, type Command } from 'commander';
import { UserError } from '../../errors.js';

export function registerGraph(program: Command): void {
  program
    .command('graph')
    .description(
      'draw the dependency graph of one environment (DOT for Graphviz, or Mermaid): tiers grouped, waves ranked, smokes styled apart, inverted and missing edges in red',
    )
    .argument('[catalog]', 'catalog folder', '.')
    .requiredOption('--env <env>', 'environment to draw')
    .addOption(new Option('--format <format>', 'output format').choices(['dot', 'mermaid']).default('dot'))
    .option('--component <name>', 'only the neighbourhood of this component')
    .option('--depth <n>', 'with --component: dependency steps to include in either direction', '1')
    .addHelpText(
      'after',
      '\nExamples:\n  wavegate graph examples/ameide --env prod | dot -Tsvg > prod.svg\n  wavegate graph examples/ameide --env prod --format mermaid\n  wavegate graph examples/ameide --env prod --component platform-grafana --depth 2',
    )
    .action(async (catalogDir: string, opts: { env: string; format: string; component?: string; depth: string }) => {
      if (!/^[0-9]+$/.test(opts.depth)) throw new UserError(`--depth: expected a whole number >= 0, got "${opts.depth}"`);
      const { loadCatalog } = await import('../../catalog/load.js');
      const { checkCatalog } = await import('../../check.js');
      const catalog = loadCatalog(catalogDir, { env: opts.env });
      const findings = checkCatalog(catalog);
      const { graphPicture, toDot, toMermaid } = await import('../../graph/render.js');
      const picture = graphPicture(catalog, catalog.environments[0]!, findings, { component: opts.component, depth: Number(opts.depth) });
      process.stdout.write(opts.format === 'mermaid' ? toMermaid(picture) : toDot(picture));
    });
}
