import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import type { Cell, PlanDocument } from '../seeds/document.js';

/** Plan files built in the formats counties send, from a document model (test scaffolding). */

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
// Word splits a paragraph's text into runs wherever formatting changed; split it in two
const runs = (text: string) => {
  const half = Math.ceil(text.length / 2);
  return [text.slice(0, half), text.slice(half)].filter(Boolean).map((t) => `<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">${esc(t)}</w:t></w:r>`).join('');
};
const para = (text: string) => `<w:p><w:pPr><w:jc w:val="both"/></w:pPr>${runs(text)}</w:p>`;

function gridAt(row: Cell[] | undefined, col: number): Cell | undefined {
  let at = 0;
  for (const c of row ?? []) {
    if (at === col) return c;
    at += c.span;
  }
  return undefined;
}

function tableXml(rows: Cell[][]): string {
  const body = rows.map((row, r) => {
    let col = 0;
    const cells = row.map((c) => {
      const start = col;
      col += c.span;
      const span = c.span > 1 ? `<w:gridSpan w:val="${c.span}"/>` : '';
      const merge = c.merged ? '<w:vMerge/>' : gridAt(rows[r + 1], start)?.merged ? '<w:vMerge w:val="restart"/>' : '';
      const content = c.merged ? '<w:p/>' : c.text.split('\n').map(para).join('') || '<w:p/>';
      return `<w:tc><w:tcPr><w:tcW w:w="1000" w:type="dxa"/>${span}${merge}</w:tcPr>${content}</w:tc>`;
    });
    return `<w:tr>${cells.join('')}</w:tr>`;
  });
  return `<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/></w:tblPr>${body.join('')}</w:tbl>`;
}

// a text box (the seal's caption) Word writes twice: as a drawing, and as a VML fallback
const textBox = (text: string) =>
  `<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>${para(text)}</w:txbxContent></wps:txbx></w:drawing></mc:Choice>` +
  `<mc:Fallback><w:pict><v:textbox><w:txbxContent>${para(text)}</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>`;

/** A .docx of the document: tables with gridSpan and vMerge as Word writes them. */
export async function toDocx(doc: PlanDocument, seal?: { after: string; text: string }): Promise<Buffer> {
  const body = doc
    .map((b) => {
      if (b.type === 'table') return tableXml(b.rows) + '<w:p/>';
      if (seal && b.text === seal.after) return `<w:p>${runs(b.text)}${textBox(seal.text)}</w:p>`;
      return para(b.text);
    })
    .join('');
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
  zip.file('_rels/.rels', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>');
  zip.file(
    'word/document.xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ' +
      `xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml"><w:body>${body}<w:sectPr/></w:body></w:document>`,
  );
  return zip.generateAsync({ type: 'nodebuffer' });
}

/**
 * The shipped plan's text export as Word holds it: 附件1's blank cells are vertical merges and
 * its 工作任务 header spans two columns; 附件2's short rows have one cell spanning 三级 and 四级.
 */
export function asWordHolds(doc: PlanDocument): PlanDocument {
  return doc.map((b) => {
    if (b.type !== 'table') return b;
    const header = b.rows[0]!.map((c) => c.text.trim());
    if (header[0] === '序号') {
      return {
        type: 'table',
        rows: b.rows.map((row, r) =>
          r === 0 ? row.map((c) => (c.text.trim() === '工作任务' ? { ...c, span: 2 } : c)) : row.map((c) => (c.text.trim() === '' && r > 1 ? { ...c, merged: true } : c)),
        ),
      };
    }
    return { type: 'table', rows: b.rows.map((row) => (row.length === 5 ? row.map((c, i) => (i === 2 ? { ...c, span: 2 } : c)) : row)) };
  });
}

/** A department's task list as an Excel sheet: a merged title row and a task merged over two rows. */
export async function departmentXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('重点任务清单');
  ws.addRow(['高青县信访局2024年政务公开重点任务清单']);
  ws.mergeCells('A1:E1');
  ws.addRow(['工作任务', '序号', '具体要求', '责任科室', '时限要求']);
  ws.addRow(['强化行政规范性文件集中规范公开', 1, '对行政规范性文件进行全面清理，并向社会公布现行有效行政规范性文件目录。', '办公室', '年底前']);
  ws.addRow(['深化政策解读形式', 2, '积极做好政策解读工作，持续提升政策解读质量，丰富解读形式。', '各科室', '持续推进']);
  ws.addRow(['做好主动公开基础工作', 3, '严格规范政府信息公开专栏，及时、集中、规范发布法定主动公开内容。', '各科室', '按季度']);
  ws.addRow(['', 4, '规范做好政府信息公开工作年度报告编制发布工作。', '办公室', '每年1月31日前']);
  ws.mergeCells('A5:A6');
  ws.addRow(['规范办理依申请公开', 5, '依法依规办理政府信息公开申请，\n做好行政复议答复工作。', '办公室、信访督查科', '同上']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const encode = (text: string, encoding: 'gbk' | 'gb18030' | 'utf-16le' | 'utf-16be', bom = encoding.startsWith('utf-16')) =>
  iconv.encode(text, encoding, { addBOM: bom });
