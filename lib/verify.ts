/**
 * The verify pipeline shared by the CLI and the Lambda:
 * values → expected state; snapshot (file or live collection) → checks → report.
 * Throws ConfigError (bad input, exit 2) or CollectError (nothing collected, exit 3); everything
 * else that fails during collection is already an `error` result.
 */
import { allChecks } from './checks';
import { runChecks } from './checks/run';
import { FAMILIES, type Family, type Result, type Severity } from './checks/types';
import type { CollectFn, CollectOptions, CollectTarget } from './collect/types';
import { deployedRelease } from './helm/release';
import { buildReport, isFailing } from './report/build';
import type { Report } from './report/types';
import { buildExpected, type ExpectedInputs } from './expected/build';
import type { ExpectedState } from './expected/types';
import { loadUserValues } from './expected/values';
import { loadSnapshotFile } from './snapshot/load';
import type { Snapshot } from './snapshot/types';
import type { StateStore } from './state/types';
import { readHeartbeat } from './collect/heartbeat';
import { collectRuntime } from './collect/runtime';
import { collectionError } from './adapters/aws-errors';

export type VerifySource = { snapshotFile: string } | { target: CollectTarget };

export interface VerifyOptions extends ExpectedInputs {
  source: VerifySource;
  valuesFiles: string[];
  sets: string[];
  /** Environment for envsubst (process.env merged with --env). */
  env: Record<string, string | undefined>;
  checks?: Family[];
  skip?: Family[];
  failOn?: Severity;
  /** Whole-run deadline, ms since epoch (live collection). */
  deadline?: number;
  onProgress?: (message: string) => void;
  /** Credentials for the AWS side and the EKS token (e.g. an assumed role), and a key naming them. */
  credentials?: CollectOptions['credentials'];
  credentialsKey?: string;
}

export interface VerifyDeps {
  /** The live collector (lib/collect collectLive); required unless the source is a snapshot file. */
  collect?: CollectFn;
  /** Where the webhook records the Watchdog heartbeat (read for the heartbeat family on live runs). */
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
}

export function selectedFamilies(checks?: Family[], skip?: Family[]): Family[] {
  return FAMILIES.filter((f) => (!checks || checks.length === 0 || checks.includes(f)) && !(skip ?? []).includes(f));
}

export async function verify(opts: VerifyOptions, deps: VerifyDeps = {}): Promise<VerifyOutcome> {
  const notes: string[] = [];
  const inputs: ExpectedInputs = {
    release: opts.release,
    namespace: opts.namespace,
    domain: opts.domain,
    certArn: opts.certArn,
    prometheusUrl: opts.prometheusUrl,
    grafanaUrl: opts.grafanaUrl,
    heartbeatMaxAgeSeconds: opts.heartbeatMaxAgeSeconds,
  };
  const fromFiles = opts.valuesFiles.length > 0 || opts.sets.length > 0;
  const user = fromFiles
    ? loadUserValues({ valuesFiles: opts.valuesFiles, sets: opts.sets, env: opts.env }, deps.readFile)
    : undefined;
  if (user && user.unsetVariables.length > 0) {
    notes.push(
      `values files reference unset variables: ${user.unsetVariables.join(', ')} (set them or pass --env NAME=VALUE)`,
    );
  }
  // What the collector needs to find things (from the files when given, else flags only).
  const preliminary = buildExpected(user ?? { values: {} }, inputs, user ? 'files' : 'defaults');
  const families = selectedFamilies(opts.checks, opts.skip);

  let snapshot: Snapshot;
  if ('snapshotFile' in opts.source) {
    snapshot = loadSnapshotFile(opts.source.snapshotFile, deps.readFile);
  } else {
    // The caller brings the collector (the CLI loads it only for live runs, so --snapshot never
    // loads the AWS or Kubernetes clients; the Lambda imports it statically).
    const collect = deps.collect;
    if (!collect) throw new Error('verify: a live run needs a collector (deps.collect)');
    snapshot = await collect(
      opts.source.target,
      {
        namespace: preliminary.namespace,
        release: preliminary.release,
        albGroupName: preliminary.alb.groupName,
        loadBalancerName: preliminary.alb.loadBalancerName,
        certificateArns: preliminary.certificateArn ? [preliminary.certificateArn] : [],
        prometheusUrl: preliminary.prometheus.url,
        grafanaUrl: preliminary.grafana.url,
      },
      {
        families,
        deadline: opts.deadline,
        onProgress: opts.onProgress,
        credentials: opts.credentials,
        credentialsKey: opts.credentialsKey,
      },
    );
    if (deps.heartbeatStore && families.includes('heartbeat')) {
      try {
        snapshot.heartbeat = await readHeartbeat(deps.heartbeatStore, snapshot.cluster);
      } catch (err) {
        snapshot.errors.push(collectionError(deps.heartbeatStore.kind, 'read heartbeat', ['heartbeat'], err));
      }
      snapshot.collected.push('heartbeat');
    }
  }

  let expected: ExpectedState;
  if (user) {
    expected = buildExpected(user, inputs, 'files');
  } else {
    const rel = deployedRelease(snapshot.kubernetes.helmReleases.filter((r) => r.name === preliminary.release));
    if (rel) {
      expected = buildExpected({ values: rel.config, origins: {} }, inputs, 'release');
      notes.push(
        `no --values/--set: the values recorded in release ${rel.name} revision ${rel.revision} are the expectation`,
      );
    } else {
      expected = buildExpected({ values: {} }, inputs, 'defaults');
      notes.push('no --values/--set and no deployed release found: the chart defaults are the expectation');
    }
  }
  notes.push(...expected.notes);

  // With the expectation taken from the release, the Prometheus/Grafana URLs are known only now:
  // probe them after the fact on live runs (the snapshot records the answers like any other).
  if (!('snapshotFile' in opts.source)) {
    const wantProm = families.includes('prometheus') && !snapshot.runtime.prometheus && !!expected.prometheus.url;
    const wantGrafana = families.includes('grafana') && !snapshot.runtime.grafana && !!expected.grafana.url;
    if (wantProm || wantGrafana) {
      const { runtime } = await collectRuntime({
        prometheusUrl: expected.prometheus.url,
        grafanaUrl: expected.grafana.url,
        grafanaToken: opts.env.GRAFANA_TOKEN,
        prometheus: wantProm,
        grafana: wantGrafana,
      });
      snapshot.runtime = { ...snapshot.runtime, ...runtime };
      if (wantProm) snapshot.collected.push('runtime.prometheus');
      if (wantGrafana) snapshot.collected.push('runtime.grafana');
    }
  }

  const results: Result[] = runChecks(allChecks, expected, snapshot, { checks: opts.checks, skip: opts.skip });
  const startedAt = new Date(snapshot.collectedAt);
  const failOn = opts.failOn ?? 'critical';
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
  return { report, snapshot, expected, exitCode: isFailing(results, failOn) ? 1 : 0, notes };
}
