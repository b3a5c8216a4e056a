/** Storage, left to right: the claims workloads mount → the volumes bound to them → storage classes. */
import type { KubernetesState } from '../../snapshot/types';
import { objectId, type TopologyGraph } from './graph';
import { workloadsOf } from './workloads';

export function addStorage(g: TopologyGraph, k: KubernetesState): void {
  addClaims(g, k);
  for (const pv of k.persistentVolumes) {
    g.addObject('volumes', 'PersistentVolume', pv, `${pv.metadata.name} (${pv.status?.phase ?? '?'})`);
  }
  for (const sc of k.storageClasses) {
    const provisioner = String((sc as { provisioner?: unknown }).provisioner ?? '?');
    g.addObject('storage classes', 'StorageClass', sc, `${sc.metadata.name} (${provisioner})`);
  }
  bindClaims(g, k);
}

/** Claims, linked from the workloads that mount them (a StatefulSet's templates make one per replica). */
function addClaims(g: TopologyGraph, k: KubernetesState): void {
  for (const pvc of k.persistentVolumeClaims) {
    g.addObject('claims', 'PersistentVolumeClaim', pvc, `${pvc.metadata.name} (${pvc.status?.phase ?? '?'})`);
  }
  for (const [kind, w] of workloadsOf(k)) {
    const wid = objectId(kind, w);
    for (const v of w.spec?.template?.spec?.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      if (typeof claim === 'string') g.link(wid, `PersistentVolumeClaim/${w.metadata.namespace}/${claim}`);
    }
    if (kind === 'StatefulSet') {
      const replicas = Number(w.spec?.replicas ?? 1);
      for (const t of w.spec?.volumeClaimTemplates ?? []) {
        for (let i = 0; i < Math.max(1, replicas); i++) {
          g.link(wid, `PersistentVolumeClaim/${w.metadata.namespace}/${t.metadata?.name}-${w.metadata.name}-${i}`);
        }
      }
    }
  }
}

/** A claim → the volume bound to it, or else → the class it requests; a volume → its class. */
function bindClaims(g: TopologyGraph, k: KubernetesState): void {
  for (const pvc of k.persistentVolumeClaims) {
    const id = objectId('PersistentVolumeClaim', pvc);
    const vol = pvc.spec?.volumeName;
    if (typeof vol === 'string' && g.has(`PersistentVolume/${vol}`)) g.link(id, `PersistentVolume/${vol}`, 'bound');
    else if (typeof pvc.spec?.storageClassName === 'string')
      g.link(id, `StorageClass/${pvc.spec.storageClassName}`, 'requests', true);
  }
  for (const pv of k.persistentVolumes) {
    if (typeof pv.spec?.storageClassName === 'string')
      g.link(objectId('PersistentVolume', pv), `StorageClass/${pv.spec.storageClassName}`);
  }
}
