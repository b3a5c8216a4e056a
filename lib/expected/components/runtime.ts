/** What the runtime checks reach: the Prometheus/Grafana URLs and the heartbeat's age limit. */
import type { ExpectedInputs } from '../reader';
import type { ExpectedState } from '../types';

/** The URL a runtime check probes: the flag, else `https://<first ingress host>`, else none. */
export function runtimeUrl(flag: string | undefined, hosts: readonly string[]): { url?: string } {
  return flag || hosts[0] ? { url: flag ?? `https://${hosts[0]}` } : {};
}

export function buildHeartbeat(inputs: ExpectedInputs): ExpectedState['heartbeat'] {
  return { maxAgeSeconds: inputs.heartbeatMaxAgeSeconds ?? 600 };
}
