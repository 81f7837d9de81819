import { describe, expect, it } from 'vitest';
import { csvCell, reportLink, sortRows, toSummaryCsv, toSummaryJson } from '../../src/batch/summary.js';
import type { BatchRow, ReportStats } from '../../src/batch/types.js';

function stats(extra: Partial<ReportStats>): ReportStats {
  return {
    files: ['findings.json', 'summary.md', 'containers.csv'],
    windowStart: '2026-11-27T19:16:50.000Z',
    windowEnd: '2026-11-27T19:17:07.000Z',
    containers: 3,
    critical: 0,
    warning: 0,
    info: 0,
    flagged: 0,
    findings: 0,
    oomKills: 0,
    worstSeverity: 'ok',
    verdict: null,
    warnings: [],
    warningCount: 0,
    ...extra,
  };
}

function row(name: string, extra: Partial<BatchRow>): BatchRow {
  return {
    name,
    status: 'ok',
    reused: false,
    inputs: [{ path: `in/${name}.tgz`, format: null, size: 1, mtimeMs: 1 }],
    generatedAt: '2026-11-27T20:00:00.000Z',
    stats: null,
    error: null,
    ...extra,
  };
}

const rows: BatchRow[] = [
  row('quiet', { stats: stats({}) }),
  row('broken', { status: 'failed', error: 'is in no format memlens knows' }),
  row('later', { status: 'interrupted', error: 'not analysed' }),
  row('cache', { stats: stats({ worstSeverity: 'info', info: 1 }) }),
  row('oom-b', { stats: stats({ worstSeverity: 'critical', critical: 1, flagged: 1, oomKills: 2 }) }),
  row('oom-a', { stats: stats({ worstSeverity: 'critical', critical: 1, flagged: 1, oomKills: 1 }) }),
  row('near', { stats: stats({ worstSeverity: 'warning', warning: 1, flagged: 1 }) }),
];

describe('summary rows', () => {
  it('come most severe first, failed inputs right after the warnings, then by name', () => {
    expect(sortRows(rows).map((r) => r.name)).toEqual([
      'oom-a',
      'oom-b',
      'near',
      'broken',
      'cache',
      'quiet',
      'later',
    ]);
  });

  it('link to the best file the report has, and failed rows to nothing', () => {
    expect(reportLink(rows[0])).toBe('quiet/summary.md');
    expect(reportLink({ ...rows[0], stats: stats({ files: ['containers.csv', 'report.html'] }) })).toBe(
      'quiet/report.html',
    );
    expect(reportLink(rows[1])).toBeNull();
  });

  it('are the same in summary.csv and summary.json', () => {
    const csv = toSummaryCsv(rows).trim().split('\n');
    const json = toSummaryJson(rows, { generatedAt: 0, fingerprint: 'f', totals: {} });
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(json.rows.map((r) => r.name));
    expect(csv[0]).toBe(
      'report,status,severity,verdict,containers,containers_flagged,containers_critical,containers_warning,containers_info,oom_kills,findings,window_start,window_end,inputs,formats,nodes,up_to_date,link,error',
    );
    expect(csv[1]).toBe(
      'oom-a,ok,critical,,3,1,1,0,0,1,0,2026-11-27T19:16:50.000Z,2026-11-27T19:17:07.000Z,in/oom-a.tgz,unknown,,no,oom-a/summary.md,',
    );
    expect(json.rows[3]).toMatchObject({
      name: 'broken',
      status: 'failed',
      severity: 'failed',
      report: null,
    });
  });
});

describe('csvCell', () => {
  it('quotes as RFC 4180 asks and defuses spreadsheet formulas in names', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(42)).toBe('42');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@sum')).toBe("'@sum");
    expect(csvCell(' padded')).toBe('" padded"');
  });
});
