import { encodeReleaseSecret, decodeReleaseSecret } from '../../../lib/helm/release';
import { parseQuantity } from '../../../lib/checks/util';
import { labValues } from '../../support/factories/expected';
import { byName, makePvc, makeStorageClass } from '../../support/factories/k8s';
import { failing, runCode } from '../../support/run-check';

const PROM_PVC = 'prometheus-kube-prometheus-stack-prometheus-db-prometheus-kube-prometheus-stack-prometheus-0';

describe('check: PVC bound (STO001)', () => {
  it('passes for Prometheus and Grafana claims', () => {
    expect(runCode('STO001').map((r) => `${r.status} ${r.resource}`)).toEqual([
      `pass PersistentVolumeClaim/monitoring/${PROM_PVC}`,
      'pass PersistentVolumeClaim/monitoring/kube-prometheus-stack-grafana',
    ]);
  });
  it('fails a Pending claim', () => {
    const rs = runCode(
      'STO001',
      (s) =>
        (s.kubernetes.persistentVolumeClaims[1] = makePvc({
          name: 'kube-prometheus-stack-grafana',
          phase: 'Pending',
          size: '10Gi',
        })),
    );
    expect(failing(rs)).toEqual([
      expect.objectContaining({
        resource: 'PersistentVolumeClaim/monitoring/kube-prometheus-stack-grafana',
        actual: 'Pending',
      }),
    ]);
  });
  it('fails a missing claim naming the claim that should exist', () => {
    const rs = runCode('STO001', (s) => (s.kubernetes.persistentVolumeClaims = []));
    expect(failing(rs).map((r) => r.resource)).toContain(`PersistentVolumeClaim/monitoring/${PROM_PVC}`);
  });
});

describe('check: PVC class and size (STO002)', () => {
  it('compares sizes as quantities (20Gi == 21474836480)', () => {
    const rs = runCode('STO002', (s) => {
      const p = byName(s.kubernetes.persistentVolumeClaims, PROM_PVC);
      p.status.capacity.storage = '21474836480';
    });
    expect(rs.map((r) => r.status)).toEqual(['pass', 'pass']);
    expect(parseQuantity('20Gi')).toBe(21474836480);
    expect(parseQuantity('1.5G')).toBe(1.5e9);
    expect(parseQuantity('nonsense')).toBeUndefined();
  });
  it('fails a claim on gp2 smaller than requested', () => {
    const rs = runCode(
      'STO002',
      (s) => (s.kubernetes.persistentVolumeClaims[0] = makePvc({ storageClassName: 'gp2', size: '8Gi' })),
    );
    expect(failing(rs)[0].message).toMatch(/storage class gp2, expected gp3; size 8Gi, expected at least 20Gi/);
  });
});

describe('check: StorageClass (STO003)', () => {
  it('passes gp3 on ebs.csi.aws.com', () => {
    expect(runCode('STO003')[0]).toMatchObject({ status: 'pass', resource: 'StorageClass/gp3' });
  });
  it('fails when gp3 is missing', () => {
    expect(
      runCode('STO003', (s) => (s.kubernetes.storageClasses = [makeStorageClass('gp2', 'kubernetes.io/aws-ebs')]))[0],
    ).toMatchObject({ status: 'fail', actual: null });
  });
  it('warns on the in-tree provisioner', () => {
    expect(
      runCode('STO003', (s) => (s.kubernetes.storageClasses = [makeStorageClass('gp3', 'kubernetes.io/aws-ebs')]))[0],
    ).toMatchObject({ status: 'fail', severity: 'warning' });
  });
});

describe('check: bound PV (STO004)', () => {
  it('passes when each volume exists, is Bound and points back', () => {
    expect(runCode('STO004').map((r) => r.status)).toEqual(['pass', 'pass']);
  });
  it('fails a claim bound to a deleted volume, naming the volume', () => {
    let volume = '';
    const rs = runCode('STO004', (s) => {
      volume = s.kubernetes.persistentVolumeClaims[0].spec.volumeName;
      s.kubernetes.persistentVolumes = s.kubernetes.persistentVolumes.filter((pv) => pv.metadata.name !== volume);
    });
    expect(failing(rs)).toEqual([expect.objectContaining({ resource: `PersistentVolume/${volume}`, actual: null })]);
    expect(failing(rs)[0].message).toContain('does not exist');
  });
  it('fails a volume whose claimRef points at another claim', () => {
    const rs = runCode('STO004', (s) => (s.kubernetes.persistentVolumes[0].spec.claimRef.name = 'someone-else'));
    expect(failing(rs)[0].message).toContain('claimRef is monitoring/someone-else');
  });
});

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
