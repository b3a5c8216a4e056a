/**
 * prepareAhead: a check's prepare runs once, a turn of the event loop after the last part it needs
 * is collected without an error; never for a part read with an error; a prepare that throws is
 * left for the check's run to report.
 */
import type { Check } from '../../../lib/checks/types';
import type { ExpectedState } from '../../../lib/expected/types';
import type { DataKey, Snapshot } from '../../../lib/snapshot/types';
import { prepareAhead } from '../../../lib/verify/ahead';

const turn = () => new Promise((r) => setImmediate(r));
const parts = { kubernetes: {}, aws: {} } as unknown as Pick<Snapshot, 'kubernetes' | 'aws'>;
const expected = { release: 'kube-prometheus-stack' } as ExpectedState;

function check(code: string, needs: DataKey[] | undefined, run: () => void = () => {}): Check {
  return { code, ...(needs ? { prepare: { needs, run } } : {}) } as unknown as Check;
}

describe('prepareAhead', () => {
  it('prepares a check once, a turn after its last needed part is in', async () => {
    const ran: string[] = [];
    const onPart = prepareAhead(
      [
        check('A', ['k8s.helmReleases'], () => ran.push('A')),
        check('B', ['k8s.helmReleases', 'k8s.deployments'], () => ran.push('B')),
        check('C', undefined),
      ],
      expected,
      parts,
    );
    onPart('k8s.helmReleases', true);
    expect(ran).toEqual([]);
    await turn();
    expect(ran).toEqual(['A']);
    onPart('k8s.deployments', true);
    onPart('k8s.helmReleases', true);
    await turn();
    expect(ran).toEqual(['A', 'B']);
  });

  it('gives its prepare the parts and the expectation', async () => {
    const seen: unknown[] = [];
    const c = { code: 'D', prepare: { needs: ['k8s.helmReleases'], run: (p: unknown, e: unknown) => seen.push(p, e) } };
    prepareAhead([c as unknown as Check], expected, parts)('k8s.helmReleases', true);
    await turn();
    expect(seen).toEqual([parts, expected]);
  });

  it('does not prepare from a part read with an error, and a prepare that throws stops nothing', async () => {
    const ran: string[] = [];
    const onPart = prepareAhead(
      [
        check('E', ['k8s.helmReleases'], () => ran.push('E')),
        check('F', ['aws.rules'], () => {
          throw new Error('bad manifest');
        }),
        check('G', ['aws.rules'], () => ran.push('G')),
      ],
      expected,
      parts,
    );
    onPart('k8s.helmReleases', false);
    onPart('aws.rules', true);
    await turn();
    expect(ran).toEqual(['G']);
  });
});
