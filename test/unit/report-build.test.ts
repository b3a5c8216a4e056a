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
    expect(s).toEqual({ pass: 1, fail: 2, error: 0, skip: 1 });
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
      summary: { pass: 0, fail: 1, error: 0, skip: 0 },
      outcome: 'fail',
    });
  });
});
