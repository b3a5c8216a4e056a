/**
 * The config file (`--config FILE`, default `.stackcheck.yaml`; `CONFIG_FILE` for the Lambda):
 * mutes, overrides and defaults for the verify flags. Plain data, validated by lib/config/load.ts.
 * docs/config.md describes every key.
 */
import type { FailOn, Family, Severity } from '../checks/types';

export type { FailOn };

/** Silences one known finding: the result keeps its status but stops counting as failing. */
export interface Mute {
  /** A check code, e.g. `WRK008` (`*` globs allowed, e.g. `ALB*`). */
  code: string;
  /** Glob over the result's `resource` (`*` any run of characters, `?` one); default `*`. */
  resource: string;
  /** Why it is muted (required: a mute without a reason is a finding nobody can revisit). */
  reason: string;
  /** Last day (YYYY-MM-DD, through the end of that day UTC) or instant (ISO 8601) of the mute. */
  until?: string;
}

/** Thresholds the checks read from the expected state (today's defaults in lib/expected/build.ts). */
export interface Thresholds {
  /** CRT002: fewer days of validity than this is a warning (default 30). */
  certificateWarningDays: number;
  /** CRT002: fewer days than this is critical (default 14). */
  certificateCriticalDays: number;
  /** HRT001: the Watchdog heartbeat may be at most this old (default 600 s). */
  heartbeatMaxAgeSeconds: number;
  /** ALB008: a target registered this recently (its pod started within it) may still be `initial`/`unhealthy` (default 0). */
  targetHealthGraceSeconds: number;
}

export interface Overrides {
  /** Severity per check code. */
  severity: Record<string, Severity>;
  thresholds: Partial<Thresholds>;
}

/** Defaults for `stackcheck verify` flags; a flag given on the command line wins. */
export interface VerifyDefaults {
  snapshot?: string;
  cluster?: string;
  region?: string;
  kubeconfig?: string;
  context?: string;
  values?: string[];
  env?: Record<string, string>;
  set?: string[];
  domain?: string;
  certArn?: string;
  release?: string;
  namespace?: string;
  checks?: Family[];
  skip?: Family[];
  prometheusUrl?: string;
  grafanaUrl?: string;
  format?: string;
  output?: string;
  failOn?: FailOn;
  state?: string;
  notify?: string[];
  timeout?: number;
  wait?: string;
  pushgateway?: string;
  notifyAlways?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

export interface StackcheckConfig {
  /** The file it was read from (paths in it are relative to its directory). */
  file?: string;
  mutes: Mute[];
  overrides: Overrides;
  verify: VerifyDefaults;
}

export const EMPTY_CONFIG: StackcheckConfig = { mutes: [], overrides: { severity: {}, thresholds: {} }, verify: {} };
