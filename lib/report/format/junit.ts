/** JUnit XML: a testsuite per family, a testcase per result (CI systems show them as tests). */
import type { Report } from '../types';

// XML 1.0 forbids most control characters even when escaped; drop them.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlEscape(s: unknown): string {
  return String(s)
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function detail(v: unknown): string {
  return v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}

export function formatJunit(report: Report): string {
  // report.results lists failing results first, so families with failures come first too.
  const families = [...new Set(report.results.map((r) => r.check))];
  const seconds = (report.durationMs / 1000).toFixed(3);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="stackcheck" tests="${report.results.length}" failures="${report.summary.fail}" errors="${report.summary.error}" skipped="${report.summary.skip + (report.summary.muted ?? 0)}" time="${seconds}" timestamp="${xmlEscape(report.startedAt)}">`,
  );
  for (const family of families) {
    const rs = report.results.filter((r) => r.check === family);
    // A muted result is reported as skipped, so CI shows it without failing on it.
    const count = (s: string) => rs.filter((r) => (r.muted ? s === 'skip' : r.status === s)).length;
    out.push(
      `  <testsuite name="${xmlEscape(family)}" tests="${rs.length}" failures="${count('fail')}" errors="${count('error')}" skipped="${count('skip')}" timestamp="${xmlEscape(report.startedAt)}">`,
    );
    for (const r of rs) {
      const open = `    <testcase classname="stackcheck.${xmlEscape(family)}" name="${xmlEscape(`${r.code} ${r.resource}`)}" time="0">`;
      const body = [
        `${r.title}: ${r.message}`,
        r.expected !== undefined ? `expected: ${detail(r.expected)}` : '',
        r.actual !== undefined ? `actual: ${detail(r.actual)}` : '',
        r.remediation ? `fix: ${r.remediation}` : '',
      ]
        .filter(Boolean)
        .join('\n');
      if (r.muted)
        out.push(
          open,
          `      <skipped message="${xmlEscape(`muted: ${r.muted.reason}${r.muted.until ? ` (until ${r.muted.until})` : ''}`)}">${xmlEscape(body)}</skipped>`,
          '    </testcase>',
        );
      else if (r.status === 'pass') out.push(`${open.slice(0, -1)}/>`);
      else if (r.status === 'skip')
        out.push(open, `      <skipped message="${xmlEscape(r.message)}"/>`, '    </testcase>');
      else {
        const tag = r.status === 'fail' ? 'failure' : 'error';
        out.push(
          open,
          `      <${tag} message="${xmlEscape(r.message)}" type="${xmlEscape(r.severity)}">${xmlEscape(body)}</${tag}>`,
          '    </testcase>',
        );
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
