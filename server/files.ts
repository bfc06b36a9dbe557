import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { fileTypeFromBuffer } from 'file-type';
import { HttpProblem } from './problems.js';
import { unacceptableInput } from './plugins/app/input-guard.js';

// Names of uploaded files are metadata only: kept for display and downloads, never used as a path.

const UNSAFE_IN_NAME = /[\u0000-\u001f\u007f-\u009f\\/]/g;
// Bidi controls reorder what is shown: "photo\u202Egnp.exe" reads as "photoexe.png".
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The name as shown and downloaded: NFC, no control characters (C0, DEL, C1), bidi controls or path separators,
 * at most 255 characters (whole code points), and not "." or "..".
 */
export function safeOriginalName(name: string, fallback: string): string {
  const safe = Array.from(name.normalize('NFC').replace(BIDI_CONTROLS, '').replace(UNSAFE_IN_NAME, '_')).slice(0, 255).join('');
  return /^\.*$/.test(safe) ? fallback : safe;
}

/**
 * The file of a multipart request, read whole, with the text fields sent before it. busboy reports a body it cannot
 * parse (no boundary, cut short, broken part headers) as a plain Error that would answer 500: it is the client's
 * mistake, a 400; the plugin's own limit errors carry their status (413) and pass as they are.
 */
export async function readFilePart(request: FastifyRequest): Promise<{ fields: Record<string, string>; filename: string; content: Buffer } | undefined> {
  let part: Awaited<ReturnType<FastifyRequest['file']>>;
  let content: Buffer | undefined;
  try {
    part = await request.file();
    content = await part?.toBuffer();
  } catch (err) {
    throw multipartProblem(err);
  }
  if (!part || !content) return undefined;
  const fields: Record<string, string> = {};
  for (const [name, field] of Object.entries(part.fields)) if (field && !Array.isArray(field) && 'value' in field) fields[name] = String(field.value);
  return { fields: storable(fields), filename: part.filename, content };
}

/** busboy's parse errors are the client's (400); the plugin's limit errors carry their status (413) and pass. */
function multipartProblem(err: unknown): unknown {
  if (err instanceof HttpProblem || (err as { statusCode?: number }).statusCode) return err;
  return new HttpProblem(400, 'upload-malformed', { vi: 'Dữ liệu tải lên (multipart/form-data) bị hỏng', en: `Malformed multipart body: ${(err as Error).message}` });
}

function storable(fields: Record<string, string>): Record<string, string> {
  const unstorable = unacceptableInput(fields, '/body');
  if (unstorable) throw new HttpProblem(400, 'validation', { vi: 'Dữ liệu gửi lên không hợp lệ', en: 'The request is invalid' }, [unstorable]);
  return fields;
}

/**
 * Every part of a multipart request, read whole: its text fields (the first value of each name) and up to
 * `maxFiles` files, in the order sent. Limits are the request's own (the plugin's defaults allow one file and
 * short fields); a field longer than `maxFieldBytes` is refused with its path rather than cut short.
 */
export async function readParts(
  request: FastifyRequest,
  limits: { maxFiles: number; maxFields: number; maxFieldBytes: number },
): Promise<{ fields: Record<string, string>; files: { filename: string; content: Buffer }[] }> {
  if (!request.isMultipart()) {
    throw new HttpProblem(415, 'upload-malformed', { vi: 'Cần gửi dữ liệu dạng multipart/form-data', en: 'Send multipart/form-data' });
  }
  const fields: Record<string, string> = {};
  const files: { filename: string; content: Buffer }[] = [];
  try {
    const parts = request.parts({ limits: { files: limits.maxFiles, fields: limits.maxFields, fieldSize: limits.maxFieldBytes, parts: limits.maxFiles + limits.maxFields } });
    for await (const part of parts) {
      if (part.type === 'file') {
        files.push({ filename: part.filename, content: await part.toBuffer() });
        continue;
      }
      if (part.valueTruncated) {
        throw new HttpProblem(400, 'validation', { vi: 'Dữ liệu gửi lên không hợp lệ', en: 'The request is invalid' }, [
          { path: `/body/${part.fieldname}`, message: { vi: 'Nội dung quá dài', en: 'Too long' } },
        ]);
      }
      fields[part.fieldname] ??= String(part.value);
    }
  } catch (err) {
    throw multipartProblem(err);
  }
  return { fields: storable(fields), files };
}

/**
 * An upload's size and type checked (the type by content: the name and the declared type are not trusted), and
 * the sha-256 it is stored under in file_blob.
 */
export async function checkedContent(
  content: Buffer,
  rule: { maxSizeMb: number; allowedTypes: readonly string[]; path: string },
): Promise<{ sha256: string; mediaType: string; size: number }> {
  if (content.length === 0 || content.length > rule.maxSizeMb * 1024 * 1024) {
    throw new HttpProblem(413, 'file-too-large', { vi: `Tệp rỗng hoặc lớn hơn ${rule.maxSizeMb} MB`, en: `The file is empty or larger than ${rule.maxSizeMb} MB` }, [
      { path: rule.path, message: { vi: `Tối đa ${rule.maxSizeMb} MB`, en: `At most ${rule.maxSizeMb} MB` } },
    ]);
  }
  const detected = await fileTypeFromBuffer(content);
  if (!detected || !rule.allowedTypes.includes(detected.mime)) {
    throw new HttpProblem(415, 'file-type-not-allowed', { vi: `Chỉ nhận tệp: ${rule.allowedTypes.join(', ')}`, en: `Accepted file types: ${rule.allowedTypes.join(', ')}` }, [
      { path: rule.path, message: { vi: 'Loại tệp không được chấp nhận', en: `Detected ${detected?.mime ?? 'unknown'} content` } },
    ]);
  }
  return { sha256: createHash('sha256').update(content).digest('hex'), mediaType: detected.mime, size: content.length };
}

/** `?download=true` asks for the file as an attachment rather than shown in the browser. */
export const DownloadQuery = Type.Object({ download: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export const BinaryContent = Type.Unsafe<Buffer>({ type: 'string', format: 'binary' });

/** A file to one who may read it: shown inline (or downloaded), under its original name, never kept by a cache. */
export function sendPrivateFile(reply: FastifyReply, file: { mediaType: string; name: string; content: Uint8Array }, download: boolean | undefined) {
  return reply
    .type(file.mediaType)
    .header('content-disposition', contentDisposition(file.name, download ? 'attachment' : 'inline'))
    .header('cache-control', 'private, no-store')
    .send(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
}

/** The original name travels only in the header's RFC 5987 form; the ASCII fallback keeps no path or quote. */
export function contentDisposition(name: string, kind: 'inline' | 'attachment'): string {
  const fallback = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]|["\\/]/g, '_');
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
