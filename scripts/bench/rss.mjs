// Loaded with `node --import` by the benchmark: prints the process's peak RSS and CPU time (all
// threads) at exit. CPU time is the steadier measure when other work shares the cores.
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\nBENCH_MAXRSS_KB=${u.maxRSS}\nBENCH_CPU_US=${u.userCPUTime + u.systemCPUTime}\n`);
});
