/**
 * The verify job, the same for the CLI, the Lambda and the benchmark, left to right:
 *   resolve the expectation → plan from the selected checks → collect once → run the checks → report.
 * Each stage hands plain data to the next. Throws ConfigError (bad input, exit 2) or CollectError
 * (nothing collected, exit 3); everything else that fails during collection is an `error` result.
 */
import { runChecks } from '../checks/run';
import { applyConfig, expiredMuteNotes } from '../config/apply';
import type { LiveSession } from '../collect';
import type { CollectHints, CollectOptions, CollectTarget } from '../collect/types';
import type { ExpectedState } from '../expected/types';
import { buildReport, isFailing } from '../report/build';
import type { Report } from '../report/types';
import { loadSnapshotFile } from '../snapshot/load';
import { DATA_KEYS, type CollectionError, type Snapshot } from '../snapshot/types';
import type { StateStore } from '../state/types';
import {
  defaultsExpectation,
  expectationFromFiles,
  expectationFromRelease,
  hasUserValues,
  type Expectation,
} from './expectation';
import { planFor, selectedFamilies } from './plan';
import type { VerifyRequest } from './request';
import { redactorFor, type Redactor } from '../redact';
import { prepareAhead } from './ahead';

export interface VerifyDeps {
  /** Opens a live collection (lib/collect openLiveSession); required unless the source is a snapshot file. */
  openSession?: (target: CollectTarget, opts: Omit<CollectOptions, 'inputs'>) => LiveSession;
  /** Where the webhook records the Watchdog heartbeat (the heartbeat family's input on live runs). */
  heartbeatStore?: StateStore;
  readFile?: (path: string) => string;
}

export interface VerifyOutcome {
  report: Report;
  snapshot: Snapshot;
  expected: ExpectedState;
  exitCode: 0 | 1;
  /** Warnings for the operator (unset variables, values taken from the release, …). */
  notes: string[];
  /**
   * Hides this run's secrets (lib/redact.ts). `report`, `expected` and `notes` are already redacted;
   * `snapshot` is not (it is large): redact it where it leaves the process (`--record`, a topology).
   */
  redactor: Redactor;
}

/** The observed state, whatever its source: a live session or a recorded snapshot. */
type Observed = Pick<LiveSession, 'collect' | 'snapshot' | 'parts'>;

function recorded(file: string, readFile?: (path: string) => string): Observed {
  const snap = loadSnapshotFile(file, readFile);
  return { collect: async () => {}, snapshot: () => snap, parts: snap };
}

function live(target: CollectTarget, req: VerifyRequest, deps: VerifyDeps): Observed {
  if (!deps.openSession) throw new Error('verify: a live run needs a collector (deps.openSession)');
  return deps.openSession(target, {
    deadline: req.deadline,
    onProgress: req.onProgress,
    credentials: req.credentials,
    credentialsKey: req.credentialsKey,
    heartbeatStore: deps.heartbeatStore,
  });
}

/** What the collectors need to find things: names, the ALB, certificates, URLs. */
export function hintsFor(expected: ExpectedState): CollectHints {
  return {
    namespace: expected.namespace,
    release: expected.release,
    albGroupName: expected.alb.groupName,
    loadBalancerName: expected.alb.loadBalancerName,
    certificateArns: expected.certificateArn ? [expected.certificateArn] : [],
    prometheusUrl: expected.prometheus.url,
    grafanaUrl: expected.grafana.url,
  };
}

/**
 * Stage 1: the expectation (reads the deployed release first when no values were given). When the
 * release cannot be read, there is nothing to compare with: the failed read is returned, and every
 * check reports it as an `error` rather than judging the stack against the chart's defaults.
 */
async function resolveExpectation(
  req: VerifyRequest,
  observed: Observed,
  deps: VerifyDeps,
): Promise<Expectation & { unreadable?: CollectionError[] }> {
  if (hasUserValues(req)) return expectationFromFiles(req, deps.readFile);
  const defaults = hintsFor(defaultsExpectation(req));
  await observed.collect(['k8s.helmReleases'], defaults);
  const failed = observed.snapshot(defaults).errors.filter((e) => e.affects.includes('k8s.helmReleases'));
  const expectation = expectationFromRelease(req, observed.parts.kubernetes.helmReleases);
  if (failed.length === 0) return expectation;
  return {
    ...expectation,
    unreadable: failed,
    notes: [
      `no --values/--set, and the deployed release could not be read (${failed[0].call}: ${failed[0].message}): there is nothing to compare with, so every check reports that error; pass --values, or fix the cause`,
    ],
  };
}

export async function verify(req: VerifyRequest, deps: VerifyDeps = {}): Promise<VerifyOutcome> {
  const observed =
    'snapshotFile' in req.source
      ? recorded(req.source.snapshotFile, deps.readFile)
      : live(req.source.target, req, deps);
  const { expected, notes, unreadable } = await resolveExpectation(req, observed, deps);
  const plan = planFor(selectedFamilies(req.checks, req.skip));
  const hints = hintsFor(expected);
  if (unreadable) {
    // Without an expectation nothing else is worth reading: each check reports the failed read.
    for (const e of unreadable) e.affects = [...DATA_KEYS];
  } else await observed.collect(plan.inputs, hints, prepareAhead(plan.checks, expected, observed.parts));
  const snapshot = observed.snapshot(hints);
  // The config file's severity overrides and mutes (mutes expire by the wall clock, not the snapshot's).
  const results = applyConfig(runChecks(plan.checks, expected, snapshot), req.config, req.now ?? new Date());
  notes.push(...expiredMuteNotes(results));
  const failOn = req.failOn ?? 'critical';
  const startedAt = new Date(snapshot.collectedAt);
  const report = buildReport({
    cluster: snapshot.cluster,
    startedAt,
    // Replays of a recorded snapshot give the same report: time and duration are the collection's.
    finishedAt: new Date(startedAt.getTime() + (snapshot.stats?.durationMs ?? 0)),
    results,
    failOn,
    namespace: expected.namespace,
    release: expected.release,
    chartVersion: expected.chart.version,
    collectedAt: snapshot.collectedAt,
  });
  // Secrets leave no stage below this one: the run's environment (`${VAR}` substitution) and the
  // secrets written in the values are known here.
  const redactor = redactorFor({ env: req.env, values: expected.values });
  return {
    report: redactor.value(report),
    snapshot,
    expected: redactor.value(expected),
    exitCode: isFailing(results, failOn) ? 1 : 0,
    notes: notes.map((n) => redactor.text(n)),
    redactor,
  };
}
