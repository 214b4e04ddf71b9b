//! GST over HTTP: calculation, HSN lookup, invoices and credit notes, the
//! e-invoice payload, GSTR-1, and tenant isolation.

use crate::common::{error_of, Api, TestServer};
use serde_json::{json, Value};

const SELLER_KA: &str = "29AAFCC9980M1ZR";
const BUYER_MH: &str = "27AAPFU0939F1ZV";
const BUYER_GJ: &str = "24AANFA2641L1ZF";

#[tokio::test]
async fn calculate_the_seed_body_and_intra_state_and_bad_states() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "calc@example.com").await;

    // The seed's body, verbatim.
    let seed =
        json!({"amount": 100000, "hsn_code": "998316", "seller_state": "KA", "buyer_state": "MH"});
    let tax = api.ok(api.post("/v1/gst/calculate", seed).await, 200).await;
    assert_eq!(tax["rule"], "inter_state");
    assert_eq!(tax["rate_source"], "merchant_default");
    assert_eq!(tax["taxable_paise"], 100_000);
    assert_eq!(tax["igst_paise"], 18_000);
    assert_eq!(tax["cgst_paise"], 0);
    assert_eq!(tax["total_paise"], 118_000);
    assert_eq!(tax["lines"][0]["igst_rate"], 18);
    assert_eq!(tax["place_of_supply"], "27");

    let intra =
        json!({"amount": 100000, "hsn_code": "998316", "seller_state": "KA", "buyer_state": "KA"});
    let tax = api
        .ok(api.post("/v1/gst/calculate", intra).await, 200)
        .await;
    assert_eq!(tax["rule"], "intra_state");
    assert_eq!(
        (tax["cgst_paise"].as_i64(), tax["sgst_paise"].as_i64()),
        (Some(9_000), Some(9_000))
    );
    assert_eq!(tax["igst_paise"], 0);
    assert_eq!(tax["lines"][0]["cgst_rate"], 9);

    let given_rate =
        json!({"amount": 100000, "rate": 5, "seller_state": "KA", "buyer_state": "MH"});
    let tax = api
        .ok(api.post("/v1/gst/calculate", given_rate).await, 200)
        .await;
    assert_eq!(
        (tax["rate_source"].as_str(), tax["igst_paise"].as_i64()),
        (Some("request"), Some(5_000))
    );

    let lines = json!({
        "seller_state": "KA", "buyer_gstin": BUYER_MH,
        "lines": [{"amount": 50000, "hsn_code": "998316"}, {"unit_price": 20000, "quantity": 2, "rate": "5"}]
    });
    let tax = api
        .ok(api.post("/v1/gst/calculate", lines).await, 200)
        .await;
    assert_eq!(tax["supply_type"], "b2b");
    assert_eq!(tax["rate_source"], "mixed");
    assert_eq!(
        (tax["taxable_paise"].as_i64(), tax["igst_paise"].as_i64()),
        (Some(90_000), Some(11_000))
    );

    for (body, field) in [
        (
            json!({"amount": 100000, "seller_state": "KA", "buyer_state": "Atlantis"}),
            "buyer_state",
        ),
        (
            json!({"amount": 100000, "seller_state": "XX", "buyer_state": "MH"}),
            "seller_state",
        ),
        (
            json!({"amount": 100000, "seller_state": "KA", "buyer_state": "MH", "rate": 17}),
            "rate",
        ),
        (
            json!({"amount": -5, "seller_state": "KA", "buyer_state": "MH"}),
            "amount",
        ),
        (json!({"seller_state": "KA", "buyer_state": "MH"}), "amount"),
        (
            json!({"amount": 1, "seller_state": "KA", "buyer_state": "MH", "bogus": 1}),
            "bogus",
        ),
        (
            json!({"amount": 1, "seller_state": "KA", "buyer_gstin": "27AAPFU0939F1ZX"}),
            "buyer_gstin",
        ),
    ] {
        let (status, error) = error_of(api.post("/v1/gst/calculate", body.clone()).await).await;
        assert_eq!(status, 400, "{body}: {error}");
        assert_eq!(error["code"], "invalid_request");
        assert_eq!(error["field"], field, "{body}: {error}");
    }
    server.stop().await;
}

#[tokio::test]
async fn hsn_lookup_finds_software_services() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "hsn@example.com").await;
    let page = api
        .ok(api.get("/v1/gst/hsn-lookup?q=software&count=5").await, 200)
        .await;
    assert_eq!(page["entity"], "collection");
    assert!(page["total"].as_u64().unwrap() >= page["count"].as_u64().unwrap());
    let items = page["items"].as_array().unwrap();
    assert!(!items.is_empty() && items.len() <= 5);
    assert!(
        items
            .iter()
            .any(|i| i["code"].as_str().unwrap().starts_with("99")
                && i["kind"] == "service"
                && i["description"]
                    .as_str()
                    .unwrap()
                    .to_lowercase()
                    .contains("software")),
        "{page}"
    );
    let exact = api
        .ok(api.get("/v1/gst/hsn-lookup?q=998316").await, 200)
        .await;
    assert_eq!(exact["items"][0]["code"], "998316");
    let next = api
        .ok(
            api.get("/v1/gst/hsn-lookup?q=software&count=1&skip=1")
                .await,
            200,
        )
        .await;
    assert_eq!(next["items"][0], items[1]);

    for (query, field) in [
        ("q=", "q"),
        ("q=x&count=0", "count"),
        ("q=x&count=101", "count"),
        ("count=5", "q"),
    ] {
        let (status, error) = error_of(api.get(&format!("/v1/gst/hsn-lookup?{query}")).await).await;
        assert_eq!(
            (status, error["field"].as_str()),
            (400, Some(field)),
            "{query}: {error}"
        );
    }
    server.stop().await;
}

