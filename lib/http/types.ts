/** A plain HTTP request and response, as the handlers see them whatever front door carried them. */
export interface HttpRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface HttpResponse {
  statusCode: number;
  body: string;
}
