import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import { ProcessCoreError } from '../engine/errors.js';

/**
 * RFC 7807 problem details, the one error shape of the API: a stable `type`, the HTTP status, a title, and the
 * message in both UI languages, with the failing field paths (JSON Pointer into the request) when there are any.
 */
export interface Bilingual {
  vi: string;
  en: string;
}

export interface ProblemField {
  /** JSON Pointer into the request: `/body/email`, `/query/page`, `/params/id`; or a BPMN element id. */
  path: string | null;
  message: Bilingual;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  messageVi: string;
  messageEn: string;
  instance?: string;
  errors?: ProblemField[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** A problem raised on purpose by a route or a service. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly bilingual: Bilingual,
    readonly errors: ProblemField[] = [],
  ) {
    super(bilingual.en);
    this.name = 'HttpProblem';
  }
}

export function problem(status: number, code: string, message: Bilingual, errors: ProblemField[] = []): Problem {
  return {
    type: `/problems/${code}`,
    title: message.en,
    status,
    detail: message.en,
    messageVi: message.vi,
    messageEn: message.en,
    ...(errors.length ? { errors } : {}),
  };
}

const keywordVi: Record<string, (params: Record<string, unknown>) => string> = {
  required: (p) => `Thiếu trường bắt buộc "${String(p.missingProperty)}"`,
  additionalProperties: (p) => `Trường "${String(p.additionalProperty)}" không được phép`,
  type: (p) => `Sai kiểu dữ liệu, cần ${String(p.type)}`,
  format: (p) => `Sai định dạng ${String(p.format)}`,
  minLength: (p) => `Cần ít nhất ${String(p.limit)} ký tự`,
  maxLength: (p) => `Tối đa ${String(p.limit)} ký tự`,
  pattern: () => 'Giá trị không đúng mẫu quy định',
  enum: (p) => `Giá trị phải là một trong: ${(p.allowedValues as unknown[] | undefined)?.join(', ') ?? ''}`,
  const: () => 'Giá trị không hợp lệ',
  minimum: (p) => `Giá trị tối thiểu là ${String(p.limit)}`,
  maximum: (p) => `Giá trị tối đa là ${String(p.limit)}`,
  minItems: (p) => `Cần ít nhất ${String(p.limit)} phần tử`,
  maxItems: (p) => `Tối đa ${String(p.limit)} phần tử`,
};

const contextPath: Record<string, string> = { body: '/body', querystring: '/query', params: '/params', headers: '/headers' };

/** Maps ajv's errors (request schemas or an eForm) to field paths with messages in both languages. */
export function validationFields(errors: FastifySchemaValidationError[], context: string): ProblemField[] {
  return errors.map((e) => {
    const params = (e.params ?? {}) as Record<string, unknown>;
    let path = `${contextPath[context] ?? `/${context}`}${e.instancePath}`;
    if (e.keyword === 'required') path += `/${String(params.missingProperty)}`;
    if (e.keyword === 'additionalProperties') path += `/${String(params.additionalProperty)}`;
    const vi = keywordVi[e.keyword]?.(params) ?? 'Giá trị không hợp lệ';
    const en = e.keyword === 'additionalProperties' ? `unknown field "${String(params.additionalProperty)}"` : (e.message ?? 'invalid value');
    return { path, message: { vi, en } };
  });
}

// Errors raised by Fastify and its plugins (bad JSON, body too large, rate limit…), by status: a stable type
// and a Vietnamese message; the English detail keeps the framework's own explanation.
const statusProblems: Record<number, { code: string } & Bilingual> = {
  400: { code: 'bad-request', vi: 'Yêu cầu không hợp lệ', en: 'Bad request' },
  401: { code: 'unauthenticated', vi: 'Vui lòng đăng nhập', en: 'Authentication required' },
  403: { code: 'forbidden', vi: 'Bạn không có quyền thực hiện thao tác này', en: 'Forbidden' },
  404: { code: 'not-found', vi: 'Không tìm thấy', en: 'Not found' },
  405: { code: 'method-not-allowed', vi: 'Phương thức không được hỗ trợ', en: 'Method not allowed' },
  406: { code: 'not-acceptable', vi: 'Định dạng phản hồi không được hỗ trợ', en: 'Not acceptable' },
  409: { code: 'conflict', vi: 'Dữ liệu đã bị thay đổi hoặc đã tồn tại', en: 'Conflict' },
  413: { code: 'payload-too-large', vi: 'Dữ liệu gửi lên quá lớn', en: 'Payload too large' },
  414: { code: 'uri-too-long', vi: 'Địa chỉ yêu cầu quá dài', en: 'URI too long' },
  415: { code: 'unsupported-media-type', vi: 'Kiểu nội dung không được hỗ trợ', en: 'Unsupported media type' },
  422: { code: 'unprocessable', vi: 'Dữ liệu không hợp lệ', en: 'Unprocessable content' },
  429: { code: 'rate-limited', vi: 'Quá nhiều yêu cầu, vui lòng thử lại sau', en: 'Too many requests, try again later' },
  500: { code: 'internal', vi: 'Lỗi hệ thống, vui lòng thử lại sau', en: 'Internal server error' },
};

/** The problem for any error reaching the HTTP layer; a 500 never reveals its cause. */
export function toProblem(err: unknown): Problem {
  if (err instanceof HttpProblem) return problem(err.status, err.code, err.bilingual, err.errors);
  if (err instanceof ProcessCoreError) {
    return problem(
      err.status,
      err.code,
      { vi: err.vi, en: err.en },
      err.problems.map((p) => ({ path: p.path, message: p.message })),
    );
  }
  const e = err as { validation?: FastifySchemaValidationError[]; validationContext?: string; statusCode?: number; code?: string; message?: string };
  if (e.validation) {
    return problem(400, 'validation', { vi: 'Dữ liệu gửi lên không hợp lệ', en: 'The request is invalid' }, validationFields(e.validation, e.validationContext ?? 'body'));
  }
  const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
  const known = statusProblems[status] ?? { ...statusProblems[400]!, code: `http-${status}` };
  return problem(status, known.code, { vi: known.vi, en: status === 500 ? known.en : (e.message ?? known.en) });
}
