//! Settlements: the settlement search `POST /pg/settlements`, the recon
//! report `POST /pg/settlement/recon` (both paged by cursor), and settling
//! ([`super::CashfreeFake::add_settlement`], [`super::CashfreeFake::settle`]).

use std::collections::HashSet;
use std::ops::RangeInclusive;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use finvex_core::calendar::{parse_timestamp as parse_iso, rfc3339_in_india as to_ist_iso};
use finvex_core::money::{Currency, Money};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{invalid, ok, parse, Books, Reply, Shared};
use crate::fakes::{
    alphanumeric, fake_fee, lock, FakeLineKind, FakeSettlement, FakeSettlementLine,
};
use crate::money::DecimalAmount;

pub(super) fn routes() -> axum::Router<Arc<Shared>> {
    axum::Router::new()
        .route("/pg/settlements", post(settlements))
        .route("/pg/settlement/recon", post(settlement_recon))
}

#[derive(Serialize)]
struct SettlementOut<'a> {
    cf_settlement_id: &'a str,
    entity: &'static str,
    settlement_currency: &'static str,
    settlement_amount: DecimalAmount,
    service_charge: DecimalAmount,
    service_tax: DecimalAmount,
    transfer_utr: &'a str,
    transfer_time: String,
    status: &'static str,
}

fn settlement_out<'a>(id: &'a str, s: &'a FakeSettlement) -> SettlementOut<'a> {
    SettlementOut {
        cf_settlement_id: id,
        entity: "settlement",
        settlement_currency: "INR",
        settlement_amount: DecimalAmount::from_money(Money::inr(s.amount_minor)),
        service_charge: DecimalAmount::from_money(Money::inr(s.fee_minor)),
        service_tax: DecimalAmount::from_money(Money::inr(s.tax_minor)),
        transfer_utr: &s.utr,
        transfer_time: to_ist_iso(s.created_at),
        status: "SETTLED",
    }
}

/// One event of `POST /pg/settlement/recon` (API 2023-08-01's flat shape).
/// Amounts are decimal rupees; `payment_service_charge` is the fee without
/// GST and `payment_service_tax` the GST on it.
#[derive(Serialize)]
struct ReconEventOut<'a> {
    event_id: &'a str,
    entity: &'static str,
    event_type: &'static str,
    sale_type: &'static str,
    event_time: String,
    event_settlement_amount: DecimalAmount,
    event_amount: DecimalAmount,
    event_status: &'static str,
    event_currency: &'static str,
    order_id: &'a str,
    customer_name: &'a Value,
    customer_phone: &'a Value,
    customer_email: &'a Value,
    cf_payment_id: &'a str,
    payment_amount: Option<DecimalAmount>,
    order_amount: Option<DecimalAmount>,
    payment_time: Option<String>,
    payment_service_charge: DecimalAmount,
    payment_service_tax: DecimalAmount,
    payment_utr: Option<String>,
    cf_settlement_id: &'a str,
    vendor_commission: DecimalAmount,
    split_service_charge: DecimalAmount,
    split_service_tax: DecimalAmount,
    settlement_utr: &'a str,
    settlement_date: String,
    refund_note: Option<&'a str>,
    refund_id: Option<&'a str>,
    refund_arn: Option<String>,
    refund_processed_at: Option<String>,
    payment_group: &'static str,
    /// Dispute, adjustment and settlement-event fields, null on payment and
    /// refund events.
    #[serde(flatten)]
    unused: Value,
}

