import * as aq from 'arquero';
import type { AnalysisResult } from '../result.js';

/** containers.csv: one row per container, the same numbers as findings.json. */
export function containersCsv(r: AnalysisResult): string {
  const rows = r.containers.map((c) => ({
    key: c.entity.key,
    namespace: c.entity.namespace ?? '',
    pod: c.entity.pod ?? '',
    container: c.entity.container ?? '',
    pod_uid: c.entity.podUid ?? '',
    container_id: c.entity.containerId ?? '',
    cgroup: c.entity.cgroup ?? '',
    qos: c.entity.qos ?? '',
    node: c.entity.node ?? '',
    limit_bytes: c.unlimited ? 'unlimited' : (c.limitBytes ?? ''),
    peak_usage_bytes: c.peak.usageBytes ?? '',
    peak_working_set_bytes: c.peak.workingSetBytes ?? '',
    peak_rss_bytes: c.peak.rssBytes ?? '',
    peak_cache_bytes: c.peak.cacheBytes ?? '',
    peak_active_file_bytes: c.peak.activeFileBytes ?? '',
    peak_inactive_file_bytes: c.peak.inactiveFileBytes ?? '',
    peak_shmem_bytes: c.peak.shmemBytes ?? '',
    oom_kills: c.oomKills ?? '',
    possible_oom_kills: c.possibleOomKills,
    recommended_limit_bytes: c.recommendedLimitBytes ?? '',
    severity: c.severity,
    verdict: c.verdict ?? '',
  }));
  if (rows.length === 0) return 'key\n';
  // arquero quotes fields with commas, quotes and newlines as RFC 4180 asks.
  return `${aq.from(rows).toCSV()}\n`;
}
