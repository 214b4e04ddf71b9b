'use strict'

// finvex-node: the Node.js client of the Finvex API (CommonJS entry point).
//
//   const finvex = require('finvex-node')('finvex_test_KEYID:SECRET', { baseUrl: 'http://127.0.0.1:8080' })
//   const order = await finvex.orders.create({ amount: 50000, currency: 'INR', description: 'Pro Plan' })

const { Finvex, VERSION, DEFAULT_BASE_URL } = require('./lib/client')
const errors = require('./lib/errors')
const webhooks = require('./lib/webhooks')
const resources = require('./lib/resources')

/**
 * `finvex(key?, options?)` or `finvex({ sessionToken, ... })`: a new client.
 */
function finvex (key, options) {
  return new Finvex(key, options)
}

Object.assign(finvex, {
  Finvex,
  VERSION,
  DEFAULT_BASE_URL,
  FinvexError: errors.FinvexError,
  InvalidRequestError: errors.InvalidRequestError,
  AuthenticationError: errors.AuthenticationError,
  PermissionError: errors.PermissionError,
  NotFoundError: errors.NotFoundError,
  ConflictError: errors.ConflictError,
  BusinessRuleError: errors.BusinessRuleError,
  RateLimitError: errors.RateLimitError,
  APIError: errors.APIError,
  ConnectionError: errors.ConnectionError,
  SignatureVerificationError: errors.SignatureVerificationError,
  errors,
  // Webhook checks need no client: require('finvex-node').webhooks.verifySignature(...)
  webhooks: {
    verifySignature: webhooks.verifySignature,
    verifyTimestamped: webhooks.verifyTimestamped,
    constructEvent: webhooks.constructEvent,
    sign: webhooks.sign
  },
  verifySignature: webhooks.verifySignature,
  verifyTimestamped: webhooks.verifyTimestamped,
  ENDPOINTS: resources.ENDPOINTS,
  EXCLUDED: resources.EXCLUDED,
  endpointList: resources.endpointList
})
finvex.default = finvex

module.exports = finvex
