//! Tax invoices and credit notes as PDF (`GET /v1/gst/invoices/{id}?format=pdf`),
//! read back as a person's PDF tools read them: `pdftotext -layout` for the
//! particulars of CGST Rules 46 and 53(1A), `pdftoppm` for a picture of the
//! page, and zbar's `zbarimg` to scan the printed QR code. CI installs
//! poppler-utils and zbar-tools and requires them; elsewhere those checks
//! are skipped without them (the bytes are still checked).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use crate::common::{error_of, Api, TestServer};

const SELLER_KA: &str = "29AAFCC9980M1ZR";
const BUYER_MH: &str = "27AAPFU0939F1ZV";

/// Whether poppler's tools are on the PATH; CI must have them.
fn have_poppler() -> bool {
    let found = Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").is_err(),
            "CI must install poppler-utils (pdftotext, pdftoppm)"
        );
        eprintln!("pdftotext is not installed: the text checks are skipped");
    }
    found
}

/// The PDF's text in reading order, as `pdftotext -layout` extracts it.
fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Renders the first page at 60 dpi to `<prefix>-1.png`, for a person to look at.
fn picture(path: &Path, prefix: &str) -> PathBuf {
    let out = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1"])
        .arg(path)
        .arg(prefix)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftoppm: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = PathBuf::from(format!("{prefix}-1.png"));
    assert!(std::fs::metadata(&png).unwrap().len() > 1_000, "{png:?}");
    png
}

/// The QR code printed on the first page, scanned from a 300 dpi picture
/// (`None` without zbarimg, which CI must have).
fn scanned_qr(path: &Path, dir: &Path) -> Option<String> {
    let found = Command::new("zbarimg")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").is_err(),
            "CI must install zbar-tools (zbarimg)"
        );
        eprintln!("zbarimg is not installed: the QR code is not scanned");
        return None;
    }
    let prefix = dir.join("scan");
    let rendered = Command::new("pdftoppm")
        .args(["-png", "-r", "300", "-f", "1", "-l", "1"])
        .arg(path)
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(rendered.success());
    let out = Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(dir.join("scan-1.png"))
        .output()
        .unwrap();
    assert!(out.status.success(), "no QR code found on the page");
    Some(
        String::from_utf8(out.stdout)
            .unwrap()
            .trim_end()
            .to_string(),
    )
}

/// `GET …?format=pdf`: checks the headers and returns the bytes.
async fn fetch_pdf(api: &Api<'_>, id: &str, filename: &str) -> Vec<u8> {
    let response = api.get(&format!("/v1/gst/invoices/{id}?format=pdf")).await;
    assert_eq!(response.status(), 200);
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_string();
    assert_eq!(header("content-type"), "application/pdf");
    assert_eq!(
        header("content-disposition"),
        format!("inline; filename=\"{filename}\"")
    );
    let bytes = response.bytes().await.unwrap().to_vec();
    assert!(
        bytes.starts_with(b"%PDF-") && bytes.ends_with(b"%%EOF"),
        "a whole PDF"
    );
    bytes
}

fn party(name: &str, address: &str, city: &str, pin: u32) -> Value {
    json!({"legal_name": name, "address1": address, "location": city, "pin": pin})
}

/// A B2B invoice from Karnataka to Maharashtra: a service and a goods line.
fn two_line_invoice() -> Value {
    json!({
        "date": "2026-04-05",
        "seller_gstin": SELLER_KA,
        "seller": party("Finvex Demo Pvt Ltd", "1 MG Road", "Bengaluru", 560001),
        "buyer_gstin": BUYER_MH,
        "buyer": party("Acme Traders", "2 Marine Drive", "Mumbai", 400001),
        "lines": [
            {"description": "Payment gateway subscription, April", "hsn_code": "998316", "unit_price": 100000},
            {"description": "Cotton yarn", "hsn_code": "5205", "unit_price": 20000, "quantity": 2, "unit": "KGS", "rate": 5}
        ]
    })
}

