//! Settlements: `GET /v1/settlements`, `GET /v1/settlements/{id}`, the recon
//! report `GET /v1/settlements/recon/combined`, and settling
//! ([`super::RazorpayFake::add_settlement`], [`super::RazorpayFake::settle`]).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::get;
use serde_json::{json, Value};

use super::{
    bad_request, collection, id, no_such_id, ok, page, query_number, Books, Reply, Shared,
};
use crate::fakes::{
    alphanumeric, days_in_month, fake_fee, ist_date, lock, FakeLineKind, FakeSettlement,
    FakeSettlementLine,
};

pub(super) fn routes() -> axum::Router<Arc<Shared>> {
    axum::Router::new()
        .route("/v1/settlements", get(settlements))
        .route("/v1/settlements/recon/combined", get(settlement_recon))
        .route("/v1/settlements/{id}", get(get_settlement))
}

fn settlement_json(id: &str, s: &FakeSettlement) -> Value {
    json!({"id": id, "entity": "settlement", "amount": s.amount_minor, "status": "processed",
        "fees": s.fee_minor + s.tax_minor, "tax": s.tax_minor, "utr": s.utr,
        "created_at": s.created_at})
}

async fn settlements(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Reply {
    s.authorize(&headers)?;
    let from = query_number(&query, "from")?.unwrap_or(i64::MIN);
    let to = query_number(&query, "to")?.unwrap_or(i64::MAX);
    let (count, skip) = page(&query)?;
    let books = lock(&s.books);
    let mut matching: Vec<&(String, FakeSettlement)> = books
        .settlements
        .iter()
        .filter(|(_, st)| (from..=to).contains(&st.created_at))
        .collect();
    matching.sort_by(|a, b| b.1.created_at.cmp(&a.1.created_at).then(a.0.cmp(&b.0)));
    let items = matching
        .into_iter()
        .skip(skip)
        .take(count)
        .map(|(id, st)| settlement_json(id, st))
        .collect();
    ok(collection(items))
}

async fn get_settlement(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Reply {
    s.authorize(&headers)?;
    let books = lock(&s.books);
    let (id, st) = books
        .settlements
        .iter()
        .find(|(i, _)| *i == id)
        .ok_or_else(no_such_id)?;
    ok(settlement_json(id, st))
}

/// One item of `GET /v1/settlements/recon/combined`, in Razorpay's shape:
/// `fee` includes the GST and `tax` is the GST; a payment's `credit` is its
/// amount less that fee, a refund's `debit` its amount.
fn recon_item_json(
    books: &Books,
    id: &str,
    s: &FakeSettlement,
    line: &FakeSettlementLine,
) -> Value {
    let payment = books.payments.get(&line.payment_id);
    let order = books.orders.get(&line.order_id);
    let (kind, debit, credit, payment_id, created_at) = match line.kind {
        FakeLineKind::Payment => (
            "payment",
            0,
            line.amount_minor - line.fee_minor - line.tax_minor,
            Value::Null,
            payment.map(|p| p.created_at),
        ),
        FakeLineKind::Refund => (
            "refund",
            line.amount_minor,
            0,
            json!(line.payment_id),
            books.refunds.get(&line.entity_id).map(|r| r.created_at),
        ),
    };
    let notes = order
        .map(|o| &o.notes)
        .filter(|n| n.as_object().is_some_and(|m| !m.is_empty()))
        .map(|n| json!(n.to_string()))
        .unwrap_or(Value::Null);
    json!({"entity_id": line.entity_id, "type": kind, "debit": debit, "credit": credit,
        "amount": line.amount_minor, "currency": "INR", "fee": line.fee_minor + line.tax_minor,
        "tax": line.tax_minor, "on_hold": false, "settled": true,
        "created_at": created_at.unwrap_or(s.created_at), "settled_at": s.created_at,
        "settlement_id": id, "posted_at": null, "credit_type": "default", "description": null,
        "notes": notes, "payment_id": payment_id, "settlement_utr": s.utr,
        "order_id": line.order_id, "order_receipt": order.and_then(|o| o.receipt.clone()),
        "method": "upi", "card_network": null, "card_issuer": null, "card_type": null,
        "dispute_id": null})
}

/// `GET /v1/settlements/recon/combined?year=&month=[&day=][&count=][&skip=]`:
/// the lines of every settlement made on that day (or month) in India.
async fn settlement_recon(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Reply {
    s.authorize(&headers)?;
    let year = query_number(&query, "year")?
        .ok_or_else(|| bad_request("The year field is required.", Some("year")))?;
    let month = query_number(&query, "month")?
        .ok_or_else(|| bad_request("The month field is required.", Some("month")))?;
    let day = query_number(&query, "day")?;
    let (count, skip) = page(&query)?;
    if !(1970..=9999).contains(&year) {
        return Err(bad_request("The year must be a valid year.", Some("year")));
    }
    let month = u32::try_from(month)
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(|| bad_request("The month must be between 1 and 12.", Some("month")))?;
    let day = day
        .map(|d| {
            u32::try_from(d)
                .ok()
                .filter(|d| (1..=days_in_month(year, month)).contains(d))
                .ok_or_else(|| bad_request("The day is not a valid day of the month.", Some("day")))
        })
        .transpose()?;
    let books = lock(&s.books);
    let mut matching: Vec<&(String, FakeSettlement)> = books
        .settlements
        .iter()
        .filter(|(_, st)| {
            let (y, m, d) = ist_date(st.created_at);
            y == year && m == month && day.is_none_or(|day| day == d)
        })
        .collect();
    matching.sort_by(|a, b| a.1.created_at.cmp(&b.1.created_at).then(a.0.cmp(&b.0)));
    let items = matching
        .into_iter()
        .flat_map(|(id, st)| st.lines.iter().map(move |line| (id, st, line)))
        .skip(skip)
        .take(count)
        .map(|(id, st, line)| recon_item_json(&books, id, st, line))
        .collect();
    ok(collection(items))
}

/// [`super::RazorpayFake::add_settlement`]: lists `settlement` as `setl_…`.
pub(super) fn add(shared: &Shared, settlement: FakeSettlement) -> String {
    let id = id("setl_");
    lock(&shared.books)
        .settlements
        .push((id.clone(), settlement));
    id
}

/// [`super::RazorpayFake::settle`]: one settlement of every unsettled
/// captured payment and processed refund in INR.
pub(super) fn settle(shared: &Shared, created_at: i64) -> Result<String, String> {
    let mut books = lock(&shared.books);
    let mut lines = Vec::new();
    for p in books.payments.values() {
        if matches!(p.status, "captured" | "refunded")
            && p.currency == "INR"
            && !books.settled.contains(&p.id)
        {
            let (fee, tax) = match (p.fee, p.tax) {
                (Some(fee), Some(tax)) => (fee - tax, tax),
                _ => fake_fee(p.amount),
            };
            lines.push(FakeSettlementLine {
                kind: FakeLineKind::Payment,
                entity_id: p.id.clone(),
                payment_id: p.id.clone(),
                order_id: p.order_id.clone(),
                amount_minor: p.amount,
                fee_minor: fee,
                tax_minor: tax,
            });
        }
    }
    for r in books.refunds.values() {
        if r.status == "processed" && r.currency == "INR" && !books.settled.contains(&r.id) {
            lines.push(FakeSettlementLine {
                kind: FakeLineKind::Refund,
                entity_id: r.id.clone(),
                payment_id: r.payment_id.clone(),
                order_id: books
                    .payments
                    .get(&r.payment_id)
                    .map(|p| p.order_id.clone())
                    .unwrap_or_default(),
                amount_minor: r.amount,
                fee_minor: 0,
                tax_minor: 0,
            });
        }
    }
    if lines.is_empty() {
        return Err("nothing to settle: no unsettled captured payment or processed refund".into());
    }
    books
        .settled
        .extend(lines.iter().map(|l| l.entity_id.clone()));
    let id = id("setl_");
    let utr = format!("{created_at}{}", alphanumeric(6).to_ascii_lowercase());
    books
        .settlements
        .push((id.clone(), FakeSettlement::of_lines(lines, utr, created_at)));
    Ok(id)
}
