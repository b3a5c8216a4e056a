/**
 * eligibleNodes (lib/checks/workloads.ts) walks the nodeSelector and taints without copies; it
 * must pick exactly the nodes the plain filter/every/some form picks (the form it replaced, kept
 * here as the model) for any DaemonSet and nodes, nodeSelector keys such as __proto__ included.
 */
import fc from 'fast-check';
import { eligibleNodes, tolerates } from '../../../lib/checks/workloads';
import type { K8sObject } from '../../../lib/snapshot/types';

function model(ds: K8sObject, nodes: readonly K8sObject[]): K8sObject[] {
  const tolerations = ds.spec?.template?.spec?.tolerations ?? [];
  const selector: Record<string, string> = ds.spec?.template?.spec?.nodeSelector ?? {};
  return nodes.filter((n) => {
    if (n.spec?.unschedulable) return false;
    const labels = n.metadata.labels ?? {};
    if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) return false;
    return (n.spec?.taints ?? [])
      .filter((t: { effect: string }) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')
      .every((taint: never) => tolerations.some((tol: never) => tolerates(tol, taint)));
  });
}

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const key = fc.constantFrom('a', 'b', 'c');
const labels = fc.dictionary(fc.constantFrom('a', 'b', '__proto__', 'constructor'), fc.constantFrom('1', '2'), {
  maxKeys: 3,
});
const toleration = fc.record(
  {
    key: opt(key),
    operator: opt(fc.constantFrom('Equal', 'Exists')),
    value: opt(fc.constantFrom('1', '2', '')),
    effect: opt(fc.constantFrom('NoSchedule', 'NoExecute', 'PreferNoSchedule')),
  },
  { requiredKeys: [] },
);
const taint = fc.record(
  {
    key,
    value: opt(fc.constantFrom('1', '2', '')),
    effect: fc.constantFrom('NoSchedule', 'NoExecute', 'PreferNoSchedule', ''),
  },
  { requiredKeys: ['key', 'effect'] },
);
const node = fc.record({
  metadata: fc.record({ name: fc.string({ maxLength: 3 }), labels: opt(labels) }),
  spec: opt(
    fc.record(
      { unschedulable: opt(fc.boolean()), taints: opt(fc.array(taint, { maxLength: 3 })) },
      { requiredKeys: [] },
    ),
  ),
});
const daemonSet = fc.record({
  spec: opt(
    fc.record({
      template: fc.record({
        spec: fc.record(
          {
            tolerations: opt(fc.array(toleration, { maxLength: 3 })),
            nodeSelector: fc.option(labels, { nil: null }),
          },
          { requiredKeys: [] },
        ),
      }),
    }),
  ),
});

describe('eligibleNodes', () => {
  it('picks the nodes the filter/every/some model picks', () => {
    fc.assert(
      fc.property(daemonSet, fc.array(node, { maxLength: 6 }), (ds, nodes) => {
        const d = ds as unknown as K8sObject;
        const n = nodes as unknown as K8sObject[];
        expect(eligibleNodes(d, n)).toEqual(model(d, n));
      }),
      { numRuns: 5000 },
    );
  });
});
