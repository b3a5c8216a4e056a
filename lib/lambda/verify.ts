/**
 * One verify invocation as the Lambda runs it: the shared job (lib/verify), its figures as
 * CloudWatch metrics, the reports stored in S3 (REPORT_BUCKET), and a notification on change of
 * state. functions/verify.ts only parses the event and calls this.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { CollectOptions, CollectTarget } from '../collect/types';
import type { LiveSession } from '../collect';
import { describeError } from '../errors';
import { notify, type NotifyDeps, type NotifyMode, type NotifyOutcome } from '../notify';
import { reportDestinationsFromEnv } from '../notify/destinations';
import { formatJson } from '../report/format/json';
import { formatHtml } from '../report/html';
import type { Report } from '../report/types';
import type { StateStore } from '../state/types';
import { isActiveFailure } from '../config/apply';
import { verifyWaiting, type VerifyOutcome } from '../verify';
import { describeAttempt } from '../wait';
import type { VerifyRequest } from '../verify/request';

export interface VerifyInvocationDeps {
  env: NodeJS.ProcessEnv;
  store: () => StateStore;
  openSession: (target: CollectTarget, opts: Omit<CollectOptions, 'inputs'>) => LiveSession;
  logger: Logger;
  metrics: Metrics;
}

export interface VerifyFunctionResult {
  outcome: 'pass' | 'fail';
  cluster: string;
  /** Presigned URL of the HTML report, when REPORT_BUCKET is set. */
  reportUrl?: string;
  summary: { pass: number; fail: number; error: number; skip: number; muted: number };
  failing: Array<{ code: string; status: string; severity: string; resource: string; message: string }>;
  notification: NotifyOutcome | { sent: false; reason: string };
}

function recordMetrics(metrics: Metrics, report: Report): void {
  // One series per cluster: a multi-cluster deploy does not land on one.
  metrics.addDimension('cluster', report.cluster);
  for (const status of ['pass', 'fail', 'error', 'skip', 'muted'] as const)
    metrics.addMetric(`results_${status}`, MetricUnit.Count, report.summary[status]);
  for (const sev of ['critical', 'warning', 'info'] as const) {
    metrics.addMetric(
      `failing_${sev}`,
      MetricUnit.Count,
      report.results.filter((r) => isActiveFailure(r) && r.severity === sev).length,
    );
  }
  metrics.addMetric('run_duration', MetricUnit.Milliseconds, report.durationMs);
}

/** Stores the HTML and JSON reports in REPORT_BUCKET and returns their presigned URLs (or undefined). */
async function storeReports(outcome: VerifyOutcome, deps: VerifyInvocationDeps) {
  const { env, logger } = deps;
  if (!env.REPORT_BUCKET) return undefined;
  const { report, snapshot, expected, redactor } = outcome;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const rs = require('../adapters/report-store') as typeof import('../adapters/report-store');
    return await rs.storeReport(
      rs.reportClient(env),
      env.REPORT_BUCKET,
      {
        cluster: report.cluster,
        startedAt: report.startedAt,
        // report and expected are redacted; the topology's snapshot is large (20 000 pods):
        // the page itself goes through the redactor instead of a copy of the snapshot.
        html: redactor.text(formatHtml({ report, snapshot, expected })),
        json: formatJson(report),
      },
      Number(env.REPORT_URL_TTL_SECONDS ?? 86_400),
    );
  } catch (err) {
    logger.warn('report not stored', { error: (err as Error).name });
    return undefined;
  }
}

export async function runVerifyInvocation(
  request: VerifyRequest,
  notifyMode: NotifyMode,
  deps: VerifyInvocationDeps,
): Promise<VerifyFunctionResult> {
  const { env, logger, metrics } = deps;
  const store = deps.store();
  request.onProgress = (m) => logger.debug(m);
  // {"wait": SECONDS}: again until nothing fails (bounds set by lib/lambda/request.ts).
  const outcome = await verifyWaiting(request, { openSession: deps.openSession, heartbeatStore: store }, (a) =>
    logger.info(describeAttempt(a), { attempt: a.attempt, failing: a.failing.length }),
  );
  const { report, notes } = outcome;
  for (const n of notes) logger.info('note', { note: n });
  recordMetrics(metrics, report);

  const reportUrls = await storeReports(outcome, deps);
  const { slack, sns } = await reportDestinationsFromEnv(env);
  const notifyDeps: NotifyDeps = {
    store,
    slack,
    sns,
    redactor: outcome.redactor,
    ...(reportUrls ? { link: reportUrls.htmlUrl } : {}),
  };
  let notification: VerifyFunctionResult['notification'];
  try {
    notification = await notify(report, notifyMode, notifyDeps);
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
    cluster: report.cluster,
    ...(reportUrls ? { reportUrl: reportUrls.htmlUrl } : {}),
    summary: report.summary,
    failing: report.results
      .filter(isActiveFailure)
      .map((r) => ({ code: r.code, status: r.status, severity: r.severity, resource: r.resource, message: r.message })),
    notification,
  };
}
