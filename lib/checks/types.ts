import type { ExpectedState } from '../expected/types';
import type { DataKey, Snapshot } from '../snapshot/types';

export const FAMILIES = [
  'helm',
  'workloads',
  'storage',
  'crds',
  'ingress',
  'alb',
  'certificate',
  'prometheus',
  'grafana',
  'heartbeat',
] as const;
export type Family = (typeof FAMILIES)[number];

export type Status = 'pass' | 'fail' | 'error' | 'skip';
export type Severity = 'critical' | 'warning' | 'info';
/** Which failures make the exit code 1; `never` reports only. */
export type FailOn = Severity | 'never';

/** One finding, as it appears in the JSON report (docs/report.md). */
export interface Result {
  /** Stable code, e.g. `ALB003`. */
  code: string;
  check: Family;
  title: string;
  status: Status;
  severity: Severity;
  /**
   * The one object the result is about: `Kind/namespace/name`, `Kind/name` if cluster-scoped,
   * or the ARN for AWS resources. A result about something missing names what should be there.
   */
  resource: string;
  message: string;
  expected?: unknown;
  actual?: unknown;
  remediation?: string;
  /** PromQL or API path a person can paste, for runtime checks. */
  query?: string;
  /** Set when a mute of the config file silences this result: it keeps its status but does not count. */
  muted?: { reason: string; until?: string };
  /** Set when the only mutes matching this result have expired: it counts again. */
  muteExpired?: { reason: string; until: string };
}

/** What a check returns: the code/family/title/severity/remediation default from the check. */
export type Finding = Omit<Result, 'code' | 'check' | 'title' | 'severity' | 'muted' | 'muteExpired'> &
  Partial<Pick<Result, 'severity' | 'title'>>;

export interface CheckContext {
  expected: ExpectedState;
  snapshot: Snapshot;
  /** Evaluation time (the snapshot's `collectedAt`, so replays give the same report). */
  now: Date;
}

/**
 * A check: pure and synchronous; reads only `expected` and `snapshot`; never does I/O.
 * One check may yield several results (one per resource it judges).
 */
export interface Check {
  /** Stable code: family prefix + 3 digits (`HELM001`, `WRK003`, `ALB003`, …). */
  code: string;
  family: Family;
  title: string;
  severity: Severity;
  /** What it verifies and why it matters (for `stackcheck explain` and docs/checks.md). */
  description: string;
  /** Default remediation hint. */
  remediation: string;
  /**
   * Snapshot parts it needs. A collection error on any of them makes it report `error`; a part not
   * collected makes it report `skip`. The plan collects exactly what the selected checks declare.
   */
  requires: DataKey[];
  /** Parts it reads when they are there and does without otherwise (collected with the rest). */
  uses?: DataKey[];
  /**
   * Why the check does not apply to this expectation (the component is disabled in the values), or
   * undefined when it does. Decided before its inputs are looked at: a disabled component is a
   * skip whatever was or was not collected.
   */
  notApplicable?(ctx: Pick<CheckContext, 'expected'>): string | undefined;
  /** What to say when a required part is not in the snapshot (default: that it was not collected). */
  whenNotCollected?: string;
  /** The resource named when the check cannot run (error/skip results). */
  resource(ctx: CheckContext): string;
  run(ctx: CheckContext): Finding[];
  /**
   * Work `run` can use, done ahead: a live run calls it once the parts in `needs` are collected,
   * while other reads are still on their way, so that costly work (parsing the deployed release's
   * manifest) fills a wait instead of following the last answer. It only fills a cache `run`
   * reads: `run` gives the same results without it, and reports what went wrong in it.
   */
  prepare?: { needs: DataKey[]; run(parts: Pick<Snapshot, 'kubernetes' | 'aws'>, expected: ExpectedState): void };
}
