/**
 * One verify request for every front door. The CLI's flags and the Lambda's payload and
 * environment are gathered into a RawVerifyInput and validated here, once, into the typed
 * VerifyRequest the job runs. Errors name the flag or payload key (ConfigError: exit 2).
 */
import { FAMILIES, type FailOn, type Family } from '../checks/types';
import type { StackcheckConfig } from '../config/types';
import type { CollectTarget } from '../collect/types';
import { ConfigError } from '../errors';
import type { ValueSource } from '../expected/values';
import { parseDuration } from '../util/duration';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export type VerifySource = { snapshotFile: string } | { target: CollectTarget };

export interface VerifyRequest {
  source: VerifySource;
  valuesFiles: string[];
  sets: string[];
  /** Ordered values sources (`-f`, the `--set` family); when given, used instead of valuesFiles/sets. */
  valueSources?: ValueSource[];
  /** Standard input for `--values -`, read by the front door. */
  stdin?: string;
  /** Environment for envsubst (process.env merged with --env / VALUES_ENV). */
  env: Record<string, string | undefined>;
  release?: string;
  namespace?: string;
  domain?: string;
  certArn?: string;
  prometheusUrl?: string;
  grafanaUrl?: string;
  heartbeatMaxAgeSeconds?: number;
  /** `--checks` / payload `checks`: only these families (all when absent). */
  checks?: Family[];
  /** `--skip` / payload `skip`. */
  skip?: Family[];
  failOn?: FailOn;
  /** The config file's mutes and overrides (lib/config). */
  config?: Pick<StackcheckConfig, 'mutes' | 'overrides'>;
  /** The wall clock mutes expire by (default: now). */
  now?: Date;
  /** Whole-run deadline, ms since epoch (live collection). */
  deadline?: number;
  /**
   * `--wait` / payload `wait`: run again until nothing fails at failOn; no attempt starts after
   * `until`; each attempt's collection has `attemptMs`, and never goes past `hardDeadline`.
   */
  wait?: { until: number; attemptMs: number; hardDeadline?: number };
  onProgress?: (message: string) => void;
  /** Credentials for the AWS side and the EKS token (e.g. an assumed role), and a key naming them. */
  credentials?: AwsCredentialIdentityProvider;
  credentialsKey?: string;
}

/** What a front door gathered, before validation. Lists may come as `a,b` strings or arrays. */
export interface RawVerifyInput {
  snapshot?: string;
  cluster?: string;
  region?: string;
  kubeconfig?: string;
  context?: string;
  values?: string[];
  sets?: string[];
  valueSources?: ValueSource[];
  stdin?: string;
  env?: Record<string, string | undefined>;
  domain?: string;
  certArn?: string;
  release?: string;
  namespace?: string;
  prometheusUrl?: string;
  grafanaUrl?: string;
  heartbeatMaxAge?: string | number;
  checks?: string | string[];
  skip?: string | string[];
  failOn?: string;
  /** Seconds for the whole run (for each attempt with wait). */
  timeout?: string | number;
  /** How long to keep re-checking: a duration (`90s`, `5m`) or a number of seconds. */
  wait?: string | number;
}

/** How the front door names each field in its errors (`--checks`, `payload.checks`, `SKIP_FAMILIES`). */
export type FieldNames = Partial<Record<keyof RawVerifyInput, string>>;

export const CLI_NAMES: FieldNames = {
  snapshot: '--snapshot',
  cluster: '--cluster',
  kubeconfig: '--kubeconfig',
  checks: '--checks',
  skip: '--skip',
  failOn: '--fail-on',
  heartbeatMaxAge: '--heartbeat-max-age',
  timeout: '--timeout',
  wait: '--wait',
  prometheusUrl: '--prometheus-url',
  grafanaUrl: '--grafana-url',
};

