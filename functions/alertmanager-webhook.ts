/**
 * Lambda: the Alertmanager webhook receiver (API Gateway HTTP API v2, `POST /alertmanager`,
 * `GET /healthz`). Thin: the handler is lib/alertmanager/lambda.ts, its dependencies come from
 * the environment. It must stay light (cold start): no Kubernetes client, no verifier code.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { webhookDepsFromEnv } from '../lib/alertmanager/config';
import type { WebhookDeps } from '../lib/alertmanager/handler';
import { cloudWatchMetrics, createWebhookHandler, jsonLog } from '../lib/alertmanager/lambda';
import { stateStoreFromEnv } from '../lib/state';

let cached: Promise<WebhookDeps> | undefined;
export const handler = createWebhookHandler(() => {
  // A failed start (the Slack URL parameter could not be read) is not kept: the next invocation tries again.
  cached ??= webhookDepsFromEnv(process.env, stateStoreFromEnv(process.env), jsonLog).then(
    (deps) => ({
      ...deps,
      metrics: cloudWatchMetrics(
        new Metrics({
          namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'stackcheck',
          serviceName: 'stackcheck-webhook',
        }),
      ),
    }),
    (err: unknown) => {
      cached = undefined;
      throw err;
    },
  );
  return cached;
});
