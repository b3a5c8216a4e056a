/**
 * A loopback fake of the S3 REST API (path-style) for the two calls stackcheck makes: PutObject
 * and GetObject (the presigned URL is fetched as a browser would). It checks that a GET carries
 * presigned-URL query parameters (X-Amz-Signature, X-Amz-Expires) but does not verify signatures.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class FakeS3 {
  readonly objects = new Map<string, { body: Buffer; contentType?: string }>();
  private server?: Server;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://localhost');
      const key = decodeURIComponent(u.pathname.slice(1));
      if (req.method === 'PUT') {
        const chunks: Buffer[] = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
          this.objects.set(key, { body: Buffer.concat(chunks), contentType: req.headers['content-type'] });
          res.writeHead(200, { etag: '"0123456789abcdef"' }).end();
        });
        return;
      }
      if (req.method === 'GET') {
        const obj = this.objects.get(key);
        if (!u.searchParams.get('X-Amz-Signature') || !u.searchParams.get('X-Amz-Expires')) {
          res
            .writeHead(403, { 'content-type': 'application/xml' })
            .end('<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
          return;
        }
        if (!obj) {
          res
            .writeHead(404, { 'content-type': 'application/xml' })
            .end('<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
          return;
        }
        res.writeHead(200, { 'content-type': obj.contentType ?? 'application/octet-stream' }).end(obj.body);
        return;
      }
      res.writeHead(405).end();
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
