import { buildReport, isFailing, summarize } from '../../lib/report/build';
import type { Result } from '../../lib/checks/types';

function result(over: Partial<Result>): Result {
  return {
    code: 'WRK001',
    check: 'workloads',
    title: 't',
    status: 'pass',
    severity: 'critical',
    resource: 'Namespace/monitoring',
    message: 'm',
    ...over,
  };
}

describe('report: summary and outcome', () => {
  it('counts results by status', () => {
    const s = summarize([
      result({}),
      result({ status: 'fail' }),
      result({ status: 'skip' }),
      result({ status: 'fail' }),
    ]);
    expect(s).toEqual({ pass: 1, fail: 2, error: 0, skip: 1, muted: 0 });
  });

  it('counts a muted failure as muted, not failed, and never fails the run on it', () => {
    const muted = result({ status: 'fail', severity: 'critical', muted: { reason: 'known' } });
    expect(summarize([result({}), muted])).toEqual({ pass: 1, fail: 0, error: 0, skip: 0, muted: 1 });
    expect(isFailing([muted], 'warning')).toBe(false);
    expect(isFailing([{ ...muted, status: 'error' }], 'warning')).toBe(false);
  });

  it('--fail-on never: report only, not even an error result fails the run', () => {
    const rs = [result({ status: 'fail', severity: 'critical' }), result({ status: 'error' })];
    expect(isFailing(rs, 'never')).toBe(false);
    expect(
      buildReport({ cluster: 'c', startedAt: new Date(0), finishedAt: new Date(0), results: rs, failOn: 'never' }),
    ).toMatchObject({ outcome: 'pass', failOn: 'never', summary: { fail: 1, error: 1 } });
  });

  it('lists failing results first (errors, then by severity), muted ones after them, the rest in order', () => {
    const r = buildReport({
      cluster: 'c',
      startedAt: new Date(0),
      finishedAt: new Date(0),
      results: [
        result({ code: 'A001' }),
        result({ code: 'B001', status: 'fail', severity: 'warning' }),
        result({ code: 'C001', status: 'fail', severity: 'warning', muted: { reason: 'r' } }),
        result({ code: 'D001', status: 'skip' }),
        result({ code: 'E001', status: 'fail', severity: 'critical' }),
        result({ code: 'F001', status: 'error', severity: 'info' }),
        result({ code: 'G001' }),
      ],
    });
    expect(r.results.map((x) => x.code)).toEqual(['F001', 'E001', 'B001', 'C001', 'A001', 'D001', 'G001']);
  });

  it('fails on a critical failure but not on a warning with --fail-on critical', () => {
    expect(isFailing([result({ status: 'fail', severity: 'warning' })], 'critical')).toBe(false);
    expect(isFailing([result({ status: 'fail', severity: 'critical' })], 'critical')).toBe(true);
  });

  it('fails on a warning with --fail-on warning, never on info', () => {
    expect(isFailing([result({ status: 'fail', severity: 'warning' })], 'warning')).toBe(true);
    expect(isFailing([result({ status: 'fail', severity: 'info' })], 'warning')).toBe(false);
  });

  it('treats an error result as failing whatever its severity: a check that could not run is not a pass', () => {
    expect(isFailing([result({ status: 'error', severity: 'info' })], 'critical')).toBe(true);
  });

  it('builds the contract shape with duration from the two instants', () => {
    const r = buildReport({
      cluster: 'myeks',
      startedAt: new Date('2026-11-24T10:00:00.000Z'),
      finishedAt: new Date('2026-11-24T10:00:00.812Z'),
      results: [result({ status: 'fail' })],
    });
    expect(r).toMatchObject({
      tool: 'stackcheck',
      cluster: 'myeks',
      startedAt: '2026-11-24T10:00:00.000Z',
      durationMs: 812,
      summary: { pass: 0, fail: 1, error: 0, skip: 0, muted: 0 },
      outcome: 'fail',
    });
  });
});
