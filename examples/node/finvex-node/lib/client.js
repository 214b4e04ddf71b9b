'use strict'

// The HTTP core: one request function (auth headers, JSON, timeout, retries,
// idempotency keys, typed errors) and resources built from lib/resources.js.

const crypto = require('node:crypto')
const { ENDPOINTS } = require('./resources')
const errors = require('./errors')
const webhooks = require('./webhooks')

const VERSION = '0.1.0'
const DEFAULT_BASE_URL = 'https://finvexpay.com'
const DEFAULT_TIMEOUT_MS = 30_000
const DEFAULT_MAX_RETRIES = 2
const MAX_RETRIES_CAP = 10
const INITIAL_DELAY_MS = 500
const MAX_DELAY_MS = 8_000
// A Retry-After longer than this is not waited for: the error goes to the caller.
const MAX_RETRY_AFTER_MS = 60_000
// Pagination: the server's bounds (count 1-100, skip <= 100000).
const MAX_PAGE_SIZE = 100
const MAX_SKIP = 100_000

const REQUEST_OPTION_KEYS = new Set(['idempotencyKey', 'timeoutMs', 'maxRetries', 'headers', 'signal', 'requestId'])

function isPlainObject (value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value) &&
    (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)
}

function headersToObject (headers) {
  const out = {}
  headers.forEach((value, key) => { out[key.toLowerCase()] = value })
  return out
}

function sleep (ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve() }, ms)
    function onAbort () { clearTimeout(timer); reject(signal.reason) }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

function appendQuery (url, query) {
  if (!query) return
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) {
      for (const v of value) url.searchParams.append(key, String(v))
    } else {
      url.searchParams.set(key, String(value))
    }
  }
}

function fillPath (template, args, label) {
  const names = []
  const path = template.replace(/\{([a-z_]+)\}/g, (_, name) => {
    const value = args[names.length]
    names.push(name)
    if (typeof value !== 'string' || value.length === 0) {
      throw new TypeError(`${label}: \`${name}\` must be a non-empty string (got ${value === undefined ? 'nothing' : JSON.stringify(value)})`)
    }
    return encodeURIComponent(value)
  })
  return { path, count: names.length }
}

function validateRequestOptions (options, label) {
  if (options === undefined || options === null) return {}
  if (!isPlainObject(options)) throw new TypeError(`${label}: the options argument must be an object`)
  for (const key of Object.keys(options)) {
    if (!REQUEST_OPTION_KEYS.has(key)) {
      throw new TypeError(`${label}: unknown request option \`${key}\` (expected one of ${[...REQUEST_OPTION_KEYS].join(', ')})`)
    }
  }
  return options
}

class Finvex {
  /**
   * @param {string|null|undefined} key  `finvex_test_KEYID:SECRET` (or a publishable
   *   `finvex_test_KEYID` for checkout sessions); defaults to `process.env.FINVEX_KEY`.
   * @param {object} [options] { baseUrl, timeoutMs, maxRetries, sessionToken, mode, fetch, headers }
   */
  constructor (key, options = {}) {
    if (isPlainObject(key) && options && Object.keys(options).length === 0) {
      options = key
      key = options.key
    }
    options = options || {}
    const env = typeof process !== 'undefined' ? process.env : {}
    const sessionToken = options.sessionToken ?? null
    // Credentials are not enumerable, so that logging the client does not print them.
    Object.defineProperty(this, 'sessionToken', { value: sessionToken, enumerable: false })
    // A session token wins: only one credential is ever sent.
    Object.defineProperty(this, 'key', { value: sessionToken ? null : (key ?? env.FINVEX_KEY ?? null), enumerable: false })
    this.mode = options.mode ?? null
    if (this.mode !== null && this.mode !== 'test' && this.mode !== 'live') {
      throw new TypeError('mode must be "test" or "live"')
    }
    const baseUrl = options.baseUrl ?? env.FINVEX_BASE_URL ?? DEFAULT_BASE_URL
    try {
      // eslint-disable-next-line no-new
      new URL(baseUrl)
    } catch {
      throw new TypeError(`baseUrl is not a URL: ${JSON.stringify(baseUrl)}`)
    }
    this.baseUrl = String(baseUrl).replace(/\/+$/, '')
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.maxRetries = clampRetries(options.maxRetries ?? DEFAULT_MAX_RETRIES)
    this.defaultHeaders = { ...(options.headers || {}) }
    const fetchImpl = options.fetch ?? globalThis.fetch
    if (typeof fetchImpl !== 'function') throw new TypeError('no fetch: Node 20 or later is needed (or pass options.fetch)')
    Object.defineProperty(this, '_fetch', { value: fetchImpl, enumerable: false })
    Object.defineProperty(this, '_options', { value: { ...options }, enumerable: false })
    buildResources(this)
  }

