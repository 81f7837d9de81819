import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The compiled worker script next to a module, as a path: `new URL('./worker.js', import.meta.url)`.
 * Built code has it beside the module; under vitest the module is its TypeScript source, and Node
 * cannot start a TypeScript worker, so the copy in dist/ is used (npm test builds first). Null
 * when neither exists (sources without a build): callers then do the work on this thread.
 */
export function compiledWorker(url: URL): string | null {
  const here = fileURLToPath(url);
  if (existsSync(here)) return here;
  const built = here.replace(/([\\/])src([\\/])(?!.*[\\/]src[\\/])/, '$1dist$2');
  return built !== here && existsSync(built) ? built : null;
}
