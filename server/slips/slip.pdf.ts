import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';

/**
 * Renders a slip (Circular 01/2018/TT-VPCP forms 01–05) as an A4 PDF: the agency and national-motto header, the
 * number and date, the title, the body blocks, the signature block. Text is set in DejaVu Sans (it has every
 * Vietnamese precomposed letter), embedded as a subset so a slip stays a few kilobytes; pdf-lib writes the subset's
 * ToUnicode map, so the text can be copied and searched.
 */
export type SlipBlock =
  | { kind: 'paragraph'; text: string; bold?: boolean; align?: 'left' | 'center' }
  /** "Label: value" lines, the label in bold; a value wraps under itself. */
  | { kind: 'fields'; rows: [label: string, value: string][] }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; columns: { title: string; width: number }[]; rows: string[][] }
  | { kind: 'qr'; url: string; caption: string[] }
  | { kind: 'signatures'; blocks: { title: string; note: string; name?: string }[] };

export interface SlipDocument {
  agencyName: string;
  office: string;
  /** "Số: …" or "Mã hồ sơ: …" under the agency. */
  number: string;
  /** "Ngày … tháng … năm …" line, right-aligned. */
  dateLine: string;
  title: string;
  subtitle?: string;
  blocks: SlipBlock[];
  /** Document information: what readers and search indexes show. */
  subject: string;
  issuedAt: Date;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = { left: 70, right: 50, top: 50, bottom: 50 };
const WIDTH = A4[0] - MARGIN.left - MARGIN.right;
const SIZE = 11;
const LEADING = 1.35;
const INK = rgb(0, 0, 0);

const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
let fontBytes: Promise<{ regular: Buffer; bold: Buffer }> | undefined;
/** Read once per process; every document embeds its own subset. */
const fonts = () =>
  (fontBytes ??= Promise.all([readFile(join(fontDir, 'DejaVuSans.ttf')), readFile(join(fontDir, 'DejaVuSans-Bold.ttf'))]).then(([regular, bold]) => ({ regular, bold })));

/** Words that fit `width`, greedily; a word longer than a line (a URL) is broken by characters. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.normalize('NFC').split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

class Writer {
  page!: PDFPage;
  y = 0;

  constructor(
    private readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.newPage();
  }

  newPage() {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN.top;
  }

  /** Starts a new page unless `height` still fits above the bottom margin. */
  ensure(height: number) {
    if (this.y - height < MARGIN.bottom) this.newPage();
  }

  /** Lines of text in a box [x, x + width], aligned; returns the height used. Does not move the cursor. */
  textAt(lines: string[], x: number, top: number, width: number, opts: { bold?: boolean; size?: number; align?: 'left' | 'center' | 'right' } = {}) {
    const font = opts.bold ? this.bold : this.regular;
    const size = opts.size ?? SIZE;
    const lineHeight = size * LEADING;
    lines.forEach((line, i) => {
      const w = font.widthOfTextAtSize(line, size);
      const dx = opts.align === 'center' ? (width - w) / 2 : opts.align === 'right' ? width - w : 0;
      this.page.drawText(line, { x: x + dx, y: top - size - i * lineHeight, size, font, color: INK });
    });
    return lines.length * lineHeight;
  }

  /** A wrapped paragraph across the body width, breaking pages line by line. */
  paragraph(text: string, opts: { bold?: boolean; size?: number; align?: 'left' | 'center' | 'right'; indent?: number; gap?: number } = {}) {
    const size = opts.size ?? SIZE;
    const indent = opts.indent ?? 0;
    const font = opts.bold ? this.bold : this.regular;
    for (const line of wrap(text, font, size, WIDTH - indent)) {
      this.ensure(size * LEADING);
      this.y -= this.textAt([line], MARGIN.left + indent, this.y, WIDTH - indent, opts);
    }
    this.y -= opts.gap ?? 4;
  }

  rule(x1: number, x2: number, y: number) {
    this.page.drawLine({ start: { x: x1, y }, end: { x: x2, y }, thickness: 0.6, color: INK });
  }
}

