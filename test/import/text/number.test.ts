import { describe, expect, it } from 'vitest';
import { jsonValue, parseNumber, parseNumberText } from '../../../src/import/text/number.js';

const num = (s: string) => {
  const b = Buffer.from(s);
  return parseNumber(b, 0, b.length);
};

describe('parseNumber', () => {
  it('reads the spellings exporters write, exactly', () => {
    expect(num('123456789')).toBe(123456789);
    expect(num('1.23456789e+08')).toBe(123456789); // Go %g (exposition)
    expect(num('1.5e-7')).toBe(1.5e-7); // JS toString (Grafana raw)
    expect(num('1e+21')).toBe(1e21);
    expect(num('99.9')).toBe(99.9);
    expect(num('0.001')).toBe(0.001);
    expect(num('-42')).toBe(-42);
    expect(num('14.0')).toBe(14); // OpenMetrics integers
    expect(num('1589324745157.7249')).toBe(1589324745157.7249); // more digits than the fast path
    expect(num('  7340032\r')).toBe(7340032);
  });

  it('knows infinities and treats NaN and gaps as "no sample"', () => {
    expect(num('+Inf')).toBe(Number.POSITIVE_INFINITY);
    expect(num('Infinity')).toBe(Number.POSITIVE_INFINITY);
    expect(num('-Inf')).toBe(Number.NEGATIVE_INFINITY);
    for (const gap of ['NaN', 'null', 'undefined', '', '-']) expect(num(gap)).toBeNaN();
  });

  it('says undefined for text that is not a number', () => {
    for (const bad of ['118 MiB', 'abc', '0x10', '1e', '1.2.3', '--1']) expect(num(bad)).toBeUndefined();
  });

  it('reads JSON values of Prometheus (strings) and VictoriaMetrics (numbers, null)', () => {
    expect(parseNumberText('NaN')).toBeNaN();
    expect(jsonValue('1e-07')).toBe(1e-7);
    expect(jsonValue(123)).toBe(123);
    expect(jsonValue(null)).toBeNaN();
    expect(jsonValue('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
    expect(jsonValue({})).toBeUndefined();
  });
});
