/** The verify function's invoke payload (direct invoke or the schedule's constant input). */
import type { FailOn } from '../checks/types';
import { ConfigError } from '../errors';
import type { NotifyMode } from '../notify';

export interface VerifyPayload {
  cluster?: string;
  /** The cluster's region (default: the function's). */
  region?: string;
  /** A role to assume for a cluster in another account (must be one the function may assume). */
  roleArn?: string;
  /** Families, validated with the CLI's flags by lib/verify/request.ts. */
  checks?: string | string[];
  skip?: string | string[];
  failOn?: FailOn;
  notify?: NotifyMode;
  /** Seconds to keep re-checking until nothing fails at failOn (bounded by the function's remaining time). */
  wait?: number;
}

const KEYS = ['cluster', 'region', 'roleArn', 'checks', 'skip', 'failOn', 'notify', 'wait'];
// Fields EventBridge adds to a scheduled event when no constant input is configured.
const EVENT_KEYS = ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'];

export function parseVerifyPayload(event: unknown): VerifyPayload {
  if (event === null || event === undefined) return {};
  if (typeof event !== 'object' || Array.isArray(event)) throw new ConfigError('the payload must be a JSON object');
  const e = event as Record<string, unknown>;
  if (e.source === 'aws.events' || e['detail-type'] === 'Scheduled Event') return {};
  const unknown = Object.keys(e).filter((k) => !KEYS.includes(k) && !EVENT_KEYS.includes(k));
  if (unknown.length)
    throw new ConfigError(
      `unknown payload key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (allowed: ${KEYS.join(', ')})`,
    );
  const out: VerifyPayload = {};
  if (e.cluster !== undefined) {
    if (typeof e.cluster !== 'string' || !/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(e.cluster))
      throw new ConfigError('payload.cluster must be an EKS cluster name');
    out.cluster = e.cluster;
  }
  if (e.region !== undefined) {
    if (typeof e.region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(e.region))
      throw new ConfigError('payload.region must be an AWS region such as ap-northeast-2');
    out.region = e.region;
  }
  if (e.roleArn !== undefined) {
    if (typeof e.roleArn !== 'string' || !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(e.roleArn))
      throw new ConfigError('payload.roleArn must be an IAM role ARN');
    out.roleArn = e.roleArn;
  }
  for (const k of ['checks', 'skip'] as const) {
    const v = e[k];
    if (v === undefined) continue;
    if (typeof v !== 'string' && !(Array.isArray(v) && v.every((x) => typeof x === 'string')))
      throw new ConfigError(`payload.${k} must be a list of check families`);
    out[k] = v as string | string[];
  }
  if (e.failOn !== undefined) {
    if (e.failOn !== 'critical' && e.failOn !== 'warning' && e.failOn !== 'never')
      throw new ConfigError('payload.failOn must be "critical", "warning" or "never"');
    out.failOn = e.failOn;
  }
  if (e.notify !== undefined) {
    if (e.notify !== 'on-change' && e.notify !== 'always' && e.notify !== 'never')
      throw new ConfigError('payload.notify must be "on-change", "always" or "never"');
    out.notify = e.notify;
  }
  if (e.wait !== undefined) {
    if (typeof e.wait !== 'number' || !Number.isInteger(e.wait) || e.wait < 0 || e.wait > 900)
      throw new ConfigError('payload.wait must be a number of seconds from 0 to 900');
    out.wait = e.wait;
  }
  return out;
}
