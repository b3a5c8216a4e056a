/** The Prometheus operator, the CRDs it serves, and the Alertmanager CR it turns into a StatefulSet. */
import { STACK_CRDS, type ExpectedState } from '../types';
import type { Chart } from './chart';

export function buildOperator(c: Chart): ExpectedState['operator'] {
  return {
    enabled: c.v.bool('prometheusOperator.enabled', true),
    deploymentName: `${c.full}-operator`,
    serviceName: `${c.full}-operator`,
  };
}

/** The chart installs its CRDs whatever the values say. */
export function stackCrds(): string[] {
  return [...STACK_CRDS];
}

export function buildAlertmanager(c: Chart): ExpectedState['alertmanager'] {
  const enabled = c.v.bool('alertmanager.enabled', true);
  const crName = c.clean ? c.full : `${c.full}-alertmanager`;
  return { enabled, crName, statefulSetName: `alertmanager-${crName}` };
}
