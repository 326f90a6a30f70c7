// The per-unit completion chart: SVG rendered to PNG with resvg (no browser). Loaded only when drawn.
import { Resvg } from '@resvg/resvg-js';
import type { UnitFigures } from './export.js';

/*
 * Neither the machine nor any installed package has a CJK font, and CI has none either: resvg
 * would draw no glyph at all. So the chart writes no text, only numbers drawn as strokes (the
 * glyphs below, on a 4×6 grid); unit names are listed by number beside it (the reply, the 汇总 table).
 */
const GLYPHS: Record<string, string[]> = {
  '0': ['0,0 4,0 4,6 0,6 0,0'],
  '1': ['1,1 2,0 2,6'],
  '2': ['0,0 4,0 4,3 0,3 0,6 4,6'],
  '3': ['0,0 4,0 4,6 0,6', '0,3 4,3'],
  '4': ['0,0 0,3 4,3', '4,0 4,6'],
  '5': ['4,0 0,0 0,3 4,3 4,6 0,6'],
  '6': ['4,0 0,0 0,6 4,6 4,3 0,3'],
  '7': ['0,0 4,0 4,6'],
  '8': ['0,0 4,0 4,6 0,6 0,0', '0,3 4,3'],
  '9': ['4,3 0,3 0,0 4,0 4,6 0,6'],
  '/': ['4,0 0,6'],
  '%': ['0,6 4,0', '0,0 1,0 1,1 0,1 0,0', '3,5 4,5 4,6 3,6 3,5'],
};
const ADVANCE = 6; // grid units per character, the glyph's 4 and a gap

/** `s` as stroked paths, its top-left (or top-right with `right`) at x, y, `size` pixels per grid unit. */
function strokes(s: string, x: number, y: number, size: number, right = false): string {
  const left = right ? x - (s.length * ADVANCE - 2) * size : x;
  const d = [...s].flatMap((ch, i) =>
    (GLYPHS[ch] ?? []).map((line) => 'M' + line.split(' ').map((p) => p.split(',').map((v, k) => (k === 0 ? left + (i * ADVANCE + Number(v)) * size : y + Number(v) * size)).join(' ')).join(' L')),
  );
  return `<path d="${d.join(' ')}" fill="none" stroke="#333" stroke-width="${size * 0.9}" stroke-linecap="round" stroke-linejoin="round"/>`;
}

const COLORS = { onTime: '#2e7d32', late: '#f9a825', overdue: '#c62828', open: '#c8c8c8' };
const ROW = 22;
const BAR = 14;
const LEFT = 44;
const PLOT = 560;
const TOP = 30;
const WIDTH = LEFT + PLOT + 90;

/** One bar per unit, in the figures' order, numbered 1…n: its items split into on time, late, overdue, not yet due. */
export function completionChartSvg(figures: UnitFigures[]): string {
  const height = TOP + figures.length * ROW + 12;
  const parts = [`<rect width="${WIDTH}" height="${height}" fill="#fff"/>`];
  for (const pct of [0, 25, 50, 75, 100]) {
    const x = LEFT + (PLOT * pct) / 100;
    parts.push(`<line x1="${x}" y1="${TOP - 6}" x2="${x}" y2="${height - 8}" stroke="#e0e0e0"/>`);
    parts.push(strokes(`${pct}%`, x + 12, 8, 1.5, true));
  }
  figures.forEach((f, i) => {
    const y = TOP + i * ROW + (ROW - BAR) / 2;
    let x = LEFT;
    for (const [key, n] of [['onTime', f.onTime], ['late', f.late], ['overdue', f.overdue], ['open', f.open]] as const) {
      const w = f.items ? (PLOT * n) / f.items : 0;
      if (w > 0) parts.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${COLORS[key]}"/>`);
      x += w;
    }
    parts.push(strokes(String(i + 1), LEFT - 10, y + 2.5, 1.5, true));
    parts.push(strokes(`${f.done}/${f.items}`, LEFT + PLOT + 10, y + 2.5, 1.5));
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">${parts.join('')}</svg>`;
}

/** The chart as PNG, at twice its size so that it stays sharp on a phone. */
export function completionChartPng(figures: UnitFigures[]): { png: Buffer; width: number; height: number } {
  const rendered = new Resvg(completionChartSvg(figures), { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: false } }).render();
  return { png: rendered.asPng(), width: rendered.width / 2, height: rendered.height / 2 };
}
