import type { Result } from '../../../lib/checks/types';
import { applyConfig, applyMutes, globMatch, muteEnd } from '../../../lib/config/apply';
import { notify } from '../../../lib/notify';
import { failingOf } from '../../../lib/notify/change';
import { buildReport } from '../../../lib/report/build';
import { MemoryStore } from '../../../lib/state/memory';

const NOW = new Date('2026-12-02T12:00:00Z');
const WRK008: Result = {
  code: 'WRK008',
  check: 'workloads',
  title: 'Prometheus external URL uses the scheme users reach it with',
  status: 'fail',
  severity: 'warning',
  resource: 'StatefulSet/monitoring/prometheus-kube-prometheus-stack-prometheus',
  message: 'external URL is http://prometheus.example.com/ but users reach Prometheus over HTTPS',
};
const PASS: Result = { ...WRK008, code: 'WRK004', status: 'pass', resource: 'Deployment/monitoring/grafana' };
const mute = (until?: string) => ({
  code: 'WRK008',
  resource: 'StatefulSet/monitoring/prometheus-*',
  reason: 'no externalUrl in the lab values',
  ...(until ? { until } : {}),
});

describe('mutes', () => {
  it('globs: * spans slashes, ? is one character, the whole string must match', () => {
    expect(globMatch('StatefulSet/monitoring/*', WRK008.resource)).toBe(true);
    expect(globMatch('StatefulSet/*', WRK008.resource)).toBe(true);
    expect(globMatch('StatefulSet/monitoring/prometheus', WRK008.resource)).toBe(false);
    expect(globMatch('WRK00?', 'WRK008')).toBe(true);
    expect(globMatch('WRK00?', 'WRK0081')).toBe(false);
    expect(globMatch('a.b', 'axb')).toBe(false);
  });

  it('a muted result keeps its status and gains muted {reason, until}; passes are left alone', () => {
    const [r, p] = applyMutes([WRK008, PASS], [mute('2026-12-31')], NOW);
    expect(r).toEqual({ ...WRK008, muted: { reason: 'no externalUrl in the lab values', until: '2026-12-31' } });
    expect(p).toBe(PASS);
  });

  it('a date mutes through the end of that day (UTC); after it, the result counts again and says so', () => {
    expect(muteEnd('2026-12-02')).toBe(Date.parse('2026-12-03T00:00:00Z'));
    expect(applyMutes([WRK008], [mute('2026-12-02')], NOW)[0].muted).toBeDefined();
    const [r] = applyMutes([WRK008], [mute('2026-12-01')], NOW);
    expect(r.muted).toBeUndefined();
    expect(r.status).toBe('fail');
    expect(r.muteExpired).toEqual({ reason: 'no externalUrl in the lab values', until: '2026-12-01' });
    expect(r.message).toContain('the mute for this result expired on 2026-12-01');
  });

  it('a mute on another resource does not apply; a still-valid mute wins over an expired one', () => {
    expect(applyMutes([WRK008], [{ ...mute(), resource: 'StatefulSet/other/*' }], NOW)[0].muted).toBeUndefined();
    const [r] = applyMutes([WRK008], [mute('2020-01-01'), mute('2027-01-01')], NOW);
    expect(r.muted?.until).toBe('2027-01-01');
  });

  it('severity overrides apply before mutes and change how the result counts', () => {
    const [r] = applyConfig([WRK008], { mutes: [], overrides: { severity: { WRK008: 'critical' } } }, NOW);
    expect(r.severity).toBe('critical');
    const report = buildReport({ cluster: 'c', startedAt: NOW, finishedAt: NOW, results: [r] });
    expect(report.outcome).toBe('fail');
  });
});

describe('mutes and notifications', () => {
  const report = (results: Result[]) =>
    buildReport({ cluster: 'myeks', startedAt: NOW, finishedAt: NOW, results, failOn: 'warning' });

  it('a muted result is not failing for change detection; an expired mute is a new failure and is sent', async () => {
    const store = new MemoryStore();
    const sent: string[] = [];
    const deps = { store, slack: async (m: { text: string }) => void sent.push(m.text) };

    const muted = report(applyMutes([WRK008, PASS], [mute('2027-01-01')], NOW));
    expect(failingOf(muted)).toEqual([]);
    expect(await notify(muted, 'on-change', deps)).toMatchObject({ sent: false });
    // Still muted on the next run: nothing to say.
    expect(await notify(muted, 'on-change', deps)).toMatchObject({ sent: false });
    expect(sent).toEqual([]);

    const expired = report(applyMutes([WRK008, PASS], [mute('2026-12-01')], NOW));
    expect(await notify(expired, 'on-change', deps)).toMatchObject({ sent: true, change: { new: 1 } });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('FAILING');
  });

  it('muting a failure that was reported resolves it in the next notification', async () => {
    const store = new MemoryStore();
    const sent: string[] = [];
    const deps = { store, slack: async (m: { text: string }) => void sent.push(m.text) };
    await notify(report([WRK008]), 'on-change', deps);
    const out = await notify(report(applyMutes([WRK008], [mute()], NOW)), 'on-change', deps);
    expect(out).toMatchObject({ sent: true, change: { resolved: 1 } });
    expect(sent[1]).toContain('OK');
  });
});
