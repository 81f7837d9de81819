import type { ContainerSummary } from '../result.js';

/**
 * A container's OOM kills as tables show them: the counted ones, "?" when the data holds no kill
 * counter or termination reason (unknown is not none), and the possible ones beside them, so the
 * table says what the verdict says ("possibly OOM-killed once").
 */
export function killsText(c: Pick<ContainerSummary, 'oomKills' | 'possibleOomKills'>): string {
  const counted = c.oomKills === null ? '?' : String(c.oomKills);
  return c.possibleOomKills ? `${counted} (+${c.possibleOomKills} possible)` : counted;
}
