// finvex-node's tests, against a running finvex-server in test mode.
//
//   FINVEX_BASE_URL=http://127.0.0.1:8080 FINVEX_KEY='finvex_test_…:…' node test/run.mjs
//
// One line per check; exits non-zero when any fails. Needs the server to be able
// to deliver webhooks to 127.0.0.1 (FINVEX_WEBHOOK_ALLOW_PRIVATE=1).

import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// The package by its own name (self-reference through package.json's "exports").
import finvexEsm, { InvalidRequestError as EsmInvalidRequestError } from 'finvex-node'

const require = createRequire(import.meta.url)
const finvexCjs = require('finvex-node')
const {
  FinvexError, InvalidRequestError, AuthenticationError, PermissionError, NotFoundError,
  ConflictError, BusinessRuleError, RateLimitError, APIError, ConnectionError,
  SignatureVerificationError, webhooks: hooks, ENDPOINTS, EXCLUDED, endpointList
} = finvexCjs

const PKG_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BASE = process.env.FINVEX_BASE_URL
const KEY = process.env.FINVEX_KEY
if (!BASE || !KEY) {
  console.error('set FINVEX_BASE_URL and FINVEX_KEY (a test secret key, finvex_test_KEYID:SECRET)')
  process.exit(2)
}
if (!/^finvex_test_[^:]+:.+$/.test(KEY)) {
  console.error('FINVEX_KEY must be a test secret key: finvex_test_KEYID:SECRET')
  process.exit(2)
}
const PUBLISHABLE = KEY.slice(0, KEY.indexOf(':'))
const RUN = Date.now().toString(36) + crypto.randomBytes(3).toString('hex')

let passed = 0
let failed = 0
async function check (name, fn) {
  const started = Date.now()
  try {
    const detail = await fn()
    passed++
    console.log(`ok   ${name}${detail ? ' -- ' + detail : ''} (${Date.now() - started} ms)`)
  } catch (e) {
    failed++
    const info = e instanceof FinvexError
      ? ` [${e.name} status=${e.status} code=${e.code} field=${e.field} request=${e.requestId}]`
      : ''
    console.log(`FAIL ${name} -- ${e?.stack || e}${info}`)
  }
}

async function rejects (promise, Class, props = {}) {
  try {
    await promise
  } catch (e) {
    assert.ok(e instanceof Class, `expected ${Class.name}, got ${e?.name}: ${e?.message}`)
    assert.ok(e instanceof FinvexError || !(Class.prototype instanceof FinvexError), 'a FinvexError')
    for (const [k, v] of Object.entries(props)) assert.equal(e[k], v, `.${k}`)
    return e
  }
  assert.fail(`expected ${Class.name}, but it resolved`)
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
async function waitFor (what, fn, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await fn()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(50)
  }
}

function runNode (file, { cwd, env }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => { out += d })
    child.stderr.on('data', (d) => { err += d })
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      if (code !== 0) reject(new Error(`${path.basename(file)} exited ${code}: ${err || out}`))
      else resolve(out)
    })
  })
}

// A fetch that records what it sends, for retry and header checks.
function recordingFetch (behaviour) {
  const calls = []
  const fn = async (url, init) => {
    const call = { url, method: init.method, headers: { ...init.headers }, body: init.body }
    calls.push(call)
    return behaviour(call, calls.length, () => fetch(url, init))
  }
  fn.calls = calls
  return fn
}
const jsonResponse = (status, body, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })
const networkFailure = () => {
  const e = new TypeError('fetch failed')
  e.cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
  return e
}

const finvex = finvexCjs(KEY, { baseUrl: BASE })
const SEED_BODY = { amount: 50000, currency: 'INR', description: 'Pro Plan' }

// ---------------------------------------------------------------------------
console.log(`finvex-node ${finvexCjs.VERSION} against ${BASE} (run ${RUN})`)

// The package as npm would install it: `npm pack`, unpacked into a scratch project.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'finvex-node-test-'))
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }))
let installed = false

await check('package: npm pack ships the files, and an install resolves require -> index.js, import -> index.mjs', async () => {
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: PKG_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }))
  const files = packed[0].files.map((f) => f.path).sort()
  for (const f of ['LICENSE', 'README.md', 'index.d.ts', 'index.js', 'index.mjs', 'lib/client.js', 'lib/errors.js', 'lib/resources.js', 'lib/webhooks.js', 'package.json']) {
    assert.ok(files.includes(f), `the tarball has ${f}`)
  }
  assert.ok(!files.some((f) => f.startsWith('test/')), 'no tests in the tarball')
  const dest = path.join(scratch, 'node_modules', 'finvex-node')
  fs.mkdirSync(dest, { recursive: true })
  execFileSync('tar', ['xzf', path.join(scratch, packed[0].filename), '-C', dest, '--strip-components=1'])
  fs.writeFileSync(path.join(scratch, 'package.json'), '{"private": true}\n')
  fs.writeFileSync(path.join(scratch, 'resolve.mjs'), [
    "import { createRequire } from 'node:module'",
    'const require = createRequire(import.meta.url)',
    "console.log(JSON.stringify({ cjs: require.resolve('finvex-node'), esm: import.meta.resolve('finvex-node') }))"
  ].join('\n'))
  const { cjs, esm } = JSON.parse(await runNode('resolve.mjs', { cwd: scratch, env: process.env }))
  assert.match(cjs, /node_modules\/finvex-node\/index\.js$/)
  assert.match(esm, /node_modules\/finvex-node\/index\.mjs$/)
  const pkg = JSON.parse(fs.readFileSync(path.join(dest, 'package.json'), 'utf8'))
  assert.equal(pkg.license, 'Apache-2.0')
  assert.equal(pkg.engines.node, '>=20')
  assert.equal(Object.keys(pkg.dependencies || {}).length, 0, 'no runtime dependencies')
  assert.match(fs.readFileSync(path.join(dest, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/)
  installed = true
  return `${files.length} files, ${packed[0].size} bytes packed`
})

