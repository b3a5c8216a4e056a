/**
 * A file store for the CLI and `stackcheck serve` (`--state FILE`). The items live in memory; the
 * file is an append log written behind them, off the request path:
 *
 *   {"stackcheck":"state-log","version":1}          header
 *   {"key":"…","value":…,"version":3,"expiresAt":…}  one line per write; the last line of a key wins
 *
 * A put resolves once its line is written (one write for every put queued meanwhile), so a record
 * survives a kill of the process. The log is compacted (rewritten to a temporary file and renamed
 * over the old one) when it opens and when it holds far more lines than live items. A file in the
 * format of earlier versions (one JSON object of all items) is read and rewritten as a log.
 *
 * `exclusive` (serve): a lock file `FILE.lock` holding the pid keeps a second process off the file;
 * a lock left by a process that is gone is taken over. Without it (verify), the store still refuses
 * a file another live process holds.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError } from '../errors';
import { ConflictError, expired, type PutOptions, type StateStore, type StoreHealth, type StoredItem } from './types';

const HEADER = JSON.stringify({ stackcheck: 'state-log', version: 1 });
/** Larger state files are refused at start rather than read for minutes. */
export const MAX_STATE_FILE_BYTES = 256 * 1024 * 1024;
/** Puts waiting for the disk beyond this are refused (the disk is stuck or far too slow). */
const MAX_BACKLOG = 10_000;
const SWEEP_EVERY_MS = 60_000;

/** Paths locked by stores of this process. */
const heldHere = new Set<string>();

interface LogLine {
  key: string;
  value: unknown;
  version: number;
  expiresAt?: number;
}

export interface FileStoreOptions {
  /** Take the lock file (one process per state file). */
  exclusive?: boolean;
  now?: () => number;
  /** Replaces the append of a batch of lines (tests inject disk faults here). */
  append?: (fd: FileHandle, data: string) => Promise<unknown>;
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

export class FileStore implements StateStore {
  readonly kind = 'file';
  readonly lockPath: string;
  private readonly items = new Map<string, StoredItem>();
  private opening?: Promise<void>;
  private fd?: FileHandle;
  private locked = false;
  private pending: Array<{ line: string; done: (err?: Error) => void }> = [];
  private flushing = false;
  private logLines = 0;
  private failure?: string;
  private lastSweep: number;
  private readonly now: () => number;
  private readonly onExit = () => this.releaseLock();

  constructor(
    readonly path: string,
    private readonly opts: FileStoreOptions = {},
  ) {
    this.lockPath = `${path}.lock`;
    this.now = opts.now ?? Date.now;
    this.lastSweep = this.now();
  }

  /** Checks, locks and loads the file; a ConfigError names the file and the reason. Idempotent. */
  open(): Promise<void> {
    this.opening ??= this.load();
    return this.opening;
  }

  private fail(reason: string, cause?: unknown): never {
    throw new ConfigError(`--state ${this.path}: ${reason}`, this.path, { cause });
  }

  private async load(): Promise<void> {
    let size = 0;
    try {
      const st = statSync(this.path);
      if (!st.isFile()) this.fail('not a regular file (a state file is a JSON log stackcheck writes)');
      size = st.size;
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      if ((err as { code?: string }).code !== 'ENOENT') this.fail(`cannot read: ${(err as Error).message}`, err);
    }
    if (size > MAX_STATE_FILE_BYTES)
      this.fail(`${size} bytes is larger than the ${MAX_STATE_FILE_BYTES} bytes a state file may have`);
    try {
      mkdirSync(dirname(this.path), { recursive: true });
    } catch (err) {
      this.fail(`cannot create its directory: ${(err as Error).message}`, err);
    }
    this.lock();
    try {
      if (size > 0) this.parse(readFileSync(this.path, 'utf8'));
      await this.compact();
    } catch (err) {
      this.releaseLock();
      if (err instanceof ConfigError) throw err;
      this.fail(`cannot write: ${(err as Error).message}`, err);
    }
  }

