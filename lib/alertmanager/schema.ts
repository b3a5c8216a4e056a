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

/**
 * The path of a field in messages: `field`, or `alerts[i].field` in alert `i` (built only for a
 * message: a valid payload's checks build no strings).
 */
function at(field: string, i: number): string {
  return i < 0 ? field : `alerts[${i}].${field}`;
}

function kv(v: unknown, field: string, i = -1): Record<string, string> {
  if (!isObj(v)) throw new PayloadError(`${at(field, i)} must be an object of strings`);
  for (const k of Object.keys(v))
    if (typeof v[k] !== 'string') throw new PayloadError(`${at(field, i)}.${k} must be a string`);
  return v as Record<string, string>;
}

function str(v: unknown, field: string, i = -1, allowEmpty = true): string {
  if (typeof v !== 'string') throw new PayloadError(`${at(field, i)} must be a string`);
  if (!allowEmpty && v === '') throw new PayloadError(`${at(field, i)} must not be empty`);
  return v;
}

function status(v: unknown, field: string, i = -1): 'firing' | 'resolved' {
  if (v !== 'firing' && v !== 'resolved') throw new PayloadError(`${at(field, i)} must be "firing" or "resolved"`);
  return v;
}

function time(v: unknown, field: string, i: number): string {
  const s = str(v, field, i);
  if (Number.isNaN(Date.parse(s))) throw new PayloadError(`${at(field, i)} must be an RFC 3339 time`);
  return s;
}

/** A surrogate without its pair: text JSON can escape (`\ud800`) but that is not Unicode. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** A `\u` escape of a surrogate in JSON text: only such text can hold a lone one once decoded. */
const ESCAPED_SURROGATE = /\\u[dD][89a-fA-F]/;

/** The path of the first key or string in `v` with a lone surrogate, or undefined. */
function loneSurrogateAt(v: unknown, path: string): string | undefined {
  if (typeof v === 'string') return LONE_SURROGATE.test(v) ? path : undefined;
  if (v === null || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const at = loneSurrogateAt(v[i], `${path}[${i}]`);
      if (at) return at;
    }
    return undefined;
  }
  for (const [k, x] of Object.entries(v)) {
    const here = path ? `${path}.${k}` : k;
    if (LONE_SURROGATE.test(k)) return `the key of ${here}`;
    const at = loneSurrogateAt(x, here);
    if (at) return at;
  }
  return undefined;
}

/**
 * Refuses text that is not Unicode: `JSON.parse` of `text` gave `doc`, and a `\u` escape may have
 * made a lone surrogate, which Alertmanager (Go, valid UTF-8 only) never sends and which could not
 * be forwarded (a URL in the Slack message cannot encode it). Text without such an escape is not
 * walked.
 */
export function checkUnicode(text: string, doc: unknown): void {
  if (!ESCAPED_SURROGATE.test(text)) return;
  const at = loneSurrogateAt(doc, '');
  if (at) throw new PayloadError(`${at} is not valid Unicode (a lone UTF-16 surrogate escape)`);
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
    groupKey: str(doc.groupKey, 'groupKey', -1, false),
    truncatedAlerts: truncated,
    status: status(doc.status, 'status'),
    receiver: str(doc.receiver, 'receiver'),
    groupLabels: kv(doc.groupLabels, 'groupLabels'),
    commonLabels: kv(doc.commonLabels, 'commonLabels'),
    commonAnnotations: kv(doc.commonAnnotations, 'commonAnnotations'),
    externalURL: str(doc.externalURL, 'externalURL'),
    alerts: doc.alerts.map((a, i): AmAlert => {
      if (!isObj(a)) throw new PayloadError(`alerts[${i}] must be an object`);
      return {
        status: status(a.status, 'status', i),
        labels: kv(a.labels, 'labels', i),
        annotations: kv(a.annotations ?? {}, 'annotations', i),
        startsAt: time(a.startsAt, 'startsAt', i),
        endsAt: str(a.endsAt ?? '0001-01-01T00:00:00Z', 'endsAt', i),
        generatorURL: str(a.generatorURL ?? '', 'generatorURL', i),
        fingerprint: str(a.fingerprint, 'fingerprint', i, false),
      };
    }),
  };
}