  /** A client with the same options, authenticated by a dashboard session token. */
  withSession (sessionToken, { mode } = {}) {
    return new Finvex(null, { ...this._options, sessionToken, mode: mode ?? this.mode ?? undefined })
  }

  /**
   * One request. `spec`: { method, path, query, body, auth, idempotencyKey, timeoutMs,
   * maxRetries, headers, signal, binary }. Resolves with the decoded body (JSON, text, or
   * null for 204; with `binary`, a successful answer's bytes as a Buffer), rejects with a
   * FinvexError subclass.
   */
  async request (spec) {
    const method = spec.method.toUpperCase()
    const url = new URL(this.baseUrl + spec.path)
    appendQuery(url, spec.query)

    const headers = {
      // A binary answer (a PDF) is whatever type the operation has; errors are still JSON.
      Accept: spec.binary ? '*/*' : 'application/json',
      'User-Agent': `finvex-node/${VERSION} node/${process.version}`,
      ...this.defaultHeaders
    }
    if (spec.auth !== 'none') {
      if (this.sessionToken) {
        headers.Authorization = `Bearer ${this.sessionToken}`
        if (this.mode) headers['X-Finvex-Mode'] = this.mode
      } else if (this.key) {
        headers['X-Finvex-Key'] = this.key
      }
    }
    let body
    if (spec.body !== undefined) {
      headers['Content-Type'] = 'application/json'
      body = JSON.stringify(spec.body)
    }
    // Every authenticated POST carries an Idempotency-Key, so that retrying it is safe.
    const extraHeaders = { ...(spec.headers || {}) }
    let idempotencyKey = spec.idempotencyKey ?? null
    for (const name of Object.keys(extraHeaders)) {
      // One given as a raw header counts as the caller's key (and is not sent twice).
      if (name.toLowerCase() === 'idempotency-key') {
        idempotencyKey = idempotencyKey ?? extraHeaders[name]
        delete extraHeaders[name]
      }
    }
    if (idempotencyKey === null && method === 'POST' && spec.auth !== 'none') {
      idempotencyKey = crypto.randomUUID()
    }
    if (idempotencyKey !== null) headers['Idempotency-Key'] = String(idempotencyKey)
    if (spec.requestId) headers['X-Request-Id'] = spec.requestId
    Object.assign(headers, extraHeaders)

    const retryable = method === 'GET' || method === 'DELETE' || method === 'HEAD' ||
      ((method === 'POST' || method === 'PUT') && idempotencyKey !== null)
    const maxRetries = retryable ? clampRetries(spec.maxRetries ?? this.maxRetries) : 0
    const timeoutMs = spec.timeoutMs ?? this.timeoutMs

    for (let attempt = 0; ; attempt++) {
      let error
      try {
        return await this._attempt({ method, url, headers, body, timeoutMs, signal: spec.signal, idempotencyKey, binary: Boolean(spec.binary) })
      } catch (e) {
        error = e
      }
      const wait = attempt < maxRetries ? retryDelay(error, attempt) : null
      if (wait === null || spec.signal?.aborted) throw error
      try {
        await sleep(wait, spec.signal)
      } catch (abortReason) {
        throw new errors.ConnectionError('request aborted', { code: 'aborted', cause: abortReason })
      }
    }
  }

