/**
 * Lambda: the Alertmanager webhook receiver (API Gateway HTTP API v2, `POST /alertmanager`,
 * `GET /healthz`). Thin: the handler is lib/alertmanager/lambda.ts, its dependencies come from
 * the environment. It must stay light (cold start): no Kubernetes client, no verifier code.
 */
import { webhookDepsFromEnv } from '../lib/alertmanager/config';
import type { WebhookDeps } from '../lib/alertmanager/handler';
import { createWebhookHandler, jsonLog } from '../lib/alertmanager/lambda';
import { MemoryStore } from '../lib/state/memory';
import type { StateStore } from '../lib/state/types';

export { createWebhookHandler, jsonLog, type Log } from '../lib/alertmanager/lambda';

function lambdaStore(env: NodeJS.ProcessEnv): StateStore {
  if (!env.STATE_TABLE) return new MemoryStore();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DynamoStore } = require('../lib/state/dynamodb') as typeof import('../lib/state/dynamodb');
  return new DynamoStore(env.STATE_TABLE);
}

let cached: Promise<WebhookDeps> | undefined;
export const handler = createWebhookHandler(
  () => (cached ??= webhookDepsFromEnv(process.env, lambdaStore(process.env), jsonLog)),
);
