/**
 * Where notifications go, from the environment: the one place Slack and SNS are wired for the
 * verify Lambda, the CLI's --notify and the webhook. Slack: SLACK_WEBHOOK_URL, or the SSM/Secrets
 * Manager name in SLACK_WEBHOOK_PARAM; SNS: SNS_TOPIC_ARN.
 */
import { readSecret } from '../adapters/params';
import type { SnsPublishInput } from '../adapters/sns';

export type SlackSend = (message: { text: string; blocks: unknown[] }) => Promise<void>;
export type SnsPublish = (m: Omit<SnsPublishInput, 'topicArn'>) => Promise<unknown>;

/** The Slack adapter (and @slack/webhook), loaded on the first post: a verify run posts only on a change of state. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const slackAdapter = () => require('../adapters/slack') as typeof import('../adapters/slack');

/** The Slack incoming-webhook URL, or undefined when none is configured. */
export function slackUrlFromEnv(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return readSecret(env, 'SLACK_WEBHOOK_URL', 'SLACK_WEBHOOK_PARAM');
}

/** A publisher to SNS_TOPIC_ARN, or undefined when it is not set (the SNS client is loaded only then). */
export function snsPublisherFromEnv(env: NodeJS.ProcessEnv): SnsPublish | undefined {
  const topicArn = env.SNS_TOPIC_ARN;
  if (!topicArn) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sns = require('../adapters/sns') as typeof import('../adapters/sns');
  const client = sns.snsClient();
  return (m) => sns.publishToSns(client, { topicArn, ...m });
}

export interface ReportDestinations {
  slack?: SlackSend;
  sns?: SnsPublish;
  /** Destinations asked for but not configured, said in a line each. */
  missing: string[];
}

/** The report destinations among `wanted` (default both) that the environment configures. */
export async function reportDestinationsFromEnv(
  env: NodeJS.ProcessEnv,
  wanted: ReadonlyArray<'slack' | 'sns'> = ['slack', 'sns'],
): Promise<ReportDestinations> {
  const out: ReportDestinations = { missing: [] };
  if (wanted.includes('slack')) {
    const url = await slackUrlFromEnv(env);
    if (url) out.slack = (m) => slackAdapter().postToSlack(url, m);
    else out.missing.push('neither SLACK_WEBHOOK_URL nor SLACK_WEBHOOK_PARAM is set; Slack skipped');
  }
  if (wanted.includes('sns')) {
    out.sns = snsPublisherFromEnv(env);
    if (!out.sns) out.missing.push('SNS_TOPIC_ARN is not set; SNS skipped');
  }
  return out;
}
