/**
 * Starting the real Debian binaries (prometheus, prometheus-alertmanager, prometheus-node-exporter)
 * on loopback, each in its own temp dir on a free port; stopped (and their dirs kept for logs) by
 * `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Peer {
  url: string;
  port: number;
  dir: string;
  proc: ChildProcess;
  log: () => string;
  stop(): Promise<void>;
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
  everyMs = 200,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastErr: unknown;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      lastErr = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${lastErr ? ` (last error: ${(lastErr as Error).message})` : ''}`);
}

async function start(
  bin: string,
  args: (port: number, dir: string) => string[],
  files: Record<string, string>,
  readyPath: string,
): Promise<Peer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `stackcheck-${bin.split('/').pop()}-`));
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, name), content.replace(/\$PORT/g, String(port)));
  let output = '';
  const proc = spawn(bin, args(port, dir), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout?.on('data', (d) => (output += d));
  proc.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const peer: Peer = {
    url,
    port,
    dir,
    proc,
    log: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 5_000).unref();
      }),
  };
  try {
    await waitFor(`${bin} ready`, async () => {
      if (proc.exitCode !== null) throw new Error(`${bin} exited: ${output.slice(-500)}`);
      const r = await fetch(url + readyPath).catch(() => undefined);
      return r?.ok ? true : undefined;
    });
  } catch (err) {
    await peer.stop();
    throw err;
  }
  return peer;
}

export function startAlertmanager(config: string): Promise<Peer> {
  return start(
    '/usr/bin/prometheus-alertmanager',
    (port, dir) => [
      `--config.file=${join(dir, 'am.yml')}`,
      `--storage.path=${dir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=debug',
    ],
    { 'am.yml': config },
    '/-/ready',
  );
}

export function startPrometheus(
  config: string,
  files: Record<string, string> = {},
  extraArgs: string[] = [],
): Promise<Peer> {
  return start(
    '/usr/bin/prometheus',
    (port, dir) => [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      ...extraArgs,
    ],
    { 'prometheus.yml': config, ...files },
    '/-/ready',
  );
}

export function startNodeExporter(opts: { textfileDir?: string } = {}): Promise<Peer> {
  return start(
    '/usr/bin/prometheus-node-exporter',
    (port) => [
      `--web.listen-address=127.0.0.1:${port}`,
      '--collector.disable-defaults',
      '--collector.cpu',
      '--collector.meminfo',
      ...(opts.textfileDir ? ['--collector.textfile', `--collector.textfile.directory=${opts.textfileDir}`] : []),
    ],
    {},
    '/metrics',
  );
}
