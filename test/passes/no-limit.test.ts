import { describe, expect, it } from 'vitest';
import { analyzeWith, findingsOf, loadFixture, MiB, statusOf } from '../helpers/fixtures.js';
import { metricsFromCapture } from '../helpers/prometheus.js';

const PASS = 'no-limit';
const AGENT = 'ops/log-agent-x7k2/agent';

describe('no-limit', () => {
  it('flags the container without a limit, bounded only by the node allocatable', async () => {
    const r = analyzeWith([await loadFixture('leak')]);
    const got = findingsOf(r, PASS, AGENT);
    expect(got).toHaveLength(1);
    const e = got[0].evidence;
    expect(got[0].severity).toBe('warning');
    expect(got[0].raw.bound).toBe('node’s allocatable (kubepods)');
    // record-fixture.sh sets 1 GiB on the kubepods cgroup, as the kubelet sets the allocatable.
    expect(e.boundBytes).toBe(1024 * MiB);
    expect(e.otherContainers).toBe(2);
    expect(e.peakWorkingSetBytes).toBeGreaterThan(24 * MiB);
    expect(e.otherWorkingSetBytes).toBeGreaterThan(e.peakWorkingSetBytes);
  });

  it.each([
    ['shop/cart-5b6c/cart', 'leak'],
    ['shop/recommender-8d2f/model', 'leak'],
    ['platform/config-server-0/server', 'healthy'],
  ] as const)('leaves %s (it has a limit) alone', async (key, fixture) => {
    expect(findingsOf(analyzeWith([await loadFixture(fixture)]), PASS, key)).toEqual([]);
  });

  it('reads cAdvisor’s 0 as unlimited in Prometheus data', async () => {
    const r = analyzeWith([metricsFromCapture(await loadFixture('leak'))]);
    const got = findingsOf(r, PASS, AGENT);
    expect(got).toHaveLength(1);
    // Only container series were exported: nothing above it is known.
    expect(got[0].evidence.boundBytes).toBeUndefined();
    expect(got[0].message).toContain('Nothing in this data stops it');
    expect(r.findings.filter((f) => f.pass === PASS)).toHaveLength(1);
  });

  it('does not take an unknown limit for no limit', async () => {
    const r = analyzeWith([metricsFromCapture(await loadFixture('leak'), { noLimit: true })]);
    expect(statusOf(r, PASS).status).toBe('not-applicable');
  });
});
