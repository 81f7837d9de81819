import cgroupCapture from './cgroup/importer.js';
import prometheusExposition from './metrics/exposition.js';
import grafanaCsv from './metrics/grafana-csv.js';
import prometheusCsv from './metrics/prometheus-csv.js';
import prometheusJson from './metrics/prometheus-json.js';
import promtoolText from './metrics/promtool-text.js';
import victoriametricsCsv from './metrics/victoriametrics-csv.js';
import victoriametricsJson from './metrics/victoriametrics-json.js';
import type { Importer } from './registry.js';

/** Every importer; detection asks each and takes the most certain. */
export const IMPORTERS: readonly Importer[] = [
  cgroupCapture,
  grafanaCsv,
  prometheusCsv,
  victoriametricsCsv,
  prometheusJson,
  victoriametricsJson,
  promtoolText,
  prometheusExposition,
];