function header(w: Writer, slip: SlipDocument) {
  const leftWidth = 215;
  const rightX = MARGIN.left + leftWidth + 10;
  const rightWidth = WIDTH - leftWidth - 10;
  const top = w.y;
  const small = 10;
  const agency = wrap(slip.agencyName.toLocaleUpperCase('vi'), w.bold, small, leftWidth);
  let left = w.textAt(agency, MARGIN.left, top, leftWidth, { bold: true, size: small, align: 'center' });
  const office = wrap(slip.office.toLocaleUpperCase('vi'), w.bold, small, leftWidth);
  left += w.textAt(office, MARGIN.left, top - left, leftWidth, { bold: true, size: small, align: 'center' });
  w.rule(MARGIN.left + leftWidth / 2 - 35, MARGIN.left + leftWidth / 2 + 35, top - left - 3);
  left += 8;
  left += w.textAt(wrap(slip.number, w.regular, small, leftWidth), MARGIN.left, top - left, leftWidth, { size: small, align: 'center' });

  let right = w.textAt(['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'], rightX, top, rightWidth, { bold: true, size: small, align: 'center' });
  const motto = 'Độc lập - Tự do - Hạnh phúc';
  right += w.textAt([motto], rightX, top - right, rightWidth, { bold: true, size: small + 0.5, align: 'center' });
  const mottoWidth = w.bold.widthOfTextAtSize(motto, small + 0.5);
  w.rule(rightX + (rightWidth - mottoWidth) / 2, rightX + (rightWidth + mottoWidth) / 2, top - right - 2);
  right += 10;
  right += w.textAt([slip.dateLine], rightX, top - right, rightWidth, { size: small, align: 'center' });

  w.y = top - Math.max(left, right) - 22;
  w.paragraph(slip.title.toLocaleUpperCase('vi'), { bold: true, size: 13, align: 'center', gap: slip.subtitle ? 2 : 14 });
  if (slip.subtitle) w.paragraph(slip.subtitle, { align: 'center', gap: 14 });
}

/** "Label: value" as one wrapped paragraph, the label in bold: words keep their own font on the shared lines. */
function fields(w: Writer, rows: [string, string][]) {
  const lineHeight = SIZE * LEADING;
  for (const [label, value] of rows) {
    const words = [
      ...`${label}:`.split(/\s+/).map((text) => ({ text, font: w.bold })),
      ...(value.normalize('NFC') || '—').split(/\s+/).filter(Boolean).map((text) => ({ text, font: w.regular })),
    ];
    // Runs of one font per line, each word after the first with the space before it in its own font.
    const lines: { text: string; font: PDFFont }[][] = [[]];
    let x = 0;
    for (const word of words) {
      let line = lines[lines.length - 1]!;
      let piece = line.length ? ` ${word.text}` : word.text;
      if (line.length && x + word.font.widthOfTextAtSize(piece, SIZE) > WIDTH) {
        lines.push((line = []));
        [piece, x] = [word.text, 0];
      }
      const last = line[line.length - 1];
      if (last?.font === word.font) last.text += piece;
      else line.push({ text: piece, font: word.font });
      x += word.font.widthOfTextAtSize(piece, SIZE);
    }
    for (const line of lines) {
      w.ensure(lineHeight);
      let cursor = MARGIN.left;
      for (const run of line) {
        w.page.drawText(run.text, { x: cursor, y: w.y - SIZE, size: SIZE, font: run.font, color: INK });
        cursor += run.font.widthOfTextAtSize(run.text, SIZE);
      }
      w.y -= lineHeight;
    }
    w.y -= 3;
  }
  w.y -= 4;
}

