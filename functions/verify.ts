/**
 * Lambda: verify the stack on a schedule (EventBridge, one rule per cluster) or on demand
 * (`serverless invoke -f verify -d '{"notify":"always"}'`), then notify on change of state.
 * Thin: configuration from the environment, the pipeline in lib/verify, notifications in lib/notify.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { readSecret } from '../lib/adapters/params';
import { postToSlack } from '../lib/adapters/slack';
import type { Family } from '../lib/checks/types';
import { collectLive } from '../lib/collect';
import type { CollectFn } from '../lib/collect/types';
import { ConfigError, describeError } from '../lib/errors';
import { parseVerifyPayload } from '../lib/lambda/payload';
import { notify, type NotifyDeps, type NotifyOutcome } from '../lib/notify';
import type { StateStore } from '../lib/state/types';
import { formatJson } from '../lib/report/format/json';
import { formatHtml } from '../lib/report/html';
import { verify } from '../lib/verify';

export interface VerifyFunctionDeps {
  env: NodeJS.ProcessEnv;
  store: () => StateStore;
  collect?: CollectFn;
  logger: Logger;
  metrics: Metrics;
}

export interface VerifyFunctionResult {
  outcome: 'pass' | 'fail';
  cluster: string;
  /** Presigned URL of the HTML report, when REPORT_BUCKET is set. */
  reportUrl?: string;
  summary: { pass: number; fail: number; error: number; skip: number };
  failing: Array<{ code: string; status: string; severity: string; resource: string; message: string }>;
  notification: NotifyOutcome | { sent: false; reason: string };
}

function jsonEnv<T>(env: NodeJS.ProcessEnv, name: string, fallback: T): T {
  const raw = env[name];
  if (!raw) return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw new ConfigError(`environment variable ${name} is not valid JSON`);
  }
}

export function createVerifyHandler(deps: VerifyFunctionDeps) {
  const { env, logger, metrics } = deps;
  return middy(async function verifyFunction(event: unknown, context?: Context): Promise<VerifyFunctionResult> {
    const payload = parseVerifyPayload(event);
    const cluster = payload.cluster ?? env.CLUSTER_NAME;
    if (!cluster) throw new ConfigError('no cluster: set CLUSTER_NAME or pass {"cluster": "..."}');
    const runId = context?.awsRequestId ?? `local-${Date.now()}`;
    logger.appendKeys({ cluster, runId });
    const deadline = Date.now() + Math.max(5_000, (context?.getRemainingTimeInMillis?.() ?? 60_000) - 5_000);
    const store = deps.store();
    const { report, notes, snapshot, expected } = await verify(
      {
        source: { target: { mode: 'eks', cluster, region: payload.region ?? env.AWS_REGION } },
        ...(payload.roleArn
          ? {
              credentials: fromTemporaryCredentials({
                params: { RoleArn: payload.roleArn, RoleSessionName: 'stackcheck-verify' },
              }),
              credentialsKey: payload.roleArn,
            }
          : {}),
        valuesFiles: env.VALUES_FILE ? [env.VALUES_FILE] : [],
        sets: jsonEnv<string[]>(env, 'VALUES_SET', []),
        env: { ...env, ...jsonEnv<Record<string, string>>(env, 'VALUES_ENV', {}) },
        domain: env.DOMAIN || undefined,
        certArn: env.CERT_ARN || undefined,
        release: env.RELEASE || undefined,
        namespace: env.NAMESPACE || undefined,
        checks: payload.checks,
        skip: payload.skip ?? jsonEnv<Family[]>(env, 'SKIP_FAMILIES', []),
        failOn: payload.failOn,
        deadline,
        onProgress: (m) => logger.debug(m),
      },
      { collect: deps.collect ?? collectLive, heartbeatStore: store },
    );
    for (const n of notes) logger.info('note', { note: n });
    for (const status of ['pass', 'fail', 'error', 'skip'] as const)
      metrics.addMetric(`results_${status}`, MetricUnit.Count, report.summary[status]);
    for (const sev of ['critical', 'warning', 'info'] as const) {
      metrics.addMetric(
        `failing_${sev}`,
        MetricUnit.Count,
        report.results.filter((r) => (r.status === 'fail' || r.status === 'error') && r.severity === sev).length,
      );
    }
    metrics.addMetric('run_duration', MetricUnit.Milliseconds, report.durationMs);

    const notifyDeps: NotifyDeps = { store };
    let reportUrls: { htmlUrl: string; jsonUrl: string } | undefined;
    if (env.REPORT_BUCKET) {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const rs = require('../lib/adapters/report-store') as typeof import('../lib/adapters/report-store');
        reportUrls = await rs.storeReport(
          rs.reportClient(env),
          env.REPORT_BUCKET,
          {
            cluster,
            startedAt: report.startedAt,
            html: formatHtml({ report, snapshot, expected }),
            json: formatJson(report),
          },
          Number(env.REPORT_URL_TTL_SECONDS ?? 86_400),
        );
        notifyDeps.link = reportUrls.htmlUrl;
      } catch (err) {
        logger.warn('report not stored', { error: (err as Error).name });
      }
    }
    const slackUrl = await readSecret(env, 'SLACK_WEBHOOK_URL', 'SLACK_WEBHOOK_PARAM');
    if (slackUrl) notifyDeps.slack = (m) => postToSlack(slackUrl, m);
    if (env.SNS_TOPIC_ARN) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const sns = require('../lib/adapters/sns') as typeof import('../lib/adapters/sns');
      const client = sns.snsClient();
      const topicArn = env.SNS_TOPIC_ARN;
      notifyDeps.sns = (m) => sns.publishToSns(client, { topicArn, ...m });
    }
    let notification: VerifyFunctionResult['notification'];
    try {
      notification = await notify(report, payload.notify ?? 'on-change', notifyDeps);
    } catch (err) {
      notification = { sent: false, reason: `notification state unavailable: ${describeError(err)}` };
    }
    logger.info('verify finished', {
      outcome: report.outcome,
      summary: report.summary,
      notification: { sent: notification.sent, reason: notification.reason },
    });
    return {
      outcome: report.outcome ?? 'pass',
      cluster,
      ...(reportUrls ? { reportUrl: reportUrls.htmlUrl } : {}),
      summary: report.summary,
      failing: report.results
        .filter((r) => r.status === 'fail' || r.status === 'error')
        .map((r) => ({
          code: r.code,
          status: r.status,
          severity: r.severity,
          resource: r.resource,
          message: r.message,
        })),
      notification,
    };
  }).use({
    after: async function publishMetricsAfter() {
      metrics.publishStoredMetrics();
    },
    onError: async function logVerifyError(request) {
      logger.error('verify failed', {
        error: (request.error as Error)?.name,
        message: (request.error as Error)?.message,
      });
      metrics.publishStoredMetrics();
    },
  });
}

function defaultStore(env: NodeJS.ProcessEnv): StateStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const state = require('../lib/state') as typeof import('../lib/state');
  return state.openStateStore(env.STATE_TABLE ? `dynamodb:${env.STATE_TABLE}` : undefined);
}

let store: StateStore | undefined;
export const handler = createVerifyHandler({
  env: process.env,
  store: () => (store ??= defaultStore(process.env)),
  logger: new Logger({ serviceName: 'stackcheck-verify' }),
  metrics: new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'stackcheck',
    serviceName: 'stackcheck-verify',
  }),
});
