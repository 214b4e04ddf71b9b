// Type definitions for finvex-node (hand-written from docs/API.md and the server's types).
// CommonJS: `const finvex = require('finvex-node')(key, options)`;
// ES modules: `import finvex from 'finvex-node'`.

/// <reference types="node" />

declare function finvex(key?: string | null, options?: finvex.FinvexOptions): finvex.Finvex
declare function finvex(options: finvex.FinvexOptions & { key?: string | null }): finvex.Finvex

declare namespace finvex {
  // ------------------------------------------------------------------ client

  type Mode = 'test' | 'live'

  interface FinvexOptions {
    /** Default `process.env.FINVEX_BASE_URL`, else `https://finvexpay.com`. */
    baseUrl?: string
    /** Per attempt, including reading the body. Default 30000. */
    timeoutMs?: number
    /** Retries of retry-safe requests. Default 2, at most 10. */
    maxRetries?: number
    /** A dashboard session (`Authorization: Bearer`) instead of an API key. */
    sessionToken?: string
    /** With `sessionToken`: `X-Finvex-Mode` (the server's default is test). */
    mode?: Mode
    /** Headers sent with every request. */
    headers?: Record<string, string>
    /** A fetch implementation (default: Node's global fetch). */
    fetch?: typeof globalThis.fetch
  }

  /** The last argument of every API method. */
  interface RequestOptions {
    /** Sent as `Idempotency-Key` (POSTs get a random one when absent). */
    idempotencyKey?: string
    timeoutMs?: number
    maxRetries?: number
    headers?: Record<string, string>
    signal?: AbortSignal
    /** Sent as `X-Request-Id` (the server keeps a sane one). */
    requestId?: string
  }

  interface PaginateOptions extends RequestOptions {
    /** Stop after this many items. */
    limit?: number
    /** Stop after this many pages (default 1000). */
    maxPages?: number
  }

  /** Non-enumerable on every object a method resolves with. */
  interface LastResponse {
    status: number
    headers: Record<string, string>
    requestId: string | null
    idempotencyKey: string | null
    idempotentReplayed: boolean
  }

  type WithResponse<T> = T & { readonly lastResponse: LastResponse }

  interface ListParams {
    /** 1-100 (default 10 on the server). */
    count?: number
    /** At most 100000. */
    skip?: number
    /** Unix seconds, inclusive. */
    from?: number
    /** Unix seconds, inclusive. */
    to?: number
  }

  interface Collection<T> {
    entity: 'collection'
    count: number
    items: T[]
  }

  interface AutoPaginator<T> extends AsyncGenerator<T, void, undefined> {
    toArray(): Promise<T[]>
  }

  /** A list method: call it for one page, or `.iterate()` for every item. */
  interface ListMethod<T, P extends ListParams = ListParams> {
    (params?: P, options?: RequestOptions): Promise<WithResponse<Collection<T>>>
    iterate(params?: P, options?: PaginateOptions): AutoPaginator<T>
  }

  interface ScopedListMethod<T, P extends ListParams = ListParams> {
    (id: string, params?: P, options?: RequestOptions): Promise<WithResponse<Collection<T>>>
    iterate(id: string, params?: P, options?: PaginateOptions): AutoPaginator<T>
  }

  type Resolved<T> = Promise<WithResponse<T>>

  class Finvex {
    constructor(key?: string | null, options?: FinvexOptions)
    readonly key: string | null
    readonly sessionToken: string | null
    readonly mode: Mode | null
    readonly baseUrl: string
    readonly timeoutMs: number
    readonly maxRetries: number

    /** A client with the same options, authenticated by a dashboard session token. */
    withSession(sessionToken: string, options?: { mode?: Mode }): Finvex

    /** A raw request (what every method calls). */
    request<T = unknown>(spec: {
      method: 'GET' | 'POST' | 'PUT' | 'DELETE'
      path: string
      query?: Record<string, string | number | boolean | undefined | null>
      body?: unknown
      auth?: EndpointAuth
    } & RequestOptions): Promise<T>

