import { parsePath } from '../../model/identity.js';
import type { KernelOomKill } from '../../model/metadata.js';
import type { Entity, MemModel, Series } from '../../model/model.js';
import { lastKnownAt } from '../../util/series.js';

/**
 * Every trace an OOM kill leaves, in order of trust:
 * 1. cgroup: the cgroup's own oom_kill counter (memory.oom_control / memory.events);
 * 2. kernel-log: the kernel's "oom-kill:" report naming the task's cgroup (meta/dmesg-oom.txt),
 *    which survives the cgroup's removal after the kill;
 * 3. kubernetes: the container's last termination reason OOMKilled (kubectl, kube-state-metrics),
 *    with its restart count;
 * 4. cadvisor: container_oom_events_total, parsed from the kernel log by cAdvisor and lost
 *    whenever the container is replaced (google/cadvisor#3015): a rise is a kill, a flat line
 *    proves nothing.
 * 5. restart: the series themselves show the container replaced (a new container ID or cgroup)
 *    right after its working set reached the limit. An inference, for data with no other witness:
 *    cAdvisor-only exports, where the kill took the old container's counter with it.
 * A kill seen by several sources is one kill: later sources corroborate earlier ones.
 */
export type OomSource = 'cgroup' | 'kernel-log' | 'kubernetes' | 'cadvisor' | 'restart';
export const SOURCE_ORDER: OomSource[] = ['cgroup', 'kernel-log', 'kubernetes', 'cadvisor', 'restart'];
/** Sources that only hint at a kill: a kill no other source saw is a possible one. */
export const WEAK_SOURCES: ReadonlySet<OomSource> = new Set(['cadvisor', 'restart']);

export interface KillEvent {
  /** The most trusted source that saw it. */
  source: OomSource;
  seenBy: Set<OomSource>;
  kills: number;
  /** When: between `from` and `to` (epoch ms); equal when the time is exact. */
  from: number;
  to: number;
  timeKnown: boolean;
  /** It happened before the first sample of the series. */
  beforeWindow: boolean;
  /** Index of the last sample at or before the kill, -1 when none. */
  before: number;
  /** The kernel's report of the kill, when the log has it. */
  kernel?: KernelOomKill;
  /** Restarts Kubernetes counted at that time. */
  restarts?: number;
  /** kills matched to this event from the kernel log so far. */
  kernelMatched: number;
}

export interface GatherOptions {
  toleranceMs: number;
  /** Infer a kill from a restart whose last working set before was at least this share of the limit. */
  restartShare?: number;
  /** …and no older than this before the new instance's first sample. */
  restartLookbackMs?: number;
}

export function gatherKills(s: Series, model: MemModel, opts: GatherOptions): KillEvent[] {
  const events: KillEvent[] = [];
  fromCounter(s, 'oomKills', 'cgroup', events);
  fromKernelLog(s, kernelKillsOf(model, s.entity), events, opts);
  fromKubernetes(s, events, opts);
  fromCounter(s, 'oomEvents', 'cadvisor', events, opts);
  fromRestarts(s, events, opts);
  return events.sort((a, b) => a.from - b.from);
}

/** Kernel-log kills of this container: its own IDs and earlier IDs metadata gives the same name. */
export function kernelKillsOf(model: MemModel, e: Entity): KernelOomKill[] {
  const all = model.metadata.kernelOoms ?? [];
  if (all.length === 0) return [];
  const ids = new Set(e.containerIds);
  for (const [id, m] of model.metadata.containers)
    if (e.podUid && e.container && m.podUid === e.podUid && m.name === e.container) ids.add(id);
  return all.filter((k) => {
    const id = k.taskCgroup ? parsePath(k.taskCgroup).containerId : undefined;
    return id !== undefined && ids.has(id);
  });
}

function fromCounter(
  s: Series,
  column: 'oomKills' | 'oomEvents',
  source: OomSource,
  events: KillEvent[],
  opts?: GatherOptions,
): void {
  const c = s.col(column);
  if (!c || !s.has(column)) return;
  let prev = -1;
  for (let i = 0; i < s.length; i++) {
    if (Number.isNaN(c[i])) continue;
    if (prev < 0) {
      prev = i;
      if (c[i] > 0)
        add(
          events,
          { source, kills: c[i], from: s.t[i], to: s.t[i], timeKnown: false, beforeWindow: true, before: -1 },
          opts,
        );
      continue;
    }
    const delta = c[i] - c[prev];
    if (delta > 0)
      add(
        events,
        {
          source,
          kills: delta,
          from: s.t[prev],
          to: s.t[i],
          timeKnown: true,
          beforeWindow: false,
          before: prev,
        },
        opts,
      );
    prev = i;
  }
}

