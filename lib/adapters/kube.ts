/**
 * Kubernetes access through @kubernetes/client-node: a KubeConfig built from the EKS endpoint,
 * CA and IAM token (TLS verified, never disabled), or loaded from a kubeconfig file.
 */
import { KubeConfig } from '@kubernetes/client-node';

export function kubeConfigForEks(input: {
  cluster: string;
  endpoint: string;
  caData: string;
  token: string;
}): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: input.cluster, server: input.endpoint, caData: input.caData, skipTLSVerify: false }],
    users: [{ name: 'stackcheck', token: input.token }],
    contexts: [{ name: input.cluster, cluster: input.cluster, user: 'stackcheck' }],
    currentContext: input.cluster,
  });
  return kc;
}

export function kubeConfigFromFile(file: string, context?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  if (context) {
    if (!kc.getContexts().some((c) => c.name === context)) throw new Error(`context ${context} is not in ${file}`);
    kc.setCurrentContext(context);
  }
  return kc;
}

/** Kubernetes API errors (`ApiException`) carry the HTTP status in `code` and a Status body. */
export function kubeErrorCode(err: unknown): number | undefined {
  const c = (err as { code?: unknown }).code;
  return typeof c === 'number' ? c : undefined;
}

export function kubeErrorMessage(err: unknown): string {
  const e = err as { code?: number; body?: unknown; message?: string };
  let body: { message?: string; reason?: string } | undefined;
  try {
    body = typeof e.body === 'string' ? JSON.parse(e.body) : (e.body as typeof body);
  } catch {
    body = undefined;
  }
  if (typeof e.code === 'number')
    return `HTTP ${e.code}${body?.reason ? ` ${body.reason}` : ''}${body?.message ? `: ${body.message}` : ''}`;
  return (e.message ?? String(err)).split('\n')[0];
}