    orders: OrdersResource
    payments: PaymentsResource
    refunds: RefundsResource
    sandbox: SandboxResource
    checkout: { sessions: CheckoutSessionsResource }
    routing: RoutingResource
    providers: ProvidersResource
    settlements: SettlementsResource
    customers: CustomersResource
    plans: PlansResource
    gst: GstResource
    webhooks: WebhooksResource
    events: EventsResource
    jobs: JobsResource
    keys: KeysResource
    merchant: MerchantResource
    portal: { sessions: PortalSessionsResource }
    auth: AuthResource
  }

  // ------------------------------------------------------------------ resources

  interface OrdersResource {
    create(body: CreateOrderParams, options?: RequestOptions): Resolved<Order>
    list: ListMethod<Order>
    autoPaginate(params?: ListParams, options?: PaginateOptions): AutoPaginator<Order>
    retrieve(id: string, options?: RequestOptions): Resolved<Order>
    verify(id: string, body: VerifyParams, options?: RequestOptions): Resolved<VerifyResult>
  }

  interface PaymentsResource {
    list: ListMethod<Payment>
    autoPaginate(params?: ListParams, options?: PaginateOptions): AutoPaginator<Payment>
    retrieve(id: string, options?: RequestOptions): Resolved<Payment>
    capture(id: string, options?: RequestOptions): Resolved<Payment>
    /** An empty body refunds the whole remaining amount. */
    refund(id: string, body?: CreateRefundParams, options?: RequestOptions): Resolved<Refund>
  }

  interface RefundsResource {
    list: ListMethod<Refund>
    autoPaginate(params?: ListParams, options?: PaginateOptions): AutoPaginator<Refund>
    retrieve(id: string, options?: RequestOptions): Resolved<Refund>
  }

  interface SandboxResource {
    /** Test mode: plays the customer at the sandbox checkout. */
    pay(orderId: string, body: { instrument: string }, options?: RequestOptions): Resolved<SandboxPayResult>
    credentials(options?: RequestOptions): Resolved<SandboxCredentials>
  }

  interface CheckoutSessionsResource {
    /** Works with a publishable key (`finvex_test_KEYID`). */
    create(body: { order_id: string }, options?: RequestOptions): Resolved<CheckoutSession>
  }

  interface RoutingResource {
    retrieveRules(options?: RequestOptions): Resolved<RoutingConfig>
    updateRules(body: RoutingConfig, options?: RequestOptions): Resolved<RoutingConfig>
  }

  interface ProvidersResource {
    listCredentials(options?: RequestOptions): Resolved<Collection<ProviderAccount>>
    /** Dashboard session only. */
    setCredentials(provider: 'razorpay', body: RazorpayCredentials, options?: RequestOptions): Resolved<ProviderAccount>
    setCredentials(provider: 'cashfree', body: CashfreeCredentials, options?: RequestOptions): Resolved<ProviderAccount>
    setCredentials(provider: string, body: RazorpayCredentials | CashfreeCredentials, options?: RequestOptions): Resolved<ProviderAccount>
    /** Dashboard session only. Resolves with null (204). */
    deleteCredentials(provider: RealProvider | string, options?: RequestOptions): Promise<null>
  }

  type Customer = import('./schema').Customer

  interface CustomersResource {
    /** An email or a phone number is required; each is unique in the mode (409 naming the field). */
    create(body: import('./schema').NewCustomer, options?: RequestOptions): Resolved<Customer>
    /** `email` or `phone` finds one customer. */
    list: ListMethod<Customer, ListParams & { email?: string, phone?: string }>
    autoPaginate(params?: ListParams & { email?: string, phone?: string }, options?: PaginateOptions): AutoPaginator<Customer>
    retrieve(id: string, options?: RequestOptions): Resolved<Customer>
  }

  type Plan = import('./schema').Plan

