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

/** A GST amendment id: finvex_gstam_ and a ULID. */
export type AmendmentId = string

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

export type B2baEntry = {
  /** The buyer GSTIN as revised. */
  "ctin": string
  "inv": Array<B2baInvoice>
}

/** A b2b invoice as revised; `oinum`/`oidt` name it as first reported. */
export type B2baInvoice = {
  "idt": string
  "inum": string
  "inv_typ": string
  "itms": Array<RateItem>
  "oidt": string
  "oinum": string
  "pos": string
  "rchrg": string
  "val": number
}

export type B2bEntry = {
  "ctin": string
  "inv": Array<B2bInvoice>
}

export type B2bInvoice = {
  "idt": string
  "inum": string
  /** R, SEWP, SEWOP. */
  "inv_typ": string
  "itms": Array<RateItem>
  "pos": string
  "rchrg": string
  "val": number
}

export type B2claEntry = {
  "inv": Array<B2claInvoice>
  /** The original place of supply (the amendment's identity, not editable). */
  "pos": string
}

export type B2claInvoice = {
  "idt": string
  "inum": string
  "itms": Array<RateItem>
  "oidt": string
  "oinum": string
  "val": number
}

export type B2clEntry = {
  "inv": Array<B2clInvoice>
  "pos": string
}

export type B2clInvoice = {
  "idt": string
  "inum": string
  "itms": Array<RateItem>
  "val": number
}

/** A b2cs block (month, place of supply) restated at every rate. */
export type B2csaRow = {
  "itms": Array<ItemDetail>
  /** The month restated, `MMYYYY`. */
  "omon": string
  "pos": string
  "sply_ty": string
  /** OE (other than e-commerce). */
  "typ": string
}

/** An aggregated B2C (small) row; credit notes are netted in, so values
may be negative. */
export type B2csRow = {
  "camt": number
  "csamt": number
  "iamt": number
  "pos": string
  "rt": number
  "samt": number
  /** INTRA or INTER. */
  "sply_ty": string
  "txval": number
  /** OE (other than e-commerce). */
  "typ": string
}

export type BuyerDtls = {
  "Addr1": string
  "Addr2"?: string | null
  "Em"?: string | null
  /** A GSTIN, or "URP" (unregistered person) for exports. */
  "Gstin": string
  "LglNm": string
  "Loc": string
  "Ph"?: string | null
  "Pin"?: number | null
  /** Place of supply state code; "96" outside India. */
  "Pos": string
  "Stcd": string
  "TrdNm"?: string | null
}

/** `POST /v1/gst/calculate`: either one line inline (`amount`, …) or `lines`. */
export type CalculateRequest = {
  /** Single-line form: unit price in paise (× `quantity`, default 1). */
  "amount"?: number | null
  "buyer_gstin"?: Gstin | null
  "buyer_state"?: string | null
  "cess_rate"?: number
  /** `YYYY-MM-DD`; checks the rates against the slabs in force that day. */
  "date"?: Date | null
  "description"?: string | null
  "discount"?: number | null
  "hsn_code"?: string | null
  /** Full form: several lines (then the single-line fields must be absent). */
  "lines"?: Array<LineInput> | null
  "place_of_supply"?: string | null
  "quantity"?: number
  "rate"?: GstRate
  "reverse_charge"?: boolean
  /** Round the total to the rupee (default true); the difference is `round_off_paise`. */
  "round_to_rupee"?: boolean | null
  "seller_gstin"?: Gstin | null
  "seller_state"?: string | null
  "supply_type"?: SupplyType | null
  "tax_inclusive"?: boolean
}

/** The answer to a calculation: the engine's breakup plus where the rate came from. */
export type Calculation = {
  /** What the buyer owes the seller: `total_paise`, minus the tax when the
buyer pays it under reverse charge. */
  "amount_due_paise": number
  "cess_paise": number
  "cgst_paise": number
  "entity": string
  "igst_paise": number
  "lines": Array<LineTax>
  "place_of_supply": State
  "prices_include_tax": boolean
  "rate_source": RateSource
  "reverse_charge": boolean
  /** Added to reach the rupee-rounded (or, for tax-inclusive prices, the
sticker) total; within ±9,999 paise. */
  "round_off_paise": number
  "rule": TaxRule
  "seller_state": State
  "sgst_paise": number
  "supply_type": SupplyType
  "tax_paise": number
  "tax_payable_by": TaxPayer
  "taxable_paise": number
  /** Sum of line totals. */
  "total_before_round_off_paise": number
  /** The document value. */
  "total_paise": number
  "utgst_paise": number
}

