//! The document's parts, top to bottom: title and copy marking, the IRP's
//! acknowledgement with its QR code, supplier and recipient with the
//! document's particulars, the lines, the totals in figures and words,
//! the endorsements, the signature; then a footer on every page.

use rust_decimal::Decimal;

use super::font::{encode, Face};
use super::layout::{
    box_height, boxes, draw_lines, wrapped, Align, Canvas, Column, Op, Styled, Table, CELL_SIZE,
    CONTENT_W, MARGIN, PAD, PAGE_H,
};
use super::qr;
use super::words::{amount_in_words, group_indian};
use super::{PdfInput, Registration};
use crate::calc::{LineTax, SupplyType, TaxBreakup, TaxRule};
use crate::einvoice::{DocType, Invoice, InvoiceLine, Party};
use crate::error::GstError;
use crate::hsn;
use crate::state::State;

const BODY: f32 = 8.0;
const SMALL: f32 = 7.0;
/// Longest piece of free text (a name, an address line, remarks) taken
/// before wrapping; what still does not fit its lines ends in "...".
const MAX_FIELD_CHARS: usize = 500;
/// Wrapped lines per field in the party and note boxes.
const MAX_FIELD_LINES: usize = 3;
/// Wrapped lines of one item's description.
const MAX_DESCRIPTION_LINES: usize = 12;
/// The QR code's side: about 1.5 inches, as printed e-invoices carry it.
const QR_SIZE: f32 = 108.0;
const TOTALS_W: f32 = 230.0;
const SIGNATURE_W: f32 = 200.0;

/// What a document type calls itself.
pub struct Labels {
    pub title: &'static str,
    pub short: &'static str,
    number: &'static str,
    date: &'static str,
    total: &'static str,
}

pub fn labels(doc_type: DocType) -> Labels {
    match doc_type {
        DocType::Invoice => Labels {
            title: "TAX INVOICE",
            short: "Tax invoice",
            number: "Invoice No.",
            date: "Invoice Date",
            total: "Total invoice value",
        },
        DocType::CreditNote => Labels {
            title: "CREDIT NOTE",
            short: "Credit note",
            number: "Credit Note No.",
            date: "Credit Note Date",
            total: "Total credit note value",
        },
        DocType::DebitNote => Labels {
            title: "DEBIT NOTE",
            short: "Debit note",
            number: "Debit Note No.",
            date: "Debit Note Date",
            total: "Total debit note value",
        },
    }
}

/// Every page's operations.
pub fn compose(input: &PdfInput<'_>) -> Result<Vec<Vec<Op>>, GstError> {
    let mut canvas = Canvas::new();
    title(&mut canvas, input);
    if let Some(reg) = input.registration {
        registration(&mut canvas, reg, input.document.doc_type)?;
    }
    parties(&mut canvas, input)?;
    lines(&mut canvas, input)?;
    totals(&mut canvas, input)?;
    notes(&mut canvas, input)?;
    signature(&mut canvas, input)?;
    let mut pages = canvas.into_pages();
    footers(&mut pages, input.document);
    Ok(pages)
}

fn text(s: &str, face: Face, size: f32) -> Styled {
    let clipped: String = s.chars().take(MAX_FIELD_CHARS).collect();
    Styled::new(encode(&clipped), face, size)
}

fn body(s: &str) -> Styled {
    text(s, Face::Regular, BODY)
}

fn bold(s: &str) -> Styled {
    text(s, Face::Bold, BODY)
}

fn heading(s: &str) -> Styled {
    text(s, Face::Bold, SMALL)
}

/// "27-Maharashtra": a state as Rule 46(n) asks, its code and name.
fn state_label(state: State) -> String {
    format!("{}-{}", state.code_str(), state.name())
}

/// A rate without trailing zeros: 9, 2.5, 0.25.
fn percent(rate: Decimal) -> String {
    format!("{}%", rate.normalize())
}

