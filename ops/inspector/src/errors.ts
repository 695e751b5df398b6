/**
 * Failures the inspector reports to people: each has a code the web API maps to an HTTP status
 * and the CLI to an exit code, and a message that says what to do.
 */
export type InspectorErrorCode = 'NOT_FOUND' | 'INVALID_ARGUMENT' | 'CONFLICT' | 'UNSUPPORTED' | 'UNAVAILABLE' | 'METHOD_NOT_ALLOWED' | 'EXPECTATION_FAILED';

export class InspectorError extends Error {
  override readonly name = 'InspectorError';
  constructor(
    readonly code: InspectorErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const HTTP_STATUS: Record<InspectorErrorCode, number> = {
  NOT_FOUND: 404,
  INVALID_ARGUMENT: 400,
  CONFLICT: 409,
  UNSUPPORTED: 422,
  UNAVAILABLE: 503,
  METHOD_NOT_ALLOWED: 405,
  EXPECTATION_FAILED: 417,
};

const SDK_CODES: Record<string, InspectorErrorCode> = {
  ExecutionDoesNotExist: 'NOT_FOUND',
  StateMachineDoesNotExist: 'NOT_FOUND',
  ExecutionNotRedrivable: 'CONFLICT',
  InvalidArn: 'INVALID_ARGUMENT',
  InvalidToken: 'INVALID_ARGUMENT',
  ValidationException: 'INVALID_ARGUMENT',
  StateMachineTypeNotSupported: 'UNSUPPORTED',
};

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT']);

/** SDK and network failures in the inspector's terms; anything else passes through unchanged. */
export function toInspectorError(error: unknown, endpoint?: string): unknown {
  if (error instanceof InspectorError) return error;
  const err = error as { name?: string; message?: string; code?: string; cause?: { code?: string } };
  if (err?.name === 'CredentialsProviderError') {
    return new InspectorError(
      'UNAVAILABLE',
      'no AWS credentials, and no local stack found (.local/endpoints.json). Start it with npm start, or use AWS credentials (AWS_PROFILE=...).',
    );
  }
  const code = err?.name ? SDK_CODES[err.name] : undefined;
  if (code) return new InspectorError(code, err.message ?? err.name ?? 'error');
  // The SDK wraps socket errors ("AWS SDK error wrapper for Error: connect ECONNREFUSED ..."); the code may only be in the text.
  const network = [err?.code, err?.cause?.code, /\b(E[A-Z]+)\b/u.exec(err?.message ?? '')?.[1]].find((c) => c !== undefined && NETWORK_CODES.has(c));
  if (network) {
    const where = endpoint ?? 'the Step Functions endpoint';
    return new InspectorError(
      'UNAVAILABLE',
      `cannot reach ${where} (${network}). Locally, is the stack running (npm start)? Against AWS, pass --aws and check your credentials.`,
    );
  }
  return error;
}
