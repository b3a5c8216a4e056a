import { runCode } from '../../support/run-check';

const withAlerting = (e: { alertmanager: { enabled: boolean }; defaultRules: boolean }) => {
  e.alertmanager.enabled = true;
  e.defaultRules = true;
};

describe('check: Watchdog heartbeat (HRT001)', () => {
  it('is skipped on the lab values, which disable Alertmanager', () => {
    expect(runCode('HRT001')[0]).toMatchObject({
      status: 'skip',
      resource: 'Heartbeat/myeks/Watchdog',
      message: expect.stringContaining('alertmanager.enabled is false'),
    });
  });
  it('passes when the last Watchdog is recent', () => {
    const [r] = runCode('HRT001', (s, e) => {
      withAlerting(e);
      s.collected.push('heartbeat');
      s.heartbeat = { lastSeenAt: new Date(Date.parse(s.collectedAt) - 120_000).toISOString() };
    });
    expect(r.status).toBe('pass');
  });
  it('fails when it is older than the allowed age', () => {
    const [r] = runCode('HRT001', (s, e) => {
      withAlerting(e);
      s.collected.push('heartbeat');
      s.heartbeat = { lastSeenAt: new Date(Date.parse(s.collectedAt) - 3_600_000).toISOString() };
    });
    expect(r).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(r.message).toContain('3600s ago');
  });
  it('fails when none ever arrived, and skips without a store', () => {
    expect(
      runCode('HRT001', (s, e) => {
        withAlerting(e);
        s.collected.push('heartbeat');
        s.heartbeat = { lastSeenAt: null };
      })[0].status,
    ).toBe('fail');
    expect(runCode('HRT001', (_s, e) => withAlerting(e))[0].message).toContain('--state');
  });
});
