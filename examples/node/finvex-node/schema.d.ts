// Generated from the server's /v1/openapi.json by scripts/generate-schema-types.mjs.
// API version 2026-12-01. Do not edit: regenerate.

/** What the API shows of an account: never a secret. */
export type AccountView = {
  "created_at": number
  "entity": string
  "mode": Mode
  "provider": ProviderName
  /** Razorpay key id or Cashfree client id. */
  "public_id": string
  "updated_at": number
  /** Where this provider must send this merchant's webhooks (path on this server). */
  "webhook_path": string
}

/** A page of a list. */
export type AccountViewCollection = {
  "count": number
  "entity": string
  "items": Array<AccountView>
}

export type AdminLoginBody = {
  "email": string
  "password": string
}

/** An amount in minor units of some currency (paise for INR). Serialised as a
bare JSON integer: `"amount": 50000` is Rs 500.00. */
export type Amount = number

/** An API key as the API lists it: never the secret, only its last four characters. */
export type ApiKey = {
  /** Unix seconds. */
  "created_at": number
  "entity": string
  "id": ApiKeyId
  "mode": Mode
  "name": string
  "revoked_at"?: number | null
  "secret_last4": string
}

/** A page of a list. */
export type ApiKeyCollection = {
  "count": number
  "entity": string
  "items": Array<ApiKey>
}

/** A api key id: key_ and a ULID. */
export type ApiKeyId = string

export type Attempt = {
  "attempt_no": number
  "created_at": number
  "error"?: string | null
  "latency_ms": number
  "response_excerpt": string
  "status_code"?: number | null
}

/** What a browser (checkout.js, a hosted page) needs to open the provider's
checkout for one unpaid order, asked for with the publishable key. */
export type CheckoutSession = {
  "amount": Amount
  /** The provider's checkout parameters (its public key id and order id,
or its payment session id): nothing secret. */
  "checkout": unknown
  "currency": Currency
  "description"?: string | null
  "entity": string
  "mode": Mode
  "order_id": OrderId
  "provider": ProviderName
  "status": OrderStatus
}

export type CheckoutSessionBody = {
  "order_id": string
}

export type CreateBody = {
  /** Defaults to the session's mode (`X-Finvex-Mode`, default test). */
  "mode"?: Mode | null
  "name"?: string | null
}

export type CreateBody2 = {
  "description"?: string | null
  /** Event names, or `"*"` / `["*"]` (the default) for every event. */
  "events"?: Subscriptions | null
  "url": string
}

/** A new key: the only time its secret is shown. */
export type CreatedApiKey = {
  /** Unix seconds. */
  "created_at": number
  "entity": string
  "id": ApiKeyId
  "mode": Mode
  "name": string
  "revoked_at"?: number | null
  /** `finvex_test_KEYID:SECRET`, to put in the `X-Finvex-Key` header. */
  "secret_key": string
  "secret_last4": string
}

export type CreatedEndpoint = {
  "created_at": number
  "description": string
  "entity": string
  "events": Array<string>
  "id": WebhookEndpointId
  "mode": Mode
  /** Shown once: verify `X-Finvex-Signature` with it. */
  "secret": string
  /** `enabled`, `disabled` (failing for 3 days) or `deleted`. */
  "status": string
  "url": string
}

/** `POST /v1/orders`, the seed's body plus notes and an optional provider. */
export type CreateOrder = {
  "amount": number
  "currency"?: string | null
  "customer"?: CustomerDetails | null
  "description"?: string | null
  "notes"?: Record<string, string> | null
  /** Skip routing and use this provider. */
  "provider"?: ProviderName | null
  "receipt"?: string | null
}

export type CreatePortalSession = {
  "customer_email": string
}

export type CreateRefund = {
  /** Minor units; the whole unrefunded amount when absent. */
  "amount"?: number | null
  "notes"?: Record<string, string> | null
  "speed"?: RefundSpeed | null
}

/** What the merchant sends to connect an account (`PUT /v1/providers/:provider/credentials`). */
export type CredentialsInput = {
  /** Cashfree `x-client-id`. */
  "client_id"?: string | null
  /** Cashfree `x-client-secret` (also signs its webhooks). */
  "client_secret"?: string | null
  /** Razorpay `key_id` (`rzp_test_…` / `rzp_live_…`). */
  "key_id"?: string | null
  "key_secret"?: string | null
  /** Check the credentials with one authenticated call first (default true). */
  "verify"?: boolean | null
  /** Razorpay's webhook secret (set in its dashboard). */
  "webhook_secret"?: string | null
}