await check('index.d.ts: test/types/*.ts compile against the installed package (tsc --strict)', async () => {
  assert.ok(installed, 'needs the installed package')
  // TypeScript is not a dependency: FINVEX_TS_NODE_MODULES names a node_modules with
  // typescript and @types/node (e.g. from `npm install typescript @types/node` elsewhere).
  let modules = process.env.FINVEX_TS_NODE_MODULES
  if (!modules) {
    try {
      modules = path.resolve(path.dirname(require.resolve('typescript/package.json')), '..')
    } catch {
      return 'skipped (no TypeScript: set FINVEX_TS_NODE_MODULES)'
    }
  }
  const tsc = path.join(modules, 'typescript', 'bin', 'tsc')
  assert.ok(fs.existsSync(tsc), `${tsc} exists`)
  assert.ok(fs.existsSync(path.join(modules, '@types', 'node')), '@types/node beside it')
  const dir = path.join(scratch, 'types')
  fs.cpSync(path.join(PKG_DIR, 'test', 'types'), dir, { recursive: true })
  fs.mkdirSync(path.join(scratch, 'node_modules', '@types'), { recursive: true })
  fs.symlinkSync(path.join(modules, '@types', 'node'), path.join(scratch, 'node_modules', '@types', 'node'))
  try {
    execFileSync(process.execPath, [tsc, '-p', dir], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (e) {
    throw new Error(`tsc failed:\n${e.stdout}${e.stderr}`)
  }
  const version = JSON.parse(fs.readFileSync(path.join(modules, 'typescript', 'package.json'), 'utf8')).version
  return `TypeScript ${version}`
})

const SEED = `const finvex = require('finvex-node')('finvex_test_KEY:SECRET')
const order = await finvex.orders.create({ amount: 50000, currency: 'INR', description: 'Pro Plan' })
console.log(order.id) // finvex_ord_...`

await check('seed snippet verbatim via require (CommonJS), key substituted, base URL from FINVEX_BASE_URL', async () => {
  assert.ok(installed, 'needs the installed package')
  const snippet = SEED.replace('finvex_test_KEY:SECRET', KEY)
  assert.equal(snippet.split('\n').length, 3)
  // An ES module only for top-level await; `require` is Node's CommonJS require,
  // which loads the package's CommonJS entry (index.js).
  const file = path.join(scratch, 'seed-cjs.mjs')
  fs.writeFileSync(file, "import { createRequire } from 'node:module'\nconst require = createRequire(import.meta.url)\n" + snippet + '\n')
  const env = { ...process.env, FINVEX_BASE_URL: BASE }
  delete env.FINVEX_KEY // the key must come from the snippet
  const out = (await runNode(file, { cwd: scratch, env })).trim()
  assert.match(out, /^finvex_ord_[0-9a-z]+$/)
  return out
})

await check('seed snippet via ESM import (import finvex from "finvex-node")', async () => {
  assert.ok(installed, 'needs the installed package')
  const file = path.join(scratch, 'seed-esm.mjs')
  fs.writeFileSync(file, [
    "import createFinvex from 'finvex-node'",
    `const finvex = createFinvex(${JSON.stringify(KEY)})`,
    "const order = await finvex.orders.create({ amount: 50000, currency: 'INR', description: 'Pro Plan' })",
    'console.log(order.id) // finvex_ord_...'
  ].join('\n') + '\n')
  const env = { ...process.env, FINVEX_BASE_URL: BASE }
  delete env.FINVEX_KEY
  const out = (await runNode(file, { cwd: scratch, env })).trim()
  assert.match(out, /^finvex_ord_[0-9a-z]+$/)
  return out
})

await check("README's quick start runs (its key and baseUrl substituted)", async () => {
  assert.ok(installed, 'needs the installed package')
  const readme = fs.readFileSync(path.join(PKG_DIR, 'README.md'), 'utf8')
  const m = /<!-- seed-snippet -->\s*```js\n([\s\S]*?)```\s*<!-- \/seed-snippet -->/.exec(readme)
  assert.ok(m, 'README has the marked snippet')
  assert.ok(m[1].includes("baseUrl: 'http://127.0.0.1:8080'"))
  const snippet = m[1].replace('finvex_test_KEY:SECRET', KEY).replace('http://127.0.0.1:8080', BASE)
  const file = path.join(scratch, 'readme.mjs')
  fs.writeFileSync(file, "import { createRequire } from 'node:module'\nconst require = createRequire(import.meta.url)\n" + snippet)
  const env = { ...process.env }
  delete env.FINVEX_KEY
  delete env.FINVEX_BASE_URL // the base URL must come from the snippet
  const out = (await runNode(file, { cwd: scratch, env })).trim()
  assert.match(out, /^finvex_ord_[0-9a-z]+$/)
  return out
})

await check('CommonJS and ESM entry points are one implementation', () => {
  assert.equal(finvexEsm, finvexCjs)
  assert.equal(EsmInvalidRequestError, InvalidRequestError)
  assert.equal(typeof finvexCjs, 'function')
})

await check('configuration: option, then FINVEX_BASE_URL / FINVEX_KEY, then https://finvexpay.com', () => {
  const saved = { b: process.env.FINVEX_BASE_URL, k: process.env.FINVEX_KEY }
  try {
    delete process.env.FINVEX_BASE_URL
    delete process.env.FINVEX_KEY
    const bare = finvexCjs()
    assert.equal(bare.baseUrl, 'https://finvexpay.com')
    assert.equal(bare.key, null)
    process.env.FINVEX_BASE_URL = 'http://127.0.0.1:1/'
    process.env.FINVEX_KEY = 'finvex_test_env:secret'
    const fromEnv = finvexCjs()
    assert.equal(fromEnv.baseUrl, 'http://127.0.0.1:1')
    assert.equal(fromEnv.key, 'finvex_test_env:secret')
    const explicit = finvexCjs('finvex_test_arg:secret', { baseUrl: 'http://example.invalid', timeoutMs: 1234, maxRetries: 5 })
    assert.equal(explicit.baseUrl, 'http://example.invalid')
    assert.equal(explicit.key, 'finvex_test_arg:secret')
    assert.equal(explicit.timeoutMs, 1234)
    assert.equal(explicit.maxRetries, 5)
    assert.ok(!JSON.stringify(explicit).includes('secret'), 'the key is not enumerable (not logged)')
    const session = finvexCjs({ sessionToken: 'tok', mode: 'live' })
    assert.equal(session.key, null, 'a session token wins over FINVEX_KEY')
    assert.equal(session.sessionToken, 'tok')
  } finally {
    if (saved.b === undefined) delete process.env.FINVEX_BASE_URL
    else process.env.FINVEX_BASE_URL = saved.b
    if (saved.k === undefined) delete process.env.FINVEX_KEY
    else process.env.FINVEX_KEY = saved.k
  }
})

await check('resource table: every method exists on the client and is unique by (method, path, fixed query)', () => {
  const rows = endpointList()
  const seen = new Set()
  for (const row of rows) {
    let target = finvex
    for (const part of row.resource.split('.')) target = target[part]
    assert.equal(typeof target?.[row.name], 'function', `${row.resource}.${row.name}`)
    assert.equal(target[row.name].endpoint, ENDPOINTS[row.resource][row.name])
    const k = `${row.method} ${row.path} ${JSON.stringify(row.query || {})}`
    assert.ok(!seen.has(k), `duplicate ${k}`)
    seen.add(k)
    assert.ok(['none', 'key', 'session', 'publishable'].includes(row.auth))
    assert.ok(['body', 'query', 'none'].includes(row.params))
  }
  for (const ex of EXCLUDED) assert.ok(!rows.some((r) => r.method === ex.method && r.path === ex.path), `${ex.path} excluded and covered`)
  return `${Object.keys(ENDPOINTS).length} resources, ${rows.length} methods, ${EXCLUDED.length} routes excluded`
})

await check('resource table matches the server OpenAPI document (GET /v1/openapi.json)', async () => {
  const document = await (await fetch(`${BASE}/v1/openapi.json`)).json()
  const declared = new Set()
  for (const [route, item] of Object.entries(document.paths)) {
    for (const method of Object.keys(item)) declared.add(`${method.toUpperCase()} ${route}`)
  }
  const ours = new Set([...endpointList().map((r) => `${r.method} ${r.path}`), ...EXCLUDED.map((r) => `${r.method} ${r.path}`)])
  const missing = [...declared].filter((r) => !ours.has(r))
  const extra = [...ours].filter((r) => !declared.has(r))
  assert.deepEqual(missing, [], 'documented operations the client neither covers nor excludes')
  assert.deepEqual(extra, [], 'client routes the document does not name')
  return `${declared.size} documented operations, all accounted for`
})

await check('schema.d.ts is generated from the server OpenAPI document and current', async () => {
  const { render } = await import('../scripts/generate-schema-types.mjs')
  const document = await (await fetch(`${BASE}/v1/openapi.json`)).json()
  const onDisk = fs.readFileSync(path.join(PKG_DIR, 'schema.d.ts'), 'utf8')
  assert.equal(onDisk, render(document), 'stale: run node scripts/generate-schema-types.mjs BASE_URL')
  for (const name of ['Order', 'Payment', 'Refund', 'CreateOrder', 'Error']) assert.ok(onDisk.includes(`export type ${name} =`), name)
  return `${Object.keys(document.components.schemas).length} schemas`
})

// --------------------------------------------------------------------------- the Integration Guide
let order, paid, verified, payment, refund
await check('orders.create (the seed body) -> 201 order, with an automatic Idempotency-Key', async () => {
  order = await finvex.orders.create(SEED_BODY)
  assert.match(order.id, /^finvex_ord_/)
  assert.equal(order.entity, 'order')
  assert.equal(order.amount, 50000)
  assert.equal(order.currency, 'INR')
  assert.equal(order.status, 'created')
  assert.equal(order.amount_due, 50000)
  assert.equal(order.lastResponse.status, 201)
  assert.ok(order.lastResponse.idempotencyKey, 'an Idempotency-Key was sent')
  assert.match(order.lastResponse.requestId, /^req_/)
  assert.equal(order.lastResponse.idempotentReplayed, false)
  return `${order.id} via ${order.routing.provider}`
})

await check("sandbox.pay(order.id, {instrument: 'success@finvex'})", async () => {
  paid = await finvex.sandbox.pay(order.id, { instrument: 'success@finvex' })
  assert.equal(paid.order_id, order.id)
  assert.ok(paid.payment_id)
  assert.match(paid.signature, /^[0-9a-f]{64}$/)
  return `${paid.payment_id} ${paid.status}`
})

await check('sandbox.credentials: the checkout signature verifies locally (HMAC of provider_order_id|payment_id)', async () => {
  const creds = await finvex.sandbox.credentials()
  assert.ok(creds.key_secret)
  if (order.provider !== 'sandbox') return `skipped (order routed to ${order.provider})`
  const expected = crypto.createHmac('sha256', creds.key_secret).update(`${order.provider_order_id}|${paid.payment_id}`).digest('hex')
  assert.equal(paid.signature, expected)
  return creds.key_id
})

await check('orders.verify(order.id, {payment_id, signature}) -> verified, payment captured', async () => {
  verified = await finvex.orders.verify(order.id, { payment_id: paid.payment_id, signature: paid.signature })
  assert.equal(verified.verified, true, verified.reason)
  assert.equal(verified.order_id, order.id)
  payment = verified.payment
  assert.match(payment.id, /^finvex_pay_/)
  assert.equal(payment.status, 'captured')
  assert.equal(payment.amount, 50000)
  return payment.id
})

await check('orders.verify again is idempotent (same payment, still verified)', async () => {
  const again = await finvex.orders.verify(order.id, { payment_id: paid.payment_id, signature: paid.signature })
  assert.equal(again.verified, true)
  assert.equal(again.payment.id, payment.id)
})

await check('orders.verify with a wrong signature is not verified', async () => {
  const o = await finvex.orders.create({ amount: 10000, description: `bad signature ${RUN}` })
  const p = await finvex.sandbox.pay(o.id, { instrument: 'success@finvex' })
  const bad = p.signature.replace(/^./, (c) => (c === '0' ? '1' : '0'))
  let result
  try {
    result = await finvex.orders.verify(o.id, { payment_id: p.payment_id, signature: bad })
  } catch (e) {
    if (e instanceof FinvexError && e.status < 500) return `refused: ${e.name} ${e.code}`
    throw e
  }
  assert.equal(result.verified, false)
  return `verified=false: ${result.reason}`
})

await check('payments.refund(payment.id, {amount: 10000}) -> 201 refund', async () => {
  refund = await finvex.payments.refund(payment.id, { amount: 10000 })
  assert.match(refund.id, /^finvex_rfnd_/)
  assert.equal(refund.entity, 'refund')
  assert.equal(refund.payment_id, payment.id)
  assert.equal(refund.amount, 10000)
  assert.ok(['pending', 'processed'].includes(refund.status), refund.status)
  assert.equal(refund.lastResponse.status, 201)
  return `${refund.id} ${refund.status}`
})

await check('a refund beyond the captured amount -> BusinessRuleError (422, field amount)', async () => {
  const e = await rejects(finvex.payments.refund(payment.id, { amount: 50000 }), BusinessRuleError, { status: 422 })
  return `${e.code} field=${e.field}: ${e.message}`
})

await check('orders.retrieve -> paid', async () => {
  const o = await finvex.orders.retrieve(order.id)
  assert.equal(o.id, order.id)
  assert.equal(o.status, 'paid')
  assert.equal(o.amount_paid, 50000)
  assert.equal(o.amount_due, 0)
})

await check('payments.retrieve -> partially_refunded, amount_refunded 10000', async () => {
  const p = await finvex.payments.retrieve(payment.id)
  assert.equal(p.status, 'partially_refunded')
  assert.equal(p.amount_refunded, 10000)
})

await check('refunds.retrieve', async () => {
  const r = await finvex.refunds.retrieve(refund.id)
  assert.equal(r.id, refund.id)
  assert.equal(r.amount, 10000)
})

await check('orders.list / payments.list / refunds.list -> collections with the new objects first', async () => {
  const [orders, payments, refunds] = await Promise.all([
    finvex.orders.list({ count: 10 }),
    finvex.payments.list({ count: 10 }),
    finvex.refunds.list({ count: 10 })
  ])
  for (const c of [orders, payments, refunds]) {
    assert.equal(c.entity, 'collection')
    assert.equal(c.count, c.items.length)
    assert.ok(c.count <= 10)
  }
  assert.ok(orders.items.some((o) => o.id === order.id), 'order listed')
  assert.ok(payments.items.some((p) => p.id === payment.id), 'payment listed')
  assert.equal(refunds.items[0].id, refund.id, 'newest refund first')
  const from = Math.min(order.created_at, refund.created_at)
  const windowed = await finvex.orders.list({ count: 100, from, to: from + 3600 })
  assert.ok(windowed.items.some((o) => o.id === order.id), 'from/to window')
  return `orders ${orders.count}, payments ${payments.count}, refunds ${refunds.count}`
})

await check('autoPaginate: orders.list.iterate / orders.autoPaginate walk skip until a short page', async () => {
  for (let i = 0; i < 3; i++) await finvex.orders.create({ amount: 10000 + i, receipt: `page-${RUN}-${i}` })
  const page = await finvex.orders.list({ count: 7 })
  const walked = []
  for await (const o of finvex.orders.list.iterate({ count: 2 }, { limit: 7 })) walked.push(o.id)
  assert.deepEqual(walked, page.items.map((o) => o.id), 'pages of 2 give the same first 7 as one page of 7')
  // Bounded, so that a long-lived test database does not make this walk long.
  const all = await finvex.refunds.autoPaginate({ count: 2 }, { limit: 60 }).toArray()
  const oneShot = await finvex.refunds.list({ count: 60 })
  if (oneShot.count < 60) assert.equal(all.length, oneShot.count, 'a walk of the refunds ends at the short page')
  else assert.equal(all.length, 60, 'the walk stops at its limit')
  assert.equal(new Set(all.map((r) => r.id)).size, all.length, 'no refund twice')
  const payments = await finvex.payments.autoPaginate({ count: 3 }, { limit: 4 }).toArray()
  assert.ok(payments.length <= 4)
  return `orders ${walked.length} in pages of 2; refunds ${all.length} in pages of 2`
})

await check('payments.capture an authorized payment -> captured; capturing again -> BusinessRuleError', async () => {
  const o = await finvex.orders.create({ amount: 20000, description: `capture ${RUN}` })
  await finvex.sandbox.pay(o.id, { instrument: 'success@finvex' })
  const p = (await finvex.payments.list({ count: 20 })).items.find((x) => x.order_id === o.id)
  assert.ok(p, 'the payment is listed')
  assert.equal(p.status, 'authorized')
  const captured = await finvex.payments.capture(p.id)
  assert.equal(captured.status, 'captured')
  await rejects(finvex.payments.capture(p.id), BusinessRuleError, { status: 422, code: 'business_rule_violation' })
  return p.id
})

await check('a refund with an empty body refunds the whole remaining amount', async () => {
  const o = await finvex.orders.create({ amount: 15000, description: `full refund ${RUN}` })
  const pay = await finvex.sandbox.pay(o.id, { instrument: 'success@finvex' })
  const v = await finvex.orders.verify(o.id, { payment_id: pay.payment_id, signature: pay.signature })
  const r = await finvex.payments.refund(v.payment.id)
  assert.equal(r.amount, 15000)
  const after = await finvex.payments.retrieve(v.payment.id)
  assert.equal(after.status, 'refunded')
})

// --------------------------------------------------------------------------- typed errors
await check("orders.create({amount: 1}) -> InvalidRequestError, field 'amount'", async () => {
  const e = await rejects(finvex.orders.create({ amount: 1 }), InvalidRequestError, { status: 400, code: 'invalid_request', field: 'amount' })
  assert.match(e.requestId, /^req_/)
  assert.ok(e.message.length > 0)
  return e.message
})

await check("an unknown field -> InvalidRequestError naming it ('plan')", async () => {
  await rejects(finvex.orders.create({ amount: 50000, plan: 'pro' }), InvalidRequestError, { field: 'plan' })
})

await check('retrieve a missing id -> NotFoundError (404 not_found)', async () => {
  await rejects(finvex.orders.retrieve('finvex_ord_doesnotexist'), NotFoundError, { status: 404, code: 'not_found' })
  await rejects(finvex.payments.retrieve('finvex_pay_doesnotexist'), NotFoundError)
  await rejects(finvex.refunds.retrieve('finvex_rfnd_doesnotexist'), NotFoundError)
})

await check('a bad key -> AuthenticationError (401 unauthenticated)', async () => {
  const [keyId] = KEY.split(':')
  const bad = finvexCjs(`${keyId}:${'0'.repeat(64)}`, { baseUrl: BASE })
  const e = await rejects(bad.orders.list(), AuthenticationError, { status: 401, code: 'unauthenticated' })
  await rejects(finvexCjs('finvex_test_key_unknown', { baseUrl: BASE }).checkout.sessions.create({ order_id: order.id }), AuthenticationError, { status: 401 })
  await rejects(finvexCjs('garbage', { baseUrl: BASE }).merchant.retrieve(), AuthenticationError)
  const envKey = process.env.FINVEX_KEY
  delete process.env.FINVEX_KEY
  const none = finvexCjs(null, { baseUrl: BASE }) // no key at all
  process.env.FINVEX_KEY = envKey
  await rejects(none.merchant.retrieve(), AuthenticationError, { status: 401 })
  return e.message
})

await check('an API key on a dashboard-only route -> PermissionError (403 forbidden)', async () => {
  await rejects(finvex.keys.list(), PermissionError, { status: 403, code: 'forbidden' })
  await rejects(finvex.providers.setCredentials('razorpay', { key_id: 'rzp_test_x', key_secret: 'x', webhook_secret: 'x', verify: false }), PermissionError)
})

await check('the publishable key opens checkout sessions only', async () => {
  const o = await finvex.orders.create({ amount: 30000, description: `checkout ${RUN}` })
  const pub = finvexCjs(PUBLISHABLE, { baseUrl: BASE })
  const session = await pub.checkout.sessions.create({ order_id: o.id })
  assert.equal(session.entity, 'checkout_session')
  assert.equal(session.order_id, o.id)
  assert.equal(session.amount, 30000)
  assert.equal(session.lastResponse.status, 201)
  await rejects(pub.orders.list(), PermissionError, { status: 403 })
  return `${session.provider} ${session.status}`
})

await check('a checkout session for a paid order -> ConflictError (409)', async () => {
  await rejects(finvex.checkout.sessions.create({ order_id: order.id }), ConflictError, { status: 409 })
})

await check('a body over 1 MiB -> InvalidRequestError (413 payload_too_large)', async () => {
  await rejects(finvex.orders.create({ amount: 50000, description: 'x'.repeat(1_100_000) }), InvalidRequestError, { status: 413, code: 'payload_too_large' })
})

await check('requestId option is sent as X-Request-Id and comes back', async () => {
  const m = await finvex.merchant.retrieve({ requestId: `req_fvnode_${RUN}` })
  assert.equal(m.lastResponse.requestId, `req_fvnode_${RUN}`)
})

await check('an empty or missing id is refused locally (TypeError, no request)', async () => {
  const f = recordingFetch(() => jsonResponse(200, {}))
  const c = finvexCjs(KEY, { baseUrl: BASE, fetch: f })
  await assert.rejects(c.orders.retrieve(''), TypeError)
  await assert.rejects(c.webhooks.deliveries.retrieve('finvex_wh_x'), TypeError)
  await assert.rejects(c.orders.retrieve('x', { expand: true }), TypeError, 'unknown request option')
  assert.equal(f.calls.length, 0)
  await c.orders.retrieve('a/b?c')
  assert.ok(f.calls[0].url.endsWith('/v1/orders/a%2Fb%3Fc'), 'ids are URL-encoded')
})

// --------------------------------------------------------------------------- idempotency and retries
await check('a POST whose answer was lost (network failure after the server ran it) is retried with the same Idempotency-Key and replayed', async () => {
  let firstId = null
  const f = recordingFetch(async (call, n, real) => {
    const response = await real()
    if (n === 1) {
      firstId = (await response.json()).id // the server created it ...
      throw networkFailure() // ... and the answer is lost
    }
    return response
  })
  const c = finvexCjs(KEY, { baseUrl: BASE, fetch: f, maxRetries: 2 })
  const o = await c.orders.create({ amount: 12345, receipt: `lost-${RUN}` })
  assert.equal(f.calls.length, 2)
  const [k1, k2] = f.calls.map((x) => x.headers['Idempotency-Key'])
  assert.ok(k1, 'the first attempt had a key')
  assert.equal(k2, k1, 'the retry reused it')
  assert.equal(f.calls[1].body, f.calls[0].body, 'and the same body')
  assert.equal(o.id, firstId, 'the same order, not a second one')
  assert.equal(o.lastResponse.idempotentReplayed, true)
  assert.equal(o.lastResponse.status, 201, 'the stored status')
  const listed = (await finvex.orders.list({ count: 20 })).items.filter((x) => x.receipt === `lost-${RUN}`)
  assert.equal(listed.length, 1, 'one order on the server')
  return `key ${k1}, order ${o.id}`
})

await check('a POST that never reached the server is retried with the same Idempotency-Key', async () => {
  const f = recordingFetch(async (call, n, real) => {
    if (n === 1) throw networkFailure()
    return real()
  })
  const c = finvexCjs(KEY, { baseUrl: BASE, fetch: f })
  const r = await c.gst.calculate({ amount: 10000, seller_state: 'KA', buyer_state: 'MH' })
  assert.equal(r.total_paise, 11800)
  assert.equal(f.calls.length, 2)
  assert.equal(f.calls[1].headers['Idempotency-Key'], f.calls[0].headers['Idempotency-Key'])
})

await check("the caller's own idempotencyKey is sent, and reusing it replays the first answer", async () => {
  const idempotencyKey = `fvnode-${RUN}-refund`
  const o = await finvex.orders.create({ amount: 40000, description: `own key ${RUN}` })
  const p = await finvex.sandbox.pay(o.id, { instrument: 'success@finvex' })
  const v = await finvex.orders.verify(o.id, { payment_id: p.payment_id, signature: p.signature })
  const r1 = await finvex.payments.refund(v.payment.id, { amount: 1000 }, { idempotencyKey })
  const r2 = await finvex.payments.refund(v.payment.id, { amount: 1000 }, { idempotencyKey })
  assert.equal(r1.lastResponse.idempotencyKey, idempotencyKey)
  assert.equal(r2.id, r1.id, 'one refund')
  assert.equal(r2.lastResponse.idempotentReplayed, true)
  const after = await finvex.payments.retrieve(v.payment.id)
  assert.equal(after.amount_refunded, 1000, 'refunded once')
  await rejects(finvex.payments.refund(v.payment.id, { amount: 2000 }, { idempotencyKey }), ConflictError, { code: 'idempotency_key_reused' })
})

await check('never retried: a 4xx answer (one request)', async () => {
  const f = recordingFetch((call, n, real) => real())
  const c = finvexCjs(KEY, { baseUrl: BASE, fetch: f, maxRetries: 3 })
  await rejects(c.orders.create({ amount: 1 }), InvalidRequestError)
  await rejects(c.orders.retrieve('finvex_ord_missing'), NotFoundError)
  assert.equal(f.calls.length, 2)
})

await check('never retried: a POST without Idempotency-Key (auth.login sends none)', async () => {
  const f = recordingFetch(() => { throw networkFailure() })
  const c = finvexCjs(KEY, { baseUrl: BASE, fetch: f, maxRetries: 3 })
  await rejects(c.auth.login({ email: 'nobody@example.com', password: 'x' }), ConnectionError, { code: 'connection_error' })
  assert.equal(f.calls.length, 1)
  assert.equal(f.calls[0].headers['Idempotency-Key'], undefined)
  assert.equal(f.calls[0].headers['X-Finvex-Key'], undefined, 'no credentials on a public route')
})

await check('retried: 429 honouring Retry-After; RateLimitError.retryAfter when retries run out', async () => {
  const f = recordingFetch((call, n, real) => n === 1
    ? jsonResponse(429, { error: { code: 'rate_limited', message: 'slow down', field: null } }, { 'retry-after': '1', 'x-request-id': 'req_synthetic' })
    : real())
  const c = finvexCjs(KEY, { baseUrl: BASE, fetch: f })
  const started = Date.now()
  const m = await c.merchant.retrieve()
  const waited = Date.now() - started
  assert.ok(m.id)
  assert.equal(f.calls.length, 2)
  assert.ok(waited >= 1000, `waited ${waited} ms for Retry-After: 1`)
  const only429 = finvexCjs(KEY, { baseUrl: BASE, maxRetries: 0, fetch: () => jsonResponse(429, { error: { code: 'rate_limited', message: 'slow down', field: null } }, { 'retry-after': '7', 'x-request-id': 'req_x' }) })
  await rejects(only429.orders.list(), RateLimitError, { status: 429, code: 'rate_limited', retryAfter: 7, requestId: 'req_x' })
  return `waited ${waited} ms`
})

await check('retried: 503 on a GET, and 409 idempotency_in_progress on a POST; the error when retries run out', async () => {
  const f = recordingFetch((call, n, real) => n === 1 ? jsonResponse(503, { error: { code: 'service_unavailable', message: 'store down', field: null } }) : real())
  const c = finvexCjs(KEY, { baseUrl: BASE, fetch: f })
  await c.events.types()
  assert.equal(f.calls.length, 2)
  const g = recordingFetch((call, n, real) => n === 1 ? jsonResponse(409, { error: { code: 'idempotency_in_progress', message: 'running', field: null } }) : real())
  const c2 = finvexCjs(KEY, { baseUrl: BASE, fetch: g })
  await c2.gst.calculate({ amount: 100, seller_state: 'KA' })
  assert.equal(g.calls.length, 2)
  assert.equal(g.calls[1].headers['Idempotency-Key'], g.calls[0].headers['Idempotency-Key'])
  const h = recordingFetch(() => jsonResponse(500, { error: { code: 'internal_error', message: 'bug', field: null } }))
  const c3 = finvexCjs(KEY, { baseUrl: BASE, fetch: h, maxRetries: 2 })
  await rejects(c3.orders.list(), APIError, { status: 500, code: 'internal_error' })
  assert.equal(h.calls.length, 3, '1 + maxRetries attempts')
  const conflict = recordingFetch(() => jsonResponse(409, { error: { code: 'conflict', message: 'dup', field: 'email' } }))
  await rejects(finvexCjs(KEY, { baseUrl: BASE, fetch: conflict }).orders.create({ amount: 100 }), ConflictError, { field: 'email' })
  assert.equal(conflict.calls.length, 1, 'a plain 409 is not retried')
})

await check('timeout -> ConnectionError (code timeout); a GET is retried after one', async () => {
  const hung = http.createServer(() => {}) // never answers
  await new Promise((resolve) => hung.listen(0, '127.0.0.1', resolve))
  let hits = 0
  hung.on('request', () => { hits++ })
  try {
    const c = finvexCjs(KEY, { baseUrl: `http://127.0.0.1:${hung.address().port}`, timeoutMs: 200, maxRetries: 1 })
    const started = Date.now()
    await rejects(c.orders.list(), ConnectionError, { code: 'timeout', status: null })
    assert.equal(hits, 2, 'tried twice')
    assert.ok(Date.now() - started < 5000)
    await rejects(c.orders.create({ amount: 100 }, { maxRetries: 0, timeoutMs: 100 }), ConnectionError, { code: 'timeout' })
  } finally {
    hung.closeAllConnections()
    hung.close()
  }
})

await check('network failure -> ConnectionError (code connection_error); an AbortSignal cancels', async () => {
  const closed = http.createServer()
  await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const port = closed.address().port
  await new Promise((resolve) => closed.close(resolve))
  const c = finvexCjs(KEY, { baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 })
  const e = await rejects(c.merchant.retrieve(), ConnectionError, { code: 'connection_error' })
  const controller = new AbortController()
  const slow = finvexCjs(KEY, { baseUrl: BASE, fetch: (url, init) => new Promise((resolve, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason))) })
  setTimeout(() => controller.abort(), 50)
  await rejects(slow.orders.list({}, { signal: controller.signal }), ConnectionError, { code: 'aborted' })
  return e.message
})

await check('a session token goes as Authorization: Bearer with X-Finvex-Mode; a key as X-Finvex-Key', async () => {
  const f = recordingFetch(() => jsonResponse(200, { entity: 'collection', count: 0, items: [] }))
  await finvexCjs({ sessionToken: 'tok123', mode: 'live', baseUrl: BASE, fetch: f }).orders.list({ count: 5, status: undefined })
  assert.equal(f.calls[0].headers.Authorization, 'Bearer tok123')
  assert.equal(f.calls[0].headers['X-Finvex-Mode'], 'live')
  assert.equal(f.calls[0].headers['X-Finvex-Key'], undefined)
  assert.ok(f.calls[0].url.endsWith('/v1/orders?count=5'), f.calls[0].url)
  await finvexCjs(KEY, { baseUrl: BASE, fetch: f }).orders.list()
  assert.equal(f.calls[1].headers['X-Finvex-Key'], KEY)
  assert.equal(f.calls[1].headers.Authorization, undefined)
  assert.equal(f.calls[1].method, 'GET')
  assert.equal(f.calls[1].headers['Idempotency-Key'], undefined, 'GETs carry no Idempotency-Key')
})

// --------------------------------------------------------------------------- webhooks
const received = []
const receiver = http.createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    received.push({ headers: req.headers, raw: Buffer.concat(chunks), url: req.url })
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
  })
})
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve))
const hookUrl = `http://127.0.0.1:${receiver.address().port}/finvex/${RUN}`
let endpoint, hookOrder, delivery, secret

