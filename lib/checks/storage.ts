/** Storage: PVC → PV → StorageClass binding of Prometheus and Grafana, on EBS CSI gp3. */
import type { K8sObject } from '../snapshot/types';
import type { StorageExpectation } from '../expected/types';
import type { Check, CheckContext, Finding } from './types';
import { clusterRef, fail, find, judge, parseQuantity, pass, ref, sameSet, skip } from './util';

const EBS_CSI = 'ebs.csi.aws.com';
const IN_TREE_EBS = 'kubernetes.io/aws-ebs';

interface Claim {
  what: string;
  storage: StorageExpectation;
}

function claims(ctx: CheckContext): Claim[] {
  const out: Claim[] = [];
  if (ctx.expected.prometheus.enabled && ctx.expected.prometheus.storage)
    out.push({ what: 'Prometheus', storage: ctx.expected.prometheus.storage });
  if (ctx.expected.grafana.enabled && ctx.expected.grafana.storage)
    out.push({ what: 'Grafana', storage: ctx.expected.grafana.storage });
  return out;
}

const pvcRef = (ctx: CheckContext, name: string) => ref('PersistentVolumeClaim', ctx.expected.namespace, name);
const firstRef = (ctx: CheckContext) => pvcRef(ctx, claims(ctx)[0]?.storage.pvcName ?? 'none');

function noClaims(ctx: CheckContext): Finding[] {
  return [skip(firstRef(ctx), 'no persistent storage is configured for Prometheus or Grafana in the values')];
}

function pvcOf(ctx: CheckContext, c: Claim): K8sObject | undefined {
  return find(ctx.snapshot.kubernetes.persistentVolumeClaims, c.storage.pvcName, ctx.expected.namespace);
}

