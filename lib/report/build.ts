import type { Result, Severity } from '../checks/types';
import type { Report, Summary } from './types';
import { VERSION } from '../version';

const SEVERITY_RANK: Record<Severity, number> = { critical: 3, warning: 2, info: 1 };

export function summarize(results: readonly Result[]): Summary {
  const s: Summary = { pass: 0, fail: 0, error: 0, skip: 0 };
  for (const r of results) s[r.status] += 1;
  return s;
}

/**
 * Whether the results fail the run (exit code 1, docs/cli.md): any `fail` at or above `failOn`,
 * or any `error` (a check that could not run is not a pass).
 */
export function isFailing(results: readonly Result[], failOn: Severity = 'critical'): boolean {
  return results.some(
    (r) => r.status === 'error' || (r.status === 'fail' && SEVERITY_RANK[r.severity] >= SEVERITY_RANK[failOn]),
  );
}

/** No selected check ran: nothing passed, failed or errored (every result skipped, or none at all). */
export function noChecksRan(results: readonly Result[]): boolean {
  return results.every((r) => r.status === 'skip');
}

export interface BuildReportInput {
  cluster: string;
  startedAt: Date;
  finishedAt: Date;
  results: Result[];
  failOn?: Severity;
  namespace?: string;
  release?: string;
  chartVersion?: string;
  collectedAt?: string;
}

/** Pure: results → report. Result order is kept (the registry's order, then each check's). */
export function buildReport(input: BuildReportInput): Report {
  const failOn = input.failOn ?? 'critical';
  return {
    tool: 'stackcheck',
    version: VERSION,
    cluster: input.cluster,
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.max(0, input.finishedAt.getTime() - input.startedAt.getTime()),
    summary: summarize(input.results),
    results: input.results,
    ...(input.namespace ? { namespace: input.namespace } : {}),
    ...(input.release ? { release: input.release } : {}),
    ...(input.chartVersion ? { chartVersion: input.chartVersion } : {}),
    ...(input.collectedAt ? { collectedAt: input.collectedAt } : {}),
    failOn,
    outcome: isFailing(input.results, failOn) || noChecksRan(input.results) ? 'fail' : 'pass',
    ...(noChecksRan(input.results) ? { noChecksRan: true } : {}),
  };
}
