/**
 * Every collector, keyed by the snapshot part it produces: the one place a new Kubernetes or AWS
 * read goes. Asserted at load: exactly one collector per part, and every `needs` is a part.
 */
import { DATA_KEYS, type DataKey } from '../snapshot/types';
import { acmCollectors } from './acm';
import { elbv2Collectors } from './elbv2';
import { heartbeatCollectors } from './heartbeat';
import { kubernetesCollectors } from './kubernetes';
import { runtimeCollectors } from './runtime';
import type { Collector } from './types';

function byKey(collectors: Collector[]): Record<DataKey, Collector> {
  const out = {} as Record<DataKey, Collector>;
  for (const c of collectors) {
    if (out[c.key]) throw new Error(`two collectors produce ${c.key}`);
    out[c.key] = c;
  }
  for (const k of DATA_KEYS) if (!out[k]) throw new Error(`no collector produces ${k}`);
  for (const c of collectors)
    for (const n of c.needs ?? []) if (!out[n]) throw new Error(`collector of ${c.key} needs unknown part ${n}`);
  return out;
}

export const COLLECTORS: Readonly<Record<DataKey, Collector>> = byKey([
  ...kubernetesCollectors,
  ...elbv2Collectors,
  ...acmCollectors,
  ...runtimeCollectors,
  ...heartbeatCollectors,
]);

/** The parts to collect for `inputs`: the inputs and, transitively, what their collectors need. */
export function withNeeds(inputs: Iterable<DataKey>): Set<DataKey> {
  const out = new Set<DataKey>();
  const add = (k: DataKey) => {
    if (out.has(k)) return;
    out.add(k);
    for (const n of COLLECTORS[k].needs ?? []) add(n);
  };
  for (const k of inputs) add(k);
  return out;
}
