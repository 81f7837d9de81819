import cgroupCapture from './cgroup/importer.js';
import type { Importer } from './registry.js';

/** Every importer; detection asks each and takes the most certain. */
export const IMPORTERS: readonly Importer[] = [cgroupCapture];
