/**
 * Plain-text report for the terminal: a line per family with its counts, then every result that
 * is not a pass (failing first, then skipped, then muted apart); `verbose` lists the passes too.
 * The summary is last.
 */
import type { Result } from '../../checks/types';
import { FAMILIES } from '../../checks/types';
import { isActiveFailure } from '../../config/apply';
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
  return `${s.pass} passed, ${s.fail} failed, ${s.error} errors, ${s.skip} skipped${s.muted ? `, ${s.muted} muted` : ''}`;
}

export function formatText(report: Report, opts: { color?: boolean; verbose?: boolean } = {}): string {
  const c = (code: string, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  lines.push(
    `stackcheck ${report.version} — cluster ${report.cluster}${report.namespace ? `, namespace ${report.namespace}` : ''}${report.release ? `, release ${report.release}` : ''} — ${report.startedAt}`,
    '',
  );
  const families = [...FAMILIES, ...new Set(report.results.map((r) => r.check))].filter(
    (f, i, a) => a.indexOf(f) === i && report.results.some((r) => r.check === f),
  );
  const width = Math.max(...families.map((f) => f.length), 0) + 2;
  for (const family of families) {
    const rs = report.results.filter((r) => r.check === family);
    const counts = (['pass', 'fail', 'error', 'skip'] as const)
      .map((s) => [s, rs.filter((r) => r.status === s && !r.muted).length] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}`);
    const muted = rs.filter((r) => r.muted).length;
    if (muted) counts.push(`${muted} muted`);
    const bad = rs.some(isActiveFailure);
    lines.push(`${c(bad ? '1;31' : '1', family.padEnd(width))}${counts.join(', ')}`);
  }

  const entry = (r: Result, detail: boolean) => {
    const sev = r.status === 'fail' || r.status === 'error' ? ` [${r.severity}]` : '';
    lines.push(`  ${c(COLOR[r.status], SYMBOL[r.status])} ${r.code.padEnd(8)}${r.title}${sev}: ${r.message}`);
    lines.push(`      ${c('90', r.resource)}`);
    if (r.muted) lines.push(`      muted:    ${r.muted.reason}${r.muted.until ? ` (until ${r.muted.until})` : ''}`);
    if (!detail) return;
    if (r.expected !== undefined) lines.push(`      expected: ${show(r.expected)}`);
    if (r.actual !== undefined) lines.push(`      actual:   ${show(r.actual)}`);
    if (r.query) lines.push(`      query:    ${r.query}`);
    if (r.remediation) lines.push(`      fix:      ${r.remediation}`);
  };
  const section = (title: string, rs: Result[], detail: boolean) => {
    if (rs.length === 0) return;
    lines.push('', c('1', `${title} (${rs.length})`));
    for (const r of rs) entry(r, detail);
  };
  // report.results lists failing results first (buildReport), so the order within a section holds.
  section('Failing', report.results.filter(isActiveFailure), true);
  section(
    'Skipped',
    report.results.filter((r) => r.status === 'skip'),
    false,
  );
  section(
    'Muted',
    report.results.filter((r) => r.muted),
    false,
  );
  if (opts.verbose)
    section(
      'Passed',
      report.results.filter((r) => r.status === 'pass'),
      false,
    );

  lines.push('');
  if (report.noChecksRan)
    lines.push(
      c(
        '31',
        report.results.length === 0
          ? 'no check ran: no check was selected (--checks and --skip left none)'
          : 'no check ran: every selected check was skipped (see the reasons above)',
      ),
    );
  if (report.notification && report.notification.errors.length > 0)
    lines.push(c('31', `notification failed: ${report.notification.errors.join('; ')}`));
  const outcome = report.outcome === 'fail' ? c('31', 'FAIL') : c('32', 'PASS');
  lines.push(`${outcome} (fail on ${report.failOn ?? 'critical'}) in ${report.durationMs} ms`);
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}
