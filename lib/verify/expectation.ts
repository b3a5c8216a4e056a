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
 * Of the environment, only the variables the build looked up are compared (the values files'
 * `${VAR}`s): a Lambda's environment is the whole process environment, which the runtime changes
 * on every invocation (_X_AMZN_TRACE_ID).
 */
let lastFromFiles: { key: string; reads: Array<[string, string]>; env: EnvLookups; value: Expectation } | undefined;

/** The environment variables a build looked up, with what they were; `whole` when it listed them all. */
interface EnvLookups {
  names: Map<string, string | undefined>;
  whole?: string;
}

function ownValue(env: Record<string, string | undefined>, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined;
}

/** `env` as seen by the build, noting each variable it looks up (and whether it enumerated them). */
function watchedEnv(env: Record<string, string | undefined>): {
  env: Record<string, string | undefined>;
  lookups: EnvLookups;
} {
  const lookups: EnvLookups = { names: new Map() };
  const note = (name: string | symbol) => {
    if (typeof name === 'string') lookups.names.set(name, ownValue(env, name));
  };
  const watched = new Proxy(env, {
    get(target, name, receiver) {
      note(name);
      return Reflect.get(target, name, receiver) as unknown;
    },
    has(target, name) {
      note(name);
      return Reflect.has(target, name);
    },
    getOwnPropertyDescriptor(target, name) {
      note(name);
      return Reflect.getOwnPropertyDescriptor(target, name);
    },
    ownKeys(target) {
      lookups.whole = JSON.stringify(target);
      return Reflect.ownKeys(target);
    },
  });
  return { env: watched, lookups };
}

function sameLookups(env: Record<string, string | undefined>, lookups: EnvLookups): boolean {
  if (lookups.whole !== undefined && JSON.stringify(env) !== lookups.whole) return false;
  for (const [name, value] of lookups.names) if (ownValue(env, name) !== value) return false;
  return true;
}

/** From the values files and --set flags (pure apart from reading the files). */
export function expectationFromFiles(
  req: VerifyRequest,
  readFile: (path: string) => string = (p) => readBoundedFile(p),
): Expectation {
  const key = JSON.stringify([valueSources(req), req.stdin ?? null, expectationInputs(req)]);
  const env = req.env ?? {};
  const last = lastFromFiles;
  if (
    last &&
    last.key === key &&
    sameLookups(env, last.env) &&
    last.reads.every(([path, text]) => readsSame(readFile, path, text))
  )
    return { ...last.value, notes: [...last.value.notes] };
  const reads: Array<[string, string]> = [];
  const recording = (path: string) => {
    const text = readFile(path);
    reads.push([path, text]);
    return text;
  };
  const watched = watchedEnv(env);
  const user = loadUserValues({ sources: valueSources(req), env: watched.env, stdin: req.stdin }, recording);
  const notes: string[] = [];
  if (user.unsetVariables.length > 0)
    notes.push(
      `values files reference unset variables: ${user.unsetVariables.join(', ')} (set them or pass --env NAME=VALUE)`,
    );
  const expected = buildExpected(user, expectationInputs(req), 'files');
  const value: Expectation = { expected, origin: 'files', notes: [...notes, ...expected.notes] };
  lastFromFiles = { key, reads, env: watched.lookups, value };
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