  interface PlansResource {
    /** `{ name, amount, interval }` at least; a plan never changes once made. */
    create(body: import('./schema').NewPlan, options?: RequestOptions): Resolved<Plan>
    list: ListMethod<Plan, ListParams & { status?: 'active' | 'archived' }>
    autoPaginate(params?: ListParams & { status?: 'active' | 'archived' }, options?: PaginateOptions): AutoPaginator<Plan>
    retrieve(id: string, options?: RequestOptions): Resolved<Plan>
    /** No new subscribers; archiving again answers the plan unchanged. */
    archive(id: string, options?: RequestOptions): Resolved<Plan>
  }

  interface SettlementsResource {
    list: ListMethod<Settlement>
    autoPaginate(params?: ListParams, options?: PaginateOptions): AutoPaginator<Settlement>
    retrieve(id: string, options?: RequestOptions): Resolved<Settlement>
    sync(body?: { from?: number, to?: number }, options?: RequestOptions): Resolved<SettlementSyncReport>
  }

  interface GstResource {
    calculate(body: GstCalculateParams, options?: RequestOptions): Resolved<GstCalculation>
    hsnLookup: {
      (params: HsnLookupParams, options?: RequestOptions): Resolved<HsnPage>
      iterate(params: HsnLookupParams, options?: PaginateOptions): AutoPaginator<HsnItem>
    }
    /** `format: 'csv'` resolves with the CSV text. */
    gstr1(params: { month: string, gstin?: string, format: 'csv' }, options?: RequestOptions): Promise<string>
    gstr1(params: { month: string, gstin?: string, format?: 'json' }, options?: RequestOptions): Resolved<Gstr1>
    /** Marks a month filed (once it is over) and answers its GSTR-1 as filed; 409 when already filed. */
    fileGstr1(body: import('./schema').FileGstr1, options?: RequestOptions): Resolved<import('./schema').Gstr1Filing>
    invoices: GstInvoicesResource
    settings: GstSettingsResource
  }

  interface GstInvoicesResource {
    create(body: CreateGstInvoiceParams, options?: RequestOptions): Resolved<GstInvoice>
    list: ListMethod<GstInvoice>
    autoPaginate(params?: ListParams, options?: PaginateOptions): AutoPaginator<GstInvoice>
    retrieve(id: string, options?: RequestOptions): Resolved<GstInvoice>
    /** The validated INV-01 e-invoice payload (422 for B2C or when the IRP would refuse it). */
    einvoice(id: string, options?: RequestOptions): Resolved<EInvoice>
    /** The printable tax invoice or credit note (`?format=pdf`): the PDF's bytes. */
    pdf(id: string, options?: RequestOptions): Resolved<Buffer>
    /** Registers the invoice on the IRP (test mode: the labelled fake). */
    submitIrn(id: string, options?: RequestOptions): Resolved<GstInvoice>
    cancelIrn(id: string, body: { reason: IrnCancelReason, remark: string }, options?: RequestOptions): Resolved<GstInvoice>
    /** Corrects the named fields: in place while its month is open, else an amendment reported this month. */
    correct(id: string, body: import('./schema').CorrectInvoice, options?: RequestOptions): Resolved<import('./schema').GstCorrection>
  }

  interface GstSettingsResource {
    retrieve(options?: RequestOptions): Resolved<GstSettings>
    /** Replaces them: absent fields take their defaults. */
    update(body: GstSettingsParams, options?: RequestOptions): Resolved<GstSettings>
  }

  interface WebhooksResource {
    create(body: CreateWebhookParams, options?: RequestOptions): Resolved<CreatedWebhookEndpoint>
    list: ListMethod<WebhookEndpoint>
    autoPaginate(params?: ListParams, options?: PaginateOptions): AutoPaginator<WebhookEndpoint>
    del(id: string, options?: RequestOptions): Resolved<WebhookEndpoint>
    test(id: string, options?: RequestOptions): Resolved<TestDelivery>
    rotateSecret(id: string, options?: RequestOptions): Resolved<CreatedWebhookEndpoint>
    deliveries: WebhookDeliveriesResource
    verifySignature: typeof verifySignature
    verifyTimestamped: typeof verifyTimestamped
    constructEvent: typeof constructEvent
  }

