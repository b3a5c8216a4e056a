/** Alertmanager notification → Slack Block Kit message and SNS message (pure). */
import { hash } from 'node:crypto';
import { linkTarget, mrkdwn } from '../util/mrkdwn';
import type { AmAlert, AmPayload } from './schema';

export const SLACK_MAX_BLOCKS = 50;
export const SLACK_MAX_SECTION = 3000;
export const SLACK_MAX_HEADER = 150;

const SEVERITY_ORDER = ['critical', 'error', 'warning', 'info', 'none'];
const COLOR: Record<string, string> = {
  critical: '#d1242f',
  error: '#d1242f',
  warning: '#d4a72c',
  info: '#0969da',
  resolved: '#1a7f37',
};

export function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** The most severe severity label among the alerts (or commonLabels), `none` if unlabelled. */
export function groupSeverity(p: AmPayload): string {
  // The first of the lowest rank, as the first of a stable sort by rank would be.
  let best: string | undefined;
  let bestRank = Infinity;
  const consider = (s: string | undefined) => {
    if (!s) return;
    const lower = s.toLowerCase();
    const r = rank(lower);
    if (r < bestRank) {
      best = lower;
      bestRank = r;
    }
  };
  consider(p.commonLabels.severity);
  for (const a of p.alerts) consider(a.labels.severity);
  return best ?? 'none';
}
function rank(s: string): number {
  const i = SEVERITY_ORDER.indexOf(s);
  return i < 0 ? SEVERITY_ORDER.length : i;
}

export function alertName(p: AmPayload): string {
  return (
    p.commonLabels.alertname ??
    p.groupLabels.alertname ??
    [...new Set(p.alerts.map((a) => a.labels.alertname ?? '?'))].join(', ')
  );
}

export function clusterOf(p: AmPayload, fallback: string): string {
  return p.commonLabels.cluster ?? p.alerts.find((a) => a.labels.cluster)?.labels.cluster ?? fallback;
}

