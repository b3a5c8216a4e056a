'use strict';
// serverless.yml: `events: ${file(./config/schedules.js):events}` — one EventBridge schedule per
// cluster of config/clusters.yml (or the `cluster` param when there is no such file).
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

async function clusters(resolveVariable) {
  const file = join(__dirname, 'clusters.yml');
  if (existsSync(file)) {
    const { parse } = require('yaml');
    return (parse(readFileSync(file, 'utf8')) || {}).clusters || [];
  }
  return [{ name: await resolveVariable('param:cluster') }];
}

// sts:AssumeRole only on the roles configured for cross-account clusters (none: an explicit deny).
module.exports.assumeRoleStatement = async ({ resolveVariable }) => {
  const roles = (await clusters(resolveVariable)).map((c) => c.roleArn).filter(Boolean);
  return roles.length
    ? { Sid: 'AssumeClusterRoles', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: roles }
    : { Sid: 'NoAssumeRole', Effect: 'Deny', Action: ['sts:AssumeRole'], Resource: '*' };
};

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