/// An operator verifies the merchant signed up as `email`, which opens live mode.
async fn verify_for_live(server: &TestServer, email: &str) {
    let admin = server.admin_session("gst-pdf-operator@example.com").await;
    let listed: Value = server
        .client
        .get(server.url("/v1/admin/merchants"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let merchant = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == email)
        .expect("the merchant is listed");
    let verified = server
        .client
        .post(server.url(&format!(
            "/v1/admin/merchants/{}/verify",
            merchant["id"].as_str().unwrap()
        )))
        .bearer_auth(&admin)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status(), 200);
}

fn assert_shows(text: &str, what: &[&str]) {
    for s in what {
        assert!(text.contains(s), "missing {s:?} in:\n{text}");
    }
}

#[tokio::test]
async fn gst_pdf_an_e_invoice_and_its_credit_note_print_their_particulars() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "gst-pdf@example.com").await;
    let invoice = api
        .ok(api.post("/v1/gst/invoices", two_line_invoice()).await, 201)
        .await;
    let id = invoice["id"].as_str().unwrap();
    // Rs 1,000 + 18 % and 2 x Rs 200 + 5 %, inter-State: IGST 180 + 20.
    assert_eq!(invoice["total_paise"], 160_000);
    let registered = api
        .ok(
            api.post(&format!("/v1/gst/invoices/{id}/irn"), json!({}))
                .await,
            200,
        )
        .await;
    let irn = registered["irp"]["irn"].as_str().unwrap().to_string();
    let ack_no = registered["irp"]["ack_no"].as_str().unwrap().to_string();

    let pdf = fetch_pdf(&api, id, "FX2627-000001.pdf").await;
    assert_eq!(
        fetch_pdf(&api, id, "FX2627-000001.pdf").await,
        pdf,
        "the same document, byte for byte"
    );

    let note = api
        .ok(
            api.post(
                "/v1/gst/invoices",
                json!({"type": "credit_note", "original_invoice_id": id, "date": "2026-04-20",
                       "lines": [{"description": "Refund of part of April", "hsn_code": "998316", "unit_price": 30000}]}),
            )
            .await,
            201,
        )
        .await;
    let note_id = note["id"].as_str().unwrap();
    let note_pdf = fetch_pdf(&api, note_id, "CN2627-000001.pdf").await;

    if have_poppler() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("invoice.pdf");
        std::fs::write(&path, &pdf).unwrap();
        let text = pdf_text(&path);
        assert_shows(
            &text,
            &[
                "TAX INVOICE",
                "ORIGINAL FOR RECIPIENT",
                "Finvex Demo Pvt Ltd",
                "Bengaluru - 560001",
                "GSTIN: 29AAFCC9980M1ZR",
                "Acme Traders",
                "Mumbai - 400001",
                "GSTIN: 27AAPFU0939F1ZV",
                "Invoice No.: FX2627-000001",
                "Invoice Date: 05/04/2026",
                "Place of Supply: 27-Maharashtra",
                "Tax payable on reverse charge: No",
                "Payment gateway subscription, April",
                "998316",
                "5205",
                "KGS",
                "IGST",
                "@18%",
                "@5%",
                "180.00",
                "20.00",
                "1,400.00",
                "1,600.00",
                "Rupees One Thousand Six Hundred Only",
                "Authorised Signatory",
                &format!("IRN: {irn}"),
                &format!("Ack No.: {ack_no}"),
                "Ack Date: ",
                "not a government (NIC) signature",
                "Page 1 of 1",
            ],
        );
        // Reading order: the supplier before the recipient, the lines
        // before the totals.
        let at = |s: &str| text.find(s).unwrap();
        assert!(at("GSTIN: 29AAFCC9980M1ZR") < at("GSTIN: 27AAPFU0939F1ZV"));
        assert!(at("Cotton yarn") < at("Rupees One Thousand Six Hundred Only"));
        if let Some(scanned) = scanned_qr(&path, dir.path()) {
            assert_eq!(
                scanned, registered["irp"]["signed_qr_code"],
                "the printed QR code is the IRP's signed one"
            );
        }
        let png = picture(&path, "/tmp/finvex-invoice");
        eprintln!("invoice picture: {}", png.display());

        let note_path = dir.path().join("credit-note.pdf");
        std::fs::write(&note_path, &note_pdf).unwrap();
        let text = pdf_text(&note_path);
        assert_shows(
            &text,
            &[
                "CREDIT NOTE",
                "Credit Note No.: CN2627-000001",
                "Credit Note Date: 20/04/2026",
                "Original Invoice No.: FX2627-000001",
                "Original Invoice Date: 05/04/2026",
                "GSTIN: 27AAPFU0939F1ZV",
                "Refund of part of April",
                // Rs 300 + 18 % IGST.
                "354.00",
                "Rupees Three Hundred Fifty Four Only",
            ],
        );
        assert!(!text.contains("IRN:"), "the note is not registered");
        let png = picture(&note_path, "/tmp/finvex-credit-note");
        eprintln!("credit note picture: {}", png.display());
    }
    server.stop().await;
}

