import { InputError } from '../../errors.js';
import type { Importer } from '../registry.js';
import { importCapture } from './capture.js';

const cgroupCapture: Importer = {
  id: 'cgroup-capture',
  title: 'cgroup capture (tar, tar.gz, tar.zst or directory of cgroup memory files)',
  detect(probe) {
    return probe.kind === 'directory' || probe.kind === 'tar' ? 0.9 : 0;
  },
  async load(input, ctx) {
    if (!input.tree) throw new InputError(input.probe.name, 'is not a directory or an archive');
    const progress = ctx.progress?.(input.probe.name);
    try {
      return await importCapture(input.tree, {
        now: ctx.now,
        progress: progress && ((p) => progress.update(p)),
      });
    } finally {
      progress?.done();
    }
  },
};
export default cgroupCapture;
