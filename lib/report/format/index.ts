import { UsageError } from '../../errors';
import type { ExpectedState } from '../../expected/types';
import type { Snapshot } from '../../snapshot/types';
import { formatHtml } from '../html';
import type { Report } from '../types';
import { formatJson } from './json';
import { formatJunit } from './junit';
import { formatMarkdown } from './markdown';
import { formatPrometheus } from './prometheus';
import { formatText } from './text';

export const FORMATS = ['text', 'json', 'junit', 'markdown', 'html', 'prometheus'] as const;
export type Format = (typeof FORMATS)[number];

export function isFormat(s: string): s is Format {
  return (FORMATS as readonly string[]).includes(s);
}

export function formatReport(
  format: Format,
  report: Report,
  ctx: { snapshot?: Snapshot; expected?: ExpectedState; color?: boolean; verbose?: boolean } = {},
): string {
  switch (format) {
    case 'text':
      return formatText(report, { color: ctx.color, verbose: ctx.verbose });
    case 'json':
      return formatJson(report);
    case 'junit':
      return formatJunit(report);
    case 'markdown':
      return formatMarkdown(report, ctx);
    case 'html':
      return formatHtml({ report, snapshot: ctx.snapshot, expected: ctx.expected });
    case 'prometheus':
      return formatPrometheus(report);
    default:
      throw new UsageError(`unknown format ${String(format)}`);
  }
}