#[tokio::test]
async fn gst_pdf_is_tenant_scoped_and_bad_formats_are_400() {
    let server = TestServer::start().await;
    let owner = Api::new(&server, "gst-pdf-owner@example.com").await;
    let other = Api::new(&server, "gst-pdf-other@example.com").await;
    let invoice = owner
        .ok(
            owner.post("/v1/gst/invoices", two_line_invoice()).await,
            201,
        )
        .await;
    let id = invoice["id"].as_str().unwrap();

    for path in [
        format!("/v1/gst/invoices/{id}?format=pdf"),
        "/v1/gst/invoices/finvex_inv_01jd0000000000000000000000?format=pdf".to_string(),
        "/v1/gst/invoices/not-an-id?format=pdf".to_string(),
    ] {
        let (status, error) = error_of(other.get(&path).await).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (404, Some("not_found")),
            "{path}"
        );
    }
    // The owner's live mode is another scope: verified for live mode, its
    // session asks there and does not find the test-mode document.
    verify_for_live(&server, "gst-pdf-owner@example.com").await;
    let live = server
        .client
        .get(server.url(&format!("/v1/gst/invoices/{id}?format=pdf")))
        .bearer_auth(&owner.token)
        .header("X-Finvex-Mode", "live")
        .send()
        .await
        .unwrap();
    let (status, error) = error_of(live).await;
    assert_eq!((status, error["code"].as_str()), (404, Some("not_found")));

    for format in ["xml", "PDF", ""] {
        let (status, error) = error_of(
            owner
                .get(&format!("/v1/gst/invoices/{id}?format={format}"))
                .await,
        )
        .await;
        assert_eq!(
            (status, error["field"].as_str()),
            (400, Some("format")),
            "{format}: {error}"
        );
        assert!(
            error["message"].as_str().unwrap().contains("pdf"),
            "{error}"
        );
    }
    // A B2C invoice, never registered, prints too: "Unregistered" and its state.
    let b2c = owner
        .ok(
            owner
                .post(
                    "/v1/gst/invoices",
                    json!({"date": "2026-04-12", "seller_gstin": SELLER_KA, "buyer_state": "KA",
                           "lines": [{"hsn_code": "998316", "unit_price": 10000}]}),
                )
                .await,
            201,
        )
        .await;
    let bytes = fetch_pdf(
        &owner,
        b2c["id"].as_str().unwrap(),
        &format!("{}.pdf", b2c["number"].as_str().unwrap()),
    )
    .await;
    if have_poppler() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b2c.pdf");
        std::fs::write(&path, &bytes).unwrap();
        assert_shows(
            &pdf_text(&path),
            &[
                "GSTIN: Unregistered",
                "State: 29-Karnataka",
                "Place of Supply: 29-Karnataka",
                "CGST",
                "SGST",
                "@9%",
                "Rupees One Hundred Eighteen Only",
            ],
        );
    }
    server.stop().await;
}
