import { ConflictError, expired, type PutOptions, type StateStore, type StoredItem } from './types';

/** How often (at most) a write sweeps out expired items: amortised O(1) puts, bounded memory. */
const SWEEP_EVERY_MS = 60_000;

/**
 * A copy as `structuredClone` makes it. The records of the webhook are flat objects of strings and
 * numbers: those are copied member by member, without the serializer; anything else (nested
 * values, arrays, other prototypes, values it cannot clone) goes to `structuredClone` itself.
 */
function copy<T>(v: T): T {
  if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (typeof x === 'object' ? x !== null : typeof x === 'function' || typeof x === 'symbol')
      return structuredClone(v);
    out[k] = x;
  }
  return out as T;
}

/**
 * State in this process (`stackcheck serve` without --state, tests). Items past their TTL are
 * invisible at once and removed by a sweep on a later write, as DynamoDB's TTL removes them, so a
 * long-running `serve` does not keep a week of delivery records for every notification forever.
 */
export class MemoryStore implements StateStore {
  readonly kind = 'memory';
  private readonly items = new Map<string, StoredItem>();
  private lastSweep: number;

  constructor(private readonly now: () => number = Date.now) {
    this.lastSweep = now();
  }

  /** Items held, expired or not (for tests and the soak run). */
  get size(): number {
    return this.items.size;
  }

  async get<T>(key: string): Promise<StoredItem<T> | undefined> {
    const item = this.items.get(key);
    if (!item || expired(item, this.now())) return undefined;
    const out: StoredItem<T> = { value: copy(item.value) as T, version: item.version };
    if (item.expiresAt !== undefined) out.expiresAt = item.expiresAt;
    return out;
  }

  async put<T>(key: string, value: T, opts: PutOptions = {}): Promise<number> {
    const now = this.now();
    if (now - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = now;
      for (const [k, item] of this.items) if (expired(item, now)) this.items.delete(k);
    }
    // The current version only: no copy of the current value is needed to compare it.
    const current = this.items.get(key);
    const have = current && !expired(current, now) ? current.version : 0;
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== have) throw new ConflictError(key);
    const version = have + 1;
    const item: StoredItem = { value: copy(value), version };
    if (opts.ttlSeconds) item.expiresAt = Math.floor(now / 1000) + opts.ttlSeconds;
    this.items.set(key, item);
    return version;
  }
}
