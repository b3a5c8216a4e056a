/**
 * Change of state: the failing results of this run against those last reported for the cluster.
 * A result is identified by code + resource; `error` counts as failing (a check that could not
 * run is not a pass); a muted result (config file) does not count. Pure.
 */
import type { Result } from '../checks/types';
import { isActiveFailure } from '../config/apply';
import type { Report } from '../report/types';

export interface FailingEntry {
  code: string;
  resource: string;
  status: 'fail' | 'error';
  severity: Result['severity'];
  title: string;
  message: string;
}

export interface StoredResults {
  cluster: string;
  at: string;
  failing: FailingEntry[];
}

export interface Change {
  newFailures: FailingEntry[];
  resolved: FailingEntry[];
  /** Still failing, with another severity or status. */
  changed: Array<{ before: FailingEntry; after: FailingEntry }>;
  any: boolean;
}

export const resultKey = (r: { code: string; resource: string }) => `${r.code}\u0000${r.resource}`;

export function failingOf(report: Report): FailingEntry[] {
  // A muted result is not failing for notifications; once its mute expires it is, and that is a change.
  return report.results.filter(isActiveFailure).map((r) => ({
    code: r.code,
    resource: r.resource,
    status: r.status as 'fail' | 'error',
    severity: r.severity,
    title: r.title,
    message: r.message,
  }));
}

export function detectChange(previous: StoredResults | undefined, report: Report): Change {
  const now = failingOf(report);
  const before = new Map((previous?.failing ?? []).map((f) => [resultKey(f), f]));
  const after = new Map(now.map((f) => [resultKey(f), f]));
  const newFailures = now.filter((f) => !before.has(resultKey(f)));
  const resolved = [...before.values()].filter((f) => !after.has(resultKey(f)));
  const changed = now
    .filter((f) => before.has(resultKey(f)))
    .map((f) => ({ before: before.get(resultKey(f))!, after: f }))
    .filter(({ before: b, after: a }) => b.severity !== a.severity || b.status !== a.status);
  return { newFailures, resolved, changed, any: newFailures.length + resolved.length + changed.length > 0 };
}
