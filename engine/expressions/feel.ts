import { evaluate, SyntaxError as FeelSyntaxError } from 'feelin';

/**
 * Expressions in diagrams are FEEL (the DMN expression language, as in Camunda 8), written with a leading `=`:
 * `=action = "1100"`, `=handler`. Anything without `=` is a literal (e.g. a timer duration `P3D`).
 * Evaluation is strict: a syntax error, a missing variable or any other FEEL warning is an error, never a
 * silent `null`/false (the default bpmn-engine handler quietly returns undefined for `${a > 0}`).
 */
export function isFeel(text: string | undefined | null): text is string {
  return typeof text === 'string' && text.trimStart().startsWith('=');
}

export class ExpressionError extends Error {
  constructor(
    readonly expression: string,
    reason: string,
  ) {
    super(`FEEL ${JSON.stringify(expression)}: ${reason}`);
    this.name = 'ExpressionError';
  }
}

/** Returns a problem description when `expression` (with its `=`) is not valid FEEL, else null. */
export function feelSyntaxProblem(expression: string): string | null {
  try {
    evaluate(feelBody(expression), {});
    return null;
  } catch (err) {
    if (err instanceof FeelSyntaxError) return err.message;
    throw err;
  }
}

export function evaluateFeel(expression: string, context: Record<string, unknown>): unknown {
  let result;
  try {
    result = evaluate(feelBody(expression), context);
  } catch (err) {
    throw new ExpressionError(expression, (err as Error).message);
  }
  if (result.warnings.length) {
    throw new ExpressionError(expression, result.warnings.map((w) => w.message).join('; '));
  }
  return result.value;
}

export function evaluateCondition(expression: string, context: Record<string, unknown>): boolean {
  const value = evaluateFeel(expression, context);
  if (typeof value !== 'boolean') {
    throw new ExpressionError(expression, `a condition must be true or false, got ${JSON.stringify(value)}`);
  }
  return value;
}

function feelBody(expression: string): string {
  return expression.trimStart().replace(/^=/, '');
}
