/** Report + change → Slack Block Kit and SNS messages, within each service's limits (pure). */
import type { Report } from '../report/types';
import type { Result } from '../checks/types';
import type { Change } from './change';
import { resultKey } from './change';
import { mrkdwn as esc, mrkdwnLink } from '../util/mrkdwn';
import { isActiveFailure } from '../config/apply';
import { consoleUrl } from '../report/console';

export const SNS_MAX_BYTES = 256 * 1024;
const MAX_BLOCKS = 50;
const MAX_SECTION = 3000;
const MAX_HEADER = 150;

const cut = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);
const show = (v: unknown) => (v === undefined ? '' : cut(typeof v === 'string' ? v : JSON.stringify(v), 500));

export function headline(report: Report, change: Change): string {
  const s = report.summary;
  const state = report.outcome === 'fail' ? 'FAILING' : 'OK';
  const delta = [
    change.newFailures.length ? `${change.newFailures.length} new` : '',
    change.resolved.length ? `${change.resolved.length} resolved` : '',
    change.changed.length ? `${change.changed.length} changed` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `stackcheck ${report.cluster}: ${state} (${s.fail} failed, ${s.error} errors)${delta ? ` — ${delta}` : ''}`;
}

function failingResults(report: Report): Result[] {
  return report.results.filter(isActiveFailure);
}

/** The resource, linked to its AWS console page when it is an AWS resource. */
function slackResource(resource: string): string {
  const url = consoleUrl(resource);
  return (url && mrkdwnLink(url, resource)) ?? `\`${esc(resource)}\``;
}

export function slackReport(
  report: Report,
  change: Change,
  opts: { link?: string } = {},
): { text: string; blocks: unknown[] } {
  const head = cut(headline(report, change), MAX_HEADER);
  const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: head, emoji: true } }];
  const fresh = new Set(change.newFailures.map(resultKey));
  const failing = failingResults(report).sort(
    (a, b) => Number(fresh.has(resultKey(b))) - Number(fresh.has(resultKey(a))),
  );
  const resolvedText = change.resolved.length
    ? `*Resolved:* ${change.resolved.map((r) => `\`${esc(r.code)}\` ${esc(r.resource)}`).join(', ')}`
    : '';
  // header + context + resolved + "+N more" are reserved.
  const room = MAX_BLOCKS - 4;
  for (const r of failing.slice(0, room)) {
    const lines = [
      `${r.status === 'error' ? '⚠️' : '❌'} *${esc(r.code)} ${esc(r.title)}* (${esc(r.severity)})${fresh.has(resultKey(r)) ? ' — *new*' : ''}`,
      slackResource(r.resource),
      esc(r.message),
      r.expected !== undefined ? `expected: ${esc(show(r.expected))}` : '',
      r.actual !== undefined ? `seen: ${esc(show(r.actual))}` : '',
      r.remediation ? `fix: ${esc(r.remediation)}` : '',
    ].filter(Boolean);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(lines.join('\n'), MAX_SECTION) } });
  }
  // Everything from the report (names, messages, expected/actual, the cluster) is escaped.
  if (failing.length > room)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `+${failing.length - room} more failing results` } });
  if (resolvedText) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(resolvedText, MAX_SECTION) } });
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: cut(
          [
            `run ${esc(report.startedAt)} · ${report.durationMs} ms · ${report.summary.pass} passed`,
            opts.link ? mrkdwnLink(opts.link, 'report') : undefined,
          ]
            .filter(Boolean)
            .join(' · '),
          MAX_SECTION,
        ),
      },
    ],
  });
  // The top-level text is the notification's fallback and is read as mrkdwn too.
  return { text: esc(head), blocks };
}

export function snsReport(report: Report, change: Change, opts: { link?: string } = {}) {
  const subject = cut(
    headline(report, change)
      .replace(/—/g, '-')
      .replace(/[^\x20-\x7E]/g, '?'),
    100,
  );
  const failing = failingResults(report);
  const worst = failing.some((r) => r.severity === 'critical')
    ? 'critical'
    : failing.some((r) => r.severity === 'warning')
      ? 'warning'
      : failing.length
        ? 'info'
        : 'none';
  const email = [
    headline(report, change),
    '',
    ...failing.map(
      (r) =>
        `${r.status.toUpperCase()} ${r.code} ${r.title} [${r.severity}]\n  ${r.resource}\n  ${r.message}${r.remediation ? `\n  fix: ${r.remediation}` : ''}`,
    ),
    ...(change.resolved.length ? ['', 'Resolved:', ...change.resolved.map((r) => `  ${r.code} ${r.resource}`)] : []),
    ...(opts.link ? ['', `Report: ${opts.link}`] : []),
  ].join('\n');
  const summary = {
    tool: 'stackcheck',
    ...(opts.link ? { reportUrl: opts.link } : {}),
    cluster: report.cluster,
    outcome: report.outcome,
    startedAt: report.startedAt,
    summary: report.summary,
    newFailures: change.newFailures,
    resolved: change.resolved,
    changed: change.changed,
  };
  let doc = { ...summary, results: failing };
  let message = JSON.stringify({ default: JSON.stringify(doc), email });
  // Stay under SNS's 256 KB: drop result details first, then the email text.
  while (Buffer.byteLength(message) > SNS_MAX_BYTES && doc.results.length > 0) {
    doc = { ...doc, results: doc.results.slice(0, Math.floor(doc.results.length / 2)) };
    message = JSON.stringify({ default: JSON.stringify({ ...doc, truncated: true }), email: cut(email, 50_000) });
  }
  return {
    subject,
    message,
    messageStructure: 'json' as const,
    attributes: { cluster: report.cluster, severity: worst, status: report.outcome ?? 'pass' },
  };
}
