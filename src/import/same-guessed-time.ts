import { iso } from '../util/time.js';
import type { Dataset } from './types.js';

/**
 * Snapshots whose time memlens had to guess (no timestamps, no time in the file name: the file's
 * modification time) and guessed the same: copied together (`kubectl cp`, `scp`) rather than taken
 * together. Their samples would merge as one moment, the first input's values winning, and the
 * series they were meant to form would be lost without a word. Each gets a warning naming the others.
 */
export function warnSameGuessedTime(datasets: Dataset[]): void {
  const byTime = new Map<number, Dataset[]>();
  for (const ds of datasets) {
    const t = ds.input.details.guessedTime;
    if (typeof t !== 'number') continue;
    byTime.set(t, [...(byTime.get(t) ?? []), ds]);
  }
  for (const [t, same] of byTime) {
    if (same.length < 2) continue;
    for (const ds of same) {
      const others = same.filter((o) => o !== ds).map((o) => o.input.path);
      ds.input.warnings.push(
        `${ds.input.path}: placed at the same guessed time (${iso(t)}) as ${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}: ` +
          'their modification times are equal (copied together?), so their samples read as one moment and only the first input’s values count. ' +
          'Name snapshots scrape-<unixseconds>.prom with the time they were taken',
      );
    }
  }
}