  interface WebhookDeliveriesResource {
    list: ScopedListMethod<WebhookDelivery>
    autoPaginate(endpointId: string, params?: ListParams, options?: PaginateOptions): AutoPaginator<WebhookDelivery>
    retrieve(endpointId: string, deliveryId: string, options?: RequestOptions): Resolved<WebhookDeliveryWithAttempts>
    retry(endpointId: string, deliveryId: string, options?: RequestOptions): Resolved<WebhookDelivery>
  }

  interface EventsResource {
    list: ListMethod<Event>
    autoPaginate(params?: ListParams, options?: PaginateOptions): AutoPaginator<Event>
    retrieve(id: string, options?: RequestOptions): Resolved<Event>
    types(options?: RequestOptions): Resolved<Collection<EventType>>
  }

  interface JobsResource {
    list: ListMethod<Job>
    autoPaginate(params?: ListParams, options?: PaginateOptions): AutoPaginator<Job>
    retrieve(id: string, options?: RequestOptions): Resolved<Job>
  }

  /** Dashboard session only. */
  interface KeysResource {
    create(body?: { mode?: Mode, name?: string }, options?: RequestOptions): Resolved<CreatedApiKey>
    list: ListMethod<ApiKey, ListParams & { mode?: Mode }>
    autoPaginate(params?: ListParams & { mode?: Mode }, options?: PaginateOptions): AutoPaginator<ApiKey>
    revoke(id: string, options?: RequestOptions): Resolved<ApiKey>
  }

  interface MerchantResource {
    retrieve(options?: RequestOptions): Resolved<Merchant>
  }

  interface PortalSessionsResource {
    create(body: { customer_email: string }, options?: RequestOptions): Resolved<PortalSession>
  }

  /** No credentials needed (and none are sent). Never retried. */
  interface AuthResource {
    signup(body: { name: string, email: string, password: string }, options?: RequestOptions): Resolved<SignedUp>
    login(body: { email: string, password: string }, options?: RequestOptions): Resolved<Session>
  }

  // ------------------------------------------------------------------ objects

  type Provider = 'razorpay' | 'cashfree' | 'sandbox'
  type RealProvider = 'razorpay' | 'cashfree'
  type OrderStatus = 'created' | 'attempted' | 'paid'
  type PaymentStatus = 'created' | 'pending' | 'authorized' | 'captured' | 'partially_refunded' | 'refunded' | 'failed'
  type RefundStatus = 'pending' | 'processed' | 'failed'
  type RefundSpeed = 'normal' | 'optimum'

  interface Customer {
    name?: string | null
    email?: string | null
    phone?: string | null
  }

  interface CreateOrderParams {
    /** Minor units (paise), at least one major unit. */
    amount: number
    /** Default INR. */
    currency?: string
    /** At most 40 characters. */
    receipt?: string
    description?: string
    customer?: Customer
    /** At most 15 entries. */
    notes?: Record<string, string>
    provider?: Provider
  }

  interface RoutingAttempt {
    provider: Provider
    provider_order_id: string | null
    error: string | null
  }

  interface Order {
    id: string
    entity: 'order'
    amount: number
    currency: string
    amount_paid: number
    amount_due: number
    receipt: string | null
    description: string | null
    customer: { name: string | null, email: string | null, phone: string | null }
    notes: Record<string, string>
    status: OrderStatus
    mode: Mode
    provider: Provider
    provider_order_id: string
    routing: { provider: Provider, reason: string, attempts: RoutingAttempt[] }
    /** What the browser needs to open the provider's checkout. */
    checkout: Record<string, unknown>
    created_at: number
  }

  interface VerifyParams {
    payment_id: string
    /** Not needed for Cashfree. */
    signature?: string
    /** Accepted so the checkout handler's whole response can be forwarded. */
    order_id?: string
  }

  interface VerifyResult {
    verified: boolean
    order_id: string
    payment: Payment | null
    reason: string | null
  }

  interface Payment {
    id: string
    entity: 'payment'
    order_id: string
    amount: number
    currency: string
    status: PaymentStatus
    method: string | null
    provider: Provider
    provider_payment_id: string
    amount_refunded: number
    error_code: string | null
    error_description: string | null
    fee: number | null
    tax: number | null
    created_at: number
    updated_at: number
  }

