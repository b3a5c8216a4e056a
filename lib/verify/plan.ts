/**
 * The plan: which checks run and which snapshot parts they read. The parts come from the selected
 * checks' own `requires` and from nothing else, so selecting or skipping families can only remove
 * results, and every check that runs has read what it needs.
 */
import { allChecks } from '../checks';
import { FAMILIES, type Check, type Family } from '../checks/types';
import type { DataKey } from '../snapshot/types';

export interface Plan {
  families: Family[];
  checks: readonly Check[];
  /** The snapshot parts the checks read, `requires` and `uses` (collection adds what their collectors need). */
  inputs: Set<DataKey>;
}

/** The families `--checks`/`--skip` select (all when `checks` is empty or absent), in registry order. */
export function selectedFamilies(checks?: readonly Family[], skip?: readonly Family[]): Family[] {
  return FAMILIES.filter((f) => (!checks || checks.length === 0 || checks.includes(f)) && !(skip ?? []).includes(f));
}

export function planFor(families: readonly Family[], registry: readonly Check[] = allChecks): Plan {
  const checks = registry.filter((c) => families.includes(c.family));
  return {
    families: [...families],
    checks,
    inputs: new Set(checks.flatMap((c) => [...c.requires, ...(c.uses ?? [])])),
  };
}
