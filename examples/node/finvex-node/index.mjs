// finvex-node, ES module entry point: `import finvex from 'finvex-node'`.
// The same objects as the CommonJS entry (one implementation, one set of error classes).
import finvex from './index.js'

export default finvex
export const {
  Finvex,
  VERSION,
  DEFAULT_BASE_URL,
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
  errors,
  webhooks,
  verifySignature,
  verifyTimestamped,
  ENDPOINTS,
  EXCLUDED,
  endpointList
} = finvex
