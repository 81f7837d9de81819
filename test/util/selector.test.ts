import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { matches, parseSelector } from '../../src/util/selector.js';

describe('parseSelector / matches', () => {
  const labels = { namespace: 'shop', pod: 'api-7f', container: 'api', key: 'shop/api-7f/api' };
  it('supports =, !=, =~ and !~ with anchored regexes', () => {
    expect(matches(parseSelector('{namespace="shop",container=~"ap.*"}'), labels)).toBe(true);
    expect(matches(parseSelector('{container=~"ap"}'), labels)).toBe(false);
    expect(matches(parseSelector('{namespace!="shop"}'), labels)).toBe(false);
    expect(matches(parseSelector('{ pod !~ "db.*" }'), labels)).toBe(true);
  });
  it('handles escaped quotes in values', () => {
    expect(parseSelector('{pod="a\\"b"}')[0].value).toBe('a"b');
  });
  it('rejects unknown labels, bad syntax and bad regexes with a usage error', () => {
    expect(() => parseSelector('{image="x"}')).toThrow(UsageError);
    expect(() => parseSelector('namespace="x"')).toThrow(/must look like/);
    expect(() => parseSelector('{pod=~"("}')).toThrow(/bad regular expression/);
  });
});