fn seller() -> Value {
    json!({"legal_name": "Finvex Demo Pvt Ltd", "address1": "1 MG Road", "location": "Bengaluru", "pin": 560001})
}

fn b2b_invoice() -> Value {
    json!({
        "date": "2026-04-05",
        "seller_gstin": SELLER_KA,
        "seller": seller(),
        "buyer_gstin": BUYER_MH,
        "buyer": {"legal_name": "Acme Traders", "address1": "2 Marine Drive", "location": "Mumbai", "pin": 400001},
        "lines": [{"description": "SaaS subscription", "hsn_code": "998316", "unit_price": 100000}]
    })
}

#[tokio::test]
async fn invoices_credit_notes_einvoice_and_gstr1() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "books@example.com").await;

    // 1. B2B inter-State: Rs 1,000 + 18% IGST.
    let inv1 = api
        .ok(api.post("/v1/gst/invoices", b2b_invoice()).await, 201)
        .await;
    assert_eq!(inv1["entity"], "gst_invoice");
    assert!(inv1["id"].as_str().unwrap().starts_with("finvex_inv_"));
    assert_eq!(inv1["type"], "invoice");
    assert_eq!(inv1["number"], "FX2627-000001");
    assert_eq!(inv1["financial_year"], "2026-27");
    assert_eq!(inv1["supply_type"], "b2b");
    assert_eq!(inv1["breakup"]["igst_paise"], 18_000);
    assert_eq!(inv1["total_paise"], 118_000);
    assert_eq!(inv1["irn"].as_str().unwrap().len(), 64);
    assert_eq!(inv1["irp_status"], "not_submitted");
    assert_eq!(inv1["status"], "issued");

    // 2. B2B to Gujarat, a service line and a goods line at 5%.
    let inv2 = api
        .ok(
            api.post(
                "/v1/gst/invoices",
                json!({
                    "date": "2026-04-10", "seller_gstin": SELLER_KA, "buyer_gstin": BUYER_GJ,
                    "lines": [
                        {"hsn_code": "998316", "unit_price": 50000},
                        {"hsn_code": "5205", "unit_price": 20000, "quantity": 2, "unit": "KGS", "rate": 5}
                    ]
                }),
            )
            .await,
            201,
        )
        .await;
    assert_eq!(inv2["number"], "FX2627-000002");
    assert_eq!(
        (inv2["taxable_paise"].as_i64(), inv2["tax_paise"].as_i64()),
        (Some(90_000), Some(11_000))
    );

    // 3. B2C within Karnataka: CGST + SGST, no IRN.
    let inv3 = api
        .ok(
            api.post(
                "/v1/gst/invoices",
                json!({"date": "2026-04-12", "seller_gstin": SELLER_KA, "buyer_state": "KA",
                       "lines": [{"hsn_code": "998316", "unit_price": 10000}]}),
            )
            .await,
            201,
        )
        .await;
    assert_eq!(inv3["supply_type"], "b2c");
    assert_eq!(
        (
            inv3["breakup"]["cgst_paise"].as_i64(),
            inv3["breakup"]["sgst_paise"].as_i64()
        ),
        (Some(900), Some(900))
    );
    assert_eq!(
        (inv3["irn"].clone(), inv3["irp_status"].clone()),
        (Value::Null, json!("not_applicable"))
    );

    // A May invoice stays out of April's return.
    api.ok(
        api.post(
            "/v1/gst/invoices",
            json!({"date": "2026-05-01", "seller_gstin": SELLER_KA, "buyer_gstin": BUYER_MH,
            "lines": [{"hsn_code": "998316", "unit_price": 777700}]}),
        )
        .await,
        201,
    )
    .await;

    // Credit note for Rs 300 of invoice 1; then more than what is left is refused.
    let id1 = inv1["id"].as_str().unwrap();
    let credit = |paise: i64| {
        json!({"type": "credit_note", "original_invoice_id": id1, "date": "2026-04-20",
        "lines": [{"hsn_code": "998316", "unit_price": paise}]})
    };
    let note = api
        .ok(api.post("/v1/gst/invoices", credit(30_000)).await, 201)
        .await;
    assert_eq!(note["type"], "credit_note");
    assert_eq!(note["number"], "CN2627-000001");
    assert_eq!(note["original_invoice_id"], id1);
    assert_eq!(note["buyer_gstin"], BUYER_MH);
    assert_eq!(
        (note["tax_paise"].as_i64(), note["total_paise"].as_i64()),
        (Some(5_400), Some(35_400))
    );
    let (status, error) = error_of(api.post("/v1/gst/invoices", credit(70_001)).await).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (422, Some("business_rule_violation")),
        "{error}"
    );
    let (status, error) = error_of(
        api.post("/v1/gst/invoices", json!({"type": "credit_note", "original_invoice_id": "finvex_inv_01jd0000000000000000000000",
            "lines": [{"hsn_code": "998316", "unit_price": 1}]})).await,
    )
    .await;
    assert_eq!(status, 404, "{error}");
    let credited = api
        .ok(api.get(&format!("/v1/gst/invoices/{id1}")).await, 200)
        .await;
    assert_eq!(credited["credited_total_paise"], 35_400);

    // Bad input names the field.
    for (body, field) in [
        (
            json!({"seller_gstin": SELLER_KA, "buyer_state": "Atlantis", "lines": [{"hsn_code": "998316", "unit_price": 1}]}),
            "buyer_state",
        ),
        (
            json!({"seller_gstin": SELLER_KA, "buyer_state": "KA", "lines": [{"unit_price": 1}]}),
            "lines[0].hsn_code",
        ),
        (
            json!({"seller_gstin": SELLER_KA, "buyer_state": "KA", "lines": []}),
            "lines",
        ),
        (
            json!({"buyer_state": "KA", "lines": [{"hsn_code": "998316", "unit_price": 1}]}),
            "seller_gstin",
        ),
        (
            json!({"seller_gstin": SELLER_KA, "date": "2026-02-30", "lines": [{"hsn_code": "998316", "unit_price": 1}]}),
            "date",
        ),
    ] {
        let (status, error) = error_of(api.post("/v1/gst/invoices", body.clone()).await).await;
        assert_eq!(
            (status, error["field"].as_str()),
            (400, Some(field)),
            "{body}: {error}"
        );
    }

    // List, newest first.
    let list = api
        .ok(api.get("/v1/gst/invoices?count=10").await, 200)
        .await;
    assert_eq!(list["entity"], "collection");
    assert_eq!(list["count"], 5);
    let page = api
        .ok(api.get("/v1/gst/invoices?count=2&skip=0").await, 200)
        .await;
    assert_eq!(page["count"], 2);

    // The e-invoice payload of invoice 1.
    let e = api
        .ok(
            api.get(&format!("/v1/gst/invoices/{id1}?format=einvoice"))
                .await,
            200,
        )
        .await;
    assert_eq!(e["Version"], "1.1");
    assert_eq!(e["TranDtls"]["SupTyp"], "B2B");
    assert_eq!(e["DocDtls"]["Typ"], "INV");
    assert_eq!(e["DocDtls"]["No"], "FX2627-000001");
    assert_eq!(e["DocDtls"]["Dt"], "05/04/2026");
    assert_eq!(e["SellerDtls"]["Gstin"], SELLER_KA);
    assert_eq!(e["BuyerDtls"]["Pos"], "27");
    assert_eq!(e["ValDtls"]["IgstVal"].to_string(), "180.0");
    assert_eq!(e["ValDtls"]["TotInvVal"].to_string(), "1180.0");
    // The credit note's payload names its invoice.
    let note_e = api
        .ok(
            api.get(&format!(
                "/v1/gst/invoices/{}?format=einvoice",
                note["id"].as_str().unwrap()
            ))
            .await,
            200,
        )
        .await;
    assert_eq!(note_e["DocDtls"]["Typ"], "CRN");
    assert_eq!(
        note_e["RefDtls"]["PrecDocDtls"][0]["InvNo"],
        "FX2627-000001"
    );
    // B2C is never sent to the IRP; a B2B without addresses would be refused.
    for id in [inv3["id"].as_str().unwrap(), inv2["id"].as_str().unwrap()] {
        let (status, error) = error_of(
            api.get(&format!("/v1/gst/invoices/{id}?format=einvoice"))
                .await,
        )
        .await;
        assert_eq!(
            (status, error["code"].as_str()),
            (422, Some("business_rule_violation")),
            "{error}"
        );
        assert!(error["field"].is_string(), "{error}");
    }
    let (status, error) =
        error_of(api.get(&format!("/v1/gst/invoices/{id1}?format=xml")).await).await;
    assert_eq!((status, error["field"].as_str()), (400, Some("format")));

    // GSTR-1 for April, totals checked by hand:
    // b2b 27…: Rs 1,180.00 (txval 1,000 @18, IGST 180); b2b 24…: Rs 1,010.00
    // (500 @18 IGST 90; 400 @5 IGST 20); b2cs intra 29 @18: txval 100, CGST 9,
    // SGST 9; cdnr 27…: credit note Rs 354.00 (300 @18, IGST 54).
    let raw = api.get("/v1/gst/gstr1?month=2026-04").await;
    assert_eq!(raw.status(), 200);
    let text = raw.text().await.unwrap();
    assert!(text.contains("\"txval\":1000.00"), "{text}");
    let g: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(g["gstin"], SELLER_KA);
    assert_eq!(g["fp"], "042026");
    let b2b = g["b2b"].as_array().unwrap();
    assert_eq!(b2b.len(), 2);
    let by_ctin = |ctin: &str| b2b.iter().find(|c| c["ctin"] == ctin).unwrap().clone();
    let mh = by_ctin(BUYER_MH);
    assert_eq!(
        mh["inv"].as_array().unwrap().len(),
        1,
        "May's invoice is not in April"
    );
    assert_eq!(mh["inv"][0]["inum"], "FX2627-000001");
    assert_eq!(mh["inv"][0]["idt"], "05-04-2026");
    assert_eq!(mh["inv"][0]["val"].as_f64(), Some(1180.0));
    assert_eq!(
        mh["inv"][0]["itms"][0]["itm_det"]["iamt"].as_f64(),
        Some(180.0)
    );
    let gj = by_ctin(BUYER_GJ);
    assert_eq!(gj["inv"][0]["val"].as_f64(), Some(1010.0));
    let gj_items = gj["inv"][0]["itms"].as_array().unwrap();
    assert_eq!(gj_items.len(), 2);
    let igst_paise: i64 = gj_items.iter().map(|i| paise(&i["itm_det"]["iamt"])).sum();
    assert_eq!(igst_paise, 11_000);
    let b2cs = g["b2cs"].as_array().unwrap();
    assert_eq!(b2cs.len(), 1);
    assert_eq!(b2cs[0]["sply_ty"], "INTRA");
    assert_eq!(b2cs[0]["txval"].as_f64(), Some(100.0));
    assert_eq!(
        (b2cs[0]["camt"].as_f64(), b2cs[0]["samt"].as_f64()),
        (Some(9.0), Some(9.0))
    );
    let cdnr = g["cdnr"].as_array().unwrap();
    assert_eq!(cdnr[0]["ctin"], BUYER_MH);
    assert_eq!(cdnr[0]["nt"][0]["ntty"], "C");
    assert_eq!(cdnr[0]["nt"][0]["nt_num"], "CN2627-000001");
    assert_eq!(cdnr[0]["nt"][0]["val"].as_f64(), Some(354.0));
    assert!(text.contains("\"doc_issue\""), "{text}");

    let csv = api.get("/v1/gst/gstr1?month=2026-04&format=csv").await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("# b2b\r\n"), "{csv}");
    assert!(
        csv.contains("# b2cs\r\n") && csv.contains("# cdnr\r\n"),
        "{csv}"
    );
    assert!(csv.contains("FX2627-000001"), "{csv}");

    for (query, field) in [
        ("month=2026-4", "month"),
        ("month=2026-03", "gstin"),
        ("month=2026-04&gstin=bad", "gstin"),
        ("month=2026-04&format=xml", "format"),
    ] {
        let (status, error) = error_of(api.get(&format!("/v1/gst/gstr1?{query}")).await).await;
        assert_eq!(
            (status, error["field"].as_str()),
            (400, Some(field)),
            "{query}: {error}"
        );
    }
    // Naming a GSTIN builds its (here empty) return.
    let empty = api
        .ok(
            api.get(&format!("/v1/gst/gstr1?month=2026-03&gstin={SELLER_KA}"))
                .await,
            200,
        )
        .await;
    assert_eq!(empty["fp"], "032026");
    server.stop().await;
}

