/**
 * kubeGet over node:https against loopback servers: HTTP errors with and without Status bodies,
 * truncated pages, connection resets, timeouts, UTF-8 cut between chunks, http: and a CONNECT proxy.
 */
import { createServer as createHttpsServer, type Server } from 'node:https';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { closeKubeAgents, kubeGet, kubeErrorCode, kubeErrorMessage } from '../../../lib/adapters/kube';
import type { Pick } from '../../../lib/adapters/json-pick';
import { testPki } from '../../support/fakes/tls';
import { failure, testKubeConfig } from '../../support/kube-client';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_q, r) => r.end('{}');
let server: Server | ReturnType<typeof createHttpServer>;
let kc: KubeConfig;
const sockets = new Set<Socket>();

beforeAll(async () => {
  const pki = testPki();
  server = createHttpsServer({ cert: pki.certPem, key: pki.keyPem }, (q, r) => handler(q, r));
  server.on('connection', (s: Socket) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  kc = testKubeConfig(`https://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  closeKubeAgents();
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

const pick: Pick = { metadata: true, items: [{ metadata: { name: true } }] };

describe('kubeGet over https', () => {
  it('403 with a Status body is an ApiException with the reason', async () => {
    handler = (_q, r) => {
      r.writeHead(403, { 'content-type': 'application/json' });
      r.end(JSON.stringify({ kind: 'Status', reason: 'Forbidden', message: 'nope' }));
    };
    const err = await failure(kubeGet(kc, '/api/v1/pods', {}, { pick }));
    expect(kubeErrorCode(err)).toBe(403);
    expect(kubeErrorMessage(err)).toBe('HTTP 403 Forbidden: nope');
  });

  it('500 with a text body, 401 empty', async () => {
    handler = (_q, r) => void (r.writeHead(500), r.end('<html>oops</html>'));
    let err = await failure(kubeGet(kc, '/x', {}, { pick }));
    expect(kubeErrorMessage(err)).toBe('HTTP 500');
    handler = (_q, r) => void (r.writeHead(401), r.end());
    err = await failure(kubeGet(kc, '/x'));
    expect(kubeErrorMessage(err)).toBe('HTTP 401');
  });

  it('an empty 2xx body is undefined without a pick, and an error naming the path with one', async () => {
    handler = (_q, r) => void (r.writeHead(200), r.end());
    expect(await kubeGet(kc, '/x')).toBeUndefined();
    await expect(kubeGet(kc, '/api/v1/nodes', {}, { pick })).rejects.toThrow(
      /^GET \/api\/v1\/nodes: the answer is not JSON/,
    );
  });

  it('a truncated page is an error naming the path', async () => {
    handler = (_q, r) => void (r.writeHead(200), r.end('{"items":[{"metadata":{"name":"a"}},'));
    const err = await failure(kubeGet(kc, '/api/v1/pods', {}, { pick }));
    expect(String(err.message)).toMatch(/GET \/api\/v1\/pods: the answer is not JSON/);
  });

  it('a connection reset mid-body is retried once, then an error (no hang)', async () => {
    let n = 0;
    handler = (_q, r) => {
      n++;
      r.writeHead(200, { 'content-length': '1000' });
      r.write('{"items":[{"metadata":{"name":"a"}}');
      setTimeout(() => r.socket?.destroy(), 20);
    };
    const err = await failure(kubeGet(kc, '/x', {}, { pick }));
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('ECONNRESET');
    expect(n).toBe(2);
  });

  it('a connection reset mid-body that does not happen again gives the whole page', async () => {
    let n = 0;
    handler = (_q, r) => {
      n++;
      r.writeHead(200, { 'content-length': '1000' });
      r.write('{"items":[{"metadata":{"name":"a"}}');
      if (n === 1) setTimeout(() => r.socket?.destroy(), 20);
      else r.end(`${' '.repeat(1000 - 35 - 2)}]}`);
    };
    expect(await kubeGet(kc, '/x', {}, { pick })).toEqual({ items: [{ metadata: { name: 'a' } }] });
    expect(n).toBe(2);
  });

  it('a stalled body times out', async () => {
    handler = (_q, r) => {
      r.writeHead(200);
      r.write('{"items":[');
    };
    const err = await failure(kubeGet(kc, '/x', {}, { pick, timeoutMs: 200 }));
    expect(err.name).toBe('TimeoutError');
    const err2 = await failure(kubeGet(kc, '/x', {}, { timeoutMs: 200 }));
    expect(err2.name).toBe('TimeoutError');
  });

  it('stalled headers time out', async () => {
    handler = () => undefined;
    const err = await failure(kubeGet(kc, '/x', {}, { pick, timeoutMs: 200 }));
    expect(err.name).toBe('TimeoutError');
  });

  it('multi-byte UTF-8 split across chunks', async () => {
    const body = Buffer.from(JSON.stringify({ items: [{ metadata: { name: 'é€😀\u0022x' } }] }));
    handler = (_q, r) => {
      r.writeHead(200);
      (async () => {
        for (let i = 0; i < body.length; i++) {
          r.write(body.subarray(i, i + 1));
          await new Promise((s) => setImmediate(s));
        }
        r.end();
      })();
    };
    expect(await kubeGet(kc, '/x', {}, { pick })).toEqual({ items: [{ metadata: { name: 'é€😀"x' } }] });
  });

  it('a 3xx is an ApiException with its status (not followed)', async () => {
    handler = (_q, r) => void (r.writeHead(302, { location: '/y' }), r.end());
    const err = await failure(kubeGet(kc, '/x', {}, { pick }));
    expect(kubeErrorCode(err)).toBe(302);
  });
});

describe('kubeGet over http', () => {
  it('works against a plain http: server (insecure-skip-tls-verify, as client-node requires)', async () => {
    const s = createHttpServer((_q, r) => r.end('{"items":[]}'));
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    try {
      const k = testKubeConfig(`http://127.0.0.1:${(s.address() as AddressInfo).port}`, {
        ca: false,
        skipTLSVerify: true,
      });
      expect(await kubeGet(k, '/x')).toEqual({ items: [] });
    } finally {
      closeKubeAgents();
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });
});

