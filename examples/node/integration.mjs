// The seed's Integration Guide against a local finvex-server, with Node 18+ (no packages).
// Usage: FINVEX_KEY='finvex_test_…' node examples/node/integration.mjs [base_url]
import crypto from 'node:crypto'

const BASE = process.argv[2] ?? 'http://127.0.0.1:8080'
const KEY = process.env.FINVEX_KEY
if (!KEY) throw new Error('export FINVEX_KEY with a test key')

async function finvex (method, path, body) {
  const response = await fetch(BASE + path, {
    method,
    headers: { 'X-Finvex-Key': KEY, 'Content-Type': 'application/json' },
    body: body && JSON.stringify(body)
  })
  const json = await response.json()
  if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.error)}`)
  return json
}

// Step 5 of the guide, verbatim in spirit: check X-Finvex-Signature on the raw body.
export function verifyWebhook (payload, signature, secret) {
  const expected = 'sha256=' + crypto.createHmac('sha256', secret).update(payload).digest('hex')
  return expected.length === signature.length && crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature))
}

// Step 3 on your server: the checkout handler's signature is
// hex(HMAC-SHA256(provider_order_id + "|" + payment_id, key_secret)), as with
// Razorpay; in test mode the sandbox's key secret is this merchant's own.
export function verifyCheckout (providerOrderId, paymentId, signature, keySecret) {
  const expected = crypto.createHmac('sha256', keySecret).update(`${providerOrderId}|${paymentId}`).digest('hex')
  return expected.length === signature.length && crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature))
}

const order = await finvex('POST', '/v1/orders', { amount: 50000, currency: 'INR', description: 'Pro Plan' })
console.log('order', order.id, 'via', order.routing.provider)
const paid = await finvex('POST', `/v1/sandbox/orders/${order.id}/pay`, { instrument: 'success@finvex' })
if (order.provider === 'sandbox') {
  const { key_secret: keySecret } = await finvex('GET', '/v1/sandbox/credentials')
  if (!verifyCheckout(order.provider_order_id, paid.payment_id, paid.signature, keySecret)) {
    throw new Error('the checkout signature does not verify')
  }
  if (verifyCheckout(order.provider_order_id, paid.payment_id, paid.signature, keySecret + 'x')) {
    throw new Error('a wrong key secret must not verify')
  }
  console.log('checkout signature verified locally')
}
const result = await finvex('POST', `/v1/orders/${order.id}/verify`, { payment_id: paid.payment_id, signature: paid.signature })
if (!result.verified) throw new Error('payment not verified: ' + result.reason)
console.log('verified; fulfil order', order.id, 'payment', result.payment.id)

const body = JSON.stringify({ id: 'evt_demo', event: 'payment.captured' })
const secret = 'whsec_demo'
const header = 'sha256=' + crypto.createHmac('sha256', secret).update(body).digest('hex')
console.log('webhook signature check:', verifyWebhook(body, header, secret))