  interface CreateRefundParams {
    amount?: number
    speed?: RefundSpeed
    notes?: Record<string, string>
  }

  interface Refund {
    id: string
    entity: 'refund'
    payment_id: string
    amount: number
    currency: string
    status: RefundStatus
    speed: RefundSpeed
    notes: Record<string, string>
    provider_refund_id: string | null
    error: string | null
    created_at: number
    updated_at: number
  }

  interface SandboxPayResult {
    order_id: string
    /** The provider's payment id (pass it to `orders.verify`). */
    payment_id: string
    signature: string
    status: PaymentStatus
  }

  interface SandboxCredentials {
    entity: 'sandbox_credentials'
    key_id: string
    key_secret: string
  }

  interface CheckoutSession {
    entity: 'checkout_session'
    order_id: string
    mode: Mode
    amount: number
    currency: string
    status: OrderStatus
    provider: Provider
    checkout: Record<string, unknown>
    description: string | null
  }

  type RoutingRule =
    | { type: 'amount_threshold', min_amount: number, providers: Provider[] }
    | { type: 'lowest_cost', fees: Array<{ provider: Provider, method: string, percent_bps: number, fixed_minor: number }> }
    | { type: 'success_rate' }
    | { type: 'volume_split', weights: Array<[Provider, number]> }
    | { type: 'priority', providers: Provider[] }

  interface RoutingConfig {
    rules: RoutingRule[]
  }

  interface RazorpayCredentials {
    key_id: string
    key_secret: string
    webhook_secret: string
    /** `false` skips the check against Razorpay. */
    verify?: boolean
  }

  interface CashfreeCredentials {
    client_id: string
    client_secret: string
    verify?: boolean
  }

  interface ProviderAccount {
    entity: string
    provider: RealProvider
    mode: Mode
    public_id: string
    /** Set it as the webhook URL in the provider's dashboard. */
    webhook_path: string
    created_at: number
    updated_at: number
  }

  interface SettlementEntry {
    type: 'payment' | 'refund' | 'adjustment'
    provider_entity_id: string
    provider_payment_id: string | null
    payment_id: string | null
    refund_id: string | null
    amount: number
    credit: boolean
    fee: number
    tax: number
    matched: boolean
  }

  interface Reconciliation {
    status: 'reconciled' | 'amount_mismatch' | 'unmatched_entries' | 'no_entries'
    credits: number
    debits: number
    fees: number
    tax: number
    expected_amount: number
    difference: number
    matched_entries: number
    unmatched_entries: number
  }

  interface Settlement {
    id: string
    entity: 'settlement'
    mode: Mode
    provider: RealProvider
    provider_settlement_id: string
    amount: number
    currency: string
    fees: number
    /** GST on the fees. */
    tax: number
    utr: string | null
    status: string
    settled_at: number
    reconciliation: Reconciliation
    entries: SettlementEntry[]
    created_at: number
    updated_at: number
  }

  interface SettlementSyncReport {
    entity: 'settlement_sync'
    from: number
    to: number
    synced: number
    skipped: number
    errors: string[]
  }

  // GST

  interface GstParty {
    legal_name: string
    trade_name?: string
    address1: string
    address2?: string
    location: string
    pin?: number
    state?: string
    phone?: string
    email?: string
  }

  interface GstLineParams {
    amount?: number
    unit_price?: number
    hsn_code?: string
    quantity?: number
    discount?: number
    rate?: number
    cess_rate?: number
  }

  interface GstCalculateParams {
    amount?: number
    hsn_code?: string
    seller_state?: string
    seller_gstin?: string
    buyer_state?: string
    buyer_gstin?: string
    rate?: number
    quantity?: number
    discount?: number
    cess_rate?: number
    tax_inclusive?: boolean
    place_of_supply?: string
    supply_type?: string
    reverse_charge?: boolean
    round_to_rupee?: boolean
    date?: string
    lines?: GstLineParams[]
  }

