import { describe, expect, it } from 'vitest';
import { endedPart } from '../../../src/import/text/lines.js';

const split = (text: string, first = true) => {
  const { whole, cut } = endedPart(Buffer.from(text), first);
  return [whole.toString(), cut?.toString() ?? null];
};

describe('endedPart', () => {
  it('keeps ended lines and takes off the one without a line end', () => {
    expect(split('a 1\nb 2\n')).toEqual(['a 1\nb 2\n', null]);
    expect(split('a 1\r\nb 268435456\r\n')).toEqual(['a 1\r\nb 268435456\r\n', null]);
    expect(split('a 1\nb 2684')).toEqual(['a 1\n', 'b 2684']);
    // the only line of a file, cut
    expect(split('b 2684')).toEqual(['', 'b 2684']);
  });

  it('drops blanks after the last line end without calling them a line', () => {
    expect(split('a 1\n \t\r')).toEqual(['a 1\n', null]);
    expect(split('a 1\n\n')).toEqual(['a 1\n\n', null]);
  });

  it('leaves a line to the parser when it began in an earlier chunk or is longer than any sample line', () => {
    expect(split('end of a long line 2684', false)).toEqual(['end of a long line 2684', null]);
    const junk = `a 1\n${'x'.repeat(64 * 1024 + 1)}`;
    expect(split(junk)).toEqual([junk, null]);
    // one byte shorter is a line that may be a sample
    expect(split(junk.slice(0, -1))[1]).toHaveLength(64 * 1024);
  });
});
