import { ConflictError, expired, type PutOptions, type StateStore, type StoredItem } from './types';

export class MemoryStore implements StateStore {
  readonly kind = 'memory';
  private readonly items = new Map<string, StoredItem>();

  async get<T>(key: string): Promise<StoredItem<T> | undefined> {
    const item = this.items.get(key);
    if (!item || expired(item)) return undefined;
    return structuredClone(item) as StoredItem<T>;
  }

  async put<T>(key: string, value: T, opts: PutOptions = {}): Promise<number> {
    const current = await this.get(key);
    const have = current?.version ?? 0;
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== have) throw new ConflictError(key);
    const version = have + 1;
    this.items.set(key, {
      value: structuredClone(value),
      version,
      ...(opts.ttlSeconds ? { expiresAt: Math.floor(Date.now() / 1000) + opts.ttlSeconds } : {}),
    });
    return version;
  }
}
