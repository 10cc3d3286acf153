import { INPUT_LIMITS, type InputLimits, type InputProblem, parseJsonBounded } from '@eks-sim/sim-core';
import type { FastifyInstance } from 'fastify';

/** A request body the server will not read: not JSON, or past a limit (nesting, sizes). */
export class BodyError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly error: 'InvalidJSON' | 'InputTooLarge',
    message: string,
  ) {
    super(message);
  }
}

export function bodyErrorOf(problem: InputProblem): BodyError {
  return new BodyError(
    problem.limit === 'syntax' ? 'InvalidJSON' : 'InputTooLarge',
    `request body: ${problem.message}`,
  );
}

/**
 * Replaces fastify's JSON body parser with one that refuses deep or oversized values before
 * any validator or handler walks them (they recurse). Byte size is capped before this by
 * fastify's `bodyLimit` (413).
 */
export function useBoundedJsonParser(app: FastifyInstance, limits: InputLimits = INPUT_LIMITS): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text === '') {
      done(new BodyError('InvalidJSON', 'request body: empty, but the content-type says application/json'), undefined);
      return;
    }
    const parsed = parseJsonBounded(text, limits);
    if (parsed.ok) done(null, parsed.value);
    else done(bodyErrorOf(parsed.problem), undefined);
  });
}
