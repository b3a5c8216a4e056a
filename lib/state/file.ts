/** A JSON file store for the CLI (`--state FILE`): read-modify-write with an atomic rename. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../errors';
import { ConflictError, expired, type PutOptions, type StateStore, type StoredItem } from './types';

export class FileStore implements StateStore {
  readonly kind = 'file';
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  private read(): Record<string, StoredItem> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return {};
      throw new ConfigError(`--state ${this.path}: cannot read: ${(err as Error).message}`, this.path);
    }
    try {
      const doc = JSON.parse(text) as unknown;
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('not an object');
      return doc as Record<string, StoredItem>;
    } catch (err) {
      throw new ConfigError(`--state ${this.path}: not a stackcheck state file (${(err as Error).message})`, this.path);
    }
  }

  private write(doc: Record<string, StoredItem>): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`);
    renameSync(tmp, this.path);
  }

  async get<T>(key: string): Promise<StoredItem<T> | undefined> {
    const item = this.read()[key];
    return item && !expired(item) ? (item as StoredItem<T>) : undefined;
  }

  put<T>(key: string, value: T, opts: PutOptions = {}): Promise<number> {
    // Serialise writers of this process; the rename keeps readers from seeing half a file.
    const run = this.queue.then(() => {
      const doc = this.read();
      const cur = doc[key] && !expired(doc[key]) ? doc[key] : undefined;
      const have = cur?.version ?? 0;
      if (opts.expectedVersion !== undefined && opts.expectedVersion !== have) throw new ConflictError(key);
      const version = have + 1;
      doc[key] = {
        value,
        version,
        ...(opts.ttlSeconds ? { expiresAt: Math.floor(Date.now() / 1000) + opts.ttlSeconds } : {}),
      };
      for (const [k, item] of Object.entries(doc)) if (expired(item)) delete doc[k];
      this.write(doc);
      return version;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
