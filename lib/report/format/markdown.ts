/** Markdown for PR comments: summary, the topology as a Mermaid diagram, a table per family. */
import type { ExpectedState } from '../../expected/types';
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
    '| passed | failed | errors | skipped |',
    '|---:|---:|---:|---:|',
    `| ${s.pass} | ${s.fail} | ${s.error} | ${s.skip} |`,
    '',
  );
  if (report.noChecksRan) lines.push('**No check ran**: every selected check was skipped.', '');
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
  const families = [...new Set(report.results.map((r) => r.check))];
  for (const family of families) {
    lines.push(`### ${family}`, '', '| | code | severity | resource | finding |', '|---|---|---|---|---|');
    for (const r of report.results.filter((x) => x.check === family)) {
      const extra =
        r.status === 'fail' || r.status === 'error'
          ? `${r.remediation ? `<br>**fix:** ${mdEscape(r.remediation)}` : ''}`
          : '';
      lines.push(
        `| ${ICON[r.status]} | \`${r.code}\` | ${r.severity} | \`${mdEscape(r.resource)}\` | **${mdEscape(r.title)}**: ${mdEscape(r.message)}${extra} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
