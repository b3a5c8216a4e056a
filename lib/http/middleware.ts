/**
 * middy middleware: any error that escapes the handler becomes a plain 500 without internals
 * (Alertmanager retries on 5xx), logged by name only so secrets in messages cannot leak.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export function internalErrorAs500(
  log: (entry: Record<string, unknown>) => void = () => {},
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: async function internalErrorAs500OnError(request) {
      const err = request.error as Error | undefined;
      log({ level: 'ERROR', event: 'internal error', error: err?.name ?? 'Error' });
      request.response = {
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: 'internal error; Alertmanager will retry' }),
      };
    },
  };
}