  interface GstLineBreakup {
    index: number
    hsn_code?: string
    quantity: number
    gross_paise: number
    discount_paise: number
    taxable_paise: number
    rate: number
    cgst_rate: number
    sgst_rate: number
    utgst_rate: number
    igst_rate: number
    cess_rate: number
    cgst_paise: number
    sgst_paise: number
    utgst_paise: number
    igst_paise: number
    cess_paise: number
    tax_paise: number
    total_paise: number
  }

  interface GstBreakup {
    rule: string
    supply_type: string
    seller_state: string
    place_of_supply: string
    reverse_charge: boolean
    tax_payable_by: string
    prices_include_tax: boolean
    lines: GstLineBreakup[]
    taxable_paise: number
    cgst_paise: number
    sgst_paise: number
    utgst_paise: number
    igst_paise: number
    cess_paise: number
    tax_paise: number
    total_before_round_off_paise: number
    round_off_paise: number
    total_paise: number
    amount_due_paise: number
  }

  type RateSource = 'request' | 'merchant_default' | 'mixed' | 'original_invoice'

  interface GstCalculation extends GstBreakup {
    entity: 'gst_calculation'
    rate_source: RateSource
  }

  interface HsnLookupParams {
    q: string
    count?: number
    skip?: number
  }

  interface HsnItem {
    code: string
    description: string
    kind: 'goods' | 'service' | string
  }

  interface HsnPage {
    entity: string
    count: number
    total: number
    items: HsnItem[]
  }

  interface GstInvoiceLineParams {
    hsn_code: string
    unit_price: number
    quantity?: number
    unit?: string
    discount?: number
    rate?: number
    cess_rate?: number
  }

  type CreateGstInvoiceParams =
    | {
      type?: 'invoice' | 'credit_note'
      seller_gstin: string
      seller?: GstParty
      buyer_gstin?: string
      buyer_state?: string
      buyer?: GstParty
      lines: GstInvoiceLineParams[]
      date?: string
      /** Credit notes. */
      original_invoice_id?: string
    }
    | {
      /** The invoice of a paid order (or its payment). */
      order_id?: string
      payment_id?: string
      hsn_code?: string
      rate?: number
      description?: string
      buyer_gstin?: string
      buyer_state?: string
      buyer?: GstParty
      seller_gstin?: string
      date?: string
    }
    | {
      /** The credit note of a processed refund. */
      type: 'credit_note'
      refund_id: string
    }

  type IrnCancelReason = 'duplicate' | 'data_entry_mistake' | 'order_cancelled' | 'others'

  interface IrpRecord {
    irn: string
    ack_no: string | number
    ack_dt: string
    signed_invoice: string
    signed_qr_code: string
    /** `FINVEX-FAKE-IRP (not NIC)` in test mode. */
    issuer: string
    generated_at: number
    cancelled_at: number | null
    cancel_reason: IrnCancelReason | null
  }

  interface GstInvoice {
    id: string
    entity: 'gst_invoice'
    type: 'invoice' | 'credit_note'
    mode: Mode
    /** `FX2627-000001` / `CN2627-000001`. */
    number: string
    financial_year: string
    sequence: number
    /** YYYY-MM-DD. */
    date: string
    seller_gstin: string
    buyer_gstin: string | null
    supply_type: string
    place_of_supply: string
    original_invoice_id: string | null
    order_id: string | null
    refund_id: string | null
    rate_source: RateSource | null
    taxable_paise: number
    tax_paise: number
    total_paise: number
    credited_taxable_paise: number
    credited_total_paise: number
    irn: string | null
    irp_status: 'not_submitted' | 'not_applicable' | 'generated' | 'cancelled' | string
    irp: IrpRecord | null
    status: string
    breakup: GstBreakup
    created_at: number
  }

  /** The NIC INV-01 schema (PascalCase keys). */
  interface EInvoice {
    Version: string
    TranDtls: Record<string, unknown>
    DocDtls: { Typ: string, No: string, Dt: string }
    SellerDtls: Record<string, unknown>
    BuyerDtls: Record<string, unknown>
    ItemList: Array<Record<string, unknown>>
    ValDtls: Record<string, unknown>
    [key: string]: unknown
  }

