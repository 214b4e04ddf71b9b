'use strict'

// The client's whole surface as data: resource -> method -> (HTTP method, path, ...).
// Everything in lib/client.js is built from this table, so a test can compare it
// with the server's routes (or /v1/openapi.json once it exists) without reading code.
//
// Fields of an endpoint:
//   method  HTTP method.
//   path    Path with `{param}` placeholders (as the server's route files write them);
//           each placeholder is one positional argument of the call, in order.
//   auth    Who may call it (docs/API.md's names):
//             'none'        public (signup, login): no credentials are sent
//             'key'         "key or session": a secret key or a dashboard session
//             'session'     "session": a dashboard session only (403 with a key)
//             'publishable' "publishable key, key or session"
//   params  What follows the path arguments:
//             'body'   a JSON body (POST/PUT; `{}` when omitted)
//             'query'  query-string parameters (GET/DELETE)
//             'none'   nothing: the next argument is the request options
//   list    true: returns a Collection and supports `.iterate()` / `autoPaginate()`
//           (walks `skip` by `count`).
//   query   fixed query parameters always sent (e.g. `format=einvoice`).
//   binary  true: the answer is bytes (a PDF), resolved as a Buffer, not decoded.

const ENDPOINTS = {
  orders: {
    create: { method: 'POST', path: '/v1/orders', auth: 'key', params: 'body' },
    list: { method: 'GET', path: '/v1/orders', auth: 'key', params: 'query', list: true },
    retrieve: { method: 'GET', path: '/v1/orders/{id}', auth: 'key', params: 'none' },
    verify: { method: 'POST', path: '/v1/orders/{id}/verify', auth: 'key', params: 'body' }
  },
  payments: {
    list: { method: 'GET', path: '/v1/payments', auth: 'key', params: 'query', list: true },
    retrieve: { method: 'GET', path: '/v1/payments/{id}', auth: 'key', params: 'none' },
    capture: { method: 'POST', path: '/v1/payments/{id}/capture', auth: 'key', params: 'none' },
    refund: { method: 'POST', path: '/v1/payments/{id}/refund', auth: 'key', params: 'body' }
  },
  refunds: {
    list: { method: 'GET', path: '/v1/refunds', auth: 'key', params: 'query', list: true },
    retrieve: { method: 'GET', path: '/v1/refunds/{id}', auth: 'key', params: 'none' }
  },
  sandbox: {
    pay: { method: 'POST', path: '/v1/sandbox/orders/{id}/pay', auth: 'key', params: 'body' },
    credentials: { method: 'GET', path: '/v1/sandbox/credentials', auth: 'key', params: 'none' }
  },
  'checkout.sessions': {
    create: { method: 'POST', path: '/v1/checkout/sessions', auth: 'publishable', params: 'body' }
  },
  routing: {
    retrieveRules: { method: 'GET', path: '/v1/routing/rules', auth: 'key', params: 'none' },
    updateRules: { method: 'PUT', path: '/v1/routing/rules', auth: 'key', params: 'body' }
  },
  providers: {
    listCredentials: { method: 'GET', path: '/v1/providers/credentials', auth: 'key', params: 'none' },
    setCredentials: { method: 'PUT', path: '/v1/providers/{provider}/credentials', auth: 'session', params: 'body' },
    deleteCredentials: { method: 'DELETE', path: '/v1/providers/{provider}/credentials', auth: 'session', params: 'none' }
  },
  customers: {
    create: { method: 'POST', path: '/v1/customers', auth: 'key', params: 'body' },
    list: { method: 'GET', path: '/v1/customers', auth: 'key', params: 'query', list: true },
    retrieve: { method: 'GET', path: '/v1/customers/{id}', auth: 'key', params: 'none' }
  },
  plans: {
    create: { method: 'POST', path: '/v1/plans', auth: 'key', params: 'body' },
    list: { method: 'GET', path: '/v1/plans', auth: 'key', params: 'query', list: true },
    retrieve: { method: 'GET', path: '/v1/plans/{id}', auth: 'key', params: 'none' },
    archive: { method: 'POST', path: '/v1/plans/{id}/archive', auth: 'key', params: 'none' }
  },
  settlements: {
    list: { method: 'GET', path: '/v1/settlements', auth: 'key', params: 'query', list: true },
    retrieve: { method: 'GET', path: '/v1/settlements/{id}', auth: 'key', params: 'none' },
    sync: { method: 'POST', path: '/v1/settlements/sync', auth: 'key', params: 'body' }
  },
  gst: {
    calculate: { method: 'POST', path: '/v1/gst/calculate', auth: 'key', params: 'body' },
    hsnLookup: { method: 'GET', path: '/v1/gst/hsn-lookup', auth: 'key', params: 'query', list: true },
    gstr1: { method: 'GET', path: '/v1/gst/gstr1', auth: 'key', params: 'query' },
    fileGstr1: { method: 'POST', path: '/v1/gst/gstr1/filed', auth: 'key', params: 'body' }
  },
  'gst.invoices': {
    create: { method: 'POST', path: '/v1/gst/invoices', auth: 'key', params: 'body' },
    list: { method: 'GET', path: '/v1/gst/invoices', auth: 'key', params: 'query', list: true },
    retrieve: { method: 'GET', path: '/v1/gst/invoices/{id}', auth: 'key', params: 'none' },
    einvoice: { method: 'GET', path: '/v1/gst/invoices/{id}', auth: 'key', params: 'none', query: { format: 'einvoice' } },
    pdf: { method: 'GET', path: '/v1/gst/invoices/{id}', auth: 'key', params: 'none', query: { format: 'pdf' }, binary: true },
    submitIrn: { method: 'POST', path: '/v1/gst/invoices/{id}/irn', auth: 'key', params: 'none' },
    cancelIrn: { method: 'POST', path: '/v1/gst/invoices/{id}/irn/cancel', auth: 'key', params: 'body' },
    correct: { method: 'POST', path: '/v1/gst/invoices/{id}/corrections', auth: 'key', params: 'body' }
  },
  'gst.settings': {
    retrieve: { method: 'GET', path: '/v1/gst/settings', auth: 'key', params: 'none' },
    update: { method: 'PUT', path: '/v1/gst/settings', auth: 'key', params: 'body' }
  },
  webhooks: {
    create: { method: 'POST', path: '/v1/webhooks', auth: 'key', params: 'body' },
    list: { method: 'GET', path: '/v1/webhooks', auth: 'key', params: 'query', list: true },
    del: { method: 'DELETE', path: '/v1/webhooks/{id}', auth: 'key', params: 'none' },
    test: { method: 'POST', path: '/v1/webhooks/{id}/test', auth: 'key', params: 'none' },
    rotateSecret: { method: 'POST', path: '/v1/webhooks/{id}/rotate-secret', auth: 'key', params: 'none' }
  },
  'webhooks.deliveries': {
    list: { method: 'GET', path: '/v1/webhooks/{id}/deliveries', auth: 'key', params: 'query', list: true },
    retrieve: { method: 'GET', path: '/v1/webhooks/{id}/deliveries/{delivery_id}', auth: 'key', params: 'none' },
    retry: { method: 'POST', path: '/v1/webhooks/{id}/deliveries/{delivery_id}/retry', auth: 'key', params: 'none' }
  },
  events: {
    list: { method: 'GET', path: '/v1/events', auth: 'key', params: 'query', list: true },
    retrieve: { method: 'GET', path: '/v1/events/{id}', auth: 'key', params: 'none' },
    types: { method: 'GET', path: '/v1/events/types', auth: 'key', params: 'none' }
  },
  jobs: {
    list: { method: 'GET', path: '/v1/jobs', auth: 'key', params: 'query', list: true },
    retrieve: { method: 'GET', path: '/v1/jobs/{id}', auth: 'key', params: 'none' }
  },
  keys: {
    create: { method: 'POST', path: '/v1/keys', auth: 'session', params: 'body' },
    list: { method: 'GET', path: '/v1/keys', auth: 'session', params: 'query', list: true },
    revoke: { method: 'DELETE', path: '/v1/keys/{id}', auth: 'session', params: 'none' }
  },
  merchant: {
    retrieve: { method: 'GET', path: '/v1/merchant', auth: 'key', params: 'none' }
  },
  'portal.sessions': {
    create: { method: 'POST', path: '/v1/portal/sessions', auth: 'key', params: 'body' }
  },
  auth: {
    signup: { method: 'POST', path: '/v1/auth/signup', auth: 'none', params: 'body' },
    login: { method: 'POST', path: '/v1/auth/login', auth: 'none', params: 'body' }
  }
}