#[tokio::test]
async fn another_merchant_cannot_see_or_credit_an_invoice() {
    let server = TestServer::start().await;
    let owner = Api::new(&server, "owner@example.com").await;
    let other = Api::new(&server, "other@example.com").await;
    let inv = owner
        .ok(owner.post("/v1/gst/invoices", b2b_invoice()).await, 201)
        .await;
    let id = inv["id"].as_str().unwrap();

    for path in [
        format!("/v1/gst/invoices/{id}"),
        format!("/v1/gst/invoices/{id}?format=einvoice"),
    ] {
        let (status, error) = error_of(other.get(&path).await).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (404, Some("not_found")),
            "{path}"
        );
    }
    let (status, _) = error_of(
        other
            .post(
                "/v1/gst/invoices",
                json!({"type": "credit_note", "original_invoice_id": id,
                "lines": [{"hsn_code": "998316", "unit_price": 1}]}),
            )
            .await,
    )
    .await;
    assert_eq!(status, 404);
    let list = other.ok(other.get("/v1/gst/invoices").await, 200).await;
    assert_eq!(list["count"], 0);
    let (status, _) = error_of(other.get("/v1/gst/gstr1?month=2026-04").await).await;
    assert_eq!(status, 400, "no documents of its own");
    // The other merchant's series starts at 1 too.
    let mine = other
        .ok(other.post("/v1/gst/invoices", b2b_invoice()).await, 201)
        .await;
    assert_eq!(mine["number"], "FX2627-000001");
    // Garbage ids are 404, not 500.
    let (status, _) = error_of(owner.get("/v1/gst/invoices/not-an-id").await).await;
    assert_eq!(status, 404);
    server.stop().await;
}

