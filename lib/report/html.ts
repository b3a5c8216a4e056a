/**
 * `--format html`: one self-contained file (no network, no external scripts or fonts): summary,
 * the topology as an SVG coloured by results, and the results table filterable by status and
 * family; light and dark themes; readable when printed.
 */
import type { Result } from '../checks/types';
import type { ExpectedState } from '../expected/types';
import type { Snapshot } from '../snapshot/types';
import { consoleUrl } from './console';
import type { Report } from './types';
import { LAYERS, buildTopology, type Box, type Topology } from './topology';

const BOX_W = 190;
const BOX_H = 46;
const GAP_X = 18;
const ROW_H = 96;
const LABEL_W = 120;
const PAD = 16;

export function escapeHtml(s: unknown): string {
  return String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export interface PlacedBox extends Box {
  x: number;
  y: number;
}

/** Boxes per line; a layer with more wraps onto further lines, so the page stays readable. */
export const MAX_COLS = 7;

/** Rows by layer; within a row, boxes ordered by the mean position of their neighbours above. */
export function layout(t: Topology): { boxes: PlacedBox[]; width: number; height: number } {
  const layers = LAYERS.map((layer) => t.boxes.filter((b) => b.layer === layer)).filter((r) => r.length > 0);
  const pos = new Map<string, number>();
  const neighbours = new Map<string, string[]>();
  for (const e of t.edges) {
    neighbours.set(e.to, [...(neighbours.get(e.to) ?? []), e.from]);
    neighbours.set(e.from, [...(neighbours.get(e.from) ?? []), e.to]);
  }
  const placed: PlacedBox[] = [];
  const cols = Math.min(MAX_COLS, Math.max(1, ...layers.map((r) => r.length)));
  const width = LABEL_W + PAD * 2 + cols * (BOX_W + GAP_X);
  let line = 0;
  for (const row of layers) {
    const key = (b: Box) => {
      const xs = (neighbours.get(b.id) ?? []).map((n) => pos.get(n)).filter((x): x is number => x !== undefined);
      return xs.length ? xs.reduce((a, c) => a + c, 0) / xs.length : Number.POSITIVE_INFINITY;
    };
    const ordered = row
      .map((b, i) => ({ b, i, k: key(b) }))
      .sort((a, c) => (a.k === c.k ? a.i - c.i : a.k - c.k))
      .map((x) => x.b);
    for (let start = 0; start < ordered.length; start += MAX_COLS) {
      const chunk = ordered.slice(start, start + MAX_COLS);
      const rowWidth = chunk.length * (BOX_W + GAP_X) - GAP_X;
      const startX = LABEL_W + PAD + (width - LABEL_W - PAD * 2 - rowWidth) / 2;
      chunk.forEach((b, i) => {
        const x = startX + i * (BOX_W + GAP_X);
        pos.set(b.id, x + BOX_W / 2);
        placed.push({ ...b, x, y: PAD + line * ROW_H });
      });
      line += 1;
    }
  }
  return { boxes: placed, width, height: PAD * 2 + line * ROW_H - (ROW_H - BOX_H) };
}

function tooltip(b: Box, results: readonly Result[]): string {
  const head = `${b.kind} ${b.resource ?? b.label}${b.missing ? ' (missing)' : ''}`;
  const lines = b.findings.slice(0, 8).map((i) => {
    const r = results[i];
    return `${r.status.toUpperCase()} ${r.code} ${r.title}: ${r.message}`;
  });
  if (b.findings.length > 8) lines.push(`+${b.findings.length - 8} more`);
  return [head, ...(lines.length ? lines : ['no finding about this object'])].join('\n');
}

export function renderSvg(t: Topology, results: readonly Result[]): string {
  const { boxes, width, height } = layout(t);
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="topology" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" width="${Math.ceil(width)}" height="${Math.ceil(height)}" role="img" aria-label="Topology of the monitoring stack">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>',
  );
  for (const layer of new Set(boxes.map((b) => b.layer))) {
    const y = Math.min(...boxes.filter((b) => b.layer === layer).map((b) => b.y));
    parts.push(`<text class="layer" x="${PAD}" y="${y + BOX_H / 2 + 4}">${escapeHtml(layer)}</text>`);
  }
  for (const e of t.edges) {
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    if (!a || !b) continue;
    const down = b.y >= a.y;
    const x1 = a.x + BOX_W / 2;
    const y1 = down ? a.y + BOX_H : a.y;
    const x2 = b.x + BOX_W / 2;
    const y2 = down ? b.y : b.y + BOX_H;
    const sameRow = a.y === b.y;
    const d = sameRow
      ? `M${x1},${a.y + BOX_H} C${x1},${a.y + BOX_H + 30} ${x2},${b.y + BOX_H + 30} ${x2},${b.y + BOX_H}`
      : `M${x1},${y1} C${x1},${(y1 + y2) / 2} ${x2},${(y1 + y2) / 2} ${x2},${y2}`;
    const cls = `edge edge-${b.status === 'fail' || a.status === 'fail' ? 'fail' : 'ok'}${e.dashed ? ' dashed' : ''}`;
    parts.push(
      `<path class="${cls}" d="${d}" marker-end="url(#arrow)" data-from="${escapeHtml(e.from)}" data-to="${escapeHtml(e.to)}"><title>${escapeHtml(`${e.from} → ${e.to}${e.label ? ` (${e.label})` : ''}`)}</title></path>`,
    );
  }
  for (const b of boxes) {
    const href = b.findings.length ? `#r-${b.findings[0]}` : undefined;
    const inner = [
      `<rect x="${b.x}" y="${b.y}" width="${BOX_W}" height="${BOX_H}" rx="6"${b.missing ? ' stroke-dasharray="5 3"' : ''}/>`,
      `<text class="kind" x="${b.x + 8}" y="${b.y + 17}">${escapeHtml(truncate(b.kind, 28))}${b.missing ? ' · missing' : ''}</text>`,
      `<text class="label" x="${b.x + 8}" y="${b.y + 35}">${escapeHtml(truncate(b.label, 27))}</text>`,
      `<title>${escapeHtml(tooltip(b, results))}</title>`,
    ].join('');
    parts.push(
      `<g class="box status-${b.status}" data-status="${b.status}" data-resource="${escapeHtml(b.resource ?? b.id)}">${href ? `<a href="${href}">${inner}</a>` : inner}</g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

const CSS = `
:root { --bg:#ffffff; --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --panel:#f6f8fa;
  --pass-bg:#dafbe1; --pass:#1a7f37; --fail-bg:#ffebe9; --fail:#cf222e; --error-bg:#fff1e5; --error:#bc4c00;
  --skip-bg:#eff2f5; --skip:#6e7781; --none-bg:#f6f8fa; --none:#8c959f; }
[data-theme="dark"] { --bg:#0d1117; --fg:#e6edf3; --muted:#9198a1; --line:#3d444d; --panel:#151b23;
  --pass-bg:#12261e; --pass:#3fb950; --fail-bg:#2d1214; --fail:#f85149; --error-bg:#2b1a0b; --error:#db6d28;
  --skip-bg:#1c2128; --skip:#9198a1; --none-bg:#161b22; --none:#6e7681; }
* { box-sizing: border-box; }
body { margin:0; padding:24px; background:var(--bg); color:var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.meta { color: var(--muted); margin-bottom: 12px; }
.chips { display:flex; gap:8px; flex-wrap:wrap; margin: 8px 0; }
.chip { border-radius: 999px; padding: 2px 12px; font-weight: 600; border:1px solid var(--line); }
.chip.pass { background:var(--pass-bg); color:var(--pass); } .chip.fail { background:var(--fail-bg); color:var(--fail); }
.chip.error { background:var(--error-bg); color:var(--error); } .chip.skip, .chip.muted { background:var(--skip-bg); color:var(--skip); }
.outcome { font-weight:700; } .outcome.pass { color: var(--pass); } .outcome.fail { color: var(--fail); }
.toolbar { position: absolute; top: 24px; right: 24px; }
button, select, label.filter { font: inherit; color: var(--fg); background: var(--panel); border:1px solid var(--line); border-radius:6px; padding:3px 10px; }
.scroll { overflow:auto; border:1px solid var(--line); border-radius:8px; background:var(--panel); }
svg.topology { display:block; max-width: 100%; height: auto; }
svg .layer { fill: var(--muted); font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
svg .box rect { stroke-width: 1.5; }
svg .box text { font-size: 12px; fill: var(--fg); } svg .box text.kind { font-weight: 700; fill: var(--muted); font-size: 11px; }
svg .status-pass rect { fill: var(--pass-bg); stroke: var(--pass); }
svg .status-fail rect { fill: var(--fail-bg); stroke: var(--fail); stroke-width: 3; }
svg .status-error rect { fill: var(--error-bg); stroke: var(--error); stroke-width: 3; }
svg .status-skip rect { fill: var(--skip-bg); stroke: var(--skip); }
svg .status-none rect { fill: var(--none-bg); stroke: var(--none); }
svg .edge { fill: none; stroke: var(--muted); stroke-width: 1.3; opacity: .8; }
svg .edge.dashed { stroke-dasharray: 5 4; } svg .edge.edge-fail { stroke: var(--fail); }
svg .arrowhead { fill: var(--muted); }
.legend { display:flex; gap: 14px; margin: 8px 0; color: var(--muted); font-size: 13px; }
.legend span::before { content:""; display:inline-block; width:12px; height:12px; border-radius:3px; margin-right:5px; vertical-align:-1px; border:2px solid; }
.legend .pass::before { background:var(--pass-bg); border-color:var(--pass);} .legend .fail::before { background:var(--fail-bg); border-color:var(--fail);}
.legend .error::before { background:var(--error-bg); border-color:var(--error);} .legend .skip::before { background:var(--skip-bg); border-color:var(--skip);}
.legend .none::before { background:var(--none-bg); border-color:var(--none);}
.filters { display:flex; gap: 8px; flex-wrap: wrap; align-items:center; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align:left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--panel); position: sticky; top: 0; }
td.status { font-weight: 700; text-transform: uppercase; font-size: 12px; }
tr.pass td.status { color: var(--pass); } tr.fail td.status { color: var(--fail); } tr.error td.status { color: var(--error); } tr.skip td.status, tr.muted td.status { color: var(--skip); }
tr:target { outline: 3px solid var(--fail); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
.detail { color: var(--muted); font-size: 12px; margin-top: 4px; white-space: pre-wrap; }
@media print {
  .toolbar, .filters { display:none; }
  body { padding: 0; } .scroll { overflow: visible; border: none; }
  svg.topology { width: 100%; height: auto; }
  tr { break-inside: avoid; } th { position: static; }
}
`;

const SCRIPT = `
(function () {
  var root = document.documentElement;
  var stored = null;
  try { stored = localStorage.getItem('stackcheck-theme'); } catch (e) {}
  var dark = stored ? stored === 'dark' : (window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches);
  root.setAttribute('data-theme', dark ? 'dark' : 'light');
  document.getElementById('theme').addEventListener('click', function () {
    var next = root.getAttribute('data-theme') === 'dark' ? 'light' : 'dark';
    root.setAttribute('data-theme', next);
    try { localStorage.setItem('stackcheck-theme', next); } catch (e) {}
  });
  function apply() {
    var statuses = {};
    document.querySelectorAll('input[name=status]').forEach(function (i) { statuses[i.value] = i.checked; });
    var family = document.getElementById('family').value;
    var shown = 0;
    document.querySelectorAll('#results tbody tr').forEach(function (tr) {
      var ok = statuses[tr.dataset.status] && (family === '' || tr.dataset.family === family);
      tr.hidden = !ok;
      if (ok) shown++;
    });
    document.getElementById('shown').textContent = shown + ' shown';
  }
  document.querySelectorAll('.filters input, .filters select').forEach(function (el) { el.addEventListener('change', apply); });
  apply();
})();
`;

function renderValue(v: unknown): string {
  if (v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function renderResults(results: readonly Result[]): string {
  const rows = results.map((r, i) => {
    const detail = [
      r.expected !== undefined ? `expected: ${renderValue(r.expected)}` : '',
      r.actual !== undefined ? `actual: ${renderValue(r.actual)}` : '',
      r.query ? `query: ${r.query}` : '',
      r.status !== 'pass' && r.remediation ? `fix: ${r.remediation}` : '',
    ]
      .filter(Boolean)
      .join('\n');
    const status = r.muted ? 'muted' : r.status;
    const muted = r.muted
      ? `<div class="detail">muted: ${escapeHtml(r.muted.reason)}${r.muted.until ? ` (until ${escapeHtml(r.muted.until)})` : ''}</div>`
      : '';
    const url = consoleUrl(r.resource);
    const resource = url
      ? `<a href="${escapeHtml(url)}" rel="noopener noreferrer" target="_blank"><code>${escapeHtml(r.resource)}</code></a>`
      : `<code>${escapeHtml(r.resource)}</code>`;
    return `<tr id="r-${i}" class="${status}" data-status="${status}" data-family="${escapeHtml(r.check)}">
<td class="status">${escapeHtml(r.muted ? `${r.status} (muted)` : r.status)}</td><td>${escapeHtml(r.severity)}</td><td><code>${escapeHtml(r.code)}</code><br>${escapeHtml(r.check)}</td>
<td><strong>${escapeHtml(r.title)}</strong><div>${escapeHtml(r.message)}</div>${muted}${detail ? `<div class="detail">${escapeHtml(detail)}</div>` : ''}</td>
<td>${resource}</td></tr>`;
  });
  return rows.join('\n');
}

export interface HtmlInput {
  report: Report;
  snapshot?: Snapshot;
  expected?: ExpectedState;
}

export function formatHtml({ report, snapshot, expected }: HtmlInput): string {
  const s = report.summary;
  const families = [...new Set(report.results.map((r) => r.check))];
  const topology = snapshot
    ? renderSvg(buildTopology(snapshot, report.results, expected), report.results)
    : '<p>No snapshot was given, so no topology can be drawn.</p>';
  const outcome = report.outcome ?? (s.fail + s.error > 0 ? 'fail' : 'pass');
  return `<!DOCTYPE html>
<html lang="en" data-theme="light">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>stackcheck — ${escapeHtml(report.cluster)} — ${escapeHtml(outcome)}</title>
<style>${CSS}</style>
</head>
<body>
<div class="toolbar"><button id="theme" type="button" title="Switch light/dark theme">◐ Theme</button></div>
<h1>stackcheck report: <span>${escapeHtml(report.cluster)}</span> <span class="outcome ${outcome}">${outcome === 'pass' ? 'PASS' : 'FAIL'}</span></h1>
<div class="meta">${escapeHtml(report.namespace ?? '')}${report.release ? ` · release ${escapeHtml(report.release)}` : ''}${report.chartVersion ? ` · chart ${escapeHtml(report.chartVersion)}` : ''} · started ${escapeHtml(report.startedAt)} · ${report.durationMs} ms · stackcheck ${escapeHtml(report.version)}</div>
<div class="chips" id="summary">
<span class="chip pass">${s.pass} passed</span><span class="chip fail">${s.fail} failed</span><span class="chip error">${s.error} errors</span><span class="chip skip">${s.skip} skipped</span>${s.muted ? `<span class="chip muted">${s.muted} muted</span>` : ''}
</div>
<h2>Topology</h2>
<div class="legend"><span class="pass">pass</span><span class="fail">fail</span><span class="error">error</span><span class="skip">skip</span><span class="none">no finding</span></div>
<div class="scroll">${topology}</div>
<h2>Results</h2>
<div class="filters">
${(['fail', 'error', 'muted', 'pass', 'skip'] as const).map((st) => `<label class="filter"><input type="checkbox" name="status" value="${st}" checked> ${st}</label>`).join('')}
<select id="family" aria-label="family"><option value="">all families</option>${families.map((f) => `<option value="${escapeHtml(f)}">${escapeHtml(f)}</option>`).join('')}</select>
<span id="shown"></span>
</div>
<table id="results"><thead><tr><th>status</th><th>severity</th><th>code</th><th>finding</th><th>resource</th></tr></thead>
<tbody>
${renderResults(report.results)}
</tbody></table>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
