use rust_decimal::Decimal;

use super::font::encode;
use super::*;
use crate::calc::{calculate, SupplyType};
use crate::einvoice::{DocNumber, ExportDetails, InvoiceLine, Party};
use crate::gstin::Gstin;
use crate::rate::GstRate;
use crate::state::State;

fn party(name: &str) -> Party {
    Party {
        legal_name: name.into(),
        trade_name: None,
        address1: "12 MG Road".into(),
        address2: Some("Near Metro Station".into()),
        location: "Bengaluru".into(),
        pin: Some(560_001),
        state: None,
        phone: None,
        email: Some("billing@example.in".into()),
    }
}

fn line(
    description: Option<&str>,
    hsn: &str,
    paise: i64,
    qty: i64,
    unit: Option<&str>,
) -> InvoiceLine {
    InvoiceLine {
        description: description.map(Into::into),
        hsn_code: hsn.into(),
        is_service: None,
        quantity: Decimal::from(qty),
        unit: unit.map(Into::into),
        unit_price_paise: paise,
        discount_paise: 0,
        rate: GstRate::STANDARD,
        cess_rate: Decimal::ZERO,
        treatment: Default::default(),
    }
}

/// A Karnataka supplier's invoice to `buyer` (a GSTIN, or unregistered).
fn invoice(buyer: Option<&str>, supply_type: SupplyType) -> Invoice {
    Invoice {
        doc_type: DocType::Invoice,
        number: DocNumber::parse("FX2627-000001").unwrap(),
        date: Date::new(2026, 4, 5).unwrap(),
        supply_type,
        reverse_charge: false,
        ecommerce_gstin: None,
        seller_gstin: Gstin::parse("29AAFCC9980M1ZR").unwrap(),
        seller: party("Finvex Demo Pvt Ltd"),
        buyer_gstin: buyer.map(|g| Gstin::parse(g).unwrap()),
        buyer: party("Acme Traders"),
        place_of_supply: None,
        prices_include_tax: false,
        round_to_rupee: true,
        lines: vec![
            line(
                Some("SaaS subscription (April)"),
                "998316",
                10_000_000,
                1,
                None,
            ),
            line(None, "5205", 50_000, 2, Some("KGS")),
        ],
        export: None,
        preceding_document: None,
        remarks: None,
        lut_reference: None,
        ship_to: None,
        einvoice_exempt: false,
    }
}

fn registration() -> Registration {
    Registration {
        irn: "a".repeat(64),
        ack_no: "112610000000001".into(),
        ack_date: "2026-04-05 12:30:00".into(),
        signed_qr_code: "eyJhbGciOiJSUzI1NiJ9.".to_string() + &"x".repeat(800),
        issuer: "FINVEX-FAKE-IRP (not NIC)".into(),
        cancelled: false,
    }
}

fn render_doc(doc: &Invoice, reg: Option<&Registration>) -> Vec<u8> {
    let tax = calculate(&doc.to_supply()).unwrap();
    render(&PdfInput {
        document: doc,
        tax: &tax,
        registration: reg,
        original: None,
        created: None,
    })
    .unwrap()
}

/// Whether the PDF draws `s` as one text run (the content streams are
/// uncompressed, so the WinAnsi bytes appear as written).
fn shows(pdf: &[u8], s: &str) -> bool {
    let needle = encode(s);
    pdf.windows(needle.len()).any(|w| w == needle.as_slice())
}

fn count(pdf: &[u8], s: &[u8]) -> usize {
    pdf.windows(s.len()).filter(|w| *w == s).count()
}

#[test]
fn an_invoice_shows_the_rule_46_particulars() {
    let doc = invoice(Some("27AAPFU0939F1ZV"), SupplyType::B2b);
    let pdf = render_doc(&doc, Some(&registration()));
    assert!(pdf.starts_with(b"%PDF-"));
    for s in [
        "TAX INVOICE",
        "ORIGINAL FOR RECIPIENT",
        "Finvex Demo Pvt Ltd",
        "12 MG Road",
        "Bengaluru - 560001",
        "GSTIN: 29AAFCC9980M1ZR",
        "State: 29-Karnataka",
        "Acme Traders",
        "GSTIN: 27AAPFU0939F1ZV",
        "Invoice No.: FX2627-000001",
        "Invoice Date: 05/04/2026",
        "Place of Supply: 27-Maharashtra",
        "Tax payable on reverse charge: No",
        "SaaS subscription (April)",
        "998316",
        "5205",
        "KGS",
        // 1,00,000 + 18 % and 2 x 500 + 18 %, inter-State: IGST.
        "1,00,000.00",
        "IGST",
        "@18%",
        "18,000.00",
        "1,19,180.00",
        "Rupees One Lakh Nineteen Thousand One Hundred Eighty Only",
        "Authorised Signatory",
        "For Finvex Demo Pvt Ltd",
        "Information Technology Act, 2000",
        "IRN: aaaaaaaa",
        "Ack No.: 112610000000001",
        "Ack Date: 2026-04-05 12:30:00",
        "not a government (NIC) signature",
        "Page 1 of 1",
    ] {
        assert!(shows(&pdf, s), "missing {s:?}");
    }
    // No CGST column on an inter-State supply; the 5205 line is described
    // from the HSN master.
    assert!(!shows(&pdf, "(CGST) Tj"));
    assert!(
        shows(&pdf, "COTTON YARN"),
        "the HSN master's description of 5205"
    );
    // The QR code: one filled rectangle per run of dark modules.
    assert!(count(&pdf, b" re\n") > 200);
}