fn title(canvas: &mut Canvas, input: &PdfInput<'_>) {
    let labels = labels(input.document.doc_type);
    let top = canvas.y;
    canvas.text(
        MARGIN,
        CONTENT_W,
        top + 14.0,
        &text(labels.title, Face::Bold, 14.0),
        Align::Center,
    );
    // Rule 48: the copy for the recipient.
    canvas.text(
        MARGIN,
        CONTENT_W,
        top + 9.0,
        &heading("ORIGINAL FOR RECIPIENT"),
        Align::Right,
    );
    canvas.y = top + 22.0;
}

/// IRN, acknowledgement and (unless cancelled) the signed QR code.
fn registration(canvas: &mut Canvas, reg: &Registration, doc: DocType) -> Result<(), GstError> {
    let modules = if reg.cancelled {
        None
    } else {
        Some(qr::modules(&reg.signed_qr_code)?)
    };
    let qr_w = if modules.is_some() {
        QR_SIZE + PAD
    } else {
        0.0
    };
    let mut paragraphs = vec![
        heading("E-INVOICE (REGISTERED ON THE IRP)"),
        body(&format!("IRN: {}", reg.irn)),
        body(&format!("Ack No.: {}", reg.ack_no)),
        body(&format!("Ack Date: {}", reg.ack_date)),
    ];
    if reg.issuer != "NIC" {
        paragraphs.push(body(&format!(
            "IRN and QR code signed by {}: not a government (NIC) signature.",
            reg.issuer
        )));
    }
    if reg.cancelled {
        paragraphs.push(bold(&format!(
            "IRN CANCELLED ON THE IRP: this is no longer a valid {}.",
            labels(doc).short.to_lowercase()
        )));
    }
    let lines = wrapped(&paragraphs, CONTENT_W - qr_w - 2.0 * PAD, MAX_FIELD_LINES);
    let height = box_height(&lines).max(if modules.is_some() {
        QR_SIZE + 2.0 * PAD
    } else {
        0.0
    });
    canvas.ensure(height)?;
    let top = canvas.y;
    canvas.frame(MARGIN, top, CONTENT_W, height);
    draw_lines(canvas, MARGIN, CONTENT_W - qr_w, top, &lines, Align::Left);
    if let Some(m) = modules {
        draw_qr(canvas, &m, MARGIN + CONTENT_W - QR_SIZE - PAD, top + PAD);
    }
    canvas.y = top + height + 4.0;
    Ok(())
}

fn draw_qr(canvas: &mut Canvas, m: &qr::Modules, x: f32, y: f32) {
    let module = QR_SIZE / m.side as f32;
    for run in &m.runs {
        canvas.push(Op::Fill {
            x: x + run.x as f32 * module,
            y: y + run.y as f32 * module,
            w: run.len as f32 * module,
            h: module,
            gray: 0.0,
        });
    }
}

/// Supplier beside the document's number and date; recipient beside the
/// place of supply and how the supply is taxed.
fn parties(canvas: &mut Canvas, input: &PdfInput<'_>) -> Result<(), GstError> {
    let doc = input.document;
    let half = CONTENT_W / 2.0;
    let mut supplier = vec![heading("SUPPLIER")];
    supplier.extend(party_lines(&doc.seller));
    supplier.push(body(&format!(
        "State: {}",
        state_label(doc.seller_gstin.state())
    )));
    supplier.push(bold(&format!("GSTIN: {}", doc.seller_gstin)));
    boxes(
        canvas,
        &[(half, supplier), (half, particulars(input))],
        MAX_FIELD_LINES,
    )?;
    boxes(
        canvas,
        &[(half, recipient(input)), (half, supply(input))],
        MAX_FIELD_LINES,
    )?;
    // Rule 46(o): the delivery address, where it differs.
    if let Some(to) = &doc.ship_to {
        let mut ship = vec![heading("SHIP TO (DELIVERY ADDRESS)")];
        ship.extend(party_lines(to));
        if let Some(state) = to.state {
            ship.push(body(&format!("State: {}", state_label(state))));
        }
        boxes(canvas, &[(CONTENT_W, ship)], MAX_FIELD_LINES)?;
    }
    canvas.y += 6.0;
    Ok(())
}

