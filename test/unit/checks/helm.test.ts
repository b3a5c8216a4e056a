import { encodeReleaseSecret, decodeReleaseSecret } from '../../../lib/helm/release';
import { labValues } from '../../support/factories/expected';
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
  it('is skipped when the expectation comes from the release itself', () => {
    expect(runCode('HELM003', (_s, e) => (e.valuesSource = 'release'))[0].status).toBe('skip');
  });
});
