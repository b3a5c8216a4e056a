import type { Report } from '../types';

/** The JSON report (docs/report.md), its documented keys first. */
export function formatJson(report: Report): string {
  const { tool, version, cluster, startedAt, durationMs, summary, results, ...rest } = report;
  const ordered = {
    tool,
    version,
    cluster,
    startedAt,
    durationMs,
    summary,
    results: results.map((r) => ({
      code: r.code,
      check: r.check,
      title: r.title,
      status: r.status,
      severity: r.severity,
      resource: r.resource,
      message: r.message,
      ...(r.expected !== undefined ? { expected: r.expected } : {}),
      ...(r.actual !== undefined ? { actual: r.actual } : {}),
      ...(r.remediation !== undefined ? { remediation: r.remediation } : {}),
      ...(r.query !== undefined ? { query: r.query } : {}),
      ...(r.muted !== undefined ? { muted: r.muted } : {}),
      ...(r.muteExpired !== undefined ? { muteExpired: r.muteExpired } : {}),
    })),
    ...rest,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
