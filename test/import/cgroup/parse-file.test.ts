import { describe, expect, it } from 'vitest';
import { isCgroupMemoryFile, parseCgroupFile, parseValue } from '../../../src/import/cgroup/parse-file.js';

function parse(name: string, text: string) {
  const fields: Record<string, number> = {};
  const problems: { line: number; text: string }[] = [];
  parseCgroupFile(
    name,
    text,
    (f, v) => (fields[f] = v),
    (p) => problems.push(p),
  );
  return { fields, problems };
}

describe('parseCgroupFile', () => {
  it('reads memory.stat by key, keeping keys it does not know', () => {
    const { fields, problems } = parse(
      'memory.stat',
      'cache 3489792\nrss 1798144\ntotal_inactive_file 3117056\nsome_future_key 7\n',
    );
    expect(fields).toEqual({
      'memory.stat:cache': 3489792,
      'memory.stat:rss': 1798144,
      'memory.stat:total_inactive_file': 3117056,
      'memory.stat:some_future_key': 7,
    });
    expect(problems).toEqual([]);
  });

  it('reads oom_control and events as key/value files', () => {
    expect(parse('memory.oom_control', 'oom_kill_disable 0\nunder_oom 0\noom_kill 3\n').fields).toEqual({
      'memory.oom_control:oom_kill_disable': 0,
      'memory.oom_control:under_oom': 0,
      'memory.oom_control:oom_kill': 3,
    });
    expect(
      parse('memory.events', 'low 0\nhigh 12\nmax 40\noom 2\noom_kill 2\noom_group_kill 0\n').fields[
        'memory.events:oom_kill'
      ],
    ).toBe(2);
  });

  it('reads single-value files, "max" as unlimited', () => {
    expect(parse('memory.usage_in_bytes', '6582272\n').fields).toEqual({ 'memory.usage_in_bytes': 6582272 });
    expect(parse('memory.max', 'max\n').fields).toEqual({ 'memory.max': Number.POSITIVE_INFINITY });
    expect(
      parse('memory.limit_in_bytes', '9223372036854771712\n').fields['memory.limit_in_bytes'],
    ).toBeGreaterThan(2 ** 62);
  });

  it('reads PSI lines into some/full fields', () => {
    const { fields } = parse(
      'memory.pressure',
      'some avg10=1.50 avg60=0.30 avg300=0.00 total=123456\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=789\n',
    );
    expect(fields['memory.pressure:some.total']).toBe(123456);
    expect(fields['memory.pressure:some.avg10']).toBe(1.5);
    expect(fields['memory.pressure:full.total']).toBe(789);
  });

  it('reports lines that are not numbers with their line number and keeps the rest', () => {
    const { fields, problems } = parse('memory.stat', 'cache 10\nrss ten\n\nshmem 0\n');
    expect(fields).toEqual({ 'memory.stat:cache': 10, 'memory.stat:shmem': 0 });
    expect(problems).toEqual([{ line: 2, text: 'rss ten' }]);
    expect(parse('memory.current', 'garbage\n').problems).toEqual([{ line: 1, text: 'garbage' }]);
  });

  it('treats an empty file as having no fields and no problems', () => {
    expect(parse('memory.stat', '')).toEqual({ fields: {}, problems: [] });
  });
});

describe('parseValue / isCgroupMemoryFile', () => {
  it('accepts kernel integers only', () => {
    expect(parseValue('42')).toBe(42);
    expect(parseValue('-1')).toBe(-1);
    expect(parseValue('4k')).toBeNaN();
    expect(parseValue('')).toBeNaN();
  });
  it('knows which files are memory accounting', () => {
    expect(isCgroupMemoryFile('memory.stat')).toBe(true);
    expect(isCgroupMemoryFile('memory.numa_stat')).toBe(false);
    expect(isCgroupMemoryFile('cgroup.procs')).toBe(false);
  });
});
