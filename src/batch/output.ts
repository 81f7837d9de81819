import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

const LOCK = '.memlens-batch.lock';

/**
 * The batch output folder. Reports are written into a private staging folder and moved into place
 * with rename(2), and the index files are replaced the same way: at any moment, including after
 * Ctrl-C or a crash, every folder the index links to is a whole report.
 */
export class OutputDir {
  readonly staging: string;
  private locked = false;

  constructor(readonly dir: string) {
    this.staging = join(dir, `.memlens-staging-${process.pid}`);
  }

  /** Creates the folder and takes its lock: two batches writing one folder would corrupt its index. */
  async open(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
    } catch (e) {
      throw new UsageError(
        `--out ${this.dir}: cannot create the folder (${(e as NodeJS.ErrnoException).code})`,
      );
    }
    const lock = join(this.dir, LOCK);
    try {
      await writeFile(lock, String(process.pid), { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readText(lock));
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new UsageError(
          `${this.dir} is being written by another memlens batch (pid ${pid}); wait for it, or choose another --out`,
        );
      }
      // A lock left by a run that was killed: take it over and clear what it staged.
      await writeFile(lock, String(process.pid));
      if (pid) await rm(join(this.dir, `.memlens-staging-${pid}`), { recursive: true, force: true });
    }
    this.locked = true;
    await mkdir(this.staging, { recursive: true });
  }

  /** Staging folder for task `id`. */
  stagingFor(id: number): string {
    return join(this.staging, `t${id}`);
  }

  /** Moves a staged report to `name`, replacing an older report of that name. */
  async publish(staged: string, name: string): Promise<void> {
    const target = join(this.dir, name);
    const old = join(this.staging, `old-${name}`);
    await rm(old, { recursive: true, force: true });
    try {
      await rename(target, old);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    await rename(staged, target);
    await rm(old, { recursive: true, force: true });
  }

  /** Removes a report folder this batch made earlier and no row uses any more. */
  async remove(name: string): Promise<void> {
    await rm(join(this.dir, name), { recursive: true, force: true });
  }

  /** Writes a file next to the reports atomically (temp file, then rename). */
  async writeAtomic(file: string, text: string): Promise<void> {
    const tmp = join(this.staging, `${file}.tmp`);
    await writeFile(tmp, text);
    await rename(tmp, join(this.dir, file));
  }

  /** Removes the staging folder and the lock. */
  async close(): Promise<void> {
    await rm(this.staging, { recursive: true, force: true });
    if (this.locked) await rm(join(this.dir, LOCK), { force: true });
    this.locked = false;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
