/**
 * Webhook configuration from the environment (docs/alertmanager.md):
 * ALERTMANAGER_TOKEN | ALERTMANAGER_TOKEN_PARAM, SLACK_WEBHOOK_URL | SLACK_WEBHOOK_PARAM,
 * SLACK_WEBHOOK_URL_<SEVERITY> (routing by severity), SNS_TOPIC_ARN, STACKCHECK_CLUSTER,
 * MAX_BODY_BYTES, ALERTMANAGER_DEDUP_WINDOW_SECONDS. Secrets are read once and cached (Powertools Parameters in Lambda).
 */
import { readSecret } from '../adapters/params';
import { postToSlack } from '../adapters/slack';
import { slackUrlFromEnv, snsPublisherFromEnv } from '../notify/destinations';
import { ConfigError } from '../errors';
import type { StateStore } from '../state/types';
import { DEFAULT_DEDUP_WINDOW_SECONDS, type WebhookDeps } from './handler';

export const DEFAULT_MAX_BODY = 1024 * 1024;
export const MAX_DEDUP_WINDOW_SECONDS = 24 * 3600;

/** The deduplication window in whole seconds, 1 s to 24 h; `name` (flag or variable) is in the error. */
export function parseDedupWindow(value: string | undefined, name: string): number {
  if (value === undefined || value.trim() === '') return DEFAULT_DEDUP_WINDOW_SECONDS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_DEDUP_WINDOW_SECONDS)
    throw new ConfigError(
      `${name} ${JSON.stringify(value)}: expected whole seconds from 1 to ${MAX_DEDUP_WINDOW_SECONDS} (default ${DEFAULT_DEDUP_WINDOW_SECONDS})`,
      name,
    );
  return n;
}

export async function webhookDepsFromEnv(
  env: NodeJS.ProcessEnv,
  store: StateStore,
  log?: WebhookDeps['log'],
): Promise<WebhookDeps> {
  const slackDefault = await slackUrlFromEnv(env);
  const routes: Record<string, string | undefined> = {};
  for (const sev of ['critical', 'error', 'warning', 'info', 'none'])
    routes[sev] = env[`SLACK_WEBHOOK_URL_${sev.toUpperCase()}`];
  const publishSns: WebhookDeps['publishSns'] = snsPublisherFromEnv(env);
  const maxBody = Number(env.MAX_BODY_BYTES ?? DEFAULT_MAX_BODY);
  const dedupWindowSeconds = parseDedupWindow(
    env.ALERTMANAGER_DEDUP_WINDOW_SECONDS,
    'ALERTMANAGER_DEDUP_WINDOW_SECONDS',
  );
  let token: Promise<string | undefined> | undefined;
  return {
    store,
    // A failed read (SSM throttled or unreachable for a moment) is not kept: the next request reads again.
    token: () =>
      (token ??= readSecret(env, 'ALERTMANAGER_TOKEN', 'ALERTMANAGER_TOKEN_PARAM').catch((err: unknown) => {
        token = undefined;
        throw err;
      })),
    slackUrl: (severity) => routes[severity] ?? slackDefault,
    postSlack: (url, message) => postToSlack(url, message),
    publishSns,
    defaultCluster: env.STACKCHECK_CLUSTER ?? 'default',
    maxBodyBytes: Number.isFinite(maxBody) && maxBody > 0 ? maxBody : DEFAULT_MAX_BODY,
    dedupWindowSeconds,
    log,
  };
}
