/**
 * The first stage: what the stack should be. From the values files and --set flags when given;
 * else from the values recorded in the deployed Helm release (read through the same collection as
 * everything else, so it is read once); else the chart's defaults.
 */
import { buildExpected, type ExpectedInputs } from '../expected/build';
import type { ExpectedState } from '../expected/types';
import { loadUserValues, readBoundedFile, type ValueSource } from '../expected/values';
import { deployedRelease } from '../helm/release';
import type { HelmRelease } from '../snapshot/types';
import type { VerifyRequest } from './request';

export interface Expectation {
  expected: ExpectedState;
  /** Where it came from: the files and flags, the deployed release, or the chart defaults. */
  origin: 'files' | 'release' | 'defaults';
  notes: string[];
}

export function expectationInputs(req: VerifyRequest): ExpectedInputs {
  return {
    release: req.release,
    namespace: req.namespace,
    domain: req.domain,
    certArn: req.certArn,
    prometheusUrl: req.prometheusUrl,
    grafanaUrl: req.grafanaUrl,
    heartbeatMaxAgeSeconds: req.heartbeatMaxAgeSeconds ?? req.config?.overrides.thresholds.heartbeatMaxAgeSeconds,
    thresholds: req.config?.overrides.thresholds,
  };
}

/** Whether the request brings its own values (else the deployed release is the expectation). */
export function hasUserValues(req: VerifyRequest): boolean {
  return valueSources(req).length > 0;
}

/** The values sources in the order given (`-f`, the `--set` family), or the plain files then --set. */
function valueSources(req: VerifyRequest): ValueSource[] {
  return (
    req.valueSources ?? [
      ...req.valuesFiles.map((file): ValueSource => ({ kind: 'values', file })),
      ...req.sets.map((value): ValueSource => ({ kind: 'set', value })),
    ]
  );
}

/** The chart defaults and flags alone: enough to know the namespace and release to read. */
export function defaultsExpectation(req: VerifyRequest): ExpectedState {
  return buildExpected({ values: {} }, expectationInputs(req), 'defaults');
}

/**
 * The last expectation built from files: its request (sources, flags, environment) and the text
 * of every file it read. A warm Lambda (or `serve`) verifies with the same values file every
 * time; when the request is the same and each file still reads the same, parsing, `${VAR}`
 * substitution and building are not done again (the files are still read: a file changed between
 * runs gives a new expectation). The expectation is never changed in place; notes are copied.
 */
let lastFromFiles: { key: string; reads: Array<[string, string]>; value: Expectation } | undefined;

/** From the values files and --set flags (pure apart from reading the files). */
export function expectationFromFiles(
  req: VerifyRequest,
  readFile: (path: string) => string = (p) => readBoundedFile(p),
): Expectation {
  const key = JSON.stringify([valueSources(req), req.env ?? null, req.stdin ?? null, expectationInputs(req)]);
  const last = lastFromFiles;
  if (last && last.key === key && last.reads.every(([path, text]) => readsSame(readFile, path, text)))
    return { ...last.value, notes: [...last.value.notes] };
  const reads: Array<[string, string]> = [];
  const recording = (path: string) => {
    const text = readFile(path);
    reads.push([path, text]);
    return text;
  };
  const user = loadUserValues({ sources: valueSources(req), env: req.env, stdin: req.stdin }, recording);
  const notes: string[] = [];
  if (user.unsetVariables.length > 0)
    notes.push(
      `values files reference unset variables: ${user.unsetVariables.join(', ')} (set them or pass --env NAME=VALUE)`,
    );
  const expected = buildExpected(user, expectationInputs(req), 'files');
  const value: Expectation = { expected, origin: 'files', notes: [...notes, ...expected.notes] };
  lastFromFiles = { key, reads, value };
  return { ...value, notes: [...value.notes] };
}

function readsSame(readFile: (path: string) => string, path: string, text: string): boolean {
  try {
    return readFile(path) === text;
  } catch {
    return false;
  }
}

/** From the release revisions read from the cluster (or a recorded snapshot). */
export function expectationFromRelease(req: VerifyRequest, releases: readonly HelmRelease[]): Expectation {
  const inputs = expectationInputs(req);
  const name = defaultsExpectation(req).release;
  const rel = deployedRelease(releases.filter((r) => r.name === name));
  if (rel) {
    const expected = buildExpected({ values: rel.config, origins: {} }, inputs, 'release');
    return {
      expected,
      origin: 'release',
      notes: [
        `no --values/--set: the values recorded in release ${rel.name} revision ${rel.revision} are the expectation`,
        ...expected.notes,
      ],
    };
  }
  const expected = buildExpected({ values: {} }, inputs, 'defaults');
  return {
    expected,
    origin: 'defaults',
    notes: [
      'no --values/--set and no deployed release found: the chart defaults are the expectation',
      ...expected.notes,
    ],
  };
}
