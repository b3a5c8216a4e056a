/** The state stores against real backends: a JSON file, and DynamoDB (dynalite on loopback). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createStateTable, startDynalite } from '../support/fakes/dynamodb';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoStore } from '../../lib/state/dynamodb';
import { FileStore } from '../../lib/state/file';
import { ConflictError, type StateStore } from '../../lib/state/types';

let ddb: { endpoint: string; stop(): Promise<void> };
let client: DynamoDBClient;

beforeAll(async () => {
  ddb = await startDynalite();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.endpoint;
  client = new DynamoDBClient({
    region: 'ap-northeast-2',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
  });
  await createStateTable(client);
});
afterAll(async () => {
  client.destroy();
  delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
  await ddb.stop();
});

const stores: Array<[string, () => StateStore]> = [
  ['dynamodb (dynalite)', () => new DynamoStore('stackcheck-state', client)],
  ['file', () => new FileStore(join(mkdtempSync(join(tmpdir(), 'stackcheck-state-')), 'state.json'))],
];

describe.each(stores)('state store: %s', (_name, make) => {
  it('round-trips values with versions', async () => {
    const s = make();
    expect(await s.get('k1')).toBeUndefined();
    expect(await s.put('k1', { a: 1 })).toBe(1);
    expect(await s.put('k1', { a: 2 }, { expectedVersion: 1 })).toBe(2);
    expect(await s.get('k1')).toMatchObject({ value: { a: 2 }, version: 2 });
  });

  it('rejects a write with a stale version (conditional write)', async () => {
    const s = make();
    await s.put('k2', 'first', { expectedVersion: 0 });
    await expect(s.put('k2', 'again', { expectedVersion: 0 })).rejects.toThrow(ConflictError);
    await expect(s.put('k2', 'stale', { expectedVersion: 7 })).rejects.toThrow(ConflictError);
  });

  it('lets exactly one of two overlapping writers win', async () => {
    const s = make();
    const v = await s.put('k3', { n: 0 });
    const results = await Promise.allSettled([
      s.put('k3', { n: 'a' }, { expectedVersion: v }),
      s.put('k3', { n: 'b' }, { expectedVersion: v }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ConflictError)).toHaveLength(1);
  });

  it('treats expired items as absent', async () => {
    const s = make();
    await s.put('k4', 'x', { ttlSeconds: -1 });
    expect(await s.get('k4')).toBeUndefined();
    expect(await s.put('k4', 'y', { expectedVersion: 0 })).toBe(1);
  });
});
