/** Mutes and notifications through the CLI: a muted result never triggers one; an expired mute does. */
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

const run = (args: string[]) =>
  runMain(args, { env: { SLACK_WEBHOOK_URL: slack.url }, cwd: mkdtempSync(join(tmpdir(), 'stackcheck-cwd-')) });

describe('cli: muted results and --notify', () => {
  it('a muted WRK008 never triggers a notification; once its mute expires, it does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackcheck-mutes-'));
    const config = (until: string) => {
      const file = join(dir, `mute-${until}.yaml`);
      writeFileSync(
        file,
        `mutes:\n  - code: WRK008\n    resource: "StatefulSet/monitoring/*"\n    reason: no externalUrl yet\n    until: ${until}\n`,
      );
      return file;
    };
    const args = (until: string) => [
      'verify',
      '--config',
      config(until),
      '--snapshot',
      join(ROOT, 'examples/healthy-snapshot.json'),
      '--notify',
      'slack',
      '--state',
      join(dir, 'state.json'),
      '--fail-on',
      'warning',
      '--format',
      'json',
    ];

    const first = await run(args('2099-01-01'));
    expect(first.code).toBe(0);
    expect(first.err).toContain('notify: first run, nothing failing');
    const again = await run(args('2099-01-01'));
    expect(again.err).toMatch(/notify: (first run, nothing failing|no change since the last report)/);
    expect(slack.posts).toHaveLength(0);

    const expired = await run(args('2020-01-01'));
    expect(expired.code).toBe(1);
    expect(expired.err).toContain('notify: sent');
    expect(slack.posts).toHaveLength(1);
    const body = JSON.stringify(slack.posts[0].body);
    expect(body).toContain('WRK008');
    expect(body).toContain('the mute for this result expired on 2020-01-01');
  });
});
