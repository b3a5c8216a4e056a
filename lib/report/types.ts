import type { FailOn, Result } from '../checks/types';

export interface Summary {
  pass: number;
  fail: number;
  error: number;
  skip: number;
  /** Failing results silenced by a mute of the config file (not counted in `fail`/`error`). */
  muted: number;
}

/** The JSON report (docs/report.md). Fields may be added, never removed or renamed. */
export interface Report {
  tool: 'stackcheck';
  version: string;
  cluster: string;
  startedAt: string;
  durationMs: number;
  summary: Summary;
  results: Result[];
  /** Extensions. */
  namespace?: string;
  release?: string;
  chartVersion?: string;
  /** When the observed state was collected (the snapshot's time). */
  collectedAt?: string;
  failOn?: FailOn;
  /** `pass` when the exit code is 0, else `fail`. */
  outcome?: 'pass' | 'fail';
  /** Set when no selected check ran (none selected, or every one skipped): that is not a pass. */
  noChecksRan?: boolean;
  /** What `--notify` did (CLI); a failed notification makes the run fail. */
  notification?: ReportNotification;
}

export interface ReportNotification {
  sent: boolean;
  reason: string;
  destinations?: Record<string, 'sent' | 'failed' | 'skipped'>;
  errors: string[];
}
