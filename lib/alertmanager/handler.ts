/**
 * The Alertmanager webhook receiver, independent of Lambda: authenticate, bound the size,
 * validate payload v4, record the Watchdog heartbeat, forward the rest to Slack and SNS exactly
 * once per destination (idempotency records in the state store), and answer so Alertmanager
 * retries only what failed: 401 / 400 / 413 for bad requests, 5xx when forwarding failed.
 */
import type { HttpRequest, HttpResponse } from '../http/types';
import { hash, timingSafeEqual } from 'node:crypto';
import type { StateStore } from '../state/types';
import { ConflictError } from '../state/types';
import { alertName, clusterOf, groupSeverity, notificationKey, slackMessage, snsMessage } from './format';
import type { WebhookMetrics } from './metrics';
import { checkUnicode, PayloadError, validatePayload, type AmPayload } from './schema';

export type WebhookRequest = HttpRequest;
export type WebhookResponse = HttpResponse;

export interface WebhookDeps {
  store: StateStore;
  /** The shared secret (bearer token, or Basic password). Undefined: every request is refused. */
  token: () => Promise<string | undefined>;
  /** Slack webhook URL for a severity (routing), or undefined when Slack is not used. */
  slackUrl: (severity: string) => string | undefined;
  postSlack: (url: string, message: unknown) => Promise<void>;
  /** SNS publisher, or undefined when SNS is not used. */
  publishSns?: (m: { subject: string; message: string; attributes: Record<string, string> }) => Promise<unknown>;
  defaultCluster: string;
  maxBodyBytes: number;
  /**
   * How long after a delivery the same notification counts as Alertmanager retrying it (not
   * posted again); after it, the same notification is a `repeat_interval` reminder and is posted.
   */
  dedupWindowSeconds?: number;
  now?: () => Date;
  log?: (entry: Record<string, unknown>) => void;
  /** Counts deliveries and heartbeats (serve's /metrics, the Lambda's CloudWatch metrics). */
  metrics?: WebhookMetrics;
}

/**
 * Alertmanager retries a failed notification only inside one flush, which lasts the group's
 * `group_interval` (at least 10 s); its default `group_interval` is 5 minutes. Repeats come
 * `repeat_interval` (default 4 h) after the last successful one.
 */
export const DEFAULT_DEDUP_WINDOW_SECONDS = 300;
/** How long a claim ("sending") blocks another delivery of the same notification. */
const CLAIM_SECONDS = 60;

function json(statusCode: number, doc: Record<string, unknown>): WebhookResponse {
  return { statusCode, body: JSON.stringify(doc) };
}

/** Strict UTF-8 (a bad byte throws); without `stream` each decode stands alone, so one is shared. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

function digest(s: string): Buffer {
  return hash('sha256', s, 'buffer');
}

/** The digest of the last secret seen: the secret does not change between requests. */
let secretDigest: { secret: string; digest: Buffer } | undefined;

/** Constant-time comparison of the presented credential with the secret. */
export function credentialMatches(header: string | undefined, secret: string): boolean {
  if (!header || !secret) return false;
  let presented: string | undefined;
  if (/^Bearer /i.test(header)) presented = header.slice(7).trim();
  else if (/^Basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    presented = i >= 0 ? decoded.slice(i + 1) : undefined;
  }
  if (presented === undefined) return false;
  if (secretDigest?.secret !== secret) secretDigest = { secret, digest: digest(secret) };
  return timingSafeEqual(digest(presented), secretDigest.digest);
}

type DeliveryState = { state: 'sending' | 'sent'; at: string };

/**
 * Delivers one notification to one destination: claim, send, mark sent; a failed send releases the
 * claim. The same notification within `windowSeconds` of its delivery is a retry and is not sent
 * again; after the window it is a repeat reminder and is sent.
 */
async function deliverOnce(
  store: StateStore,
  key: string,
  clock: () => Date,
  windowSeconds: number,
  send: () => Promise<unknown>,
): Promise<'sent' | 'duplicate' | 'busy'> {
  const now = clock();
  const cur = await store.get<DeliveryState>(key);
  const at = cur?.value.at ? Date.parse(cur.value.at) : 0;
  const age = now.getTime() - at;
  if (cur?.value.state === 'sent' && age < windowSeconds * 1000) return 'duplicate';
  if (cur?.value.state === 'sending' && age < CLAIM_SECONDS * 1000) return 'busy';
  const claimTtl = Math.max(windowSeconds, CLAIM_SECONDS);
  let version: number;
  try {
    version = await store.put<DeliveryState>(
      key,
      { state: 'sending', at: now.toISOString() },
      { expectedVersion: cur?.version ?? 0, ttlSeconds: claimTtl },
    );
  } catch (err) {
    if (err instanceof ConflictError) return 'busy';
    throw err;
  }
  try {
    await send();
  } catch (err) {
    // Release the claim so Alertmanager's retry can deliver.
    await store
      .put<DeliveryState>(
        key,
        { state: 'sending', at: new Date(0).toISOString() },
        { expectedVersion: version, ttlSeconds: claimTtl },
      )
      .catch(() => undefined);
    throw err;
  }
  // The window starts when the send succeeded: retries come after Alertmanager saw an answer.
  await store.put<DeliveryState>(
    key,
    { state: 'sent', at: clock().toISOString() },
    { expectedVersion: version, ttlSeconds: windowSeconds },
  );
  return 'sent';
}

/**
 * Restarts the window of a delivery that went out, when the notification's answer is a 5xx:
 * Alertmanager re-sends a failed notification at every `group_interval` until it gets a 2xx (not
 * only within one flush), so however long another destination stays down, every arrival until
 * then is a retry, and a destination that has it is not posted to again. Best effort: if the
 * record cannot be written, a retry after the window posts it again, as before.
 */