/** An ISO 4217 currency code, e.g. INR. */
export type Currency = string

export type CustomerDetails = {
  "email"?: string | null
  "name"?: string | null
  /** E.164, e.g. `+919876543210`. */
  "phone"?: string | null
}

export type Delivery = {
  "attempts": number
  "created_at": number
  "endpoint_id": WebhookEndpointId
  "entity": string
  "event": string
  "event_id": EventId
  "id": WebhookDeliveryId
  "last_error"?: string | null
  "last_latency_ms"?: number | null
  "last_status_code"?: number | null
  /** Unix milliseconds of the next try while pending. */
  "next_attempt_at_ms"?: number | null
  /** `pending`, `succeeded`, `failed` or `cancelled`. */
  "status": string
  "updated_at": number
}

/** A page of a list. */
export type DeliveryCollection = {
  "count": number
  "entity": string
  "items": Array<Delivery>
}

export type DeliveryWithAttempts = {
  "attempt_log": Array<Attempt>
  "attempts": number
  "created_at": number
  "endpoint_id": WebhookEndpointId
  "entity": string
  "event": string
  "event_id": EventId
  "id": WebhookDeliveryId
  "last_error"?: string | null
  "last_latency_ms"?: number | null
  "last_status_code"?: number | null
  /** Unix milliseconds of the next try while pending. */
  "next_attempt_at_ms"?: number | null
  /** `pending`, `succeeded`, `failed` or `cancelled`. */
  "status": string
  "updated_at": number
}

export type Email = string

export type Error = {
  "error": {
    /** Stable, machine-readable: invalid_request, unauthenticated, forbidden, not_found, conflict, idempotency_key_reused, idempotency_in_progress, payload_too_large, business_rule_violation, rate_limited, service_unavailable, internal_error */
    "code": string
    /** The request field at fault, when one is */
    "field": string | null
    "message": string
  }
}

/** The payload merchants receive, field for field: `event.event`, `event.data`. */
export type Event = {
  /** Unix seconds; inside the signed body so receivers can reject replays. */
  "created_at": number
  "data": unknown
  "event": string
  "id": EventId
  "mode": Mode
}

/** A page of a list. */
export type EventCollection = {
  "count": number
  "entity": string
  "items": Array<Event>
}

/** A event id: evt_ and a ULID. */
export type EventId = string

/** One row of `GET /v1/events/types`. */
export type EventTypeInfo = {
  "description": string
  "entity": string
  "type": string
}

/** A page of a list. */
export type EventTypeInfoCollection = {
  "count": number
  "entity": string
  "items": Array<EventTypeInfo>
}

/** A provider's price for a method: `percent_bps` (1 bp = 0.01 %) of the amount plus a fixed fee. */
export type FeeEntry = {
  "fixed_minor"?: number
  "method": MethodHint
  "percent_bps": number
  "provider": ProviderName
}

/** A job id: finvex_job_ and a ULID. */
export type JobId = string

/** A job as the API shows it to its tenant. */
export type JobView = {
  "attempts": number
  "created_at": number
  "entity": string
  "id": JobId
  "kind": string
  "last_error"?: string | null
  "max_attempts": number
  "progress_done": number
  "progress_total"?: number | null
  "run_at_ms": number
  /** `queued`, `running`, `succeeded` or `failed`. */
  "status": string
  "updated_at": number
}

/** A page of a list. */
export type JobViewCollection = {
  "count": number
  "entity": string
  "items": Array<JobView>
}

export type ListKeysQuery = {
  "count"?: number | null
  "from"?: number | null
  "mode"?: Mode | null
  "skip"?: number | null
  "to"?: number | null
}

/** Raw query parameters, as they arrive. */
export type ListQuery = {
  "count"?: number | null
  /** Unix seconds, inclusive. */
  "from"?: number | null
  "skip"?: number | null
  /** Unix seconds, inclusive. */
  "to"?: number | null
}

export type LoginBody = {
  "email": string
  "password": string
}

/** A merchant as the API shows it. */
export type Merchant = {
  /** Unix seconds. */
  "created_at": number
  "email": Email
  "entity": string
  "id": MerchantId
  /** Whether the installation's own provider accounts serve this
merchant's live payments (the operator allows it per merchant);
otherwise live payments need the merchant's own accounts. */
  "installation_accounts_live": boolean
  "name": string
  "role": Role
}

/** A page of a list. */
export type MerchantCollection = {
  "count": number
  "entity": string
  "items": Array<Merchant>
}

/** A merchant id: merchant_ and a ULID. */
export type MerchantId = string