function fromKernelLog(s: Series, kills: KernelOomKill[], events: KillEvent[], opts: GatherOptions): void {
  if (kills.length === 0 || s.length === 0) return;
  const first = s.t[0];
  const last = s.t[s.length - 1];
  let untimed: KernelOomKill[] = [];
  for (const k of kills) {
    if (!Number.isFinite(k.at)) {
      untimed.push(k);
      continue;
    }
    const beforeWindow = k.at < first - opts.toleranceMs;
    // A kill the counter saw: attach the kernel's report to the nearest counter rise with room.
    let match: KillEvent | undefined;
    for (const e of events) {
      if (e.source !== 'cgroup' || e.kernelMatched >= e.kills || e.beforeWindow !== beforeWindow) continue;
      if (!beforeWindow && !(k.at >= e.from - opts.toleranceMs && k.at <= e.to + opts.toleranceMs)) continue;
      if (!match || distance(k.at, e) < distance(k.at, match)) match = e;
    }
    if (match) {
      match.kernelMatched++;
      match.seenBy.add('kernel-log');
      match.kernel = k;
      continue;
    }
    const before = beforeWindow ? -1 : lastIndexAtOrBefore(s, k.at);
    add(events, {
      source: 'kernel-log',
      kills: 1,
      from: k.at,
      to: k.at,
      timeKnown: true,
      beforeWindow,
      before,
      kernel: k,
    });
  }
  // Without the boot time the log cannot be placed: only kills beyond what the counter shows count.
  if (untimed.length) {
    const counted = events.filter((e) => e.source === 'cgroup').reduce((n, e) => n + e.kills, 0);
    for (const e of events) if (e.source === 'cgroup') e.seenBy.add('kernel-log');
    untimed = untimed.slice(counted);
    if (untimed.length)
      add(events, {
        source: 'kernel-log',
        kills: untimed.length,
        from: last,
        to: last,
        timeKnown: false,
        beforeWindow: false,
        before: -1,
        kernel: untimed[untimed.length - 1],
      });
  }
}

function fromKubernetes(s: Series, events: KillEvent[], opts: GatherOptions): void {
  // Time series from kube-state-metrics. The reason series exists only once there was a
  // termination, so each restart whose reason (then or within the next samples) is OOMKilled is a kill.
  const reason = s.col('lastTerminatedOom');
  const restarts = s.col('restarts');
  if (reason && s.has('lastTerminatedOom')) {
    const reasonFrom = (i: number) => {
      for (let j = i; j < s.length && s.t[j] - s.t[i] <= opts.toleranceMs; j++)
        if (!Number.isNaN(reason[j])) return reason[j];
      return Number.NaN;
    };
    // A kill already there in the first sample: before the data, at a time not known.
    const beforeData = (i: number, restartCount?: number) =>
      add(
        events,
        {
          source: 'kubernetes',
          kills: 1,
          from: s.t[i],
          to: s.t[i],
          timeKnown: false,
          beforeWindow: true,
          before: -1,
          ...(restartCount === undefined ? {} : { restarts: restartCount }),
        },
        opts,
      );
    // A kill between two samples.
    const between = (prev: number, i: number, restartCount?: number) =>
      add(
        events,
        {
          source: 'kubernetes',
          kills: 1,
          from: s.t[prev],
          to: s.t[i],
          timeKnown: true,
          beforeWindow: false,
          before: prev,
          ...(restartCount === undefined ? {} : { restarts: restartCount }),
        },
        opts,
      );
    if (restarts && s.has('restarts')) {
      let prev = -1;
      for (let i = 0; i < s.length; i++) {
        if (Number.isNaN(restarts[i])) continue;
        if (prev < 0) {
          prev = i;
          if (restarts[i] > 0 && reasonFrom(i) === 1) beforeData(i, restarts[i]);
          continue;
        }
        if (restarts[i] > restarts[prev] && reasonFrom(i) === 1) between(prev, i, restarts[i]);
        prev = i;
      }
      return;
    }
    // No restart counter: a reason that turns OOMKilled is a kill; one that already is, came before.
    let prev = -1;
    for (let i = 0; i < s.length; i++) {
      if (Number.isNaN(reason[i])) continue;
      if (prev < 0 && reason[i] === 1) beforeData(i);
      else if (prev >= 0 && reason[prev] !== 1 && reason[i] === 1) between(prev, i);
      prev = i;
    }
    return;
  }
  // A status snapshot (kubectl, docker inspect): the last termination only.
  const m = s.entity.meta;
  if (!m || !(m.lastTerminatedReason === 'OOMKilled' || m.oomKilled)) return;
  const at = m.lastTerminatedAt;
  if (at !== undefined && Number.isFinite(at)) {
    const beforeWindow = at < s.t[0] - opts.toleranceMs;
    add(
      events,
      {
        source: 'kubernetes',
        kills: 1,
        from: at,
        to: at,
        timeKnown: true,
        beforeWindow,
        before: beforeWindow ? -1 : lastIndexAtOrBefore(s, at),
        restarts: m.restartCount,
      },
      opts,
    );
  } else {
    const last = events.at(-1);
    if (last) {
      last.seenBy.add('kubernetes');
      last.restarts ??= m.restartCount;
    } else
      add(events, {
        source: 'kubernetes',
        kills: 1,
        from: s.t[s.length - 1],
        to: s.t[s.length - 1],
        timeKnown: false,
        beforeWindow: false,
        before: -1,
        restarts: m.restartCount,
      });
  }
}

