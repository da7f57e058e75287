import { Command, CommanderError } from 'commander';
import { isUserError } from '../errors.js';
import { fsReason, shownPath } from '../fsutil.js';
import { registerCheck } from './commands/check.js';
import { registerFix } from './commands/fix.js';
import { registerPlan } from './commands/plan.js';
import { registerGraph } from './commands/graph.js';
import { registerRender } from './commands/render.js';
import { registerHealth } from './commands/health.js';

import { version } from './version.js';

export { version };

/** Exit codes scripts can rely on. */
const EXIT = { ok: 0, findings: 1, usage: 2, internal: 3 } as const;

export function buildProgram(): Command {
  const program = new Command('wavegate')
    .description('Validate a GitOps component catalog and turn its dependencies into safe Argo CD rollouts.')
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false })
    .exitOverride();
  registerCheck(program);
  registerFix(program);
  registerPlan(program);
  registerGraph(program);
  registerRender(program);
  registerHealth(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** Runs the CLI; returns the exit code (never throws for a user mistake). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return (process.exitCode as number | undefined) ?? EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isUserError(e)) {
      process.stderr.write(`wavegate: error: ${e.message}\n`);
      return e.exitCode;
    }
    const fsErr = e as NodeJS.ErrnoException;
    if (
      process.env.WAVEGATE_DEBUG !== '1' &&
      typeof fsErr?.code === 'string' &&
      typeof fsErr.syscall === 'string' &&
      /^E[A-Z]+$/.test(fsErr.code)
    ) {
      // a file-system failure (permissions, a full disk, a file removed meanwhile): the user's to
      // fix, said in wavegate's words with the path relative to the working folder
      process.stderr.write(`wavegate: error: ${fsErr.path !== undefined ? `${shownPath(fsErr.path)}: ` : ''}${fsReason(fsErr)}\n`);
      return EXIT.usage;
    }
    if (process.env.WAVEGATE_DEBUG === '1') {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    } else {
      process.stderr.write(
        `wavegate: internal error: ${(e as Error).message ?? String(e)} (this is a bug; WAVEGATE_DEBUG=1 shows the stack trace)\n`,
      );
    }
    return EXIT.internal;
  }
}
