/**
 * Secret canaries through the CLI: set in a values file (through ${VAR} substitution and literally
 * under a secret key), in `--set`, in `--env` and in the environment, on a snapshot whose release
 * values differ so HELM003 shows values. None may reach a report format, the Slack or SNS body,
 * stderr or the `--record` file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { runMain } from '../support/cli';
import { LAB_CERT_ARN } from '../support/factories/expected';
import { startLabFakes, useEnv, type LabFakes } from '../support/fakes/lab';
import { SlackCapture } from '../support/fakes/slack';

const ROOT = join(__dirname, '../..');
const TOPIC = 'arn:aws:sns:ap-northeast-2:111122223333:stackcheck-reports';
const CANARY_ENV = 'canary-env-a81f29c3'; // ALERT_TOKEN in the environment, substituted into the file
const CANARY_FLAG_ENV = 'canary-flagenv-5b02de71'; // DB_PASSWORD by --env, substituted into the file
const CANARY_FILE = 'canary-file-c4e7f010'; // literally under a secret key of the file
const CANARY_SET = 'canary-set-93ab6e25'; // --set under a secret key
const CANARY_DEPLOYED = 'canary-deployed-17fe0b4c'; // the token the cluster has
const CANARY_MANIFEST = 'canary-manifest-6c3a91ee'; // a secret in the release's rendered manifest
const CANARIES = [CANARY_ENV, CANARY_FLAG_ENV, CANARY_FILE, CANARY_SET, CANARY_DEPLOYED, CANARY_MANIFEST];

let lab: LabFakes;
let slack: SlackCapture;
let restore: () => void;
let dir: string;
let snapshotFile: string;
let valuesFile: string;

beforeAll(async () => {
  lab = await startLabFakes();
  slack = new SlackCapture();
  await slack.start();
  restore = useEnv(lab.env);
  dir = mkdtempSync(join(tmpdir(), 'stackcheck-secrets-'));
  // The deployed release has another token, a Slack URL of its own, and a manifest with a secret.
  const snapshot = JSON.parse(readFileSync(join(ROOT, 'examples/healthy-snapshot.json'), 'utf8'));
  const deployed = snapshot.kubernetes.helmReleases.find((r: { status: string }) => r.status === 'deployed');
  deployed.config.grafana.env = { GF_AUTH_TOKEN: CANARY_DEPLOYED };
  deployed.manifest = `apiVersion: v1\nkind: ConfigMap\ndata:\n  GF_AUTH_TOKEN: ${CANARY_MANIFEST}\n`;
  snapshotFile = join(dir, 'snapshot.json');
  writeFileSync(snapshotFile, JSON.stringify(snapshot));
  const values = parse(readFileSync(join(ROOT, 'examples/monitor-values.yaml'), 'utf8'));
  values.grafana.env = { GF_AUTH_TOKEN: 'PLACEHOLDER_ALERT_TOKEN', GF_DATABASE_PASSWORD: 'PLACEHOLDER_DB_PASSWORD' };
  values.grafana['grafana.ini'] = { server: { root_url: 'https://grafana.example.com/PLACEHOLDER_ALERT_TOKEN' } };
  values.grafana.adminPassword = CANARY_FILE;
  values.alertmanager = { config: { global: { slack_api_url: 'PLACEHOLDER_SLACK' } } };
  valuesFile = join(dir, 'values.yaml');
  writeFileSync(
    valuesFile,
    stringify(values)
      .replaceAll('PLACEHOLDER_ALERT_TOKEN', '${ALERT_TOKEN}')
      .replaceAll('PLACEHOLDER_DB_PASSWORD', '${DB_PASSWORD}')
      .replaceAll('PLACEHOLDER_SLACK', '${SLACK_WEBHOOK_URL}'),
  );
}, 60_000);

afterAll(async () => {
  restore();
  await lab.stop();
  await slack.stop();
  rmSync(dir, { recursive: true, force: true });
});

const run = (args: string[]) =>
  runMain(args, {
    env: { ...process.env, ALERT_TOKEN: CANARY_ENV, SLACK_WEBHOOK_URL: slack.url, SNS_TOPIC_ARN: TOPIC },
  });

function leaked(text: string): string[] {
  // the Slack URL's path is the capture server's secret (SLACK_WEBHOOK_URL, substituted into the file)
  return [...CANARIES, 'test-secret-slack-path'].filter((c) => text.includes(c));
}

describe('cli: secrets never leave the process', () => {
  it.each(['text', 'json', 'junit', 'markdown', 'html'])(
    '%s report, stderr, Slack, SNS and --record carry no canary',
    async (format) => {
      const record = join(dir, `recorded-${format}.json`);
      const posts = slack.posts.length;
      const calls = lab.aws.calls.length;
      const r = await run([
        'verify',
        '--snapshot',
        snapshotFile,
        '--values',
        valuesFile,
        '--env',
        'MyDomain=example.com',
        '--env',
        `CERT_ARN=${LAB_CERT_ARN}`,
        '--env',
        `DB_PASSWORD=${CANARY_FLAG_ENV}`,
        '--set',
        `grafana.env.GF_SECURITY_SECRET_KEY=${CANARY_SET}`,
        '--format',
        format,
        '--record',
        record,
        '--notify',
        'slack,sns',
        '--notify-always',
      ]);
      // HELM003 shows where the deployed values differ, secret paths without their values
      expect(r.out).toContain('HELM003');
      expect(r.out).toContain('grafana.env.GF_AUTH_TOKEN (redacted)');
      expect(r.err).toContain('notify: sent');
      const sns = lab.aws.calls.slice(calls).filter((c) => c.service === 'sns' && c.action === 'Publish');
      expect(sns).toHaveLength(1);
      expect(slack.posts.length).toBe(posts + 1);
      expect({
        report: leaked(r.out),
        stderr: leaked(r.err),
        // (each post went to the secret URL itself: only its body is checked)
        slack: leaked(JSON.stringify(slack.posts.slice(posts).map((p) => p.body))),
        sns: leaked(JSON.stringify(sns)),
        record: leaked(readFileSync(record, 'utf8')),
      }).toEqual({ report: [], stderr: [], slack: [], sns: [], record: [] });
    },
    30_000,
  );

  it('an error message quoting a --set secret is redacted on stderr', async () => {
    const r = await run(['verify', '--snapshot', snapshotFile, '--set', `grafana.adminPassword[x]=${CANARY_SET}`]);
    expect(r.err).toContain('--set');
    expect(r.code).toBe(2);
    expect(leaked(r.err)).toEqual([]);
  });
});
