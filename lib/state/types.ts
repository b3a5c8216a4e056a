/**
 * A small key/value store with optimistic concurrency, shared by the webhook (idempotency and
 * heartbeat records) and the verify notifier (last results per cluster). Versions start at 1;
 * `expectedVersion: 0` means "only if absent". A lost race throws ConflictError.
 */
export interface StoredItem<T = unknown> {
  value: T;
  version: number;
  /** Epoch seconds after which the item is gone (TTL). */
  expiresAt?: number;
}

export interface PutOptions {
  /** 0: the key must not exist; n: the stored version must be n; undefined: unconditional. */
  expectedVersion?: number;
  ttlSeconds?: number;
}

export interface StoreHealth {
  ok: boolean;
  /** Why the store cannot be used (no secrets: a path and an error code). */
  reason?: string;
}

export interface StateStore {
  readonly kind: string;
  /** Checks and opens the store up front (a ConfigError says why it cannot be used). */
  open?(): Promise<void>;
  /** Whether the store can be used now (`/healthz`). */
  health?(): StoreHealth;
  /** Finishes pending writes and releases what the store holds (files, locks). */
  close?(): Promise<void>;
  get<T = unknown>(key: string): Promise<StoredItem<T> | undefined>;
  /** Writes and returns the new version. */
  put<T = unknown>(key: string, value: T, opts?: PutOptions): Promise<number>;
}

export class ConflictError extends Error {
  override name = 'ConflictError';
  constructor(readonly key: string) {
    super(`state item ${key} was changed by someone else`);
  }
}

export function expired(item: { expiresAt?: number } | undefined, now = Date.now()): boolean {
  return !!item?.expiresAt && item.expiresAt * 1000 <= now;
}
