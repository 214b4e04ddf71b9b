// Type-checked by test/run.mjs (when TypeScript is at hand): the CommonJS form.
import createFinvex = require('finvex-node')
const finvex = createFinvex('finvex_test_KEY:SECRET')
async function main () {
  const order = await finvex.orders.create({ amount: 50000, currency: 'INR', description: 'Pro Plan' })
  console.log(order.id)
  try { await finvex.orders.create({ amount: 1 }) } catch (e) { if (e instanceof createFinvex.RateLimitError) console.log(e.retryAfter) }
  const ev = createFinvex.webhooks.constructEvent<{ id: string }>('{}', { 'finvex-signature': 't=1,v1=00' }, 's')
  ev.data.id.toUpperCase()
  const c: createFinvex.Collection<createFinvex.Payment> = await finvex.payments.list()
  return c
}
main()
