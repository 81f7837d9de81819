// Preloaded into a measured process: writes its peak resident set size (KiB) when it exits.
import { writeFileSync } from 'node:fs';

const out = process.env.MEMLENS_BENCH_RSS_FILE;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
