import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

describe('deploy/rbac.yaml: least privilege', () => {
  const docs = parseAllDocuments(readFileSync(join(__dirname, '../../deploy/rbac.yaml'), 'utf8')).map(
    (d) => d.toJS() as { kind: string; metadata: { namespace?: string }; rules?: Rule[] },
  );

  it('grants only get, list and watch', () => {
    const verbs = new Set(docs.flatMap((d) => (d.rules ?? []).flatMap((r) => r.verbs)));
    expect([...verbs].sort()).toEqual(['get', 'list', 'watch']);
  });

  it('grants Secrets only through a Role in the monitoring namespace', () => {
    for (const d of docs) {
      const secrets = (d.rules ?? []).some((r) => r.resources.includes('secrets') || r.resources.includes('*'));
      if (secrets)
        expect({ kind: d.kind, namespace: d.metadata.namespace }).toEqual({ kind: 'Role', namespace: 'monitoring' });
    }
  });

  it('uses no wildcards', () => {
    for (const d of docs)
      for (const r of d.rules ?? []) expect([...r.resources, ...r.verbs, ...r.apiGroups]).not.toContain('*');
  });
});
