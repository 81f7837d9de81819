import type { BatchEvent } from './types.js';

/** Where progress goes: stderr, or a test's buffer. */
export interface ProgressSink {
  write(text: string): void;
  isTTY?: boolean;
  columns?: number;
}

/** 'bar' redraws one line on a terminal; 'lines' prints one line per finished input; 'quiet' nothing. */
export type ProgressMode = 'bar' | 'lines' | 'quiet';

/**
 * The mode a run should use: a bar only on a real terminal that can redraw a line, colours only
 * there and only without NO_COLOR (https://no-color.org: set and not empty).
 */
export function progressMode(
  sink: ProgressSink,
  env: Record<string, string | undefined>,
  quiet: boolean,
): { mode: ProgressMode; color: boolean } {
  if (quiet) return { mode: 'quiet', color: false };
  const tty = sink.isTTY === true && env.TERM !== 'dumb';
  return { mode: tty ? 'bar' : 'lines', color: tty && !env.NO_COLOR };
}

/** "0:07", "12:34", "1:02:03". */
export function clock(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '--:--';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export interface ProgressState {
  done: number;
  total: number;
  failed: number;
  doneBytes: number;
  totalBytes: number;
  elapsedMs: number;
  current: string | null;
}

/**
 * Time left, from the bytes done so far (inputs differ in size by orders of magnitude, so a count
 * alone would mislead); from the count when sizes are unknown. NaN before anything is done.
 */
export function etaMs(s: ProgressState): number {
  if (s.done >= s.total) return 0;
  if (s.doneBytes > 0 && s.totalBytes > 0) return ((s.totalBytes - s.doneBytes) * s.elapsedMs) / s.doneBytes;
  if (s.done > 0) return ((s.total - s.done) * s.elapsedMs) / s.done;
  return Number.NaN;
}

const RESET = '\x1b[0m';
const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const DIM = '\x1b[2m';

/** The bar line, fitted to `columns`: the current file's name is shortened from the left. */
export function barLine(s: ProgressState, columns: number, color: boolean): string {
  const paint = (code: string, text: string) => (color ? `${code}${text}${RESET}` : text);
  const width = 20;
  const filled = s.total ? Math.round((width * Math.min(s.done, s.total)) / s.total) : 0;
  const bar = paint(GREEN, '█'.repeat(filled)) + paint(DIM, '░'.repeat(width - filled));
  const eta = etaMs(s);
  const parts = [
    `${s.done}/${s.total}`,
    ...(s.failed ? [paint(RED, `${s.failed} failed`)] : []),
    `${clock(s.elapsedMs)} elapsed`,
    `ETA ${Number.isNaN(eta) ? '--:--' : clock(eta)}`,
  ];
  const head = `memlens ${bar} ${parts.join('  ')}`;
  // Visible length, without colour codes.
  const visible = head.replace(/\x1b\[[0-9;]*m/g, '').length;
  // A line longer than the terminal wraps, and "\r" then redraws only its last part: on a narrow
  // terminal, drop the bar and cut the rest.
  if (visible >= columns)
    return `${s.done}/${s.total}  ${clock(s.elapsedMs)}  ETA ${Number.isNaN(eta) ? '--:--' : clock(eta)}`.slice(
      0,
      Math.max(0, columns - 1),
    );
  const room = columns - visible - 3;
  if (!s.current || room < 8) return head;
  const cur = s.current.length > room ? `…${s.current.slice(s.current.length - room + 1)}` : s.current;
  return `${head}  ${cur}`;
}

/** Follows batch events and shows them in the chosen mode. */
export class Progress {
  private readonly state: ProgressState = {
    done: 0,
    total: 0,
    failed: 0,
    doneBytes: 0,
    totalBytes: 0,
    elapsedMs: 0,
    current: null,
  };
  private readonly running: string[] = [];
  private readonly started: number;
  private timer: NodeJS.Timeout | null = null;
  private drawn = false;
  private stopped = false;

  constructor(
    private readonly mode: ProgressMode,
    private readonly sink: ProgressSink,
    private readonly color = false,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
    if (mode === 'bar') {
      // Elapsed time and ETA keep moving while a big input is being read.
      this.timer = setInterval(() => this.draw(), 250);
      this.timer.unref();
    }
  }

  handle(e: BatchEvent): void {
    if (this.stopped) return;
    const s = this.state;
    switch (e.type) {
      case 'plan':
        s.total += e.total;
        s.totalBytes += e.totalBytes;
        if (this.mode === 'lines' && e.reused)
          this.sink.write(
            `memlens: ${e.reused} input(s) have up-to-date reports; skipping them (--force redoes them)\n`,
          );
        break;
      case 'tasks-added':
        s.total += e.count;
        s.totalBytes += e.bytes;
        break;
      case 'task-start':
        this.running.push(e.label);
        break;
      case 'task-done': {
        const i = this.running.indexOf(e.label);
        if (i >= 0) this.running.splice(i, 1);
        s.done++;
        s.doneBytes += e.bytes;
        if (!e.ok) s.failed++;
        const line = `[${s.done}/${s.total}] ${e.ok ? '' : 'FAILED '}${e.label}: ${e.detail}`;
        if (this.mode === 'lines') this.sink.write(`memlens: ${line}\n`);
        else if (this.mode === 'bar' && !e.ok) {
          this.clear();
          this.sink.write(`memlens: ${line}\n`);
        }
        break;
      }
      case 'finalized':
        return;
    }
    this.draw();
  }

  /** Removes the bar so the final summary starts on a clean line. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.clear();
  }

  private clear(): void {
    if (this.mode === 'bar' && this.drawn) this.sink.write('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(): void {
    if (this.mode !== 'bar') return;
    this.state.elapsedMs = this.now() - this.started;
    this.state.current = this.running.at(-1) ?? null;
    // A pseudo-terminal may report 0 columns: assume the classic 80.
    this.sink.write(`\r\x1b[2K${barLine(this.state, this.sink.columns || 80, this.color)}`);
    this.drawn = true;
  }
}
