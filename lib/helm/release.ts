/**
 * Helm v3 release Secrets (`sh.helm.release.v1.<name>.v<N>`, type `helm.sh/release.v1`).
 * `data.release` is the Secret's base64 of Helm's own base64 of the gzipped release JSON
 * (Helm's storage driver `encodeRelease`); Helm's decoder also accepts un-gzipped JSON, detected by
 * the gzip magic bytes, and so does this one.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { REDACTED, redactValues } from '../redact';
import type { HelmRelease, K8sObject } from '../snapshot/types';

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];
const MAX_RELEASE_BYTES = 64 * 1024 * 1024;
export { REDACTED, redactValues };

/**
 * The config as Helm recorded it, before redaction, for HELM003 to compare in memory. Keyed by the
 * redacted config object: it never reaches a snapshot file, a report or a log (JSON does not see a
 * WeakMap), and a copied snapshot simply has none (then redacted values are not compared).
 */
const unredacted = new WeakMap<object, Record<string, unknown>>();

/** The release's config before redaction, when it was decoded in this process. */
export function unredactedConfig(config: Record<string, unknown>): Record<string, unknown> | undefined {
  return unredacted.get(config);
}

function redactedConfig(raw: Record<string, unknown>): Record<string, unknown> {
  const config = redactValues(raw);
  unredacted.set(config, raw);
  return config;
}

interface ReleaseJson {
  name?: string;
  namespace?: string;
  version?: number;
  info?: { status?: string; first_deployed?: string; last_deployed?: string; description?: string };
  chart?: { metadata?: { name?: string; version?: string; appVersion?: string } };
  config?: Record<string, unknown> | null;
  manifest?: string;
}

/** Decodes Helm's payload (the value of `data.release` after the Secret's own base64). */
export function decodeReleasePayload(helmBase64: string): ReleaseJson {
  const raw = Buffer.from(helmBase64.trim(), 'base64');
  if (raw.length === 0) throw new Error('Helm release payload is empty or not base64');
  const isGzip = GZIP_MAGIC.every((b, i) => raw[i] === b);
  let json: Buffer;
  try {
    json = isGzip ? gunzipSync(raw, { maxOutputLength: MAX_RELEASE_BYTES }) : raw;
  } catch (err) {
    throw new Error(`Helm release payload is not valid gzip: ${(err as Error).message}`);
  }
  try {
    const parsed: unknown = JSON.parse(json.toString('utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as ReleaseJson;
  } catch (err) {
    throw new Error(`Helm release payload is not release JSON: ${(err as Error).message}`);
  }
}

/** Decodes a `helm.sh/release.v1` Secret as read from the API (data values base64). */
export function decodeReleaseSecret(secret: K8sObject, opts: { keepManifest?: boolean } = {}): HelmRelease {
  const name = secret.metadata?.name ?? '?';
  const data = (secret as { data?: Record<string, string> }).data;
  if (!data || typeof data.release !== 'string') throw new Error(`Secret ${name} has no data.release`);
  const helmBase64 = Buffer.from(data.release, 'base64').toString('utf8');
  const rel = decodeReleasePayload(helmBase64);
  const meta = rel.chart?.metadata ?? {};
  const labels = secret.metadata.labels ?? {};
  return {
    secretName: name,
    name: rel.name ?? labels.name ?? '',
    namespace: rel.namespace ?? secret.metadata.namespace ?? '',
    revision: Number(rel.version ?? labels.version ?? 0),
    status: rel.info?.status ?? labels.status ?? 'unknown',
    chart: {
      name: meta.name ?? '',
      version: meta.version ?? '',
      ...(meta.appVersion ? { appVersion: meta.appVersion } : {}),
    },
    config: redactedConfig(rel.config ?? {}),
    ...(opts.keepManifest !== false && rel.manifest ? { manifest: rel.manifest } : {}),
    ...(rel.info?.first_deployed ? { firstDeployed: rel.info.first_deployed } : {}),
    ...(rel.info?.last_deployed ? { lastDeployed: rel.info.last_deployed } : {}),
    ...(rel.info?.description ? { description: rel.info.description } : {}),
  };
}

/** The latest revision (Helm's `helm list` shows it), or undefined. */
export function latestRelease(releases: readonly HelmRelease[]): HelmRelease | undefined {
  return [...releases].sort((a, b) => b.revision - a.revision)[0];
}

/** The latest revision whose status is `deployed`. */
export function deployedRelease(releases: readonly HelmRelease[]): HelmRelease | undefined {
  return [...releases].filter((r) => r.status === 'deployed').sort((a, b) => b.revision - a.revision)[0];
}

export interface ReleaseInput {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  chartName: string;
  chartVersion: string;
  appVersion?: string;
  config: Record<string, unknown>;
  manifest?: string;
  lastDeployed?: string;
}

/** The inverse of decodeReleaseSecret: a Secret exactly as Helm stores a release (fixtures, fakes). */
export function encodeReleaseSecret(r: ReleaseInput, opts: { gzip?: boolean } = {}): K8sObject {
  const json = JSON.stringify({
    name: r.name,
    info: {
      first_deployed: r.lastDeployed ?? '2026-11-01T00:00:00Z',
      last_deployed: r.lastDeployed ?? '2026-11-01T00:00:00Z',
      deleted: '',
      description: r.revision === 1 ? 'Install complete' : 'Upgrade complete',
      status: r.status,
    },
    chart: {
      metadata: { name: r.chartName, version: r.chartVersion, appVersion: r.appVersion, apiVersion: 'v2' },
      lock: null,
      templates: [],
      values: {},
      schema: null,
      files: [],
    },
    config: r.config,
    manifest: r.manifest ?? '',
    version: r.revision,
    namespace: r.namespace,
  });
  const payload = opts.gzip === false ? Buffer.from(json) : gzipSync(Buffer.from(json));
  const helmBase64 = payload.toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'helm.sh/release.v1',
    metadata: {
      name: `sh.helm.release.v1.${r.name}.v${r.revision}`,
      namespace: r.namespace,
      labels: { name: r.name, owner: 'helm', status: r.status, version: String(r.revision) },
    },
    data: { release: Buffer.from(helmBase64).toString('base64') },
  };
}