/// A party's name, trade name, address and contact, leaving out what is blank.
fn party_lines(p: &Party) -> Vec<Styled> {
    let mut out = Vec::new();
    if !p.legal_name.trim().is_empty() {
        out.push(bold(&p.legal_name));
    }
    if let Some(trade) = p.trade_name.as_deref().filter(|t| !t.trim().is_empty()) {
        out.push(body(&format!("Trade name: {trade}")));
    }
    for line in [Some(p.address1.as_str()), p.address2.as_deref()]
        .into_iter()
        .flatten()
        .filter(|l| !l.trim().is_empty())
    {
        out.push(body(line));
    }
    let place = match (p.location.trim(), p.pin) {
        ("", None) => None,
        ("", Some(pin)) => Some(format!("PIN {pin}")),
        (loc, None) => Some(loc.to_string()),
        (loc, Some(pin)) => Some(format!("{loc} - {pin}")),
    };
    out.extend(place.map(|p| body(&p)));
    let contact: Vec<String> = [("Phone", &p.phone), ("Email", &p.email)]
        .into_iter()
        .filter_map(|(label, v)| v.as_deref().map(|v| format!("{label}: {v}")))
        .collect();
    if !contact.is_empty() {
        out.push(body(&contact.join(", ")));
    }
    out
}

/// The document's own particulars: number, date, and for a note the
/// original invoice (Rule 53(1A)(g)).
fn particulars(input: &PdfInput<'_>) -> Vec<Styled> {
    let doc = input.document;
    let labels = labels(doc.doc_type);
    let mut out = vec![
        heading(labels.title),
        bold(&format!("{}: {}", labels.number, doc.number)),
        body(&format!("{}: {}", labels.date, doc.date.to_dmy_slash())),
    ];
    if let Some(orig) = input.original_document() {
        out.push(bold(&format!("Original Invoice No.: {}", orig.number)));
        out.push(body(&format!(
            "Original Invoice Date: {}",
            orig.date.to_dmy_slash()
        )));
    }
    out
}

/// The recipient: name and address, and its GSTIN or "Unregistered" with
/// the state of its address.
fn recipient(input: &PdfInput<'_>) -> Vec<Styled> {
    let doc = input.document;
    let mut out = vec![heading("RECIPIENT (BILL TO)")];
    out.extend(party_lines(&doc.buyer));
    let country = doc.export.as_ref().and_then(|e| e.country_code.as_deref());
    match (&doc.buyer_gstin, doc.supply_type.is_export()) {
        (Some(gstin), _) => {
            out.push(body(&format!("State: {}", state_label(gstin.state()))));
            out.push(bold(&format!("GSTIN: {gstin}")));
        }
        (None, true) => {
            out.push(body(&format!(
                "Country: {}",
                country.unwrap_or("outside India")
            )));
            out.push(bold("GSTIN: Unregistered (export)"));
        }
        (None, false) => {
            let state = doc.buyer.state.unwrap_or(input.tax.place_of_supply);
            out.push(body(&format!("State: {}", state_label(state))));
            out.push(bold("GSTIN: Unregistered"));
        }
    }
    out
}

fn supply_type_label(t: SupplyType) -> &'static str {
    match t {
        SupplyType::B2b => "B2B (registered recipient)",
        SupplyType::B2c => "B2C (unregistered recipient)",
        SupplyType::SezWithPayment => "Supply to SEZ with payment of IGST",
        SupplyType::SezWithoutPayment => "Supply to SEZ under LUT/bond",
        SupplyType::ExportWithPayment => "Export with payment of IGST",
        SupplyType::ExportWithoutPayment => "Export under LUT/bond",
    }
}

