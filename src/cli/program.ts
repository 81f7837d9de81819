import { Command, CommanderError, Option } from 'commander';
import { MemlensError, UsageError } from '../errors.js';
import type { Io } from './analyze.js';
import { analyzeCommand } from './analyze.js';
import type { BatchFlags } from './batch.js';
import { addBatchCommand, batchCommand, batchOptions, ioContext, processContext } from './batch.js';
import { captureCommand } from './capture.js';
import { explainCommand } from './explain.js';
import { inspectCommand } from './inspect.js';

export const processIo: Io = {
  stdout: (s) => process.stdout.write(`${s}\n`),
  stderr: (s) => process.stderr.write(`${s}\n`),
};

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Batch progress goes to the real stderr (bar on a terminal) only when the CLI runs for real. */
const batchContext = (io: Io) => (io === processIo ? processContext() : ioContext(io));

export function buildProgram(setCode: (code: number) => void, io: Io): Command {
  const program = new Command('memlens')
    .description(
      'Offline analyzer for container memory post-mortems: cgroup captures and Prometheus exports in, a verdict per container out.',
    )
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('analyze')
    .description(
      'analyse captures and exports; write report.html, findings.json, summary.md and containers.csv',
    )
    .argument('<input...>', 'files, directories, globs; - for stdin')
    .option('-o, --out <dir>', 'output folder (default: reports/<name>-<UTC time>/)')
    .option('-f, --format <list>', 'comma-separated subset of json,md,csv,html')
    .option('--interactive', 'report.html with tooltips and zoom (inlines the vega runtime, ~0.9 MB)')
    .option('--png <dir>', 'also write the report charts as PNG files to this folder')
    .option('--json', 'print findings.json to stdout instead of the summary table')
    .option('--since <time>', 'ignore samples before this time (RFC3339 or unix seconds)')
    .option('--until <time>', 'ignore samples after this time')
    .option('--match <selector>', 'only containers matching {namespace="shop",container=~"api.*"}')
    .option('--tz <zone>', 'time zone of exports whose timestamps have none (default UTC)')
    .option(
      '--vm-format <fields>',
      'field list of a headerless VictoriaMetrics export/csv file (its format=)',
    )
    .option('--config <file>', 'memlens.config.json with failOn, match, tz and pass options')
    .option('--set <pass.option=value>', 'change a pass threshold (repeatable)', collect)
    .addOption(
      new Option('--fail-on <level>', 'exit 1 when a finding is at or above this level').choices([
        'critical',
        'warning',
        'info',
        'none',
      ]),
    )
    .option(
      '--max-input-bytes <n>',
      'stop reading an input after this many decompressed bytes (default 16 GiB; docs/bad-inputs.md)',
    )
    .option('-q, --quiet', 'print nothing but errors')
    .option('--each', 'one report per input (or group of inputs) plus an index: same as `memlens batch`')
    .addOption(batchOptions()[0])
    .addOption(batchOptions()[1])
    .addHelpText(
      'after',
      `
Examples:
  memlens analyze capture.tar.gz
  memlens analyze node-a.tgz --match '{namespace="shop"}' --fail-on critical --out reports/incident-42
  memlens analyze capture.tar.gz --set cache-inflated-usage.minShare=0.4 --json > findings.json
  memlens analyze query-range.json grafana-panel.csv --tz Europe/Berlin
  memlens analyze vm.csv --vm-format __name__,namespace,pod,container,__value__,__timestamp__:unix_s
  memlens analyze capture.tar.gz --interactive --png reports/incident-42/png --tz Europe/Berlin

Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage or input error, 3 internal error.`,
    )
    .action(async (inputs: string[], flags: BatchFlags) => {
      if (flags.each) return setCode(await batchCommand(inputs, flags, io, batchContext(io)));
      if (flags.jobs !== undefined || flags.force)
        throw new UsageError('--jobs and --force apply to batch runs: add --each, or use `memlens batch`');
      setCode(await analyzeCommand(inputs, flags, io));
    });

  addBatchCommand(program, async (inputs, flags) =>
    setCode(await batchCommand(inputs, flags, io, batchContext(io))),
  );

  program
    .command('inspect')
    .description(
      'say what the inputs hold (format, cgroup version, driver, snapshots, cgroups by role) without analysing',
    )
    .argument('<input...>', 'files, directories, globs; - for stdin')
    .option('--json', 'print as JSON')
    .option('--tz <zone>', 'time zone of exports whose timestamps have none (default UTC)')
    .option(
      '--vm-format <fields>',
      'field list of a headerless VictoriaMetrics export/csv file (its format=)',
    )
    .addHelpText('after', '\nExample:\n  memlens inspect capture.tar.gz')
    .action(async (inputs: string[], flags) => setCode(await inspectCommand(inputs, flags, io)));

  program
    .command('explain')
    .description('what a pass checks or what a metric means, with its formula from cgroup files')
    .argument('[name]', 'a pass id (oom-kill) or a metric (workingSet, container_memory_working_set_bytes)')
    .addHelpText(
      'after',
      '\nExamples:\n  memlens explain\n  memlens explain cache-inflated-usage\n  memlens explain workingSet',
    )
    .action((name: string | undefined) => setCode(explainCommand(name, io)));

  program
    .command('capture')
    .description(
      'snapshot the memory files of every cgroup below the Kubernetes (or Docker) root into a .tar.gz; the same capture as scripts/memlens-capture.sh',
    )
    .option(
      '-r, --root <cgroup>',
      'cgroup to capture: absolute, or below the memory hierarchy (default: found)',
    )
    .option('-i, --interval <seconds>', 'seconds between snapshots (default 10)')
    .option('-n, --count <n>', 'number of snapshots (default 1)')
    .option('-d, --duration <time>', 'capture for this long instead of --count: 90s, 15m, 2h')
    .option(
      '-o, --out <file>',
      'output .tar.gz, or - for stdout (default memlens-capture-<host>-<unix time>.tar.gz)',
    )
    .option(
      '-m, --cgroup-fs <dir>',
      'where the cgroup filesystem is mounted (default /sys/fs/cgroup, then /host/sys/fs/cgroup)',
    )
    .option('--no-meta', 'do not run crictl, kubectl, docker or dmesg for names')
    .option('-q, --quiet', 'print nothing but errors')
    .addHelpText(
      'after',
      `
Examples:
  sudo memlens capture -d 10m -o /var/tmp/node-a.tar.gz
  sudo memlens capture --root /sys/fs/cgroup/memory/docker -i 5 -n 60

Ctrl-C stops early and still writes everything captured so far.
Exit codes: 0 written, 2 usage or write error, 130 stopped before the first snapshot.`,
    )
    .action(async (flags) => setCode(await captureCommand(flags, io)));

  return program;
}

/**
 * Runs the CLI on argv and returns the exit code; never throws and never exits the process.
 * Tests call this in-process; `main.ts` is the only place that sets process.exitCode.
 */
export async function runCli(argv: string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  }, io);
  program.configureOutput({
    writeOut: (s) => io.stdout(s.trimEnd()),
    writeErr: (s) => io.stderr(s.trimEnd()),
  });
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return 2;
    }
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    return exitCodeOf(e, io);
  }
}

function exitCodeOf(e: unknown, io: Io): number {
  if (e instanceof CommanderError) {
    // commander already printed its message (or the help/version text)
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof MemlensError && e.exitCode !== 3) {
    io.stderr(`memlens: ${e.message}`);
    return e.exitCode;
  }
  io.stderr(`memlens: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  io.stderr(
    'This is a bug in memlens. Please report it with the command you ran and, if you can, the input.',
  );
  return 3;
}