export const storageChecks: Check[] = [
  {
    code: 'STO001',
    family: 'storage',
    title: 'PersistentVolumeClaim is Bound',
    severity: 'critical',
    description:
      'The claims of Prometheus (from the volumeClaimTemplate) and Grafana (persistence) exist and are `Bound`.',
    remediation:
      'kubectl -n <namespace> describe pvc <name>: a Pending claim usually means the EBS CSI driver is missing, the StorageClass does not exist, or WaitForFirstConsumer has no scheduled pod.',
    requires: ['k8s.persistentVolumeClaims'],
    resource: firstRef,
    run(ctx) {
      const cs = claims(ctx);
      if (cs.length === 0) return noClaims(ctx);
      return cs.map((c) => {
        const r = pvcRef(ctx, c.storage.pvcName);
        const pvc = pvcOf(ctx, c);
        if (!pvc) return fail(r, `the ${c.what} claim does not exist`, { expected: 'Bound', actual: null });
        const phase = pvc.status?.phase ?? 'Unknown';
        return judge(phase === 'Bound', r, 'Bound', `the ${c.what} claim is ${phase}`, {
          expected: 'Bound',
          actual: phase,
        });
      });
    },
  },
  {
    code: 'STO002',
    family: 'storage',
    title: 'PersistentVolumeClaim has the expected class, size and access modes',
    severity: 'warning',
    description:
      'The claim requests the StorageClass, at least the size, and the access modes of the values file (sizes compared as Kubernetes quantities: 20Gi = 21474836480).',
    remediation:
      'A claim cannot change class after creation: back up, delete the claim (and for Prometheus the StatefulSet pod), and let the chart/operator recreate it with the values.',
    requires: ['k8s.persistentVolumeClaims'],
    resource: firstRef,
    run(ctx) {
      const cs = claims(ctx);
      if (cs.length === 0) return noClaims(ctx);
      return cs.flatMap((c): Finding[] => {
        const r = pvcRef(ctx, c.storage.pvcName);
        const pvc = pvcOf(ctx, c);
        if (!pvc) return [skip(r, 'the claim does not exist (see STO001)')];
        const cls = pvc.spec?.storageClassName ?? null;
        const size = pvc.status?.capacity?.storage ?? pvc.spec?.resources?.requests?.storage ?? null;
        const modes: string[] = pvc.spec?.accessModes ?? [];
        const problems: string[] = [];
        if (c.storage.storageClassName !== undefined && cls !== c.storage.storageClassName)
          problems.push(`storage class ${cls}, expected ${c.storage.storageClassName}`);
        const want = parseQuantity(c.storage.size);
        const got = parseQuantity(size);
        if (want !== undefined && (got === undefined || got < want))
          problems.push(`size ${size}, expected at least ${c.storage.size}`);
        if (!sameSet(modes, c.storage.accessModes))
          problems.push(`access modes ${modes.join(',')}, expected ${c.storage.accessModes.join(',')}`);
        const expected = {
          storageClassName: c.storage.storageClassName ?? null,
          size: c.storage.size ?? null,
          accessModes: c.storage.accessModes,
        };
        const actual = { storageClassName: cls, size, accessModes: modes };
        return [
          problems.length === 0
            ? pass(r, `${cls}, ${size}, ${modes.join(',')}`, { expected, actual })
            : fail(r, problems.join('; '), { expected, actual }),
        ];
      });
    },
  },
  {
    code: 'STO003',
    family: 'storage',
    title: 'StorageClass exists and is provisioned by the EBS CSI driver',
    severity: 'critical',
    description:
      'The StorageClass the claims use exists and its provisioner is `ebs.csi.aws.com` (gp3 needs the CSI driver; the legacy in-tree `kubernetes.io/aws-ebs` is a warning).',
    remediation:
      'Install the aws-ebs-csi-driver add-on and create the class: kubectl apply -f gp3-storageclass.yaml (provisioner: ebs.csi.aws.com, parameters.type: gp3).',
    requires: ['k8s.storageClasses'],
    resource: (ctx) => clusterRef('StorageClass', claims(ctx)[0]?.storage.storageClassName ?? 'default'),
    run(ctx) {
      const names = [
        ...new Set(
          claims(ctx)
            .map((c) => c.storage.storageClassName)
            .filter((n): n is string => !!n),
        ),
      ];
      if (names.length === 0)
        return [
          skip(
            clusterRef('StorageClass', 'default'),
            'no StorageClass is named by the values (the cluster default is used)',
          ),
        ];
      return names.map((name) => {
        const r = clusterRef('StorageClass', name);
        const sc = find(ctx.snapshot.kubernetes.storageClasses, name);
        if (!sc) return fail(r, `StorageClass ${name} does not exist`, { expected: EBS_CSI, actual: null });
        const prov = String((sc as { provisioner?: unknown }).provisioner ?? '');
        if (prov === EBS_CSI) return pass(r, `provisioner ${prov}`, { expected: EBS_CSI, actual: prov });
        if (prov === IN_TREE_EBS)
          return fail(r, `provisioner is the legacy in-tree ${prov}`, {
            expected: EBS_CSI,
            actual: prov,
            severity: 'warning',
          });
        return fail(r, `provisioner is ${prov}, not the EBS CSI driver`, { expected: EBS_CSI, actual: prov });
      });
    },
  },
  {
    code: 'STO004',
    family: 'storage',
    title: 'Bound PersistentVolume exists and points back to its claim',
    severity: 'critical',
    description:
      'The PersistentVolume a claim is bound to (`spec.volumeName`) exists, is `Bound`, and its `claimRef` names the claim (a claim bound to a deleted volume looks Bound but has no data behind it).',
    remediation:
      'kubectl describe <object>; if the volume was deleted, restore from an EBS snapshot or delete and recreate the claim (data is lost).',
    requires: ['k8s.persistentVolumeClaims', 'k8s.persistentVolumes'],
    resource: firstRef,
    run(ctx) {
      const cs = claims(ctx);
      if (cs.length === 0) return noClaims(ctx);
      return cs.map((c): Finding => {
        const pvc = pvcOf(ctx, c);
        const volume: string | undefined = pvc?.spec?.volumeName;
        if (!pvc || !volume)
          return skip(pvcRef(ctx, c.storage.pvcName), 'the claim is not bound to a volume (see STO001)');
        const r = clusterRef('PersistentVolume', volume);
        const pv = find(ctx.snapshot.kubernetes.persistentVolumes, volume);
        if (!pv) {
          return fail(r, `claim ${c.storage.pvcName} is bound to volume ${volume}, which does not exist`, {
            expected: 'Bound',
            actual: null,
            remediation: `The volume behind ${c.storage.pvcName} was deleted: restore it from an EBS snapshot, or delete the claim so it is provisioned again (data is lost).`,
          });
        }
        const phase = pv.status?.phase ?? 'Unknown';
        const claimRef = pv.spec?.claimRef;
        const backRef = claimRef?.name === c.storage.pvcName && claimRef?.namespace === ctx.expected.namespace;
        const problems = [
          phase !== 'Bound' ? `volume is ${phase}` : '',
          !backRef ? `its claimRef is ${claimRef ? `${claimRef.namespace}/${claimRef.name}` : 'empty'}` : '',
        ].filter(Boolean);
        return judge(
          problems.length === 0,
          r,
          `Bound to ${ctx.expected.namespace}/${c.storage.pvcName}`,
          problems.join('; '),
          {
            expected: { phase: 'Bound', claim: `${ctx.expected.namespace}/${c.storage.pvcName}` },
            actual: { phase, claim: claimRef ? `${claimRef.namespace}/${claimRef.name}` : null },
          },
        );
      });
    },
  },
];
