import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

/** The one ajv that checks eForms (JSON Schemas of procedures), with the standard formats (date, email…). */
export const eformAjv = new Ajv({ allErrors: true, strict: false });
addFormats.default(eformAjv);

/**
 * Where a schema uses `$async`: an async schema makes ajv return a promise, which is truthy, so every form
 * would pass. JSON pointers of each use (`/properties/x/$async`).
 */
export function asyncKeywordPaths(schema: unknown, pointer = ''): string[] {
  if (!schema || typeof schema !== 'object') return [];
  return Object.entries(schema).flatMap(([key, value]) => {
    const path = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    return key === '$async' ? [path] : asyncKeywordPaths(value, path);
  });
}
