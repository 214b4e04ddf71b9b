// Type-checked by test/run.mjs (when TypeScript is at hand): uses of the API that must compile, and two that must not.
import finvex, { NotFoundError, InvalidRequestError, webhooks, ENDPOINTS, type Order } from 'finvex-node'
const client = finvex('finvex_test_KEY:SECRET', { baseUrl: 'http://127.0.0.1:8080', timeoutMs: 1000, maxRetries: 1 })
const order = await client.orders.create({ amount: 50000, currency: 'INR', description: 'Pro Plan' })
const id: string = order.id
const replay: boolean = order.lastResponse.idempotentReplayed
const paid = await client.sandbox.pay(order.id, { instrument: 'success@finvex' })
const v = await client.orders.verify(order.id, { payment_id: paid.payment_id, signature: paid.signature })
if (v.payment) { const r = await client.payments.refund(v.payment.id, { amount: 10000 }, { idempotencyKey: 'k' }); r.status satisfies 'pending' | 'processed' | 'failed' }
const page = await client.orders.list({ count: 10 })
const first: Order | undefined = page.items[0]
for await (const o of client.orders.list.iterate({ count: 100 }, { limit: 5 })) { o.amount.toFixed() }
const all = await client.refunds.autoPaginate().toArray()
const ds = await client.webhooks.deliveries.list('finvex_wh_x', { count: 5 })
const dlv = await client.webhooks.deliveries.retrieve('finvex_wh_x', ds.items[0].id)
dlv.attempt_log[0].status_code
const csv: string = await client.gst.gstr1({ month: '2026-04', format: 'csv' })
const json = await client.gst.gstr1({ month: '2026-04' })
json.fp
const invoicePdf: Buffer = await client.gst.invoices.pdf('finvex_inv_x')
const pdfType: string = (await client.gst.invoices.pdf('finvex_inv_x')).lastResponse.headers['content-type']
const ok: boolean = client.webhooks.verifySignature(Buffer.from('x'), 'sha256=..', 'whsec')
const ok2: boolean = webhooks.verifyTimestamped('x', undefined, ['a', 'b'], { toleranceSecs: 60 })
const session = await client.auth.login({ email: 'a@b.c', password: 'p' })
const dash = client.withSession(session.token, { mode: 'live' })
const key = await dash.keys.create({ name: 'n' })
key.secret_key.toUpperCase()
await dash.providers.setCredentials('cashfree', { client_id: 'x', client_secret: 'y' })
const del: null = await dash.providers.deleteCredentials('razorpay')
await client.routing.updateRules({ rules: [{ type: 'volume_split', weights: [['razorpay', 70], ['cashfree', 30]] }] })
const s = await finvex({ sessionToken: 't', baseUrl: 'x' }).merchant.retrieve()
s.role satisfies 'merchant' | 'verified_seller' | 'admin'
try { await client.orders.retrieve('x') } catch (e) { if (e instanceof NotFoundError) { const c: string | null = e.code; const f: string | null = e.field } if (e instanceof InvalidRequestError) e.requestId }
ENDPOINTS['orders']['create'].method
// @ts-expect-error amount is required
await client.orders.create({ currency: 'INR' })
// @ts-expect-error unknown option
finvex('k', { baseURL: 'x' })
export { id, replay, first, all, csv, ok, ok2, del }
