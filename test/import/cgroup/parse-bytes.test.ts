import { describe, expect, it } from 'vitest';
import { CgroupBytesParser } from '../../../src/import/cgroup/parse-bytes.js';
import { parseCgroupFile } from '../../../src/import/cgroup/parse-file.js';
import { SampleTableBuilder } from '../../../src/model/samples.js';
import { expectSameTable } from '../../helpers/tables.js';

/**
 * The byte parser must give exactly what the text parser gives, or hand the file over to it:
 * each case is read both ways into a table and the tables compared (fields, order, values,
 * duplicates). When the byte parser declines, the text parser runs, as in the importer.
 */
function both(files: [string, string][]) {
  const fast = new SampleTableBuilder();
  const text = new SampleTableBuilder();
  const bytes = new CgroupBytesParser(fast);
  let declined = 0;
  const problems: string[] = [];
  files.forEach(([name, body], i) => {
    const rowF = fast.row(fast.seriesId('/x'), i);
    const rowT = text.row(text.seriesId('/x'), i);
    const data = Buffer.from(body, 'latin1');
    if (!bytes.parse(name, data, rowF)) {
      declined++;
      parseCgroupFile(
        name,
        data.toString('latin1'),
        (f, v) => fast.set(rowF, fast.fieldId(f), v),
        () => {},
      );
    }
    parseCgroupFile(
      name,
      body,
      (f, v) => text.set(rowT, text.fieldId(f), v),
      (p) => problems.push(`${name}:${p.line}`),
    );
  });
  expectSameTable(fast.build(), text.build());
  expect(fast.duplicates).toBe(text.duplicates);
  return { declined, problems };
}

const STAT_V1 =
  'cache 100671488\nrss 28897280\nshmem 0\nhierarchical_memory_limit 9223372036854771712\ntotal_cache 100671488\ntotal_rss 28897280\ntotal_inactive_file 100663296\n';
const STAT_V2 =
  'anon 31457280\nfile 68157440\nkernel 2097152\nshmem 0\ninactive_file 62914560\nactive_file 5242880\n';
const PRESSURE =
  'some avg10=0.12 avg60=3.40 avg300=12.00 total=123456789\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=300\n';

describe('CgroupBytesParser', () => {
  it('reads what the kernel writes without the text parser, and the same values', () => {
    const r = both([
      ['memory.stat', STAT_V1],
      ['memory.stat', STAT_V1],
      ['memory.stat', STAT_V2],
      ['memory.usage_in_bytes', '131072000\n'],
      ['memory.limit_in_bytes', '9223372036854771712\n'],
      ['memory.max', 'max\n'],
      ['memory.max', '134217728\n'],
      ['memory.oom_control', 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n'],
      ['memory.events', 'low 0\nhigh 0\nmax 17\noom 2\noom_kill 2\noom_group_kill 0\n'],
      ['memory.pressure', PRESSURE],
      ['memory.pressure', PRESSURE],
      ['memory.current', '4096'],
    ]);
    expect(r.declined).toBe(0);
  });

  it('hands anything unusual to the text parser, which reads it the same or reports it', () => {
    const r = both([
      ['memory.stat', 'cache 1\r\nrss 2\r\n'],
      ['memory.stat', 'cache\t1\nrss  2\n  total_rss 3  \n'],
      ['memory.stat', 'cache 1\n\n\nrss 2'],
      ['memory.stat', 'cache -1\nrss 2.5\nswap 1e3\n'],
      ['memory.stat', 'cache 1\ncache 2\n'],
      ['memory.stat', 'cache oops\nrss 2\n'],
      ['memory.stat', 'caché 1\nrss\u00a0 2\n'],
      ['memory.usage_in_bytes', '  4096  \n'],
      ['memory.usage_in_bytes', '4096\n\n'],
      ['memory.usage_in_bytes', '12 34\n'],
      ['memory.usage_in_bytes', 'nope\n'],
      ['memory.swap.events', 'high 0\nmax 0\nfail 0\n'],
      ['memory.numa_stat', 'total=1 N0=1\nfile=2 N0=2\n'],
      ['memory.pressure', 'some avg10=1.5e2 total=3\n'],
      ['memory.pressure', 'some  avg10=0.00 total=3 \nfull total=\n'],
      ['memory.pressure', 'some avg10=.5 avg60=5. total=3\n'],
      ['memory.stat', `huge ${'9'.repeat(25)}\nexact 9007199254740993\n`],
    ]);
    expect(r.declined).toBeGreaterThanOrEqual(12);
    expect(r.problems.length).toBeGreaterThan(0);
  });

  it('matches the text parser on thousands of damaged memory.stat and pressure files', () => {
    // Deterministic mutations of real files: flipped, dropped and inserted bytes of the kinds
    // that corrupt captures (spaces, tabs, CR, digits, letters, dots, newlines, Latin-1).
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = ' \t\r\n0123456789.-max=a\u00a0';
    const files: [string, string][] = [];
    for (let i = 0; i < 3000; i++) {
      const [name, base] = [
        ['memory.stat', STAT_V1],
        ['memory.stat', STAT_V2],
        ['memory.pressure', PRESSURE],
        ['memory.events', 'low 0\nhigh 0\nmax 17\noom 2\noom_kill 2\n'],
        ['memory.current', '4096\n'],
      ][i % 5];
      const chars = [...base];
      const edits = 1 + Math.floor(rand() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * chars.length);
        const c = alphabet[Math.floor(rand() * alphabet.length)];
        const op = rand();
        if (op < 0.4) chars[at] = c;
        else if (op < 0.7) chars.splice(at, 1);
        else chars.splice(at, 0, c);
      }
      files.push([name, chars.join('')]);
    }
    const r = both(files);
    // Most mutations break the kernel's shape; some keep it (a digit for a digit).
    expect(r.declined).toBeGreaterThan(1000);
    expect(r.declined).toBeLessThan(3000);
  });
});
