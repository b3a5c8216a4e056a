/** API Gateway HTTP API (payload 2.0) events ↔ the webhook's plain request/response. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HttpRequest as WebhookRequest, HttpResponse as WebhookResponse } from './types';

export function fromApiGatewayEvent(e: APIGatewayProxyEventV2): WebhookRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(e.headers ?? {})) headers[k.toLowerCase()] = v;
  const raw = e.body ?? '';
  return {
    method: e.requestContext?.http?.method ?? 'GET',
    path: e.rawPath ?? e.requestContext?.http?.path ?? '/',
    headers,
    body: e.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8'),
  };
}

export function toApiGatewayResult(r: WebhookResponse): APIGatewayProxyStructuredResultV2 {
  return { statusCode: r.statusCode, headers: { 'content-type': 'application/json' }, body: r.body };
}