// Longer than most: it fills in every one of the recon event's ~30 flat
// wire fields, one per line; there is no logic to split out.
fn recon_event_out<'a>(
    books: &'a Books,
    id: &'a str,
    s: &'a FakeSettlement,
    line: &'a FakeSettlementLine,
) -> ReconEventOut<'a> {
    let rupees = |minor: i64| DecimalAmount::from_money(Money::inr(minor));
    let payment = books
        .payments
        .iter()
        .find(|p| p.cf_payment_id == line.payment_id);
    let order = books.orders.get(&line.order_id);
    static NULL: Value = Value::Null;
    let customer = |field: &str| -> &'a Value { order.map_or(&NULL, |o| &o.customer[field]) };
    let refund = match line.kind {
        FakeLineKind::Refund => books
            .refunds
            .values()
            .find(|r| r.cf_refund_id == line.entity_id),
        FakeLineKind::Payment => None,
    };
    let (event_type, sale_type, settlement_amount, event_time) = match line.kind {
        FakeLineKind::Payment => (
            "PAYMENT",
            "CREDIT",
            line.amount_minor - line.fee_minor - line.tax_minor,
            payment.map(|p| p.time),
        ),
        FakeLineKind::Refund => (
            "REFUND",
            "DEBIT",
            line.amount_minor,
            refund.map(|r| r.processed_at.unwrap_or(r.created_at)),
        ),
    };
    ReconEventOut {
        event_id: &line.entity_id,
        entity: "recon",
        event_type,
        sale_type,
        event_time: to_ist_iso(event_time.unwrap_or(s.created_at)),
        event_settlement_amount: rupees(settlement_amount),
        event_amount: rupees(line.amount_minor),
        event_status: "SUCCESS",
        event_currency: "INR",
        order_id: &line.order_id,
        customer_name: customer("customer_name"),
        customer_phone: customer("customer_phone"),
        customer_email: customer("customer_email"),
        cf_payment_id: &line.payment_id,
        payment_amount: payment.map(|p| DecimalAmount::from_money(p.amount)),
        order_amount: order.map(|o| DecimalAmount::from_money(o.amount)),
        payment_time: payment.map(|p| to_ist_iso(p.time)),
        payment_service_charge: rupees(line.fee_minor),
        payment_service_tax: rupees(line.tax_minor),
        payment_utr: payment.map(|p| format!("{:012}", p.time)),
        cf_settlement_id: id,
        vendor_commission: rupees(0),
        split_service_charge: rupees(0),
        split_service_tax: rupees(0),
        settlement_utr: &s.utr,
        settlement_date: to_ist_iso(s.created_at),
        refund_note: refund.and_then(|r| r.note.as_deref()),
        refund_id: refund.map(|r| r.refund_id.as_str()),
        refund_arn: refund.map(|r| format!("ARN{}", r.cf_refund_id)),
        refund_processed_at: refund.and_then(|r| r.processed_at).map(to_ist_iso),
        payment_group: "UPI",
        unused: json!({"closed_in_favor_of": null, "resolved_on": null,
            "dispute_category": null, "dispute_note": null, "dispute_resolved_on": null,
            "adjustment_remarks": null, "adjustment": null, "service_tax": null,
            "service_charge": null, "amount_settled": null, "payment_from": null,
            "payment_till": null, "reason": null, "settlement_initiated_on": null,
            "settlement_settled_on": null, "settlement_type": null, "settlement_charge": null,
            "settlement_tax": null, "remarks": null}),
    }
}

#[derive(Deserialize)]
struct SettlementSearchIn {
    pagination: Option<PaginationIn>,
    filters: Option<FiltersIn>,
}

#[derive(Deserialize)]
struct PaginationIn {
    limit: Option<i64>,
    cursor: Option<String>,
}

#[derive(Deserialize)]
struct FiltersIn {
    start_date: Option<String>,
    end_date: Option<String>,
}

#[derive(Deserialize)]
struct ReconSearchIn {
    pagination: Option<PaginationIn>,
    filters: Option<ReconFiltersIn>,
}

#[derive(Deserialize)]
struct ReconFiltersIn {
    /// Numbers in Cashfree's examples; numeric strings are accepted too.
    cf_settlement_ids: Option<Vec<Value>>,
    settlement_utrs: Option<Vec<String>>,
    start_date: Option<String>,
    end_date: Option<String>,
}

