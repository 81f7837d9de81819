import { UsageError } from '../errors.js';

/** A PromQL-style label selector: {namespace="shop", container=~"api.*", pod!="x"}. */
export interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
  re?: RegExp;
}

export const SELECTOR_LABELS = [
  'namespace',
  'pod',
  'container',
  'key',
  'node',
  'qos',
  'cgroup',
  'container_id',
  'pod_uid',
];

const MATCHER_RE = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/;

export function parseSelector(text: string): Matcher[] {
  let s = text.trim();
  if (!s.startsWith('{') || !s.endsWith('}')) {
    throw new UsageError(`--match must look like {namespace="shop",container=~"api.*"}, got: ${text}`);
  }
  s = s.slice(1, -1).trim();
  const out: Matcher[] = [];
  while (s) {
    const m = MATCHER_RE.exec(s);
    if (!m)
      throw new UsageError(
        `--match: cannot read "${s}"; write label="value", label=~"regex", label!="value" or label!~"regex"`,
      );
    const [whole, label, op, raw] = m;
    if (!SELECTOR_LABELS.includes(label)) {
      throw new UsageError(`--match: unknown label "${label}"; use one of ${SELECTOR_LABELS.join(', ')}`);
    }
    const value = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    const matcher: Matcher = { label, op: op as Matcher['op'], value };
    if (op === '=~' || op === '!~') {
      try {
        // PromQL regexes are fully anchored.
        matcher.re = new RegExp(`^(?:${value})$`);
      } catch (e) {
        throw new UsageError(`--match: bad regular expression "${value}": ${(e as Error).message}`);
      }
    }
    out.push(matcher);
    s = s.slice(whole.length).trim();
  }
  return out;
}

export function matches(matchers: Matcher[], labels: Record<string, string | undefined>): boolean {
  return matchers.every((m) => {
    const v = labels[m.label] ?? '';
    switch (m.op) {
      case '=':
        return v === m.value;
      case '!=':
        return v !== m.value;
      case '=~':
        return m.re!.test(v);
      default:
        return !m.re!.test(v);
    }
  });
}
