import { Option, type Command } from 'commander';
import { UserError } from '../../errors.js';

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('print the rollout of one environment in wave order (text), as JSON, or as a bootstrap script that syncs and waits wave by wave')
    .argument('[catalog]', 'catalog folder', '.')
    .requiredOption('--env <env>', 'environment to plan')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'shell']).default('text'))
    .option('--wave-label <key>', 'shell: label key holding the wave on each Application (default from wavegate.yaml plan.waveLabel, else wavegate.dev/wave)')
    .option('--env-label <key>', 'shell: label key holding the environment (default plan.environmentLabel, else wavegate.dev/environment); "" selects by wave only')
    .option('--timeout <seconds>', 'shell: argocd app wait --timeout per wave (default plan.timeoutSeconds, else 600)')
    .addHelpText(
      'after',
      '\nExamples:\n  wavegate plan examples/ameide --env prod\n  wavegate plan examples/ameide --env prod --format json\n  wavegate plan examples/ameide --env prod --format shell > bootstrap.sh',
    )
    .action(async (catalogDir: string, opts: { env: string; format: string; waveLabel?: string; envLabel?: string; timeout?: string }) => {
      const { loadCatalog } = await import('../../catalog/load.js');
      const catalog = loadCatalog(catalogDir, { env: opts.env });
      const { planEnvironment, planToJson, formatPlanText, planShell, shellOptions } = await import('../../graph/plan.js');
      const plan = planEnvironment(catalog.environments[0]!);
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(planToJson(plan), null, 2)}\n`);
      } else if (opts.format === 'shell') {
        let timeoutSeconds: number | undefined;
        if (opts.timeout !== undefined) {
          timeoutSeconds = Number(opts.timeout);
          if (!/^[0-9]+$/.test(opts.timeout) || timeoutSeconds < 1) throw new UserError(`--timeout: expected a whole number of seconds >= 1, got "${opts.timeout}"`);
        }
        const labelKey = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
        if (opts.waveLabel !== undefined && !labelKey.test(opts.waveLabel)) throw new UserError(`--wave-label: "${opts.waveLabel}" is not a Kubernetes label key`);
        if (opts.envLabel && !labelKey.test(opts.envLabel)) throw new UserError(`--env-label: "${opts.envLabel}" is not a Kubernetes label key`);
        const o = shellOptions(catalog, {
          waveLabel: opts.waveLabel,
          environmentLabel: opts.envLabel === undefined ? undefined : opts.envLabel === '' ? null : opts.envLabel,
          timeoutSeconds,
        });
        process.stdout.write(planShell(plan, o));
      } else {
        process.stdout.write(formatPlanText(plan));
      }
    });
}
