import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { isTransientAwsError } from '../errors';
import { HttpProblem, problemResponse } from './problem';
import { RETRY_AFTER_SECONDS } from './unavailable';

type HttpRequest = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;

/**
 * Rejects bodies over `maxBytes` with 413 before anything parses them. A body that arrives as
 * something other than text (serverless-offline hands a JSON `false` or `0` body over already
 * parsed) is turned back into its JSON text first, so that it is judged like any other body.
 */
export function bodySizeLimit(maxBytes: number): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    before: (request: HttpRequest) => {
      if (request.event.body !== undefined && request.event.body !== null && typeof request.event.body !== 'string') {
        request.event.body = JSON.stringify(request.event.body);
      }
      const { body, isBase64Encoded } = request.event;
      if (body === undefined || body === null) return;
      const size = isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body, 'utf8');
      if (size > maxBytes) {
        throw new HttpProblem(413, `Request body is ${size} bytes; the limit is ${maxBytes} bytes`);
      }
    },
  };
}

/** Requires a JSON body: 415 for another media type, 400 for a missing body. */
export function requireJsonBody(): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    before: (request: HttpRequest) => {
      const contentType = request.event.headers?.['content-type'];
      if (!contentType || !/^application\/(.+\+)?json\s*(;.*)?$/i.test(contentType.trim())) {
        throw new HttpProblem(
          415,
          `Content-Type must be application/json, got ${contentType ? `"${contentType}"` : 'none'}`,
          {},
          { Accept: 'application/json' },
        );
      }
      if (!request.event.body) throw new HttpProblem(400, 'Request body is required');
    },
  };
}

interface MiddyHttpError {
  statusCode: number;
  message: string;
  cause?: { package?: string; message?: string; data?: unknown };
}

function isMiddyHttpError(error: unknown): error is MiddyHttpError {
  return typeof error === 'object' && error !== null && typeof (error as MiddyHttpError).statusCode === 'number';
}

/**
 * The JSON Pointer of the object that holds `key` in a raw JSON body, for a precise message.
 * JSON.parse keeps "__proto__" as an own property (it never sets the prototype), so reading it is safe.
 */
export function forbiddenKeyPointer(body: string | undefined, key: string, base64 = false): string | undefined {
  let document: unknown;
  try {
    document = JSON.parse(base64 && body ? Buffer.from(body, 'base64').toString('utf8') : (body ?? ''));
  } catch {
    return undefined;
  }
  const escape = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');
  const search = (value: unknown, pointer: string): string | undefined => {
    if (value === null || typeof value !== 'object') return undefined;
    if (!Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, key)) return pointer;
    for (const [name, child] of Object.entries(value)) {
      const found = search(child, `${pointer}/${escape(name)}`);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return search(document, '');
}

/**
 * Turns every error into application/problem+json. Known client errors keep their status;
 * anything else is a 500 with a generic detail (the real error goes to the log, not the client).
 */
export function problemJsonErrors(logger: Logger): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    onError: (request: HttpRequest) => {
      const error = request.error;
      if (error instanceof HttpProblem) {
        request.response = problemResponse(error.status, error.detail, error.extensions, error.headers);
        return;
      }
      if (isMiddyHttpError(error) && error.statusCode < 500) {
        // http-json-body-parser refuses __proto__ (and constructor.prototype) keys: valid JSON, refused content.
        if (error.cause?.package === '@middy/http-json-body-parser' && error.message === 'Forbidden key in JSON body') {
          const key = String(error.cause.data);
          const at = forbiddenKeyPointer(request.event.body, key, request.event.isBase64Encoded);
          request.response = problemResponse(422, `Request body has a forbidden key "${key}"${at ? ` at ${at}` : ''}`);
          return;
        }
        // http-json-body-parser answers 422 for unparseable JSON; it is a malformed request (400).
        const malformedJson = error.cause?.package === '@middy/http-json-body-parser' && error.statusCode === 422;
        const status = malformedJson ? 400 : error.statusCode;
        const detail = malformedJson
          ? `Request body is not valid JSON${error.cause?.message ? `: ${error.cause.message}` : ''}`
          : error.message;
        request.response = problemResponse(status, detail);
        return;
      }
      if (isTransientAwsError(error)) {
        // A throttled or unavailable backing service: the client may retry; the server is not broken.
        logger.warn('Backing service unavailable', error as Error);
        request.response = problemResponse(503, 'A backing service is temporarily unavailable; retry later', {}, {
          'Retry-After': String(RETRY_AFTER_SECONDS),
        });
        return;
      }
      logger.error('Unhandled error', error as Error);
      request.response = problemResponse(500, 'The server could not complete the request; it has been logged.');
    },
  };
}