  async _attempt ({ method, url, headers, body, timeoutMs, signal, idempotencyKey, binary }) {
    const controller = new AbortController()
    let timedOut = false
    const timer = timeoutMs > 0
      ? setTimeout(() => { timedOut = true; controller.abort(new Error(`timed out after ${timeoutMs} ms`)) }, timeoutMs)
      : null
    const onAbort = () => controller.abort(signal.reason)
    if (signal) {
      if (signal.aborted) onAbort()
      else signal.addEventListener('abort', onAbort, { once: true })
    }
    let response, bytes, text
    try {
      response = await this._fetch(url.toString(), { method, headers, body, signal: controller.signal, redirect: 'manual' })
      // Bytes first: a PDF must not go through a text decoder (it would replace
      // every byte that is not UTF-8); errors are JSON text all the same.
      bytes = Buffer.from(await response.arrayBuffer())
      text = new TextDecoder().decode(bytes)
    } catch (e) {
      const aborted = signal?.aborted && !timedOut
      const message = timedOut
        ? `${method} ${url.pathname}: no answer within ${timeoutMs} ms`
        : aborted
          ? `${method} ${url.pathname}: request aborted`
          : `${method} ${url.pathname}: ${describeNetworkError(e)}`
      const err = new errors.ConnectionError(message, { code: timedOut ? 'timeout' : aborted ? 'aborted' : 'connection_error', cause: e })
      Object.defineProperty(err, 'idempotencyKey', { value: idempotencyKey, enumerable: false })
      throw err
    } finally {
      if (timer) clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }

    const responseHeaders = headersToObject(response.headers)
    const contentType = responseHeaders['content-type'] || ''
    const ok = response.status >= 200 && response.status < 300
    let parsed = null
    if (ok && binary) {
      parsed = bytes
    } else if (text.length > 0) {
      if (contentType.includes('json')) {
        try {
          parsed = JSON.parse(text)
        } catch {
          parsed = text
        }
      } else {
        parsed = text
      }
    }

    if (!ok) {
      const err = errors.errorFromResponse(response.status, responseHeaders, parsed, response.statusText)
      Object.defineProperty(err, 'idempotencyKey', { value: idempotencyKey, enumerable: false })
      throw err
    }

    if (parsed !== null && typeof parsed === 'object') {
      Object.defineProperty(parsed, 'lastResponse', {
        value: {
          status: response.status,
          headers: responseHeaders,
          requestId: responseHeaders['x-request-id'] ?? null,
          idempotencyKey,
          idempotentReplayed: responseHeaders['idempotent-replayed'] === 'true'
        },
        enumerable: false,
        configurable: true
      })
    }
    return parsed
  }
}

function clampRetries (n) {
  const value = Number(n)
  if (!Number.isFinite(value) || value < 0) return 0
  return Math.min(MAX_RETRIES_CAP, Math.floor(value))
}

function describeNetworkError (e) {
  const cause = e?.cause
  if (cause?.code) return `${cause.code}${cause.message ? ' (' + cause.message + ')' : ''}`
  return e?.message || String(e)
}

/**
 * Milliseconds to wait before retrying after `error`, or null when it must not be retried.
 * Never retried: 4xx other than 409 `idempotency_in_progress` and 429; an aborted request.
 */
function retryDelay (error, attempt) {
  let retryAfterMs = null
  if (error instanceof errors.ConnectionError) {
    if (error.code === 'aborted') return null
  } else if (error instanceof errors.RateLimitError) {
    if (error.retryAfter !== null) retryAfterMs = error.retryAfter * 1000
  } else if (error instanceof errors.ConflictError && error.code === 'idempotency_in_progress') {
    // retry with backoff
  } else if (error instanceof errors.FinvexError && error.status >= 500) {
    const ra = errors.parseRetryAfter(error.headers?.['retry-after'])
    if (ra !== null) retryAfterMs = ra * 1000
  } else {
    return null
  }
  if (retryAfterMs !== null) {
    if (retryAfterMs > MAX_RETRY_AFTER_MS) return null
    // Honour it, plus a little jitter so that many clients do not come back at once.
    return Math.ceil(retryAfterMs + Math.random() * 100)
  }
  // Exponential backoff with jitter: 0.5 s, 1 s, 2 s, ... capped at 8 s; each in [50 %, 100 %].
  const base = Math.min(MAX_DELAY_MS, INITIAL_DELAY_MS * 2 ** attempt)
  return Math.round(base * (0.5 + Math.random() * 0.5))
}

