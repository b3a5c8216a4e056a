/**
 * The verify Lambda handler in-process against the loopback fakes: real SDK clients through the
 * standard AWS_ENDPOINT_URL_* variables, DynamoDB state in dynalite, a Slack capture server and
 * the SNS fake. Drift → one report; same state → none; fixed → one "resolved" report.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createStateTable, startDynalite } from '../support/fakes/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { createVerifyHandler, type VerifyFunctionResult } from '../../functions/verify';
import { DynamoStore } from '../../lib/state/dynamodb';
import { forwardAction, redirectAction } from '../support/factories/aws';
import { LAB_CERT_ARN } from '../support/factories/expected';
import { LAB_TG_GRAFANA_ARN, labKubernetesState } from '../support/factories/k8s';
import { startLabFakes, useEnv, type LabFakes } from '../support/fakes/lab';
import { SlackCapture } from '../support/fakes/slack';
import { ASSUMED } from '../support/fakes/aws';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { labValues } from '../support/factories/expected';
import { FakeS3 } from '../support/fakes/s3';

const TOPIC = 'arn:aws:sns:ap-northeast-2:111122223333:stackcheck-reports';
let lab: LabFakes;
let slack: SlackCapture;
const s3 = new FakeS3();
let ddb: { endpoint: string; stop(): Promise<void> };
let restore: () => void;
let store: DynamoStore;
const output: string[] = [];
const realWrite = process.stdout.write.bind(process.stdout);

const context = {
  awsRequestId: 'req-1',
  functionName: 'verify',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

function handler(extraEnv: NodeJS.ProcessEnv = {}) {
  return createVerifyHandler({
    env: {
      ...process.env,
      CLUSTER_NAME: 'myeks',
      DOMAIN: 'example.com',
      CERT_ARN: LAB_CERT_ARN,
      SLACK_WEBHOOK_URL: slack.url,
      SNS_TOPIC_ARN: TOPIC,
      SKIP_FAMILIES: '["prometheus","grafana","heartbeat"]',
      REPORT_BUCKET: 'stackcheck-ci-reports',
      ...extraEnv,
    },
    store: () => store,
    logger: new Logger({ serviceName: 'stackcheck-verify', logLevel: 'DEBUG' }),
    metrics: new Metrics({ namespace: 'stackcheck-test', serviceName: 'stackcheck-verify' }),
  });
}

const schedule = {
  version: '0',
  id: 'e1',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '111122223333',
  time: '2026-11-24T10:00:00Z',
  region: 'ap-northeast-2',
  resources: ['arn:aws:events:ap-northeast-2:111122223333:rule/verify-myeks'],
  detail: {},
};

beforeAll(async () => {
  lab = await startLabFakes();
  slack = new SlackCapture();
  await slack.start();
  ddb = await startDynalite();
  await s3.start();
  restore = useEnv({
    ...lab.env,
    AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint,
    AWS_ENDPOINT_URL_S3: s3.url,
  });
  const client = new DynamoDBClient({});
  await createStateTable(client);
  store = new DynamoStore('stackcheck-state', client);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    output.push(String(chunk));
    return (realWrite as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
}, 60_000);

afterAll(async () => {
  process.stdout.write = realWrite;
  restore();
  await lab.stop();
  await slack.stop();
  await ddb.stop();
  await s3.stop();
});

async function invoke(event: unknown, extraEnv?: NodeJS.ProcessEnv): Promise<VerifyFunctionResult> {
  return (await handler(extraEnv)(event, context)) as VerifyFunctionResult;
}

describe('verify Lambda: reports on change of state', () => {
  it('drift on the first run → one Slack post and one SNS publish', async () => {
    lab.aws.state.listeners.find((l) => l.Port === 80)!.DefaultActions = [forwardAction(LAB_TG_GRAFANA_ARN)];
    const r = await invoke(schedule);
    expect(r.outcome).toBe('fail');
    expect(r.failing.map((f) => f.code)).toContain('ALB003');
    expect(r.notification).toMatchObject({ sent: true });
    expect(slack.posts).toHaveLength(1);
    expect(slack.posts[0].body.text).toBe('stackcheck myeks: FAILING (2 failed, 0 errors) — 2 new');
    const sns = lab.aws.published();
    expect(sns).toHaveLength(1);
    expect(sns[0]).toMatchObject({
      topicArn: TOPIC,
      structure: 'json',
      attributes: { cluster: 'myeks', severity: 'critical', status: 'fail' },
    });
    expect(
      JSON.parse(JSON.parse(sns[0].message).default)
        .newFailures.map((f: { code: string }) => f.code)
        .sort(),
    ).toEqual(['ALB003', 'WRK008']);
  }, 30_000);

  it('stores the HTML and JSON reports in S3 and links them with a presigned URL', async () => {
    const last = slack.posts[slack.posts.length - 1];
    const context = JSON.stringify(last.body.blocks);
    const url = /<(http:\/\/127\.0\.0\.1:\d+\/stackcheck-ci-reports\/reports\/myeks\/[^|>]+\.html[^|>]*)\|report>/.exec(
      context,
    )?.[1];
    expect(url).toBeDefined();
    expect(url).toContain('X-Amz-Signature=');
    expect(url).toContain('X-Amz-Expires=86400');
    const page = await fetch(url!.replace(/&amp;/g, '&'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<svg');
    expect([...s3.objects.keys()].some((k) => k.endsWith('.json'))).toBe(true);
    expect(JSON.parse(JSON.parse(lab.aws.published()[0].message).default).reportUrl).toContain('.html');
  });

  it('same state again → nothing sent', async () => {
    const r = await invoke(schedule);
    expect(r.notification).toMatchObject({ sent: false, reason: 'no change since the last report' });
    expect(slack.posts).toHaveLength(1);
    expect(lab.aws.published()).toHaveLength(1);
  }, 30_000);

  it('drift fixed → one "resolved" report (direct invoke)', async () => {
    lab.aws.state.listeners.find((l) => l.Port === 80)!.DefaultActions = [redirectAction()];
    const r = await invoke({ cluster: 'myeks' });
    expect(r.outcome).toBe('pass');
    expect(r.notification).toMatchObject({ sent: true, change: { new: 0, resolved: 1 } });
    expect(slack.posts).toHaveLength(2);
    expect(JSON.stringify(slack.posts[1].body.blocks)).toContain('Resolved');
  }, 30_000);

  it('notify "always" forces a report; "never" sends none', async () => {
    expect((await invoke({ notify: 'always' })).notification).toMatchObject({ sent: true });
    expect(slack.posts).toHaveLength(3);
    expect((await invoke({ notify: 'never' })).notification).toMatchObject({ sent: false });
    expect(slack.posts).toHaveLength(3);
  }, 30_000);

  it('Slack down → the notification fails, the state is not advanced, the next run sends', async () => {
    lab.kube.state = labKubernetesState();
    lab.kube.state.persistentVolumeClaims[1].status = { phase: 'Pending' };
    slack.status = 500;
    const r = await invoke(schedule);
    expect(r.notification).toMatchObject({ sent: false, destinations: { slack: 'failed', sns: 'sent' } });
    slack.status = 200;
    const again = await invoke(schedule);
    expect(again.notification).toMatchObject({ sent: true, change: { new: 1 } });
    expect(slack.find('1 new')).toHaveLength(1);
  }, 30_000);

  it('verifies a cluster in another account through the role it assumes', async () => {
    lab.kube.credentials = { accessKeyId: ASSUMED.accessKeyId, secretAccessKey: ASSUMED.secretAccessKey };
    try {
      const before = lab.aws.calls.length;
      const r = await invoke({
        cluster: 'myeks',
        region: 'ap-northeast-2',
        roleArn: 'arn:aws:iam::444455556666:role/stackcheck-reader',
        notify: 'never',
      });
      const calls = lab.aws.calls.slice(before);
      expect(calls.find((c) => c.action === 'AssumeRole')?.params.RoleArn).toBe(
        'arn:aws:iam::444455556666:role/stackcheck-reader',
      );
      expect(calls.filter((c) => c.service === 'elbv2').every((c) => c.accessKeyId === ASSUMED.accessKeyId)).toBe(true);
      // The API server accepted the token only because it was signed with the assumed role's keys.
      expect(r.failing.filter((f) => f.status === 'error')).toEqual([]);
    } finally {
      lab.kube.credentials = { accessKeyId: 'AKIDSTACKCHECKTEST', secretAccessKey: 'stackcheck-test-secret-key' };
    }
  }, 30_000);

  it('a warm invocation sees a values file that changed since the last one (and the same file gives the same result)', async () => {
    lab.kube.state = labKubernetesState();
    const dir = mkdtempSync(join(tmpdir(), 'stackcheck-lambda-values-'));
    const valuesFile = join(dir, 'values.yaml');
    try {
      writeFileSync(valuesFile, stringify(labValues()));
      const env = { VALUES_FILE: valuesFile };
      const first = await invoke({ notify: 'never' }, env);
      const same = await invoke({ notify: 'never' }, env);
      expect(same.summary).toEqual(first.summary);
      expect(same.failing).toEqual(first.failing);
      const lab0 = labValues() as { grafana: Record<string, unknown> };
      writeFileSync(valuesFile, stringify({ ...lab0, grafana: { ...lab0.grafana, replicas: 3 } }));
      const changed = await invoke({ notify: 'never' }, env);
      const grafana = changed.failing.filter((f) => !first.failing.some((g) => g.code === f.code));
      expect(grafana.length).toBeGreaterThan(0);
      expect(JSON.stringify(grafana)).toContain('grafana');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('rejects a bad payload with a clear error and sends nothing', async () => {
    const before = slack.posts.length;
    await expect(invoke({ notify: 'sometimes' })).rejects.toThrow(
      'payload.notify must be "on-change", "always" or "never"',
    );
    await expect(invoke({ checks: ['alb', 'nope'] })).rejects.toThrow('unknown check family nope');
    await expect(invoke({ clusterName: 'x' })).rejects.toThrow('unknown payload key clusterName');
    await expect(invoke({ roleArn: 'not-an-arn' })).rejects.toThrow('payload.roleArn must be an IAM role ARN');
    expect(slack.posts.length).toBe(before);
  });

  it('logs structured JSON with cluster and run id, EMF metrics, and never a secret', () => {
    const lines = output
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'));
    const finished = lines.map((l) => JSON.parse(l)).find((l) => l.message === 'verify finished');
    expect(finished).toMatchObject({ cluster: 'myeks', runId: 'req-1', service: 'stackcheck-verify' });
    expect(lines.some((l) => l.includes('"_aws"') && l.includes('results_fail'))).toBe(true);
    const all = output.join('');
    expect(all).not.toContain('test-secret-slack-path');
    expect(all).not.toContain('stackcheck-test-secret-key');
  });
});

describe('verify Lambda: secrets and failures', () => {
  it('logs why a run failed under a key Powertools keeps (reason), redacted', async () => {
    // Powertools writes ERROR lines to stderr.
    const errors: string[] = [];
    const realErr = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) =>
      errors.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      await expect(
        invoke({ notify: 'sometimes' }, { VALUES_SET: '["grafana.adminPassword=canary-lambda-7e21c4"]' }),
      ).rejects.toThrow();
    } finally {
      process.stderr.write = realErr;
    }
    expect(errors.join('')).not.toContain('canary-lambda');
    const failed = errors
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l))
      .find((l) => l.message === 'verify failed');
    expect(failed).toMatchObject({
      level: 'ERROR',
      error: 'ConfigError',
      reason: expect.stringContaining('payload.notify must be "on-change", "always" or "never"'),
    });
  });

  it('puts no secret of the values file, VALUES_SET or VALUES_ENV into Slack, SNS, S3 or a log line', async () => {
    const CANARY_ENV = 'canary-env-6d1f0b2e';
    const CANARY_HOOK = 'https://hooks.slack.com/services/T0CANARY/B0CANARY/canaryhook5e6f';
    const CANARY_SET = 'canary-set-41aa97c0';
    const CANARY_FILE = 'canary-file-9b3e55d1';
    const DEPLOYED = 'canary-deployed-0c3d9a';
    const canaries = [CANARY_ENV, 'canaryhook5e6f', CANARY_SET, CANARY_FILE, DEPLOYED];
    const dir = mkdtempSync(join(tmpdir(), 'stackcheck-lambda-secrets-'));
    const valuesFile = join(dir, 'values.yaml');
    const lab0 = labValues() as { grafana: Record<string, unknown> };
    writeFileSync(
      valuesFile,
      `${stringify({
        ...lab0,
        // under keys that are no secret: only the substituted value itself tells
        grafana: {
          ...lab0.grafana,
          env: { GF_AUTH_TOKEN: 'PLACEHOLDER_TOKEN' },
          'grafana.ini': { server: { root_url: 'https://grafana.example.com/PLACEHOLDER_TOKEN' } },
        },
        alertmanager: { config: { global: { slack_api_url: 'PLACEHOLDER_HOOK' } } },
        extraSecret: { password: CANARY_FILE },
      })}`
        .replaceAll('PLACEHOLDER_TOKEN', '${ALERT_TOKEN}')
        .replace('PLACEHOLDER_HOOK', '${AM_SLACK_WEBHOOK_URL}'),
    );
    // The deployed release holds another token, and its rendered manifest the substituted ones.
    const deployed = lab.kube.state.helmReleases.find((r) => r.status === 'deployed')!;
    const saved = { config: deployed.config, manifest: deployed.manifest };
    deployed.config = { ...labValues(), grafana: { ...lab0.grafana, env: { GF_AUTH_TOKEN: DEPLOYED } } };
    deployed.manifest = `kind: Deployment\nenv:\n  - name: GF_AUTH_TOKEN\n    value: ${CANARY_ENV}\n  # ${CANARY_SET}\n`;
    const posts = slack.posts.length;
    const logged = output.length;
    const snsCalls = lab.aws.calls.length;
    try {
      const r = await invoke(
        { notify: 'always' },
        {
          VALUES_FILE: valuesFile,
          VALUES_ENV: JSON.stringify({ ALERT_TOKEN: CANARY_ENV, AM_SLACK_WEBHOOK_URL: CANARY_HOOK }),
          VALUES_SET: JSON.stringify([`grafana.adminPassword=${CANARY_SET}`]),
        },
      );
      expect(r.failing).toContainEqual(
        expect.objectContaining({
          code: 'HELM003',
          message: 'values in git and the deployed release differ at grafana.env.GF_AUTH_TOKEN (redacted)',
        }),
      );
      expect(slack.posts.length).toBe(posts + 1);
      const leaks = {
        result: JSON.stringify(r),
        slack: JSON.stringify(slack.posts.slice(posts)),
        sns: JSON.stringify(lab.aws.calls.slice(snsCalls).filter((c) => c.service === 'sns')),
        s3: [...s3.objects.values()].map((o) => o.body.toString('utf8')).join('\n'),
        logs: output.slice(logged).join(''),
      };
      expect(leaks.sns).toContain('Publish');
      expect(leaks.s3).toContain('HELM003');
      for (const [where, text] of Object.entries(leaks))
        for (const c of canaries)
          expect({ where, leaked: text.includes(c) ? c : null }).toEqual({ where, leaked: null });
    } finally {
      Object.assign(deployed, saved);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
