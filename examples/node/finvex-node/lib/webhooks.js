'use strict'

// Checking the signatures of Finvex's webhook deliveries, on the raw body:
//   X-Finvex-Signature: sha256=<hex HMAC-SHA256(body, secret)>
//   Finvex-Signature:   t=<unix secs>,v1=<hex HMAC-SHA256("<t>.<body>", secret)>[,v1=...]
// Both compare in constant time. Pass the body exactly as received (a Buffer or
// the string read from the socket): a re-serialised JSON object will not match.

const crypto = require('node:crypto')
const { SignatureVerificationError } = require('./errors')

const DEFAULT_TOLERANCE_SECS = 300

function rawBytes (rawBody) {
  if (typeof rawBody === 'string') return Buffer.from(rawBody, 'utf8')
  if (Buffer.isBuffer(rawBody)) return rawBody
  if (rawBody instanceof Uint8Array) return Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength)
  if (rawBody instanceof ArrayBuffer) return Buffer.from(rawBody)
  throw new TypeError('webhook verification needs the raw body (a string or Buffer) as received, not a parsed object')
}

function secretsOf (secret) {
  const list = Array.isArray(secret) ? secret : [secret]
  const secrets = list.filter((s) => typeof s === 'string' && s.length > 0)
  if (secrets.length === 0) throw new TypeError('webhook verification needs the endpoint secret (whsec_...)')
  return secrets
}

function headerValue (header) {
  if (Array.isArray(header)) return header.length === 1 ? header[0] : null
  return typeof header === 'string' ? header : null
}

function hmacHex (secret, ...parts) {
  const mac = crypto.createHmac('sha256', secret)
  for (const part of parts) mac.update(part)
  return mac.digest('hex')
}

// Constant-time for equal lengths; a length mismatch says nothing about the secret.
function safeEqualHex (expectedHex, givenHex) {
  const a = Buffer.from(expectedHex, 'utf8')
  const b = Buffer.from(givenHex, 'utf8')
  if (a.length !== b.length) return false
  return crypto.timingSafeEqual(a, b)
}

/**
 * `X-Finvex-Signature: sha256=<hex>` over the raw body. `secret` may be an array
 * (e.g. the new and the previous secret during a rotation): any one verifying is enough.
 */
function verifySignature (rawBody, header, secret) {
  const body = rawBytes(rawBody)
  const secrets = secretsOf(secret)
  const value = headerValue(header)
  if (!value) return false
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(value.trim())
  if (!match) return false
  const given = match[1].toLowerCase()
  let ok = false
  for (const s of secrets) {
    // No early exit: every secret is tried.
    if (safeEqualHex(hmacHex(s, body), given)) ok = true
  }
  return ok
}

/**
 * Parses `t=<secs>,v1=<hex>[,v1=<hex>...]`; null when malformed.
 */
function parseTimestampedHeader (value) {
  const header = headerValue(value)
  if (!header) return null
  let t = null
  const v1 = []
  for (const part of header.split(',')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    const k = part.slice(0, eq).trim()
    const v = part.slice(eq + 1).trim()
    if (k === 't') {
      if (t !== null || !/^\d{1,12}$/.test(v)) return null
      t = Number(v)
    } else if (k === 'v1') {
      if (/^[0-9a-fA-F]{64}$/.test(v)) v1.push(v.toLowerCase())
    }
  }
  if (t === null || v1.length === 0) return null
  return { t, v1 }
}

/**
 * `Finvex-Signature: t=<unix secs>,v1=<hex HMAC-SHA256("<t>.<body>")>[,v1=...]`.
 * True when one `v1` verifies with (one of) the secret(s) and `t` is within
 * `toleranceSecs` (default 300) of `now` (unix seconds, default the clock).
 */
function verifyTimestamped (rawBody, header, secret, { toleranceSecs = DEFAULT_TOLERANCE_SECS, now } = {}) {
  const body = rawBytes(rawBody)
  const secrets = secretsOf(secret)
  const parsed = parseTimestampedHeader(header)
  if (!parsed) return false
  const nowSecs = now ?? Math.floor(Date.now() / 1000)
  if (!(toleranceSecs >= 0) || Math.abs(nowSecs - parsed.t) > toleranceSecs) return false
  let ok = false
  for (const s of secrets) {
    const expected = hmacHex(s, `${parsed.t}.`, body)
    for (const given of parsed.v1) {
      if (safeEqualHex(expected, given)) ok = true
    }
  }
  return ok
}

function lowerCaseHeaders (headers) {
  const out = {}
  if (!headers) return out
  if (typeof headers.forEach === 'function' && typeof headers.get === 'function') {
    headers.forEach((v, k) => { out[k.toLowerCase()] = v })
    return out
  }
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v
  return out
}

/**
 * Verifies a delivery and returns the parsed event. With a `Finvex-Signature`
 * header the timestamped signature is required (replays refused); otherwise
 * `X-Finvex-Signature`. Throws SignatureVerificationError when neither verifies.
 * `headers`: Node's `req.headers`, a fetch `Headers`, or a plain object.
 */
function constructEvent (rawBody, headers, secret, options = {}) {
  const h = lowerCaseHeaders(headers)
  const body = rawBytes(rawBody)
  let ok
  if (h['finvex-signature']) {
    ok = verifyTimestamped(body, h['finvex-signature'], secret, options)
  } else {
    ok = verifySignature(body, h['x-finvex-signature'], secret)
  }
  if (!ok) {
    throw new SignatureVerificationError('webhook signature does not verify (wrong secret, altered body, or too old)', { code: 'invalid_signature' })
  }
  return JSON.parse(body.toString('utf8'))
}

/**
 * Signs a body as the server does (for tests of your receiver).
 */
function sign (rawBody, secret, { timestamp = Math.floor(Date.now() / 1000) } = {}) {
  const body = rawBytes(rawBody)
  return {
    'x-finvex-signature': 'sha256=' + hmacHex(secret, body),
    'finvex-signature': `t=${timestamp},v1=${hmacHex(secret, `${timestamp}.`, body)}`
  }
}

module.exports = { verifySignature, verifyTimestamped, constructEvent, sign, parseTimestampedHeader, DEFAULT_TOLERANCE_SECS }
