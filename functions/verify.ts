/**
 * Lambda: verify the stack on a schedule (EventBridge, one rule per cluster) or on demand
 * (`serverless invoke -f verify -d '{"notify":"always"}'`), then notify on change of state.
 * Thin: parse the event into the verify request (lib/lambda), run the shared job, return.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { openLiveSession } from '../lib/collect';
import { failureLogFields } from '../lib/lambda/log';
import { parseVerifyPayload } from '../lib/lambda/payload';
import { verifyRequestFromLambda } from '../lib/lambda/request';
import { runVerifyInvocation, type VerifyFunctionResult, type VerifyInvocationDeps } from '../lib/lambda/verify';
import { stateStoreFromEnv } from '../lib/state';
import type { StateStore } from '../lib/state/types';

export type { VerifyFunctionResult };
export type VerifyFunctionDeps = Omit<VerifyInvocationDeps, 'openSession'> &
  Partial<Pick<VerifyInvocationDeps, 'openSession'>>;

export function createVerifyHandler(deps: VerifyFunctionDeps) {
  const { env, logger, metrics } = deps;
  return middy(async function verifyFunction(event: unknown, context?: Context): Promise<VerifyFunctionResult> {
    const payload = parseVerifyPayload(event);
    const request = verifyRequestFromLambda(payload, env, context?.getRemainingTimeInMillis?.() ?? 60_000);
    const cluster = 'target' in request.source ? request.source.target.cluster : undefined;
    logger.appendKeys({ cluster, runId: context?.awsRequestId ?? `local-${Date.now()}` });
    return runVerifyInvocation(request, payload.notify ?? 'on-change', { openSession: openLiveSession, ...deps });
  }).use({
    after: async function publishMetricsAfter() {
      metrics.publishStoredMetrics();
    },
    onError: async function logVerifyError(request) {
      // `message` is a key Powertools Logger reserves (the log line's own message): the reason
      // goes under `reason`, redacted like every line (lib/redact.ts).
      logger.error('verify failed', failureLogFields(request.error, env));
      metrics.publishStoredMetrics();
    },
  });
}

let store: StateStore | undefined;
export const handler = createVerifyHandler({
  env: process.env,
  store: () => (store ??= stateStoreFromEnv(process.env)),
  logger: new Logger({ serviceName: 'stackcheck-verify' }),
  metrics: new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'stackcheck',
    serviceName: 'stackcheck-verify',
  }),
});
