import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../../src/report/charts/render.js';
import {
  assertSafeSvg,
  escapeHtml,
  html,
  jsonForScript,
  prose,
  raw,
} from '../../../src/report/html/escape.js';

const XSS = '<img src=x onerror=alert(1)>';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('prose', () => {
  it('sets backticked spans of a message in <code>, after escaping, so markup in them stays text', () => {
    expect(prose('the kubelet and `kubectl top` watch it').value).toBe(
      'the kubelet and <code>kubectl top</code> watch it',
    );
    expect(prose(`container \`${XSS}\` & one \` left open`).value).toBe(
      'container <code>&lt;img src=x onerror=alert(1)&gt;</code> &amp; one ` left open',
    );
  });
});

describe('html template', () => {
  it('escapes interpolated strings in text and attribute context', () => {
    const out = html`<p title="${`" onmouseover="alert(1)`}">${XSS}</p>`.value;
    expect(out).toBe('<p title="&quot; onmouseover=&quot;alert(1)">&lt;img src=x onerror=alert(1)&gt;</p>');
    expect(out).not.toContain('<img');
  });

  it('keeps nested html and raw() as markup, escapes arrays item by item, drops null and false', () => {
    const items = ['<b>', 'c&d'];
    const out = html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>${null}${false}${raw('<hr>')}${0}`
      .value;
    expect(out).toBe('<ul><li>&lt;b&gt;</li><li>c&amp;d</li></ul><hr>0');
  });
});

describe('jsonForScript', () => {
  it('cannot close a script element or open a comment, and parses back to the same value', () => {
    const value = {
      key: '</script><script>alert(2)</script>',
      c: '<!-- x -->',
      ls: 'a\u2028b\u2029c',
      amp: 'a&b',
    };
    const s = jsonForScript(value);
    expect(s).not.toMatch(/<\/script/i);
    expect(s).not.toContain('<!--');
    expect(s).not.toMatch(/[<>\u2028\u2029]/);
    expect(JSON.parse(s)).toEqual(value);
  });
});

describe('assertSafeSvg', () => {
  it('accepts what vega renders for hostile labels, with the label as escaped text', async () => {
    const svg = await renderSvg({
      data: { values: [{ x: 1, y: 2, k: XSS }] },
      mark: 'point',
      encoding: {
        x: { field: 'x', type: 'quantitative' },
        y: { field: 'y', type: 'quantitative' },
        color: { field: 'k', type: 'nominal' },
      },
    });
    expect(() => assertSafeSvg(svg)).not.toThrow();
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(svg).not.toContain(XSS);
  });

  it.each([
    ['a script element', '<svg><script>alert(1)</script></svg>'],
    ['an event handler', '<svg><rect onload="alert(1)"/></svg>'],
    ['an external link', '<svg><a xlink:href="https://example.com/x"><rect/></a></svg>'],
    ['a javascript: link', '<svg><a href="javascript:alert(1)"><rect/></a></svg>'],
    ['foreign content', '<svg><foreignObject><div/></foreignObject></svg>'],
    ['an unquoted attribute', '<svg><rect onload=alert(1)/></svg>'],
    ['something that is not SVG', '<div></div>'],
  ])('rejects %s', (_, svg) => {
    expect(() => assertSafeSvg(svg)).toThrow();
  });

  it('accepts in-page links', () => {
    expect(() => assertSafeSvg('<svg><a xlink:href="#c-3"><path d="M0,0"/></a></svg>')).not.toThrow();
  });
});