await check('webhooks.create({url, events: ["order.created"]}) -> endpoint with its secret', async () => {
  endpoint = await finvex.webhooks.create({ url: hookUrl, events: ['order.created'], description: `finvex-node test ${RUN}` })
  assert.match(endpoint.id, /^finvex_wh_/)
  assert.match(endpoint.secret, /^whsec_/)
  assert.deepEqual(endpoint.events, ['order.created'])
  assert.equal(endpoint.status, 'enabled')
  secret = endpoint.secret
  return endpoint.id
})

const deliveryFor = (pred) => received.find((d) => { try { return pred(JSON.parse(d.raw)) } catch { return false } })

await check('an order.created delivery arrives (<= 10 s) and both signatures verify; a tampered body does not', async () => {
  hookOrder = await finvex.orders.create({ amount: 25000, description: `webhook ${RUN}` })
  delivery = await waitFor('the order.created delivery', () => deliveryFor((e) => e.event === 'order.created' && e.data?.id === hookOrder.id))
  const { raw, headers } = delivery
  assert.equal(hooks.verifySignature(raw, headers['x-finvex-signature'], secret), true, 'X-Finvex-Signature')
  assert.equal(finvex.webhooks.verifyTimestamped(raw, headers['finvex-signature'], secret), true, 'Finvex-Signature')
  assert.equal(finvex.webhooks.verifySignature(raw.toString('utf8'), headers['x-finvex-signature'], secret), true, 'a string body too')
  const tampered = Buffer.from(raw.toString('utf8').replace('"amount":25000', '"amount":25001'))
  assert.notDeepEqual(tampered, raw)
  assert.equal(finvex.webhooks.verifySignature(tampered, headers['x-finvex-signature'], secret), false, 'tampered, X-Finvex-Signature')
  assert.equal(finvex.webhooks.verifyTimestamped(tampered, headers['finvex-signature'], secret), false, 'tampered, Finvex-Signature')
  assert.equal(finvex.webhooks.verifySignature(raw, headers['x-finvex-signature'], secret + '0'), false, 'wrong secret')
  assert.equal(finvex.webhooks.verifyTimestamped(raw, headers['finvex-signature'], 'whsec_wrong'), false, 'wrong secret, timestamped')
  const t = Number(/t=(\d+)/.exec(headers['finvex-signature'])[1])
  assert.ok(Math.abs(t - Date.now() / 1000) < 60, 't is now')
  assert.equal(finvex.webhooks.verifyTimestamped(raw, headers['finvex-signature'], secret, { now: t + 301 }), false, 'too old')
  assert.equal(finvex.webhooks.verifyTimestamped(raw, headers['finvex-signature'], secret, { now: t + 299 }), true, 'within tolerance')
  assert.equal(finvex.webhooks.verifyTimestamped(raw, headers['finvex-signature'], secret, { toleranceSecs: 10, now: t + 11 }), false, 'custom tolerance')
  const event = finvex.webhooks.constructEvent(raw, headers, secret)
  assert.equal(event.event, 'order.created')
  assert.equal(event.id, headers['x-finvex-event-id'])
  assert.equal(String(event.created_at), headers['x-finvex-timestamp'])
  assert.throws(() => finvex.webhooks.constructEvent(tampered, headers, secret), SignatureVerificationError)
  assert.throws(() => finvex.webhooks.verifySignature(JSON.parse(raw), headers['x-finvex-signature'], secret), TypeError, 'a parsed body is refused')
  return `${event.id} after ${received.indexOf(delivery) + 1} deliveries`
})

