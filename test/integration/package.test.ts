/**
 * `serverless package` (osls) offline, then the generated CloudFormation read back: the role
 * allows nothing mutating beyond sns:Publish on the topic, the state table's items and the
 * functions' own logs; the EKS access entry exists; bundle sizes are printed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readZip } from '../support/zip';

const ROOT = join(__dirname, '../..');
let dir: string;
type Statement = { Sid?: string; Effect: string; Action: string[] | string; Resource: unknown };
let template: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stackcheck-package-'));
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/osls/bin/serverless.js'), 'package', '--stage', 'ci', '--package', dir],
    {
      cwd: ROOT,
      // No AWS account: dummy credentials only satisfy the framework's provider setup; nothing is called.
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'AKIDPACKAGEONLY',
        AWS_SECRET_ACCESS_KEY: 'package-only',
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
      },
      stdio: 'pipe',
      timeout: 240_000,
    },
  );
  template = JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'));
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function statements(): Statement[] {
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Role')
    .flatMap((r) =>
      (r.Properties.Policies as Array<{ PolicyDocument: { Statement: Statement[] } }>).flatMap(
        (p) => p.PolicyDocument.Statement,
      ),
    );
}

describe('serverless package', () => {
  it('bundles each function (the webhook without the Kubernetes client)', () => {
    const sizes = Object.fromEntries(
      ['verify', 'alertmanagerWebhook'].map((f) => [f, statSync(join(dir, `${f}.zip`)).size]),
    );
    console.log(`bundle sizes (zip): ${JSON.stringify(sizes)}`);
    expect(sizes.alertmanagerWebhook).toBeLessThan(300 * 1024);
    expect(sizes.verify).toBeGreaterThan(sizes.alertmanagerWebhook);
  });

  it('tree-shakes the verify bundle: no generated Kubernetes models, no whatwg-url tables', () => {
    const files = readZip(join(dir, 'verify.zip'));
    const code = files.get('functions/verify.js');
    expect(code).toBeDefined();
    const text = code!.toString('utf8');
    // keepNames keeps class names as strings: a bundled model would leave its name behind.
    for (const model of ['V1PodSpec', 'V1StatefulSetSpec', 'V1CustomResourceDefinitionSpec'])
      expect(text).not.toContain(model);
    // tr46 (whatwg-url's Unicode tables) marks its table rows with these statuses.
    expect(text).not.toContain('disallowed_STD3_valid');
    // The Kubernetes client is there: client-node's KubeConfig and its exec/OIDC authenticators.
    expect(text).toContain('KubeConfig');
    expect(code!.length).toBeLessThan(1.5 * 1024 * 1024);
  });

  it('targets nodejs22.x on arm64', () => {
    const fns = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(fns).toHaveLength(2);
    for (const f of fns) expect(f.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
  });

  it('grants no mutating action beyond sns:Publish, the state items and its own logs', () => {
    const readOnly =
      /^(eks:Describe|elasticloadbalancing:Describe|acm:Describe|ssm:GetParameter$|dynamodb:GetItem$|secretsmanager:GetSecretValue$|s3:GetObject$)/;
    const allowedWrites: Record<string, (resource: unknown) => boolean> = {
      'sns:Publish': (r) => JSON.stringify(r) === JSON.stringify({ Ref: 'ReportsTopic' }),
      'dynamodb:PutItem': (r) => JSON.stringify(r) === JSON.stringify({ 'Fn::GetAtt': ['StateTable', 'Arn'] }),
      's3:PutObject': (r) => JSON.stringify(r) === JSON.stringify({ 'Fn::Sub': '${ReportBucket.Arn}/reports/*' }),
      'logs:CreateLogStream': (r) => JSON.stringify(r).includes('log-group:/aws/lambda/stackcheck-ci'),
      'logs:CreateLogGroup': (r) => JSON.stringify(r).includes('log-group:/aws/lambda/stackcheck-ci'),
      'logs:TagResource': (r) => JSON.stringify(r).includes('log-group:/aws/lambda/stackcheck-ci'),
      'logs:PutLogEvents': (r) => JSON.stringify(r).includes('log-group:/aws/lambda/stackcheck-ci'),
    };
    for (const s of statements()) {
      if (s.Effect === 'Deny') continue; // denies only narrow what is allowed
      expect(s.Effect).toBe('Allow');
      for (const action of [s.Action].flat()) {
        expect(action).not.toContain('*');
        if (readOnly.test(action)) continue;
        expect(Object.keys(allowedWrites)).toContain(action);
        expect(allowedWrites[action](s.Resource)).toBe(true);
      }
    }
  });

  it('may assume no role unless config/clusters.yml names one (cross-account clusters)', () => {
    const assume = statements().filter((s) => [s.Action].flat().includes('sts:AssumeRole'));
    expect(assume).toEqual([expect.objectContaining({ Effect: 'Deny', Resource: '*' })]);
  });

  it('creates the state table with TTL, the topic, a private report bucket with expiry, and an EKS access entry', () => {
    const r = template.Resources;
    expect(r.ReportBucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 30 }] },
    });
    expect(r.StateTable.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect(r.ReportsTopic.Type).toBe('AWS::SNS::Topic');
    expect(r.VerifyAccessEntry).toMatchObject({
      Type: 'AWS::EKS::AccessEntry',
      Properties: { ClusterName: 'myeks', KubernetesGroups: ['stackcheck-readers'] },
    });
    const schedule = Object.values(r).find((x) => x.Type === 'AWS::Events::Rule');
    expect(schedule?.Properties.ScheduleExpression).toBe('rate(5 minutes)');
  });
});