function families(name: string, v: string | string[] | undefined): Family[] | undefined {
  if (v === undefined) return undefined;
  const list = typeof v === 'string' ? v.split(',') : v;
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string'))
    throw new ConfigError(`${name} must be a list of check families (known: ${FAMILIES.join(', ')})`);
  const names = list.map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(FAMILIES as readonly string[]).includes(n));
  if (unknown.length)
    throw new ConfigError(
      `${name}: unknown check famil${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')} (known: ${FAMILIES.join(', ')})`,
    );
  return names as Family[];
}

function positive(name: string, v: string | number | undefined, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!(Number.isFinite(n) && n > 0 && (!integer || Number.isInteger(n))))
    throw new ConfigError(`${name} ${v}: expected a positive number of seconds`);
  return n;
}

function source(raw: RawVerifyInput, names: FieldNames): VerifySource {
  const n = (k: keyof RawVerifyInput) => names[k] ?? k;
  const given = [
    raw.snapshot && n('snapshot'),
    raw.cluster && !raw.kubeconfig && n('cluster'),
    raw.kubeconfig && n('kubeconfig'),
  ];
  const sources = given.filter((s): s is string => !!s);
  if (sources.length !== 1)
    throw new ConfigError(
      sources.length === 0
        ? `verify needs a source: ${n('snapshot')} FILE, ${n('cluster')} NAME, or ${n('kubeconfig')} FILE (see stackcheck verify --help)`
        : `verify takes exactly one source, got ${sources.join(' and ')}`,
    );
  if (raw.snapshot) return { snapshotFile: raw.snapshot };
  if (raw.kubeconfig)
    return {
      target: {
        mode: 'kubeconfig',
        kubeconfig: raw.kubeconfig,
        context: raw.context,
        cluster: raw.cluster,
        region: raw.region,
      },
    };
  return { target: { mode: 'eks', cluster: raw.cluster as string, region: raw.region } };
}

/** Validates what a front door gathered. `now` anchors the deadline (default timeout 120 s). */
export function parseVerifyRequest(raw: RawVerifyInput, names: FieldNames = {}, now = Date.now()): VerifyRequest {
  const n = (k: keyof RawVerifyInput) => names[k] ?? k;
  if (raw.failOn !== undefined && raw.failOn !== 'critical' && raw.failOn !== 'warning' && raw.failOn !== 'never')
    throw new ConfigError(`${n('failOn')} ${raw.failOn}: expected critical, warning or never`);
  for (const k of ['prometheusUrl', 'grafanaUrl'] as const) {
    const url = raw[k];
    if (url !== undefined && !/^https?:\/\/[^\s/]+/.test(url))
      throw new ConfigError(`${n(k)} ${url}: expected an http(s) URL`);
  }
  const timeoutSeconds = positive(n('timeout'), raw.timeout, false) ?? 120;
  let waitMs: number | undefined;
  if (raw.wait !== undefined) {
    try {
      waitMs = typeof raw.wait === 'number' ? raw.wait * 1000 : parseDuration(raw.wait);
    } catch (err) {
      throw new ConfigError(`${n('wait')} ${(err as Error).message}`);
    }
  }
  return {
    source: source(raw, names),
    valuesFiles: raw.values ?? [],
    sets: raw.sets ?? [],
    ...(raw.valueSources ? { valueSources: raw.valueSources } : {}),
    ...(raw.stdin !== undefined ? { stdin: raw.stdin } : {}),
    env: raw.env ?? {},
    release: raw.release || undefined,
    namespace: raw.namespace || undefined,
    domain: raw.domain || undefined,
    certArn: raw.certArn || undefined,
    prometheusUrl: raw.prometheusUrl,
    grafanaUrl: raw.grafanaUrl,
    heartbeatMaxAgeSeconds: positive(n('heartbeatMaxAge'), raw.heartbeatMaxAge, true),
    checks: families(n('checks'), raw.checks),
    skip: families(n('skip'), raw.skip),
    failOn: raw.failOn as FailOn | undefined,
    deadline: now + timeoutSeconds * 1000,
    ...(waitMs ? { wait: { until: now + waitMs, attemptMs: timeoutSeconds * 1000 } } : {}),
  };
}
