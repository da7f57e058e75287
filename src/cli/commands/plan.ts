import { Option, type Command } from 'commander';
import { UserError } from '../../errors.js';

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description(
      "print the rollout of one environment in wave order (text), as JSON, or as a bootstrap script: it waits on the ApplicationSet's RollingSync, or syncs and waits wave by wave by the template's labels",
    )
    .argument('[catalog]', 'catalog folder', '.')
    .requiredOption('--env <env>', 'environment to plan')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'shell']).default('text'))
    .option(
      '--wave-label <key>',
      "shell: label key holding the wave, for an environment no ApplicationSet of the catalog generates (default plan.waveLabel); with an ApplicationSet its template's label is used",
    )
    .option(
      '--env-label <key>',
      'shell: label key holding the environment, for an environment no ApplicationSet generates (default plan.environmentLabel); "" selects by wave only',
    )
    .option(
      '--timeout <seconds>',
      'shell: seconds a RollingSync step may take, or argocd app sync/wait --timeout per Application (default plan.timeoutSeconds, else 600)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  wavegate plan examples/ameide --env prod\n  wavegate plan examples/ameide --env prod --format json\n  wavegate plan examples/ameide --env prod --format shell > bootstrap.sh',
    )
    .action(async (catalogDir: string, opts: { env: string; format: string; waveLabel?: string; envLabel?: string; timeout?: string }) => {
      const { loadCatalog } = await import('../../catalog/load.js');
      const catalog = loadCatalog(catalogDir, { env: opts.env });
      const { planEnvironment, planToJson, formatPlanText, planShell, shellOptions, shellTarget } = await import('../../graph/plan.js');
      const plan = planEnvironment(catalog.environments[0]!);
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(planToJson(plan), null, 2)}\n`);
      } else if (opts.format === 'shell') {
        let timeoutSeconds: number | undefined;
        if (opts.timeout !== undefined) {
          timeoutSeconds = Number(opts.timeout);
          if (!/^[0-9]+$/.test(opts.timeout) || timeoutSeconds < 1)
            throw new UserError(`--timeout: expected a whole number of seconds >= 1, got "${opts.timeout}"`);
        }
        const labelKey =
          /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
        if (opts.waveLabel !== undefined && !labelKey.test(opts.waveLabel))
          throw new UserError(`--wave-label: "${opts.waveLabel}" is not a Kubernetes label key`);
        if (opts.envLabel && !labelKey.test(opts.envLabel))
          throw new UserError(`--env-label: "${opts.envLabel}" is not a Kubernetes label key`);
        const o = shellOptions(catalog, {
          waveLabel: opts.waveLabel,
          environmentLabel: opts.envLabel === undefined ? undefined : opts.envLabel === '' ? null : opts.envLabel,
          timeoutSeconds,
        });
        const target = shellTarget(catalog, catalog.environments[0]!, plan, o);
        if (target.kind === 'labels' && target.automated) {
          process.stderr.write(
            `warning: ${target.from}: the template turns automated sync on, so Argo CD starts every wave at once and this script cannot hold the order; use RollingSync (wavegate fix) or drop syncPolicy.automated from the template\n`,
          );
        }
        process.stdout.write(planShell(plan, target, o.timeoutSeconds));
      } else {
        process.stdout.write(formatPlanText(plan));
      }
    });
}