describe('kubeGet through a proxy-url (CONNECT)', () => {
  it('reaches the API server through the proxy, with the CA, twice', async () => {
    const { connect } = await import('node:net');
    let tunnels = 0;
    const open: Socket[] = [];
    const proxy = createHttpServer();
    proxy.on('connect', (req, client: Socket, head: Buffer) => {
      tunnels++;
      open.push(client);
      const [host, port] = String(req.url).split(':');
      const up = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.write(head);
        up.pipe(client);
        client.pipe(up);
      });
      up.on('error', () => client.destroy());
      client.on('error', () => up.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    handler = (_q, r) => r.end('{"items":[{"metadata":{"name":"a","x":1}}]}');
    try {
      const k = new KubeConfig();
      k.loadFromOptions({
        clusters: [
          {
            name: 'c',
            server: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
            caData: Buffer.from(testPki().caPem).toString('base64'),
            proxyUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
            skipTLSVerify: false,
          },
        ],
        users: [{ name: 'u', token: 't' }],
        contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
        currentContext: 'c',
      });
      expect(await kubeGet(k, '/x', {}, { pick, timeoutMs: 5000 })).toEqual({ items: [{ metadata: { name: 'a' } }] });
      expect(await kubeGet(k, '/x', {}, { pick, timeoutMs: 5000 })).toEqual({ items: [{ metadata: { name: 'a' } }] });
      expect(tunnels).toBeGreaterThan(0);
    } finally {
      closeKubeAgents();
      for (const c of open) c.destroy();
      await new Promise((r) => proxy.close(r));
    }
  });
});
