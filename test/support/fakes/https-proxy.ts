/** A loopback HTTPS reverse proxy with the test CA, standing in for the ALB's TLS termination. */
import { request } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { testPki } from './tls';

export async function startHttpsProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const pki = testPki();
  const t = new URL(target);
  const server: Server = createServer({ cert: pki.certPem, key: pki.keyPem }, (req, res) => {
    const up = request(
      {
        hostname: t.hostname,
        port: t.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: t.host },
      },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.writeHead(502).end('bad gateway'));
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
