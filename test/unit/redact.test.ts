import { REDACTED, Redactor, isSecretKey, redactorFor, secretsInValues } from '../../lib/redact';
import { ConfigError } from '../../lib/errors';
import { failureLogFields } from '../../lib/lambda/log';

describe('redact: secret keys', () => {
  it.each([
    'password',
    'adminPassword',
    'GF_SECURITY_ADMIN_PASSWORD',
    'GF_AUTH_TOKEN',
    'client_secret',
    'apiKey',
    'api_key',
    'API-KEY',
    'apikey',
    'accessKey',
    'AWS_SECRET_ACCESS_KEY',
    'privateKey',
    'slack_api_url',
    'SLACK_WEBHOOK_URL',
    'webhookUrl',
    'credentials',
    'existingSecret',
    'passwordKey',
    'APITOKEN',
    'GITHUBTOKEN',
    'MYPASSWORD',
    'dbpassword',
    'clientsecret',
  ])('%s is a secret', (k) => expect(isSecretKey(k)).toBe(true));

  it.each([
    'key',
    'keyFile',
    'tokenFile',
    'secretName',
    'passwordRef',
    'SLACK_WEBHOOK_PARAM',
    'ALERTMANAGER_TOKEN_PARAM',
    'keyName',
    'retention',
    'name',
    'url',
    'monkey',
    'passive',
    'tokenizer',
    'tokenizers',
    'secretive',
    'passwordless',
  ])('%s is not a secret', (k) => expect(isSecretKey(k)).toBe(false));
});

describe('redact: values', () => {
  it('hides values under secret keys at any depth, numbers too, and leaves the rest', () => {
    expect(
      new Redactor().value({
        grafana: { adminPassword: 'p4ss', env: { GF_AUTH_TOKEN: 'tok', GF_SERVER_DOMAIN: 'example.com' } },
        alertmanager: { config: { global: { slack_api_url: 'https://example.com/x' } } },
        tolerations: [{ key: 'dedicated', value: 'monitoring' }],
        pin: { apiKey: 1234 },
        empty: { password: '' },
        flags: { webhook: true },
      }),
    ).toEqual({
      grafana: { adminPassword: REDACTED, env: { GF_AUTH_TOKEN: REDACTED, GF_SERVER_DOMAIN: 'example.com' } },
      alertmanager: { config: { global: { slack_api_url: REDACTED } } },
      tolerations: [{ key: 'dedicated', value: 'monitoring' }],
      pin: { apiKey: REDACTED },
      empty: { password: '' },
      flags: { webhook: true },
    });
  });

  it('hides the value of a {name, value} pair whose name is a secret (Kubernetes env lists, tags)', () => {
    expect(
      new Redactor().value({
        env: [
          { name: 'GF_AUTH_TOKEN', value: 'tok-123' },
          { name: 'TZ', value: 'Asia/Seoul' },
        ],
        tags: [{ Key: 'api-token', Value: 'v' }],
      }),
    ).toEqual({
      env: [
        { name: 'GF_AUTH_TOKEN', value: REDACTED },
        { name: 'TZ', value: 'Asia/Seoul' },
      ],
      tags: [{ Key: 'api-token', Value: REDACTED }],
    });
  });

  it('collects the literal secrets of a values tree', () => {
    expect(
      secretsInValues({ grafana: { adminPassword: 'pw-1', env: [{ name: 'X_TOKEN', value: 't-2' }] }, a: 'b' }),
    ).toEqual(['pw-1', 't-2']);
  });
});

describe('redact: shapes in text', () => {
  const r = new Redactor();
  it.each([
    ['https://hooks.slack.com/services/T000/B000/XXXX', 'https://hooks.slack.com/[REDACTED]'],
    [
      'post to https://discord.com/api/webhooks/123/abc failed',
      'post to https://discord.com/api/webhooks/[REDACTED] failed',
    ],
    ['https://admin:hunter2@grafana.example.com/api', 'https://admin:[REDACTED]@grafana.example.com/api'],
    ['git+https://ghp_abcdef1234@github.com/x', 'git+https://[REDACTED]@github.com/x'],
    ['Authorization: Bearer eyJhbGciOi.J9.abc', 'Authorization: Bearer [REDACTED]'],
    ['Authorization: Basic YWRtaW46aHVudGVyMg==', 'Authorization: Basic [REDACTED]'],
    ['token xoxb-1234-5678-abcdef', 'token [REDACTED]'],
    ['--set grafana.adminPassword=hunter2', '--set grafana.adminPassword=[REDACTED]'],
    ['https://x.example.com/?api_key=abc123&q=1', 'https://x.example.com/?api_key=[REDACTED]&q=1'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----', REDACTED],
  ])('%s', (input, want) => expect(r.text(input)).toBe(want));

  it('leaves ordinary text alone', () => {
    for (const s of [
      'Basic authentication is off',
      'the EKS token was refused',
      '--storage.tsdb.retention.time=5d',
      'https://prometheus.example.com/',
    ])
      expect(r.text(s)).toBe(s);
  });

  it('hides secret lines of multi-line YAML (a rendered manifest)', () => {
    expect(r.text('kind: Secret\ndata:\n  admin-password: "c2VjcmV0"\n  admin-user: "YWRtaW4="\n')).toBe(
      'kind: Secret\ndata:\n  admin-password: [REDACTED]\n  admin-user: "YWRtaW4="\n',
    );
  });
});

describe('redact: known secrets', () => {
  it('hides every secret-named variable value as a substring, and its base64 form', () => {
    const r = redactorFor({ env: { SLACK_WEBHOOK_URL: 'zz-canary-zz', ALERT_TOKEN: 'tok-canary', HOME: '/root' } });
    expect(r.text('url=https://x/zz-canary-zz/y and tok-canary')).toBe('url=https://x/[REDACTED]/y and [REDACTED]');
    expect(r.text(Buffer.from('tok-canary').toString('base64'))).toBe(REDACTED);
    expect(r.text('/root stays')).toBe('/root stays');
  });

  it('hides the values of variables named without a separator (APITOKEN, DBPASSWORD)', () => {
    const r = redactorFor({ env: { APITOKEN: 'api-canary-1', DBPASSWORD: 'db-canary-2', MYDOMAIN: 'example.com' } });
    expect(r.text('interval api-canary-1, retention db-canary-2, host example.com')).toBe(
      'interval [REDACTED], retention [REDACTED], host example.com',
    );
  });

  it('hides literal secrets of the values everywhere, deep in any object', () => {
    const r = redactorFor({ values: { grafana: { adminPassword: 'pw-canary-1' } } });
    expect(r.value({ results: [{ message: 'saw pw-canary-1 in a ConfigMap', expected: ['pw-canary-1'] }] })).toEqual({
      results: [{ message: `saw ${REDACTED} in a ConfigMap`, expected: [REDACTED] }],
    });
  });

  it('ignores values too short to hide without shredding text', () => {
    expect(redactorFor({ env: { X_TOKEN: 'ab' } }).text('a tab')).toBe('a tab');
  });
});

describe('redact: the verify Lambda failure log', () => {
  it('gives the reason under `reason` (not the reserved `message`), without secrets', () => {
    const err = new ConfigError('--set grafana.adminPassword=pw-canary-77: cannot parse; token canary-tok-55');
    expect(failureLogFields(err, { ALERT_TOKEN: 'canary-tok-55' })).toEqual({
      error: 'ConfigError',
      reason: '--set grafana.adminPassword=[REDACTED] cannot parse; token [REDACTED]',
    });
  });
});