/**
 * A new instance of the container whose old one last showed its working set at the limit. Where
 * Kubernetes gives the reason for that restart (kube-state-metrics' reason series after it, or
 * kubectl's last termination at that time), the reason decides and nothing is inferred.
 */
function fromRestarts(s: Series, events: KillEvent[], opts: GatherOptions): void {
  const replaced = s.entity.replacedAt;
  const ws = s.col('workingSet');
  const limit = s.col('limit');
  if (!replaced || opts.restartShare === undefined || !ws || !limit) return;
  const reason = s.has('lastTerminatedOom') ? s.col('lastTerminatedOom') : undefined;
  const m = s.entity.meta;
  const tol = opts.toleranceMs;
  for (const t of replaced) {
    let start = 0;
    while (start < s.length && s.t[start] < t) start++;
    if (start === 0 || start === s.length) continue;
    const j = lastKnownAt(ws, start - 1);
    if (j < 0 || s.t[start] - s.t[j] > (opts.restartLookbackMs ?? Number.POSITIVE_INFINITY)) continue;
    const l = limit[lastKnownAt(limit, j)];
    if (!(l > 0 && Number.isFinite(l) && ws[j] >= opts.restartShare * l)) continue;
    const from = s.t[start - 1];
    const to = s.t[start];
    if (reason && knownFrom(s, reason, start)) continue;
    const at = m?.lastTerminatedAt;
    if (m?.lastTerminatedReason !== undefined && at !== undefined && at >= from - tol && at <= to + tol)
      continue;
    add(
      events,
      { source: 'restart', kills: 1, from, to, timeKnown: true, beforeWindow: false, before: start - 1 },
      opts,
    );
  }
}

/** Whether a column has a known value at or after row i. */
function knownFrom(s: Series, c: Float64Array, i: number): boolean {
  for (let j = i; j < s.length; j++) if (!Number.isNaN(c[j])) return true;
  return false;
}

type NewEvent = Omit<KillEvent, 'seenBy' | 'kernelMatched'>;

/** Adds an event, or folds it into a more trusted one that covers the same time. */
function add(events: KillEvent[], e: NewEvent, opts?: GatherOptions): void {
  if (opts) {
    const tol = opts.toleranceMs;
    // The nearest more trusted event this source has not accounted for yet.
    let same: KillEvent | undefined;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const x of events) {
      if (SOURCE_ORDER.indexOf(x.source) >= SOURCE_ORDER.indexOf(e.source) || x.seenBy.has(e.source))
        continue;
      if (x.beforeWindow !== e.beforeWindow) continue;
      if (!e.beforeWindow && !(e.from <= x.to + tol && e.to >= x.from - tol)) continue;
      const d = Math.abs((e.from + e.to) / 2 - (x.from + x.to) / 2);
      if (d < bestDistance) {
        same = x;
        bestDistance = d;
      }
    }
    if (same) {
      same.seenBy.add(e.source);
      same.restarts ??= e.restarts;
      return;
    }
  }
  events.push({ ...e, seenBy: new Set([e.source]), kernelMatched: e.source === 'kernel-log' ? e.kills : 0 });
}

/** 0 inside the event's interval, else how far outside. */
function distance(t: number, e: KillEvent): number {
  return t < e.from ? e.from - t : t > e.to ? t - e.to : 0;
}

function lastIndexAtOrBefore(s: Series, t: number): number {
  let j = -1;
  for (let i = 0; i < s.length && s.t[i] <= t; i++) j = i;
  return j;
}
