import { retryAfterMs } from '../../../lib/adapters/slack';

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