  private lock(): void {
    if (heldHere.has(this.path)) this.fail('is already in use by this process');
    const holder = (): number | undefined => {
      try {
        return Number(readFileSync(this.lockPath, 'utf8').trim());
      } catch {
        return undefined;
      }
    };
    if (!this.opts.exclusive) {
      const pid = holder();
      if (pid !== undefined && pid !== process.pid && pidAlive(pid))
        this.fail(`is in use by process ${pid} (lock file ${this.lockPath})`);
      return;
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.lockPath, 'wx');
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        this.locked = true;
        heldHere.add(this.path);
        process.once('exit', this.onExit);
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== 'EEXIST')
          this.fail(`cannot create the lock file ${this.lockPath}: ${(err as Error).message}`, err);
      }
      const pid = holder();
      if (pid !== undefined && pidAlive(pid) && pid !== process.pid)
        this.fail(`is in use by process ${pid} (lock file ${this.lockPath}); one stackcheck serve per state file`);
      // A lock left behind by a process that is gone.
      try {
        unlinkSync(this.lockPath);
      } catch {
        // someone else took it over; the next attempt tells
      }
    }
    this.fail(`could not take the lock file ${this.lockPath}`);
  }

  private releaseLock(): void {
    if (!this.locked) return;
    this.locked = false;
    heldHere.delete(this.path);
    process.removeListener('exit', this.onExit);
    try {
      if (existsSync(this.lockPath) && Number(readFileSync(this.lockPath, 'utf8').trim()) === process.pid)
        unlinkSync(this.lockPath);
    } catch {
      // best effort: a stale lock is taken over by the next process
    }
  }

  private parse(text: string): void {
    const lines = text.split('\n');
    if (lines[0].trim() === HEADER) {
      const last = lines.length - 1;
      lines.forEach((raw, i) => {
        if (i === 0 || raw.trim() === '') return;
        let rec: LogLine;
        try {
          rec = JSON.parse(raw) as LogLine;
          if (typeof rec?.key !== 'string' || typeof rec.version !== 'number') throw new Error('not a record');
        } catch (err) {
          // A torn last line is a write cut short by a crash: its put never resolved.
          if (i === last) return;
          this.fail(`line ${i + 1} is not a state record (${(err as Error).message})`);
        }
        this.items.set(rec.key, {
          value: rec.value,
          version: rec.version,
          ...(rec.expiresAt ? { expiresAt: rec.expiresAt } : {}),
        });
      });
    } else {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (err) {
        this.fail(`not a stackcheck state file (${(err as Error).message.slice(0, 100)})`);
      }
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
        this.fail('not a stackcheck state file (not a JSON object)');
      for (const [k, item] of Object.entries(doc as Record<string, StoredItem>)) {
        if (item === null || typeof item !== 'object' || typeof item.version !== 'number')
          this.fail(`not a stackcheck state file (item ${JSON.stringify(k)} has no version)`);
        this.items.set(k, item);
      }
    }
    const now = this.now();
    for (const [k, item] of this.items) if (expired(item, now)) this.items.delete(k);
  }

  private static line(key: string, item: StoredItem): string {
    const rec: LogLine = { key, value: item.value, version: item.version };
    if (item.expiresAt) rec.expiresAt = item.expiresAt;
    return JSON.stringify(rec);
  }

  /** Rewrites the log with the live items only (temporary file, then rename) and appends to it. */
  private async compact(): Promise<void> {
    const now = this.now();
    const out = [HEADER];
    for (const [k, item] of this.items) {
      if (expired(item, now)) this.items.delete(k);
      else out.push(FileStore.line(k, item));
    }
    // node:fs/promises is loaded by the first compaction (opening the store makes one), not by
    // every CLI run: most use no file store, and loading it is a few ms of their start.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { open: openFile, rename, writeFile } = require('node:fs/promises') as typeof import('node:fs/promises');
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, `${out.join('\n')}\n`);
    await rename(tmp, this.path);
    await this.fd?.close().catch(() => undefined);
    this.fd = await openFile(this.path, 'a');
    this.logLines = out.length - 1;
  }

  health(): StoreHealth {
    if (!this.opening) return { ok: true };
    if (this.failure) return { ok: false, reason: this.failure };
    return { ok: true };
  }

  /** Items held (live or not yet swept). */
  get size(): number {
    return this.items.size;
  }

  async get<T>(key: string): Promise<StoredItem<T> | undefined> {
    await this.open();
    const item = this.items.get(key);
    if (!item || expired(item, this.now())) return undefined;
    return structuredClone(item) as StoredItem<T>;
  }

  async put<T>(key: string, value: T, opts: PutOptions = {}): Promise<number> {
    await this.open();
    const now = this.now();
    if (now - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = now;
      for (const [k, item] of this.items) if (expired(item, now)) this.items.delete(k);
    }
    const before = this.items.get(key);
    const cur = before && !expired(before, now) ? before : undefined;
    const have = cur?.version ?? 0;
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== have) throw new ConflictError(key);
    if (this.pending.length >= MAX_BACKLOG)
      throw new Error(`state file ${this.path}: ${MAX_BACKLOG} writes are waiting for the disk`);
    const item: StoredItem = {
      value: structuredClone(value),
      version: have + 1,
      ...(opts.ttlSeconds ? { expiresAt: Math.floor(now / 1000) + opts.ttlSeconds } : {}),
    };
    // In memory at once (so a concurrent put sees the new version), on disk before this resolves.
    this.items.set(key, item);
    try {
      await new Promise<void>((resolve, reject) => {
        this.pending.push({ line: FileStore.line(key, item), done: (err) => (err ? reject(err) : resolve()) });
        void this.flush();
      });
    } catch (err) {
      // Not on disk: undo, unless a later put has replaced it meanwhile.
      if (this.items.get(key) === item) {
        if (before) this.items.set(key, before);
        else this.items.delete(key);
      }
      throw err;
    }
    return item.version;
  }

  /** The single writer: appends every queued line in one write, then compacts when worthwhile. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.pending.length);
        const data = `${batch.map((b) => b.line).join('\n')}\n`;
        try {
          if (this.opts.append) await this.opts.append(this.fd!, data);
          else await this.fd!.appendFile(data);
          this.logLines += batch.length;
          this.failure = undefined;
          for (const b of batch) b.done();
        } catch (err) {
          const code = (err as { code?: string }).code;
          this.failure = `cannot write ${this.path}: ${code ?? (err as Error).message}`;
          for (const b of batch) b.done(new Error(`state file ${this.failure}`));
          continue;
        }
        if (this.logLines > 2 * this.items.size + 1000) await this.compact().catch(() => undefined);
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Waits for queued writes, closes the file and releases the lock. */
  async close(): Promise<void> {
    while (this.flushing || this.pending.length > 0) await new Promise((r) => setTimeout(r, 5));
    await this.fd?.close().catch(() => undefined);
    this.fd = undefined;
    this.releaseLock();
  }
}