await check('events.retrieve / events.list / events.types', async () => {
  const event = JSON.parse(delivery.raw)
  const stored = await finvex.events.retrieve(event.id)
  assert.equal(stored.id, event.id)
  assert.equal(stored.event, 'order.created')
  assert.deepEqual(stored.data, event.data, 'exactly as delivered')
  const list = await finvex.events.list({ count: 50 })
  assert.equal(list.entity, 'collection')
  assert.ok(list.items.some((e) => e.id === event.id))
  const types = await finvex.events.types()
  assert.ok(types.items.some((t) => t.type === 'order.created'))
  return `${types.count} event types`
})

await check('webhooks.list / webhooks.deliveries.list / retrieve (with attempt_log) / retry', async () => {
  const list = await finvex.webhooks.list()
  assert.ok(list.items.some((w) => w.id === endpoint.id))
  assert.ok(list.items.every((w) => w.secret === undefined), 'no secrets in the list')
  const event = JSON.parse(delivery.raw)
  const d = await waitFor('the delivery to be recorded as succeeded', async () => {
    const ds = await finvex.webhooks.deliveries.list(endpoint.id)
    return ds.items.find((x) => x.event_id === event.id && x.status === 'succeeded')
  })
  const one = await finvex.webhooks.deliveries.retrieve(endpoint.id, d.id)
  assert.equal(one.id, d.id)
  assert.ok(Array.isArray(one.attempt_log) && one.attempt_log.length >= 1)
  assert.equal(one.attempt_log[0].status_code, 200)
  const walked = await finvex.webhooks.deliveries.autoPaginate(endpoint.id, { count: 1 }).toArray()
  assert.ok(walked.some((x) => x.id === d.id))
  const before = received.filter((r) => r.headers['x-finvex-event-id'] === event.id).length
  const retried = await finvex.webhooks.deliveries.retry(endpoint.id, d.id)
  assert.equal(retried.id, d.id)
  await waitFor('the retried delivery', () => received.filter((r) => r.headers['x-finvex-event-id'] === event.id).length > before)
  return `${d.id}: ${retried.status} -> delivered again`
})

