/**
 * The pod list's faults when the API server answers in protobuf: each is an error result for
 * that list alone (the protobuf Status or the cut body read), the other results stand, and a
 * clearing throttle or 5xx is retried to a full list.
 */
import { allChecks } from '../../lib/checks';
import { runChecks } from '../../lib/checks/run';
import { FAMILIES } from '../../lib/checks/types';
import { collectLive } from '../../lib/collect';
import { planFor } from '../../lib/verify/plan';
import type { Fault } from '../support/fakes/faults';
import { labExpected } from '../support/factories/expected';
import { LAB_HINTS, startLabFakes, useEnv, type LabFakes } from '../support/fakes/lab';

const TARGET = { mode: 'eks' as const, cluster: 'myeks', region: 'ap-northeast-2' };
const OPTS = {
  inputs: planFor(FAMILIES.filter((f) => !['prometheus', 'grafana', 'heartbeat'].includes(f))).inputs,
  callTimeoutMs: 700,
};
const CALL = 'list pods (monitoring)';

let lab: LabFakes;
let restore: () => void;
beforeAll(async () => {
  lab = await startLabFakes();
  restore = useEnv(lab.env);
});
afterAll(async () => {
  restore();
  await lab.stop();
});
afterEach(() => lab.kube.faults.clear());

describe('the pod list in protobuf: faults', () => {
  it.each<[string, Fault, RegExp]>([
    ['malformed (a body cut inside its list)', { kind: 'malformed' }, /the protobuf answer cannot be read/],
    ['500 Status', { kind: 'error500' }, /etcdserver: request timed out/],
    ['401 Status', { kind: 'unauthorized' }, /Unauthorized/],
    ['hang', { kind: 'hang' }, /timed out/],
  ])(
    '%s is an error result for the pod list only',
    async (_name, fault, message) => {
      lab.kube.requests.length = 0;
      lab.kube.faults.set('list pods', fault);
      const s = await collectLive(TARGET, LAB_HINTS, OPTS);
      expect(s.errors.map((e) => e.call)).toEqual([CALL]);
      expect(s.errors[0].message).toMatch(message);
      // The other lists of pods and nodes were read in protobuf: the fake negotiated it for this one too.
      const nodes = lab.kube.requests.filter((r) => r.path === '/api/v1/nodes');
      expect(nodes.map((r) => r.contentType)).toEqual(['application/vnd.kubernetes.protobuf']);
      const results = runChecks(allChecks, labExpected(), s);
      expect(results.find((r) => r.code === 'ALB003')?.status).toBe('pass');
    },
    20_000,
  );

  it('a 5xx that clears is retried to the same pods as without a fault', async () => {
    const clean = await collectLive(TARGET, LAB_HINTS, OPTS);
    lab.kube.faults.set('list pods', { kind: 'error500', times: 1 });
    const s = await collectLive(TARGET, LAB_HINTS, OPTS);
    expect(s.errors).toEqual([]);
    expect(s.kubernetes.pods).toEqual(clean.kubernetes.pods);
  }, 20_000);
});
