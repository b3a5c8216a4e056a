import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../lib/errors';
import { FileStore } from '../../../lib/state/file';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'stackcheck-filestore-')), 'state.json');

describe('FileStore: checked at open', () => {
  it('refuses a file that is not a state file, naming it and the reason', async () => {
    const path = tmp();
    writeFileSync(path, '{"half": ');
    const err = await new FileStore(path).open().catch((e: Error) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(new RegExp(`^--state ${path}: not a stackcheck state file`));
  });

  it('refuses a device such as /dev/full at once instead of reading it', async () => {
    await expect(new FileStore('/dev/full').open()).rejects.toThrow(
      '--state /dev/full: not a regular file (a state file is a JSON log stackcheck writes)',
    );
  });

  it('refuses a path whose directory cannot exist', async () => {
    const path = tmp();
    writeFileSync(path, '');
    await expect(new FileStore(join(path, 'state.json')).open()).rejects.toThrow(/state.json: cannot read: ENOTDIR/);
  });

  it('refuses a damaged record in the middle, but ignores a last line cut short by a crash', async () => {
    const path = tmp();
    const s = new FileStore(path);
    await s.put('a', 1);
    await s.put('b', 2);
    await s.close();
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, `${text}{"key":"c","val`);
    const reopened = new FileStore(path);
    expect((await reopened.get('b'))?.value).toBe(2);
    expect(await reopened.get('c')).toBeUndefined();
    await reopened.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.splice(1, 0, 'garbage');
    writeFileSync(path, lines.join('\n'));
    await expect(new FileStore(path).open()).rejects.toThrow(/line 2 is not a state record/);
  });
});

describe('FileStore: records', () => {
  it('keeps 20 000 records across a restart, and compacts the log to the live ones', async () => {
    const path = tmp();
    const s = new FileStore(path);
    for (let chunk = 0; chunk < 20_000; chunk += 1000)
      await Promise.all(
        Array.from({ length: 1000 }, (_, i) => s.put(`delivery#${chunk + i}`, { state: 'sent', i: chunk + i })),
      );
    for (let i = 0; i < 5_000; i++) await s.put('hot', { n: i });
    await s.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n').length;
    expect(lines).toBeLessThanOrEqual(2 * 20_001 + 1001 + 1);
    const again = new FileStore(path);
    expect(again.size).toBe(0);
    expect(await again.get('delivery#19999')).toMatchObject({ value: { state: 'sent', i: 19999 }, version: 1 });
    expect(await again.get('hot')).toMatchObject({ value: { n: 4999 }, version: 5000 });
    expect(again.size).toBe(20_001);
    await again.close();
  });

  it('reads a state file of the earlier format (one JSON object) and keeps its items', async () => {
    const path = tmp();
    writeFileSync(
      path,
      JSON.stringify({
        'last#myeks': { value: { failing: [] }, version: 3 },
        old: { value: 1, version: 1, expiresAt: 1 },
      }),
    );
    const s = new FileStore(path);
    expect(await s.get('last#myeks')).toEqual({ value: { failing: [] }, version: 3 });
    expect(await s.get('old')).toBeUndefined();
    expect(await s.put('last#myeks', { failing: ['x'] }, { expectedVersion: 3 })).toBe(4);
    await s.close();
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe('{"stackcheck":"state-log","version":1}');
  });

  it('a write the disk refuses: the put fails, the item is not kept, health says why; it recovers', async () => {
    let full = true;
    const s = new FileStore(tmp(), {
      append: async (fd, data) => {
        if (full) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        await fd.appendFile(data);
      },
    });
    await s.put('k', 'v0').catch(() => undefined);
    expect(await s.get('k')).toBeUndefined();
    expect(s.health()).toEqual({ ok: false, reason: expect.stringMatching(/^cannot write .*state\.json: ENOSPC$/) });
    await expect(s.put('k', 'v1')).rejects.toThrow(/ENOSPC/);
    full = false;
    expect(await s.put('k', 'v2')).toBe(1);
    expect(s.health()).toEqual({ ok: true });
    await s.close();
  });
});

describe('FileStore: one process per file', () => {
  it('refuses a second exclusive store on a file a live process holds, naming the file and the pid', async () => {
    const path = tmp();
    const a = new FileStore(path, { exclusive: true });
    await a.open();
    expect(readFileSync(`${path}.lock`, 'utf8').trim()).toBe(String(process.pid));
    await expect(new FileStore(path, { exclusive: true }).open()).rejects.toThrow(`--state ${path}: is already in use`);
    await a.close();
    const b = new FileStore(path, { exclusive: true });
    await b.open();
    await b.close();
  });

  it('a non-exclusive store (verify --state) also refuses a file that a live serve holds', async () => {
    const path = tmp();
    writeFileSync(`${path}.lock`, `${process.ppid}\n`); // a live process other than this one
    await expect(new FileStore(path).open()).rejects.toThrow(
      `--state ${path}: is in use by process ${process.ppid} (lock file ${path}.lock)`,
    );
    const other = tmp();
    const serve = new FileStore(other, { exclusive: true });
    await serve.open();
    await expect(new FileStore(other).open()).rejects.toThrow('is already in use by this process');
    await serve.close();
    expect(await new FileStore(other).put('k', 1)).toBe(1);
  });

  it('takes over a lock left by a process that is gone', async () => {
    const path = tmp();
    writeFileSync(`${path}.lock`, '2147483000\n');
    const s = new FileStore(path, { exclusive: true });
    await s.open();
    expect(readFileSync(`${path}.lock`, 'utf8').trim()).toBe(String(process.pid));
    await s.close();
  });
});
