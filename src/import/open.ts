import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { open as openFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { glob } from 'tinyglobby';
import { InputError, UsageError } from '../errors.js';
import type { Compression } from '../source/decompress.js';
import { DecoderUnavailable, decompressor } from '../source/decompress.js';
import { dirTree } from '../source/dir.js';
import { describeStreamError } from '../source/stream-error.js';
import { tarTree } from '../source/tar.js';
import type { ReadLimits } from '../source/types.js';
import { DEFAULT_READ_LIMITS } from '../source/types.js';
import { oneLine } from '../util/one-line.js';
import { IMPORTERS } from './importers.js';
import { UNNAMED_FIELD } from './metrics/collector.js';
import type { ImportContext, Importer, OpenedInput, Probe } from './registry.js';
import { unknownFormat } from './sniff.js';
import type { Dataset } from './types.js';

const HEAD_BYTES = 64 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/** What a command-line input stands for. */
export interface InputRef {
  /** Path as given, or '-' for stdin. */
  path: string;
  /** In-memory content (tests, small inputs). */
  data?: Buffer;
  /** For stdin: the temporary file it was spooled to (see spoolStdin). */
  file?: string;
}

/**
 * Expands command-line inputs: globs, directories of inputs (a capture directory stays one
 * input), files, and '-' for stdin. Missing paths are usage errors.
 */
export async function resolveInputs(args: string[]): Promise<InputRef[]> {
  const out: InputRef[] = [];
  for (const arg of args) {
    if (arg === '-') {
      out.push({ path: '-' });
      continue;
    }
    if (/[*?[\]{}]/.test(arg)) {
      const found = (await glob(arg, { onlyFiles: false, dot: false, expandDirectories: false })).sort();
      if (found.length === 0) throw new UsageError(`no input matches ${arg}`);
      for (const f of found) out.push(...(await expandPath(f)));
      continue;
    }
    out.push(...(await expandPath(arg)));
  }
  return out;
}

async function expandPath(path: string): Promise<InputRef[]> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(path);
  } catch {
    throw new UsageError(`${path}: no such file or directory`);
  }
  if (!st.isDirectory() || (await isCaptureDir(path))) return [{ path }];
  // A folder of inputs: each file, and each capture folder, is one input.
  const out: InputRef[] = [];
  for (const name of (await readdir(path)).sort()) {
    if (name.startsWith('.') || name === 'README.md') continue;
    out.push(...(await expandPath(join(path, name))));
  }
  return out;
}

/** A directory is a capture when it holds cgroup memory files within a few levels. */
export async function isCaptureDir(path: string, depth = 12): Promise<boolean> {
  let names: string[];
  try {
    names = await readdir(path);
  } catch {
    return false;
  }
  if (names.some((n) => n === 'memory.stat' || n === 'memory.current' || n === 'memory.usage_in_bytes'))
    return true;
  if (depth === 0) return false;
  for (const n of names) {
    const p = join(path, n);
    try {
      if ((await stat(p)).isDirectory() && (await isCaptureDir(p, depth - 1))) return true;
    } catch {
      // unreadable entries are not ours to judge here
    }
  }
  return false;
}

function startsWith(buf: Buffer, magic: number[]): boolean {
  return magic.every((b, i) => buf[i] === b);
}

function isTar(head: Buffer): boolean {
  return head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar';
}

/** The first bytes of a stream, and the error that stopped it early, if any. */
async function readHead(open: () => Readable, max = HEAD_BYTES): Promise<{ head: Buffer; error?: unknown }> {
  const chunks: Buffer[] = [];
  let n = 0;
  let error: unknown;
  const s = open();
  try {
    for await (const c of s) {
      chunks.push(c as Buffer);
      n += (c as Buffer).length;
      if (n >= max) break;
    }
  } catch (e) {
    if (e instanceof DecoderUnavailable) throw e;
    // A corrupt stream still gives what it had; the importer reports the error in full.
    error = e;
  } finally {
    s.destroy();
  }
  return { head: Buffer.concat(chunks).subarray(0, max), error };
}

