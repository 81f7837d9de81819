import { UsageError } from '../errors.js';

const WHY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
  EISDIR: 'a folder of that name is in the way',
  ENOSPC: 'the disk is full',
  EROFS: 'the file system is read-only',
  EDQUOT: 'the disk quota is used up',
};

/**
 * Runs a write of memlens' outputs. A file-system error there (a path through a file, no
 * permission, a full disk) is the user's to fix, not a bug: one line naming the flag, the path
 * and the reason, exit 2, instead of an internal error with a stack trace.
 */
export async function writingOutput<T>(flag: string, path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code !== 'string') throw e;
    throw new UsageError(
      `${flag} ${path}: cannot write there (${WHY[code] ?? code}); choose a folder you can write to`,
      { cause: e },
    );
  }
}
