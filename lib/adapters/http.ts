/**
 * Small HTTP(S) GET for the runtime probes: a timeout, an optional extra CA (TLS is always
 * verified), bounded body size. Bearer tokens are sent but never returned or logged.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpGetOptions {
  timeoutMs?: number;
  ca?: string | Buffer;
  bearer?: string;
  maxBytes?: number;
}

export interface HttpGetResult {
  status: number;
  text: string;
  durationMs: number;
}

export function httpGet(url: string, opts: HttpGetOptions = {}): Promise<HttpGetResult> {
  const u = new URL(url);
  const started = Date.now();
  const timeout = opts.timeoutMs ?? 5_000;
  const max = opts.maxBytes ?? 8 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
      u,
      {
        method: 'GET',
        headers: {
          accept: 'application/json',
          'user-agent': 'stackcheck',
          ...(opts.bearer ? { authorization: `Bearer ${opts.bearer}` } : {}),
        },
        ...(u.protocol === 'https:' && opts.ca ? { ca: opts.ca } : {}),
        timeout,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > max) {
            req.destroy(new Error(`response larger than ${max} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            durationMs: Date.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error(`no answer within ${timeout} ms`), { code: 'ETIMEDOUT' })),
    );
    req.on('error', reject);
    req.end();
  });
}

export function describeHttpError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  const hints: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    ETIMEDOUT: 'timed out',
    ECONNRESET: 'connection reset',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: certificate not trusted',
    SELF_SIGNED_CERT_IN_CHAIN: 'TLS: certificate not trusted (self-signed in chain)',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate',
    ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: certificate does not cover the host',
    CERT_HAS_EXPIRED: 'TLS: certificate expired',
  };
  return `${hints[code] ?? (e.message ?? String(err)).split('\n')[0]}${code && hints[code] ? ` (${code})` : ''}`;
}