/** Opens one input and works out its kind and compression, without reading it all. */
export async function openInput(
  ref: InputRef,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<OpenedInput> {
  const name = ref.path;
  const file = ref.data ? undefined : (ref.file ?? (ref.path !== '-' ? ref.path : undefined));
  if (file && !ref.file) {
    const st = await stat(file);
    if (st.isDirectory()) {
      return {
        probe: { name, kind: 'directory', compression: 'none', head: Buffer.alloc(0) },
        tree: dirTree(ref.path, limits),
      };
    }
  }
  if (!ref.data && !file) throw new InputError(name, 'has no content to read');
  const raw: () => Readable = ref.data
    ? () => Readable.from([ref.data!])
    : () => createReadStream(file!, { highWaterMark: 256 * 1024 });
  const size = ref.data ? ref.data.length : (await stat(file!)).size;
  const first = await readFirstBytes(ref);
  const compression: Compression = startsWith(first, GZIP_MAGIC)
    ? 'gzip'
    : startsWith(first, ZSTD_MAGIC)
      ? 'zstd'
      : 'none';
  const open: () => Readable =
    compression === 'none'
      ? raw
      : () => {
          const d = decompressor(compression)!;
          const r = raw();
          r.on('error', (e) => d.destroy(e));
          return r.pipe(d);
        };
  let head: Buffer;
  try {
    const read = await readHead(open);
    head = read.head;
    // Nothing decoded at all: there is nothing to sniff, and no importer could do better.
    if (read.error !== undefined && head.length === 0 && compression !== 'none')
      throw new InputError(
        name,
        `cannot be decompressed: ${describeStreamError(read.error, `the ${compression} data`)} at its start. Check that the file was copied completely ("${compression === 'gzip' ? 'gzip' : 'zstd'} -t" tells)`,
      );
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(name, (e as Error).message, { cause: e });
  }
  if (isTar(head)) {
    return {
      probe: { name, kind: 'tar', compression, head },
      tree: tarTree(name, raw, { compression, limits, size, ...(file ? { path: file } : {}) }),
      size,
    };
  }
  return { probe: { name, kind: 'file', compression, head }, open, size, ...(file ? { file } : {}) };
}

async function readFirstBytes(ref: InputRef): Promise<Buffer> {
  if (ref.data) return ref.data.subarray(0, 8);
  const fh = await openFile(ref.file ?? ref.path, 'r');
  try {
    const buf = Buffer.alloc(8);
    const { bytesRead } = await fh.read(buf, 0, 8, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The importer most certain about this input, or null. */
export function detectFormat(probe: Probe, importers: readonly Importer[] = IMPORTERS): Importer | null {
  let best: Importer | null = null;
  let score = 0;
  for (const imp of importers) {
    const s = imp.detect(probe);
    if (s > score) {
      score = s;
      best = imp;
    }
  }
  return best;
}

/** Opens, detects and imports one input. Every failure is an InputError naming the input. */
export async function loadInput(ref: InputRef, ctx: ImportContext): Promise<Dataset> {
  try {
    const ds = await importInput(ref, ctx);
    // Warnings quote the input: one line each, whatever it holds (see oneLine).
    ds.input.warnings = ds.input.warnings.map(oneLine);
    return ds;
  } catch (e) {
    if (!(e instanceof InputError) || oneLine(e.message) === e.message) throw e;
    throw new InputError(oneLine(e.input), oneLine(e.message.slice(e.input.length + 2)), { cause: e });
  }
}

async function importInput(ref: InputRef, ctx: ImportContext): Promise<Dataset> {
  let opened: OpenedInput;
  try {
    opened = await openInput(ref, ctx.limits);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(ref.path, `cannot be opened: ${(e as Error).message}`, { cause: e });
  }
  const importer = detectFormat(opened.probe);
  if (!importer)
    throw new InputError(
      ref.path,
      `is in no format memlens knows: ${unknownFormat(
        opened.probe.head,
        opened.probe.compression,
        IMPORTERS.map((i) => i.id),
      )}`,
    );
  let ds: Dataset;
  try {
    ds = await importer.load(opened, ctx);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(ref.path, `could not be read as ${importer.title}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const read = opened.warnings ?? [];
  // Stopped before a single sample: there is nothing to keep, and the reason is the error.
  if (opened.stopped === 'limit' && ds.table.length === 0)
    throw new InputError(
      ref.path,
      `decompresses to more than ${ctx.limits.maxTotalBytes} bytes (the read limit, --max-input-bytes) with no sample before the limit: a compression bomb? If it really is that large, raise --max-input-bytes`,
    );
  if (opened.stopped === 'damaged' && ds.table.length === 0 && read.length)
    throw new InputError(ref.path, read.at(-1)!.slice(ref.path.length + 2));
  if (read.length) ds.input.warnings.unshift(...read);
  // An export of which not one sample could be used would only say "no containers" and exit 0:
  // it is an input error (a batch lists it with the reason), naming what was wrong with it.
  if (ds.kind === 'metrics' && ds.table.length === 0)
    throw new InputError(ref.path, noSamplesReason(ds, importer.title));
  // Samples, but under names that say neither metric nor container (a Grafana legend {{pod}}):
  // "no containers found" with exit 0 would hide why.
  if (ds.kind === 'metrics' && ds.table.fields.every((f) => f === UNNAMED_FIELD)) {
    const names = [...new Set(ds.table.series.map((n) => n.replace(/ #\d+$/, '')))];
    throw new InputError(
      ref.path,
      `holds no series memlens can analyse: its ${ds.table.series.length} series name${ds.table.series.length > 1 ? 's' : ''} (${names
        .slice(0, 3)
        .map((n) => JSON.stringify(n.slice(0, 60)))
        .join(
          ', ',
        )}${names.length > 3 ? ', …' : ''}) ${ds.table.series.length > 1 ? 'carry' : 'carries'} no metric name or labels, as a custom legend such as {{pod}} writes them. ` +
        'Download the panel again with the legend left empty (Verbose), so the names read metric{labels}',
    );
  }
  return ds;
}

/** Why an export gave no sample: the first thing its import complained of, else that it is empty. */
function noSamplesReason(ds: Dataset, readAs: string): string {
  const own = ds.input.warnings.filter((w) => !w.endsWith(': no samples in this input'));
  if (own.length === 0)
    return 'holds no samples (an empty query result?). Export a time range and a selector that match running containers (docs/exports.md)';
  // "path:12: text" reads "line 12: text" inside the message, which already names the input.
  const m = /^(?::(\d+))?: (.*)$/.exec(
    own[0].startsWith(ds.input.path) ? own[0].slice(ds.input.path.length) : '',
  );
  const first = m ? `${m[1] ? `line ${m[1]}: ` : ''}${m[2]}` : own[0];
  const more = own.length > 1 ? ` (and ${own.length - 1} more warning${own.length > 2 ? 's' : ''})` : '';
  // Detection goes by the first bytes; naming the format it settled on tells the user why a line
  // was judged the way it was (a note read as an exposition snapshot, a CSV of other data).
  return `holds no sample memlens can use, read as ${readAs}: ${first}${more}. Check that it is a memory export memlens reads (docs/exports.md)`;
}

/** Reads stdin whole (bounded) so it can be sniffed like a file. */
export async function readStdin(max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of process.stdin) {
    n += (c as Buffer).length;
    if (n > max)
      throw new InputError(
        '-',
        `stdin is larger than ${max} bytes; save it to a file or raise --max-input-bytes`,
      );
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Copies stdin to a temporary file (bounded), so `-` is read like any file: streamed, sniffed,
 * reopened, split across threads, never held in memory. The file is removed when the process
 * exits.
 */
export async function spoolStdin(max: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'memlens-stdin-'));
  const path = join(dir, 'stdin');
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      n += chunk.length;
      if (n > max)
        done(
          new InputError(
            '-',
            `stdin is larger than ${max} bytes; save it to a file or raise --max-input-bytes`,
          ),
        );
      else done(null, chunk);
    },
  });
  await pipeline(process.stdin, limit, createWriteStream(path));
  return path;
}
