import activeFileInWorkingSet from './active-file-in-working-set.js';
import anonGrowth from './anon-growth.js';
import cacheInflatedUsage from './cache-inflated-usage.js';
import inconsistentMetrics from './inconsistent-metrics.js';
import noLimit from './no-limit.js';
import oomKill from './oom-kill.js';
import shmemNotReclaimable from './shmem-not-reclaimable.js';
import type { PassDef } from './types.js';
import usagePinnedByCache from './usage-pinned-by-cache.js';
import workingSetNearLimit from './working-set-near-limit.js';

/** Every pass, in report order. The registry test checks ids, docs and tests against this list. */
// biome-ignore lint/suspicious/noExplicitAny: passes differ in their option types
export const PASSES: readonly PassDef<any>[] = [
  oomKill,
  workingSetNearLimit,
  anonGrowth,
  shmemNotReclaimable,
  usagePinnedByCache,
  cacheInflatedUsage,
  activeFileInWorkingSet,
  noLimit,
  inconsistentMetrics,
];
