/**
 * A check reads only what it declares: the plan collects exactly the selected checks' `requires`
 * and `uses`, so a part read but not declared would be judged empty on a live run (the false
 * HELM101 alarms came from that). Every part a check touches is recorded through proxies.
 */
import { allChecks } from '../../../lib/checks';
import type { CheckContext } from '../../../lib/checks/types';
import type { DataKey, Snapshot } from '../../../lib/snapshot/types';
import { labExpected } from '../../support/factories/expected';
import { labSnapshot } from '../../support/factories/snapshot';
import { driftedExample } from '../../../scripts/make-examples';
import { withProbes } from '../../support/factories/runtime';

function recording(snapshot: Snapshot, read: Set<DataKey>): Snapshot {
  const part = <T extends object>(obj: T, prefix: 'k8s' | 'aws' | 'runtime'): T =>
    new Proxy(obj, {
      get(target, prop, receiver) {
        if (typeof prop === 'string') read.add(`${prefix}.${prop}` as DataKey);
        return Reflect.get(target, prop, receiver);
      },
    });
  return new Proxy(snapshot, {
    get(target, prop, receiver) {
      if (prop === 'kubernetes') return part(target.kubernetes, 'k8s');
      if (prop === 'aws') return part(target.aws, 'aws');
      if (prop === 'runtime') return part(target.runtime, 'runtime');
      if (prop === 'heartbeat') read.add('heartbeat');
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** The lab with recorded Prometheus/Grafana answers and a heartbeat: every part a check can read. */
const everything = (): Snapshot => {
  const s = labSnapshot();
  withProbes()(s);
  s.heartbeat = { lastSeenAt: s.collectedAt };
  s.collected.push('heartbeat');
  return s;
};

describe('checks declare what they read', () => {
  const cases: Array<[string, () => Snapshot]> = [
    ['the healthy lab with probes and heartbeat', everything],
    ['the drifted example', () => driftedExample()],
  ];
  for (const [name, make] of cases) {
    it.each(allChecks.map((c) => [c.code, c] as const))(
      `%s reads only its requires/uses on ${name}`,
      (_code, check) => {
        const read = new Set<DataKey>();
        const ctx: CheckContext = { expected: labExpected(), snapshot: recording(make(), read), now: new Date() };
        check.run(ctx);
        check.resource(ctx);
        const declared = new Set([...check.requires, ...(check.uses ?? [])]);
        expect([...read].filter((k) => !declared.has(k))).toEqual([]);
      },
    );
  }
});
