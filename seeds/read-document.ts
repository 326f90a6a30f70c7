import JSZip from 'jszip';
import { parse as parseHtml, HTMLElement, NodeType, type Node } from 'node-html-parser';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { cell, decodeText, textDocument, type Block, type Cell, type PlanDocument } from './document.js';

/** The bytes are not a document this tool reads; the message is one sentence. */
export class DocumentFormatError extends Error {}

/** Vertical merges: a continuing cell takes the text of the cell above it in the same grid column. */
function resolveMerges(rows: { text: string; span: number; continues: boolean }[][]): Cell[][] {
  let above = new Map<number, string>();
  return rows.map((row) => {
    const here = new Map<number, string>();
    let col = 0;
    const cells = row.map((c) => {
      const text = c.continues ? (above.get(col) ?? '') : c.text;
      here.set(col, text);
      col += c.span;
      return cell(text, c.span, c.continues);
    });
    above = here;
    return cells;
  });
}

/** Word's document.xml read structurally: body paragraphs and tables, gridSpan and vMerge included. */
export function docxBlocks(xml: string): PlanDocument {
  type Table = { rows: { text: string; span: number; continues: boolean }[][]; cell: { paras: string[]; span: number; continues: boolean } | null };
  const blocks: Block[] = [];
  const tables: Table[] = [];
  const paras: string[] = [];
  let inText = false;
  let skip = 0; // inside mc:Fallback, a copy of what mc:Choice already holds
  const parser = new SaxesParser();
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (tag.name === 'mc:Fallback') skip++;
    if (skip) return;
    const table = tables.at(-1);
    switch (tag.name) {
      case 'w:p':
        paras.push('');
        break;
      case 'w:t':
        inText = true;
        break;
      case 'w:br':
      case 'w:cr':
        if (paras.length) paras[paras.length - 1] += '\n';
        break;
      case 'w:tbl':
        tables.push({ rows: [], cell: null });
        break;
      case 'w:tr':
        table?.rows.push([]);
        break;
      case 'w:tc':
        if (table) table.cell = { paras: [], span: 1, continues: false };
        break;
      case 'w:gridSpan':
        if (table?.cell) table.cell.span = Number(tag.attributes['w:val']) || 1;
        break;
      case 'w:vMerge':
        if (table?.cell) table.cell.continues = tag.attributes['w:val'] !== 'restart';
        break;
    }
  });
  parser.on('text', (text) => {
    if (inText && !skip && paras.length) paras[paras.length - 1] += text;
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'mc:Fallback') return void skip--;
    if (skip) return;
    const table = tables.at(-1);
    switch (tag.name) {
      case 'w:t':
        inText = false;
        break;
      case 'w:p': {
        const text = paras.pop()!;
        if (paras.length) paras[paras.length - 1] += text; // a text box inside a paragraph
        else if (table?.cell) table.cell.paras.push(text);
        else if (text.trim()) blocks.push({ type: 'p', text: text.trim() });
        break;
      }
      case 'w:tc':
        if (table?.cell) table.rows.at(-1)?.push({ ...table.cell, text: table.cell.paras.join('\n').trim() });
        if (table) table.cell = null;
        break;
      case 'w:tbl': {
        const done = tables.pop()!;
        const rows = resolveMerges(done.rows.filter((r) => r.length));
        const outer = tables.at(-1);
        // a table inside a cell is read as that cell's text
        if (outer?.cell) outer.cell.paras.push(...rows.map((r) => r.map((c) => c.text).join(' ')));
        else if (rows.length) blocks.push({ type: 'table', rows });
        break;
      }
    }
  });
  parser.write(xml).close();
  return blocks;
}

/** A saved web page: paragraphs by block element, tables with colspan and rowspan. */
export function htmlBlocks(html: string): PlanDocument {
  const root = parseHtml(html);
  for (const n of root.querySelectorAll('script, style, head')) n.remove();
  const blocks: Block[] = [];
  const lines = (text: string) => {
    for (const line of text.split('\n')) if (line.trim()) blocks.push({ type: 'p', text: line.trim() });
  };
  const walk = (node: Node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === NodeType.TEXT_NODE) lines(child.text);
      if (!(child instanceof HTMLElement)) continue;
      const nested = child.querySelector('table');
      // a page-layout table holding the document is walked into, not read as a table
      if (child.tagName === 'TABLE' && !nested) blocks.push({ type: 'table', rows: htmlTable(child) });
      else if (nested) walk(child);
      else lines(child.structuredText);
    }
  };
  walk(root);
  return blocks;
}