export type MethodHint = "upi" | "card" | "netbanking" | "wallet" | "any"

export type Mode = "test" | "live"

export type Order = {
  "amount": Amount
  "amount_due": Amount
  "amount_paid": Amount
  /** What the browser needs to open the provider's checkout. */
  "checkout": unknown
  "created_at": number
  "currency": Currency
  "customer": CustomerDetails
  "description"?: string | null
  "entity": string
  "id": OrderId
  "mode": Mode
  "notes": Record<string, string>
  "provider": ProviderName
  "provider_order_id": string
  "receipt"?: string | null
  "routing": OrderRouting
  "status": OrderStatus
}

/** A page of a list. */
export type OrderCollection = {
  "count": number
  "entity": string
  "items": Array<Order>
}

/** A order id: finvex_ord_ and a ULID. */
export type OrderId = string

export type OrderRouting = {
  "attempts": Array<RoutingAttempt>
  "provider": ProviderName
  "reason": string
}

export type OrderStatus = "created" | "attempted" | "paid"

export type Payment = {
  "amount": Amount
  /** Refunds processed so far. */
  "amount_refunded": Amount
  "created_at": number
  "currency": Currency
  "entity": string
  "error_code"?: string | null
  "error_description"?: string | null
  /** Provider fee and GST on it, when known. */
  "fee"?: Amount | null
  "id": PaymentId
  "method"?: string | null
  "order_id": OrderId
  "provider": ProviderName
  "provider_payment_id": string
  "status": PaymentStatus
  "tax"?: Amount | null
  "updated_at": number
}

/** A page of a list. */
export type PaymentCollection = {
  "count": number
  "entity": string
  "items": Array<Payment>
}

/** A payment id: finvex_pay_ and a ULID. */
export type PaymentId = string

export type PaymentStatus = "created" | "pending" | "authorized" | "captured" | "partially_refunded" | "refunded" | "failed"

/** A new customer-portal session, handed by the merchant to its buyer. */
export type PortalSession = {
  "customer_email": Email
  "entity": string
  /** Unix seconds. */
  "expires_at": number
  "mode": Mode
  /** `Authorization: Bearer <token>` on the portal's endpoints. */
  "token": string
  "token_type": string
}

/** Who the portal's caller is. */
export type PortalSessionView = {
  "customer_email": string
  "entity": string
  "expires_at": number
  "merchant_id": string
  "mode": Mode
}

export type ProviderName = "razorpay" | "cashfree" | "sandbox"

export type Reconciliation = {
  /** Lines that add to the payout (payments), gross. */
  "credits": Amount
  /** Lines deducted (refunds, chargebacks, adjustments), gross. */
  "debits": Amount
  /** The amount paid out minus `expected_amount`. */
  "difference": Amount
  /** credits − debits − fees − tax. */
  "expected_amount": Amount
  "fees": Amount
  "matched_entries": number
  "status": ReconciliationStatus
  /** GST charged on the fees. */
  "tax": Amount
  "unmatched_entries": number
}

/** Whether a settlement adds up and every line is ours. */
export type ReconciliationStatus = "reconciled" | "amount_mismatch" | "unmatched_entries" | "no_entries"

export type Refund = {
  "amount": Amount
  "created_at": number
  "currency": Currency
  "entity": string
  "error"?: string | null
  "id": RefundId
  "notes": Record<string, string>
  "payment_id": PaymentId
  "provider_refund_id"?: string | null
  "speed": RefundSpeed
  "status": RefundStatus
  "updated_at": number
}

/** A page of a list. */
export type RefundCollection = {
  "count": number
  "entity": string
  "items": Array<Refund>
}

/** A refund id: finvex_rfnd_ and a ULID. */
export type RefundId = string

export type RefundSpeed = "normal" | "optimum"

export type RefundStatus = "pending" | "processed" | "failed"

/** What a merchant may do. Admin endpoints require `Admin`; storefront
features gated on verification require `VerifiedSeller` or `Admin`. */
export type Role = "merchant" | "verified_seller" | "admin"

export type RoutingAttempt = {
  "error"?: string | null
  "provider": ProviderName
  "provider_order_id"?: string | null
}

export type RoutingConfig = {
  "rules": Array<RoutingRule>
}

export type RoutingRule = {
  "min_amount": number
  "providers": Array<ProviderName>
  "type": "amount_threshold"
} | {
  "fees": Array<FeeEntry>
  "type": "lowest_cost"
} | {
  "type": "success_rate"
} | {
  "type": "volume_split"
  "weights": Array<Array<unknown>>
} | {
  "providers": Array<ProviderName>
  "type": "priority"
}

