import fp from 'fastify-plugin';
import { HttpProblem, type ProblemField } from '../../problems.js';

// Some input passes the route schemas and then breaks further in, so every request is checked for it once
// validated, wherever it sits in its params, query or body (eForm data and action inputs are free-form JSON):
// - text PostgreSQL cannot store: NUL (refused in text and jsonb) and lone UTF-16 surrogates (refused in jsonb);
// - numbers that are not finite: ajv, coercing text to numbers, turns "Infinity" or "1e400" into ±Infinity and
//   then skips minimum and maximum, so `?page=Infinity` would pass `{ minimum: 1, maximum: 10000 }`;
// - JSON nested deeper than any document of this API: recursive code (the history's canonical JSON, PostgreSQL's
//   jsonb parser) runs out of stack on thousands of levels.

/** Deeper than any eForm schema or data; far below what overflows a stack. */
const MAX_DEPTH = 64;

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const pointer = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

const textProblem = { vi: 'Văn bản chứa ký tự không hợp lệ (NUL hoặc UTF-16 hỏng)', en: 'contains a NUL character or broken UTF-16' };
const numberProblem = { vi: 'Cần một số hữu hạn', en: 'must be a finite number' };
const depthProblem = { vi: `Dữ liệu lồng nhau quá sâu (tối đa ${MAX_DEPTH} cấp)`, en: `nested deeper than ${MAX_DEPTH} levels` };

/** The first unacceptable value in `root` with its JSON Pointer; iterative, as bodies may nest thousands deep. */
export function unacceptableInput(root: unknown, base: string): ProblemField | undefined {
  const stack: [unknown, string, number][] = [[root, base, 0]];
  while (stack.length) {
    const [value, path, depth] = stack.pop()!;
    if (typeof value === 'string' && UNSTORABLE.test(value)) return { path, message: textProblem };
    if (typeof value === 'number' && !Number.isFinite(value)) return { path, message: numberProblem };
    if (!value || typeof value !== 'object' || Buffer.isBuffer(value)) continue;
    if (depth > MAX_DEPTH) return { path, message: depthProblem };
    for (const [key, item] of Object.entries(value)) {
      if (UNSTORABLE.test(key)) return { path: `${path}/${pointer(key.replace(new RegExp(UNSTORABLE, 'g'), '?'))}`, message: textProblem };
      stack.push([item, `${path}/${pointer(key)}`, depth + 1]);
    }
  }
  return undefined;
}

export default fp(async (app) => {
  app.addHook('preHandler', async (request) => {
    const field = unacceptableInput(request.params, '/params') ?? unacceptableInput(request.query, '/query') ?? unacceptableInput(request.body, '/body');
    if (field) throw new HttpProblem(400, 'validation', { vi: 'Dữ liệu gửi lên không hợp lệ', en: 'The request is invalid' }, [field]);
  });
});
