import { labExpected } from '../../support/factories/expected';
import { runCode } from '../../support/run-check';
import { BASE, vec, withProbes } from '../../support/factories/runtime';

describe('check: Prometheus runtime (PRM001-PRM008) on recorded answers', () => {
  it.each(['PRM001', 'PRM002', 'PRM003', 'PRM004', 'PRM006', 'PRM007', 'PRM008'])(
    '%s passes on a healthy Prometheus',
    (code) => {
      expect(runCode(code, withProbes()).every((r) => r.status === 'pass')).toBe(true);
    },
  );
  it('PRM005 is skipped on the lab values (default rules off), and fails when enabled but absent', () => {
    expect(runCode('PRM005', withProbes())[0]).toMatchObject({
      status: 'skip',
      message: expect.stringContaining('defaultRules.create is false'),
    });
    const rs = runCode(
      'PRM005',
      withProbes((p) => (p['query:watchdog'] = vec(null))),
      labExpected({ defaultRules: true }),
    );
    expect(rs[0].status).toBe('fail');
  });
  it('PRM001 is one error with the URL when unreachable; the others skip', () => {
    const mutate = withProbes((p) => {
      for (const k of Object.keys(p)) delete p[k];
      p.ready = { url: `${BASE}/-/ready`, error: 'connection refused (ECONNREFUSED)' };
    });
    expect(runCode('PRM001', mutate)[0]).toMatchObject({
      status: 'error',
      message: `${BASE}/-/ready: connection refused (ECONNREFUSED)`,
    });
    expect(runCode('PRM002', mutate)[0].status).toBe('skip');
  });
  it('PRM002 names each target down; PRM003 compares with the node count', () => {
    const rs = runCode(
      'PRM002',
      withProbes((p) =>
        (p.targets.body as { activeTargets: unknown[] }).activeTargets.push({
          job: 'kubelet',
          instance: '192.168.1.11:10250',
          health: 'down',
          lastError: 'context deadline exceeded',
        }),
      ),
    );
    expect(rs.map((r) => `${r.status} ${r.resource}`)).toEqual(['fail Target/kubelet/192.168.1.11:10250']);
    expect(
      runCode(
        'PRM003',
        withProbes((p) => (p['query:nodeExporterUp'] = vec(2))),
      )[0],
    ).toMatchObject({ status: 'fail', expected: 3, actual: 2 });
  });
  it('PRM004, PRM006, PRM007, PRM008 fail on the broken answers', () => {
    expect(
      runCode(
        'PRM004',
        withProbes((p) => (p['query:kubeStateMetricsUp'] = vec(null))),
      )[0].status,
    ).toBe('fail');
    expect(
      runCode(
        'PRM006',
        withProbes(
          (p) => ((p.flags.body as { data: Record<string, string> }).data['storage.tsdb.retention.time'] = '10d'),
        ),
      ).map((r) => r.status),
    ).toEqual(['fail', 'pass']);
    expect(
      runCode(
        'PRM007',
        withProbes((p) => ((p.config.body as { global: Record<string, string> }).global.scrape_interval = '30s')),
      )[0].message,
    ).toBe('scrape_interval is 30s, expected 15s');
    expect(
      runCode(
        'PRM008',
        withProbes((p) =>
          (p.rules.body as { groups: Array<{ rules: unknown[] }> }).groups[0].rules.push({
            name: 'bad',
            health: 'err',
            lastError: 'parse error',
          }),
        ),
      )[0].status,
    ).toBe('fail');
  });
});
