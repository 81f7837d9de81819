import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, loadFixture, loadText, MI, samples, T0 } from '../../helpers/exports.js';

const FORMAT = '__name__,namespace,pod,container,id,reason,resource,__value__,__timestamp__:unix_s';
const OLD_ID =
  '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5f3e0c1a_2b4d_4e6f_8a9b_0c1d2e3f4a5b.slice/cri-containerd-3b1c5e7f9a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d.scope';

describe('victoriametrics-csv', () => {
  it('asks for --vm-format when the file has no header (before v1.140)', async () => {
    await expect(loadFixture('victoriametrics-export-noheader.csv')).rejects.toThrow(
      /without a header \(written before v1\.140\)\. Give the format= list it was exported with: its rows have 9 fields, so 9 names in that order \(first row: "container_oom_events_total,shop,report-5c8b,reader,.*"\), e\.g\. --vm-format /,
    );
  });

  it('reads the headerless export with --vm-format: raw samples, no stale repeats', async () => {
    const ds = await loadFixture('victoriametrics-export-noheader.csv', { settings: { vmFormat: FORMAT } });
    expect(ds.input.format).toBe('victoriametrics-csv');
    expect(ds.input.details.header).toBe(false);
    const ws = samples(ds, 'container_memory_working_set_bytes', { id: OLD_ID });
    expect(ws).toHaveLength(12); // the old container stopped after step 11
    expect(ws[0]).toEqual([T0, 150 * MI]);
    expect(
      samples(ds, 'kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}', {
        container: 'api',
      })[0],
    ).toEqual([T0 + 12 * 15000, 1]);
  });

  it('reads the v1.140+ header and gives the same data; rejects a --vm-format of the wrong width', async () => {
    const body = readFileSync(fixture('victoriametrics-export-noheader.csv'));
    const withHeader = await loadText(Buffer.concat([Buffer.from(`${FORMAT}\n`), body]), {}, 'vm.csv');
    const without = await loadFixture('victoriametrics-export-noheader.csv', {
      settings: { vmFormat: FORMAT },
    });
    expect(withHeader.input.details.header).toBe(true);
    expect(withHeader.table).toEqual(without.table);
    await expect(
      loadFixture('victoriametrics-export-noheader.csv', {
        settings: { vmFormat: '__name__,__value__,__timestamp__' },
      }),
    ).rejects.toThrow(/--vm-format names 3 fields but the first row has 9/);
  });

  it('reads backslash-quoted label values as VictoriaMetrics writes them', async () => {
    const text =
      '__name__,pod,note,__value__,__timestamp__:rfc3339\n' +
      'container_memory_rss,p,"say \\"hi\\", ok",5,2023-11-14T22:13:23.217Z\n';
    const ds = await loadText(text, {}, 'vm.csv');
    expect(samples(ds, 'container_memory_rss', { note: 'say "hi", ok' })).toEqual([[T0 + 3217, 5]]);
  });
});

describe('victoriametrics-json', () => {
  it('reads /api/v1/export JSON lines to the same samples as the CSV export', async () => {
    const json = await loadFixture('victoriametrics-export.jsonl');
    const csv = await loadFixture('victoriametrics-export-noheader.csv', { settings: { vmFormat: FORMAT } });
    expect(json.input.format).toBe('victoriametrics-json');
    for (const field of csv.table.fields)
      expect(samples(json, field, { namespace: 'shop' }), field).toEqual(
        samples(csv, field, { namespace: 'shop' }),
      );
  });

  it('merges one series split over several lines; null is no sample, "Infinity" is +Inf', async () => {
    const m = '{"__name__":"container_spec_memory_limit_bytes","pod":"p","namespace":"n","container":"c"}';
    const text =
      `{"metric":${m},"values":[1,null],"timestamps":[1700000000000,1700000015000]}\n` +
      `{"metric":${m},"values":["Infinity"],"timestamps":[1700000030000]}\n`;
    const ds = await loadText(text, {}, 'vm.jsonl');
    expect(ds.table.series).toHaveLength(1);
    expect(samples(ds, 'container_spec_memory_limit_bytes', { pod: 'p' })).toEqual([
      [T0, 1],
      [T0 + 30000, Number.POSITIVE_INFINITY],
    ]);
    expect(ds.input.details.mergedLines).toBe(1);
  });

  it('reads bare NaN and Infinity of VictoriaMetrics before 1.77 as a gap and +Inf', async () => {
    const m = '{"__name__":"container_spec_memory_limit_bytes","pod":"p","namespace":"n","container":"c"}';
    const text = `{"metric":${m},"values":[100,NaN,105,Infinity],"timestamps":[${[0, 1, 2, 3].map((i) => T0 + i * 15000)}]}\n`;
    const ds = await loadText(text, {}, 'vm.jsonl');
    expect(ds.input.details.badInput).toBe(0);
    expect(samples(ds, 'container_spec_memory_limit_bytes', { pod: 'p' })).toEqual([
      [T0, 100],
      [T0 + 30000, 105],
      [T0 + 45000, Number.POSITIVE_INFINITY],
    ]);
  });

  it('loses only the damaged line: one cut short, text between lines, a stray brace', async () => {
    const line = (pod: string) =>
      `{"metric":{"__name__":"container_memory_rss","pod":"${pod}","namespace":"n","container":"c"},"values":[1],"timestamps":[${T0}]}`;
    const text = [
      line('a'),
      line('b').slice(0, 60),
      line('c'),
      'this is not json',
      line('d'),
      `}${line('e')}`,
      line('f'),
    ].join('\n');
    const ds = await loadText(`${text}\n`, {}, 'vm.jsonl');
    const pods = ds.hints.map((h) => h.labels?.pod).sort();
    expect(pods).toEqual(['a', 'c', 'd', 'e', 'f']);
    expect(ds.input.details.badInput).toBe(3);
    expect(ds.input.warnings.slice(0, 3)).toEqual([
      'vm.jsonl:2: a line that is not valid JSON (the line ends inside its entry: a line cut short?) was skipped',
      'vm.jsonl:4: a line that is not valid JSON (text that is no JSON entry) was skipped',
      'vm.jsonl:6: a line that is not valid JSON (text that is no JSON entry) was skipped',
    ]);
  });
});