/// `pagination` → (limit, offset): `limit` 1-1000 (default 10); the cursor
/// is the offset of the next item, as this fake hands it out.
fn page_window(pagination: Option<PaginationIn>) -> Result<(i64, usize), Response> {
    let pagination = pagination.ok_or_else(|| {
        invalid(
            "pagination : is missing in the request",
            "pagination_missing",
        )
    })?;
    let limit = pagination.limit.unwrap_or(10);
    if !(1..=1000).contains(&limit) {
        return Err(invalid(
            "pagination.limit : must be between 1 and 1000",
            "pagination_limit_invalid",
        ));
    }
    let offset: usize = match pagination.cursor.as_deref() {
        None | Some("") => 0,
        Some(cursor) => cursor.parse().map_err(|_| {
            invalid(
                "pagination.cursor : invalid value provided",
                "pagination_cursor_invalid",
            )
        })?,
    };
    Ok((limit, offset))
}

/// A `filters.start_date`/`end_date` value as unix seconds.
fn date_bound(value: Option<String>, name: &str) -> Result<Option<i64>, Response> {
    value
        .map(|v| {
            parse_iso(&v).ok_or_else(|| {
                invalid(&format!("filters.{name} : invalid date"), "filters_invalid")
            })
        })
        .transpose()
}

/// `{"cursor","limit","data"}`: the cursor is the next offset, or null at the end.
#[derive(Serialize)]
struct PageOut<T> {
    cursor: Option<String>,
    limit: i64,
    data: Vec<T>,
}

fn page_out<T>(all: usize, offset: usize, limit: i64, data: Vec<T>) -> PageOut<T> {
    let next = offset + data.len();
    PageOut {
        cursor: (next < all).then(|| next.to_string()),
        limit,
        data,
    }
}

async fn settlements(State(s): State<Arc<Shared>>, headers: HeaderMap, raw: Bytes) -> Reply {
    s.authorize(&headers)?;
    let body: SettlementSearchIn = parse(&raw)?;
    let (limit, offset) = page_window(body.pagination)?;
    let filters = body
        .filters
        .ok_or_else(|| invalid("filters : is missing in the request", "filters_missing"))?;
    let start = date_bound(filters.start_date, "start_date")?.unwrap_or(i64::MIN);
    let end = date_bound(filters.end_date, "end_date")?.unwrap_or(i64::MAX);
    let books = lock(&s.books);
    let mut matching: Vec<&(String, FakeSettlement)> = books
        .settlements
        .iter()
        .filter(|(_, st)| (start..=end).contains(&st.created_at))
        .collect();
    matching.sort_by(|a, b| a.1.created_at.cmp(&b.1.created_at).then(a.0.cmp(&b.0)));
    let page: Vec<SettlementOut<'_>> = matching
        .iter()
        .skip(offset)
        .take(limit as usize)
        .map(|(id, st)| settlement_out(id, st))
        .collect();
    ok(&page_out(matching.len(), offset, limit, page))
}

/// The settlements a recon search asks for: each filter given must match.
struct ReconFilter {
    ids: HashSet<String>,
    utrs: HashSet<String>,
    range: Option<RangeInclusive<i64>>,
}

impl ReconFilter {
    /// `filters` checked: required, ids numeric, `start_date` only with
    /// `end_date`, and at least one of ids, UTRs or the date range.
    fn parse(filters: Option<ReconFiltersIn>) -> Result<ReconFilter, Response> {
        let filters = filters
            .ok_or_else(|| invalid("filters : is missing in the request", "filters_missing"))?;
        let ids = filters
            .cf_settlement_ids
            .unwrap_or_default()
            .into_iter()
            .map(|id| match id {
                Value::Number(n) if n.is_u64() => Ok(n.to_string()),
                Value::String(text)
                    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    Ok(text)
                }
                _ => Err(invalid(
                    "filters.cf_settlement_ids : invalid value provided",
                    "filters_invalid",
                )),
            })
            .collect::<Result<HashSet<String>, Response>>()?;
        let utrs: HashSet<String> = filters
            .settlement_utrs
            .unwrap_or_default()
            .into_iter()
            .collect();
        let range = match (
            date_bound(filters.start_date, "start_date")?,
            date_bound(filters.end_date, "end_date")?,
        ) {
            (Some(start), Some(end)) => Some(start..=end),
            (None, None) => None,
            _ => {
                return Err(invalid(
                    "filters : start_date and end_date go together",
                    "filters_invalid",
                ))
            }
        };
        if ids.is_empty() && utrs.is_empty() && range.is_none() {
            return Err(invalid(
                "filters : specify cf_settlement_ids, settlement_utrs, or start_date and end_date",
                "filters_invalid",
            ));
        }
        Ok(ReconFilter { ids, utrs, range })
    }

    fn matches(&self, id: &str, st: &FakeSettlement) -> bool {
        (self.ids.is_empty() || self.ids.contains(id))
            && (self.utrs.is_empty() || self.utrs.contains(&st.utr))
            && self
                .range
                .as_ref()
                .is_none_or(|r| r.contains(&st.created_at))
    }
}

