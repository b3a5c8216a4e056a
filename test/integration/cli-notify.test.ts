/** `stackcheck verify --notify slack --state FILE`: reports go out on change of state only. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '../support/cli';
import { SlackCapture } from '../support/fakes/slack';

const ROOT = join(__dirname, '../..');
let slack: SlackCapture;

beforeAll(async () => {
  slack = new SlackCapture();
  await slack.start();
});
afterAll(async () => {
  await slack.stop();
});

const run = (args: string[]) => runMain(args, { env: { SLACK_WEBHOOK_URL: slack.url } });
/** `stackcheck verify --snapshot examples/<example>-snapshot.json …flags`. */
const verify = (example: 'healthy' | 'drifted', ...flags: string[]) =>
  run(['verify', '--snapshot', join(ROOT, `examples/${example}-snapshot.json`), ...flags]);

describe('cli: --notify on change of state', () => {
  it('posts once for new drift, not again for the same state, and once when it is fixed', async () => {
    const state = join(mkdtempSync(join(tmpdir(), 'stackcheck-notify-')), 'state.json');
    const flags = ['--notify', 'slack', '--state', state, '--format', 'json'];
    const first = await verify('drifted', ...flags);
    expect(first.code).toBe(1);
    expect(first.err).toContain('notify: sent: the state changed');
    expect(slack.posts).toHaveLength(1);
    const again = await verify('drifted', ...flags);
    expect(again.err).toContain('notify: no change since the last report');
    expect(slack.posts).toHaveLength(1);
    const fixed = await verify('healthy', ...flags);
    expect(fixed.code).toBe(0);
    expect(slack.posts).toHaveLength(2);
    expect(JSON.stringify(slack.posts[1].body)).toContain('resolved');
    expect(first.err + again.err + fixed.err).not.toContain('test-secret-slack-path');
  });

  it('--notify-always sends even without change; --notify without --state is a usage error', async () => {
    const before = slack.posts.length;
    const r = await verify('healthy', '--notify', 'slack', '--notify-always', '--format', 'json');
    expect(r.err).toContain('notify: sent');
    expect(slack.posts.length).toBe(before + 1);
    const bad = await verify('healthy', '--notify', 'slack');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--notify needs --state');
  });

  it('--notify-always without --notify is a usage error (exit 2), and sends nothing', async () => {
    const before = slack.posts.length;
    const r = await verify('healthy', '--notify-always');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--notify-always needs --notify slack|sns');
    expect(r.out).toBe('');
    expect(slack.posts.length).toBe(before);
  });

  it('notifyAlways from the config file without notify is only a default: the run reports and sends nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackcheck-notify-config-'));
    writeFileSync(join(dir, 'stackcheck.yaml'), 'verify:\n  notifyAlways: true\n');
    const before = slack.posts.length;
    const r = await verify('healthy', '--config', join(dir, 'stackcheck.yaml'), '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).summary.error).toBe(0);
    expect(slack.posts.length).toBe(before);
  });

  it('a failed notification is in the report and fails the run (exit 1)', async () => {
    slack.status = 500;
    try {
      const r = await verify('healthy', '--notify', 'slack', '--notify-always', '--format', 'json');
      expect(r.code).toBe(1);
      const report = JSON.parse(r.out);
      expect(report.outcome).toBe('fail');
      expect(report.notification).toMatchObject({ sent: false, destinations: { slack: 'failed' } });
      expect(report.notification.errors).toEqual([expect.stringContaining('slack:')]);
      expect(r.err).toContain('notify: a destination failed');
      const text = await verify('healthy', '--notify', 'slack', '--notify-always');
      expect(text.code).toBe(1);
      expect(text.out).toMatch(/\nnotification failed: slack: .*\nFAIL /);
      expect(text.out + text.err).not.toContain('test-secret-slack-path');
    } finally {
      slack.status = 200;
    }
  });

  it('a destination asked for but not configured is a failed notification', async () => {
    const r = await verify('healthy', '--notify', 'sns', '--notify-always', '--format', 'json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).notification.errors).toEqual(['SNS_TOPIC_ARN is not set; SNS skipped']);
  });
});
