/**
 * Escaping for the one-file HTML report. Every string that reaches the page goes through
 * `html` (text and attribute context) or `jsonForScript` (data islands); nothing is concatenated raw.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML text and (quoted) attribute context alike. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Markup that is already safe: built by `html`, or trusted (rendered SVG after `assertSafeSvg`). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

function piece(v: HtmlValue): string {
  if (v == null || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(piece).join('');
  return escapeHtml(String(v));
}

/**
 * Tagged template: interpolated values are escaped unless they are SafeHtml (nested `html`),
 * so escaping is the default and forgetting it is impossible.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/**
 * Text of memlens' own messages, which mark commands and metric names with backticks as in
 * Markdown (summary.md shows them as code): escaped, then each `span` set in <code>. Escaping
 * first means a backtick from an input (a label) can only make code of already escaped text.
 */
export function prose(s: string): SafeHtml {
  return new SafeHtml(escapeHtml(s).replace(/`([^`\n]+)`/g, '<code>$1</code>'));
}

/** Marks a string as trusted markup. Only for text memlens itself wrote (CSS, scripts, checked SVG). */
export function raw(s: string): SafeHtml {
  return new SafeHtml(s);
}

/**
 * JSON for a `<script type="application/json">` island: `<`, `>`, `&` and the JavaScript line
 * separators are written as \u escapes, so no label can close the script element (`</script>`)
 * or open a comment (`<!--`); JSON.parse reads the escapes back to the same characters.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Vega escapes every text and attribute it writes; this is the second line of defence before an
 * SVG goes into the page unescaped: no script, no event handler, no foreign content, no external link.
 */
export function assertSafeSvg(svg: string): SafeHtml {
  if (!svg.startsWith('<svg')) throw new Error('chart renderer returned something other than SVG');
  for (const m of svg.matchAll(/<\s*([a-zA-Z][\w:-]*)((?:\s+[^\s=>]+\s*=\s*"[^"]*")*)\s*\/?>/g)) {
    const [, tag, attrs] = m;
    if (/^(script|foreignObject|iframe|object|embed|style)$/i.test(tag))
      throw new Error(`chart SVG contains a <${tag}> element`);
    // Names only: a value may well contain "onerror=" as escaped text of a label.
    for (const a of attrs.matchAll(/\s+([^\s=>]+)\s*=\s*"([^"]*)"/g)) {
      const [, name, value] = a;
      if (/^on/i.test(name)) throw new Error('chart SVG contains an event handler attribute');
      if (/(^|:)href$/i.test(name) && !value.startsWith('#'))
        throw new Error('chart SVG links outside the page');
    }
  }
  // Every tag must have parsed as name + double-quoted attributes; anything else is not vega's output.
  const tags = svg.match(/<[^/!?][^>]*>/g)?.length ?? 0;
  const parsed = [...svg.matchAll(/<\s*([a-zA-Z][\w:-]*)((?:\s+[^\s=>]+\s*=\s*"[^"]*")*)\s*\/?>/g)].length;
  if (tags !== parsed) throw new Error('chart SVG has a tag memlens cannot check');
  return new SafeHtml(svg);
}