/// `POST /pg/settlement/recon`: the events (lines) of the settlements matching
/// every filter given, at least one of `cf_settlement_ids`, `settlement_utrs`,
/// or `start_date` with `end_date`; paged by cursor.
async fn settlement_recon(State(s): State<Arc<Shared>>, headers: HeaderMap, raw: Bytes) -> Reply {
    s.authorize(&headers)?;
    let body: ReconSearchIn = parse(&raw)?;
    let (limit, offset) = page_window(body.pagination)?;
    let filter = ReconFilter::parse(body.filters)?;
    let books = lock(&s.books);
    let mut matching: Vec<&(String, FakeSettlement)> = books
        .settlements
        .iter()
        .filter(|(id, st)| filter.matches(id, st))
        .collect();
    matching.sort_by(|a, b| a.1.created_at.cmp(&b.1.created_at).then(a.0.cmp(&b.0)));
    let lines: Vec<(&String, &FakeSettlement, &FakeSettlementLine)> = matching
        .into_iter()
        .flat_map(|(id, st)| st.lines.iter().map(move |line| (id, st, line)))
        .collect();
    let page: Vec<ReconEventOut<'_>> = lines
        .iter()
        .skip(offset)
        .take(limit as usize)
        .map(|(id, st, line)| recon_event_out(&books, id, st, line))
        .collect();
    ok(&page_out(lines.len(), offset, limit, page))
}

/// [`super::CashfreeFake::add_settlement`]: lists `settlement` under a new
/// numeric `cf_settlement_id`.
pub(super) fn add(shared: &Shared, settlement: FakeSettlement) -> String {
    let id = shared.cf_id();
    lock(&shared.books)
        .settlements
        .push((id.clone(), settlement));
    id
}

/// [`super::CashfreeFake::settle`]: one settlement of every unsettled
/// `SUCCESS` payment and refund in INR.
pub(super) fn settle(shared: &Shared, created_at: i64) -> Result<String, String> {
    let mut books = lock(&shared.books);
    let mut lines = Vec::new();
    for p in &books.payments {
        if p.status == "SUCCESS"
            && p.amount.currency == Currency::INR
            && !books.settled.contains(&p.cf_payment_id)
        {
            let amount = p.amount.amount.minor();
            let (fee, tax) = fake_fee(amount);
            lines.push(FakeSettlementLine {
                kind: FakeLineKind::Payment,
                entity_id: p.cf_payment_id.clone(),
                payment_id: p.cf_payment_id.clone(),
                order_id: p.order_id.clone(),
                amount_minor: amount,
                fee_minor: fee,
                tax_minor: tax,
            });
        }
    }
    for r in books.refunds.values() {
        if r.status == "SUCCESS"
            && r.amount.currency == Currency::INR
            && !books.settled.contains(&r.cf_refund_id)
        {
            lines.push(FakeSettlementLine {
                kind: FakeLineKind::Refund,
                entity_id: r.cf_refund_id.clone(),
                payment_id: r.cf_payment_id.clone(),
                order_id: r.order_id.clone(),
                amount_minor: r.amount.amount.minor(),
                fee_minor: 0,
                tax_minor: 0,
            });
        }
    }
    if lines.is_empty() {
        return Err("nothing to settle: no unsettled SUCCESS payment or refund".into());
    }
    books
        .settled
        .extend(lines.iter().map(|l| l.entity_id.clone()));
    let id = shared.cf_id();
    let utr = format!("CF{}", alphanumeric(12).to_ascii_uppercase());
    books
        .settlements
        .push((id.clone(), FakeSettlement::of_lines(lines, utr, created_at)));
    Ok(id)
}
