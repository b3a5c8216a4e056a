import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withConfigDefaults } from '../../../lib/config/flags';
import { configPath, loadConfigFile, parseConfig } from '../../../lib/config/load';
import { ConfigError } from '../../../lib/errors';
import { parseDuration } from '../../../lib/util/duration';

const ROOT = join(__dirname, '../../..');

function errorOf(text: string): string {
  try {
    parseConfig(text, '.stackcheck.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('config file: loading', () => {
  it("reads the lab's example: verify defaults (paths relative to the file), the WRK008 mute, thresholds", () => {
    const c = loadConfigFile(join(ROOT, 'examples/stackcheck.yaml'));
    expect(c.verify).toMatchObject({
      values: [join(ROOT, 'examples/monitor-values.yaml')],
      env: { MyDomain: 'example.com' },
      failOn: 'warning',
    });
    expect(c.verify.set).toHaveLength(2);
    expect(c.mutes).toEqual([
      {
        code: 'WRK008',
        resource: 'StatefulSet/monitoring/prometheus-*',
        reason: expect.stringContaining('externalUrl'),
        until: '2027-06-30',
      },
    ]);
    expect(c.overrides.thresholds).toEqual({
      certificateWarningDays: 30,
      certificateCriticalDays: 14,
      heartbeatMaxAgeSeconds: 600,
    });
  });

  it('accepts an empty file, a mute without resource (every resource), severity overrides and failOn never', () => {
    expect(parseConfig('', 'f').mutes).toEqual([]);
    const c = parseConfig(
      'mutes:\n  - code: ALB*\n    reason: x\noverrides:\n  severity:\n    WRK008: info\nverify:\n  failOn: never\n  checks: workloads,alb\n  wait: 90s\n',
      'f',
    );
    expect(c.mutes[0]).toEqual({ code: 'ALB*', resource: '*', reason: 'x' });
    expect(c.overrides.severity).toEqual({ WRK008: 'info' });
    expect(c.verify).toMatchObject({ failOn: 'never', checks: ['workloads', 'alb'], wait: '90s' });
  });

  it('takes a severity override of a code written in lower case as that code (wrk008 is WRK008)', () => {
    const c = parseConfig('overrides:\n  severity:\n    wrk008: critical\n', 'f');
    expect(c.overrides.severity).toEqual({ WRK008: 'critical' });
  });

  it('takes a section with nothing under it as empty (its keys commented out)', () => {
    const c = parseConfig('mutes:\noverrides:\n  # severity: {WRK008: info}\nverify:\n  # failOn: warning\n', 'f');
    expect(c).toMatchObject({ mutes: [], overrides: { severity: {}, thresholds: {} }, verify: {} });
  });

  it('names the key and the line of every mistake', () => {
    expect(errorOf('mutes:\n  - code: WRK008\n    resource: "*"\n')).toBe(
      '.stackcheck.yaml:2: mutes[0].reason: required: say why the finding is accepted',
    );
    expect(errorOf('verify:\n  domain: example.com\n  failon: warning\n')).toMatch(
      /^\.stackcheck\.yaml:3: verify\.failon: unknown key \(allowed here: .*failOn/,
    );
    expect(errorOf('overrides:\n  severity:\n    CRT002: urgent\n')).toBe(
      '.stackcheck.yaml:3: overrides.severity.CRT002: "urgent" is not one of critical, warning, info',
    );
    expect(errorOf('overrides:\n  severity:\n    XYZ123: info\n')).toBe(
      '.stackcheck.yaml:3: overrides.severity.XYZ123: not a known check code',
    );
    expect(errorOf('overrides:\n  thresholds:\n    certificateWarningDays: soon\n')).toBe(
      '.stackcheck.yaml:3: overrides.thresholds.certificateWarningDays: expected a number of days (at least 0)',
    );
    expect(errorOf('overrides:\n  thresholds:\n    certificateWarningDays: 7\n')).toMatch(
      /^\.stackcheck\.yaml:3: overrides\.thresholds\.certificateWarningDays: must be at least certificateCriticalDays \(14\)/,
    );
    expect(errorOf('mutes:\n  - code: WRK008\n    reason: r\n    until: next week\n')).toMatch(
      /^\.stackcheck\.yaml:4: mutes\[0\]\.until: "next week" is not a date/,
    );
    expect(errorOf('mutes:\n  - code: WRK008\n    reason: r\n    until: 2027-02-30\n')).toBe(
      '.stackcheck.yaml:4: mutes[0].until: 2027-02-30 is not a real date',
    );
    expect(errorOf('mutes:\n  - code: WRK008\n    reason: r\n    until: 2027-04-31T12:00:00Z\n')).toBe(
      '.stackcheck.yaml:4: mutes[0].until: 2027-04-31T12:00:00Z is not a real date',
    );
    expect(parseConfig('mutes:\n  - code: WRK008\n    reason: r\n    until: 2028-02-29\n', 'f').mutes[0].until).toBe(
      '2028-02-29',
    );
    expect(errorOf('mutes:\n  - code: WRK999\n    reason: r\n')).toBe(
      '.stackcheck.yaml:2: mutes[0].code: WRK999 is not a known check code',
    );
    expect(errorOf('verify:\n  checks: [workloads, dns]\n')).toMatch(
      /^\.stackcheck\.yaml:2: verify\.checks: unknown check family dns/,
    );
    expect(errorOf('verify:\n  wait: soon\n')).toMatch(/^\.stackcheck\.yaml:2: verify\.wait: "soon" is not a duration/);
    expect(errorOf('mutes: {code: WRK008}\n')).toMatch(/^\.stackcheck\.yaml:1: mutes: expected a list/);
    expect(errorOf('verify:\n  verbose: yes please\n')).toBe(
      '.stackcheck.yaml:2: verify.verbose: expected true or false',
    );
    expect(errorOf('verify:\n  format: xml\n')).toMatch(
      /^\.stackcheck\.yaml:2: verify\.format: "xml" is not one of text/,
    );
  });

  it('names what a file that is not a mapping should be', () => {
    expect(errorOf('- code: WRK008\n  reason: r\n')).toBe(
      '.stackcheck.yaml:1: top level: expected a mapping of mutes, overrides and verify',
    );
    expect(errorOf('WRK008\n')).toBe(
      '.stackcheck.yaml:1: top level: expected a mapping of mutes, overrides and verify',
    );
  });

  it('reports YAML syntax errors with their line', () => {
    expect(errorOf('mutes:\n  - code: WRK008\n    reason: [unclosed\n')).toMatch(
      /^\.stackcheck\.yaml:\d+: not valid YAML: /,
    );
    expect(errorOf('verify:\n  domain: a\n  domain: b\n')).toMatch(
      /^\.stackcheck\.yaml:3: not valid YAML: Map keys must be unique/,
    );
  });

  it('uses --config when given, else .stackcheck.yaml in the working directory when present', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackcheck-config-'));
    expect(configPath(undefined, dir)).toBeUndefined();
    writeFileSync(join(dir, '.stackcheck.yaml'), 'mutes: []\n');
    expect(configPath(undefined, dir)).toBe(join(dir, '.stackcheck.yaml'));
    expect(configPath('other.yaml', dir)).toBe(join(dir, 'other.yaml'));
    expect(() => loadConfigFile(join(dir, 'missing.yaml'))).toThrow(/missing\.yaml: cannot read it/);
  });
});

describe('durations', () => {
  it('reads 90s, 5m, 1h30m and bare seconds; rejects anything else', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('300')).toBe(300_000);
    expect(() => parseDuration('5 minutes')).toThrow(/not a duration/);
    expect(() => parseDuration('')).toThrow(/not a duration/);
  });
});

describe('config file: verify defaults under flags', () => {
  it('fills what the command line did not give; lists given replace, --env pairs merge by name', () => {
    const flags = { values: ['cli.yaml'], set: [], env: ['MyDomain=cli.example'], failOn: 'critical', format: 'text' };
    const given = new Set(['values', 'env', 'format']);
    const out = withConfigDefaults(
      flags,
      {
        values: ['file.yaml'],
        set: ['a=1'],
        env: { MyDomain: 'file.example', CERT_ARN: 'arn:x' },
        failOn: 'warning',
        format: 'json',
        checks: ['alb', 'certificate'],
        verbose: true,
      },
      (k) => given.has(k),
    );
    expect(out).toEqual({
      values: ['cli.yaml'],
      set: ['a=1'],
      env: ['CERT_ARN=arn:x', 'MyDomain=cli.example'],
      failOn: 'warning',
      format: 'text',
      checks: 'alb,certificate',
      verbose: true,
    });
  });
});
