/**
 * The webhook as the Lambda runs it: an API Gateway HTTP API v2 event through middy to the handler
 * and back. `serve` calls the handler directly, so this is where the adapter itself is tested.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { WebhookDeps } from '../../../lib/alertmanager/handler';
import { createWebhookHandler } from '../../../lib/alertmanager/lambda';
import { MemoryStore } from '../../../lib/state/memory';
import { amPayload } from './payloads';

const TOKEN = 'lambda-test-token-9e2b';
const context = { functionName: 'alertmanagerWebhook', getRemainingTimeInMillis: () => 20_000 } as unknown as Context;

/** The event API Gateway sends for a request (the body base64-encoded, as for any content type it does not know as text). */
function event(method: string, path: string, body: string | undefined, headers: Record<string, string>) {
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    isBase64Encoded: body !== undefined,
    body: body === undefined ? undefined : Buffer.from(body).toString('base64'),
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'Alertmanager/0.28' },
    },
  } as unknown as APIGatewayProxyEventV2;
}

function deps() {
  const posted: unknown[] = [];
  const d: WebhookDeps = {
    store: new MemoryStore(),
    token: async () => TOKEN,
    slackUrl: () => 'https://hooks.slack.com/services/T/B/lambda-secret',
    postSlack: async (_url, message) => {
      posted.push(message);
    },
    defaultCluster: 'myeks',
    maxBodyBytes: 1 << 20,
  };
  return { d, posted };
}

describe('webhook Lambda: API Gateway HTTP API v2 event → handler → result', () => {
  it('decodes the body, reads the Authorization header whatever its case, and answers JSON', async () => {
    const { d, posted } = deps();
    const handler = createWebhookHandler(
      async () => d,
      () => {},
    );
    const body = JSON.stringify(amPayload());
    const ok = await handler(event('POST', '/alertmanager', body, { Authorization: `Bearer ${TOKEN}` }), context);
    expect(ok).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'forwarded', forwarded: 1, outcomes: { slack: 'sent' } }),
    });
    expect(posted).toHaveLength(1);
    const refused = await handler(event('POST', '/alertmanager', body, {}), context);
    expect(refused.statusCode).toBe(401);
    const health = await handler(event('GET', '/healthz', undefined, {}), context);
    expect(health).toMatchObject({ statusCode: 200, body: '{"ok":true}' });
  });

  it('answers an error that escapes the handler with a plain 500, logged by its name only', async () => {
    const { d } = deps();
    // Reading the secret failed (the parameter store, say): nothing the handler answers itself.
    d.token = async () => {
      throw Object.assign(new Error(`parameter /stackcheck/token = ${TOKEN} unreadable`), { name: 'ParamError' });
    };
    const logged: Array<Record<string, unknown>> = [];
    const handler = createWebhookHandler(
      async () => d,
      (e) => logged.push(e),
    );
    const r = await handler(
      event('POST', '/alertmanager', JSON.stringify(amPayload()), { authorization: `Bearer ${TOKEN}` }),
      context,
    );
    expect(r).toEqual({
      statusCode: 500,
      headers: { 'content-type': 'application/json' },
      body: '{"error":"internal error; Alertmanager will retry"}',
    });
    expect(logged).toEqual([{ level: 'ERROR', event: 'internal error', error: 'ParamError' }]);
    expect(JSON.stringify(logged)).not.toContain(TOKEN);
  });
});
