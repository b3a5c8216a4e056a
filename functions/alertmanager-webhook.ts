/**
 * Lambda: the Alertmanager webhook receiver (API Gateway HTTP API v2, `POST /alertmanager`,
 * `GET /healthz`). Thin: adapt the event, call lib/alertmanager, adapt the result.
 * It must stay light (cold start): no Kubernetes client, no verifier code.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { webhookDepsFromEnv } from '../lib/alertmanager/config';
import { handleWebhook, type WebhookDeps } from '../lib/alertmanager/handler';
import { fromApiGatewayEvent, toApiGatewayResult } from '../lib/http/apigw';
import { internalErrorAs500 } from '../lib/http/middleware';
import { MemoryStore } from '../lib/state/memory';
import type { StateStore } from '../lib/state/types';

export type Log = (entry: Record<string, unknown>) => void;

export const jsonLog: Log = (entry) =>
  process.stdout.write(
    `${JSON.stringify({ service: 'stackcheck-webhook', timestamp: new Date().toISOString(), ...entry })}\n`,
  );

export function createWebhookHandler(deps: () => Promise<WebhookDeps>, log: Log = jsonLog) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(async function alertmanagerWebhook(
    event: APIGatewayProxyEventV2,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    return toApiGatewayResult(await handleWebhook(fromApiGatewayEvent(event), await deps()));
  }).use(internalErrorAs500(log));
}

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
