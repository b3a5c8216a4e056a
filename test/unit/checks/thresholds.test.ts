/** Thresholds of the config file's `overrides.thresholds`, as the checks read them from the expected state. */
import { makeCertificate, target } from '../../support/factories/aws';
import { LAB_CERT_ARN, labExpected } from '../../support/factories/expected';
import { LAB_TG_GRAFANA_ARN, makePod } from '../../support/factories/k8s';
import { runCode } from '../../support/run-check';
import { join } from 'node:path';
import type { Snapshot } from '../../../lib/snapshot/types';
import { verify } from '../../../lib/verify';

describe('check thresholds from overrides', () => {
  const expiring = (days: number) => (s: Snapshot) =>
    (s.aws.certificates[LAB_CERT_ARN] = makeCertificate({ daysLeft: days }));

  it('CRT002: warning and critical days move with certificateWarningDays / certificateCriticalDays', () => {
    const e = labExpected();
    e.thresholds = { ...e.thresholds, certificateWarningDays: 60, certificateCriticalDays: 7 };
    expect(runCode('CRT002', expiring(45), e)[0]).toMatchObject({
      status: 'fail',
      severity: 'warning',
      expected: 'at least 60 days of validity',
    });
    expect(runCode('CRT002', expiring(10), e)[0]).toMatchObject({ status: 'fail', severity: 'warning' });
    expect(runCode('CRT002', expiring(6), e)[0]).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(runCode('CRT002', expiring(45))[0]).toMatchObject({ status: 'pass' }); // defaults 30/14
  });

  it('ALB008: a target whose pod started within targetHealthGraceSeconds may still be initial', () => {
    const registering = (startedSecondsAgo: number) => (s: Snapshot) => {
      s.aws.targetHealth[LAB_TG_GRAFANA_ARN] = [target('192.168.2.61', 3000, 'initial', 'Elb.RegistrationInProgress')];
      const pod = makePod('kube-prometheus-stack-grafana-7d9f8c6b5-x2x4q', { kind: 'ReplicaSet', name: 'g' }, 'n1', {});
      pod.status = {
        ...pod.status,
        podIP: '192.168.2.61',
        startTime: new Date(Date.parse(s.collectedAt) - startedSecondsAgo * 1000).toISOString(),
      };
      s.kubernetes.pods.push(pod);
    };
    const e = labExpected();
    e.thresholds = { ...e.thresholds, targetHealthGraceSeconds: 120 };
    const inGrace = runCode('ALB008', registering(30), e).find((r) => r.resource === LAB_TG_GRAFANA_ARN);
    expect(inGrace).toMatchObject({
      status: 'pass',
      message: '0/1 targets healthy, 1 registering within the 120s grace',
    });
    const late = runCode('ALB008', registering(300), e).find((r) => r.resource === LAB_TG_GRAFANA_ARN);
    expect(late?.status).toBe('fail');
    // Default grace 0: a registering target fails as before.
    const noGrace = runCode('ALB008', registering(30)).find((r) => r.resource === LAB_TG_GRAFANA_ARN);
    expect(noGrace?.status).toBe('fail');
  });

  it('HRT001: heartbeatMaxAgeSeconds reaches the expected state; --heartbeat-max-age wins', async () => {
    const base = {
      source: { snapshotFile: join(__dirname, '../../../examples/healthy-snapshot.json') },
      valuesFiles: [],
      sets: [],
      env: {},
      config: { mutes: [], overrides: { severity: {}, thresholds: { heartbeatMaxAgeSeconds: 1800 } } },
    };
    expect((await verify(base)).expected.heartbeat.maxAgeSeconds).toBe(1800);
    expect((await verify({ ...base, heartbeatMaxAgeSeconds: 300 })).expected.heartbeat.maxAgeSeconds).toBe(300);
  });
});