await check('webhooks.test -> success', async () => {
  const result = await finvex.webhooks.test(endpoint.id)
  assert.equal(result.success, true, result.error)
  assert.equal(result.status_code, 200)
  const got = await waitFor('the webhook.test delivery', () => deliveryFor((e) => e.event === 'webhook.test'))
  assert.equal(hooks.verifySignature(got.raw, got.headers['x-finvex-signature'], secret), true)
  return `${result.latency_ms} ms`
})

await check('webhooks.rotateSecret: the new secret signs, the old one signs X-Finvex-Signature-Previous and a second v1', async () => {
  const rotated = await finvex.webhooks.rotateSecret(endpoint.id)
  assert.match(rotated.secret, /^whsec_/)
  assert.notEqual(rotated.secret, secret)
  const o = await finvex.orders.create({ amount: 26000, description: `rotated ${RUN}` })
  const d = await waitFor('a delivery after the rotation', () => deliveryFor((e) => e.event === 'order.created' && e.data?.id === o.id))
  const h = d.headers
  assert.equal(hooks.verifySignature(d.raw, h['x-finvex-signature'], rotated.secret), true, 'new secret')
  assert.equal(hooks.verifySignature(d.raw, h['x-finvex-signature'], secret), false, 'old secret on the main header')
  assert.equal(hooks.verifySignature(d.raw, h['x-finvex-signature-previous'], secret), true, 'old secret on -Previous')
  assert.equal((h['finvex-signature'].match(/v1=/g) || []).length, 2)
  assert.equal(hooks.verifyTimestamped(d.raw, h['finvex-signature'], rotated.secret), true)
  assert.equal(hooks.verifyTimestamped(d.raw, h['finvex-signature'], secret), true)
  assert.equal(hooks.verifySignature(d.raw, h['x-finvex-signature'], [secret, rotated.secret]), true, 'an array of secrets')
  secret = rotated.secret
})

