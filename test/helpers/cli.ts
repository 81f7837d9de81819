import { runCli } from '../../src/cli/program.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** What was written to stderr, one entry per write (one line each, by the CLI's rule). */
  stderrLines: string[];
}

/** Runs memlens in this process, as `memlens ARGS…` would, and keeps what it printed. */
export async function cli(...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['node', 'memlens', ...args], {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n'), stderrLines: err };
}
