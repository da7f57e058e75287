/**
 * A mistake of the user's (bad flag, unreadable catalog, invalid settings): the CLI prints
 * its message without a stack trace and exits with `exitCode` (2 unless said otherwise).
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
