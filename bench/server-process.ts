/**
 * The benchmark's side of bench/server-child.ts: a webhook server in a process of its own, its URL
 * and its CPU so far. A child that exits (at start or later) is reported, never waited on: a `cpu`
 * asked of it rejects with its exit code and the end of its stderr, and `stop` resolves.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ServerChild {
  url: string;
  cpu(): Promise<NodeJS.CpuUsage>;
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..');
/** How long a server child may take to listen (it compiles the TypeScript first: ~1 s here). */
export const START_TIMEOUT_MS = 30_000;

/** Starts `bench/server-child.ts kind` (or `command`, for tests) and resolves once it listens. */
export function serverChild(
  kind: string,
  command: string[] = [join(ROOT, 'scripts/run-ts.js'), join(ROOT, 'bench/server-child.ts'), kind],
  startTimeoutMs = START_TIMEOUT_MS,
): Promise<ServerChild> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, command, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let exited: Error | undefined;
    const waiting: Array<{ resolve: (c: NodeJS.CpuUsage) => void; reject: (e: Error) => void }> = [];
    const closed = new Promise<void>((r) => child.once('close', () => r()));
    const fail = (e: Error) => {
      if (exited) return;
      exited = e;
      reject(e);
      for (const w of waiting.splice(0)) w.reject(e);
    };
    // A child that neither listens nor exits is given up (and killed) after startTimeoutMs.
    const starting = setTimeout(() => {
      fail(new Error(`the ${kind} server did not listen within ${startTimeoutMs} ms: ${err.slice(-2000)}`));
      child.kill('SIGKILL');
    }, startTimeoutMs);
    child.once('close', () => clearTimeout(starting));
    child.once('error', (e) => fail(new Error(`the ${kind} server could not start: ${e.message}`)));
    child.once('close', (code, signal) =>
      fail(new Error(`the ${kind} server exited (${code ?? signal}): ${err.slice(-2000)}`)),
    );
    // A write to a child that has gone (EPIPE) is reported by its exit, not thrown here.
    child.stdin.on('error', () => {});
    child.stderr.on('data', (d) => (err += d));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line.startsWith('URL ')) {
          clearTimeout(starting);
          resolve({
            url: line.slice(4),
            cpu: () =>
              new Promise((res, rej) => {
                if (exited) return rej(exited);
                waiting.push({ resolve: res, reject: rej });
                child.stdin.write('cpu\n');
              }),
            stop: () => {
              if (child.exitCode === null && child.signalCode === null) child.stdin.end();
              return closed;
            },
          });
        } else if (line.startsWith('CPU ')) waiting.shift()?.resolve(JSON.parse(line.slice(4)) as NodeJS.CpuUsage);
      }
    });
  });
}
