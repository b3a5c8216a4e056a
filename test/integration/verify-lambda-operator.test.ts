/**
 * The verify Lambda's operator features with a stand-in live session (the snapshot examples): the
 * `cluster` dimension of its metrics, `{"wait": SECONDS}` bounded by the remaining time,
 * `{"failOn": "never"}`, and the mutes of CONFIG_FILE.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { createVerifyHandler } from '../../functions/verify';
import type { LiveSession } from '../../lib/collect';
import type { Snapshot } from '../../lib/snapshot/types';
import { MemoryStore } from '../../lib/state/memory';
import { driftedExample, healthyExample } from '../../scripts/make-examples';

const output: string[] = [];
const realWrite = process.stdout.write.bind(process.stdout);
beforeAll(() => {
  process.stdout.write = ((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
});
afterAll(() => {
  process.stdout.write = realWrite;
});
beforeEach(() => {
  output.length = 0;
});

function handler(snapshots: Snapshot[], env: Record<string, string> = {}) {
  let calls = 0;
  // A stand-in live session per attempt, serving the next recorded snapshot.
  const openSession = (): LiveSession => {
    const snap = snapshots[Math.min(calls++, snapshots.length - 1)];
    return { cluster: snap.cluster, parts: snap, collect: async () => {}, snapshot: () => snap };
  };
  const h = createVerifyHandler({
    env: { CLUSTER_NAME: 'myeks', SKIP_FAMILIES: '["prometheus","grafana","heartbeat"]', ...env },
    store: () => new MemoryStore(),
    openSession,
    logger: new Logger({ serviceName: 'stackcheck-verify' }),
    metrics: new Metrics({ namespace: 'stackcheck-test', serviceName: 'stackcheck-verify' }),
  });
  return { h, calls: () => calls };
}

const context = (remainingMs: number) =>
  ({
    awsRequestId: 'req-op',
    functionName: 'verify',
    getRemainingTimeInMillis: () => remainingMs,
  }) as unknown as Context;

const emf = () =>
  output
    .join('')
    .split('\n')
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l));

describe('verify Lambda: operator features', () => {
  it('its metrics carry a cluster dimension', async () => {
    const { h } = handler([healthyExample()]);
    await h({ notify: 'never' }, context(60_000));
    const [doc] = emf();
    expect(doc.cluster).toBe('myeks');
    expect(doc._aws.CloudWatchMetrics[0].Dimensions[0]).toEqual(expect.arrayContaining(['cluster', 'service']));
    expect(doc._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name)).toContain('failing_critical');
  });

  it('{"wait": 60} re-collects until nothing fails at failOn; the result is the last attempt', async () => {
    const { h, calls } = handler([driftedExample(), healthyExample()]);
    const out = await h({ wait: 60, notify: 'never' }, context(120_000));
    expect(calls()).toBe(2);
    expect(out.outcome).toBe('pass');
    expect(output.join('')).toContain('wait: attempt 1: 6 still failing');
    expect(output.join('')).toContain('wait: attempt 2: nothing failing');
  }, 20_000);

  it('{"wait": 300} is bounded by the remaining time: no attempt starts in the last 20 s', async () => {
    const { h, calls } = handler([driftedExample(), healthyExample()]);
    const out = await h({ wait: 300, notify: 'never' }, context(20_000));
    expect(calls()).toBe(1);
    expect(out.outcome).toBe('fail');
    expect(output.join('')).toContain('deadline reached, giving up');
  });

  it('{"failOn": "never"} reports without failing; a bad wait is refused', async () => {
    const { h } = handler([driftedExample()]);
    const out = await h({ failOn: 'never', notify: 'never' }, context(60_000));
    expect(out.outcome).toBe('pass');
    expect(out.failing.length).toBe(7);
    await expect(h({ wait: -1 }, context(60_000))).rejects.toThrow(
      'payload.wait must be a number of seconds from 0 to 900',
    );
  });

  it('CONFIG_FILE: its mutes apply (a muted result is not in `failing`), its failOn is the default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackcheck-lambda-config-'));
    writeFileSync(
      join(dir, 'stackcheck.yaml'),
      'verify:\n  failOn: warning\nmutes:\n  - code: WRK008\n    reason: lab values set no externalUrl\n',
    );
    const { h } = handler([healthyExample()], { CONFIG_FILE: join(dir, 'stackcheck.yaml') });
    const out = await h({ notify: 'never' }, context(60_000));
    expect(out.outcome).toBe('pass');
    expect(out.summary).toMatchObject({ fail: 0, muted: 1 });
    expect(out.failing).toEqual([]);
    const bad = handler([healthyExample()], { CONFIG_FILE: join(dir, 'missing.yaml') });
    await expect(bad.h({}, context(60_000))).rejects.toThrow(/missing\.yaml: cannot read it/);
  });
});
