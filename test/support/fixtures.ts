/**
 * Request material shared by the API tests and the HTTP benchmark. Free of vitest imports, so that a plain Node
 * script (test/bench/http.ts) can use it too.
 */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
export const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/** The eForm of the demo procedure 2.000331 (Sở Công Thương), filled in. */
export const business = { organizationName: 'Công ty TNHH Gốm Bát Tràng', taxCode: '0101234567', address: 'Số 1 Hàng Gai, Hoàn Kiếm', representative: 'Lê Văn Cường' };

/** multipart/form-data with `componentCode` first (when given), then the file, as the upload routes expect. */
export function multipartFile(componentCode: string | null, file: { name: string; content: Buffer }) {
  const boundary = `----dvc${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  if (componentCode !== null) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="componentCode"\r\n\r\n${componentCode}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/pdf\r\n\r\n`));
  parts.push(file.content, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
