import type { Result } from '../../lib/checks/types';
import { describeAttempt, untilPassing, type Attempt } from '../../lib/wait';

const failingResult = (code: string): Result => ({
  code,
  check: 'workloads',
  title: 't',
  status: 'fail',
  severity: 'critical',
  resource: 'Deployment/monitoring/kube-prometheus-stack-grafana',
  message: 'm',
});

/** A fake clock: sleeping advances it, nothing really waits. */
function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, sleep: async (ms: number) => void (t += ms), advance: (ms: number) => (t += ms) };
}

describe('--wait: re-check until nothing fails or the deadline', () => {
  it('stops at the first passing attempt, backing off 2s, 4s between attempts', async () => {
    const c = clock();
    const seen: Array<Attempt<number>> = [];
    const { outcome, attempts } = await untilPassing(async (n) => n, {
      deadline: c.now() + 60_000,
      failing: (n) => (n < 3 ? [failingResult('WRK004')] : []),
      onAttempt: (a) => seen.push(a),
      ...c,
    });
    expect({ outcome, attempts }).toEqual({ outcome: 3, attempts: 3 });
    expect(seen.map((a) => a.nextInMs)).toEqual([2_000, 4_000, undefined]);
    expect(describeAttempt(seen[0])).toBe(
      'wait: attempt 1: 1 still failing (WRK004 Deployment/monitoring/kube-prometheus-stack-grafana); next attempt in 2s',
    );
    expect(describeAttempt(seen[2])).toBe('wait: attempt 3: nothing failing');
  });

  it('gives up at the deadline with the last outcome; the last sleep is cut to the time left', async () => {
    const c = clock();
    const seen: number[] = [];
    const { outcome, attempts } = await untilPassing(
      async (n) => {
        c.advance(500); // each attempt takes time
        return n;
      },
      {
        deadline: c.now() + 10_000,
        failing: () => [failingResult('WRK004')],
        onAttempt: (a) => seen.push(a.nextInMs ?? -1),
        maxDelayMs: 4_000,
        ...c,
      },
    );
    // t=0.5 → sleep 2 → t=3 → sleep 4 → t=7.5 → sleep 2.5 (cut to the time left) → t=10.5: past the deadline.
    expect(seen).toEqual([2_000, 4_000, 2_500, -1]);
    expect({ outcome, attempts }).toEqual({ outcome: 4, attempts: 4 });
  });

  it('runs once when the first attempt passes or the deadline is already past', async () => {
    const c = clock();
    expect(await untilPassing(async () => 'ok', { deadline: c.now() + 1000, failing: () => [], ...c })).toEqual({
      outcome: 'ok',
      attempts: 1,
    });
    expect(
      await untilPassing(async () => 'bad', { deadline: c.now(), failing: () => [failingResult('X001')], ...c }),
    ).toEqual({ outcome: 'bad', attempts: 1 });
  });
});