async function holdSent(store: StateStore, key: string, clock: () => Date, windowSeconds: number): Promise<void> {
  try {
    const cur = await store.get<DeliveryState>(key);
    if (cur?.value.state !== 'sent') return;
    await store.put<DeliveryState>(
      key,
      { state: 'sent', at: clock().toISOString() },
      { expectedVersion: cur.version, ttlSeconds: windowSeconds },
    );
  } catch {
    // a concurrent delivery changed it, or the store failed: nothing better to do here
  }
}

export async function handleWebhook(req: WebhookRequest, deps: WebhookDeps): Promise<WebhookResponse> {
  const clock = deps.now ?? (() => new Date());
  const now = clock();
  // Entries are built only when there is a log to take them.
  const log = deps.log;
  // Exact paths: API Gateway's $default stage and `serve` pass the path as requested.
  if (req.path === '/healthz') {
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'use GET or HEAD' });
    const health = deps.store.health?.() ?? { ok: true };
    return health.ok
      ? json(200, { ok: true })
      : json(503, { ok: false, error: `the state store cannot be used: ${health.reason}` });
  }
  if (req.path !== '/alertmanager') return json(404, { error: `no route for ${req.method} ${req.path}` });
  if (req.method !== 'POST') return json(405, { error: 'use POST' });

  const secret = await deps.token();
  if (!secret || !credentialMatches(req.headers.authorization, secret)) {
    log?.({ event: 'rejected', reason: 'unauthorized' });
    return json(401, { error: 'missing or invalid credentials (Authorization: Bearer <token> or Basic)' });
  }
  if (req.body.length > deps.maxBodyBytes)
    return json(413, { error: `body of ${req.body.length} bytes is larger than ${deps.maxBodyBytes}` });

  let text: string;
  try {
    text = utf8.decode(req.body);
  } catch {
    return json(400, { error: 'body is not valid UTF-8' });
  }
  let payload: AmPayload;
  try {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      return json(400, { error: `body is not JSON: ${(err as Error).message.slice(0, 200)}` });
    }
    payload = validatePayload(doc);
    checkUnicode(text, doc);
  } catch (err) {
    if (err instanceof PayloadError) return json(400, { error: `not an Alertmanager webhook payload: ${err.message}` });
    throw err;
  }

  const cluster = clusterOf(payload, deps.defaultCluster);
  // Dead man's switch: Watchdog is recorded, never forwarded.
  const watchdog = payload.alerts.filter((a) => a.labels.alertname === 'Watchdog');
  if (watchdog.some((a) => a.status === 'firing')) {
    const clusters = new Set(watchdog.map((a) => a.labels.cluster ?? cluster));
    for (const c of clusters) {
      await deps.store.put(`heartbeat#${c}`, { lastSeenAt: now.toISOString(), receiver: payload.receiver });
      deps.metrics?.heartbeat(c, now);
    }
  }
  // Without the Watchdog, the notification's status is that of the alerts left: Alertmanager says
  // "firing" for a group whose Watchdog fires while its other alerts have resolved.
  let forward = payload;
  if (watchdog.length > 0) {
    const alerts = payload.alerts.filter((a) => a.labels.alertname !== 'Watchdog');
    forward = { ...payload, alerts, status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved' };
  }
  if (forward.alerts.length === 0) {
    const recorded = watchdog.some((a) => a.status === 'firing');
    log?.({ event: 'heartbeat', cluster, alerts: payload.alerts.length, recorded });
    return json(200, {
      status: recorded ? 'heartbeat recorded' : 'Watchdog resolved: heartbeat not updated, nothing forwarded',
      forwarded: 0,
    });
  }

  const key = notificationKey(forward);
  const window = deps.dedupWindowSeconds ?? DEFAULT_DEDUP_WINDOW_SECONDS;
  const severity = groupSeverity(forward);
  const outcomes: Record<string, string> = {};
  const failures: string[] = [];
  const slackUrl = deps.slackUrl(severity);
  const destinations: Array<[string, () => Promise<unknown>]> = [];
  if (slackUrl) destinations.push(['slack', () => deps.postSlack(slackUrl, slackMessage(forward, cluster))]);
  if (deps.publishSns) destinations.push(['sns', () => deps.publishSns!(snsMessage(forward, cluster))]);
  if (destinations.length === 0) {
    log?.({ event: 'dropped', reason: 'no destination configured', cluster });
    return json(200, { status: 'no destination configured; dropped', forwarded: 0 });
  }
  await Promise.all(
    destinations.map(async ([name, send]) => {
      try {
        outcomes[name] = await deliverOnce(deps.store, `delivery#${key}#${name}`, clock, window, send);
        if (outcomes[name] === 'busy') failures.push(`${name}: a delivery of this notification is in progress`);
      } catch (err) {
        outcomes[name] = 'failed';
        failures.push(`${name}: ${(err as Error).message}`);
      }
      deps.metrics?.delivery(name, outcomes[name]);
    }),
  );
  log?.({
    event: 'notification',
    cluster,
    alertname: alertName(forward),
    status: forward.status,
    severity,
    alerts: forward.alerts.length,
    key,
    outcomes,
  });
  if (failures.length > 0) {
    await Promise.all(
      destinations
        .filter(([name]) => outcomes[name] === 'sent' || outcomes[name] === 'duplicate')
        .map(([name]) => holdSent(deps.store, `delivery#${key}#${name}`, clock, window)),
    );
    return json(502, { error: `forwarding failed, retry: ${failures.join('; ')}`, outcomes });
  }
  return json(200, { status: 'forwarded', forwarded: forward.alerts.length, outcomes });
}
