/**
 * Loading and validating a recorded snapshot (`--snapshot FILE`). Every problem is a ConfigError
 * naming the file and the field, so a hand-edited or truncated file gives a clear exit 2.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors';
import { DATA_KEYS, SNAPSHOT_KIND, SNAPSHOT_SCHEMA_VERSION, type Snapshot } from './types';

const K8S_LISTS = [
  'namespaces',
  'nodes',
  'statefulSets',
  'daemonSets',
  'deployments',
  'pods',
  'services',
  'endpoints',
  'persistentVolumeClaims',
  'persistentVolumes',
  'storageClasses',
  'ingresses',
  'customResourceDefinitions',
  'serviceMonitors',
  'prometheuses',
  'targetGroupBindings',
  'helmReleases',
] as const;
const AWS_LISTS = ['loadBalancers', 'listeners', 'targetGroups'] as const;
const AWS_MAPS = ['rules', 'targetHealth', 'tags', 'certificates'] as const;

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Validates a parsed snapshot; `where` names the file in messages. */
export function validateSnapshot(doc: unknown, where: string): Snapshot {
  const bad = (field: string, want: string): never => {
    throw new ConfigError(`${where}: invalid snapshot: ${field} ${want}`, where);
  };
  if (!isObj(doc)) bad('the document', 'must be a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.kind !== SNAPSHOT_KIND)
    bad('kind', `must be "${SNAPSHOT_KIND}" (is ${JSON.stringify(d.kind)}); is this a file written by --record?`);
  if (d.schemaVersion !== SNAPSHOT_SCHEMA_VERSION) {
    bad(
      'schemaVersion',
      `${JSON.stringify(d.schemaVersion)} is not supported (this stackcheck reads version ${SNAPSHOT_SCHEMA_VERSION})`,
    );
  }
  if (typeof d.cluster !== 'string' || d.cluster === '') bad('cluster', 'must be a non-empty string');
  if (typeof d.collectedAt !== 'string' || Number.isNaN(Date.parse(d.collectedAt)))
    bad('collectedAt', 'must be an ISO-8601 date');
  if (typeof d.source !== 'string') bad('source', 'must be a string');
  if (!isObj(d.target) || typeof d.target.namespace !== 'string' || typeof d.target.release !== 'string') {
    bad('target', 'must be { namespace, release }');
  }
  if (!Array.isArray(d.collected)) bad('collected', 'must be a list');
  (d.collected as unknown[]).forEach((k, i) => {
    if (!(DATA_KEYS as readonly unknown[]).includes(k))
      bad(`collected[${i}]`, `${JSON.stringify(k)} is not a known part`);
  });
  if (!isObj(d.kubernetes)) bad('kubernetes', 'must be an object');
  const k = d.kubernetes as Record<string, unknown>;
  for (const key of K8S_LISTS) {
    const list = k[key];
    if (!Array.isArray(list)) bad(`kubernetes.${key}`, 'must be a list');
    (list as unknown[]).forEach((o, i) => {
      if (key === 'helmReleases') {
        if (
          !isObj(o) ||
          typeof o.name !== 'string' ||
          typeof o.revision !== 'number' ||
          typeof o.status !== 'string' ||
          !isObj(o.chart)
        ) {
          bad(`kubernetes.helmReleases[${i}]`, 'must have name, revision, status and chart');
        }
      } else if (!isObj(o) || !isObj(o.metadata) || typeof o.metadata.name !== 'string') {
        bad(`kubernetes.${key}[${i}]`, 'must be a Kubernetes object with metadata.name');
      }
    });
  }
  if (!isObj(d.aws)) bad('aws', 'must be an object');
  const a = d.aws as Record<string, unknown>;
  for (const key of AWS_LISTS) if (!Array.isArray(a[key])) bad(`aws.${key}`, 'must be a list');
  for (const key of AWS_MAPS) if (!isObj(a[key])) bad(`aws.${key}`, 'must be an object keyed by ARN');
  (a.loadBalancers as unknown[]).forEach((o, i) => {
    if (!isObj(o) || typeof o.LoadBalancerArn !== 'string') bad(`aws.loadBalancers[${i}]`, 'must have LoadBalancerArn');
  });
  (a.listeners as unknown[]).forEach((o, i) => {
    if (!isObj(o) || typeof o.ListenerArn !== 'string' || typeof o.LoadBalancerArn !== 'string')
      bad(`aws.listeners[${i}]`, 'must have ListenerArn and LoadBalancerArn');
  });
  (a.targetGroups as unknown[]).forEach((o, i) => {
    if (!isObj(o) || typeof o.TargetGroupArn !== 'string') bad(`aws.targetGroups[${i}]`, 'must have TargetGroupArn');
  });
  for (const [arn, rules] of Object.entries(a.rules as Record<string, unknown>)) {
    if (!Array.isArray(rules)) bad(`aws.rules["${arn}"]`, 'must be a list');
    (rules as unknown[]).forEach((r, i) => {
      if (!isObj(r) || typeof r.RuleArn !== 'string' || typeof r.Priority !== 'string')
        bad(`aws.rules["${arn}"][${i}]`, 'must have RuleArn and Priority');
    });
  }
  if (d.runtime !== undefined && !isObj(d.runtime)) bad('runtime', 'must be an object');
  if (!Array.isArray(d.errors)) bad('errors', 'must be a list');
  (d.errors as unknown[]).forEach((e, i) => {
    if (
      !isObj(e) ||
      typeof e.source !== 'string' ||
      typeof e.call !== 'string' ||
      typeof e.message !== 'string' ||
      !Array.isArray(e.affects)
    ) {
      bad(`errors[${i}]`, 'must have source, call, message and affects');
    }
  });
  return { ...(d as unknown as Snapshot), runtime: (d.runtime as Snapshot['runtime']) ?? {} };
}

export function loadSnapshotFile(
  file: string,
  readFile: (p: string) => string = (p) => readFileSync(p, 'utf8'),
): Snapshot {
  let text: string;
  try {
    text = readFile(file);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new ConfigError(`--snapshot ${file}: cannot read the file: ${why}`, file, { cause: err });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`--snapshot ${file}: not valid JSON: ${(err as Error).message}`, file, { cause: err });
  }
  return validateSnapshot(doc, file);
}

/** A stable serialisation (what --record writes). */
export function serializeSnapshot(s: Snapshot): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}
