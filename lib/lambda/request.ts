/**
 * The verify Lambda's front door: its invoke payload and environment gathered into the same
 * RawVerifyInput the CLI's flags make, validated by the same parseVerifyRequest.
 * Environment: CLUSTER_NAME, the values sources (VALUES_FILE, VALUES_SET, VALUES_SET_STRING/_JSON/
 * _FILE/_LITERAL, read by valueSourcesFromEnv), VALUES_ENV (JSON object), DOMAIN,
 * CERT_ARN, RELEASE, NAMESPACE, SKIP_FAMILIES (JSON list), CONFIG_FILE. Payload keys win over the environment.
 */
import { loadConfigFile } from '../config/load';
import { ConfigError } from '../errors';
import { valueSourcesFromEnv } from '../expected/values';
import { parseVerifyRequest, type FieldNames, type VerifyRequest } from '../verify/request';
import type { VerifyPayload } from './payload';

const PAYLOAD_NAMES: FieldNames = {
  cluster: 'payload.cluster (or CLUSTER_NAME)',
  checks: 'payload.checks',
  skip: 'payload.skip (or SKIP_FAMILIES)',
  failOn: 'payload.failOn',
  wait: 'payload.wait',
};

function jsonEnv<T>(env: NodeJS.ProcessEnv, name: string, fallback: T): T {
  const raw = env[name];
  if (!raw) return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw new ConfigError(`environment variable ${name} is not valid JSON`);
  }
}

/** A JSON object of strings from the environment (VALUES_ENV), or a ConfigError naming the variable. */
function jsonMapEnv(env: NodeJS.ProcessEnv, name: string): Record<string, string> {
  const v = jsonEnv<unknown>(env, name, {});
  if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.values(v).every((x) => typeof x === 'string'))
    throw new ConfigError(`environment variable ${name} must be a JSON object of strings (NAME: value)`);
  return v as Record<string, string>;
}

export function verifyRequestFromLambda(
  payload: VerifyPayload,
  env: NodeJS.ProcessEnv,
  remainingMs: number,
  now = Date.now(),
): VerifyRequest {
  const cluster = payload.cluster ?? env.CLUSTER_NAME;
  // CONFIG_FILE: the config file bundled with the function (its mutes, overrides and failOn).
  const config = env.CONFIG_FILE ? loadConfigFile(env.CONFIG_FILE) : undefined;
  if (!cluster) throw new ConfigError('no cluster: set CLUSTER_NAME or pass {"cluster": "..."}');
  const request = parseVerifyRequest(
    {
      cluster,
      region: payload.region ?? env.AWS_REGION,
      valueSources: valueSourcesFromEnv(env),
      env: { ...env, ...jsonMapEnv(env, 'VALUES_ENV') },
      domain: env.DOMAIN,
      certArn: env.CERT_ARN,
      release: env.RELEASE,
      namespace: env.NAMESPACE,
      checks: payload.checks,
      skip: payload.skip ?? jsonEnv<string[]>(env, 'SKIP_FAMILIES', []),
      failOn: payload.failOn ?? config?.verify.failOn,
      wait: payload.wait || undefined,
      // Leave five seconds to report and notify.
      timeout: Math.max(5_000, remainingMs - 5_000) / 1000,
    },
    PAYLOAD_NAMES,
    now,
  );
  if (config) request.config = config;
  // With wait: no attempt starts in the function's last 20 s, none runs past its deadline.
  if (request.wait && request.deadline !== undefined)
    request.wait = {
      ...request.wait,
      until: Math.min(request.wait.until, request.deadline - 15_000),
      hardDeadline: request.deadline,
    };
  if (payload.roleArn) {
    // Loaded only for a cluster reached through another account's role: the other runs use the
    // SDK clients' own credential chain.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const providers = require('@aws-sdk/credential-providers') as typeof import('@aws-sdk/credential-providers');
    request.credentials = providers.fromTemporaryCredentials({
      params: { RoleArn: payload.roleArn, RoleSessionName: 'stackcheck-verify' },
    });
    request.credentialsKey = payload.roleArn;
  }
  return request;
}
