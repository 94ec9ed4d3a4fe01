// Every error code the API can send, in one place: its HTTP status, the headers that come with it,
// the default message and what it means. ApiError, the session object's failures, socket `error`
// frames, the OpenAPI error responses and docs/errors.md are all built from (or checked against) it.

/** Response headers an error can carry; the OpenAPI document declares them where they apply. */
export const ERROR_HEADERS = {
  "WWW-Authenticate": { description: "Always `Bearer`: how to authenticate (RFC 9110, 11.6.1)", fixed: "Bearer" },
  "Retry-After": { description: "Seconds until a new attempt can succeed", fixed: null },
  Allow: { description: "The methods this path accepts", fixed: null },
  Upgrade: { description: "Always `websocket`: the protocol this endpoint speaks", fixed: "websocket" },
} as const;

export type ErrorHeader = keyof typeof ERROR_HEADERS;

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 426 | 429 | 500 | 503;

export interface ErrorDefinition {
  /** The HTTP status it is sent with; absent for the codes only a WebSocket `error` frame carries. */
  readonly status?: ErrorStatus;
  /** Used when the sender gives none; senders with more to say (a limit, a name) say it. */
  readonly message: string;
  /** For docs/errors.md and the OpenAPI document: when a client gets it and what to do. */
  readonly description: string;
  readonly headers?: readonly ErrorHeader[];
}

const BEARER_CHALLENGE = ["WWW-Authenticate"] as const;