  /** GSTR-1 JSON (amounts in rupees, 2 decimals), as the GST portal takes it. */
  interface Gstr1 {
    gstin: string
    /** MMYYYY. */
    fp: string
    [section: string]: unknown
  }

  interface GstSettingsParams {
    /** Percent, a GST slab (default 18). */
    default_rate?: number
    seller_gstin?: string
    seller?: GstParty
    default_hsn_code?: string
  }

  interface GstSettings {
    entity: 'gst_settings'
    mode: Mode
    default_rate: number
    seller_gstin: string | null
    seller: GstParty | null
    default_hsn_code: string | null
    updated_at: number | null
  }

  // Webhooks and events

  interface CreateWebhookParams {
    url: string
    /** Names from `events.types()`, or `'*'` (the default) for every event. */
    events?: string[] | '*'
    description?: string
  }

  interface WebhookEndpoint {
    id: string
    entity: 'webhook_endpoint'
    url: string
    description: string
    events: string[]
    status: 'enabled' | 'disabled' | 'deleted'
    mode: Mode
    created_at: number
  }

  interface CreatedWebhookEndpoint extends WebhookEndpoint {
    /** `whsec_...`, shown once. */
    secret: string
  }

  interface TestDelivery {
    delivery_id: string
    success: boolean
    status_code: number | null
    latency_ms: number
    response_excerpt: string
    error: string | null
  }

  interface WebhookDelivery {
    id: string
    entity: 'webhook_delivery'
    endpoint_id: string
    event_id: string
    event: string
    status: 'pending' | 'succeeded' | 'failed' | 'cancelled'
    attempts: number
    next_attempt_at_ms: number | null
    last_status_code: number | null
    last_error: string | null
    last_latency_ms: number | null
    created_at: number
    updated_at: number
  }

  interface WebhookAttempt {
    attempt_no: number
    status_code: number | null
    error: string | null
    latency_ms: number
    response_excerpt: string
    created_at: number
  }

  interface WebhookDeliveryWithAttempts extends WebhookDelivery {
    attempt_log: WebhookAttempt[]
  }

  /** What a webhook delivery's body is, and what `events.*` return. */
  interface Event<T = Record<string, unknown>> {
    id: string
    /** e.g. `order.created`, `payment.captured`. */
    event: string
    created_at: number
    mode: Mode
    data: T
  }

  interface EventType {
    entity: 'event_type'
    type: string
    description: string
  }

  interface Job {
    id: string
    entity: 'job'
    kind: string
    status: 'queued' | 'running' | 'succeeded' | 'failed'
    attempts: number
    max_attempts: number
    progress_done: number
    progress_total: number | null
    last_error: string | null
    run_at_ms: number
    created_at: number
    updated_at: number
  }

  // Merchant, keys, sessions

  interface Merchant {
    id: string
    entity: 'merchant'
    name: string
    email: string
    role: 'merchant' | 'verified_seller' | 'admin'
    installation_accounts_live: boolean
    created_at: number
  }

  interface ApiKey {
    id: string
    entity: 'api_key'
    mode: Mode
    name: string
    secret_last4: string
    created_at: number
    revoked_at: number | null
  }

  interface CreatedApiKey extends ApiKey {
    /** `finvex_test_KEYID:SECRET`, shown once. */
    secret_key: string
  }

  interface Session {
    token: string
    token_type: 'Bearer'
    expires_at: number
  }

  interface SignedUp {
    merchant: Merchant
    session: Session
  }

  interface PortalSession {
    entity: 'portal_session'
    token: string
    token_type: 'Bearer'
    customer_email: string
    mode: Mode
    expires_at: number
  }

  // ------------------------------------------------------------------ errors