await check('webhooks.del -> deleted; no longer listed', async () => {
  const gone = await finvex.webhooks.del(endpoint.id)
  assert.equal(gone.id, endpoint.id)
  assert.equal(gone.status, 'deleted')
  const list = await finvex.webhooks.list({ count: 100 })
  const still = list.items.find((w) => w.id === endpoint.id)
  assert.ok(!still || still.status === 'deleted')
})
receiver.closeAllConnections()
receiver.close()

await check('webhook signatures offline: RFC 4231 known answer, malformed headers, sign()', () => {
  assert.equal(hooks.verifySignature('what do ya want for nothing?', 'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', 'Jefe'), true)
  assert.equal(hooks.verifySignature('x', undefined, 's'), false)
  assert.equal(hooks.verifySignature('x', 'sha256=zz', 's'), false)
  assert.equal(hooks.verifySignature('x', 'md5=00', 's'), false)
  assert.equal(hooks.verifyTimestamped('x', 't=abc,v1=00', 's'), false)
  assert.equal(hooks.verifyTimestamped('x', 'v1=' + 'a'.repeat(64), 's'), false)
  assert.equal(hooks.verifyTimestamped('x', undefined, 's'), false)
  const signed = hooks.sign('{"a":1}', 'whsec_x', { timestamp: 1_700_000_000 })
  assert.equal(hooks.verifyTimestamped('{"a":1}', signed['finvex-signature'], 'whsec_x', { now: 1_700_000_100 }), true)
  assert.equal(hooks.verifySignature('{"a":1}', signed['x-finvex-signature'], 'whsec_x'), true)
  assert.throws(() => hooks.verifySignature('x', 'sha256=00', ''), TypeError, 'an empty secret is a mistake')
})

