/** Markdown for PR comments: summary, the topology as a Mermaid diagram, a table per family. */
import type { Result } from '../../checks/types';
import { isActiveFailure } from '../../config/apply';
import type { ExpectedState } from '../../expected/types';
import { consoleUrl } from '../console';
import type { Snapshot } from '../../snapshot/types';
import { buildTopology, topologyMermaid } from '../topology';
import type { Report } from '../types';

export function mdEscape(s: unknown): string {
  return String(s)
    .replace(/\\/g, '\\\\')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

const ICON = { pass: '✅', fail: '❌', error: '⚠️', skip: '⏭️' } as const;

export function formatMarkdown(report: Report, opts: { snapshot?: Snapshot; expected?: ExpectedState } = {}): string {
  const s = report.summary;
  const lines: string[] = [];
  lines.push(`## stackcheck: ${mdEscape(report.cluster)} — ${report.outcome === 'fail' ? '❌ FAIL' : '✅ PASS'}`, '');
  lines.push(
    '| passed | failed | errors | skipped | muted |',
    '|---:|---:|---:|---:|---:|',
    `| ${s.pass} | ${s.fail} | ${s.error} | ${s.skip} | ${s.muted ?? 0} |`,
    '',
  );
  if (report.noChecksRan)
    lines.push(
      report.results.length === 0
        ? '**No check ran**: no check was selected (--checks and --skip left none).'
        : '**No check ran**: every selected check was skipped.',
      '',
    );
  if (report.notification && report.notification.errors.length > 0)
    lines.push(`**Notification failed**: ${mdEscape(report.notification.errors.join('; '))}`, '');
  lines.push(
    `${report.namespace ? `namespace \`${report.namespace}\` · ` : ''}${report.release ? `release \`${report.release}\` · ` : ''}started ${report.startedAt} · stackcheck ${report.version}`,
    '',
  );
  if (opts.snapshot) {
    lines.push(
      '### Topology',
      '',
      '```mermaid',
      topologyMermaid(buildTopology(opts.snapshot, report.results, opts.expected)),
      '```',
      '',
    );
  }
  const row = (r: Result, fix: boolean) => {
    const extra = fix && r.remediation ? `<br>**fix:** ${mdEscape(r.remediation)}` : '';
    const muted = r.muted
      ? `<br>**muted:** ${mdEscape(r.muted.reason)}${r.muted.until ? ` (until ${mdEscape(r.muted.until)})` : ''}`
      : '';
    return `| ${r.muted ? '🔇' : ICON[r.status]} | \`${r.code}\` | ${r.severity} | ${mdResource(r.resource)} | **${mdEscape(r.title)}**: ${mdEscape(r.message)}${muted}${extra} |`;
  };
  const table = (title: string, rs: Result[], fix: boolean) => {
    if (rs.length === 0) return;
    lines.push(`### ${title}`, '', '| | code | severity | resource | finding |', '|---|---|---|---|---|');
    for (const r of rs) lines.push(row(r, fix));
    lines.push('');
  };
  // Failing first, then muted ones apart, then every family's other results.
  table('Failing', report.results.filter(isActiveFailure), true);
  table(
    'Muted',
    report.results.filter((r) => r.muted),
    false,
  );
  const rest = report.results.filter((r) => !isActiveFailure(r) && !r.muted);
  for (const family of [...new Set(rest.map((r) => r.check))])
    table(
      family,
      rest.filter((x) => x.check === family),
      false,
    );
  return lines.join('\n');
}

/** The resource as code, linked to its AWS console page when it is an AWS resource. */
function mdResource(resource: string): string {
  const url = consoleUrl(resource);
  const code = `\`${mdEscape(resource)}\``;
  return url ? `[${code}](${url.replace(/\)/g, '%29')})` : code;
}
