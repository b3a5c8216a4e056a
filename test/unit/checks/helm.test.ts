import { encodeReleaseSecret, decodeReleaseSecret } from '../../../lib/helm/release';
import { labExpected, labValues } from '../../support/factories/expected';
import { failing, runCode } from '../../support/run-check';

describe('check: Helm release (HELM001-003)', () => {
  const secretRef = 'Secret/monitoring/sh.helm.release.v1.kube-prometheus-stack.v2';
  it('passes a deployed 45.27.2 release whose values equal the file', () => {
    expect(['HELM001', 'HELM002', 'HELM003'].map((c) => runCode(c)[0])).toEqual([
      expect.objectContaining({ status: 'pass', resource: secretRef }),
      expect.objectContaining({ status: 'pass', resource: secretRef }),
      expect.objectContaining({ status: 'pass', resource: secretRef }),
    ]);
  });
  it('fails when the latest revision failed', () => {
    const [r] = runCode('HELM001', (s) => {
      const failed = encodeReleaseSecret({
        name: 'kube-prometheus-stack',
        namespace: 'monitoring',
        revision: 3,
        status: 'failed',
        chartName: 'kube-prometheus-stack',
        chartVersion: '45.27.2',
        config: {},
      });
      s.kubernetes.helmReleases.push(decodeReleaseSecret(failed));
    });
    expect(r).toMatchObject({
      status: 'fail',
      resource: 'Secret/monitoring/sh.helm.release.v1.kube-prometheus-stack.v3',
      actual: 'failed',
    });
  });
  it('fails when no release exists', () => {
    expect(runCode('HELM001', (s) => (s.kubernetes.helmReleases = []))[0]).toMatchObject({
      status: 'fail',
      actual: null,
    });
  });
  it('flags another chart version', () => {
    const [r] = runCode('HELM002', (s) => (s.kubernetes.helmReleases[1].chart.version = '48.1.1'));
    expect(r).toMatchObject({
      status: 'fail',
      expected: 'kube-prometheus-stack-45.27.2',
      actual: 'kube-prometheus-stack-48.1.1',
    });
  });
  it('reports each path where git and the deployed values differ', () => {
    const rs = runCode('HELM003', (s) => {
      const cfg = JSON.parse(JSON.stringify(labValues())) as { prometheus: { prometheusSpec: { retention: string } } };
      cfg.prometheus.prometheusSpec.retention = '7d';
      s.kubernetes.helmReleases[1].config = cfg;
    });
    expect(failing(rs)).toEqual([
      expect.objectContaining({
        message: 'values in git and the deployed release differ at prometheus.prometheusSpec.retention',
        expected: '5d',
        actual: '7d',
      }),
    ]);
  });
  it('names a secret path that differs without showing either value', () => {
    const CANARY = 'canary-expected-9f3c1e';
    const DEPLOYED = 'canary-deployed-77ab02';
    const expected = labExpected();
    expected.values = { ...expected.values, grafana: { env: { GF_AUTH_TOKEN: CANARY } } };
    const rs = runCode(
      'HELM003',
      (s) => {
        const deployed = s.kubernetes.helmReleases[1];
        const secret = encodeReleaseSecret({
          name: deployed.name,
          namespace: deployed.namespace,
          revision: deployed.revision,
          status: 'deployed',
          chartName: deployed.chart.name,
          chartVersion: deployed.chart.version,
          config: { ...labValues(), grafana: { env: { GF_AUTH_TOKEN: DEPLOYED } } },
        });
        s.kubernetes.helmReleases[1] = decodeReleaseSecret(secret);
      },
      expected,
    );
    expect(failing(rs)).toEqual([
      expect.objectContaining({
        message: 'values in git and the deployed release differ at grafana.env.GF_AUTH_TOKEN (redacted)',
        expected: '[REDACTED]',
        actual: '[REDACTED]',
      }),
    ]);
    expect(JSON.stringify(rs)).not.toMatch(/canary-/);
  });
  it('does not compare a secret that a recorded snapshot holds redacted', () => {
    const expected = labExpected();
    expected.values = { ...expected.values, grafana: { adminPassword: 'canary-pw-31337' } };
    const rs = runCode(
      'HELM003',
      (s) => {
        // as read back from a --record file: the redacted config, no in-memory original
        s.kubernetes.helmReleases[1] = JSON.parse(JSON.stringify(s.kubernetes.helmReleases[1]));
        s.kubernetes.helmReleases[1].config = { ...labValues(), grafana: { adminPassword: '[REDACTED]' } };
      },
      expected,
    );
    expect(failing(rs)).toEqual([]);
  });
  it('is skipped when the expectation comes from the release itself', () => {
    expect(runCode('HELM003', (_s, e) => (e.valuesSource = 'release'))[0].status).toBe('skip');
  });
});
