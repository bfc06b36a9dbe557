import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';

/** HTTP helpers shared by the API tests. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
export const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

export const business = { organizationName: 'Công ty TNHH Gốm Bát Tràng', taxCode: '0101234567', address: 'Số 1 Hàng Gai, Hoàn Kiếm', representative: 'Lê Văn Cường' };

export function api(app: FastifyInstance) {
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token?: string, payload?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  const login = async (username: string, password: string) => {
    const res = await call('POST', '/api/auth/login', undefined, { username, password });
    expect(res.statusCode).toBe(200);
    return res.json().accessToken as string;
  };

  /** multipart/form-data with `componentCode` first, then the file, as the API expects. */
  const upload = (dossierId: string, token: string, componentCode: string | null, file: { name: string; content: Buffer }) => {
    const boundary = `----dvc${Math.random().toString(16).slice(2)}`;
    const parts: Buffer[] = [];
    if (componentCode !== null) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="componentCode"\r\n\r\n${componentCode}\r\n`));
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/pdf\r\n\r\n`));
    parts.push(file.content, Buffer.from(`\r\n--${boundary}--\r\n`));
    return call('POST', `/api/dossiers/${dossierId}/files`, token, Buffer.concat(parts), { 'content-type': `multipart/form-data; boundary=${boundary}` });
  };

  /** A complete 2.000331 dossier (Sở Công Thương), submitted; returns its submission answer. */
  const submitComplete = async (token: string) => {
    const draft = (await call('POST', '/api/dossiers', token, { procedureCode: '2.000331' })).json();
    expect((await call('PUT', `/api/dossiers/${draft.id}/form`, token, { data: business })).statusCode).toBe(200);
    expect((await upload(draft.id, token, 'TP05', { name: 'de-nghi.pdf', content: PDF })).statusCode).toBe(201);
    const submitted = await call('POST', `/api/dossiers/${draft.id}/submit`, token, { declarationAccepted: true });
    expect(submitted.statusCode).toBe(200);
    return submitted.json();
  };

  return { call, login, upload, submitComplete };
}
