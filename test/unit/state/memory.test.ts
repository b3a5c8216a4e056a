import { MemoryStore } from '../../../lib/state/memory';
import { ConflictError } from '../../../lib/state/types';

describe('MemoryStore', () => {
  it('hides an item once its TTL has passed and starts its version again', async () => {
    let now = 1_000_000_000_000;
    const s = new MemoryStore(() => now);
    expect(await s.put('k', 'v', { ttlSeconds: 60 })).toBe(1);
    now += 59_000;
    expect(await s.get('k')).toMatchObject({ value: 'v', version: 1 });
    now += 1_000;
    expect(await s.get('k')).toBeUndefined();
    await expect(s.put('k', 'w', { expectedVersion: 1 })).rejects.toThrow(ConflictError);
    expect(await s.put('k', 'w', { expectedVersion: 0 })).toBe(1);
  });

  it('removes expired items on a later write, so memory stays bounded', async () => {
    let now = 1_000_000_000_000;
    const s = new MemoryStore(() => now);
    for (let i = 0; i < 1000; i++) await s.put(`delivery/${i}`, { sent: true }, { ttlSeconds: 3600 });
    await s.put('state/keep', { forever: true });
    expect(s.size).toBe(1001);
    now += 3600_000;
    await s.put('delivery/new', { sent: true }, { ttlSeconds: 3600 });
    expect(s.size).toBe(2);
    expect(await s.get('state/keep')).toMatchObject({ value: { forever: true } });
    expect(await s.get('delivery/new')).toMatchObject({ version: 1 });
  });

  it('sweeps at most once a minute (writes stay cheap)', async () => {
    let now = 1_000_000_000_000;
    const s = new MemoryStore(() => now);
    await s.put('a', 1, { ttlSeconds: 1 });
    now += 30_000;
    await s.put('b', 2);
    expect(s.size).toBe(2); // 'a' expired, but no sweep within the minute
    expect(await s.get('a')).toBeUndefined();
    now += 30_000;
    await s.put('c', 3);
    expect(s.size).toBe(2);
  });

  it('keeps its own copies: what is put or got can be changed without changing what is stored', async () => {
    const s = new MemoryStore();
    const flat = { state: 'sent', at: '2026-11-24T10:00:00.000Z', n: 1, gone: undefined };
    const nested = { results: [{ id: 'WRK008', ok: false }], at: new Date(0) };
    await s.put('flat', flat, { ttlSeconds: 60 });
    await s.put('nested', nested);
    flat.state = 'changed';
    nested.results[0].ok = true;
    const got = await s.get<typeof flat>('flat');
    expect(got).toEqual({
      value: { state: 'sent', at: '2026-11-24T10:00:00.000Z', n: 1, gone: undefined },
      version: 1,
      expiresAt: expect.any(Number),
    });
    expect(Object.keys(got!.value)).toEqual(['state', 'at', 'n', 'gone']);
    got!.value.state = 'changed too';
    expect((await s.get<typeof flat>('flat'))!.value.state).toBe('sent');
    const n = await s.get<typeof nested>('nested');
    expect(n).toEqual({ value: { results: [{ id: 'WRK008', ok: false }], at: new Date(0) }, version: 1 });
    n!.value.results[0].ok = true;
    expect((await s.get<typeof nested>('nested'))!.value.results[0].ok).toBe(false);
  });

  it('refuses what structuredClone cannot copy, as before', async () => {
    const s = new MemoryStore();
    await expect(s.put('f', { send: () => {} })).rejects.toThrow(/could not be cloned/);
    await expect(s.put('sym', { s: Symbol('x') })).rejects.toThrow(/could not be cloned/);
    expect(await s.get('f')).toBeUndefined();
  });
});
