/**
 * Work done ahead while a live collection goes on: each check's `prepare` (lib/checks/types.ts)
 * runs once the parts it needs are collected, a turn of the event loop later (answers that arrived
 * with that part are handled first), while the longest chain of reads is still waiting on the
 * network. It only fills caches the checks' runs read; a prepare that throws is ignored here, and
 * its run reports the problem.
 */
import type { Check } from '../checks/types';
import type { ExpectedState } from '../expected/types';
import type { DataKey, Snapshot } from '../snapshot/types';

export type PartListener = (key: DataKey, ok: boolean) => void;

/** The listener to give the collection (LiveSession.collect's `onPart`). */
export function prepareAhead(
  checks: readonly Check[],
  expected: ExpectedState,
  parts: Pick<Snapshot, 'kubernetes' | 'aws'>,
): PartListener {
  const collected = new Set<DataKey>();
  const waiting = checks.filter((c) => c.prepare !== undefined);
  return (key, ok) => {
    // A part read with an error leaves its checks nothing to prepare (they report the error).
    if (!ok) return;
    collected.add(key);
    for (let i = waiting.length - 1; i >= 0; i--) {
      const prepare = waiting[i].prepare!;
      if (!prepare.needs.every((k) => collected.has(k))) continue;
      waiting.splice(i, 1);
      setImmediate(() => {
        try {
          prepare.run(parts, expected);
        } catch {
          // The check's run meets the same problem and reports it.
        }
      });
    }
  };
}
