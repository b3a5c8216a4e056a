import { parseQuantity } from '../../../lib/checks/util';
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
