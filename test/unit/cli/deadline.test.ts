import { boundedRun, RUN_GRACE_MS } from '../../../lib/cli/deadline';
import { CollectError } from '../../../lib/errors';

describe('cli: the whole run is bounded by --timeout', () => {
  afterEach(() => jest.useRealTimers());

  it('a run still hanging after the timeout and its grace ends as a collection error naming --timeout', async () => {
    jest.useFakeTimers();
    const hung = boundedRun(new Promise<number>(() => {}), 2);
    jest.advanceTimersByTime(2_000 + RUN_GRACE_MS);
    await expect(hung).rejects.toThrow(CollectError);
    await expect(hung).rejects.toThrow('the run did not finish within --timeout 2s');
  });

  it('a run that finishes in time keeps its value and leaves no timer behind', async () => {
    jest.useFakeTimers();
    await expect(boundedRun(Promise.resolve(7), 2)).resolves.toBe(7);
    expect(jest.getTimerCount()).toBe(0);
  });
});
