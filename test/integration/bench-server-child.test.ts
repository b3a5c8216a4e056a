/**
 * The benchmark's webhook servers run each in a process of their own (bench/server-process.ts):
 * a server that exits, before listening or after, is reported (its code and stderr), never waited
 * on, and the real child answers `cpu` and ends when asked.
 */
import { serverChild } from '../../bench/server-process';

const node = (script: string) => ['-e', script];

describe('bench server child', () => {
  it('reports a child that exits before it listens', async () => {
    await expect(serverChild('bare', node('process.stderr.write("no port"); process.exit(4)'))).rejects.toThrow(
      /the bare server exited \(4\): no port/,
    );
  });

  it('gives up on a child that neither listens nor exits, and kills it', async () => {
    await expect(
      serverChild('bare', node('process.stderr.write("stuck"); setInterval(() => {}, 1000)'), 500),
    ).rejects.toThrow(/the bare server did not listen within 500 ms: stuck/);
  });

  it('rejects a cpu asked of a child that has exited, and stops at once', async () => {
    const child = await serverChild(
      'serve',
      node(
        'process.stdout.write("URL http://127.0.0.1:1\\n"); process.stderr.write("crashed"); setTimeout(() => process.exit(3), 50)',
      ),
    );
    await expect(child.cpu()).rejects.toThrow(/the serve server exited \(3\): crashed/);
    await expect(child.cpu()).rejects.toThrow(/exited \(3\)/);
    await expect(child.stop()).resolves.toBeUndefined();
  });

  it('rejects a cpu waiting on a child that exits before it answers', async () => {
    const child = await serverChild(
      'serve',
      node(
        'process.stdout.write("URL http://127.0.0.1:1\\n"); process.stdin.once("data", () => { process.stderr.write("died"); process.exit(5); })',
      ),
    );
    await expect(child.cpu()).rejects.toThrow(/exited \(5\): died/);
  });

  it('reads lines split across writes', async () => {
    const child = await serverChild(
      'bare',
      node(`
        process.stdout.write("UR");
        setTimeout(() => process.stdout.write("L http://127.0.0.1:2\\nCP"), 20);
        process.stdin.on("data", () => {
          process.stdout.write('U {"user":1,');
          setTimeout(() => process.stdout.write('"system":2}\\n'), 20);
        });
        process.stdin.on("end", () => process.exit(0));`),
    );
    expect(child.url).toBe('http://127.0.0.1:2');
    // The "CP" before the URL's newline was not a line of its own: the cpu line is whole.
    await expect(child.cpu()).resolves.toEqual({ user: 1, system: 2 });
    await child.stop();
  });

  it('runs the bare server: a cpu answer, then an end when stdin closes', async () => {
    const child = await serverChild('bare');
    expect(child.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${child.url}/alertmanager`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    const cpu = await child.cpu();
    expect(cpu.user).toBeGreaterThan(0);
    await child.stop();
    await expect(child.cpu()).rejects.toThrow(/the bare server exited \(0\)/);
  }, 30_000);
});