/// Place of supply, the kind of supply, reverse charge, and for exports
/// the shipping particulars.
fn supply(input: &PdfInput<'_>) -> Vec<Styled> {
    let doc = input.document;
    let tax = input.tax;
    let mut out = vec![
        heading("SUPPLY"),
        bold(&format!(
            "Place of Supply: {}",
            state_label(tax.place_of_supply)
        )),
        body(&format!(
            "Supply Type: {}",
            supply_type_label(doc.supply_type)
        )),
        body(&format!(
            "Tax payable on reverse charge: {}",
            if doc.reverse_charge { "Yes" } else { "No" }
        )),
    ];
    if let Some(eco) = &doc.ecommerce_gstin {
        out.push(body(&format!("E-commerce operator GSTIN: {eco}")));
    }
    if let Some(e) = &doc.export {
        if let Some(country) = &e.country_code {
            out.push(body(&format!("Country of destination: {country}")));
        }
        let bill = match (&e.shipping_bill_no, e.shipping_bill_date) {
            (Some(no), Some(date)) => Some(format!("{no} dated {}", date.to_dmy_slash())),
            (Some(no), None) => Some(no.clone()),
            _ => None,
        };
        if let Some(bill) = bill {
            out.push(body(&format!("Shipping bill: {bill}")));
        }
        if let Some(port) = &e.port_code {
            out.push(body(&format!("Port: {port}")));
        }
    }
    out
}

/// Which tax columns a document has: by its split, plus discount and cess
/// only when some line has them.
struct Shape {
    rule: TaxRule,
    discount: bool,
    cess: bool,
}

impl Shape {
    fn of(doc: &Invoice, tax: &TaxBreakup) -> Shape {
        Shape {
            rule: tax.rule,
            discount: tax.lines.iter().any(|l| l.discount_paise != 0),
            cess: doc.lines.iter().any(|l| !l.cess_rate.is_zero()) || tax.cess_paise != 0,
        }
    }

    /// The taxes charged, one column each.
    fn taxes(&self) -> &'static [TaxKind] {
        match self.rule {
            TaxRule::IntraState => &[TaxKind::Cgst, TaxKind::Sgst],
            TaxRule::UnionTerritory => &[TaxKind::Cgst, TaxKind::Utgst],
            _ => &[TaxKind::Igst],
        }
    }

    fn columns(&self, prices_include_tax: bool) -> Vec<Column> {
        let mut fixed = vec![
            Column::new(&["#"], 18.0, Align::Right),
            Column::new(&["Description"], 0.0, Align::Left),
            Column::new(&["HSN/SAC"], 40.0, Align::Left),
            Column::new(&["Qty"], 44.0, Align::Right),
            if prices_include_tax {
                Column::new(&["Unit price", "(incl. tax)"], 56.0, Align::Right)
            } else {
                Column::new(&["Unit price"], 56.0, Align::Right)
            },
        ];
        if self.discount {
            fixed.push(Column::new(&["Discount"], 50.0, Align::Right));
        }
        fixed.push(Column::new(&["Taxable", "value"], 60.0, Align::Right));
        for kind in self.taxes() {
            fixed.push(Column::new(&[kind.name(), "amount"], 56.0, Align::Right));
        }
        if self.cess {
            fixed.push(Column::new(&["Cess", "amount"], 52.0, Align::Right));
        }
        let used: f32 = fixed.iter().map(|c| c.width).sum();
        fixed[1].width = CONTENT_W - used;
        fixed
    }
}

#[derive(Clone, Copy)]
enum TaxKind {
    Cgst,
    Sgst,
    Utgst,
    Igst,
}

impl TaxKind {
    fn name(self) -> &'static str {
        match self {
            TaxKind::Cgst => "CGST",
            TaxKind::Sgst => "SGST",
            TaxKind::Utgst => "UTGST",
            TaxKind::Igst => "IGST",
        }
    }

    /// A line's amount and rate of this tax.
    fn of(self, l: &LineTax) -> (i64, Decimal) {
        match self {
            TaxKind::Cgst => (l.cgst_paise, l.cgst_rate),
            TaxKind::Sgst => (l.sgst_paise, l.sgst_rate),
            TaxKind::Utgst => (l.utgst_paise, l.utgst_rate),
            TaxKind::Igst => (l.igst_paise, l.igst_rate),
        }
    }
}

