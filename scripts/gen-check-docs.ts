/**
 * Writes docs/checks.md from the check registry (`node scripts/run-ts.js scripts/gen-check-docs.ts`).
 * test/unit/checks/registry.test.ts fails when the file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allChecks } from '../lib/checks';
import { FAMILIES } from '../lib/checks/types';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function checksMarkdown(): string {
  const out: string[] = [
    '# Check catalogue',
    '',
    'Generated from the registry (`lib/checks/index.ts`) by `node scripts/run-ts.js scripts/gen-check-docs.ts`; a test keeps it in sync.',
    'Codes are stable: a code is never reused or renumbered. `stackcheck explain CODE` prints the same text.',
    '',
    'Every result names one `resource`: `Kind/namespace/name`, `Kind/name` for cluster-scoped objects, or the ARN of an AWS',
    'object. A result about a missing object names the object that should be there; for a missing AWS object without an ARN,',
    'the ARN of the object that should hold it (the load balancer for a listener, the HTTPS listener for a host rule), and',
    '`arn:aws:elasticloadbalancing:::loadbalancer/app/<name>` for a load balancer that cannot be found. Two results name',
    'things that are not Kubernetes or AWS objects: a Prometheus scrape target is `Target/<job>/<instance>`, and the',
    'Watchdog heartbeat is `Heartbeat/<cluster>/Watchdog`. Runtime results carry the PromQL or API path in `query`.',
    '',
    'A check whose input could not be collected reports `error` (naming the failed call and the permission it needs) instead',
    'of `fail`; a check that does not apply (a component disabled in the values) reports `skip` with the reason.',
    '',
    'In a result, the remediation names the actual object: `<name>`, `<namespace>`, `<release>`, `<arn>`, `<listener-arn>`,',
    '`<prometheus-url>` and the other placeholders below are filled from the result and the expected state',
    '(`lib/checks/remediation.ts`). Severities and the CRT002/HRT001/ALB008 limits can be overridden in the config file',
    '([config.md](config.md)).',
    '',
  ];
  for (const family of FAMILIES) {
    const cs = allChecks.filter((c) => c.family === family);
    if (cs.length === 0) continue;
    out.push(
      `## ${family}`,
      '',
      '| code | severity | title | what it verifies | remediation |',
      '|---|---|---|---|---|',
    );
    for (const c of cs)
      out.push(`| ${c.code} | ${c.severity} | ${cell(c.title)} | ${cell(c.description)} | ${cell(c.remediation)} |`);
    out.push('');
  }
  return out.join('\n');
}

if (require.main === module) {
  writeFileSync(join(__dirname, '..', 'docs', 'checks.md'), checksMarkdown());
  process.stdout.write('wrote docs/checks.md\n');
}
