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

function handler() {
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

async function invoke(event: unknown): Promise<VerifyFunctionResult> {
  return (await handler()(event, context)) as VerifyFunctionResult;
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