/// The lines table: one row per line, continued on new pages.
fn lines(canvas: &mut Canvas, input: &PdfInput<'_>) -> Result<(), GstError> {
    let doc = input.document;
    let shape = Shape::of(doc, input.tax);
    let labels = labels(doc.doc_type);
    let continued = bold(&format!(
        "{} {} dated {} (continued)",
        labels.title,
        doc.number,
        doc.date.to_dmy_slash()
    ));
    let mut table = Table::new(shape.columns(doc.prices_include_tax), continued);
    canvas.ensure(60.0)?;
    canvas.text(
        MARGIN,
        CONTENT_W,
        canvas.y + SMALL,
        &text("Amounts in Indian Rupees (Rs.)", Face::Regular, SMALL),
        Align::Right,
    );
    canvas.y += SMALL + 3.0;
    table.heading(canvas);
    let description_w = table.inner_width(1);
    for (i, (line, tax)) in doc.lines.iter().zip(&input.tax.lines).enumerate() {
        let cells = row_cells(i, line, tax, &shape, description_w);
        table.row(canvas, &cells)?;
    }
    table.close(canvas);
    canvas.y += 6.0;
    Ok(())
}

fn cell(s: &str) -> Vec<Styled> {
    vec![text(s, Face::Regular, CELL_SIZE)]
}

fn cell2(first: &str, second: &str) -> Vec<Styled> {
    vec![
        text(first, Face::Regular, CELL_SIZE),
        text(second, Face::Regular, CELL_SIZE),
    ]
}

/// One line's cells, in the columns' order.
fn row_cells(
    i: usize,
    line: &InvoiceLine,
    tax: &LineTax,
    shape: &Shape,
    description_w: f32,
) -> Vec<Vec<Styled>> {
    let described = line
        .description
        .clone()
        .filter(|d| !d.trim().is_empty())
        .or_else(|| hsn::lookup(&line.hsn_code).map(|e| e.description))
        .unwrap_or_else(|| "-".into());
    let description = wrapped(
        &[text(&described, Face::Regular, CELL_SIZE)],
        description_w,
        MAX_DESCRIPTION_LINES,
    );
    let quantity = line.quantity.normalize().to_string();
    let mut cells = vec![
        cell(&(i + 1).to_string()),
        description,
        cell(&line.hsn_code),
        match &line.unit {
            Some(unit) => cell2(&quantity, unit),
            None => cell(&quantity),
        },
        cell(&group_indian(line.unit_price_paise)),
    ];
    if shape.discount {
        cells.push(cell(&group_indian(tax.discount_paise)));
    }
    cells.push(cell(&group_indian(tax.taxable_paise)));
    for kind in shape.taxes() {
        let (amount, rate) = kind.of(tax);
        let rate = if shape.rule.is_zero_rated_lut() {
            "nil (LUT)".to_string()
        } else if !line.treatment.is_taxable() {
            untaxed_label(line.treatment).to_string()
        } else {
            format!("@{}", percent(rate))
        };
        cells.push(cell2(&group_indian(amount), &rate));
    }
    if shape.cess {
        cells.push(if tax.cess_rate.is_zero() {
            cell("-")
        } else {
            cell2(
                &group_indian(tax.cess_paise),
                &format!("@{}", percent(tax.cess_rate)),
            )
        });
    }
    cells
}

/// The totals (right) beside the total in words (left), kept together.
fn totals(canvas: &mut Canvas, input: &PdfInput<'_>) -> Result<(), GstError> {
    let tax = input.tax;
    let labels = labels(input.document.doc_type);
    let rows = total_rows(input, labels.total);
    let row_h = BODY * 1.45;
    let right_h = rows.len() as f32 * row_h + 2.0 * PAD;
    let left_w = CONTENT_W - TOTALS_W;
    let words = wrapped(
        &[
            heading("AMOUNT IN WORDS"),
            bold(&amount_in_words(tax.total_paise)),
        ],
        left_w - 2.0 * PAD,
        MAX_FIELD_LINES + 1,
    );
    let height = right_h.max(box_height(&words));
    canvas.ensure(height)?;
    let top = canvas.y;
    canvas.frame(MARGIN, top, left_w, height);
    draw_lines(canvas, MARGIN, left_w, top, &words, Align::Left);
    let x = MARGIN + left_w;
    canvas.frame(x, top, TOTALS_W, height);
    for (i, (label, value, strong)) in rows.iter().enumerate() {
        let baseline = top + PAD + i as f32 * row_h + BODY;
        let (label, value) = if *strong {
            (bold(label), bold(value))
        } else {
            (body(label), body(value))
        };
        canvas.text(x + PAD, TOTALS_W - 2.0 * PAD, baseline, &label, Align::Left);
        canvas.text(
            x + PAD,
            TOTALS_W - 2.0 * PAD,
            baseline,
            &value,
            Align::Right,
        );
    }
    canvas.y = top + height + 6.0;
    Ok(())
}

