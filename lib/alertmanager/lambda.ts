/**
 * The webhook as an API Gateway HTTP API v2 handler (middy): used by the Lambda
 * (functions/alertmanager-webhook.ts) and by `stackcheck serve` (lib/cli/serve.ts) alike.
 */
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { fromApiGatewayEvent, toApiGatewayResult } from '../http/apigw';
import { internalErrorAs500 } from '../http/middleware';
import { handleWebhook, type WebhookDeps } from './handler';
import type { WebhookMetrics } from './metrics';

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

/**
 * The handler's delivery events as CloudWatch metrics (EMF through Powertools): `deliveries` by
 * `destination` and `result`, `duplicates_suppressed`, `heartbeats` by `cluster`. Each event is
 * published at once (single metrics), so nothing waits for the end of the invocation.
 */
export function cloudWatchMetrics(metrics: Metrics): WebhookMetrics {
  return {
    delivery(destination, result) {
      metrics.singleMetric().addDimensions({ destination, result }).addMetric('deliveries', MetricUnit.Count, 1);
      if (result === 'duplicate') metrics.singleMetric().addMetric('duplicates_suppressed', MetricUnit.Count, 1);
    },
    heartbeat(cluster) {
      metrics.singleMetric().addDimension('cluster', cluster).addMetric('heartbeats', MetricUnit.Count, 1);
    },
  };
}
