/**
 * What the config file does to results (pure): severity overrides, then mutes. A muted result
 * keeps its status and gains `muted`; an expired mute stops muting and leaves `muteExpired`.
 */
import type { Result, Severity } from '../checks/types';
import type { Mute } from './types';

/** `*` matches any run of characters (slashes too), `?` one character; the whole string must match. */
export function globMatch(pattern: string, text: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[\\s\\S]*')
    .replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${re}$`).test(text);
}

/** The instant a mute ends: a bare date mutes through the end of that day (UTC). */
export function muteEnd(until: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(until) ? Date.parse(`${until}T00:00:00Z`) + 86_400_000 : Date.parse(until);
}

export function applySeverityOverrides(results: readonly Result[], severity: Record<string, Severity>): Result[] {
  return results.map((r) =>
    severity[r.code] && severity[r.code] !== r.severity ? { ...r, severity: severity[r.code] } : r,
  );
}

/**
 * Marks failing results (`fail`/`error`) that a mute matches. The first matching mute that is
 * still in force wins; when only expired mutes match, the result stays failing and says so.
 */
export function applyMutes(results: readonly Result[], mutes: readonly Mute[], now: Date): Result[] {
  if (mutes.length === 0) return [...results];
  return results.map((r) => {
    if (r.status !== 'fail' && r.status !== 'error') return r;
    const matching = mutes.filter((m) => globMatch(m.code, r.code) && globMatch(m.resource, r.resource));
    if (matching.length === 0) return r;
    const active = matching.find((m) => m.until === undefined || muteEnd(m.until) > now.getTime());
    if (active) return { ...r, muted: { reason: active.reason, ...(active.until ? { until: active.until } : {}) } };
    const expired = matching[0];
    return {
      ...r,
      message: `${r.message} (the mute for this result expired on ${expired.until})`,
      muteExpired: { reason: expired.reason, until: expired.until as string },
    };
  });
}

/** A result that counts as failing: `fail` or `error`, and not muted. */
export function isActiveFailure(r: Pick<Result, 'status' | 'muted'>): boolean {
  return (r.status === 'fail' || r.status === 'error') && !r.muted;
}

/** The config file's effect on one run's results: severity overrides, then mutes at `now`. */
export function applyConfig(
  results: readonly Result[],
  config: { mutes?: readonly Mute[]; overrides?: { severity?: Record<string, Severity> } } | undefined,
  now: Date,
): Result[] {
  if (!config) return [...results];
  return applyMutes(applySeverityOverrides(results, config.overrides?.severity ?? {}), config.mutes ?? [], now);
}

/** Notes for the operator about mutes that expired (they count again). */
export function expiredMuteNotes(results: readonly Result[]): string[] {
  return results
    .filter((r) => r.muteExpired)
    .map(
      (r) =>
        `the mute of ${r.code} ${r.resource} expired on ${r.muteExpired?.until} ("${r.muteExpired?.reason}"): it counts again`,
    );
}