/// (label, amount, bold) rows: taxable value, each tax charged, cess and
/// round-off when not zero, the total; under reverse charge also what the
/// recipient pays the government and what it pays the supplier.
fn total_rows(input: &PdfInput<'_>, total_label: &str) -> Vec<(String, String, bool)> {
    let tax = input.tax;
    let mut rows = vec![(
        "Total taxable value".to_string(),
        group_indian(tax.taxable_paise),
        false,
    )];
    let split: Vec<(&str, i64)> = match tax.rule {
        TaxRule::IntraState => vec![("CGST", tax.cgst_paise), ("SGST", tax.sgst_paise)],
        TaxRule::UnionTerritory => vec![("CGST", tax.cgst_paise), ("UTGST", tax.utgst_paise)],
        r if r.is_zero_rated_lut() => vec![("IGST (zero-rated, LUT/bond)", 0)],
        _ => vec![("IGST", tax.igst_paise)],
    };
    for (name, amount) in split {
        rows.push((name.to_string(), group_indian(amount), false));
    }
    for (name, amount) in [("Cess", tax.cess_paise), ("Round off", tax.round_off_paise)] {
        if amount != 0 {
            rows.push((name.to_string(), group_indian(amount), false));
        }
    }
    rows.push((
        format!("{total_label} (Rs.)"),
        group_indian(tax.total_paise),
        true,
    ));
    if tax.amount_due_paise != tax.total_paise {
        rows.push((
            "Tax payable by recipient (RCM)".to_string(),
            group_indian(tax.total_paise - tax.amount_due_paise),
            false,
        ));
        rows.push((
            "Amount payable to supplier".to_string(),
            group_indian(tax.amount_due_paise),
            true,
        ));
    }
    rows
}

/// The export or SEZ endorsement (proviso to Rule 46), and remarks.
fn notes(canvas: &mut Canvas, input: &PdfInput<'_>) -> Result<(), GstError> {
    let doc = input.document;
    let mut paragraphs = Vec::new();
    if let Some(endorsement) = endorsement(doc.supply_type) {
        paragraphs.push(bold(endorsement));
    }
    if doc.einvoice_exempt {
        paragraphs.push(body(EINVOICE_EXEMPT_DECLARATION));
    }
    if let Some(arn) = doc.lut_reference.as_deref() {
        paragraphs.push(body(&format!(
            "Letter of Undertaking (FORM GST RFD-11, Rule 96A) ARN: {arn}"
        )));
    }
    if doc.reverse_charge {
        paragraphs.push(body(
            "The tax on this supply is payable by the recipient under reverse charge.",
        ));
    }
    if let Some(remarks) = doc.remarks.as_deref().filter(|r| !r.trim().is_empty()) {
        paragraphs.push(body(&format!("Remarks: {remarks}")));
    }
    if paragraphs.is_empty() {
        return Ok(());
    }
    boxes(canvas, &[(CONTENT_W, paragraphs)], MAX_FIELD_LINES)?;
    canvas.y += 6.0;
    Ok(())
}

/// CGST Rule 46(s), inserted by Notification 14/2022-CT, verbatim.
pub const EINVOICE_EXEMPT_DECLARATION: &str = "I/We hereby declare that though our aggregate turnover in any preceding financial year from 2017-18 onwards is more than the aggregate turnover notified under sub-rule (4) of rule 48, we are not required to prepare an invoice in terms of the provisions of the said sub-rule.";