/** `GET /v1/sandbox/credentials`: what a test-mode integration verifies
sandbox checkout signatures with. */
export type SandboxCredentials = {
  "entity": string
  "key_id": string
  /** `signature = hex(HMAC-SHA256(provider_order_id + "|" + payment_id, key_secret))`. */
  "key_secret": string
}

export type SandboxPayBody = {
  "instrument": string
}

/** What the sandbox checkout hands the browser. */
export type SandboxPayResult = {
  "order_id": OrderId
  /** The provider's payment id, as a real checkout's handler receives it. */
  "payment_id": string
  "signature": string
  "status": PaymentStatus
}

export type Session = {
  /** Unix seconds. */
  "expires_at": number
  "token": string
  "token_type": string
}

export type Settlement = {
  /** Net amount paid to the bank. */
  "amount": Amount
  "created_at": number
  "currency": Currency
  "entity": string
  "entries": Array<SettlementEntry>
  /** The provider's fees in this settlement and the GST on them, as it reports them. */
  "fees": Amount
  "id": SettlementId
  "mode": Mode
  "provider": ProviderName
  "provider_settlement_id": string
  "reconciliation": Reconciliation
  /** When the provider created the settlement (unix seconds). */
  "settled_at": number
  /** The provider's own status (`processed`, `SUCCESS`, ...). */
  "status": string
  "tax": Amount
  "updated_at": number
  "utr"?: string | null
}

/** A page of a list. */
export type SettlementCollection = {
  "count": number
  "entity": string
  "items": Array<Settlement>
}

/** One line of a settlement, and what it is in our books. */
export type SettlementEntry = {
  /** Gross amount of the line, minor units, always positive. */
  "amount": Amount
  /** True when it adds to the payout. */
  "credit": boolean
  /** The provider's fee on the line and the GST on that fee. */
  "fee": Amount
  /** Whether the line is one of our payments or refunds. */
  "matched": boolean
  /** Our payment (payment lines, and refund lines via their payment). */
  "payment_id"?: PaymentId | null
  "provider_entity_id": string
  "provider_payment_id"?: string | null
  /** Our refund (refund lines). */
  "refund_id"?: RefundId | null
  "tax": Amount
  "type": SettlementEntryKind
}

/** What one line of a settlement is. */
export type SettlementEntryKind = "payment" | "refund" | "adjustment"

/** A settlement id: finvex_setl_ and a ULID. */
export type SettlementId = string

export type SettlementSyncReport = {
  "entity": string
  /** Providers that could not be asked (named with the reason). */
  "errors": Array<string>
  "from": number
  /** Installation-account settlements that carry other merchants' lines. */
  "skipped": number
  /** Settlements stored or refreshed. */
  "synced": number
  "to": number
}

export type SignedUp = {
  "merchant": Merchant
  "session": Session
}

export type SignupBody = {
  "email": string
  "name": string
  "password": string
}

export type Subscriptions = string | Array<string>

/** `POST /v1/settlements/sync`: unix seconds; defaults to the last 7 days. */
export type SyncRange = {
  "from"?: number | null
  "to"?: number | null
}

export type TestDelivery = {
  "delivery_id": WebhookDeliveryId
  "error"?: string | null
  "latency_ms": number
  "response_excerpt": string
  "status_code"?: number | null
  "success": boolean
}

export type VerifyBody = {
  /** Accepted so the checkout handler's whole response can be forwarded. */
  "order_id"?: string | null
  "payment_id": string
  "signature"?: string | null
}

export type VerifyBody2 = {
  /** Also let the installation's live provider accounts serve the merchant. */
  "installation_accounts"?: boolean
}

/** `POST /v1/orders/:id/verify` answers with the seed's `verified` flag. */
export type VerifyResult = {
  "order_id": OrderId
  "payment"?: Payment | null
  "reason"?: string | null
  "verified": boolean
}

/** A webhook delivery id: finvex_whd_ and a ULID. */
export type WebhookDeliveryId = string

export type WebhookEndpoint = {
  "created_at": number
  "description": string
  "entity": string
  "events": Array<string>
  "id": WebhookEndpointId
  "mode": Mode
  /** `enabled`, `disabled` (failing for 3 days) or `deleted`. */
  "status": string
  "url": string
}

/** A page of a list. */
export type WebhookEndpointCollection = {
  "count": number
  "entity": string
  "items": Array<WebhookEndpoint>
}

/** A webhook endpoint id: finvex_wh_ and a ULID. */
export type WebhookEndpointId = string
