/**
 * Posting to a Slack incoming webhook with plain fetch: honours Retry-After on 429, retries 5xx
 * and network errors with backoff, bounded in attempts and total time. Errors never contain the
 * webhook URL (it is a secret).
 */
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
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function postToSlack(url: string, payload: unknown, opts: SlackPostOptions = {}): Promise<void> {
  const attempts = opts.maxAttempts ?? 3;
  const maxWait = opts.maxWaitMs ?? 5_000;
  const doFetch = opts.fetchImpl ?? fetch;
  const sleep = opts.sleep ?? defaultSleep;
  let waited = 0;
  let last = '';
  for (let i = 1; i <= attempts; i++) {
    let wait = 0;
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
      });
      const text = await res.text().catch(() => '');
      if (res.ok) return;
      last = `Slack answered ${res.status}${text ? ` (${text.slice(0, 100)})` : ''}`;
      if (res.status === 429) wait = Math.max(0, Number(res.headers.get('retry-after') ?? '1') * 1000);
      else if (res.status >= 500) wait = 200 * 2 ** (i - 1);
      else throw new SlackError(last, res.status); // 4xx: the payload or the URL is wrong; retrying will not help
    } catch (err) {
      if (err instanceof SlackError) throw err;
      last = `Slack could not be reached (${(err as Error).name === 'TimeoutError' ? 'timeout' : ((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name)})`;
      wait = 200 * 2 ** (i - 1);
    }
    if (i === attempts || waited + wait > maxWait) break;
    waited += wait;
    await sleep(wait);
  }
  throw new SlackError(`${last}; gave up after ${attempts} attempts`);
}