export type CancelBody = {
  "reason": CancelReason
  /** Why, in at most 100 characters. */
  "remark": string
}

/** The e-invoice cancellation reasons the IRP accepts. */
export type CancelReason = "duplicate" | "data_entry_mistake" | "order_cancelled" | "others"

export type CdnraEntry = {
  "ctin": string
  "nt": Array<CdnraNote>
}

export type CdnraNote = {
  "inv_typ": string
  "itms": Array<RateItem>
  "nt_dt": string
  "nt_num": string
  "ntty": string
  "ont_dt": string
  "ont_num": string
  "pos": string
  "rchrg": string
  "val": number
}

export type CdnrEntry = {
  "ctin": string
  "nt": Array<CdnrNote>
}

export type CdnrNote = {
  "inv_typ": string
  "itms": Array<RateItem>
  "nt_dt": string
  "nt_num": string
  /** C (credit) or D (debit); values stay positive. */
  "ntty": string
  "pos": string
  "rchrg": string
  "val": number
}

export type CdnuraNote = {
  "itms": Array<RateItem>
  "nt_dt": string
  "nt_num": string
  "ntty": string
  "ont_dt": string
  "ont_num": string
  "pos": string
  /** B2CL, EXPWP or EXPWOP. */
  "typ": string
  "val": number
}

