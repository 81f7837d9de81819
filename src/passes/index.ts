import cacheInflatedUsage from './cache-inflated-usage.js';
import oomKill from './oom-kill.js';
import type { PassDef } from './types.js';

/** Every pass, in report order. The registry test checks ids, docs and tests against this list. */
// biome-ignore lint/suspicious/noExplicitAny: passes differ in their option types
export const PASSES: readonly PassDef<any>[] = [oomKill, cacheInflatedUsage];
