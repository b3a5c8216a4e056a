import { Metrics } from '@aws-lambda-powertools/metrics';
import { cloudWatchMetrics } from '../../../lib/alertmanager/lambda';
import { handleWebhook } from '../../../lib/alertmanager/handler';
import { MemoryStore } from '../../../lib/state/memory';
import { amPayload } from './payloads';

describe('webhook Lambda: delivery metrics through Powertools (EMF)', () => {
  const realWrite = process.stdout.write.bind(process.stdout);
  let lines: string[] = [];
  beforeEach(() => {
    lines = [];
    process.stdout.write = ((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
  });
  afterEach(() => {
    process.stdout.write = realWrite;
  });

  it('emits deliveries by destination and result, and duplicates suppressed', async () => {
    const metrics = cloudWatchMetrics(new Metrics({ namespace: 'stackcheck-test', serviceName: 'stackcheck-webhook' }));
    const deps = {
      store: new MemoryStore(),
      token: async () => 't',
      slackUrl: () => 'https://hooks.slack.com/services/T/B/secret',
      postSlack: async () => {},
      defaultCluster: 'myeks',
      maxBodyBytes: 1 << 20,
      metrics,
    };
    const req = { method: 'POST', path: '/alertmanager', headers: { authorization: 'Bearer t' } };
    const body = Buffer.from(JSON.stringify(amPayload()));
    await handleWebhook({ ...req, body }, deps);
    await handleWebhook({ ...req, body }, deps);
    const emf = lines
      .join('')
      .split('\n')
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const deliveries = emf.filter((e) => 'deliveries' in e);
    expect(deliveries.map((e) => [e.destination, e.result, e.deliveries])).toEqual([
      ['slack', 'sent', 1],
      ['slack', 'duplicate', 1],
    ]);
    expect(emf.filter((e) => e.duplicates_suppressed === 1)).toHaveLength(1);
    expect(JSON.stringify(emf)).not.toContain('secret');
    expect(
      (deliveries[0]._aws as { CloudWatchMetrics: Array<{ Namespace: string }> }).CloudWatchMetrics[0].Namespace,
    ).toBe('stackcheck-test');
  });
});
