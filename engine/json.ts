import { Invalid, NotFound } from './errors.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can name a row: system actors (`system:…`) and other keys cannot. */
export const isUuid = (id: string) => UUID.test(id);

/** Ids are UUIDs; anything else cannot name a row, so it is simply not found (never a database error). */
export function assertUuid(id: string, what: { vi: string; en: string }): void {
  if (!isUuid(id)) throw new NotFound(`Không tìm thấy ${what.vi}`, `${what.en} ${JSON.stringify(id)} not found`);
}

/**
 * Input that becomes variables and history must be plain JSON that PostgreSQL's jsonb stores as is: what is
 * hashed and what is read back are then the same (a Date would hash as {} and be stored as a string), and a NUL
 * character or a lone surrogate is refused here instead of failing the insert.
 */
export function plainJson(value: Record<string, unknown>, path: string): Record<string, unknown> {
  let copy: unknown;
  try {
    copy = JSON.parse(JSON.stringify(value));
  } catch {
    throw invalid(path, 'không chuyển được sang JSON', 'is not JSON');
  }
  if (!copy || typeof copy !== 'object' || Array.isArray(copy)) throw invalid(path, 'phải là một đối tượng JSON', 'must be a JSON object');
  const bad = (v: unknown): boolean =>
    typeof v === 'string'
      ? v.includes('\u0000') || LONE_SURROGATE.test(v)
      : Array.isArray(v)
        ? v.some(bad)
        : v !== null && typeof v === 'object'
          ? Object.entries(v).some(([k, x]) => bad(k) || bad(x))
          : false;
  if (bad(copy)) throw invalid(path, 'chứa ký tự không hợp lệ', 'contains a NUL character or an unpaired surrogate');
  return copy as Record<string, unknown>;
}

function invalid(path: string, vi: string, en: string) {
  return new Invalid(`Dữ liệu ${path} ${vi}`, `${path} ${en}`, [{ path, rule: 'json', message: { vi: `Dữ liệu ${vi}`, en: `The value ${en}` } }]);
}
