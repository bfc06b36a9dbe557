import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';

/**
 * The text of a PDF as a reader would copy it, one line per text object, read through each font's ToUnicode map:
 * subset fonts (Identity-H) put glyph ids, not characters, into the content stream, so the map is the only way back
 * to the characters — a wrong or missing map fails the test, as it would fail copy and search in a reader.
 */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const pages: string[] = [];
  for (const page of doc.getPages()) {
    const fonts = new Map<string, Map<number, string>>();
    const fontDict = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
    for (const [name, ref] of fontDict?.entries() ?? []) {
      const font = resolve(doc, ref);
      const toUnicode = font instanceof PDFDict ? font.lookup(PDFName.of('ToUnicode')) : undefined;
      fonts.set(name.decodeText(), toUnicode instanceof PDFRawStream ? parseCMap(streamText(toUnicode)) : new Map());
    }
    const contents = page.node.Contents();
    const streams = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
    pages.push(streams.map((s) => showText(streamText(resolve(doc, s) as PDFRawStream), fonts)).join('\n'));
  }
  return pages.join('\n');
}

const resolve = (doc: PDFDocument, obj: PDFObject) => (obj instanceof PDFRef ? doc.context.lookup(obj) : obj);

const streamText = (stream: PDFRawStream) => Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');

/** `bfchar` and `bfrange` entries of a ToUnicode CMap: code → UTF-16BE hex → string. */
function parseCMap(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (hex: string) => Buffer.from(hex, 'hex').swap16().toString('utf16le');
  for (const section of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, text] of section[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(code!, 16), utf16(text!));
  }
  for (const section of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, start] of section[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      const first = parseInt(start!, 16);
      for (let code = parseInt(lo!, 16); code <= parseInt(hi!, 16); code++) map.set(code, String.fromCodePoint(first + code - parseInt(lo!, 16)));
    }
  }
  return map;
}

/**
 * Runs the text operators of a content stream — Tf picks the font, Tm places the text, Tj/TJ show hex strings —
 * and reads the placed texts in reading order: top to bottom, and left to right along one baseline (a bold label
 * and its value, the cells of a table row), as a reader's copy would.
 */
function showText(content: string, fonts: Map<string, Map<number, string>>): string {
  const placed: { x: number; y: number; text: string }[] = [];
  let text = '';
  let x = 0;
  let y = 0;
  let font: Map<number, string> | undefined;
  const decode = (hex: string) => {
    let out = '';
    for (let i = 0; i + 4 <= hex.length; i += 4) out += font?.get(parseInt(hex.slice(i, i + 4), 16)) ?? '\uFFFD';
    return out;
  };
  const tokens = content.match(/\/[^\s/<>[\]()]+|<[0-9a-fA-F\s]*>|\[|\]|\((?:\\.|[^\\)])*\)|[^\s/<>[\]()]+/g) ?? [];
  const operands: string[] = [];
  for (const token of tokens) {
    if (token === 'Tf') font = fonts.get(operands[operands.length - 2]!.slice(1));
    else if (token === 'Tm') [x, y] = operands.slice(-2).map(Number) as [number, number];
    else if (token === 'Tj' || token === 'TJ') text += operands.filter((o) => o.startsWith('<')).map((o) => decode(o.slice(1, -1).replace(/\s/g, ''))).join('');
    else if (token === 'ET') {
      if (text) placed.push({ x, y, text });
      text = '';
    }
    if (/^[A-Za-z*'"]+$/.test(token)) operands.length = 0;
    else operands.push(token);
  }
  const lines = new Map<number, { x: number; text: string }[]>();
  for (const p of placed) lines.set(p.y, [...(lines.get(p.y) ?? []), p]);
  return [...lines.entries()]
    .sort(([a], [b]) => b - a)
    .map(([, parts]) =>
      parts
        .sort((a, b) => a.x - b.x)
        // A run that starts with a space (the value after a bold label) needs none added; separate cells do.
        .reduce((line, part) => (!line || /\s$/.test(line) || /^\s/.test(part.text) ? line + part.text : `${line} ${part.text}`), ''),
    )
    .join('\n');
}

/** Every image XObject of a PDF, as stored (compressed) bytes: to compare an embedded image with a reference. */
export async function pdfImages(bytes: Uint8Array): Promise<Buffer[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  return doc.context
    .enumerateIndirectObjects()
    .flatMap(([, obj]) => (obj instanceof PDFRawStream && obj.dict.get(PDFName.of('Subtype'))?.toString() === '/Image' ? [Buffer.from(obj.contents)] : []));
}