/**
 * Walks a list by `skip` until a short page. Bounded by the server's skip limit,
 * `limit` (items) and `maxPages`. Items seen already (by `id`) are not yielded twice
 * (newest-first pages shift when items are created meanwhile).
 */
function paginate (listFn, pathArgs, params = {}, { limit = Infinity, maxPages = 1000, ...requestOptions } = {}) {
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Number(params.count ?? MAX_PAGE_SIZE)))
  async function * walk () {
    let skip = Number(params.skip ?? 0)
    let yielded = 0
    const seen = new Set()
    for (let page = 0; page < maxPages && skip <= MAX_SKIP; page++) {
      const collection = await listFn(...pathArgs, { ...params, count: pageSize, skip }, requestOptions)
      const items = Array.isArray(collection?.items) ? collection.items : []
      for (const item of items) {
        const id = item && typeof item === 'object' ? (item.id ?? null) : null
        if (id !== null) {
          if (seen.has(id)) continue
          seen.add(id)
        }
        yield item
        if (++yielded >= limit) return
      }
      if (items.length < pageSize) return
      skip += items.length
    }
  }
  const iterator = walk()
  iterator.toArray = async function toArray () {
    const all = []
    for await (const item of iterator) all.push(item)
    return all
  }
  return iterator
}

function makeMethod (client, resource, name, spec) {
  const label = `${resource}.${name}`
  const placeholders = (spec.path.match(/\{[a-z_]+\}/g) || []).length
  const fn = async function (...args) {
    const pathArgs = args.slice(0, placeholders)
    const { path } = fillPath(spec.path, pathArgs, label)
    let payload
    let options
    if (spec.params === 'none') {
      options = args[placeholders]
    } else {
      payload = args[placeholders]
      options = args[placeholders + 1]
      if (payload !== undefined && payload !== null && (typeof payload !== 'object')) {
        throw new TypeError(`${label}: expected ${spec.params === 'body' ? 'a body' : 'query parameters'} object`)
      }
    }
    options = validateRequestOptions(options, label)
    const request = {
      method: spec.method,
      path,
      auth: spec.auth,
      ...options,
      binary: Boolean(spec.binary)
    }
    if (spec.params === 'body') {
      request.body = payload ?? {}
    } else if (spec.params === 'query') {
      request.query = { ...(payload || {}), ...(spec.query || {}) }
    }
    if (spec.params !== 'query' && spec.query) request.query = { ...spec.query }
    return client.request(request)
  }
  Object.defineProperty(fn, 'name', { value: name })
  Object.defineProperty(fn, 'endpoint', { value: spec, enumerable: false })
  if (spec.list) {
    fn.iterate = (...args) => {
      const pathArgs = args.slice(0, placeholders)
      return paginate(fn, pathArgs, args[placeholders] || {}, args[placeholders + 1] || {})
    }
  }
  return fn
}

function buildResources (client) {
  for (const [resource, methods] of Object.entries(ENDPOINTS)) {
    const parts = resource.split('.')
    let target = client
    for (const part of parts) {
      if (!target[part]) target[part] = {}
      target = target[part]
    }
    for (const [name, spec] of Object.entries(methods)) {
      target[name] = makeMethod(client, resource, name, spec)
    }
    // `resource.autoPaginate(params)`: the `list` method's iterator.
    if (target.list && target.list.iterate) {
      target.autoPaginate = target.list.iterate
    }
  }
  // Local helpers beside the webhook endpoints: they need no request.
  client.webhooks.verifySignature = webhooks.verifySignature
  client.webhooks.verifyTimestamped = webhooks.verifyTimestamped
  client.webhooks.constructEvent = webhooks.constructEvent
}

module.exports = { Finvex, VERSION, DEFAULT_BASE_URL, retryDelay, paginate }