// Routes the server serves that this client deliberately leaves out, and why.
// ENDPOINTS plus EXCLUDED should account for every route of the server.
const EXCLUDED = [
  { method: 'GET', path: '/healthz', auth: 'probe', why: 'liveness probe, not a merchant call' },
  { method: 'GET', path: '/readyz', auth: 'probe', why: 'readiness probe, not a merchant call' },
  { method: 'POST', path: '/v1/providers/{provider}/webhook', auth: 'provider signature', why: 'called by the payment provider' },
  { method: 'POST', path: '/v1/providers/{provider}/webhook/{merchant_id}/{mode}', auth: 'provider signature', why: 'called by the payment provider' },
  { method: 'POST', path: '/v1/admin/login', auth: 'none', why: "the installation's operators, not merchants" },
  { method: 'GET', path: '/v1/admin/merchants', auth: 'admin session', why: "the installation's operators, not merchants" },
  { method: 'POST', path: '/v1/admin/merchants/{id}/verify', auth: 'admin session', why: "the installation's operators, not merchants" },
  { method: 'GET', path: '/v1/portal/session', auth: 'portal session', why: "the buyer's browser, with a portal token" },
  { method: 'GET', path: '/v1/openapi.json', auth: 'none', why: 'the contract itself, read by tools (and by this test)' },
  { method: 'GET', path: '/docs', auth: 'none', why: 'the reference page, for people' }
]

// The table as rows: [{ resource, name, method, path, auth, params, list, query, binary }].
function endpointList () {
  const rows = []
  for (const [resource, methods] of Object.entries(ENDPOINTS)) {
    for (const [name, spec] of Object.entries(methods)) {
      rows.push({ resource, name, ...spec, list: Boolean(spec.list), binary: Boolean(spec.binary) })
    }
  }
  return rows
}

for (const methods of Object.values(ENDPOINTS)) {
  for (const spec of Object.values(methods)) {
    Object.freeze(spec)
    if (spec.query) Object.freeze(spec.query)
  }
  Object.freeze(methods)
}
Object.freeze(ENDPOINTS)
for (const row of EXCLUDED) Object.freeze(row)
Object.freeze(EXCLUDED)

module.exports = { ENDPOINTS, EXCLUDED, endpointList }