function table(w: Writer, columns: { title: string; width: number }[], rows: string[][]) {
  const size = 9.5;
  const pad = 4;
  const lineHeight = size * LEADING;
  const total = columns.reduce((sum, c) => sum + c.width, 0);
  const widths = columns.map((c) => (c.width / total) * WIDTH);
  const measure = (cells: string[], bold: boolean) => {
    const lines = cells.map((cell, i) => wrap(cell || '—', bold ? w.bold : w.regular, size, widths[i]! - 2 * pad));
    return { lines, bold, height: Math.max(...lines.map((l) => l.length)) * lineHeight + 2 * pad };
  };
  const draw = (row: ReturnType<typeof measure>) => {
    let x = MARGIN.left;
    row.lines.forEach((lines, i) => {
      w.page.drawRectangle({ x, y: w.y - row.height, width: widths[i]!, height: row.height, borderColor: INK, borderWidth: 0.6 });
      w.textAt(lines, x + pad, w.y - pad, widths[i]! - 2 * pad, { size, bold: row.bold, align: row.bold ? 'center' : 'left' });
      x += widths[i]!;
    });
    w.y -= row.height;
  };
  const head = measure(
    columns.map((c) => c.title),
    true,
  );
  w.ensure(head.height + lineHeight + 2 * pad);
  draw(head);
  for (const cells of rows) {
    const row = measure(cells, false);
    // A row that does not fit goes to a new page, under the header again.
    if (w.y - row.height < MARGIN.bottom) {
      w.newPage();
      draw(head);
    }
    draw(row);
  }
  w.y -= 10;
}

/** The QR code of a URL as the slips print it (error correction M: survives a crease or a stamp's edge). */
export const qrPng = (url: string): Promise<Buffer> => QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 1, scale: 4 });

async function qr(doc: PDFDocument, w: Writer, url: string, caption: string[]) {
  const size = 92;
  const png = await doc.embedPng(await qrPng(url));
  w.ensure(size + 6);
  w.page.drawImage(png, { x: MARGIN.left, y: w.y - size, width: size, height: size });
  const textX = MARGIN.left + size + 12;
  let used = 0;
  for (const line of caption) {
    const lines = wrap(line, w.regular, 9.5, WIDTH - size - 12);
    used += w.textAt(lines, textX, w.y - 8 - used, WIDTH - size - 12, { size: 9.5 });
  }
  w.y -= Math.max(size, used + 8) + 10;
}

function signatures(w: Writer, blocks: { title: string; note: string; name?: string }[]) {
  // A lone signer signs on the right half, as on the official forms.
  const width = WIDTH / Math.max(blocks.length, 2);
  const left = MARGIN.left + WIDTH - width * blocks.length;
  const height = 120;
  w.ensure(height);
  w.y -= 6;
  blocks.forEach((block, i) => {
    const x = left + i * width;
    const title = wrap(block.title.toLocaleUpperCase('vi'), w.bold, 10.5, width - 10);
    const used = w.textAt(title, x, w.y, width, { bold: true, size: 10.5, align: 'center' });
    w.textAt([block.note], x, w.y - used, width, { size: 9.5, align: 'center' });
    if (block.name) w.textAt(wrap(block.name, w.bold, 10.5, width - 10), x, w.y - used - 70, width, { bold: true, size: 10.5, align: 'center' });
  });
  w.y -= height;
}

export async function renderSlip(slip: SlipDocument): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const { regular, bold } = await fonts();
  const w = new Writer(doc, await doc.embedFont(regular, { subset: true }), await doc.embedFont(bold, { subset: true }));
  header(w, slip);
  for (const block of slip.blocks) {
    if (block.kind === 'paragraph') w.paragraph(block.text, { bold: block.bold, align: block.align, gap: 6 });
    else if (block.kind === 'fields') fields(w, block.rows);
    else if (block.kind === 'list') for (const item of block.items) w.paragraph(`– ${item}`, { indent: 12, gap: 2 });
    else if (block.kind === 'table') table(w, block.columns, block.rows);
    else if (block.kind === 'qr') await qr(doc, w, block.url, block.caption);
    else signatures(w, block.blocks);
  }
  doc.setTitle(slip.title, { showInWindowTitleBar: true });
  doc.setAuthor(slip.agencyName);
  doc.setSubject(slip.subject);
  doc.setLanguage('vi-VN');
  doc.setCreator('Hệ thống thông tin giải quyết thủ tục hành chính');
  doc.setProducer('pdf-lib');
  doc.setCreationDate(slip.issuedAt);
  doc.setModificationDate(slip.issuedAt);
  return doc.save();
}
