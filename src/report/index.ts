import type { AnalysisResult } from '../result.js';
import { toFindingsJson } from '../result.js';
import { containersCsv } from './csv.js';
import { summaryMarkdown } from './markdown.js';

/** Output formats by name: the file each writes and how it renders. Renderers compute nothing. */
export interface Renderer {
  file: string;
  render(r: AnalysisResult): string | Promise<string>;
}

export const RENDERERS: Record<string, Renderer> = {
  json: { file: 'findings.json', render: (r) => `${JSON.stringify(toFindingsJson(r), null, 2)}\n` },
  md: { file: 'summary.md', render: summaryMarkdown },
  csv: { file: 'containers.csv', render: containersCsv },
};
