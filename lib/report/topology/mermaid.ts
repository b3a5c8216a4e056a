import { LAYERS, type Topology } from './types';

/** Mermaid `flowchart` of the topology, for Markdown reports (renders in GitHub comments). */
export function topologyMermaid(t: Topology): string {
  const ids = new Map<string, string>();
  t.boxes.forEach((b, i) => ids.set(b.id, `n${i}`));
  const esc = (s: string) => s.replace(/["\n]/g, "'").replace(/[<>]/g, '');
  const lines = ['flowchart TB'];
  for (const layer of LAYERS) {
    const inLayer = t.boxes.filter((b) => b.layer === layer);
    if (inLayer.length === 0) continue;
    lines.push(`  subgraph ${layer.replace(/\s+/g, '_')}["${layer}"]`);
    for (const b of inLayer) {
      const text = esc(`${b.kind}: ${b.label}`);
      lines.push(b.missing ? `    ${ids.get(b.id)}[/"${text} (missing)"/]` : `    ${ids.get(b.id)}["${text}"]`);
    }
    lines.push('  end');
  }
  for (const e of t.edges) {
    const arrow = e.dashed ? '-.->' : '-->';
    lines.push(`  ${ids.get(e.from)} ${arrow}${e.label ? `|${esc(e.label)}|` : ''} ${ids.get(e.to)}`);
  }
  lines.push(
    '  classDef pass fill:#dff5e1,stroke:#1a7f37,color:#0b3d1a',
    '  classDef fail fill:#ffe1e1,stroke:#cf222e,color:#5c0a0f,stroke-width:2px',
    '  classDef error fill:#fff1d6,stroke:#bc4c00,color:#4d2000,stroke-width:2px',
    '  classDef skip fill:#eeeeee,stroke:#8c959f,color:#333333',
    '  classDef none fill:#f6f8fa,stroke:#8c959f,color:#24292f',
  );
  for (const status of ['pass', 'fail', 'error', 'skip', 'none'] as const) {
    const members = t.boxes.filter((b) => b.status === status).map((b) => ids.get(b.id));
    if (members.length) lines.push(`  class ${members.join(',')} ${status}`);
  }
  return lines.join('\n');
}
