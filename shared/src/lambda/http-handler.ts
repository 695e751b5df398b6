import type middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { Observability } from '../observability';
import { bodySizeLimit, problemJsonErrors, requireJsonBody } from '../http/middleware';
import { parseOrProblem } from '../http/validation';
import { authConfigFromEnv, authenticate, type AuthConfig } from '../auth/authenticate';
import { authorize, type AuthRequirement, type Principal } from '../auth/principal';
import { withFaultInjection } from './fault-injection';
import { observed } from './observed';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export type HttpEventWithBody<B> = Omit<APIGatewayProxyEventV2, 'body'> & { body: B };

/** The caller, on every request of a route that is not `public`. */
export type PrincipalOf<A extends AuthRequirement> = A extends 'public' ? undefined : Principal;

export interface HttpHandlerOptions<S extends z.ZodMiniType | undefined, A extends AuthRequirement = AuthRequirement> {
  /**
   * Who may call (required: every route decides): `public`, `customer` (any valid token; the
   * caller is the customer in `sub`) or `admin` (the admin scope). Checked before the body is read:
   * a rejected request (401, 403) reaches neither validation nor the handler.
   */
  auth: A;
  /** Where identities come from; default from AUTH_MODE and friends, read once at init. */
  authConfig?: AuthConfig;
  /** When given, the request must carry a JSON body that this schema accepts (else 415/400/422). */
  body?: S;
  maxBodyBytes?: number;
}

type BodyOf<S> = S extends z.ZodMiniType ? z.output<S> : undefined;

export type HttpHandlerEvent<S, A extends AuthRequirement> = HttpEventWithBody<BodyOf<S>> & { principal: PrincipalOf<A> };

type HttpRequest = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;

/** Authenticates (401) and authorizes (403) the request, then hands the principal on as `event.principal`. */
function authentication(observability: Observability, requirement: AuthRequirement, config: AuthConfig | undefined): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    before: async (request: HttpRequest) => {
      if (requirement === 'public' || config === undefined) return;
      const principal = await authenticate(request.event, config);
      observability.logger.appendKeys({ customerId: principal.customerId, admin: principal.isAdmin });
      authorize(principal, requirement);
      (request.event as unknown as { principal: Principal }).principal = principal;
    },
  };
}

/**
 * The one way every HTTP function is built: headers normalised, then authentication (401) and the
 * route's scope (403), then size limit, JSON parsing and zod validation before the handler runs,
 * so the handler sees only an authorized caller (`event.principal`) and valid input, and nothing
 * is written for a rejected request; every error leaves as application/problem+json.
 */
export function httpHandler<S extends z.ZodMiniType | undefined = undefined, A extends AuthRequirement = AuthRequirement>(
  observability: Observability,
  options: HttpHandlerOptions<S, A>,
  handler: (event: HttpHandlerEvent<S, A>, context: Context) => Promise<APIGatewayProxyResultV2>,
) {
  const authConfig = options.auth === 'public' ? undefined : (options.authConfig ?? authConfigFromEnv());
  const chain = observed<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(observability)
    .use(httpSecurityHeaders())
    .use(problemJsonErrors(observability.logger))
    .use(httpHeaderNormalizer())
    .use(authentication(observability, options.auth, authConfig))
    .use(bodySizeLimit(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES));

  const schema = options.body;
  if (schema) {
    chain
      .use(requireJsonBody())
      .use(httpJsonBodyParser({ disableContentTypeCheck: true }) as middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2>)
      .use({
        before: (request) => {
          (request.event as unknown as { body: unknown }).body = parseOrProblem(schema, request.event.body, 422, 'request body');
        },
      });
  }
  // Local stage only: injected failures after validation (shared/src/lambda/fault-injection.ts); an
  // injected transient fault answers 503, as a throttled backing service does.
  return chain.handler(
    withFaultInjection((event: APIGatewayProxyEventV2, context: Context) => handler(event as unknown as HttpHandlerEvent<S, A>, context)),
  );
}
