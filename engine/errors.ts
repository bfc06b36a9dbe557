/**
 * Typed failures of the process core. Each carries an HTTP-like status, a stable code and a message in both UI
 * languages, so the API can answer RFC 7807 problems without guessing.
 */
export interface Problem {
  /** Where the problem is: a BPMN element id, or a field path of the input. */
  path: string | null;
  rule: string;
  message: { vi: string; en: string };
}

export abstract class ProcessCoreError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  constructor(
    readonly vi: string,
    readonly en: string,
    readonly problems: Problem[] = [],
  ) {
    super(en);
    this.name = new.target.name;
  }
}

export class NotFound extends ProcessCoreError {
  readonly status = 404;
  readonly code = 'not-found';
}

/** Someone else acted first, the task is no longer waiting, or the instance moved on. Reload and retry. */
export class Conflict extends ProcessCoreError {
  readonly status = 409;
  readonly code = 'conflict';
}

export class Forbidden extends ProcessCoreError {
  readonly status = 403;
  readonly code = 'forbidden';
}

/** The request itself is wrong (unknown action for this task, invalid diagram): it will never succeed as is. */
export class Invalid extends ProcessCoreError {
  readonly status = 422;
  readonly code = 'invalid';
}

/** The diagram failed while running (e.g. a condition that is not boolean); nothing was committed. */
export class EngineFailure extends ProcessCoreError {
  readonly status = 422;
  readonly code = 'process-failed';
  constructor(override readonly cause: Error) {
    super(`Quy trình gặp lỗi khi chạy: ${cause.message}`, `The process failed while running: ${cause.message}`);
  }
}