// --------------------------------------------------------------------------- the rest of the surface
await check('merchant.retrieve', async () => {
  const m = await finvex.merchant.retrieve()
  assert.equal(m.entity, 'merchant')
  assert.match(m.id, /^merchant_/)
  return `${m.email} (${m.role})`
})

await check('portal.sessions.create({customer_email}) -> 201 portal session', async () => {
  const s = await finvex.portal.sessions.create({ customer_email: `buyer-${RUN}@example.com` })
  assert.equal(s.entity, 'portal_session')
  assert.equal(s.token_type, 'Bearer')
  assert.equal(s.customer_email, `buyer-${RUN}@example.com`)
  assert.equal(s.lastResponse.status, 201)
})

await check('routing.retrieveRules / updateRules (and back)', async () => {
  const before = await finvex.routing.retrieveRules()
  assert.ok(Array.isArray(before.rules))
  try {
    const updated = await finvex.routing.updateRules({ rules: [{ type: 'success_rate' }, { type: 'priority', providers: ['sandbox'] }] })
    assert.deepEqual(updated.rules.map((r) => r.type), ['success_rate', 'priority'])
    assert.deepEqual((await finvex.routing.retrieveRules()).rules, updated.rules)
    await rejects(finvex.routing.updateRules({ rules: [{ type: 'volume_split', weights: [['sandbox', 70]] }] }), InvalidRequestError)
  } finally {
    await finvex.routing.updateRules({ rules: before.rules })
  }
  assert.deepEqual((await finvex.routing.retrieveRules()).rules, before.rules)
})

await check('providers.listCredentials', async () => {
  const list = await finvex.providers.listCredentials()
  assert.equal(list.entity, 'collection')
  return `${list.count} connected`
})

await check('settlements.list / sync / retrieve', async () => {
  const list = await finvex.settlements.list({ count: 5 })
  assert.equal(list.entity, 'collection')
  const report = await finvex.settlements.sync({})
  assert.equal(report.entity, 'settlement_sync')
  assert.ok(Array.isArray(report.errors))
  if (list.items[0]) assert.equal((await finvex.settlements.retrieve(list.items[0].id)).id, list.items[0].id)
  else await rejects(finvex.settlements.retrieve('finvex_stl_missing'), NotFoundError)
  return `${list.count} settlements; sync: synced ${report.synced}, skipped ${report.skipped}, errors ${report.errors.length}`
})

await check('jobs.list / retrieve', async () => {
  const list = await finvex.jobs.list({ count: 5 })
  assert.equal(list.entity, 'collection')
  if (list.items[0]) assert.equal((await finvex.jobs.retrieve(list.items[0].id)).id, list.items[0].id)
  else await rejects(finvex.jobs.retrieve('job_missing'), NotFoundError)
  return `${list.count} jobs`
})

await check('gst.calculate / hsnLookup (and its iterator)', async () => {
  const calc = await finvex.gst.calculate({ amount: 10000, seller_state: 'KA', buyer_state: 'MH', rate: 18 })
  assert.equal(calc.rule, 'inter_state')
  assert.equal(calc.igst_paise, 1800)
  assert.equal(calc.rate_source, 'request')
  const page = await finvex.gst.hsnLookup({ q: 'software', count: 2 })
  assert.ok(page.total >= page.count)
  const all = await finvex.gst.hsnLookup.iterate({ q: 'software', count: 5 }).toArray()
  assert.equal(all.length, page.total)
  return `${page.total} codes for "software"`
})

let settingsBefore
await check('gst.settings.retrieve / update', async () => {
  settingsBefore = await finvex.gst.settings.retrieve()
  assert.equal(settingsBefore.entity, 'gst_settings')
  const updated = await finvex.gst.settings.update({
    default_rate: 18,
    seller_gstin: '29AAFCC9980M1ZR',
    seller: { legal_name: 'Finvex Node Test Pvt Ltd', address1: '1 MG Road', location: 'Bengaluru', pin: 560001 },
    default_hsn_code: '998314'
  })
  assert.equal(updated.seller_gstin, '29AAFCC9980M1ZR')
  await rejects(finvex.gst.settings.update({ default_rate: 17 }), InvalidRequestError, { field: 'default_rate' })
})

