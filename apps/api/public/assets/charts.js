// Small inline-SVG charts, drawn from data with createElementNS: no library, no innerHTML.
// Every mark that shows a figure carries data-figure (its id) inside a link, so a click
// or Enter on it opens that figure's provenance, as everywhere else on the page.
// Each chart is drawn for the width it is shown at (`width`, in CSS pixels): its text is
// then 12 px on a phone as on a wide screen, never a wide drawing scaled down to 4 px.

const SVG = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A link around a mark: keyboard-focusable, named for screen readers, opens the provenance. */
function figureLink(figure, name, value) {
  const a = el('a', { href: `#explain=${encodeURIComponent(figure)}`, 'data-figure': figure, 'data-value': value === null ? 'null' : value === undefined ? '' : String(value), 'aria-label': name, class: 'mark' });
  a.appendChild(el('title', {}, name));
  return a;
}

function frame(width, height, title) {
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'group', 'aria-label': title, preserveAspectRatio: 'xMidYMid meet' });
  return svg;
}

/** A label cut into lines of at most `width` characters (words kept whole), three lines at most. */
function wrap(label, width) {
  const lines = [];
  for (const word of label.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && `${last} ${word}`.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.length > 3 ? [...lines.slice(0, 2), `${lines.slice(2).join(' ')}`] : lines;
}

/** Evenly spaced "nice" ticks from 0 to at least max. */
function ticks(max, count = 4) {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const out = [];
  for (let v = 0; v <= max + step / 2; v += step) out.push(Number(v.toPrecision(12)));
  if (out[out.length - 1] < max) out.push(out[out.length - 1] + step);
  return out;
}

/**
 * Monthly shares as a line with a point a month, the target as a dashed line.
 * points: [{ label, value (0..1 or null), figure, text }]; target: 0..1, or undefined when no commitment sets one.
 */
export function lineChart({ title, points, target, targetLabel, format, changed, width = 960 }) {
  const W = Math.max(280, Math.min(960, Math.round(width)));
  const H = W < 600 ? 220 : 280;
  const pad = { l: 44, r: 12, t: 16, b: 44 };
  // Month names need about 40 px each: on a narrow chart, one name every `every` months.
  const every = Math.max(1, Math.ceil((points.length * 40) / (W - pad.l - pad.r)));
  const svg = frame(W, H, title);
  const x = (i) => pad.l + (points.length <= 1 ? (W - pad.l - pad.r) / 2 : (i * (W - pad.l - pad.r)) / (points.length - 1));
  const y = (v) => H - pad.b - v * (H - pad.t - pad.b);
  for (const v of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
    svg.appendChild(el('line', { x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v), class: 'grid' }));
    svg.appendChild(el('text', { x: pad.l - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, format(v, 0)));
  }
  if (typeof target === 'number') {
    const ty = y(target);
    svg.appendChild(el('line', { x1: pad.l, x2: W - pad.r, y1: ty, y2: ty, class: 'target' }));
    svg.appendChild(el('text', { x: W - pad.r, y: ty - 6, class: 'target-label', 'text-anchor': 'end' }, targetLabel));
  }
  // The line breaks where a month has no value (nobody in training).
  let d = '';
  let penDown = false;
  points.forEach((p, i) => {
    if (p.value === null || p.value === undefined) {
      penDown = false;
      return;
    }
    d += `${penDown ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)} `;
    penDown = true;
  });
  if (d) svg.appendChild(el('path', { d: d.trim(), class: 'line' }));
  points.forEach((p, i) => {
    if (i % every === 0) svg.appendChild(el('text', { x: x(i), y: H - pad.b + 18, class: 'axis', 'text-anchor': 'middle' }, p.short ?? p.label));
    if (p.value === null || p.value === undefined) return;
    const link = figureLink(p.figure, `${p.label}: ${p.text}`, p.value);
    link.appendChild(el('circle', { cx: x(i), cy: y(p.value), r: 5, class: `point${typeof target === 'number' && p.value >= target ? ' met' : ''}${changed?.has(p.figure) ? ' changed' : ''}` }));
    svg.appendChild(link);
  });
  return svg;
}

/**
 * Side-by-side bars: for each group (a kind), one bar per series (a year).
 * groups: [{ label, bars: [{ value, figure, text, series }] }]; series: [{ name, cls }].
 */
export function groupedBars({ title, groups, series, changed, width = 560 }) {
  const W = Math.max(280, Math.min(720, Math.round(width)));
  const H = 300;
  const pad = { l: 40, r: 8, t: 28, b: 64 };
  const svg = frame(W, H, title);
  const max = Math.max(1, ...groups.flatMap((g) => g.bars.map((b) => b.value ?? 0)));
  const scale = ticks(max);
  const top = scale[scale.length - 1];
  const y = (v) => H - pad.b - (v / top) * (H - pad.t - pad.b);
  for (const v of scale) {
    svg.appendChild(el('line', { x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v), class: 'grid' }));
    svg.appendChild(el('text', { x: pad.l - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, String(v)));
  }
  const groupWidth = (W - pad.l - pad.r) / Math.max(1, groups.length);
  const barWidth = Math.min(40, (groupWidth * 0.7) / Math.max(1, series.length));
  groups.forEach((g, gi) => {
    const gx = pad.l + gi * groupWidth + (groupWidth - barWidth * series.length) / 2;
    g.bars.forEach((b, bi) => {
      const v = b.value ?? 0;
      const link = figureLink(b.figure, `${g.label}, ${b.series}: ${b.text}`, b.raw);
      const bx = gx + bi * barWidth;
      link.appendChild(el('rect', { x: bx + 2, y: y(v), width: barWidth - 4, height: Math.max(0, H - pad.b - y(v)), class: `bar ${series[bi]?.cls ?? ''}${changed?.has(b.figure) ? ' changed' : ''}` }));
      link.appendChild(el('text', { x: bx + barWidth / 2, y: y(v) - 4, class: 'value', 'text-anchor': 'middle' }, b.text));
      svg.appendChild(link);
    });
    const label = el('text', { x: pad.l + gi * groupWidth + groupWidth / 2, y: H - pad.b + 18, class: 'axis', 'text-anchor': 'middle' });
    const lines = wrap(g.label, Math.max(8, Math.floor(groupWidth / 7.5)));
    lines.forEach((line, li) => label.appendChild(el('tspan', { x: pad.l + gi * groupWidth + groupWidth / 2, dy: li === 0 ? 0 : 14 }, line)));
    svg.appendChild(label);
  });
  // Legend.
  series.forEach((s, si) => {
    const lx = pad.l + si * Math.min(110, (W - pad.l) / Math.max(1, series.length));
    svg.appendChild(el('rect', { x: lx, y: 6, width: 12, height: 12, class: `bar ${s.cls}` }));
    svg.appendChild(el('text', { x: lx + 18, y: 16, class: 'axis' }, s.name));
  });
  return svg;
}

/**
 * Horizontal bars, one a row, longest scale at the largest value.
 * rows: [{ label, value, figure, text }].
 */
export function horizontalBars({ title, rows, changed, width = 560 }) {
  const W = Math.max(280, Math.min(720, Math.round(width)));
  const labelWidth = Math.min(190, Math.round(W * 0.42));
  // A label longer than its column is cut into two lines (words kept whole), the rows then taller.
  const maxChars = Math.max(8, Math.floor((labelWidth - 8) / 6.6));
  const labels = rows.map((r) => wrap(r.label, maxChars).slice(0, 2));
  const rowHeight = labels.some((l) => l.length > 1) ? 34 : 24;
  const H = rows.length * rowHeight + 12;
  const svg = frame(W, H, title);
  const max = Math.max(1, ...rows.map((r) => r.value ?? 0));
  const span = W - labelWidth - Math.min(110, Math.round(W * 0.3));
  rows.forEach((r, i) => {
    const yy = 6 + i * rowHeight;
    const label = el('text', { x: labelWidth - 8, y: yy + (labels[i].length > 1 ? 13 : 15), class: 'axis', 'text-anchor': 'end' });
    labels[i].forEach((line, li) => label.appendChild(el('tspan', { x: labelWidth - 8, dy: li === 0 ? 0 : 14 }, line)));
    svg.appendChild(label);
    const link = figureLink(r.figure, `${r.label}: ${r.text}`, r.value);
    const w = ((r.value ?? 0) / max) * span;
    link.appendChild(el('rect', { x: labelWidth, y: yy + 3, width: Math.max(1, w), height: 16, class: `bar series-b${changed?.has(r.figure) ? ' changed' : ''}` }));
    link.appendChild(el('text', { x: labelWidth + w + 6, y: yy + 15, class: 'value' }, r.text));
    svg.appendChild(link);
  });
  return svg;
}
