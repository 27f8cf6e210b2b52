// The one function the page calls the API through: POSTs a typed document with its
// variables and returns the operation's typed result, or throws an `ApiError` that keeps
// what an operator needs to find the request again (each error's code and request id).
import type { TypedDocumentString } from './generated/graphql';

/** One GraphQL error as the directory reports it (`extensions.code`, `requestId`…). */
export interface ErrorDetail {
  message: string;
  code: string | null;
  /** The argument a `BAD_USER_INPUT` names (`filter.memberOf`). */
  argument: string | null;
  requestId: string | null;
  path: string | null;
}

/** A request that did not answer cleanly: GraphQL errors, an HTTP failure, or no answer. */
export class ApiError extends Error {
  constructor(
    readonly details: ErrorDetail[],
    /** HTTP status, or 0 when the browser got no answer (server down, or CORS refused). */
    readonly status: number,
    /** The `x-request-id` response header, readable because the API exposes it (CORS). */
    readonly requestId: string | null,
  ) {
    super(details.map((detail) => detail.message).join('; '));
    this.name = 'ApiError';
  }
}

interface GraphQLResponse<TResult> {
  data?: TResult | null;
  errors?: Array<{
    message: string;
    path?: Array<string | number>;
    extensions?: { code?: string; argument?: string; requestId?: string };
  }>;
}

export async function request<TResult, TVariables>(
  endpoint: string,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
      },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch {
    // The browser hides why: the server is down, or it did not allow this origin.
    throw new ApiError(
      [
        {
          message:
            `no answer from ${endpoint}: is the API running, and does its ` +
            `CORS_ALLOWED_ORIGINS include ${window.location.origin}?`,
          code: 'NETWORK',
          argument: null,
          requestId: null,
          path: null,
        },
      ],
      0,
      null,
    );
  }
  const requestId = response.headers.get('x-request-id');
  let body: GraphQLResponse<TResult>;
  try {
    body = (await response.json()) as GraphQLResponse<TResult>;
  } catch {
    throw new ApiError(
      [{ message: `HTTP ${response.status} without a GraphQL answer`, code: null, argument: null, requestId, path: null }],
      response.status,
      requestId,
    );
  }
  if (body.errors && body.errors.length > 0) {
    throw new ApiError(
      body.errors.map((error) => ({
        message: error.message,
        code: error.extensions?.code ?? null,
        argument: error.extensions?.argument ?? null,
        requestId: error.extensions?.requestId ?? requestId,
        path: error.path ? error.path.join('.') : null,
      })),
      response.status,
      requestId,
    );
  }
  if (!body.data) {
    throw new ApiError(
      [{ message: `HTTP ${response.status} with no data`, code: null, argument: null, requestId, path: null }],
      response.status,
      requestId,
    );
  }
  return body.data;
}
