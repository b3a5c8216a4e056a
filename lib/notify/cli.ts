/** `stackcheck verify --notify slack,sns --state …`: notification from the CLI. */
import { readSecret } from '../adapters/params';
import { postToSlack } from '../adapters/slack';
import type { Report } from '../report/types';
import { openStateStore } from '../state';
import { notify, type NotifyDeps } from './index';

export async function notifyFromCli(
  report: Report,
  opts: { targets?: string; always: boolean; state?: string; env: Record<string, string | undefined> },
): Promise<{ lines: string[]; ok: boolean }> {
  const targets = (opts.targets ?? 'slack,sns').split(',').map((s) => s.trim());
  const deps: NotifyDeps = { store: openStateStore(opts.state) };
  const lines: string[] = [];
  if (targets.includes('slack')) {
    const url = await readSecret(opts.env, 'SLACK_WEBHOOK_URL', 'SLACK_WEBHOOK_PARAM');
    if (url) deps.slack = (m) => postToSlack(url, m);
    else lines.push('notify: neither SLACK_WEBHOOK_URL nor SLACK_WEBHOOK_PARAM is set; Slack skipped');
  }
  if (targets.includes('sns')) {
    const topicArn = opts.env.SNS_TOPIC_ARN;
    if (topicArn) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { publishToSns, snsClient } = require('../adapters/sns') as typeof import('../adapters/sns');
      const client = snsClient();
      deps.sns = (m) => publishToSns(client, { topicArn, ...m });
    } else lines.push('notify: SNS_TOPIC_ARN is not set; SNS skipped');
  }
  const out = await notify(report, opts.always ? 'always' : 'on-change', deps);
  lines.push(`notify: ${out.reason}${out.errors.length ? ` (${out.errors.join('; ')})` : ''}`);
  return { lines, ok: out.errors.length === 0 };
}
