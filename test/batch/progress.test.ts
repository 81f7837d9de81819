import { describe, expect, it } from 'vitest';
import type { ProgressState } from '../../src/batch/progress.js';
import { barLine, clock, etaMs, Progress, progressMode } from '../../src/batch/progress.js';

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

describe('progressMode', () => {
  const tty = { write: () => {}, isTTY: true };
  const pipe = { write: () => {}, isTTY: false };
  it('draws a bar on a terminal, plain lines elsewhere, nothing when quiet', () => {
    expect(progressMode(tty, {}, false)).toEqual({ mode: 'bar', color: true });
    expect(progressMode(pipe, {}, false)).toEqual({ mode: 'lines', color: false });
    expect(progressMode(tty, {}, true)).toEqual({ mode: 'quiet', color: false });
    expect(progressMode(tty, { TERM: 'dumb' }, false)).toEqual({ mode: 'lines', color: false });
  });
  it('honours NO_COLOR when it is set and not empty', () => {
    expect(progressMode(tty, { NO_COLOR: '1' }, false)).toEqual({ mode: 'bar', color: false });
    expect(progressMode(tty, { NO_COLOR: '' }, false)).toEqual({ mode: 'bar', color: true });
  });
});

describe('the bar', () => {
  const state: ProgressState = {
    done: 37,
    total: 200,
    failed: 2,
    doneBytes: 25e6,
    totalBytes: 100e6,
    elapsedMs: 42_000,
    current: 'incidents/node-a/memory-1764270348.tar.gz',
  };

  it('shows done/total, failures, elapsed time, ETA from bytes and the current file', () => {
    const line = barLine(state, 120, false);
    expect(line).toBe(
      `memlens ${'█'.repeat(4)}${'░'.repeat(16)} 37/200  2 failed  0:42 elapsed  ETA 2:06  incidents/node-a/memory-1764270348.tar.gz`,
    );
  });

  it('fits the terminal width, shortening the file name from the left', () => {
    const line = barLine(state, 100, true);
    expect(line.replace(ANSI, '').length).toBeLessThanOrEqual(100);
    expect(line.replace(ANSI, '')).toMatch(/ …[^ ]*memory-1764270348\.tar\.gz$/);
    expect(barLine(state, 74, false)).not.toContain('memory-');
    // Narrower than the bar itself: no bar, nothing that would wrap.
    expect(barLine(state, 30, true)).toBe('37/200  0:42  ETA 2:06');
    expect(barLine(state, 12, true)).toBe('37/200  0:4');
  });

  it('uses colour only when asked', () => {
    expect(barLine(state, 120, false)).not.toMatch(ANSI);
    expect(barLine(state, 120, true)).toMatch(ANSI);
  });

  it('estimates from the count when sizes are unknown, and not at all before the first input', () => {
    expect(etaMs({ ...state, doneBytes: 0, totalBytes: 0 })).toBeCloseTo((163 * 42_000) / 37);
    expect(etaMs({ ...state, done: 0, doneBytes: 0 })).toBeNaN();
    expect(barLine({ ...state, done: 0, doneBytes: 0 }, 120, false)).toContain('ETA --:--');
    expect(etaMs({ ...state, done: 200 })).toBe(0);
  });

  it('formats durations as a clock', () => {
    expect([clock(7_000), clock(754_000), clock(3_723_000), clock(Number.NaN)]).toEqual([
      '0:07',
      '12:34',
      '1:02:03',
      '--:--',
    ]);
  });
});

describe('Progress', () => {
  function run(mode: 'bar' | 'lines' | 'quiet') {
    let text = '';
    let t = 0;
    const p = new Progress(
      mode,
      { write: (s) => (text += s), isTTY: mode === 'bar', columns: 100 },
      false,
      () => t,
    );
    p.handle({ type: 'plan', total: 2, reused: 3, totalBytes: 300 });
    p.handle({ type: 'task-start', label: 'a.tgz', bytes: 100 });
    t = 1000;
    p.handle({ type: 'task-done', label: 'a.tgz', bytes: 100, ok: true, detail: 'critical · OOM-killed: x' });
    p.handle({ type: 'task-start', label: 'b.txt', bytes: 200 });
    p.handle({
      type: 'task-done',
      label: 'b.txt',
      bytes: 200,
      ok: false,
      detail: 'is in no format memlens knows',
    });
    p.stop();
    return text;
  }

  it('prints one plain line per finished input off a terminal', () => {
    expect(run('lines')).toBe(
      [
        'memlens: 3 input(s) have up-to-date reports; skipping them (--force redoes them)',
        'memlens: [1/2] a.tgz: critical · OOM-killed: x',
        'memlens: [2/2] FAILED b.txt: is in no format memlens knows',
        '',
      ].join('\n'),
    );
  });

  it('redraws one line on a terminal, prints failures above it, and clears it at the end', () => {
    const text = run('bar');
    expect(text).toContain('\r\x1b[2Kmemlens ');
    expect(text).toContain('1/2  0:01 elapsed  ETA 0:02  b.txt');
    expect(text).toContain('\r\x1b[2Kmemlens: [2/2] FAILED b.txt: is in no format memlens knows\n');
    expect(text.endsWith('\r\x1b[2K')).toBe(true);
    expect(text).not.toContain('a.tgz: critical');
  });

  it('says nothing when quiet', () => {
    expect(run('quiet')).toBe('');
  });
});
