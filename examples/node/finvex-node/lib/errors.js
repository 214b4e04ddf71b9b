'use strict'

// The server answers errors as {"error": {"code", "message", "field"}}; each
// status maps to one class so callers can `instanceof` (or switch on `.code`).

class FinvexError extends Error {
  constructor (message, { status = null, code = null, field = null, requestId = null, headers = null, body = null, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = new.target.name
    this.status = status
    this.code = code
    this.field = field
    this.requestId = requestId
    // The raw error body and the response headers (a plain object), for logging.
    Object.defineProperty(this, 'body', { value: body, enumerable: false, writable: true })
    Object.defineProperty(this, 'headers', { value: headers, enumerable: false, writable: true })
  }
}

/** 400 (and 413): malformed JSON, wrong type, unknown or missing field, value out of range. */
class InvalidRequestError extends FinvexError {}
/** 401: missing, malformed, wrong or revoked credentials. */
class AuthenticationError extends FinvexError {}
/** 403: authenticated but not allowed (e.g. an API key on a dashboard-only route). */
class PermissionError extends FinvexError {}
/** 404: no such entity in your merchant and mode, or no such route. */
class NotFoundError extends FinvexError {}
/** 409: duplicate, `idempotency_key_reused`, `idempotency_in_progress`, already paid, ... */
class ConflictError extends FinvexError {}
/** 422: well-formed but refused by a business rule. */
class BusinessRuleError extends FinvexError {}
/** 429: over the rate limit; `retryAfter` is the server's `Retry-After` in seconds. */
class RateLimitError extends FinvexError {
  constructor (message, opts = {}) {
    super(message, opts)
    this.retryAfter = opts.retryAfter ?? null
  }
}
/** 5xx: the server failed (500 a bug, 503 store down or timed out). */
class APIError extends FinvexError {}
/** No HTTP answer: network failure, timeout or abort. `status` is null. */
class ConnectionError extends FinvexError {}
/** A webhook whose signature does not verify (from `webhooks.constructEvent`). */
class SignatureVerificationError extends FinvexError {}

const BY_STATUS = {
  400: InvalidRequestError,
  401: AuthenticationError,
  403: PermissionError,
  404: NotFoundError,
  409: ConflictError,
  413: InvalidRequestError,
  422: BusinessRuleError,
  429: RateLimitError
}

function classFor (status) {
  if (BY_STATUS[status]) return BY_STATUS[status]
  if (status >= 500) return APIError
  return FinvexError
}

/**
 * Seconds from a `Retry-After` header (delta-seconds or an HTTP date), or null.
 */
function parseRetryAfter (value, now = Date.now()) {
  if (value == null || value === '') return null
  const trimmed = String(value).trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed)
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return null
  return Math.max(0, (date - now) / 1000)
}

/**
 * The error for a non-2xx answer. `parsed` is the decoded body (object or text).
 */
function errorFromResponse (status, headers, parsed, statusText = '') {
  const Class = classFor(status)
  const detail = parsed && typeof parsed === 'object' && parsed.error && typeof parsed.error === 'object'
    ? parsed.error
    : null
  const code = detail?.code ?? null
  const message = detail?.message ??
    (typeof parsed === 'string' && parsed.trim() ? parsed.trim().slice(0, 500) : `HTTP ${status}${statusText ? ' ' + statusText : ''}`)
  const opts = {
    status,
    code,
    field: detail?.field ?? null,
    requestId: headers['x-request-id'] ?? null,
    headers,
    body: parsed
  }
  if (Class === RateLimitError) opts.retryAfter = parseRetryAfter(headers['retry-after'])
  return new Class(message, opts)
}

module.exports = {
  FinvexError,
  InvalidRequestError,
  AuthenticationError,
  PermissionError,
  NotFoundError,
  ConflictError,
  BusinessRuleError,
  RateLimitError,
  APIError,
  ConnectionError,
  SignatureVerificationError,
  errorFromResponse,
  parseRetryAfter
}
