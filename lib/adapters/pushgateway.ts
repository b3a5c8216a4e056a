/**
 * `--pushgateway URL`: PUT the report's metrics to a Prometheus Pushgateway under
 * `/metrics/job/stackcheck/cluster/<cluster>` (as Popeye does), so a later run replaces them all.
 * Credentials in the URL (`https://user:pass@host`) become Basic auth and are never printed.
 */
import type * as Http from 'node:http';

export function pushgatewayUrl(base: string, cluster: string): URL {
  const u = new URL(base);
  const prefix = u.pathname.replace(/\/+$/, '');
  // A grouping-key value that is empty or has a slash must be base64url encoded (`cluster@base64`).
  const segment =
    cluster && !cluster.includes('/')
      ? `cluster/${encodeURIComponent(cluster)}`
      : `cluster@base64/${Buffer.from(cluster).toString('base64url') || '='}`;
  u.pathname = `${prefix}/metrics/job/stackcheck/${segment}`;
  return u;
}

/** The URL without credentials, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

export function pushMetrics(
  base: string,
  cluster: string,
  body: string,
  opts: { timeoutMs?: number } = {},
): Promise<{ status: number; url: string }> {
  const u = pushgatewayUrl(base, cluster);
  const auth = u.username
    ? Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')
    : undefined;
  const shown = redactUrl(u.toString());
  u.username = '';
  u.password = '';
  // node:http and node:https (and TLS) are loaded when a push is made: a run without --pushgateway,
  // the snapshot CLI's usual one, does not pay for them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { request } = (u.protocol === 'https:' ? require('node:https') : require('node:http')) as typeof Http;
  return new Promise((resolve, reject) => {
    const req = request(
      u,
      {
        method: 'PUT',
        headers: {
          'content-type': 'text/plain; version=0.0.4; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'stackcheck',
          ...(auth ? { authorization: `Basic ${auth}` } : {}),
        },
        timeout: opts.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve({ status, url: shown });
          else
            reject(
              new Error(
                `PUT ${shown} answered ${status}: ${Buffer.concat(chunks).toString('utf8').slice(0, 200).trim()}`,
              ),
            );
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`PUT ${shown} timed out`)));
    req.on('error', (err) => reject(new Error(`PUT ${shown} failed: ${err.message}`)));
    req.end(body);
  });
}
