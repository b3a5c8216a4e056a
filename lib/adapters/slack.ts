/**
 * Posting to a Slack incoming webhook with `@slack/webhook`: honours Retry-After on 429, retries
 * 5xx and network errors with backoff, bounded in attempts and total time. The library sends one
 * attempt at a time (its own retries are off) so that this loop can read Retry-After, which its
 * errors do not carry, from the response seen by the fetch it is given. Errors never contain the
 * webhook URL (it is a secret).
 */
import { IncomingWebhook, IncomingWebhookHTTPError, type IncomingWebhookSendArguments } from '@slack/webhook';

export class SlackError extends Error {
  override name = 'SlackError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface SlackPostOptions {
  maxAttempts?: number;
  /** Longest total time spent waiting between attempts, ms. */
  maxWaitMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Why a request got no answer, without the URL: `timeout`, `ECONNREFUSED`, … */
function unreachable(err: unknown): string {
  const original = (err as { original?: Error }).original ?? (err as Error);
  if (original?.name === 'TimeoutError') return 'timeout';
  return (original as { cause?: { code?: string } })?.cause?.code ?? original?.name ?? 'error';
}

/** Retry-After in ms: delay-seconds or an HTTP date (RFC 9110); 1 s when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (header === null || header.trim() === '') return 1_000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : 1_000;
}

export async function postToSlack(url: string, payload: unknown, opts: SlackPostOptions = {}): Promise<void> {
  const attempts = opts.maxAttempts ?? 3;
  const maxWait = opts.maxWaitMs ?? 5_000;
  const sleep = opts.sleep ?? defaultSleep;
  let retryAfter: string | null = null;
  const webhook = new IncomingWebhook(url, {
    timeout: opts.timeoutMs ?? 5_000,
    retryConfig: { retries: 0 },
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      retryAfter = res.headers.get('retry-after');
      return res;
    },
  });
  let waited = 0;
  let last = '';
  let made = 0;
  let why = '';
  for (let i = 1; i <= attempts; i++) {
    let wait = 0;
    retryAfter = null;
    made = i;
    try {
      await webhook.send(payload as IncomingWebhookSendArguments);
      return;
    } catch (err) {
      if (err instanceof IncomingWebhookHTTPError) {
        const body = typeof err.body === 'string' ? err.body.slice(0, 100) : '';
        last = `Slack answered ${err.statusCode}${body ? ` (${body})` : ''}`;
        if (err.statusCode === 429) wait = retryAfterMs(retryAfter);
        else if (err.statusCode >= 500) wait = 200 * 2 ** (i - 1);
        // 4xx: the payload or the URL is wrong; retrying will not help.
        else throw new SlackError(last, err.statusCode);
      } else {
        last = `Slack could not be reached (${unreachable(err)})`;
        wait = 200 * 2 ** (i - 1);
      }
    }
    if (i === attempts) break;
    if (waited + wait > maxWait) {
      why = ` (the next attempt was due in ${Math.ceil(wait / 1000)} s, past the ${Math.round(maxWait / 1000)} s this delivery may wait)`;
      break;
    }
    waited += wait;
    await sleep(wait);
  }
  throw new SlackError(`${last}; gave up after ${made} attempt${made === 1 ? '' : 's'}${why}`);
}
