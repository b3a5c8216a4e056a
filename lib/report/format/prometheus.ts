/**
 * `--format prometheus`: the report in the Prometheus text exposition format (0.0.4), for
 * node-exporter's textfile collector or a Pushgateway. No timestamps (the textfile collector
 * rejects them); `stackcheck_last_run_timestamp_seconds` says when the run was.
 */
import type { Result } from '../../checks/types';
import { isActiveFailure } from '../../config/apply';
import type { Report } from '../types';

/** Label values escape backslash, double quote and newline (exposition format). */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escapes backslash and newline. */
function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function labels(pairs: Record<string, string>): string {
  const body = Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
    .join(',');
  return body ? `{${body}}` : '';
}

function family(name: string, type: 'gauge', help: string, samples: Array<[Record<string, string>, number]>): string[] {
  return [
    `# HELP ${name} ${escapeHelp(help)}`,
    `# TYPE ${name} ${type}`,
    ...samples.map(([l, v]) => `${name}${labels(l)} ${Number.isFinite(v) ? v : 0}`),
  ];
}

/** One series per result; two results of one check on one resource are told apart by `title`. */
function resultSamples(report: Report): Array<[Record<string, string>, number]> {
  const seen = new Map<string, number>();
  return report.results.map((r: Result) => {
    const l: Record<string, string> = {
      cluster: report.cluster,
      code: r.code,
      family: r.check,
      severity: r.severity,
      resource: r.resource,
      title: r.title,
      status: r.status,
      muted: r.muted ? 'true' : 'false',
    };
    const key = JSON.stringify(l);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > 1) l.title = `${r.title} (${n})`;
    return [l, isActiveFailure(r) ? 1 : 0];
  });
}

export function formatPrometheus(report: Report): string {
  const cluster = report.cluster;
  const failing = report.results.filter(isActiveFailure);
  const lines = [
    ...family(
      'stackcheck_result',
      'gauge',
      'One series per check result: 1 when it fails (status fail or error, not muted), else 0.',
      resultSamples(report),
    ),
    ...family(
      'stackcheck_results',
      'gauge',
      'Results of the last run by status (muted results counted apart).',
      (['pass', 'fail', 'error', 'skip'] as const).map((s) => [{ cluster, status: s }, report.summary[s]]),
    ),
    ...family(
      'stackcheck_failing_results',
      'gauge',
      'Failing results (fail or error, not muted) of the last run by severity.',
      (['critical', 'warning', 'info'] as const).map((sev) => [
        { cluster, severity: sev },
        failing.filter((r) => r.severity === sev).length,
      ]),
    ),
    ...family('stackcheck_muted_results', 'gauge', 'Failing results silenced by a mute of the config file.', [
      [{ cluster }, report.summary.muted ?? 0],
    ]),
    ...family('stackcheck_run_success', 'gauge', '1 when the last run passed at its --fail-on, else 0.', [
      [{ cluster }, report.outcome === 'fail' ? 0 : 1],
    ]),
    ...family('stackcheck_run_duration_seconds', 'gauge', 'Duration of the last run in seconds.', [
      [{ cluster }, report.durationMs / 1000],
    ]),
    ...family(
      'stackcheck_last_run_timestamp_seconds',
      'gauge',
      'When the last run started, in seconds since the Unix epoch.',
      [[{ cluster }, Date.parse(report.startedAt) / 1000]],
    ),
  ];
  return `${lines.join('\n')}\n`;
}
