import { allChecks } from '../../lib/checks';
import { runChecks } from '../../lib/checks/run';
import type { Result } from '../../lib/checks/types';
import type { ExpectedState } from '../../lib/expected/types';
import type { Snapshot } from '../../lib/snapshot/types';
import { labExpected } from './factories/expected';
import { labSnapshot } from './factories/snapshot';

/** Runs one check code on the lab snapshot after `mutate`, returning its results. */
export function runCode(
  code: string,
  mutate: (s: Snapshot, e: ExpectedState) => void = () => {},
  expected = labExpected(),
): Result[] {
  const s = labSnapshot();
  mutate(s, expected);
  const check = allChecks.find((c) => c.code === code);
  if (!check) throw new Error(`no check ${code}`);
  return runChecks([check], expected, s);
}

export function statuses(results: Result[]): string[] {
  return results.map((r) => `${r.status} ${r.resource}`);
}

export function failing(results: Result[]): Result[] {
  return results.filter((r) => r.status === 'fail');
}
