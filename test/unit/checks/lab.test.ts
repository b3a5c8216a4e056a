import { allChecks } from '../../../lib/checks';
import { runChecks } from '../../../lib/checks/run';
import { labExpected } from '../../support/factories/expected';
import { labSnapshot } from '../../support/factories/snapshot';

describe('checks: the lab stack, healthy', () => {
  it('passes every check that applies and skips the disabled components, saying why', () => {
    const results = runChecks(allChecks, labExpected(), labSnapshot());
    const notOk = results.filter((r) => r.status === 'fail' || r.status === 'error');
    // The lab's values leave prometheusSpec.externalUrl unset, so chart 45.27.2 renders an http://
    // external URL behind an HTTPS-only ALB: the one (warning) finding on the healthy lab.
    expect(notOk.map((r) => `${r.code} ${r.severity}`)).toEqual(['WRK008 warning']);
    const skipped = results.filter((r) => r.status === 'skip').map((r) => `${r.code} ${r.message}`);
    // Alertmanager is disabled by the lab values; heartbeat/runtime families need inputs this snapshot lacks.
    expect(skipped.some((s) => s.startsWith('WRK009') && /alertmanager.enabled is false/.test(s))).toBe(true);
    expect(results.filter((r) => r.status === 'pass').length).toBeGreaterThan(40);
  });

  it('gives every result a resource in the contract form', () => {
    for (const r of runChecks(allChecks, labExpected(), labSnapshot())) {
      expect(r.resource).toMatch(/^(arn:aws:[a-z0-9-]+:|[A-Z][A-Za-z]+\/)/);
    }
  });
});
