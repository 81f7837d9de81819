import { hostname } from 'node:os';
import type { CaptureEvent, CaptureResult } from '../capture/capture.js';
import { capture } from '../capture/capture.js';
import { parseDuration } from '../capture/spec.js';
import { UsageError } from '../errors.js';
import { formatBytes } from '../util/bytes.js';
import { formatDuration } from '../util/time.js';
import type { Io } from './analyze.js';

export interface CaptureFlags {
  root?: string;
  interval?: string;
  count?: string;
  duration?: string;
  out?: string;
  cgroupFs?: string;
  quiet?: boolean;
  /** Skip crictl/kubectl/docker/dmesg (tests, or nodes where they hang). */
  meta?: boolean;
}

const whole = (flag: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`${flag} must be a whole number, got '${v}'`);
  return Number(v);
};

/**
 * `memlens capture`: returns the exit code: 0 written (also after Ctrl-C), 130 stopped before the
 * first snapshot. Ctrl-C (or SIGTERM, SIGHUP) stops after the snapshot being taken; a second one
 * ends at once with the snapshots already written.
 */
export async function captureCommand(flags: CaptureFlags, io: Io): Promise<number> {
  const durationSeconds = flags.duration === undefined ? undefined : parseDuration(flags.duration);
  if (Number.isNaN(durationSeconds))
    throw new UsageError(`--duration must look like 90s, 15m or 2h, got '${flags.duration}'`);
  const toStdout = flags.out === '-';
  const out = flags.out ?? `memlens-capture-${hostname()}-${Math.floor(Date.now() / 1000)}.tar.gz`;
  const say = (s: string) => {
    if (!flags.quiet) io.stderr(s);
  };
  const dest = toStdout ? 'stdout' : out;

  const stop = new AbortController();
  let signals = 0;
  const onSignal = () => {
    signals++;
    if (signals === 1) stop.abort();
    else {
      io.stderr(`memlens capture: stopped; ${dest} holds the snapshots written so far, without metadata`);
      process.exit(130);
    }
  };
  const names = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const n of names) process.on(n, onSignal);
  let result: CaptureResult;
  try {
    result = await capture({
      root: flags.root,
      cgroupFs: flags.cgroupFs,
      intervalSeconds: whole('--interval', flags.interval),
      count: whole('--count', flags.count),
      durationSeconds,
      out: toStdout ? process.stdout : out,
      signal: stop.signal,
      meta: flags.meta,
      onEvent: (e) => report(e, dest, say),
    });
  } finally {
    for (const n of names) process.off(n, onSignal);
  }
  if (result.snapshots === 0) {
    io.stderr('memlens capture: stopped before the first snapshot; nothing written');
    return 130;
  }
  const how =
    result.stopped === 'interrupted'
      ? `stopped early after ${result.snapshots} of ${result.count} snapshots`
      : `${result.snapshots} snapshot(s)`;
  const size = result.bytes === null ? '' : `, ${formatBytes(result.bytes)}`;
  say(
    `memlens capture: wrote ${dest}: ${how} of ${result.cgroups} cgroups over ${formatDuration(result.elapsedSeconds * 1000)}${size}.`,
  );
  if (!toStdout) say(`  Analyze it with: memlens analyze ${out}`);
  return 0;
}

function report(e: CaptureEvent, dest: string, say: (s: string) => void): void {
  switch (e.kind) {
    case 'start':
      if (e.root.also.length > 0)
        say(`memlens capture: also found ${e.root.also.join(' ')}; capturing the first (choose with --root)`);
      say(
        `memlens capture: capturing ${e.root.root} (cgroup v${e.root.cgroupVersion}, ${e.cgroups} cgroups now) into ${dest}`,
      );
      if (e.count > 1) {
        const secs = (e.count - 1) * e.intervalSeconds;
        const until = new Date(Date.now() + secs * 1000).toISOString().slice(11, 19);
        say(
          `  ${e.count} snapshots every ${e.intervalSeconds}s: runs about ${formatDuration(secs * 1000)} (until ${until}Z). Ctrl-C stops early and keeps what was captured.`,
        );
      }
      break;
    case 'first':
      say(
        `  first snapshot: ${formatBytes(e.bytes)} compressed; expect about ${formatBytes(e.expectedBytes)} in all`,
      );
      break;
    case 'slow':
      say(
        `  a snapshot takes ${e.seconds}s, longer than the interval: snapshots will be further apart than planned`,
      );
      break;
    case 'snapshot':
      if (e.index % 10 === 0 && e.index < e.count) say(`  snapshot ${e.index}/${e.count} at ${e.folder}`);
      break;
  }
}
