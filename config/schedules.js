'use strict';
// serverless.yml reads the cluster list from here: one EventBridge schedule per cluster of
// config/clusters.yml (or the `cluster` param when there is no such file), and from the same list
// the verify role's EKS/STS permissions and one EKS access entry per cluster this stack can reach.
// STACKCHECK_CLUSTERS_FILE names another file (tests; several fleets from one checkout).
const { existsSync, readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

async function clusters(resolveVariable) {
  const file = process.env.STACKCHECK_CLUSTERS_FILE
    ? resolve(process.env.STACKCHECK_CLUSTERS_FILE)
    : join(__dirname, 'clusters.yml');
  if (existsSync(file)) {
    const { parse } = require('yaml');
    return (parse(readFileSync(file, 'utf8')) || {}).clusters || [];
  }
  return [{ name: await resolveVariable('param:cluster') }];
}

/** Clusters in this stack's account and region: the verify role reads them with its own identity. */
async function localClusters(resolveVariable) {
  const region = await resolveVariable('self:provider.region');
  return (await clusters(resolveVariable)).filter((c) => !c.roleArn && (!c.region || c.region === region));
}

// sts:AssumeRole only on the roles configured for cross-account clusters (none: an explicit deny).
module.exports.assumeRoleStatement = async ({ resolveVariable }) => {
  const roles = (await clusters(resolveVariable)).map((c) => c.roleArn).filter(Boolean);
  return roles.length
    ? { Sid: 'AssumeClusterRoles', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: roles }
    : { Sid: 'NoAssumeRole', Effect: 'Deny', Action: ['sts:AssumeRole'], Resource: '*' };
};

// eks:DescribeCluster on the listed clusters of this account (cross-account ones are described
// with the assumed role's credentials).
module.exports.describeClusterStatement = async ({ resolveVariable }) => {
  const own = (await clusters(resolveVariable)).filter((c) => !c.roleArn);
  const arns = own.map((c) => ({
    'Fn::Sub': `arn:\${AWS::Partition}:eks:${c.region || '${AWS::Region}'}:\${AWS::AccountId}:cluster/${c.name}`,
  }));
  return arns.length
    ? { Sid: 'ReadCluster', Effect: 'Allow', Action: ['eks:DescribeCluster'], Resource: arns }
    : { Sid: 'NoOwnCluster', Effect: 'Deny', Action: ['eks:DescribeCluster'], Resource: '*' };
};

const logicalName = (name) =>
  String(name)
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

// One access entry per cluster in this account and region, mapping the verify role (only it) to
// the Kubernetes group that deploy/rbac.yaml binds to read-only access.
module.exports.resources = async ({ resolveVariable }) => {
  const group = await resolveVariable('param:kubernetesGroup');
  const entries = {};
  for (const c of await localClusters(resolveVariable)) {
    entries[`VerifyAccessEntry${logicalName(c.name)}`] = {
      Type: 'AWS::EKS::AccessEntry',
      Properties: {
        ClusterName: c.name,
        PrincipalArn: { 'Fn::GetAtt': ['VerifyRole', 'Arn'] },
        Type: 'STANDARD',
        KubernetesGroups: [group],
      },
    };
  }
  return { Resources: entries };
};

/**
 * Read access to exactly the secrets a function is configured with: an SSM parameter name (or
 * ARN) → ssm:GetParameter on it; a Secrets Manager ARN or `secretsmanager:NAME` →
 * secretsmanager:GetSecretValue on it (with the 6-character suffix Secrets Manager appends).
 */
function secretStatements(sid, names) {
  const ssm = [];
  const sm = [];
  for (const name of names.filter(Boolean)) {
    if (name.startsWith('arn:aws:secretsmanager:') || name.startsWith('arn:aws-')) {
      if (name.includes(':secretsmanager:')) sm.push(name, `${name}-??????`);
      else ssm.push(name);
    } else if (name.startsWith('secretsmanager:')) {
      sm.push({
        'Fn::Sub': `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${name.slice('secretsmanager:'.length)}-??????`,
      });
    } else if (name.startsWith('arn:')) {
      ssm.push(name);
    } else {
      const path = name.startsWith('/') ? name : `/${name}`;
      ssm.push({ 'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${path}` });
    }
  }
  const out = [];
  if (ssm.length) out.push({ Sid: `${sid}Parameters`, Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: ssm });
  if (sm.length)
    out.push({ Sid: `${sid}Secrets`, Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: sm });
  // A policy needs at least one statement: an explicit deny of what is not configured.
  if (!out.length) out.push({ Sid: `${sid}NoSecrets`, Effect: 'Deny', Action: ['ssm:GetParameter'], Resource: '*' });
  return out;
}

module.exports.verifySecretStatements = async ({ resolveVariable }) =>
  secretStatements('VerifyReads', [await resolveVariable('param:slackWebhookParam')]);

module.exports.webhookSecretStatements = async ({ resolveVariable }) =>
  secretStatements('WebhookReads', [
    await resolveVariable('param:alertmanagerTokenParam'),
    await resolveVariable('param:slackWebhookParam'),
  ]);

module.exports.events = async ({ resolveVariable }) => {
  const rate = await resolveVariable('param:schedule');
  return (await clusters(resolveVariable)).map((c) => ({
    schedule: {
      rate: [c.schedule || rate],
      input: {
        cluster: c.name,
        ...(c.region ? { region: c.region } : {}),
        ...(c.roleArn ? { roleArn: c.roleArn } : {}),
      },
    },
  }));
};