export type CdnurNote = {
  "itms": Array<RateItem>
  "nt_dt": string
  "nt_num": string
  "ntty": string
  "pos": string
  /** B2CL, EXPWP or EXPWOP. */
  "typ": string
  "val": number
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

export type CodeKind = "goods" | "service"

/** `POST /v1/gst/invoices/{id}/corrections`: the fields to change; the rest
stays as issued. A credit note's buyer follows its invoice. */
export type CorrectInvoice = {
  "buyer"?: Party | null
  /** Another registered buyer's GSTIN (invoices to registered buyers only). */
  "buyer_gstin"?: Gstin | null
  /** `YYYY-MM-DD`, on or after the issued date and in the same month. */
  "date"?: Date | null
  "export"?: ExportDetails | null
  /** Every line, as it should have been. */
  "lines"?: Array<LineInput> | null
  "remarks"?: string | null
  /** The revision being corrected (default: the current one); a stale one is 409. */
  "revision"?: number | null
  "tax_inclusive"?: boolean | null
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

/** A stored customer. */
export type Customer = {
  /** Unix seconds. */
  "created_at": number
  "email"?: string | null
  "entity": string
  "id": CustomerId
  "mode": Mode
  "name"?: string | null
  "notes": Record<string, string>
  /** E.164. */
  "phone"?: string | null
}

/** A page of a list. */
export type CustomerCollection = {
  "count": number
  "entity": string
  "items": Array<Customer>
}

/** A misspelt field is refused (400 naming it), never silently dropped. */
export type CustomerDetails = {
  "email"?: string | null
  "name"?: string | null
  /** E.164, e.g. `+919876543210`. */
  "phone"?: string | null
}

/** A customer id: finvex_cust_ and a ULID. */
export type CustomerId = string

/** `GET /v1/customers`: a page, optionally of the customer with this contact. */
export type CustomerQuery = {
  "count"?: number | null
  /** Only the customer with this email (case-insensitively). */
  "email"?: string | null
  /** Unix seconds, inclusive. */
  "from"?: number | null
  /** Only the customer with this phone number. */
  "phone"?: string | null
  "skip"?: number | null
  /** Unix seconds, inclusive. */
  "to"?: number | null
}

/** A civil date, ISO `YYYY-MM-DD`, between 2000-01-01 and 2099-12-31. */
export type Date = string

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

export type DocDet = {
  /** 1 invoices, 4 debit notes, 5 credit notes. */
  "doc_num": number
  "docs": Array<DocRange>
}

export type DocDtls = {
  /** dd/mm/yyyy. */
  "Dt": string
  "No": string
  /** INV, CRN, DBN. */
  "Typ": string
}

/** Table 13. */
export type DocIssue = {
  "doc_det": Array<DocDet>
}

export type DocRange = {
  "cancel": number
  "from": string
  "net_issue": number
  "num": number
  "to": string
  "totnum": number
}

export type EcoAmendedRow = {
  "cess": number
  "cgst": number
  "etin": string
  "igst": number
  /** The operator as originally reported. */
  "oetin": string
  /** The month restated, `MMYYYY`. */
  "omon": string
  "sgst": number
  "suppval": number
}

/** One operator's net supplies; tax keys are spelled out, as Table 14 has them. */
export type EcoRow = {
  "cess": number
  "cgst": number
  "etin": string
  "igst": number
  "sgst": number
  "suppval": number
}

/** The whole request document sent to the IRP. */
export type EInvoice = {
  "BuyerDtls": BuyerDtls
  "DocDtls": DocDtls
  "ExpDtls"?: ExpDtls | null
  "ItemList": Array<Item>
  "RefDtls"?: RefDtls | null
  "SellerDtls": SellerDtls
  /** Where the goods are delivered, when it differs from the buyer's address. */
  "ShipDtls"?: ShipDtls | null
  "TranDtls": TranDtls
  "ValDtls": ValDtls
  /** Always "1.1". */
  "Version": string
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

export type ExpaEntry = {
  /** WPAY or WOPAY (never changed by an amendment). */
  "exp_typ": string
  "inv": Array<ExpaInvoice>
}

export type ExpaInvoice = {
  "idt": string
  "inum": string
  "itms": Array<ItemDetail>
  "oidt": string
  "oinum": string
  "sbdt"?: string | null
  "sbnum"?: string | null
  "sbpcode"?: string | null
  "val": number
}

export type ExpDtls = {
  /** ISO 3166-1 alpha-2 country code. */
  "CntCode"?: string | null
  "ForCur"?: string | null
  "Port"?: string | null
  /** "Y" when a refund will be claimed. */
  "RefClm"?: string | null
  "ShipBDt"?: string | null
  "ShipBNo"?: string | null
}

export type ExpEntry = {
  /** WPAY or WOPAY. */
  "exp_typ": string
  "inv": Array<ExpInvoice>
}

export type ExpInvoice = {
  "idt": string
  "inum": string
  "itms": Array<ItemDetail>
  /** `dd-mm-yyyy`. */
  "sbdt"?: string | null
  "sbnum"?: string | null
  /** Shipping bill port code (goods exports; absent for services). */
  "sbpcode"?: string | null
  "val": number
}

export type ExportDetails = {
  "country_code"?: string | null
  "currency"?: string | null
  "port_code"?: string | null
  "refund_claim"?: boolean
  "shipping_bill_date"?: Date | null
  "shipping_bill_no"?: string | null
}

/** A provider's price for a method: `percent_bps` (1 bp = 0.01 %) of the amount plus a fixed fee. */
export type FeeEntry = {
  "fixed_minor"?: number
  "method": MethodHint
  "percent_bps": number
  "provider": ProviderName
}

/** `POST /v1/gst/gstr1/filed`: the month named as the seed names it. */
export type FileGstr1 = {
  /** The seller GSTIN, when the month's documents name several or none. */
  "gstin"?: Gstin | null
  /** `YYYY-MM`; the month must be over (in India). */
  "month": string
}

/** How a correction was reported. */
export type GstCorrection = {
  "amendment_id"?: AmendmentId | null
  "entity": string
  "invoice": GstInvoice
  /** `in_place` (its month is not filed yet) or `amendment` (reported in
`reported_period`'s GSTR-1 amendment tables). */
  "reported_as": string
  /** `YYYY-MM`: where the correction appears in GSTR-1. */
  "reported_period": string
}

/** A GSTIN: 2-digit state code, PAN (or other ID), entity number, category and a mod-36 check character. */
export type Gstin = string

/** A stored GST invoice or credit note. */
export type GstInvoice = {
  "breakup": TaxBreakup
  "buyer_gstin"?: Gstin | null
  "created_at": number
  /** Invoices: the sums of the credit notes issued against them. */
  "credited_taxable_paise": number
  "credited_total_paise": number
  /** `YYYY-MM-DD`. */
  "date": Date
  "entity": string
  "financial_year": string
  "id": InvoiceId
  /** SHA-256 of GSTIN + FY + type + number as the IRP computes it; `None` for B2C. */
  "irn"?: string | null
  /** The IRP's acknowledgement once submitted (see `irp.issuer`: only `NIC` is the government). */
  "irp"?: IrpRecord | null
  /** `not_applicable` (B2C), `not_submitted`, `generated` or `cancelled`. */
  "irp_status": string
  "mode": Mode
  "number": string
  /** The paid order this invoice was issued for (a refund's credit note: its order). */
  "order_id"?: OrderId | null
  "original_invoice_id"?: InvoiceId | null
  "place_of_supply": string
  /** Where the rate came from (`None` on documents issued before it was recorded). */
  "rate_source"?: RateSource | null
  /** The refund this credit note was issued for. */
  "refund_id"?: RefundId | null
  /** The GSTR-1 month (`YYYY-MM`) the document is reported in: its own,
or, when that month was already filed at issue, the month of issue. */
  "reported_period": string
  /** How many times it was corrected (`POST /v1/gst/invoices/{id}/corrections`). */
  "revision": number
  "seller_gstin": Gstin
  /** Position in the merchant's series for this type and financial year. */
  "sequence": number
  /** `issued`. */
  "status": string
  "supply_type": SupplyType
  "tax_paise": number
  "taxable_paise": number
  "total_paise": number
  "type": InvoiceType
}

/** A page of a list. */
export type GstInvoiceCollection = {
  "count": number
  "entity": string
  "items": Array<GstInvoice>
}

/** The whole return. */
export type Gstr1 = {
  "b2b"?: Array<B2bEntry>
  /** Table 9A: amended b2b invoices. */
  "b2ba"?: Array<B2baEntry>
  "b2cl"?: Array<B2clEntry>
  /** Table 9A: amended b2cl invoices, under their original place of supply. */
  "b2cla"?: Array<B2claEntry>
  "b2cs"?: Array<B2csRow>
  /** Table 10: restated b2cs blocks of an earlier month. */
  "b2csa"?: Array<B2csaRow>
  "cdnr"?: Array<CdnrEntry>
  /** Table 9C: amended notes to registered buyers. */
  "cdnra"?: Array<CdnraEntry>
  "cdnur"?: Array<CdnurNote>
  /** Table 9C: amended notes to unregistered buyers. */
  "cdnura"?: Array<CdnuraNote>
  "doc_issue": DocIssue
  "exp"?: Array<ExpEntry>
  /** Table 9A: amended export invoices. */
  "expa"?: Array<ExpaEntry>
  /** Return period `MMYYYY`. */
  "fp": string
  "gstin": string
  "hsn": HsnSummary
  /** Table 8: nil-rated, exempt and non-GST supplies. */
  "nil"?: NilSection | null
  /** Table 14 (from the January 2024 period): supplies through e-commerce operators. */
  "supeco"?: Supeco | null
  /** Table 14A: restated e-commerce operator totals of an earlier month. */
  "supecoa"?: SupecoAmended | null
}

/** A month marked filed, with the return exactly as filed. */
export type Gstr1Filing = {
  "entity": string
  /** Unix seconds. */
  "filed_at": number
  "gstin": Gstin
  "gstr1": Gstr1
  /** `YYYY-MM`. */
  "month": string
}

export type Gstr1Query = {
  /** `json` (default) or `csv`. */
  "format"?: "json" | "csv"
  /** The seller GSTIN whose documents are filed: required when the month's
documents name several, or none (an empty return). */
  "gstin"?: Gstin | null
  /** The return period, `YYYY-MM`. */
  "month": string
}

/** A combined GST rate in percent (IGST, or CGST + SGST/UTGST): one of the notified slabs (40 from 2025-09-22). */
export type GstRate = 0 | 0.1 | 0.25 | 1 | 1.5 | 3 | 5 | 6 | 7.5 | 12 | 18 | 28 | 40

/** `PUT /v1/gst/settings` replaces the settings; absent fields take their defaults. */
export type GstSettingsInput = {
  /** The HSN/SAC code of what the merchant sells, for invoices issued from orders. */
  "default_hsn_code"?: string | null
  /** Combined GST rate in percent; must be a current or legacy slab. */
  "default_rate"?: GstRate
  /** The turnover is above the e-invoice limit but the merchant is exempt
from e-invoicing (e.g. an SEZ unit): its invoices carry the Rule 46(s)
declaration. */
  "einvoice_exempt"?: boolean
  /** The Letter of Undertaking (RFD-11) for exports and SEZ supplies
without payment of IGST. */
  "lut"?: Lut | null
  "seller"?: Party | null
  "seller_gstin"?: Gstin | null
}

/** What the API answers for `GET`/`PUT /v1/gst/settings`. */
export type GstSettingsView = {
  "default_hsn_code"?: string | null
  "default_rate": GstRate
  "einvoice_exempt"?: boolean
  "entity": string
  "lut"?: Lut | null
  "mode": Mode
  "seller"?: Party | null
  "seller_gstin"?: Gstin | null
  /** Unix seconds; `None` while the defaults apply. */
  "updated_at"?: number | null
}

/** One HSN/SAC master entry. */
export type HsnItem = {
  "code": string
  "description": string
  "kind": CodeKind
}

/** A page of HSN/SAC search results; `total` counts every match. */
export type HsnPage = {
  "count": number
  "entity": string
  "items": Array<HsnItem>
  "total": number
}

export type HsnQuery = {
  /** Results per page, 1 to 100 (default 10). */
  "count"?: number | null
  /** A code or its prefix (`9983`), or words of the description (`cotton yarn`). */
  "q": string
  /** Results to skip, at most 100000 (default 0). */
  "skip"?: number | null
}

export type HsnRow = {
  "camt": number
  "csamt": number
  "desc": string
  "hsn_sc": string
  "iamt": number
  "num": number
  "qty": number
  "rt": number
  "samt": number
  "txval": number
  "uqc": string
}

/** Table 12. From the May 2025 period it is split into B2B and B2C lists;
before that a single `data` list is filed. */
export type HsnSummary = {
  "data"?: Array<HsnRow> | null
  "hsn_b2b"?: Array<HsnRow> | null
  "hsn_b2c"?: Array<HsnRow> | null
}

/** The unit of a billing cycle. Each is a UPI AutoPay frequency (research
§2.5 "Create"), so a plan's cycle always has a mandate frequency. */
export type Interval = "daily" | "weekly" | "monthly" | "quarterly" | "half_yearly" | "yearly"

/** A invoice id: finvex_inv_ and a ULID. */
export type InvoiceId = string

export type InvoiceQuery = {
  /** `json` (default), `einvoice` (the INV-01 payload) or `pdf` (the printable document). */
  "format"?: "json" | "einvoice" | "pdf"
}

/** Invoice or credit note. */
export type InvoiceType = "invoice" | "credit_note"

/** What Finvex keeps of an invoice's life on the IRP. */
export type IrpRecord = {
  /** `yyyy-mm-dd HH:MM:SS` (IST), as the IRP writes it. */
  "ack_dt": string
  /** 15 digits. */
  "ack_no": string
  "cancel_reason"?: CancelReason | null
  "cancelled_at"?: number | null
  /** Unix seconds when the IRN was generated. */
  "generated_at": number
  "irn": string
  /** Who signed: `NIC` for the real IRP; anything else is not a government signature. */
  "issuer": string
  /** JWT with the invoice; signed by the issuer. */
  "signed_invoice": string
  /** JWT printed as the invoice's QR code; signed by the issuer. */
  "signed_qr_code": string
}

export type Item = {
  "AssAmt": number
  "CesAmt"?: number
  "CesNonAdvlAmt"?: number
  "CesRt"?: number
  "CgstAmt"?: number
  "Discount"?: number
  /** Combined rate (18, not 9) even for intra-State lines. */
  "GstRt": number
  "HsnCd": string
  "IgstAmt"?: number
  /** "Y" for services. */
  "IsServc": string
  "OthChrg"?: number
  "PrdDesc"?: string | null
  "Qty"?: number
  /** Also carries UTGST: the schema has no separate UTGST field. */
  "SgstAmt"?: number
  "SlNo": string
  "StateCesAmt"?: number
  "StateCesNonAdvlAmt"?: number
  "StateCesRt"?: number
  "TotAmt": number
  "TotItemVal": number
  /** GST unit quantity code (NOS, KGS, ...); required for goods. */
  "Unit"?: string | null
  "UnitPrice": number
}

/** Tax of one rate within a document. */
export type ItemDetail = {
  /** Absent in sections that are IGST-only (b2cl, exp, cdnur). */
  "camt"?: number
  "csamt": number
  "iamt": number
  "rt": number
  "samt"?: number
  "txval": number
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

/** One line of a calculation or an invoice, as the API takes it. */
export type LineInput = {
  /** Compensation cess in percent. */
  "cess_rate"?: number
  "description"?: string | null
  /** Discount on the whole line, in paise. */
  "discount"?: number | null
  /** HSN (goods) or SAC (services) code; required on invoices. */
  "hsn_code"?: string | null
  /** Defaults to 1; up to 3 decimals. */
  "quantity"?: number
  /** Combined GST rate in percent; defaults to the merchant's default rate. */
  "rate"?: GstRate
  /** `taxable` (default), or `nil_rated`, `exempt` or `non_gst`: no tax,
rate 0, reported in GSTR-1 Table 8. */
  "treatment"?: Treatment | null
  /** GST UQC such as NOS or KGS (goods). */
  "unit"?: string | null
  /** Price of one unit in paise (tax-inclusive when `tax_inclusive`). */
  "unit_price": number
}

/** Tax on one line. */
export type LineTax = {
  "cess_paise": number
  "cess_rate": number
  "cgst_paise": number
  "cgst_rate": number
  "discount_paise": number
  /** unit price × quantity (tax-inclusive if the prices were). */
  "gross_paise": number
  "hsn_code"?: string | null
  "igst_paise": number
  "igst_rate": number
  "index": number
  "quantity": number
  "rate": GstRate
  "sgst_paise": number
  "sgst_rate": number
  /** cgst + sgst + utgst + igst + cess. */
  "tax_paise": number
  "taxable_paise": number
  /** taxable + tax. */
  "total_paise": number
  "utgst_paise": number
  "utgst_rate": number
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

/** A Letter of Undertaking furnished for one financial year (Rule 96A):
exports and SEZ supplies without payment of IGST need one in force on
their date, and carry its ARN. */
export type Lut = {
  /** The acknowledgement (ARN) of the RFD-11, e.g. `AD290426000123X`. */
  "arn": string
  /** `2026-27`. */
  "financial_year": string
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

/** `POST /v1/customers`: at least an email or a phone number. */
export type NewCustomer = {
  /** Unique among the merchant's customers in this mode (compared case-insensitively). */
  "email"?: string | null
  /** At most 100 characters. */
  "name"?: string | null
  /** Up to 15 keys, each key and value at most 256 characters. */
  "notes"?: Record<string, string> | null
  /** An Indian mobile number (`+919876543210`, `9876543210`); unique in this mode. */
  "phone"?: string | null
}

/** `POST /v1/gst/invoices`: explicit `lines`, or the invoice for a paid
order (`order_id` or `payment_id`), or the credit note for a processed
refund (`refund_id`). */
export type NewInvoice = {
  "buyer"?: Party | null
  "buyer_gstin"?: Gstin | null
  /** Unregistered buyers: the state of their address (the place of supply). */
  "buyer_state"?: string | null
  /** `YYYY-MM-DD`; defaults to today in India. */
  "date"?: Date | null
  /** Order invoices: the line's description (default: the order's). */
  "description"?: string | null
  /** The e-commerce operator the supply goes through (GSTR-1 Table 14):
it collects TCS (s.52), or pays the tax itself when `reverse_charge` (s.9(5)). */
  "ecommerce_gstin"?: Gstin | null
  /** Exports: shipping bill, port and country (goods). */
  "export"?: ExportDetails | null
  /** Order invoices: the HSN/SAC code (default: the merchant's `default_hsn_code`). */
  "hsn_code"?: string | null
  "lines"?: Array<LineInput>
  /** Invoice the amount paid for this order (tax-inclusive). */
  "order_id"?: string | null
  /** Credit notes: the invoice being credited (same merchant and mode). */
  "original_invoice_id"?: string | null
  /** The same, naming the order by its captured payment. */
  "payment_id"?: string | null
  "place_of_supply"?: string | null
  /** Order invoices: the combined GST rate (default: the merchant's default rate). */
  "rate"?: GstRate
  /** Credit note for this processed refund, against the order's invoice. */
  "refund_id"?: string | null
  "remarks"?: string | null
  "reverse_charge"?: boolean
  /** Name and address, needed for the e-invoice. */
  "seller"?: Party | null
  /** Required on invoices; a credit note takes the original's. */
  "seller_gstin"?: Gstin | null
  /** The delivery address, where it differs from the buyer's (Rule 46(o)):
printed on the invoice and sent as the e-invoice's `ShipDtls`. */
  "ship_to"?: Party | null
  "supply_type"?: SupplyType | null
  /** Explicit lines: whether unit prices include GST (default false). */
  "tax_inclusive"?: boolean | null
  "type"?: InvoiceType
}

/** `POST /v1/plans`, e.g. `{"name":"Pro","amount":99900,"interval":"monthly"}`. */
export type NewPlan = {
  /** Per cycle and unit, in the currency's minor unit (paise). */
  "amount": number
  /** Default `INR`. */
  "currency"?: string | null
  "description"?: string | null
  /** How the cycle's GST invoice is issued (default: the merchant's GST settings). */
  "gst"?: PlanGstInput | null
  "interval": Interval
  /** Bill every `interval_count` intervals (default 1; at most a year's worth). */
  "interval_count"?: number | null
  /** At most 100 characters. */
  "name": string
  /** Up to 15 keys, each key and value at most 256 characters. */
  "notes"?: Record<string, string> | null
}

export type NilRow = {
  /** Exempted (other than nil-rated or non-GST). */
  "expt_amt": number
  /** Non-GST supplies. */
  "ngsup_amt": number
  /** Nil-rated supplies. */
  "nil_amt": number
  "sply_ty": string
}

/** Table 8: one row per kind of supply (`INTRB2B`, `INTRAB2B`, `INTRB2C`,
`INTRAB2C`) that has documents; credit notes are netted in. */
export type NilSection = {
  "inv": Array<NilRow>
}

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

/** Name and address of a party. A misspelt field (`pincode` for `pin`) is
refused, never silently dropped. */
export type Party = {
  "address1": string
  "address2"?: string | null
  "email"?: string | null
  "legal_name": string
  /** City / locality. */
  "location": string
  "phone"?: string | null
  "pin"?: number | null
  /** State of the address; for a registered party it defaults to the GSTIN's. */
  "state"?: State | null
  "trade_name"?: string | null
}

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

/** A stored plan. */
export type Plan = {
  /** Minor units (paise) per cycle and unit. */
  "amount": number
  "archived_at"?: number | null
  /** Unix seconds. */
  "created_at": number
  "currency": Currency
  "description"?: string | null
  "entity": string
  "gst": PlanGst
  "id": PlanId
  "interval": Interval
  "interval_count": number
  "mode": Mode
  "name": string
  "notes": Record<string, string>
  "status": PlanStatus
}

/** A page of a list. */
export type PlanCollection = {
  "count": number
  "entity": string
  "items": Array<Plan>
}

/** A plan's GST treatment. */
export type PlanGst = {
  "hsn_code"?: string | null
  /** `None`: the merchant's default rate when the invoice is issued. */
  "rate"?: GstRate | null
  "tax_inclusive": boolean
}

/** A plan's GST treatment as asked for. */
export type PlanGstInput = {
  /** SAC/HSN code of what the plan sells; default the merchant's `default_hsn_code`. */
  "hsn_code"?: string | null
  /** Combined rate in percent (a GST slab); default the merchant's default rate. */
  "rate"?: GstRate | null
  /** Whether `amount` includes GST (default true: the customer pays `amount`). */
  "tax_inclusive"?: boolean | null
}

/** A plan id: finvex_plan_ and a ULID. */
export type PlanId = string

/** `GET /v1/plans`: a page, optionally of one status. */
export type PlanQuery = {
  "count"?: number | null
  /** Unix seconds, inclusive. */
  "from"?: number | null
  "skip"?: number | null
  /** `active` or `archived`. */
  "status"?: "active" | "archived"
  /** Unix seconds, inclusive. */
  "to"?: number | null
}

/** `active` takes subscribers; `archived` keeps its subscribers and takes no new ones. */
export type PlanStatus = "active" | "archived"

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

export type PrecDocDtls = {
  /** dd/mm/yyyy. */
  "InvDt": string
  "InvNo": string
  "OthRefNo"?: string | null
}

export type ProviderName = "razorpay" | "cashfree" | "sandbox"

/** An `itms` entry. `num` follows the offline tool: rate × 100 + 1. */
export type RateItem = {
  "itm_det": ItemDetail
  "num": number
}

/** Where the rate of a calculation came from. */
export type RateSource = "request" | "merchant_default" | "mixed" | "original_invoice"

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

export type RefDtls = {
  "InvRm"?: string | null
  /** The invoice(s) a credit or debit note refers to. */
  "PrecDocDtls"?: Array<PrecDocDtls>
}

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

export type SellerDtls = {
  "Addr1": string
  "Addr2"?: string | null
  "Em"?: string | null
  "Gstin": string
  "LglNm": string
  "Loc": string
  "Ph"?: string | null
  "Pin": number
  "Stcd": string
  "TrdNm"?: string | null
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

/** The delivery address (CGST Rule 46(o)). */
export type ShipDtls = {
  "Addr1": string
  "Addr2"?: string | null
  "LglNm": string
  "Loc": string
  "Pin": number
  "Stcd": string
  "TrdNm"?: string | null
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

/** A GST state or union territory. Answers give its 2-digit code (`"29"`); requests may also give the code, its letters (`"KA"`) or its name (`"Karnataka"`). */
export type State = string

export type Subscriptions = string | Array<string>

/** Table 14: per e-commerce operator, supplies on which it collects TCS
(s.52, `clttx`) and those on which it pays the tax (s.9(5), `paytx`). */
export type Supeco = {
  "clttx"?: Array<EcoRow>
  "paytx"?: Array<EcoRow>
}

/** Table 14A: an operator's totals of an earlier month (`omon`), restated. */
export type SupecoAmended = {
  "clttxa"?: Array<EcoAmendedRow>
  "paytxa"?: Array<EcoAmendedRow>
}

/** The commercial nature of the supply, which together with the place of
supply decides the taxes. */
export type SupplyType = "b2b" | "b2c" | "sez_with_payment" | "sez_without_payment" | "export_with_payment" | "export_without_payment"

/** `POST /v1/settlements/sync`: unix seconds; defaults to the last 7 days. */
export type SyncRange = {
  "from"?: number | null
  "to"?: number | null
}

/** The result of [`calculate`]. */
export type TaxBreakup = {
  /** What the buyer owes the seller: `total_paise`, minus the tax when the
buyer pays it under reverse charge. */
  "amount_due_paise": number
  "cess_paise": number
  "cgst_paise": number
  "igst_paise": number
  "lines": Array<LineTax>
  "place_of_supply": State
  "prices_include_tax": boolean
  "reverse_charge": boolean
  /** Added to reach the rupee-rounded (or, for tax-inclusive prices, the
sticker) total; within ±9,999 paise. */
  "round_off_paise": number
  "rule": TaxRule
  "seller_state": State
  "sgst_paise": number
  "supply_type": SupplyType
  "tax_paise": number
  "tax_payable_by": TaxPayer
  "taxable_paise": number
  /** Sum of line totals. */
  "total_before_round_off_paise": number
  /** The document value. */
  "total_paise": number
  "utgst_paise": number
}

/** Who pays the tax to the government. */
export type TaxPayer = "supplier" | "recipient"

/** The rule that decided the split; returned so users can see *why*. */
export type TaxRule = "intra_state" | "union_territory" | "inter_state" | "sez_with_payment" | "sez_lut" | "export_with_payment" | "export_lut"

export type TestDelivery = {
  "delivery_id": WebhookDeliveryId
  "error"?: string | null
  "latency_ms": number
  "response_excerpt": string
  "status_code"?: number | null
  "success": boolean
}

export type TranDtls = {
  "EcmGstin"?: string | null
  "IgstOnIntra"?: string | null
  "RegRev"?: string | null
  /** B2B, SEZWP, SEZWOP, EXPWP, EXPWOP, DEXP. */
  "SupTyp": string
  /** "GST". */
  "TaxSch": string
}

/** CGST Act s.2(47) and s.2(78): nil-rated supplies are taxable at a 0 %
tariff rate, exempt ones are exempted by notification, and non-GST ones
are outside the levy. Zero-rated exports and SEZ supplies are *taxable*
(they go to `exp` and `b2b`), never nil. */
export type Treatment = "taxable" | "nil_rated" | "exempt" | "non_gst"

export type ValDtls = {
  "AssVal": number
  "CesVal"?: number
  "CgstVal"?: number
  "Discount"?: number
  "IgstVal"?: number
  "OthChrg"?: number
  "RndOffAmt"?: number
  "SgstVal"?: number
  "StCesVal"?: number
  "TotInvVal": number
  "TotInvValFc"?: number
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
