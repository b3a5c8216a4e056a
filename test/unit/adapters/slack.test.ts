import { postToSlack, retryAfterMs } from '../../../lib/adapters/slack';
import { SlackCapture } from '../../support/fakes/slack';

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');
  it('reads delay-seconds', () => {
    expect(retryAfterMs('0', now)).toBe(0);
    expect(retryAfterMs('2', now)).toBe(2_000);
    expect(retryAfterMs('1.5', now)).toBe(1_500);
  });
  it('reads an HTTP date, never negative', () => {
    expect(retryAfterMs('Thu, 26 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Thu, 26 Nov 2026 11:59:00 GMT', now)).toBe(0);
  });
  it('falls back to one second when absent or unreadable', () => {
    expect(retryAfterMs(null, now)).toBe(1_000);
    expect(retryAfterMs('', now)).toBe(1_000);
    expect(retryAfterMs('soon', now)).toBe(1_000);
  });
});

describe('postToSlack: the error says what happened', () => {
  const slack = new SlackCapture();
  beforeAll(() => slack.start());
  afterAll(() => slack.stop());
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  beforeEach(() => {
    slack.attempts.length = 0;
    sleeps.length = 0;
  });

  it('a 429 with a Retry-After past the wait budget: one attempt, and says so', async () => {
    slack.status = 429;
    slack.retryAfter = '120';
    const err = await postToSlack(slack.url, { text: 'x' }, { sleep }).catch((e: Error) => e);
    expect(slack.attempts).toEqual([429]);
    expect(sleeps).toEqual([]);
    expect((err as Error).message).toBe(
      'Slack answered 429 (rate_limited); gave up after 1 attempt (the next attempt was due in 120 s, past the 5 s this delivery may wait)',
    );
    expect((err as Error).message).not.toContain('test-secret-slack-path');
  });

  it('a 503 three times: three attempts, and says three', async () => {
    slack.status = 503;
    const err = await postToSlack(slack.url, { text: 'x' }, { sleep }).catch((e: Error) => e);
    expect(slack.attempts).toEqual([503, 503, 503]);
    expect(sleeps).toEqual([200, 400]);
    expect((err as Error).message).toBe('Slack answered 503 (service_unavailable); gave up after 3 attempts');
  });
});
