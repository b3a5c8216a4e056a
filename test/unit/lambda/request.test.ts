import { ConfigError } from '../../../lib/errors';
import { parseVerifyPayload } from '../../../lib/lambda/payload';
import { verifyRequestFromLambda } from '../../../lib/lambda/request';

describe('the verify Lambda front door', () => {
  const env = { CLUSTER_NAME: 'myeks', AWS_REGION: 'ap-northeast-2' };
  it('validates families with the same rules as the CLI, naming the payload key', () => {
    expect(() => verifyRequestFromLambda(parseVerifyPayload({ checks: ['helm', 'nope'] }), env, 60_000)).toThrow(
      /payload\.checks: unknown check family nope/,
    );
    expect(() => verifyRequestFromLambda({}, { ...env, SKIP_FAMILIES: '["albs"]' }, 60_000)).toThrow(
      /SKIP_FAMILIES\): unknown check family albs/,
    );
  });
  it.each([['[1,2]'], ['"KEY=value"'], ['{"A": 1}']])(
    'refuses VALUES_ENV=%s, which is not a JSON object of strings',
    (raw) => {
      expect(() => verifyRequestFromLambda({}, { ...env, VALUES_ENV: raw }, 60_000)).toThrow(ConfigError);
      expect(() => verifyRequestFromLambda({}, { ...env, VALUES_ENV: raw }, 60_000)).toThrow(
        /VALUES_ENV must be a JSON object/,
      );
    },
  );
  it('takes the cluster, its region and the deadline from the payload and the remaining time', () => {
    const r = verifyRequestFromLambda(
      parseVerifyPayload({ cluster: 'other', region: 'eu-west-1' }),
      env,
      65_000,
      1_000,
    );
    expect(r.source).toEqual({ target: { mode: 'eks', cluster: 'other', region: 'eu-west-1' } });
    expect(r.deadline).toBe(1_000 + 60_000);
  });
});
