/**
 * Webhook configuration from the environment (CONTRACT.md, docs/alertmanager.md):
 * ALERTMANAGER_TOKEN | ALERTMANAGER_TOKEN_PARAM, SLACK_WEBHOOK_URL | SLACK_WEBHOOK_PARAM,
 * SLACK_WEBHOOK_URL_<SEVERITY> (routing by severity), SNS_TOPIC_ARN, STACKCHECK_CLUSTER,
 * MAX_BODY_BYTES. Secrets are read once and cached (Powertools Parameters in Lambda).
 */
import { readSecret } from '../adapters/params';
import { postToSlack } from '../adapters/slack';
import { slackUrlFromEnv, snsPublisherFromEnv } from '../notify/destinations';
import type { StateStore } from '../state/types';
import type { WebhookDeps } from './handler';

export const DEFAULT_MAX_BODY = 1024 * 1024;

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
  let token: Promise<string | undefined> | undefined;
  return {
    store,
    token: () => (token ??= readSecret(env, 'ALERTMANAGER_TOKEN', 'ALERTMANAGER_TOKEN_PARAM')),
    slackUrl: (severity) => routes[severity] ?? slackDefault,
    postSlack: (url, message) => postToSlack(url, message),
    publishSns,
    defaultCluster: env.STACKCHECK_CLUSTER ?? 'default',
    maxBodyBytes: Number.isFinite(maxBody) && maxBody > 0 ? maxBody : DEFAULT_MAX_BODY,
    log,
  };
}
