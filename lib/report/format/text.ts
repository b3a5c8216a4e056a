/** Plain-text report: grouped by family, failing results with expected/actual/fix, summary last. */
import type { Result } from '../../checks/types';
import { FAMILIES } from '../../checks/types';
import type { Report } from '../types';

const SYMBOL: Record<Result['status'], string> = { pass: '✓', fail: '✗', error: '!', skip: '-' };
const COLOR: Record<Result['status'], string> = { pass: '32', fail: '31', error: '33', skip: '90' };

function show(v: unknown): string {
  if (v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 300 ? `${s.slice(0, 297)}...` : s;
}

/** The closing line, in the form log readers know: `N passed, N failed, N errors, N skipped`. */
export function summaryLine(report: Report): string {
  const s = report.summary;
  return `${s.pass} passed, ${s.fail} failed, ${s.error} errors, ${s.skip} skipped`;
}

export function formatText(report: Report, opts: { color?: boolean } = {}): string {
  const c = (code: string, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  lines.push(
    `stackcheck ${report.version} — cluster ${report.cluster}${report.namespace ? `, namespace ${report.namespace}` : ''}${report.release ? `, release ${report.release}` : ''} — ${report.startedAt}`,
  );
  const families = [...FAMILIES, ...new Set(report.results.map((r) => r.check))].filter(
    (f, i, a) => a.indexOf(f) === i,
  );
  for (const family of families) {
    const rs = report.results.filter((r) => r.check === family);
    if (rs.length === 0) continue;
    const counts = (['pass', 'fail', 'error', 'skip'] as const)
      .map((s) => [s, rs.filter((r) => r.status === s).length] as const)
      .filter(([, n]) => n > 0);
    lines.push('', c('1', `${family}`) + `  (${counts.map(([s, n]) => `${n} ${s}`).join(', ')})`);
    for (const r of rs) {
      const sev = r.status === 'fail' || r.status === 'error' ? ` [${r.severity}]` : '';
      lines.push(`  ${c(COLOR[r.status], SYMBOL[r.status])} ${r.code.padEnd(8)}${r.title}${sev}: ${r.message}`);
      lines.push(`      ${c('90', r.resource)}`);
      if (r.status === 'fail' || r.status === 'error') {
        if (r.expected !== undefined) lines.push(`      expected: ${show(r.expected)}`);
        if (r.actual !== undefined) lines.push(`      actual:   ${show(r.actual)}`);
        if (r.query) lines.push(`      query:    ${r.query}`);
        if (r.remediation) lines.push(`      fix:      ${r.remediation}`);
      }
    }
  }
  lines.push('');
  if (report.noChecksRan) lines.push(c('31', 'no check ran: every selected check was skipped (see the reasons above)'));
  if (report.notification && report.notification.errors.length > 0)
    lines.push(c('31', `notification failed: ${report.notification.errors.join('; ')}`));
  const outcome = report.outcome === 'fail' ? c('31', 'FAIL') : c('32', 'PASS');
  lines.push(`${outcome} (fail on ${report.failOn ?? 'critical'}) in ${report.durationMs} ms`);
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}