function htmlTable(table: HTMLElement): Cell[][] {
  const pending = new Map<number, { text: string; span: number; left: number }>();
  const rows: { text: string; span: number; continues: boolean }[][] = [];
  for (const tr of table.querySelectorAll('tr')) {
    const row: { text: string; span: number; continues: boolean }[] = [];
    let col = 0;
    const takePending = () => {
      for (let p = pending.get(col); p; p = pending.get(col)) {
        row.push({ text: p.text, span: p.span, continues: true });
        if (--p.left === 0) pending.delete(col);
        col += p.span;
      }
    };
    for (const td of tr.childNodes) {
      if (!(td instanceof HTMLElement) || (td.tagName !== 'TD' && td.tagName !== 'TH')) continue;
      takePending();
      const span = Number(td.getAttribute('colspan')) || 1;
      const down = Number(td.getAttribute('rowspan')) || 1;
      const text = td.structuredText.trim();
      if (down > 1) pending.set(col, { text, span, left: down - 1 });
      row.push({ text, span, continues: false });
      col += span;
    }
    takePending();
    rows.push(row);
  }
  // the continuing cells already hold their text
  return rows.map((r) => r.map((c) => cell(c.text, c.span, c.continues)));
}

/** A workbook: each sheet's leading one-cell rows (the title) as paragraphs, the rest as a table. */
async function xlsxBlocks(bytes: Uint8Array): Promise<PlanDocument> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const blocks: Block[] = [];
  for (const ws of wb.worksheets) {
    const rows: Cell[][] = [];
    ws.eachRow((row) => {
      const cells: Cell[] = [];
      let prevMaster: unknown = null;
      for (let c = 1; c <= ws.columnCount; c++) {
        const xc = row.getCell(c);
        const master = xc.isMerged ? xc.master : xc;
        if (master !== xc && master === prevMaster) {
          cells[cells.length - 1]!.span++;
          continue;
        }
        prevMaster = master;
        cells.push(cell((master.text ?? '').trim(), 1, master !== xc && master.row !== xc.row));
      }
      rows.push(cells);
    });
    let first = 0;
    while (first < rows.length && rows[first]!.filter((c) => c.text && !c.merged).length <= 1) {
      const text = rows[first]!.find((c) => c.text)?.text;
      if (text) blocks.push({ type: 'p', text });
      first++;
    }
    if (first < rows.length) blocks.push({ type: 'table', rows: rows.slice(first) });
  }
  return blocks;
}

const SAVE_AS = 'open it in Word or WPS and save it as .docx (Word document)';

/**
 * Reads a plan document of any format the counties use, told by its bytes (the name only
 * breaks ties): .docx, .xlsx, a saved web page, or text in UTF-8, GBK/GB18030 or UTF-16.
 */
export async function readPlanDocument(bytes: Uint8Array, name: string): Promise<PlanDocument> {
  const head = Buffer.from(bytes.subarray(0, 8));
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    throw new DocumentFormatError(ext === 'xls' || ext === 'et' ? 'it is an old Excel (.xls) workbook; open it in Excel or WPS and save it as .xlsx' : `it is an old Word (.doc) or WPS (.wps) file; ${SAVE_AS}`);
  }
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') throw new DocumentFormatError(`it is a PDF, whose tables cannot be read reliably; take the Word original, or ${SAVE_AS}`);
  if (['doc', 'wps', 'pdf'].includes(ext)) throw new DocumentFormatError(`a .${ext} file cannot be read; ${SAVE_AS}`);
  if (head.subarray(0, 4).toString('latin1') === 'PK\x03\x04') {
    let zip: JSZip;
    try {
      zip = await JSZip.loadAsync(bytes);
    } catch {
      throw new DocumentFormatError('it looks like a .docx or .xlsx file but is damaged');
    }
    const word = zip.file('word/document.xml');
    if (word) return docxBlocks(await word.async('string'));
    if (zip.file('xl/workbook.xml')) return xlsxBlocks(bytes);
    throw new DocumentFormatError('it is a zip file but neither a Word (.docx) nor an Excel (.xlsx) document');
  }
  const text = decodeText(bytes);
  if (/\u0000/.test(text.slice(0, 4096))) throw new DocumentFormatError('it is not a text, Word, Excel or web-page document');
  if (ext === 'html' || ext === 'htm' || /^\s*(<!doctype html|<html|<meta|<head|<body)/i.test(text.slice(0, 1024))) return htmlBlocks(text);
  return textDocument(text);
}
