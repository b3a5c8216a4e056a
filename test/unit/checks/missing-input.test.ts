/**
 * An input that was not read is never judged: for every part of the snapshot, take away what its
 * collector produced (not collected, or collected with an error) and the checks that need it
 * report `skip` or `error` — never `fail`, never a pass on nothing.
 */
import { allChecks } from '../../../lib/checks';
import { runChecks } from '../../../lib/checks/run';
import {
  DATA_KEYS,
  emptyAwsState,
  emptyKubernetesState,
  type DataKey,
  type Snapshot,
} from '../../../lib/snapshot/types';
import { labExpected } from '../../support/factories/expected';
import { withProbes } from '../../support/factories/runtime';
import { labSnapshot } from '../../support/factories/snapshot';

function everything(): Snapshot {
  const s = labSnapshot();
  withProbes()(s);
  s.heartbeat = { lastSeenAt: s.collectedAt };
  s.collected.push('heartbeat');
  return s;
}

/** The snapshot as if the collector of `key` had produced nothing. */
function without(key: DataKey): Snapshot {
  const s = everything();
  const [side, part] = key.split('.') as [string, string | undefined];
  if (side === 'k8s')
    (s.kubernetes as unknown as Record<string, unknown>)[part!] = emptyKubernetesState()[part as 'nodes'];
  else if (side === 'aws') (s.aws as unknown as Record<string, unknown>)[part!] = emptyAwsState()[part as 'listeners'];
  else if (side === 'runtime') delete (s.runtime as Record<string, unknown>)[part!];
  else delete s.heartbeat;
  return s;
}

const needing = (key: DataKey) => allChecks.filter((c) => c.requires.includes(key));
// The lab disables Alertmanager and its default rules: HRT001 does not apply whatever is read.
const applicable = (key: DataKey) => needing(key).filter((c) => !c.notApplicable?.({ expected: labExpected() }));

describe('a missing input is never a fail', () => {
  it.each(DATA_KEYS.filter((k) => needing(k).length > 0))(
    '%s not collected: its checks are skipped, saying why',
    (key) => {
      const s = without(key);
      s.collected = s.collected.filter((k) => k !== key);
      const results = runChecks(needing(key), labExpected(), s);
      expect(results.length).toBeGreaterThan(0);
      for (const c of applicable(key)) {
        const mine = results.filter((r) => r.code === c.code);
        expect(mine).toEqual([expect.objectContaining({ status: 'skip', message: expect.stringContaining('not') })]);
      }
    },
  );

  it.each(DATA_KEYS.filter((k) => needing(k).length > 0))(
    '%s failed to collect: its checks report the failed call',
    (key) => {
      const s = without(key);
      s.errors.push({
        source: 'kubernetes',
        call: `read ${key}`,
        affects: [key],
        message: 'connection reset',
        code: 'ECONNRESET',
      });
      const results = runChecks(needing(key), labExpected(), s);
      for (const c of applicable(key)) {
        const mine = results.filter((r) => r.code === c.code);
        expect(mine).toEqual([
          expect.objectContaining({
            status: 'error',
            message: expect.stringContaining(`read ${key} failed: connection reset`),
          }),
        ]);
      }
      expect(results.filter((r) => r.status === 'fail')).toEqual([]);
    },
  );
});
