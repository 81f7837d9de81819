// Loaded with `node --import` by the benchmark: prints the process's peak RSS and CPU time (all
// threads) when it exits. Worker threads load this hook too; only the main thread reports, since
// a worker exits long before the process is done.
import { isMainThread } from 'node:worker_threads';

if (isMainThread)
  process.on('exit', () => {
    const u = process.resourceUsage();
    process.stderr.write(`\nBENCH_MAXRSS_KB=${u.maxRSS}\nBENCH_CPU_US=${u.userCPUTime + u.systemCPUTime}\n`);
  });
