/**
 * middy middleware: any error that escapes the handler becomes a plain 500 without internals
 * (Alertmanager retries on 5xx), logged by name only so secrets in messages cannot leak.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** The answer to an error that escaped the handler, in the Lambda (this middleware) and `serve` alike. */
export const INTERNAL_ERROR_BODY = JSON.stringify({ error: 'internal error; Alertmanager will retry' });

/** Logs an error that escaped the handler by its name only (a message may hold a secret). */
export function logInternalError(log: (entry: Record<string, unknown>) => void, err: unknown): void {
  log({ level: 'ERROR', event: 'internal error', error: (err as Error | undefined)?.name ?? 'Error' });
}

export function internalErrorAs500(
  log: (entry: Record<string, unknown>) => void = () => {},
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: async function internalErrorAs500OnError(request) {
      logInternalError(log, request.error);
      request.response = {
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: INTERNAL_ERROR_BODY,
      };
    },
  };
}