/// A GSTR-1 rupee amount as exact paise (decimal text, never float arithmetic).
fn paise(value: &Value) -> i64 {
    let rupees: rust_decimal::Decimal = value.to_string().parse().unwrap();
    i64::try_from(rupees * rust_decimal::Decimal::from(100)).unwrap()
}

/// Decodes a JWT's payload without checking its signature (the fake signs with its own key).
fn jwt_payload(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn test_mode_registers_e_invoices_with_the_labelled_irp_fake() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "irp@example.com").await;
    let invoice = api
        .ok(api.post("/v1/gst/invoices", b2b_invoice()).await, 201)
        .await;
    let id = invoice["id"].as_str().unwrap();

    let registered = api
        .ok(
            api.post(&format!("/v1/gst/invoices/{id}/irn"), json!({}))
                .await,
            200,
        )
        .await;
    assert_eq!(registered["irp_status"], "generated");
    let irp = &registered["irp"];
    assert_eq!(
        irp["irn"], invoice["irn"],
        "the IRP's IRN is the one we pre-computed"
    );
    assert_eq!(irp["ack_no"].as_str().unwrap().len(), 15);
    assert_eq!(
        irp["issuer"], "FINVEX-FAKE-IRP (not NIC)",
        "never passed off as a government signature"
    );
    let qr = jwt_payload(irp["signed_qr_code"].as_str().unwrap());
    assert_eq!(qr["iss"], "FINVEX-FAKE-IRP (not NIC)");
    let data: Value = serde_json::from_str(qr["data"].as_str().unwrap()).unwrap();
    let keys: std::collections::BTreeSet<&str> = data
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "BuyerGstin",
            "DocDt",
            "DocNo",
            "DocTyp",
            "Irn",
            "IrnDt",
            "ItemCnt",
            "MainHsnCode",
            "SellerGstin",
            "TotInvVal"
        ]
        .into_iter()
        .collect(),
    );
    assert_eq!(
        (data["DocNo"].as_str(), data["TotInvVal"].as_str()),
        (Some("FX2627-000001"), Some("1180.00"))
    );

    // Submitting again is idempotent; the same acknowledgement comes back.
    let again = api
        .ok(
            api.post(&format!("/v1/gst/invoices/{id}/irn"), json!({}))
                .await,
            200,
        )
        .await;
    assert_eq!(again["irp"]["ack_no"], irp["ack_no"]);

    let (status, error) = error_of(
        api.post(
            &format!("/v1/gst/invoices/{id}/irn/cancel"),
            json!({"reason": "whim", "remark": "x"}),
        )
        .await,
    )
    .await;
    assert_eq!((status, error["field"].as_str()), (400, Some("reason")));
    let cancelled = api
        .ok(
            api.post(
                &format!("/v1/gst/invoices/{id}/irn/cancel"),
                json!({"reason": "data_entry_mistake", "remark": "wrong buyer"}),
            )
            .await,
            200,
        )
        .await;
    assert_eq!(cancelled["irp_status"], "cancelled");
    assert_eq!(cancelled["irp"]["cancel_reason"], "data_entry_mistake");
    let (status, _) = error_of(
        api.post(&format!("/v1/gst/invoices/{id}/irn"), json!({}))
            .await,
    )
    .await;
    assert_eq!(status, 422, "a cancelled number cannot be registered again");

    // B2C documents never go to the IRP.
    let mut b2c = b2b_invoice();
    b2c.as_object_mut().unwrap().remove("buyer_gstin");
    b2c["buyer_state"] = json!("MH");
    let b2c = api.ok(api.post("/v1/gst/invoices", b2c).await, 201).await;
    let (status, _) = error_of(
        api.post(
            &format!("/v1/gst/invoices/{}/irn", b2c["id"].as_str().unwrap()),
            json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    server.stop().await;
}

#[tokio::test]
async fn settings_invoices_for_paid_orders_and_credit_notes_for_refunds() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "gst-orders@example.com").await;

    // Settings: defaults first, then a 5% merchant with its identity.
    let defaults = api.ok(api.get("/v1/gst/settings").await, 200).await;
    assert_eq!(
        (
            defaults["default_rate"].clone(),
            defaults["updated_at"].clone()
        ),
        (json!(18), Value::Null)
    );
    for (body, field) in [
        (json!({"default_rate": 7}), "default_rate"),
        (json!({"seller_gstin": "29AAFCC9980M1ZX"}), "seller_gstin"),
        (json!({"default_hsn_code": "123456"}), "default_hsn_code"),
        (json!({"default_rate": 5, "colour": "red"}), "colour"),
    ] {
        let (status, err) = error_of(api.put("/v1/gst/settings", body).await).await;
        assert_eq!((status, err["field"].as_str()), (400, Some(field)), "{err}");
    }
    let settings = json!({
        "default_rate": 5,
        "seller_gstin": SELLER_KA,
        "default_hsn_code": "998316",
        "seller": seller(),
    });
    let saved = api
        .ok(api.put("/v1/gst/settings", settings).await, 200)
        .await;
    assert_eq!(saved["default_rate"], 5);
    assert_eq!(api.ok(api.get("/v1/gst/settings").await, 200).await, saved);
    let calc = api
        .ok(
            api.post(
                "/v1/gst/calculate",
                json!({"amount": 100000, "seller_state": "KA", "buyer_state": "KA"}),
            )
            .await,
            200,
        )
        .await;
    assert_eq!(
        (
            calc["rate_source"].as_str(),
            calc["cgst_paise"].as_i64().unwrap()
        ),
        (Some("merchant_default"), 2_500)
    );

    // The invoice for a paid order totals the amount paid, found by payment id.
    let (order, payment) = api.paid_order(118_050).await;
    let invoice = api
        .ok(
            api.post(
                "/v1/gst/invoices",
                json!({"payment_id": payment["id"], "buyer_state": "KA", "description": "Pro plan"}),
            )
            .await,
            201,
        )
        .await;
    assert_eq!(invoice["order_id"], order["id"]);
    assert_eq!(invoice["total_paise"].as_i64().unwrap(), 118_050);
    assert_eq!(invoice["seller_gstin"], SELLER_KA);
    assert_eq!(invoice["rate_source"], "merchant_default");
    assert_eq!(
        invoice["breakup"]["cgst_paise"],
        invoice["breakup"]["sgst_paise"]
    );
    let (status, err) = error_of(
        api.post(
            "/v1/gst/invoices",
            json!({"order_id": order["id"], "buyer_state": "KA"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, err["field"].as_str()),
        (409, Some("order_id")),
        "{err}"
    );
    let unpaid = api
        .ok(api.post("/v1/orders", json!({"amount": 5000})).await, 201)
        .await;
    let (status, err) = error_of(
        api.post(
            "/v1/gst/invoices",
            json!({"order_id": unpaid["id"], "buyer_state": "KA"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, err["field"].as_str()),
        (422, Some("order_id")),
        "{err}"
    );
    let (status, err) = error_of(
        api.post(
            "/v1/gst/invoices",
            json!({"order_id": order["id"], "lines": [{"hsn_code": "998316", "unit_price": 1}]}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, err["field"].as_str()),
        (400, Some("lines")),
        "{err}"
    );

    // A processed refund gets its credit note against that invoice, once.
    let refund = api
        .ok(
            api.post(
                &format!("/v1/payments/{}/refund", payment["id"].as_str().unwrap()),
                json!({"amount": 18_050}),
            )
            .await,
            201,
        )
        .await;
    assert_eq!(refund["status"], "processed", "{refund}");
    let note = api
        .ok(
            api.post(
                "/v1/gst/invoices",
                json!({"type": "credit_note", "refund_id": refund["id"]}),
            )
            .await,
            201,
        )
        .await;
    assert_eq!(note["original_invoice_id"], invoice["id"]);
    assert_eq!(note["refund_id"], refund["id"]);
    assert_eq!(note["rate_source"], "original_invoice");
    assert_eq!(note["total_paise"].as_i64().unwrap(), 18_050);
    let (status, _) = error_of(
        api.post(
            "/v1/gst/invoices",
            json!({"type": "credit_note", "refund_id": refund["id"]}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 409);
    let credited = api
        .ok(
            api.get(&format!(
                "/v1/gst/invoices/{}",
                invoice["id"].as_str().unwrap()
            ))
            .await,
            200,
        )
        .await;
    assert_eq!(credited["credited_total_paise"].as_i64().unwrap(), 18_050);

    // Another merchant sees none of it.
    let other = Api::new(&server, "gst-orders-other@example.com").await;
    let (status, _) = error_of(
        other
            .post(
                "/v1/gst/invoices",
                json!({"order_id": order["id"], "buyer_state": "KA"}),
            )
            .await,
    )
    .await;
    assert_eq!(status, 404);
    let theirs = other.ok(other.get("/v1/gst/settings").await, 200).await;
    assert_eq!(theirs["default_rate"], 18);
}

/// A misspelt nested field is a 400 naming its path, not a silent drop
/// followed by a confusing "missing" error.
#[tokio::test]
async fn a_misspelt_nested_field_is_refused_with_its_path() {
    let server = crate::common::TestServer::start().await;
    let api = crate::common::Api::new(&server, "strict-input@example.com").await;
    let response = api
        .call(
            reqwest::Method::POST,
            "/v1/gst/invoices",
            Some(serde_json::json!({
                "seller_gstin": "29AAFCC9980M1ZR",
                "seller": {"legal_name": "Acme", "address1": "1 MG Road", "location": "Bengaluru", "pincode": 560001},
                "buyer_state": "KA",
                "lines": [{"hsn_code": "998316", "unit_price": 100000}]
            })),
        )
        .await;
    let (status, error) = crate::common::error_of(response).await;
    assert_eq!(status, 400, "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("pincode"),
        "{error}"
    );
    assert!(
        error["field"].as_str().unwrap().starts_with("seller"),
        "{error}"
    );
    let order = api
        .call(
            reqwest::Method::POST,
            "/v1/orders",
            Some(serde_json::json!({"amount": 50000, "customer": {"nmae": "Anil"}})),
        )
        .await;
    let (status, error) = crate::common::error_of(order).await;
    assert_eq!(status, 400, "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("nmae"),
        "{error}"
    );
    server.stop().await;
}

/// A credit note to an unregistered inter-State buyer goes to `cdnur` when
/// its original invoice was B2CL-sized (over Rs 1,00,000 since 01-08-2024),
/// even when the note itself is small; a note on a small invoice nets into
/// `b2cs`.
#[tokio::test]
async fn an_unregistered_note_is_reported_by_its_original_invoice() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "b2cl-notes@example.com").await;
    let invoice = |paise: i64, day: &str| {
        json!({"date": format!("2026-04-{day}"), "seller_gstin": SELLER_KA, "buyer_state": "MH",
            "lines": [{"hsn_code": "998316", "unit_price": paise}]})
    };
    let large = api
        .ok(
            api.post("/v1/gst/invoices", invoice(15_000_000, "05"))
                .await,
            201,
        )
        .await;
    let small = api
        .ok(
            api.post("/v1/gst/invoices", invoice(100_000, "06")).await,
            201,
        )
        .await;
    for original in [&large, &small] {
        api.ok(
            api.post(
                "/v1/gst/invoices",
                json!({"type": "credit_note", "original_invoice_id": original["id"], "date": "2026-04-20",
                    "lines": [{"hsn_code": "998316", "unit_price": 10_000}]}),
            )
            .await,
            201,
        )
        .await;
    }
    let gstr1 = api
        .ok(api.get("/v1/gst/gstr1?month=2026-04").await, 200)
        .await;
    let cdnur = gstr1["cdnur"].as_array().cloned().unwrap_or_default();
    assert_eq!(cdnur.len(), 1, "{gstr1}");
    assert_eq!(cdnur[0]["typ"], "B2CL");
    assert_eq!(
        gstr1["b2cl"].as_array().map(Vec::len),
        Some(1),
        "the large invoice"
    );
    server.stop().await;
}

/// Last month and this month in India, as `YYYY-MM`, so the story holds on
/// any day it runs.
fn last_and_this_month() -> (String, String) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let today = finvex_core::calendar::date_in_india(now);
    let (y, m) = (i32::from(today.year()), i32::from(today.month()));
    let (ly, lm) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    (format!("{ly:04}-{lm:02}"), format!("{y:04}-{m:02}"))
}

/// Table 8, Table 14, the LUT on exports, filing a month and correcting one
/// of its invoices afterwards: the filed month is answered as filed, and
/// the correction is an amendment in this month's return.
#[tokio::test]
async fn a_filed_month_stays_as_filed_and_its_corrections_are_amendments() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "gstr1-filing@example.com").await;
    let (last, this) = last_and_this_month();
    let fy = {
        let (y, m): (i32, i32) = (last[..4].parse().unwrap(), last[5..].parse().unwrap());
        let start = if m >= 4 { y } else { y - 1 };
        format!("{start}-{:02}", (start + 1) % 100)
    };
    let on = |day: &str| format!("{last}-{day}");
    let export = json!({"date": on("10"), "seller_gstin": SELLER_KA, "supply_type": "export_without_payment",
        "export": {"shipping_bill_no": "1234567", "shipping_bill_date": on("12"), "port_code": "INBLR4", "country_code": "US"},
        "lines": [{"hsn_code": "5205", "unit": "KGS", "quantity": 10, "unit_price": 90000, "rate": 5}]});
    let (status, error) = error_of(api.post("/v1/gst/invoices", export.clone()).await).await;
    assert_eq!(
        (status, error["field"].as_str()),
        (422, Some("supply_type")),
        "{error}"
    );
    api.ok(
        api.put(
            "/v1/gst/settings",
            json!({"seller_gstin": SELLER_KA, "lut": {"arn": "AD2904260001234", "financial_year": fy}}),
        )
        .await,
        200,
    )
    .await;
    api.ok(api.post("/v1/gst/invoices", export).await, 201)
        .await;
    let mut b2b = b2b_invoice();
    b2b["date"] = json!(on("05"));
    let invoice = api.ok(api.post("/v1/gst/invoices", b2b).await, 201).await;
    let mixed = json!({"date": on("06"), "seller_gstin": SELLER_KA, "buyer_state": "KA",
        "lines": [{"hsn_code": "998316", "unit_price": 20000},
                  {"hsn_code": "999293", "unit_price": 70000, "treatment": "exempt"}]});
    api.ok(api.post("/v1/gst/invoices", mixed).await, 201).await;
    let taxed_exempt = json!({"date": on("06"), "seller_gstin": SELLER_KA, "buyer_state": "KA",
        "lines": [{"hsn_code": "999293", "unit_price": 70000, "treatment": "exempt", "rate": 18}]});
    let (status, error) = error_of(api.post("/v1/gst/invoices", taxed_exempt).await).await;
    assert_eq!(
        (status, error["field"].as_str()),
        (400, Some("lines[0].rate")),
        "{error}"
    );
    let operator = json!({"date": on("07"), "seller_gstin": SELLER_KA, "buyer_state": "KA",
        "ecommerce_gstin": "29AAACF1234K1C1", "lines": [{"hsn_code": "998316", "unit_price": 200000}]});
    api.ok(api.post("/v1/gst/invoices", operator).await, 201)
        .await;

    let gstr1 = api
        .ok(api.get(&format!("/v1/gst/gstr1?month={last}")).await, 200)
        .await;
    assert_eq!(gstr1["nil"]["inv"][0]["sply_ty"], "INTRAB2C", "{gstr1}");
    assert_eq!(gstr1["nil"]["inv"][0]["expt_amt"], 700.0);
    assert_eq!(gstr1["supeco"]["clttx"][0]["suppval"], 2000.0, "{gstr1}");
    assert_eq!(gstr1["exp"][0]["exp_typ"], "WOPAY");
    assert_eq!(gstr1["exp"][0]["inv"][0]["sbnum"], "1234567");

    let filed = api
        .ok(
            api.post("/v1/gst/gstr1/filed", json!({"month": last}))
                .await,
            201,
        )
        .await;
    assert_eq!(filed["entity"], "gstr1_filing");
    assert_eq!(filed["gstr1"], gstr1, "filed as it stood");
    let (status, _) = error_of(
        api.post("/v1/gst/gstr1/filed", json!({"month": last}))
            .await,
    )
    .await;
    assert_eq!(status, 409);
    let (status, error) = error_of(
        api.post("/v1/gst/gstr1/filed", json!({"month": this}))
            .await,
    )
    .await;
    assert_eq!(
        (status, error["field"].as_str()),
        (422, Some("month")),
        "{error}"
    );

    let path = format!(
        "/v1/gst/invoices/{}/corrections",
        invoice["id"].as_str().unwrap()
    );
    let (status, error) = error_of(
        api.post(
            &path,
            json!({"lines": [{"hsn_code": "998316", "unit_prise": 1}]}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400, "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("unit_prise"),
        "{error}"
    );
    let corrected = api
        .ok(
            api.post(
                &path,
                json!({"lines": [{"hsn_code": "998316", "unit_price": 110000}]}),
            )
            .await,
            200,
        )
        .await;
    assert_eq!(corrected["reported_as"], "amendment", "{corrected}");
    assert_eq!(corrected["reported_period"], this);
    assert_eq!(corrected["invoice"]["taxable_paise"], 110_000);
    assert_eq!(corrected["invoice"]["revision"], 1);
    let again = api
        .ok(api.get(&format!("/v1/gst/gstr1?month={last}")).await, 200)
        .await;
    assert_eq!(again, gstr1, "a filed month never changes");
    let now = api
        .ok(
            api.get(&format!("/v1/gst/gstr1?month={this}&gstin={SELLER_KA}"))
                .await,
            200,
        )
        .await;
    assert_eq!(
        now["b2ba"][0]["inv"][0]["oinum"], invoice["number"],
        "{now}"
    );
    assert_eq!(now["b2ba"][0]["inv"][0]["val"], 1298.0);
    let csv = api
        .call(
            reqwest::Method::GET,
            &format!("/v1/gst/gstr1?month={this}&gstin={SELLER_KA}&format=csv"),
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("# b2ba\r\n"), "{csv}");
    server.stop().await;
}

/// Rule 46(o): a delivery address other than the buyer's goes on the
/// e-invoice as `ShipDtls` and on the PDF as "Ship to"; Rule 46(s): an
/// exempt supplier's invoices carry the declaration.
#[tokio::test]
async fn a_delivery_address_is_sent_to_the_irp_and_printed() {
    let server = TestServer::start().await;
    let api = Api::new(&server, "ship-to@example.com").await;
    // Rule 46(s): exempt from e-invoicing, and saying so on every invoice.
    let settings = api
        .ok(
            api.put("/v1/gst/settings", json!({"einvoice_exempt": true}))
                .await,
            200,
        )
        .await;
    assert_eq!(settings["einvoice_exempt"], true);
    let mut body = b2b_invoice();
    body["ship_to"] = json!({"legal_name": "Acme Warehouse", "address1": "Plot 7, MIDC",
        "location": "Bhiwandi", "pin": 421302, "state": "MH"});
    let invoice = api.ok(api.post("/v1/gst/invoices", body).await, 201).await;
    let id = invoice["id"].as_str().unwrap();
    let einvoice = api
        .ok(
            api.get(&format!("/v1/gst/invoices/{id}?format=einvoice"))
                .await,
            200,
        )
        .await;
    assert_eq!(
        einvoice["ShipDtls"]["LglNm"], "Acme Warehouse",
        "{einvoice}"
    );
    assert_eq!(einvoice["ShipDtls"]["Pin"], 421302);
    assert_eq!(einvoice["ShipDtls"]["Stcd"], "27");
    let pdf = api
        .get(&format!("/v1/gst/invoices/{id}?format=pdf"))
        .await
        .bytes()
        .await
        .unwrap();
    let has = |needle: &str| pdf.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(
        has("SHIP TO (DELIVERY ADDRESS)"),
        "the delivery address is printed"
    );
    assert!(
        has("I/We hereby declare"),
        "the Rule 46(s) declaration is printed"
    );
    let mut misspelt = b2b_invoice();
    misspelt["ship_to"] =
        json!({"legal_name": "Acme", "address1": "x", "location": "Pune", "pincode": 411001});
    let (status, error) = error_of(api.post("/v1/gst/invoices", misspelt).await).await;
    assert_eq!(status, 400, "{error}");
    server.stop().await;
}
