import { TimeoutError, withTimeout } from '../../../lib/util/concurrency';

describe('withTimeout', () => {
  it('with no time left, rejects at once and leaves no unhandled rejection behind (the call had started)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const started = new Promise((_, reject) => setTimeout(() => reject(new Error('the call failed later')), 10));
      await expect(withTimeout(started, 0, 'eks DescribeCluster')).rejects.toBeInstanceOf(TimeoutError);
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
