/**
 * Parses the text of one cgroup memory file into fields. Key/value files give 'file:key' fields;
 * single-value files give a field named after the file. memory.stat is read by key, and keys
 * memlens does not know are kept: the kernel adds keys in the middle over time.
 */
export interface ParsedField {
  field: string;
  value: number;
}
export interface ParseProblem {
  line: number;
  text: string;
  /** What is wrong, when it is not "not a number". */
  reason?: string;
}

/** Files with one "key value" pair per line. */
export const KEY_VALUE = new Set([
  'memory.stat',
  'memory.oom_control',
  'memory.events',
  'memory.events.local',
  'memory.swap.events',
]);

/** Files that are not memory accounting and are never parsed (per-NUMA stats, slab dumps). */
const IGNORED = new Set([
  'memory.numa_stat',
  'memory.kmem.slabinfo',
  'memory.pressure_level',
  'memory.force_empty',
]);

/** Files where the kernel writes "max" for "no limit"; anywhere else "max" is damage. */
export const MAX_FILES = new Set([
  'memory.max',
  'memory.high',
  'memory.low',
  'memory.min',
  'memory.swap.max',
  'memory.swap.high',
  'memory.zswap.max',
]);

/** True for the files a capture is made of. */
export function isCgroupMemoryFile(name: string): boolean {
  return name.startsWith('memory.') && !IGNORED.has(name);
}

/** Parses a value as the kernel writes it: an integer, or "max" for no limit. */
export function parseValue(s: string): number {
  if (s === 'max') return Number.POSITIVE_INFINITY;
  // Kernel values are integers; reject anything else so corruption is noticed, not averaged in.
  if (!/^-?\d+(\.\d+)?$/.test(s)) return Number.NaN;
  return Number(s);
}

export function parseCgroupFile(
  name: string,
  text: string,
  emitAny: (field: string, value: number) => void,
  problem: (p: ParseProblem) => void,
): void {
  // The kernel prints sizes and counts unsigned: a negative one is damage, not a value.
  let at = 0;
  let atText = '';
  const emit = (field: string, value: number) => {
    if (value < 0)
      problem({ line: at, text: atText, reason: 'is negative, which no cgroup memory value is' });
    else emitAny(field, value);
  };
  const lines = text.split('\n');
  if (name === 'memory.pressure') {
    // "some avg10=0.00 avg60=0.00 avg300=0.00 total=12345" — totals in µs, averages in %.
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (!line) continue;
      at = i + 1;
      atText = line;
      const [kind, ...pairs] = line.split(/\s+/);
      for (const pair of pairs) {
        const eq = pair.indexOf('=');
        const v = eq > 0 ? Number(pair.slice(eq + 1)) : Number.NaN;
        if (eq <= 0 || Number.isNaN(v)) problem({ line: i + 1, text: line });
        else emit(`${name}:${kind}.${pair.slice(0, eq)}`, v);
      }
    }
    return;
  }
  if (KEY_VALUE.has(name)) {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (!line) continue;
      at = i + 1;
      atText = line;
      const sp = line.indexOf(' ');
      const v = sp > 0 ? parseValue(line.slice(sp + 1).trim()) : Number.NaN;
      if (Number.isNaN(v)) problem({ line: i + 1, text: line });
      else emit(`${name}:${line.slice(0, sp)}`, v);
    }
    return;
  }
  const first = text.trim();
  if (!first) return;
  // Single-value files; a multi-line one we do not know is kept per line as name:N.
  if (!first.includes('\n') && !first.includes(' ')) {
    at = 1;
    atText = first;
    const v = parseValue(first);
    if (Number.isNaN(v)) problem({ line: 1, text: first });
    else emit(name, v);
    return;
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    at = i + 1;
    atText = line;
    const parts = line.split(/\s+/);
    const v = parseValue(parts.at(-1)!);
    if (parts.length === 2 && !Number.isNaN(v)) emit(`${name}:${parts[0]}`, v);
    else problem({ line: i + 1, text: line });
  }
}