export const ERROR_CATALOGUE = {
  bad_request: {
    status: 400,
    message: "The request is malformed.",
    description: "Malformed JSON, or a cursor this API did not issue: pass back a `nextCursor` exactly as received.",
  },
  no_password: {
    status: 400,
    message: "This account signs in through the identity provider: it has no password.",
    description: "The account signs in through the identity provider, so nothing here can check or change a password.",
  },
  not_revocable: {
    status: 400,
    message: "Identity-provider tokens are revoked at the identity provider.",
    description: "Logout with an identity-provider token: revoke it at the provider instead.",
  },
  unauthorized: {
    status: 401,
    message: "Missing or invalid credentials.",
    description: "No `Authorization: Bearer` header, or a token that is malformed, unknown, expired or revoked.",
    headers: BEARER_CHALLENGE,
  },
  invalid_credentials: {
    status: 401,
    message: "Email or password is incorrect.",
    description: "Login failed; the message never says whether the email or the password was wrong.",
    headers: BEARER_CHALLENGE,
  },
  invalid_ticket: {
    status: 401,
    message: "The ticket is invalid, expired or already used.",
    description: "A WebSocket upgrade's `?ticket=` is unknown, expired or already used: ask for a new one.",
    headers: BEARER_CHALLENGE,
  },
  credential_revoked: {
    status: 401,
    message: "The credential behind this socket was revoked or has expired.",
    description:
      "The token or key a WebSocket was opened with was revoked or expired (an upgrade refused, or an open socket closed with 4401).",
    headers: BEARER_CHALLENGE,
  },
  forbidden: {
    status: 403,
    message: "You do not have permission to do this.",
    description: "Your role in the session does not allow this (viewers cannot write; only the owner manages it).",
  },
  signup_disabled: {
    status: 403,
    message: "Signup is switched off for this API.",
    description: "SIGNUP_ENABLED is false on this deployment.",
  },
  invalid_password: {
    status: 403,
    message: "The current password is incorrect.",
    description: "The current password given to confirm a password change or a bound API key is wrong.",
  },
  email_not_verified: {
    status: 403,
    message:
      "An account with this email exists, and your identity provider does not confirm you own the address (email_verified), so it was not linked.",
    description:
      "An identity-provider token names the email of a password account without `email_verified: true`, so it is not linked.",
  },
  message_role_forbidden: {
    status: 403,
    message: "Only the session's owner may post messages with this role.",
    description: "Messages with role `assistant`, `system` or `tool` need the session's owner (or an owner's API key).",
  },
  origin_not_allowed: {
    status: 403,
    message: "This Origin may not open WebSockets here (CORS_ORIGINS).",
    description: "A browser's WebSocket upgrade came from an Origin that CORS_ORIGINS does not list.",
  },
  access_revoked: {
    status: 403,
    message: "You are not a member of this session.",
    description:
      "A WebSocket upgrade by someone who is no longer a member, or an open socket whose member was removed (closed with 4403).",
  },
  not_found: {
    status: 404,
    message: "Not found.",
    description:
      "No such route or resource; a session you are not a member of is not found either (its existence is not disclosed).",
  },
  session_not_found: {
    status: 404,
    message: "This session does not exist.",
    description: "The session was deleted while the request was on its way to it.",
  },
  task_not_found: {
    status: 404,
    message: "This task does not exist in the session.",
    description: "No task with this id in the session (`details.taskId`).",
  },
  method_not_allowed: {
    status: 405,
    message: "This method is not allowed here.",
    description: "The path exists but not with this method; `Allow` lists the ones it takes.",
    headers: ["Allow"],
  },
  email_taken: {
    status: 409,
    message: "An account with this email already exists.",
    description: "Signup with an email that already has an account.",
  },
  identity_conflict: {
    status: 409,
    message: "The account with this email is linked to another identity-provider account.",
    description: "An identity-provider token whose email belongs to an account linked to a different subject.",
  },
  session_limit: {
    status: 409,
    message: "You own the most sessions allowed; delete one first.",
    description: "You already own QUOTA_SESSIONS_PER_USER live sessions.",
  },
  api_key_limit: {
    status: 409,
    message: "You hold the most live API keys allowed; revoke one first.",
    description: "You already hold QUOTA_API_KEYS_PER_USER live API keys.",
  },
  member_limit: {
    status: 409,
    message: "The session has the most members allowed.",
    description: "The session already has QUOTA_MEMBERS_PER_SESSION members, its owner included.",
  },
  already_member: {
    status: 409,
    message: "That user is already a member; change their role with PATCH instead.",
    description: "The user is already a member (or is the owner).",
  },
  owner_cannot_leave: {
    status: 409,
    message: "The owner cannot leave; delete the session instead.",
    description: "The owner tried to remove themself from their session.",
  },
  owner_role_fixed: {
    status: 409,
    message: "The owner's role cannot change.",
    description: "A role change aimed at the session's owner.",
  },
  task_limit: {
    status: 409,
    message: "The session holds the most tasks allowed; delete some first.",
    description: "The session already holds SESSION_MAX_TASKS tasks (`details.limit`).",
  },
  idempotency_conflict: {
    status: 409,
    message: "This idempotency key was already used for a different message.",
    description: "The Idempotency-Key was used for a different message (`details` has its messageId and seq).",
  },
  session_conflict: {
    status: 409,
    message: "This session already exists with another id or owner.",
    description: "A session object was asked to initialise as another session (never expected; report it).",
  },
  payload_too_large: {
    status: 413,
    message: "The request body is too large.",
    description: "The body is larger than MAX_BODY_BYTES.",
  },
  content_too_large: {
    status: 413,
    message: "The content is too large.",
    description: "A message's content is over SESSION_MAX_CONTENT_BYTES of UTF-8 (`details.limit`, `details.size`).",
  },
  metadata_too_large: {
    status: 413,
    message: "The metadata is too large.",
    description: "Metadata is over SESSION_MAX_METADATA_BYTES of UTF-8 as JSON (`details.limit`, `details.size`).",
  },
  unsupported_media_type: {
    status: 415,
    message: "Send the body as application/json.",
    description: "The body's Content-Type is not `application/json`.",
  },
  validation_failed: {
    status: 422,
    message: "The request did not pass validation.",
    description: "A parameter, header or body field is invalid; `details` lists each one (`path`, `message`, `code`).",
  },
  upgrade_required: {
    status: 426,
    message: "This endpoint only speaks WebSocket.",
    description: "A plain HTTP request to the WebSocket endpoint.",
    headers: ["Upgrade"],
  },
  rate_limited: {
    status: 429,
    message: "Too many requests; try again later.",
    description:
      "Too many login or signup attempts (`Retry-After` says when to try again), or a socket sent frames faster than WS_MAX_MESSAGES_PER_SECOND (closed with 1008).",
    headers: ["Retry-After"],
  },
  internal_error: {
    status: 500,
    message: "Something went wrong on our side.",
    description: "A failure on the server, logged with the request id; retrying later may work.",
  },
  session_schema_too_new: {
    status: 503,
    message: "This session was written by a newer release of the API that this deployment cannot read.",
    description: "A newer release wrote this session; it is served again once that release is deployed (`details`).",
  },
  invalid_json: {
    message: "The frame is not valid JSON.",
    description: "A WebSocket frame that is not JSON text; the socket stays open.",
  },
  invalid_frame: {
    message: "The frame does not match the protocol.",
    description:
      "A WebSocket frame that does not match the protocol (`details` lists the problems); the socket stays open.",
  },
  frame_too_large: {
    message: "The frame is too large.",
    description: "A WebSocket frame over WS_MAX_FRAME_BYTES; the socket closes with 1009.",
  },
  user_socket_limit: {
    message: "You have the most sockets allowed open in this session.",
    description: "You already hold WS_MAX_SOCKETS_PER_USER sockets in this session; the new one closes with 1008.",
  },
  session_full: {
    message: "This session has too many open sockets.",
    description: "The session holds WS_MAX_SOCKETS_PER_SESSION sockets; the new one closes with 1008.",
  },
} as const satisfies Record<string, ErrorDefinition>;

type Catalogue = typeof ERROR_CATALOGUE;

export type ErrorCode = keyof Catalogue;
/** The codes an HTTP response can carry (the rest only travel in socket frames). */
export type HttpErrorCode = { [K in ErrorCode]: Catalogue[K] extends { status: number } ? K : never }[ErrorCode];
export type StatusOf<C extends HttpErrorCode> = Catalogue[C]["status"];

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

export const errorDefinition = (code: ErrorCode): ErrorDefinition => ERROR_CATALOGUE[code];

export function errorStatus<C extends HttpErrorCode>(code: C): StatusOf<C> {
  return ERROR_CATALOGUE[code].status;
}

/** The code a bare HTTP status stands for, where the framework (not our code) refuses a request. */
export const GENERIC_CODES: Partial<Record<number, HttpErrorCode>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "validation_failed",
  429: "rate_limited",
};