  class FinvexError extends Error {
    /** HTTP status; null for a ConnectionError. */
    readonly status: number | null
    /** `invalid_request`, `not_found`, `idempotency_key_reused`, `timeout`, ... */
    readonly code: string | null
    /** The request field at fault, when the server names one. */
    readonly field: string | null
    /** The response's `X-Request-Id`. */
    readonly requestId: string | null
    /** The decoded error body. */
    readonly body: unknown
    /** The response headers (lower-case names). */
    readonly headers: Record<string, string> | null
    /** The Idempotency-Key the request carried, if any. */
    readonly idempotencyKey?: string | null
  }
  class InvalidRequestError extends FinvexError {}
  class AuthenticationError extends FinvexError {}
  class PermissionError extends FinvexError {}
  class NotFoundError extends FinvexError {}
  class ConflictError extends FinvexError {}
  class BusinessRuleError extends FinvexError {}
  class RateLimitError extends FinvexError {
    /** Seconds, from `Retry-After`. */
    readonly retryAfter: number | null
  }
  class APIError extends FinvexError {}
  class ConnectionError extends FinvexError {
    readonly status: null
    readonly code: 'connection_error' | 'timeout' | 'aborted'
  }
  class SignatureVerificationError extends FinvexError {}

  const errors: {
    FinvexError: typeof FinvexError
    InvalidRequestError: typeof InvalidRequestError
    AuthenticationError: typeof AuthenticationError
    PermissionError: typeof PermissionError
    NotFoundError: typeof NotFoundError
    ConflictError: typeof ConflictError
    BusinessRuleError: typeof BusinessRuleError
    RateLimitError: typeof RateLimitError
    APIError: typeof APIError
    ConnectionError: typeof ConnectionError
    SignatureVerificationError: typeof SignatureVerificationError
  }

  // ------------------------------------------------------------------ webhook verification

  type RawBody = string | Buffer | Uint8Array | ArrayBuffer
  type HeaderValue = string | string[] | undefined | null

  /** `X-Finvex-Signature: sha256=<hex HMAC-SHA256(body, secret)>`; constant-time. */
  function verifySignature(rawBody: RawBody, header: HeaderValue, secret: string | string[]): boolean
  /**
   * `Finvex-Signature: t=<unix secs>,v1=<hex HMAC-SHA256("<t>.<body>")>[,v1=...]`; constant-time,
   * and `t` within `toleranceSecs` (default 300) of `now` (unix seconds, default the clock).
   */
  function verifyTimestamped(rawBody: RawBody, header: HeaderValue, secret: string | string[], options?: { toleranceSecs?: number, now?: number }): boolean
  /** Verifies (the timestamped signature when present) and parses; throws SignatureVerificationError. */
  function constructEvent<T = Record<string, unknown>>(
    rawBody: RawBody,
    headers: Record<string, HeaderValue> | { get(name: string): string | null, forEach(cb: (value: string, key: string) => void): void },
    secret: string | string[],
    options?: { toleranceSecs?: number, now?: number }
  ): Event<T>

  const webhooks: {
    verifySignature: typeof verifySignature
    verifyTimestamped: typeof verifyTimestamped
    constructEvent: typeof constructEvent
    /** Signs a body as the server does (to test your receiver). */
    sign(rawBody: RawBody, secret: string, options?: { timestamp?: number }): { 'x-finvex-signature': string, 'finvex-signature': string }
  }

  // ------------------------------------------------------------------ the resource table

  type EndpointAuth = 'none' | 'key' | 'session' | 'publishable'

  interface Endpoint {
    method: 'GET' | 'POST' | 'PUT' | 'DELETE'
    /** With `{param}` placeholders. */
    path: string
    auth: EndpointAuth
    params: 'body' | 'query' | 'none'
    list?: boolean
    query?: Record<string, string>
  }

  interface EndpointRow extends Endpoint {
    resource: string
    name: string
    list: boolean
  }

  /** resource (dotted, e.g. `gst.invoices`) -> method name -> endpoint. */
  const ENDPOINTS: Readonly<Record<string, Readonly<Record<string, Readonly<Endpoint>>>>>
  /** The server's routes this client leaves out on purpose, and why. */
  const EXCLUDED: ReadonlyArray<Readonly<{ method: string, path: string, auth: string, why: string }>>
  function endpointList(): EndpointRow[]

  const VERSION: string
  const DEFAULT_BASE_URL: string
}

export = finvex