await check('gst.invoices: create for the paid order, credit note for its refund, retrieve, list, einvoice, submitIrn, pdf, cancelIrn, gstr1', async () => {
  const inv = await finvex.gst.invoices.create({
    order_id: order.id,
    buyer_gstin: '27AAPFU0939F1ZV',
    buyer: { legal_name: 'Buyer Co', address1: '2 Marine Drive', location: 'Mumbai', pin: 400001 }
  })
  assert.equal(inv.entity, 'gst_invoice')
  assert.equal(inv.total_paise, 50000, 'the amount paid to the paisa')
  assert.equal(inv.irp_status, 'not_submitted')
  await rejects(finvex.gst.invoices.create({ order_id: order.id }), ConflictError, { status: 409 })
  const cn = await finvex.gst.invoices.create({ type: 'credit_note', refund_id: refund.id })
  assert.equal(cn.type, 'credit_note')
  assert.equal(cn.original_invoice_id, inv.id)
  assert.equal(cn.total_paise, 10000)
  assert.equal((await finvex.gst.invoices.retrieve(inv.id)).number, inv.number)
  const list = await finvex.gst.invoices.list({ count: 10 })
  assert.ok(list.items.some((x) => x.id === inv.id))
  const einv = await finvex.gst.invoices.einvoice(inv.id)
  assert.equal(einv.DocDtls.No, inv.number)
  const submitted = await finvex.gst.invoices.submitIrn(inv.id)
  assert.equal(submitted.irp_status, 'generated')
  assert.match(submitted.irp.issuer, /FAKE/)
  assert.match(String(submitted.irp.ack_no), /^\d{15}$/)
  // The printable invoice: the PDF's bytes as a Buffer, binary bytes intact, the
  // same bytes each time, naming the number and the IRP's acknowledgement.
  const pdf = await finvex.gst.invoices.pdf(inv.id)
  assert.ok(Buffer.isBuffer(pdf), 'a Buffer')
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')
  assert.ok(pdf.subarray(0, 16).some((b) => b >= 0x80), 'the binary marker survived (no text decoding)')
  assert.equal(pdf.lastResponse.headers['content-type'], 'application/pdf')
  assert.equal(pdf.lastResponse.headers['content-disposition'], `inline; filename="${inv.number}.pdf"`)
  assert.ok(pdf.includes(Buffer.from(`Invoice No.: ${inv.number}`, 'latin1')), 'the number is drawn')
  assert.ok(pdf.includes(Buffer.from(`Ack No.: ${submitted.irp.ack_no}`, 'latin1')), 'the acknowledgement is drawn')
  assert.ok((await finvex.gst.invoices.pdf(inv.id)).equals(pdf), 'byte-stable')
  await rejects(finvex.gst.invoices.pdf('finvex_inv_missing'), NotFoundError, { status: 404 })
  const cancelled = await finvex.gst.invoices.cancelIrn(inv.id, { reason: 'data_entry_mistake', remark: 'finvex-node test' })
  assert.equal(cancelled.irp_status, 'cancelled')
  const month = inv.date.slice(0, 7)
  const g = await finvex.gst.gstr1({ month })
  assert.equal(g.gstin, '29AAFCC9980M1ZR')
  const csv = await finvex.gst.gstr1({ month, format: 'csv' })
  assert.equal(typeof csv, 'string')
  assert.match(csv, /^# /)
  assert.ok(csv.includes(inv.number))
  return `${inv.number}, ${cn.number}, IRN ack ${submitted.irp.ack_no}`
})

await check('customers: create, the unique email (409), retrieve, list by email and phone', async () => {
  const email = `node-${Date.now()}@example.in`
  const mobile = `9${String(Date.now()).slice(-9)}`
  const c = await finvex.customers.create({ name: 'Asha Rao', email, phone: mobile })
  assert.equal(c.entity, 'customer')
  assert.match(c.id, /^finvex_cust_/)
  assert.equal(c.phone, `+91${mobile}`)
  await rejects(finvex.customers.create({ email: email.toUpperCase() }), ConflictError, { status: 409, field: 'email' })
  await rejects(finvex.customers.create({ name: 'Nobody' }), InvalidRequestError, { field: 'email' })
  assert.equal((await finvex.customers.retrieve(c.id)).email, email)
  const byEmail = await finvex.customers.list({ email })
  assert.deepEqual(byEmail.items.map((x) => x.id), [c.id])
  const byPhone = await finvex.customers.list({ phone: `+91${mobile}` })
  assert.deepEqual(byPhone.items.map((x) => x.id), [c.id])
  return c.id
})

await check('plans: the seed body, a bad interval (400), retrieve, archive, list by status', async () => {
  const plan = await finvex.plans.create({ name: 'Pro', amount: 99900, interval: 'monthly' })
  assert.match(plan.id, /^finvex_plan_/)
  assert.equal(plan.interval_count, 1)
  await rejects(finvex.plans.create({ name: 'Pro', amount: 99900, interval: 'monthly', interval_count: 13 }), InvalidRequestError, { field: 'interval_count' })
  assert.equal((await finvex.plans.retrieve(plan.id)).name, 'Pro')
  const archived = await finvex.plans.archive(plan.id)
  assert.equal(archived.status, 'archived')
  const list = await finvex.plans.list({ status: 'archived' })
  assert.ok(list.items.some((p) => p.id === plan.id))
  return plan.id
})

await check('gst.fileGstr1 and gst.invoices.correct: a month kept as filed, then an amendment', async () => {
  // Last month in India, which is over and can be filed.
  const india = new Date(Date.now() + 5.5 * 3600 * 1000)
  const [y, m] = [india.getUTCFullYear(), india.getUTCMonth() + 1]
  const last = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
  const gstin = '29AAFCC9980M1ZR'
  const line = (paise) => [{ hsn_code: '998316', unit_price: paise }]
  const inv = await finvex.gst.invoices.create({ date: `${last}-15`, seller_gstin: gstin, buyer_gstin: '27AAPFU0939F1ZV', lines: line(100000) })
  const inPlace = await finvex.gst.invoices.correct(inv.id, { lines: line(90000) })
  assert.equal(inPlace.reported_as, 'in_place')
  assert.equal(inPlace.invoice.taxable_paise, 90000)
  const filing = await finvex.gst.fileGstr1({ month: last, gstin })
  assert.equal(filing.entity, 'gstr1_filing')
  assert.ok(filing.gstr1.b2b.some((e) => e.inv.some((i) => i.inum === inv.number)))
  await rejects(finvex.gst.fileGstr1({ month: last, gstin }), ConflictError, { status: 409 })
  const amended = await finvex.gst.invoices.correct(inv.id, { lines: line(110000) })
  assert.equal(amended.reported_as, 'amendment')
  const kept = await finvex.gst.gstr1({ month: last, gstin })
  assert.equal(JSON.stringify(kept), JSON.stringify(filing.gstr1), 'the filed month is answered as filed')
  const now = await finvex.gst.gstr1({ month: amended.reported_period, gstin })
  assert.equal(now.b2ba[0].inv[0].oinum, inv.number)
  return `${last} filed, ${inv.number} amended in ${amended.reported_period}`
})

await check('gst.settings restored', async () => {
  const { default_rate: rate, seller_gstin: gstin, seller, default_hsn_code: hsn } = settingsBefore
  const body = { default_rate: rate }
  if (gstin) body.seller_gstin = gstin
  if (seller) body.seller = seller
  if (hsn) body.default_hsn_code = hsn
  const restored = await finvex.gst.settings.update(body)
  assert.equal(restored.seller_gstin, settingsBefore.seller_gstin)
})

// --------------------------------------------------------------------------- dashboard session
const email = `finvex-node-${RUN}@example.com`
const password = `pw-${crypto.randomBytes(12).toString('hex')}`
let dash, newKey
await check('auth.signup -> 201 {merchant, session}; auth.login -> a token', async () => {
  const anon = finvexCjs(null, { baseUrl: BASE })
  const up = await anon.auth.signup({ name: 'Finvex Node Test', email, password })
  assert.equal(up.merchant.email, email)
  assert.equal(up.session.token_type, 'Bearer')
  await rejects(anon.auth.signup({ name: 'again', email, password }), ConflictError, { status: 409 })
  const session = await anon.auth.login({ email, password })
  assert.ok(session.token)
  await rejects(anon.auth.login({ email, password: password + 'x' }), AuthenticationError)
  dash = finvex.withSession(session.token)
  const me = await dash.merchant.retrieve()
  assert.equal(me.id, up.merchant.id)
  return me.id
})

await check('keys.create / list / revoke with the session; the new key works until revoked', async () => {
  newKey = await dash.keys.create({ name: 'finvex-node test' })
  assert.match(newKey.secret_key, /^finvex_test_/)
  assert.equal(newKey.lastResponse.status, 201)
  const list = await dash.keys.list({ mode: 'test' })
  assert.ok(list.items.some((k) => k.id === newKey.id))
  assert.ok(list.items.every((k) => k.secret_key === undefined), 'no secrets in the list')
  const keyClient = finvexCjs(newKey.secret_key, { baseUrl: BASE })
  assert.equal((await keyClient.merchant.retrieve()).email, email)
  const revoked = await dash.keys.revoke(newKey.id)
  assert.ok(revoked.revoked_at)
  await rejects(keyClient.merchant.retrieve(), AuthenticationError, { status: 401 })
})

await check('providers.setCredentials / listCredentials / deleteCredentials with the session', async () => {
  const account = await dash.providers.setCredentials('razorpay', { key_id: 'rzp_test_finvexnode', key_secret: 'not-a-real-secret', webhook_secret: 'whs', verify: false })
  assert.equal(account.provider, 'razorpay')
  assert.ok(account.webhook_path)
  assert.ok(!JSON.stringify(account).includes('not-a-real-secret'), 'the secret is never shown')
  const list = await dash.providers.listCredentials()
  assert.ok(list.items.some((a) => a.provider === 'razorpay'))
  const deleted = await dash.providers.deleteCredentials('razorpay')
  assert.equal(deleted, null, '204, no body')
  await rejects(dash.providers.deleteCredentials('razorpay'), NotFoundError)
  await rejects(dash.providers.setCredentials('paypal', { key_id: 'x' }), NotFoundError)
  return account.webhook_path
})

await check('a real 429 from the server: RateLimitError with retryAfter (a fresh key of the new merchant, 300 requests)', async () => {
  const k = await dash.keys.create({ name: 'finvex-node rate limit' })
  const c = finvexCjs(k.secret_key, { baseUrl: BASE, maxRetries: 0 })
  try {
    let limited = null
    let sent = 0
    // At most 300 requests are allowed in a rolling minute per key: the 301st is refused.
    for (let round = 0; round < 35 && !limited; round++) {
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => c.merchant.retrieve()))
      sent += results.length
      limited = results.find((r) => r.status === 'rejected' && r.reason instanceof RateLimitError)?.reason ?? null
      const other = results.find((r) => r.status === 'rejected' && !(r.reason instanceof RateLimitError))
      if (other) throw other.reason
    }
    assert.ok(limited, `no 429 after ${sent} requests`)
    assert.equal(limited.status, 429)
    assert.equal(limited.code, 'rate_limited')
    assert.ok(limited.retryAfter > 0 && limited.retryAfter <= 60, `retryAfter ${limited.retryAfter}`)
    assert.ok(sent > 300, `refused only past 300 (after ${sent})`)
    return `refused after ${sent} requests, retryAfter ${limited.retryAfter} s`
  } finally {
    await dash.keys.revoke(k.id)
  }
})

// ---------------------------------------------------------------------------
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
