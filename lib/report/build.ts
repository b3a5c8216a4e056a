import type { FailOn, Result } from '../checks/types';
import { isActiveFailure } from '../config/apply';
import type { Report, Summary } from './types';
import { VERSION } from '../version';

const SEVERITY_RANK: Record<Result['severity'], number> = { critical: 3, warning: 2, info: 1 };

/** Counts by status; muted results are counted apart (`muted`), not as `fail`/`error`. */
export function summarize(results: readonly Result[]): Summary {
  const s: Summary = { pass: 0, fail: 0, error: 0, skip: 0, muted: 0 };
  for (const r of results) {
    if (r.muted) s.muted += 1;
    else s[r.status] += 1;
  }
  return s;
}

/**
 * Whether the results fail the run (exit code 1, docs/cli.md): any `fail` at or above `failOn`,
 * or any `error` (a check that could not run is not a pass). Muted results never count;
 * `never` reports only.
 */
export function isFailing(results: readonly Result[], failOn: FailOn = 'critical'): boolean {
  if (failOn === 'never') return false;
  return results.some(
    (r) => isActiveFailure(r) && (r.status === 'error' || SEVERITY_RANK[r.severity] >= SEVERITY_RANK[failOn]),
  );
}

/** No selected check ran: nothing passed, failed or errored (every result skipped, or none at all). */
export function noChecksRan(results: readonly Result[]): boolean {
  return results.every((r) => r.status === 'skip');
}

/** The results that keep a run from passing at `failOn` (none with `never`). */
export function blockingResults(results: readonly Result[], failOn: FailOn = 'critical'): Result[] {
  return results.filter((r) => isFailing([r], failOn));
}

/** Failing first (errors, then fails by severity), then muted ones, then the rest; stable otherwise. */
export function failingFirst(results: readonly Result[]): Result[] {
  const rank = (r: Result) =>
    isActiveFailure(r) ? (r.status === 'error' ? 0 : 4 - SEVERITY_RANK[r.severity]) : r.muted ? 4 : 5;
  return results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
    .map(({ r }) => r);
}

export interface BuildReportInput {
  cluster: string;
  startedAt: Date;
  finishedAt: Date;
  results: Result[];
  failOn?: FailOn;
  namespace?: string;
  release?: string;
  chartVersion?: string;
  collectedAt?: string;
}

/** Pure: results → report. Failing results first, otherwise the registry's order, then each check's. */
export function buildReport(input: BuildReportInput): Report {
  const failOn = input.failOn ?? 'critical';
  return {
    tool: 'stackcheck',
    version: VERSION,
    cluster: input.cluster,
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.max(0, input.finishedAt.getTime() - input.startedAt.getTime()),
    summary: summarize(input.results),
    results: failingFirst(input.results),
    ...(input.namespace ? { namespace: input.namespace } : {}),
    ...(input.release ? { release: input.release } : {}),
    ...(input.chartVersion ? { chartVersion: input.chartVersion } : {}),
    ...(input.collectedAt ? { collectedAt: input.collectedAt } : {}),
    failOn,
    outcome: isFailing(input.results, failOn) || noChecksRan(input.results) ? 'fail' : 'pass',
    ...(noChecksRan(input.results) ? { noChecksRan: true } : {}),
  };
}
