/**
 * What every component's names derive from: the release, the namespace and the chart's fullname,
 * with the typed reader of the user values and the notes the builders add to.
 */
import type { ExpectedInputs, Reader } from '../reader';
import { CHART_NAME, DEFAULT_NAMESPACE, DEFAULT_RELEASE } from '../types';

export interface Chart {
  v: Reader;
  inputs: ExpectedInputs;
  release: string;
  namespace: string;
  /** `kube-prometheus-stack.fullname`, truncated to 26 characters as the chart does. */
  full: string;
  /** `cleanPrometheusOperatorObjectNames`: the CRs are named `<fullname>`, not `<fullname>-<component>`. */
  clean: boolean;
  /** Values the chart ignores or that look wrong (ExpectedState.notes). */
  notes: string[];
}

export function readChart(v: Reader, inputs: ExpectedInputs): Chart {
  const release = inputs.release ?? DEFAULT_RELEASE;
  return {
    v,
    inputs,
    release,
    namespace: inputs.namespace ?? v.str('namespaceOverride') ?? DEFAULT_NAMESPACE,
    full: fullname(release, CHART_NAME, v.str('nameOverride'), v.str('fullnameOverride'), 26),
    clean: v.bool('cleanPrometheusOperatorObjectNames', false),
    notes: [],
  };
}

function trunc(s: string, n: number): string {
  return s.slice(0, n).replace(/-+$/, '');
}

/** Helm's usual `<chart>.fullname` helper with the given truncation. */
function fullname(
  release: string,
  chartName: string,
  nameOverride?: string,
  fullnameOverride?: string,
  max = 63,
): string {
  if (fullnameOverride) return trunc(fullnameOverride, max);
  const name = nameOverride || chartName;
  return release.includes(name) ? trunc(release, max) : trunc(`${release}-${name}`, max);
}

/** A subchart's fullname (grafana, kube-state-metrics, prometheus-node-exporter), from `<subchart>.*Override`. */
export function subchartFullname(c: Chart, subchart: string): string {
  return fullname(c.release, subchart, c.v.str(`${subchart}.nameOverride`), c.v.str(`${subchart}.fullnameOverride`));
}

/** `{ [key]: value }` when the value is set (not undefined or empty), else nothing: the key stays absent. */
export function present<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value ? { [key]: value } : {}) as { [P in K]?: T };
}