/** The characters `encodeURIComponent` leaves as they are. */
const URI_PLAIN = /^[A-Za-z0-9\-_.!~*'()]*$/;

/** `encodeURIComponent(s)`, without its runtime call for text it would leave as it is (most label names and values). */
function encodeComponent(s: string): string {
  return URI_PLAIN.test(s) ? s : encodeURIComponent(s);
}

/**
 * The fragment of the silence form's URL pre-filled with the labels (only URL-safe characters):
 * `encodeURIComponent('{k="v",…}')`, built piece by piece. It encodes each character (or surrogate
 * pair) on its own, and the pieces meet only at ASCII characters, so the pieces' encodings joined
 * are the whole's (and a lone surrogate throws the same URIError).
 */
function silenceFragment(labels: Record<string, string>): string {
  let matchers = '';
  for (const k of Object.keys(labels)) {
    if (k === 'prometheus') continue;
    const v = labels[k];
    // `,` `=` `"` encoded: %2C %3D %22.
    matchers += `${matchers ? '%2C' : ''}${encodeComponent(k)}%3D%22${encodeComponent(v.includes('"') ? v.replace(/"/g, '\\"') : v)}%22`;
  }
  return `#/silences/new?filter=%7B${matchers}%7D`;
}

/** Alertmanager silence form pre-filled with the alert's labels. */
export function silenceUrl(externalURL: string, labels: Record<string, string>): string {
  return `${externalURL.replace(/\/$/, '')}/${silenceFragment(labels)}`;
}

/**
 * `linkTarget` of the URLs seen lately: the alerts of a group mostly share their generatorURL, and
 * the notifications of one Alertmanager share its external URL, from one notification to the next.
 * Bounded (entries and characters held); emptied when full.
 */
const targets = new Map<string, string | undefined>();
let targetChars = 0;
const TARGETS_MAX = 256;
const TARGET_CHARS_MAX = 256 * 1024;

function cachedTarget(url: string): string | undefined {
  const hit = targets.get(url);
  if (hit !== undefined || targets.has(url)) return hit;
  const t = linkTarget(url);
  if (targets.size >= TARGETS_MAX || targetChars + url.length > TARGET_CHARS_MAX) {
    targets.clear();
    targetChars = 0;
  }
  targets.set(url, t);
  targetChars += url.length + (t?.length ?? 0);
  return t;
}

/**
 * The links of one message, each URL parsed once (and most not at all: see cachedTarget). The
 * silence link is `linkTarget(silenceUrl(…))`: what follows the external URL is a fragment of
 * characters that URL parsing (in a fragment) and `linkTarget` leave as they are, so it is the
 * parsed external URL with that appended (test/unit/alertmanager/mrkdwn.test.ts checks it against
 * the whole parse).
 */
class Links {
  /** The silence links' start (the parsed external URL), or null when it is not an http(s) URL. */
  private silenceBase?: string | null;
  /** The last source link: the alerts of a group mostly share their generatorURL. */
  private lastSource?: { url: string; link: string | undefined };

  constructor(private readonly externalURL: string) {}

  link(url: string, text: string): string | undefined {
    const t = cachedTarget(url);
    return t === undefined ? undefined : `<${t}|${mrkdwn(text)}>`;
  }

  /** `link(url, 'source')`. */
  source(url: string): string | undefined {
    if (this.lastSource?.url !== url) this.lastSource = { url, link: this.link(url, 'source') };
    return this.lastSource.link;
  }

  silence(labels: Record<string, string>): string | undefined {
    if (this.silenceBase === undefined)
      this.silenceBase = cachedTarget(`${this.externalURL.replace(/\/$/, '')}/`) ?? null;
    return this.silenceBase === null ? undefined : `<${this.silenceBase}${silenceFragment(labels)}|silence>`;
  }
}

export function title(p: AmPayload, cluster: string): string {
  let n = p.status === 'firing' ? p.truncatedAlerts : 0;
  for (const a of p.alerts) if (a.status === p.status) n++;
  return `[${p.status.toUpperCase()}:${n}] ${alertName(p)} (${cluster})`;
}

/** The source and silence links (those that are http(s) URLs) and the start, joined by ` · `. */
function linkLine(a: AmAlert, p: AmPayload, links: Links): string {
  let line = '';
  const source = a.generatorURL ? links.source(a.generatorURL) : undefined;
  if (source) line = `${source} · `;
  const silence = p.externalURL && a.status === 'firing' ? links.silence(a.labels) : undefined;
  if (silence) line += `${silence} · `;
  return `${line}since ${mrkdwn(a.startsAt)}`;
}

/** Text from the alert (labels, annotations, times) is escaped; links only from http(s) URLs. */
function alertSection(a: AmAlert, p: AmPayload, links: Links): string {
  const l = a.labels;
  // Its lines joined by newlines, those without text left out (only the summary and description can be without).
  let text = `${a.status === 'firing' ? '🔥' : '✅'} *${mrkdwn(l.alertname ?? 'alert')}*${l.severity ? ` · ${mrkdwn(l.severity)}` : ''}${l.namespace ? ` · ns \`${mrkdwn(l.namespace)}\`` : ''}${l.cluster ? ` · cluster \`${mrkdwn(l.cluster)}\`` : ''}`;
  if (a.annotations.summary) text += `\n${mrkdwn(a.annotations.summary)}`;
  if (a.annotations.description) text += `\n_${mrkdwn(a.annotations.description)}_`;
  return cut(`${text}\n${linkLine(a, p, links)}`, SLACK_MAX_SECTION);
}

export interface SlackMessage {
  text: string;
  attachments: Array<{ color: string; blocks: unknown[] }>;
}

export function slackMessage(p: AmPayload, cluster: string): SlackMessage {
  const head = cut(title(p, cluster), SLACK_MAX_HEADER);
  const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: head, emoji: true } }];
  const alerts = p.alerts;
  // header + context + "+N more" leave 47 blocks for alerts.
  const room = SLACK_MAX_BLOCKS - 3;
  const links = new Links(p.externalURL);
  for (const a of alerts.slice(0, room))
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: alertSection(a, p, links) } });
  const hidden = Math.max(0, alerts.length - room) + p.truncatedAlerts;
  if (hidden > 0)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `+${hidden} more alert${hidden > 1 ? 's' : ''}${p.truncatedAlerts ? ` (${p.truncatedAlerts} truncated by Alertmanager)` : ''}`,
      },
    });
  const alertmanager = links.link(p.externalURL, 'Alertmanager');
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: cut(`receiver \`${mrkdwn(p.receiver)}\`${alertmanager ? ` · ${alertmanager}` : ''}`, SLACK_MAX_SECTION),
      },
    ],
  });
  const color = p.status === 'resolved' ? COLOR.resolved : (COLOR[groupSeverity(p)] ?? COLOR.warning);
  // The top-level text is the notification's fallback and is read as mrkdwn too.
  return { text: mrkdwn(head), attachments: [{ color, blocks }] };
}

/** SNS Subject: at most 100 printable ASCII characters. */
export function snsSubject(s: string): string {
  return cut(s.replace(/[^\x20-\x7E]/g, '?'), 100);
}

export function snsMessage(p: AmPayload, cluster: string) {
  const summary = {
    source: 'stackcheck/alertmanager',
    cluster,
    status: p.status,
    severity: groupSeverity(p),
    alertname: alertName(p),
    receiver: p.receiver,
    groupKey: p.groupKey,
    truncatedAlerts: p.truncatedAlerts,
    externalURL: p.externalURL,
    alerts: p.alerts.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      generatorURL: a.generatorURL,
      fingerprint: a.fingerprint,
    })),
  };
  return {
    subject: snsSubject(title(p, cluster)),
    message: JSON.stringify(summary),
    attributes: { severity: summary.severity, status: p.status, alertname: cut(summary.alertname, 256), cluster },
  };
}

/** Idempotency key: the same notification (group, status, alerts and their times) twice is one delivery. */
export function notificationKey(p: AmPayload): string {
  // One string hashed at once: the same bytes as updating the hash with each part in turn.
  let s = `${p.groupKey}\0${p.status}`;
  for (const a of [...p.alerts].sort((x, y) => x.fingerprint.localeCompare(y.fingerprint)))
    s += `\0${a.fingerprint}|${a.status}|${a.startsAt}|${a.endsAt}`;
  return hash('sha256', s, 'hex').slice(0, 32);
}
