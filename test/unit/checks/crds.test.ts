import { byName } from '../../support/factories/k8s';
import { failing, runCode } from '../../support/run-check';

describe('check: CRDs (CRD001) and ServiceMonitors (CRD002)', () => {
  it('passes all 8 CRDs and 9 ServiceMonitors of the lab', () => {
    expect(runCode('CRD001').filter((r) => r.status === 'pass')).toHaveLength(8);
    expect(runCode('CRD002').filter((r) => r.status === 'pass')).toHaveLength(9);
  });
  it('fails a missing CRD by its cluster-scoped name', () => {
    const rs = runCode(
      'CRD001',
      (s) =>
        (s.kubernetes.customResourceDefinitions = s.kubernetes.customResourceDefinitions.filter(
          (c) => !c.metadata.name.startsWith('probes.'),
        )),
    );
    expect(failing(rs).map((r) => r.resource)).toEqual(['CustomResourceDefinition/probes.monitoring.coreos.com']);
  });
  it('fails a CRD that is not Established', () => {
    const rs = runCode(
      'CRD001',
      (s) =>
        (byName(
          s.kubernetes.customResourceDefinitions,
          'servicemonitors.monitoring.coreos.com',
        ).status.conditions[1].status = 'False'),
    );
    expect(failing(rs).map((r) => r.resource)).toEqual([
      'CustomResourceDefinition/servicemonitors.monitoring.coreos.com',
    ]);
  });
  it('fails a missing ServiceMonitor', () => {
    const rs = runCode(
      'CRD002',
      (s) =>
        (s.kubernetes.serviceMonitors = s.kubernetes.serviceMonitors.filter(
          (m) => !m.metadata.name.endsWith('-kubelet'),
        )),
    );
    expect(failing(rs).map((r) => r.resource)).toEqual(['ServiceMonitor/monitoring/kube-prometheus-stack-kubelet']);
  });
});