/// A line that carries no tax says why, in its tax column.
fn untaxed_label(t: crate::treatment::Treatment) -> &'static str {
    match t {
        crate::treatment::Treatment::NilRated => "nil-rated",
        crate::treatment::Treatment::Exempt => "exempt",
        crate::treatment::Treatment::NonGst => "non-GST",
        crate::treatment::Treatment::Taxable => "",
    }
}

/// What an export or SEZ supply's invoice must say about the IGST.
fn endorsement(t: SupplyType) -> Option<&'static str> {
    Some(match t {
        SupplyType::ExportWithPayment => {
            "SUPPLY MEANT FOR EXPORT ON PAYMENT OF INTEGRATED TAX"
        }
        SupplyType::ExportWithoutPayment => {
            "SUPPLY MEANT FOR EXPORT UNDER BOND OR LETTER OF UNDERTAKING WITHOUT PAYMENT OF INTEGRATED TAX"
        }
        SupplyType::SezWithPayment => {
            "SUPPLY MEANT FOR SUPPLY TO SEZ UNIT OR SEZ DEVELOPER FOR AUTHORISED OPERATIONS ON PAYMENT OF INTEGRATED TAX"
        }
        SupplyType::SezWithoutPayment => {
            "SUPPLY MEANT FOR SUPPLY TO SEZ UNIT OR SEZ DEVELOPER FOR AUTHORISED OPERATIONS UNDER BOND OR LETTER OF UNDERTAKING WITHOUT PAYMENT OF INTEGRATED TAX"
        }
        SupplyType::B2b | SupplyType::B2c => return None,
    })
}

/// The supplier's signature line. A tax invoice issued electronically needs
/// no signature (proviso to Rule 46); Rule 53 has no such proviso for
/// notes, so a note only gets the line.
fn signature(canvas: &mut Canvas, input: &PdfInput<'_>) -> Result<(), GstError> {
    let doc = input.document;
    let left = match doc.doc_type {
        DocType::Invoice => vec![body(
            "This is an electronic invoice under the Information Technology Act, 2000: \
             under the proviso to CGST Rule 46 it requires no signature.",
        )],
        DocType::CreditNote | DocType::DebitNote => vec![body(
            "Issued under section 34 of the CGST Act, 2017 (particulars as per CGST Rule 53(1A)).",
        )],
    };
    let name = if doc.seller.legal_name.trim().is_empty() {
        doc.seller_gstin.to_string()
    } else {
        doc.seller.legal_name.clone()
    };
    let right = vec![
        bold(&format!("For {name}")),
        text("", Face::Regular, 22.0),
        body("Authorised Signatory"),
    ];
    boxes(
        canvas,
        &[(CONTENT_W - SIGNATURE_W, left), (SIGNATURE_W, right)],
        MAX_FIELD_LINES,
    )
}

/// "Tax invoice FX2627-000001 dated 05/04/2026" and "Page i of n" at the
/// foot of every page.
fn footers(pages: &mut [Vec<Op>], doc: &Invoice) {
    let n = pages.len();
    let left = encode(&format!(
        "{} {} dated {} - GSTIN {}",
        labels(doc.doc_type).short,
        doc.number,
        doc.date.to_dmy_slash(),
        doc.seller_gstin
    ));
    let y = PAGE_H - 30.0;
    for (i, ops) in pages.iter_mut().enumerate() {
        let right = encode(&format!("Page {} of {n}", i + 1));
        let right_x = MARGIN + CONTENT_W - Face::Regular.width(&right, SMALL);
        ops.push(Op::Line {
            x1: MARGIN,
            y1: y - 10.0,
            x2: MARGIN + CONTENT_W,
            y2: y - 10.0,
            width: 0.3,
        });
        for (x, t) in [(MARGIN, left.clone()), (right_x, right)] {
            ops.push(Op::Text {
                x,
                y,
                size: SMALL,
                face: Face::Regular,
                gray: 0.35,
                text: t,
            });
        }
    }
}
