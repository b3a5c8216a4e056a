/**
 * Secrets from the environment (local) or from SSM Parameter Store / Secrets Manager (Lambda),
 * through Powertools Parameters, cached across invocations. A name starting with `arn:aws:secretsmanager:`
 * or `secretsmanager:` is read from Secrets Manager, anything else from SSM (SecureString, decrypted).
 */
export async function readSecret(
  env: NodeJS.ProcessEnv,
  direct: string,
  param: string,
  maxAge = 300,
): Promise<string | undefined> {
  if (env[direct]) return env[direct];
  const name = env[param];
  if (!name) return undefined;
  if (name.startsWith('arn:aws:secretsmanager:') || name.startsWith('secretsmanager:')) {
    const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
    const v = await getSecret(name.replace(/^secretsmanager:/, ''), { maxAge });
    return typeof v === 'string' ? v : v ? Buffer.from(v as Uint8Array).toString('utf8') : undefined;
  }
  const { getParameter } = await import('@aws-lambda-powertools/parameters/ssm');
  return (await getParameter(name, { decrypt: true, maxAge })) ?? undefined;
}
