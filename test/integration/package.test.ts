/**
 * `serverless package` (osls) offline, then the generated CloudFormation read back: each function
 * has its own role; none allows anything mutating beyond sns:Publish on the topic, the state
 * table's items and the function's own logs; the Internet-facing webhook cannot read the cluster,
 * the load balancer or the certificate, assume a role or enter the cluster; one EKS access entry
 * per configured cluster maps the verify role only; bundle sizes are printed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readZip } from '../support/zip';

const ROOT = join(__dirname, '../..');
let dir: string;
type Statement = { Sid?: string; Effect: string; Action: string[] | string; Resource: unknown };
type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
let template: { Resources: Resources };
const ENV = {
  ...process.env,
  // No AWS account: dummy credentials only satisfy the framework's provider setup; nothing is called.
  AWS_ACCESS_KEY_ID: 'AKIDPACKAGEONLY',
  AWS_SECRET_ACCESS_KEY: 'package-only',
  SLS_TELEMETRY_DISABLED: '1',
  SLS_NOTIFICATIONS_MODE: 'off',
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stackcheck-package-'));
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/osls/bin/serverless.js'), 'package', '--stage', 'ci', '--package', dir],
    {
      cwd: ROOT,
      env: ENV,
      stdio: 'pipe',
      timeout: 240_000,
    },
  );
  template = JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'));
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function roleStatements(role: { Properties: Record<string, unknown> }): Statement[] {
  return (role.Properties.Policies as Array<{ PolicyDocument: { Statement: Statement[] } }>).flatMap(
    (p) => p.PolicyDocument.Statement,
  );
}

function statements(resources: Resources = template.Resources): Statement[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Role')
    .flatMap(roleStatements);
}

/** The actions a role allows (denies only narrow them). */
function allowed(resources: Resources, role: string): string[] {
  return roleStatements(resources[role])
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => [s.Action].flat());
}

function accessEntries(resources: Resources) {
  return Object.values(resources).filter((r) => r.Type === 'AWS::EKS::AccessEntry');
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
    expect(accessEntries(r)).toEqual([
      {
        Type: 'AWS::EKS::AccessEntry',
        Properties: {
          ClusterName: 'myeks',
          PrincipalArn: { 'Fn::GetAtt': ['VerifyRole', 'Arn'] },
          Type: 'STANDARD',
          KubernetesGroups: ['stackcheck-readers'],
        },
      },
    ]);
    const schedule = Object.values(r).find((x) => x.Type === 'AWS::Events::Rule');
    expect(schedule?.Properties.ScheduleExpression).toBe('rate(5 minutes)');
  });

  it('gives each function its own role', () => {
    const role = (fn: string) => template.Resources[fn].Properties.Role;
    expect(role('VerifyLambdaFunction')).toEqual({ 'Fn::GetAtt': ['VerifyRole', 'Arn'] });
    expect(role('AlertmanagerWebhookLambdaFunction')).toEqual({ 'Fn::GetAtt': ['WebhookRole', 'Arn'] });
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it('the webhook role reads no cluster, load balancer or certificate, assumes no role, enters no cluster', () => {
    const actions = allowed(template.Resources, 'WebhookRole');
    expect(actions.filter((a) => /^(eks|elasticloadbalancing|acm|s3):|^sts:AssumeRole$/.test(a))).toEqual([]);
    expect(actions.sort()).toEqual(
      [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sns:Publish',
        'ssm:GetParameter',
      ].sort(),
    );
    const ssm = roleStatements(template.Resources.WebhookRole).find((st) =>
      [st.Action].flat().includes('ssm:GetParameter'),
    );
    expect(JSON.stringify(ssm?.Resource)).toContain(':parameter/stackcheck/alertmanager-token');
    for (const e of accessEntries(template.Resources))
      expect(JSON.stringify(e.Properties.PrincipalArn)).not.toContain('WebhookRole');
  });

  it('the verify role has what a run reads: the cluster, the load balancer, the certificate', () => {
    const actions = allowed(template.Resources, 'VerifyRole');
    expect(actions).toEqual(
      expect.arrayContaining([
        'eks:DescribeCluster',
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeTargetHealth',
        'acm:DescribeCertificate',
      ]),
    );
    const eks = roleStatements(template.Resources.VerifyRole).find((st) => st.Sid === 'ReadCluster');
    expect(eks?.Resource).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:eks:${AWS::Region}:${AWS::AccountId}:cluster/myeks' },
    ]);
  });

  describe('with config/clusters.yml listing several clusters', () => {
    let resources: Resources;
    beforeAll(() => {
      const clusters = join(dir, 'clusters.yml');
      writeFileSync(
        clusters,
        [
          'clusters:',
          '  - name: myeks',
          '  - name: prod-eks',
          '    schedule: rate(10 minutes)',
          '  - name: far-eks',
          '    region: us-east-1',
          '  - name: other-account',
          '    region: us-east-1',
          '    roleArn: arn:aws:iam::444455556666:role/stackcheck-reader',
          '',
        ].join('\n'),
      );
      // `print` resolves the same configuration `package` compiles, without bundling again.
      const out = execFileSync(
        process.execPath,
        [
          join(ROOT, 'node_modules/osls/bin/serverless.js'),
          'print',
          '--stage',
          'ci',
          '--format',
          'json',
          '--param=slackWebhookParam=arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:stackcheck/slack',
        ],
        { cwd: ROOT, env: { ...ENV, STACKCHECK_CLUSTERS_FILE: clusters }, stdio: 'pipe', timeout: 120_000 },
      );
      resources = JSON.parse(out.toString('utf8')).resources.Resources;
    }, 150_000);

    it('maps the verify role into each cluster of this account and region, one access entry each', () => {
      expect(accessEntries(resources).map((e) => [e.Properties.ClusterName, e.Properties.PrincipalArn])).toEqual([
        ['myeks', { 'Fn::GetAtt': ['VerifyRole', 'Arn'] }],
        ['prod-eks', { 'Fn::GetAtt': ['VerifyRole', 'Arn'] }],
      ]);
    });

    it('lets only the verify role assume the configured role and describe the listed clusters', () => {
      const assume = roleStatements(resources.VerifyRole).find((st) => [st.Action].flat().includes('sts:AssumeRole'));
      expect(assume).toMatchObject({ Effect: 'Allow', Resource: ['arn:aws:iam::444455556666:role/stackcheck-reader'] });
      expect(allowed(resources, 'WebhookRole')).not.toContain('sts:AssumeRole');
      const eks = roleStatements(resources.VerifyRole).find((st) => st.Sid === 'ReadCluster');
      expect(JSON.stringify(eks?.Resource)).toMatch(/cluster\/myeks.*cluster\/prod-eks.*us-east-1.*cluster\/far-eks/);
      expect(JSON.stringify(eks?.Resource)).not.toContain('other-account');
    });

    it('lets each role read the Secrets Manager secret it is configured with', () => {
      for (const role of ['VerifyRole', 'WebhookRole']) {
        const sm = roleStatements(resources[role]).find((st) =>
          [st.Action].flat().includes('secretsmanager:GetSecretValue'),
        );
        expect(sm?.Resource).toEqual([
          'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:stackcheck/slack',
          'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:stackcheck/slack-??????',
        ]);
      }
    });
  });
});