#[test]
fn the_same_document_gives_the_same_bytes() {
    let doc = invoice(Some("27AAPFU0939F1ZV"), SupplyType::B2b);
    let tax = calculate(&doc.to_supply()).unwrap();
    let reg = registration();
    let at = IndiaTime {
        date: Date::new(2026, 4, 5).unwrap(),
        hour: 9,
        minute: 5,
        second: 7,
    };
    let input = PdfInput {
        document: &doc,
        tax: &tax,
        registration: Some(&reg),
        original: None,
        created: Some(at),
    };
    let first = render(&input).unwrap();
    assert_eq!(first, render(&input).unwrap());
    assert_eq!(
        count(&first, b"/CreationDate (D:20260405090507+05'30)"),
        1,
        "the creation date, in IST"
    );
    let undated = render(&PdfInput {
        created: None,
        ..input
    })
    .unwrap();
    assert_eq!(count(&undated, b"CreationDate"), 0);
    assert_eq!(
        undated,
        render(&PdfInput {
            created: None,
            ..input
        })
        .unwrap()
    );
}

#[test]
fn intra_state_shows_cgst_and_sgst_and_an_unregistered_buyer() {
    let mut doc = invoice(None, SupplyType::B2c);
    doc.buyer.state = Some(State::parse("KA").unwrap());
    doc.lines[0].discount_paise = 150;
    doc.lines[1].cess_rate = Decimal::from(12);
    let pdf = render_doc(&doc, None);
    for s in [
        "GSTIN: Unregistered",
        "State: 29-Karnataka",
        "Place of Supply: 29-Karnataka",
        "CGST",
        "SGST",
        "@9%",
        "Discount",
        "Cess",
        "@12%",
    ] {
        assert!(shows(&pdf, s), "missing {s:?}");
    }
    assert!(!shows(&pdf, "(IGST) Tj"));
    assert!(!shows(&pdf, "IRN"), "nothing registered, nothing printed");
}

#[test]
fn a_credit_note_names_its_original_invoice() {
    let mut doc = invoice(Some("27AAPFU0939F1ZV"), SupplyType::B2b);
    doc.doc_type = DocType::CreditNote;
    doc.number = DocNumber::parse("CN2627-000001").unwrap();
    doc.date = Date::new(2026, 4, 20).unwrap();
    doc.lines.truncate(1);
    let tax = calculate(&doc.to_supply()).unwrap();
    let original = PrecedingDocument {
        number: DocNumber::parse("FX2627-000001").unwrap(),
        date: Date::new(2026, 4, 5).unwrap(),
    };
    let input = PdfInput {
        document: &doc,
        tax: &tax,
        registration: None,
        original: None,
        created: None,
    };
    let err = render(&input).unwrap_err();
    assert_eq!(err.field(), Some("original_invoice_id"));
    let pdf = render(&PdfInput {
        original: Some(&original),
        ..input
    })
    .unwrap();
    for s in [
        "CREDIT NOTE",
        "Credit Note No.: CN2627-000001",
        "Credit Note Date: 20/04/2026",
        "Original Invoice No.: FX2627-000001",
        "Original Invoice Date: 05/04/2026",
        "Total credit note value (Rs.)",
    ] {
        assert!(shows(&pdf, s), "missing {s:?}");
    }
    // No proviso waives a note's signature: only the line is printed.
    assert!(!shows(&pdf, "requires no signature"));
    // The document's own preceding_document serves when no original is passed.
    doc.preceding_document = Some(original.clone());
    assert!(shows(
        &render_doc(&doc, None),
        "Original Invoice No.: FX2627-000001"
    ));
}

#[test]
fn an_export_under_lut_carries_its_endorsement() {
    let mut doc = invoice(None, SupplyType::ExportWithoutPayment);
    doc.lut_reference = Some("AD2904260001234".into());
    doc.export = Some(ExportDetails {
        shipping_bill_no: Some("1234567".into()),
        shipping_bill_date: Some(Date::new(2026, 4, 6).unwrap()),
        port_code: Some("INBLR4".into()),
        country_code: Some("US".into()),
        currency: Some("USD".into()),
        refund_claim: false,
    });
    let pdf = render_doc(&doc, None);
    for s in [
        "SUPPLY MEANT FOR EXPORT UNDER BOND OR LETTER OF UNDERTAKING WITHOUT PAYMENT OF INTEGRATED TAX",
        "Place of Supply: 96-",
        "GSTIN: Unregistered (export)",
        "Country of destination: US",
        "Shipping bill: 1234567 dated 06/04/2026",
        "nil (LUT)",
        "IGST (zero-rated, LUT/bond)",
        "Letter of Undertaking (FORM GST RFD-11, Rule 96A) ARN: AD2904260001234",
    ] {
        assert!(shows(&pdf, s), "missing {s:?}");
    }
}

