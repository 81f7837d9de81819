/**
 * Typed errors. Only `src/cli/` turns them into exit codes; the library throws them.
 * Every message is one line a user can act on: what was wrong, where, and what to do.
 */
export class MemlensError extends Error {
  /** Exit code the CLI uses when this error ends a run. */
  readonly exitCode: number = 3;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The command line itself is wrong (unknown flag value, bad selector, missing argument). */
export class UsageError extends MemlensError {
  override readonly exitCode = 2;
}

/** An input cannot be used at all: unreadable, unknown format, a tree of empty files. */
export class InputError extends MemlensError {
  override readonly exitCode = 2;
  /** The input path as the user gave it. */
  readonly input: string;
  constructor(input: string, message: string, options?: { cause?: unknown }) {
    super(`${input}: ${message}`, options);
    this.input = input;
  }
}

/** A bug in memlens. The CLI prints the stack and asks for a report. */
export class InternalError extends MemlensError {}

export function isMemlensError(e: unknown): e is MemlensError {
  return e instanceof MemlensError;
}
