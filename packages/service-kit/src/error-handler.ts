/**
 * Turns every failure into problem+json. Client mistakes (validation, bad JSON, too large, wrong media type) keep
 * their 4xx status and say what was wrong; a domain refusal the service listed becomes its problem
 * (domain-problems.ts); a database error that escaped a handler becomes the 4xx or 503 it really is
 * (database-problems.ts); only genuine server faults become 500, with details kept in the log.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { databaseProblemOf } from './database-problems';
import { domainProblemOf, type DomainProblem } from './domain-problems';
import { HttpProblem, PROBLEM_CONTENT_TYPE, problemType, type Problem } from './problem';

interface FieldError {
  field: string;
  message: string;
}

function fieldErrors(error: FastifyError): FieldError[] {
  const context = error.validationContext ?? 'body';
  return (error.validation ?? []).map((issue) => {
    const params = issue.params as Record<string, unknown>;
    // ajv reports a missing or unexpected property on the parent object; name the property itself instead.
    const child = (params.missingProperty ?? params.additionalProperty) as string | undefined;
    const path = [issue.instancePath.replace(/^\//, '').replace(/\//g, '.'), child].filter(Boolean).join('.');
    const message =
      params.additionalProperty !== undefined
        ? 'is not an allowed property'
        : params.missingProperty !== undefined
          ? 'is required'
          : (issue.message ?? 'is invalid');
    return { field: path ? `${context}.${path}` : context, message };
  });
}

/** Fastify's own client-error codes, mapped to stable problem types. */
const CLIENT_ERRORS: Record<string, { slug: string; title: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { slug: 'payload-too-large', title: 'Request body too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { slug: 'unsupported-media-type', title: 'Unsupported media type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { slug: 'bad-request', title: 'Invalid Content-Length' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { slug: 'malformed-request', title: 'Empty JSON body' },
  FST_ERR_CTP_INVALID_JSON_BODY: { slug: 'malformed-request', title: 'Malformed JSON body' },
  FST_ERR_BAD_URL: { slug: 'malformed-request', title: 'Malformed URL' },
  FST_ERR_MAX_PARAM_LENGTH: { slug: 'uri-too-long', title: 'Path parameter too long' },
};

export function toProblem(error: FastifyError | HttpProblem | Error, request: FastifyRequest): Problem {
  const instance = request.url;
  if (error instanceof HttpProblem) return error.toProblem(instance);
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const errors = fieldErrors(fastifyError);
    return {
      type: problemType('validation-failed'),
      title: 'Request validation failed',
      status: 400,
      detail: errors.map((e) => `${e.field} ${e.message}`).join('; '),
      instance,
      errors,
    };
  }
  const status = fastifyError.statusCode ?? 500;
  const known = fastifyError.code ? CLIENT_ERRORS[fastifyError.code] : undefined;
  if (status >= 400 && status < 500) {
    // Body parse failures (e.g. SyntaxError from the JSON parser) arrive as 400 without a Fastify code.
    const { slug, title } = known ?? { slug: 'bad-request', title: 'Bad request' };
    return { type: problemType(slug), title, status, detail: fastifyError.message, instance };
  }
  return {
    type: problemType('internal-error'),
    title: 'Internal server error',
    status: 500,
    detail: 'An unexpected error occurred; it has been logged with the request id.',
    instance,
    requestId: request.id,
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem, headers: Record<string, string> = {}) {
  return reply.code(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(problem);
}

export function registerErrorHandling(app: FastifyInstance, problems: readonly DomainProblem[] = []): void {
  app.setErrorHandler((thrown: FastifyError | HttpProblem, request, reply) => {
    const error = domainProblemOf(problems, thrown) ?? thrown;
    const database = error instanceof HttpProblem ? undefined : databaseProblemOf(error);
    const answered = database?.problem ?? error;
    const problem = toProblem(answered, request);
    if (database?.failure === 'unavailable') request.log.error({ err: error }, 'database unavailable');
    else if (database)
      request.log.warn({ sqlState: database.sqlState, problem: problem.type }, 'refused by the database');
    else if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ problem: problem.type, status: problem.status }, 'request rejected');
    return sendProblem(reply, problem, answered instanceof HttpProblem ? answered.headers : {});
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      type: problemType('not-found'),
      title: 'Route not found',
      status: 404,
      detail: `No route for ${request.method} ${request.url.split('?')[0]}`,
      instance: request.url,
    }),
  );
}
