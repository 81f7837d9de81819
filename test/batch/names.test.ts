import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commonBase, NameBook, reportName } from '../../src/batch/names.js';

describe('report folder names', () => {
  it('come from the path below the common folder, without extension, safe for any file system', () => {
    const base = commonBase([
      '/in/node-a/memory-1764270348.tar.gz',
      '/in/node-b/x.tgz',
      '/in/prom export.csv',
    ]);
    expect(base).toBe('/in');
    expect(reportName('/in/node-a/memory-1764270348.tar.gz', base)).toBe('node-a_memory-1764270348');
    expect(reportName('/in/prom export.csv', base)).toBe('prom_export');
    expect(reportName('/in/node-b/x.tgz', base)).toBe('node-b_x');
    expect(reportName('/in/..hidden.json', base)).toBe('hidden');
    expect(reportName('/in/<script>&"\'.tar.gz', base)).toBe('script_');
    expect(reportName('/in/capture-dir/', base)).toBe('capture-dir');
    expect(reportName('/in/.tar.gz', base)).toBe('input');
    expect(reportName(`/in/${'a'.repeat(300)}.csv`, base)).toHaveLength(120);
  });

  it('use the folder of a single input as the base', () => {
    expect(commonBase(['/in/a.tgz'])).toBe('/in');
    expect(commonBase(['/in/a.tgz', '/other/b.tgz'])).toBe('/');
    expect(commonBase([join('rel', 'a.tgz')])).toBe(join(process.cwd(), 'rel'));
  });

  it('are handed out once: clashes get -2, -3, the index files are reserved, case is ignored', () => {
    const book = new NameBook();
    expect(book.claim('kept')).toBe(true);
    expect(book.next('kept')).toBe('kept-2');
    expect(book.next('Kept')).toBe('Kept-3');
    expect(book.next('index.html')).toBe('index.html-2');
    expect(book.next('SUMMARY.JSON')).toBe('SUMMARY.JSON-2');
    expect(book.claim('kept-2')).toBe(false);
  });
});
