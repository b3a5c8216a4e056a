/** `stackcheck verify --notify slack,sns --state …`: notification from the CLI. */
import type { Report } from '../report/types';
import { openStateStore } from '../state';
import { reportDestinationsFromEnv } from './destinations';
import { notify } from './index';

export async function notifyFromCli(
  report: Report,
  opts: { targets?: string; always: boolean; state?: string; env: Record<string, string | undefined> },
): Promise<{ lines: string[]; ok: boolean }> {
  const targets = (opts.targets ?? 'slack,sns').split(',').map((s) => s.trim()) as Array<'slack' | 'sns'>;
  const { slack, sns, missing } = await reportDestinationsFromEnv(opts.env, targets);
  const lines = missing.map((m) => `notify: ${m}`);
  const out = await notify(report, opts.always ? 'always' : 'on-change', {
    store: openStateStore(opts.state),
    slack,
    sns,
  });
  lines.push(`notify: ${out.reason}${out.errors.length ? ` (${out.errors.join('; ')})` : ''}`);
  return { lines, ok: out.errors.length === 0 };
}
