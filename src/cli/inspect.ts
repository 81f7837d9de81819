import { loadInputs } from '../analyze.js';
import type { InputRef } from '../import/open.js';
import { resolveInputs, spoolStdin } from '../import/open.js';
import { buildModel } from '../model/build.js';
import { DEFAULT_READ_LIMITS } from '../source/types.js';
import { createProgress } from '../util/progress.js';
import type { Io } from './analyze.js';
import { checkTimeZone } from './options.js';

/** `memlens inspect`: what each input holds, without analysing it. */
export async function inspectCommand(
  inputs: string[],
  flags: { json?: boolean; tz?: string; vmFormat?: string },
  io: Io,
): Promise<number> {
  const refs: InputRef[] = [];
  for (const r of await resolveInputs(inputs)) {
    refs.push(r.path === '-' ? { path: '-', file: await spoolStdin(DEFAULT_READ_LIMITS.maxTotalBytes) } : r);
  }
  const { datasets, failed } = await loadInputs(refs, {
    tz: checkTimeZone(flags.tz),
    settings: flags.vmFormat ? { vmFormat: flags.vmFormat } : undefined,
    progress: createProgress(process.stderr),
  });
  const reports = datasets.map((ds) => {
    const model = buildModel([ds]);
    const roles: Record<string, number> = {};
    const drivers = new Set<string>();
    for (const e of model.entities) {
      roles[e.role] = (roles[e.role] ?? 0) + 1;
      if (e.driver && e.driver !== 'unknown') drivers.add(e.driver);
    }
    return {
      path: ds.input.path,
      format: ds.input.format,
      node: ds.node ?? null,
      drivers: [...drivers],
      ...ds.input.details,
      roles,
      fields: ds.table.fields.length,
      warnings: ds.input.warnings,
    };
  });
  if (flags.json) {
    io.stdout(JSON.stringify({ inputs: reports, failed }, null, 2));
  } else {
    for (const r of reports) {
      io.stdout(`${r.path}`);
      for (const [k, v] of Object.entries(r)) {
        if (k === 'path' || v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
        const text =
          typeof v === 'object' && !Array.isArray(v)
            ? JSON.stringify(v)
            : Array.isArray(v)
              ? v.join('; ')
              : String(v);
        io.stdout(`  ${k}: ${text}`);
      }
    }
    for (const f of failed) io.stderr(`memlens: ${f.message}`);
  }
  return 0;
}
