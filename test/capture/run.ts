/** Runs the capture script and `memlens capture` as a user would, and reads what they wrote. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tarStream from 'tar-stream';
import { loadInput } from '../../src/import/open.js';
import type { Dataset } from '../../src/import/types.js';
import { DEFAULT_READ_LIMITS } from '../../src/source/types.js';

export const REPO = new URL('../..', import.meta.url).pathname;
export const SCRIPT = join(REPO, 'scripts/memlens-capture.sh');
export const CLI = join(REPO, 'dist/cli/main.js');

const which = (cmd: string): string | null => {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
};
export const BUSYBOX = which('busybox');
export const DASH = which('dash');

/** The shells the script must run under: busybox sh first (what `kubectl debug --image=busybox` has). */
export const SHELLS: { name: string; argv: string[] }[] = [
  ...(BUSYBOX ? [{ name: 'busybox sh', argv: [BUSYBOX, 'sh'] }] : []),
  ...(DASH ? [{ name: 'dash', argv: [DASH] }] : []),
];
if (!BUSYBOX)
  console.warn(
    'memlens-capture tests: busybox is not installed (apt-get install -y busybox); busybox runs skipped',
  );

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Called once the process has written this to stderr (e.g. to interrupt it). */
  onStderr?: { match: RegExp; act: (pid: number) => void };
  timeoutMs?: number;
  /** Start in a new process group (so a test can signal the group, as a terminal's Ctrl-C does). */
  group?: boolean;
}

/** A private TMPDIR per run: the script stages snapshots there, and tests run in parallel. */
export function privateTmp(): string {
  return mkdtempSync(join(tmpdir(), 'memlens-capture-test-'));
}

export function run(argv: string[], opts: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      env: { ...process.env, ...opts.env },
      detached: opts.group ?? false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    let fired = false;
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      if (opts.onStderr && !fired && opts.onStderr.match.test(err)) {
        fired = true;
        opts.onStderr.act(child.pid!);
      }
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${argv.join(' ')} did not finish in ${opts.timeoutMs ?? 60_000} ms; stderr: ${err}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: err });
    });
  });
}

export function runScript(shell: string[], args: string[], opts: RunOptions = {}): Promise<Run> {
  return run([...shell, SCRIPT, ...args], opts);
}

export function runCliCapture(args: string[], opts: RunOptions = {}): Promise<Run> {
  return run([process.execPath, CLI, 'capture', ...args], opts);
}

/** A folder of links to busybox for exactly these tools: a PATH with nothing else on it. */
export function minimalPath(tools: string[]): string {
  if (!BUSYBOX) throw new Error('busybox is needed');
  const dir = mkdtempSync(join(tmpdir(), 'memlens-minpath-'));
  for (const t of tools) symlinkSync(BUSYBOX, join(dir, t));
  return dir;
}

export async function importArchive(path: string): Promise<Dataset> {
  return loadInput({ path }, { limits: DEFAULT_READ_LIMITS });
}

/** Every entry of a capture (all gzip members), in order: name → content ('' for folders). */
export async function archiveEntries(gz: Buffer): Promise<{ name: string; type: string; data: Buffer }[]> {
  const tar = gunzipSync(gz);
  const out: { name: string; type: string; data: Buffer }[] = [];
  const extract = tarStream.extract();
  const done = (async () => {
    for await (const e of extract) {
      const chunks: Buffer[] = [];
      for await (const c of e) chunks.push(c as Buffer);
      out.push({
        name: e.header.name.replace(/\/$/, ''),
        type: e.header.type ?? 'file',
        data: Buffer.concat(chunks),
      });
    }
  })();
  extract.end(tar);
  await done;
  return out;
}

/** The last manifest.json of a capture, parsed. */
export async function manifestOf(gz: Buffer): Promise<Record<string, unknown>> {
  const m = (await archiveEntries(gz)).filter((e) => e.name === 'manifest.json').at(-1);
  if (!m) throw new Error('no manifest.json');
  return JSON.parse(m.data.toString('utf8'));
}

export function scratch(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'memlens-capture-case-'));
  mkdirSync(join(dir, 'out'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
