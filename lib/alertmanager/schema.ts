/**
 * The Alertmanager webhook payload, version 4 (Alertmanager `notify/webhook` Message = template
 * Data + version, groupKey, truncatedAlerts). Validation names the first bad field by path.
 */
export interface AmAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface AmPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AmAlert[];
}

export class PayloadError extends Error {
  override name = 'PayloadError';
}

const MAX_ALERTS = 10_000;

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function kv(v: unknown, path: string): Record<string, string> {
  if (!isObj(v)) throw new PayloadError(`${path} must be an object of strings`);
  for (const k of Object.keys(v)) if (typeof v[k] !== 'string') throw new PayloadError(`${path}.${k} must be a string`);
  return v as Record<string, string>;
}

function str(v: unknown, path: string, allowEmpty = true): string {
  if (typeof v !== 'string') throw new PayloadError(`${path} must be a string`);
  if (!allowEmpty && v === '') throw new PayloadError(`${path} must not be empty`);
  return v;
}

function status(v: unknown, path: string): 'firing' | 'resolved' {
  if (v !== 'firing' && v !== 'resolved') throw new PayloadError(`${path} must be "firing" or "resolved"`);
  return v;
}

function time(v: unknown, path: string): string {
  const s = str(v, path);
  if (Number.isNaN(Date.parse(s))) throw new PayloadError(`${path} must be an RFC 3339 time`);
  return s;
}

export function validatePayload(doc: unknown): AmPayload {
  if (!isObj(doc)) throw new PayloadError('the body must be a JSON object');
  if (doc.version !== '4')
    throw new PayloadError(
      `version must be "4" (Alertmanager webhook payload version 4), got ${JSON.stringify(doc.version ?? null)}`,
    );
  if (!Array.isArray(doc.alerts)) throw new PayloadError('alerts must be a list');
  if (doc.alerts.length === 0)
    throw new PayloadError(
      'alerts is empty: Alertmanager never sends a notification without alerts, so there is nothing to forward',
    );
  if (doc.alerts.length > MAX_ALERTS)
    throw new PayloadError(`alerts has ${doc.alerts.length} entries, more than ${MAX_ALERTS}`);
  const truncated = doc.truncatedAlerts ?? 0;
  if (typeof truncated !== 'number' || !Number.isInteger(truncated) || truncated < 0)
    throw new PayloadError('truncatedAlerts must be a non-negative integer');
  return {
    version: '4',
    groupKey: str(doc.groupKey, 'groupKey', false),
    truncatedAlerts: truncated,
    status: status(doc.status, 'status'),
    receiver: str(doc.receiver, 'receiver'),
    groupLabels: kv(doc.groupLabels, 'groupLabels'),
    commonLabels: kv(doc.commonLabels, 'commonLabels'),
    commonAnnotations: kv(doc.commonAnnotations, 'commonAnnotations'),
    externalURL: str(doc.externalURL, 'externalURL'),
    alerts: doc.alerts.map((a, i): AmAlert => {
      const p = `alerts[${i}]`;
      if (!isObj(a)) throw new PayloadError(`${p} must be an object`);
      return {
        status: status(a.status, `${p}.status`),
        labels: kv(a.labels, `${p}.labels`),
        annotations: kv(a.annotations ?? {}, `${p}.annotations`),
        startsAt: time(a.startsAt, `${p}.startsAt`),
        endsAt: str(a.endsAt ?? '0001-01-01T00:00:00Z', `${p}.endsAt`),
        generatorURL: str(a.generatorURL ?? '', `${p}.generatorURL`),
        fingerprint: str(a.fingerprint, `${p}.fingerprint`, false),
      };
    }),
  };
}