#[test]
fn a_cancelled_irn_is_said_and_its_qr_code_not_drawn() {
    let doc = invoice(Some("27AAPFU0939F1ZV"), SupplyType::B2b);
    let reg = Registration {
        cancelled: true,
        ..registration()
    };
    let pdf = render_doc(&doc, Some(&reg));
    assert!(shows(&pdf, "IRN CANCELLED ON THE IRP"));
    assert!(count(&pdf, b" re\n") < 10, "no QR modules");
    let bad = Registration {
        signed_qr_code: "x".repeat(MAX_QR_CHARS + 1),
        ..registration()
    };
    let tax = calculate(&doc.to_supply()).unwrap();
    let err = render(&PdfInput {
        document: &doc,
        tax: &tax,
        registration: Some(&bad),
        original: None,
        created: None,
    })
    .unwrap_err();
    assert_eq!(err.field(), Some("irp.signed_qr_code"));
}

#[test]
fn a_long_invoice_continues_over_pages_up_to_the_line_limit() {
    let mut doc = invoice(Some("27AAPFU0939F1ZV"), SupplyType::B2b);
    let long =
        "Implementation and support services for the payment stack, billed per module ".repeat(3);
    doc.lines = (0..MAX_PDF_LINES)
        .map(|i| {
            line(
                Some(&format!("Item {} {long}", i + 1)),
                "998316",
                1_000 + i as i64,
                1,
                None,
            )
        })
        .collect();
    let pdf = render_doc(&doc, None);
    let pages = count(&pdf, b"/Type /Page\n") + count(&pdf, b"/Type /Page ");
    assert!(pages > 20, "{pages} pages");
    assert!(pages <= MAX_PAGES);
    assert!(shows(&pdf, &format!("Page {pages} of {pages}")));
    assert!(shows(
        &pdf,
        "TAX INVOICE FX2627-000001 dated 05/04/2026 (continued)"
    ));
    assert!(shows(&pdf, "Item 1000 "));

    doc.lines.push(doc.lines[0].clone());
    let mut tax =
        calculate(&invoice(Some("27AAPFU0939F1ZV"), SupplyType::B2b).to_supply()).unwrap();
    tax.lines = vec![tax.lines[0].clone(); MAX_PDF_LINES + 1];
    let err = render(&PdfInput {
        document: &doc,
        tax: &tax,
        registration: None,
        original: None,
        created: None,
    })
    .unwrap_err();
    assert_eq!(err.field(), Some("lines"));
}

#[test]
fn a_breakup_of_other_lines_is_refused() {
    let doc = invoice(Some("27AAPFU0939F1ZV"), SupplyType::B2b);
    let mut tax = calculate(&doc.to_supply()).unwrap();
    tax.lines.pop();
    let err = render(&PdfInput {
        document: &doc,
        tax: &tax,
        registration: None,
        original: None,
        created: None,
    })
    .unwrap_err();
    assert_eq!(err.field(), Some("breakup"));
}

#[test]
fn a_line_that_carries_no_tax_says_why() {
    let mut doc = invoice(None, SupplyType::B2c);
    doc.buyer.state = Some(crate::state::State::parse("KA").unwrap());
    doc.lines[1].rate = GstRate::ZERO;
    doc.lines[1].treatment = crate::treatment::Treatment::Exempt;
    let pdf = render_doc(&doc, None);
    assert!(shows(&pdf, "exempt"), "the exempt line is labelled");
}

#[test]
fn a_delivery_address_is_printed_as_ship_to() {
    let mut doc = invoice(Some("27AAPFU0939F1ZV"), SupplyType::B2b);
    doc.ship_to = Some(Party {
        legal_name: "Acme Warehouse".into(),
        location: "Bhiwandi".into(),
        pin: Some(421_302),
        state: Some(crate::state::State::parse("MH").unwrap()),
        ..party("unused")
    });
    let pdf = render_doc(&doc, None);
    for s in [
        "SHIP TO (DELIVERY ADDRESS)",
        "Acme Warehouse",
        "Bhiwandi - 421302",
    ] {
        assert!(shows(&pdf, s), "missing {s:?}");
    }
}

#[test]
fn an_einvoice_exempt_supplier_prints_the_rule_46s_declaration() {
    let mut doc = invoice(Some("27AAPFU0939F1ZV"), SupplyType::B2b);
    assert!(!shows(&render_doc(&doc, None), "I/We hereby declare"));
    doc.einvoice_exempt = true;
    assert!(shows(&render_doc(&doc, None), "I/We hereby declare"));
}
