import type { Result, Severity } from '../checks/types';

export interface Summary {
  pass: number;
  fail: number;
  error: number;
  skip: number;
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
  failOn?: Severity;
  /** `pass` when the exit code is 0, else `fail`. */
  outcome?: 'pass' | 'fail';
}
