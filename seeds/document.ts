import iconv from 'iconv-lite';

/**
 * What every plan format is read into, so one layout parser serves them all: paragraphs and
 * tables in document order. A cell that a merge continues (Word's vMerge, a rowspan, an
 * Excel merge) holds its origin's text and is marked `merged`; a cell spanning several grid
 * columns (gridSpan, colspan) says so in `span`. Wrapped lines of a cell are kept, joined by \n.
 */
export type Cell = { text: string; span: number; merged: boolean };
export type Block = { type: 'p'; text: string } | { type: 'table'; rows: Cell[][] };
export type PlanDocument = Block[];

export const cell = (text: string, span = 1, merged = false): Cell => ({ text, span, merged });

/**
 * Text files as counties save them: UTF-8 with or without BOM, GBK/GB18030 (Windows' default
 * for Chinese), UTF-16 (Word's "Unicode text"), told apart by BOM, zero bytes and UTF-8 validity.
 */
export function decodeText(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString('utf8');
  if (b[0] === 0xff && b[1] === 0xfe) return iconv.decode(b.subarray(2), 'utf-16le');
  if (b[0] === 0xfe && b[1] === 0xff) return iconv.decode(b.subarray(2), 'utf-16be');
  const head = b.subarray(0, 4096);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < head.length; i++) if (head[i] === 0) i % 2 ? oddZeros++ : evenZeros++;
  // text in UTF-8 or GBK has no zero bytes; UTF-16 has one in every ASCII character (tabs,
  // digits, line ends), on the odd bytes for little-endian and the even ones for big-endian
  if (oddZeros > 8 && oddZeros > evenZeros * 2) return iconv.decode(b, 'utf-16le');
  if (evenZeros > 8 && evenZeros > oddZeros * 2) return iconv.decode(b, 'utf-16be');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return iconv.decode(b, 'gb18030');
  }
}

/**
 * Word's "save as text" with tables tab-indented: each cell starts with a tab, lines without one
 * continue the cell before them, rows end at a blank line. A row that a blank line broke in two
 * (shorter than the row before by more than one cell) is joined with what follows it.
 */
export function textDocument(text: string): PlanDocument {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const blocks: PlanDocument = [];
  let rows: string[][][] | null = null;
  let cells: string[][] | null = null;
  const endRow = () => {
    if (cells) rows!.push(cells);
    cells = null;
  };
  const endTable = () => {
    endRow();
    if (rows?.length) blocks.push({ type: 'table', rows: mendRows(rows).map((r) => r.map((c) => cell(c.join('\n')))) });
    rows = null;
  };
  for (const line of lines) {
    if (line.startsWith('\t')) {
      rows ??= [];
      (cells ??= []).push([line.slice(1)]);
    } else if (line.trim() === '') endRow();
    else if (cells) (cells as string[][])[(cells as string[][]).length - 1]!.push(line);
    else {
      endTable();
      blocks.push({ type: 'p', text: line.trim() });
    }
  }
  endTable();
  return blocks;
}

function mendRows(rows: string[][][]): string[][][] {
  const out: string[][][] = [];
  let pending: string[][] | null = null;
  for (const row of rows) {
    const joined: string[][] = pending ? [...pending, ...row] : row;
    const before = out.at(-1)?.length ?? 0;
    if (joined.length < before - 1) pending = joined;
    else {
      out.push(joined);
      pending = null;
    }
  }
  if (pending) out.push(pending);
  return out;
}
