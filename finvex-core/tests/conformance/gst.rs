//! GST invoices and credit notes: numbering, concurrency, documents for orders and refunds.

use super::*;

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(Timestamp::from_unix_secs(1_775_802_600)))
}

fn invoice_service(store: &SqlStore) -> Arc<finvex_core::gst::InvoiceService> {
    Arc::new(finvex_core::gst::InvoiceService::new(
        Arc::new(store.clone()),
        clock(),
    ))
}

fn gst_service(store: &SqlStore) -> finvex_core::gst::GstService {
    finvex_core::gst::GstService::new(Arc::new(store.clone()), clock())
}

fn gst_invoice(date: &str, paise: i64) -> finvex_core::gst::NewInvoice {
    finvex_core::gst::NewInvoice {
        date: Some(date.into()),
        seller_gstin: Some("29AAFCC9980M1ZR".into()),
        buyer_gstin: Some("27AAPFU0939F1ZV".into()),
        lines: vec![finvex_core::gst::LineInput {
            hsn_code: Some("998316".into()),
            unit_price: paise,
            ..Default::default()
        }],
        ..Default::default()
    }
}

conformance!(
    gst_invoices_round_trip_within_their_scope,
    |store: SqlStore| async move {
        use finvex_core::gst::GstStore;
        let gst = invoice_service(&store);
        let merchant = new_merchant(&store).await;
        let scope = Scope::new(merchant.id.clone(), Mode::Test);
        let april = gst
            .create_invoice(&scope, &gst_invoice("2026-04-30", 100_000))
            .await
            .unwrap();
        let may = gst
            .create_invoice(&scope, &gst_invoice("2026-05-01", 50_000))
            .await
            .unwrap();
        // March 2027 is still FY 2026-27: the series continues.
        let march = gst
            .create_invoice(&scope, &gst_invoice("2027-03-31", 1))
            .await
            .unwrap();
        let next_fy = gst
            .create_invoice(&scope, &gst_invoice("2027-04-01", 1))
            .await
            .unwrap();
        assert_eq!(
            [&april, &may, &march, &next_fy].map(|i| i.number.as_str()),
            [
                "FX2627-000001",
                "FX2627-000002",
                "FX2627-000003",
                "FX2728-000001"
            ]
        );
        let stored = store
            .gst_invoice_by_id(&scope, &april.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored, april, "everything written reads back");
        assert_eq!(stored.breakup.igst_paise, 18_000);

        let in_april = store
            .gst_invoices_in_period(&scope, "2026-04")
            .await
            .unwrap();
        assert_eq!(in_april.len(), 1);
        assert_eq!(in_april[0].id, april.id);
        let listed = store
            .list_gst_invoices(&scope, &ListParams::default())
            .await
            .unwrap();
        assert_eq!(listed.len(), 4);

        // Other merchant, and the same merchant's live mode, see nothing.
        let other = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let live = Scope::new(merchant.id.clone(), Mode::Live);
        for scope in [&other, &live] {
            assert_eq!(
                store.gst_invoice_by_id(scope, &april.id).await.unwrap(),
                None
            );
            assert!(store
                .list_gst_invoices(scope, &ListParams::default())
                .await
                .unwrap()
                .is_empty());
            assert!(store
                .gst_invoices_in_period(scope, "2026-04")
                .await
                .unwrap()
                .is_empty());
        }
        // Live mode has its own series.
        let live_first = gst
            .create_invoice(&live, &gst_invoice("2026-04-30", 1))
            .await
            .unwrap();
        assert_eq!(live_first.number, "FX2627-000001");
    }
);

conformance!(
    gst_concurrent_invoices_get_gap_free_unique_numbers,
    |store: SqlStore| async move {
        let gst = invoice_service(&store);
        let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let gst = gst.clone();
                let scope = scope.clone();
                tokio::spawn(async move {
                    gst.create_invoice(&scope, &gst_invoice("2026-04-15", 1_000 + i))
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut sequences = Vec::new();
        for task in tasks {
            let invoice = task.await.unwrap();
            assert_eq!(invoice.number, format!("FX2627-{:06}", invoice.sequence));
            sequences.push(invoice.sequence);
        }
        sequences.sort_unstable();
        assert_eq!(sequences, (1..=20).collect::<Vec<i64>>());
    }
);

conformance!(
    gst_concurrent_credit_notes_never_exceed_the_invoice,
    |store: SqlStore| async move {
        let gst = invoice_service(&store);
        let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let invoice = gst
            .create_invoice(&scope, &gst_invoice("2026-04-15", 100_000))
            .await
            .unwrap();
        // Ten notes of Rs 300 race for Rs 1,000: exactly three fit.
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let gst = gst.clone();
                let scope = scope.clone();
                let mut note = gst_invoice("2026-04-20", 30_000);
                note.kind = finvex_core::gst::InvoiceType::CreditNote;
                note.original_invoice_id = Some(invoice.id.to_string());
                note.seller_gstin = None;
                note.buyer_gstin = None;
                tokio::spawn(async move { gst.create_invoice(&scope, &note).await })
            })
            .collect();
        let mut numbers = Vec::new();
        for task in tasks {
            match task.await.unwrap() {
                Ok(note) => numbers.push(note.number),
                Err(e) => assert_eq!(e.code(), "business_rule_violation", "{e}"),
            }
        }
        numbers.sort();
        assert_eq!(numbers, ["CN2627-000001", "CN2627-000002", "CN2627-000003"]);
        let after = gst.get_invoice(&scope, invoice.id.as_str()).await.unwrap();
        assert_eq!(after.credited_taxable_paise, 90_000);
        assert_eq!(after.credited_total_paise, 106_200);
    }
);

conformance!(
    gst_documents_for_orders_and_refunds,
    |store: SqlStore| async move {
        use finvex_core::gst::{GstSettingsInput, InvoiceType, NewInvoice, RateSource};
        use finvex_core::orders::{OrderStore, RefundStatus};
        let gst = invoice_service(&store);
        let settings = gst_service(&store);
        let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let other = Scope::new(new_merchant(&store).await.id, Mode::Test);

        // Settings per merchant and mode; the defaults until set.
        let defaults = settings.settings(&scope).await.unwrap();
        assert_eq!(
            (
                defaults.settings.default_rate.basis_points(),
                defaults.updated_at
            ),
            (1800, None)
        );
        let set = settings
            .set_settings(
                &scope,
                &GstSettingsInput {
                    default_rate: Some(rust_decimal::Decimal::from(5)),
                    seller_gstin: Some("29AAFCC9980M1ZR".into()),
                    default_hsn_code: Some("998316".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(settings.settings(&scope).await.unwrap(), set);
        assert_eq!(settings.settings(&other).await.unwrap().updated_at, None);
        let live = Scope::new(scope.merchant_id.clone(), Mode::Live);
        assert_eq!(settings.settings(&live).await.unwrap().updated_at, None);

        // The invoice for a paid order totals the amount paid, to the paisa.
        let payment = orders_fixture::captured_payment(&store, &scope, 100_050).await;
        let for_order = |id: &str| NewInvoice {
            order_id: Some(id.into()),
            buyer_state: Some("KA".into()),
            date: Some("2026-04-15".into()),
            ..Default::default()
        };
        let invoice = gst
            .create_invoice(&scope, &for_order(payment.order_id.as_str()))
            .await
            .unwrap();
        assert_eq!(invoice.total_paise, 100_050);
        assert_eq!(invoice.order_id.as_ref(), Some(&payment.order_id));
        assert_eq!(invoice.rate_source, Some(RateSource::MerchantDefault));
        assert_eq!(invoice.breakup.lines[0].rate.basis_points(), 500);
        assert_eq!(invoice.breakup.cgst_paise, invoice.breakup.sgst_paise);
        let again = gst
            .create_invoice(&scope, &for_order(payment.order_id.as_str()))
            .await
            .unwrap_err();
        assert_eq!(
            (again.code(), again.field()),
            ("conflict", Some("order_id"))
        );
        let by_payment = NewInvoice {
            order_id: None,
            payment_id: Some(payment.id.to_string()),
            ..for_order("")
        };
        assert_eq!(
            gst.create_invoice(&scope, &by_payment)
                .await
                .unwrap_err()
                .code(),
            "conflict"
        );
        let foreign = gst
            .create_invoice(&other, &for_order(payment.order_id.as_str()))
            .await
            .unwrap_err();
        assert_eq!(foreign.code(), "not_found");

        // Racing requests for one order: exactly one invoice.
        let racing = orders_fixture::captured_payment(&store, &scope, 50_000).await;
        let tasks: Vec<_> = (0..6)
            .map(|_| {
                let (gst, scope) = (gst.clone(), scope.clone());
                let req = for_order(racing.order_id.as_str());
                tokio::spawn(async move { gst.create_invoice(&scope, &req).await })
            })
            .collect();
        let mut issued = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => issued += 1,
                Err(e) => assert_eq!(e.code(), "conflict", "{e}"),
            }
        }
        assert_eq!(issued, 1);

        // Three partial refunds credit the whole invoice, never more.
        let credit = |refund: &str| NewInvoice {
            kind: InvoiceType::CreditNote,
            refund_id: Some(refund.into()),
            date: Some("2026-04-20".into()),
            ..Default::default()
        };
        let pending = orders_fixture::refund(&payment, 33_350);
        assert!(store.reserve_refund(&scope, &pending, None).await.unwrap());
        let err = gst
            .create_invoice(&scope, &credit(pending.id.as_str()))
            .await
            .unwrap_err();
        assert_eq!(
            (err.code(), err.field()),
            ("business_rule_violation", Some("refund_id"))
        );
        let mut refunds = vec![pending];
        for amount in [33_350, 33_350] {
            let refund = orders_fixture::refund(&payment, amount);
            assert!(store.reserve_refund(&scope, &refund, None).await.unwrap());
            refunds.push(refund);
        }
        let mut credited = 0;
        for refund in refunds {
            let processed = finvex_core::orders::Refund {
                status: RefundStatus::Processed,
                ..refund
            };
            assert!(store.finish_refund(&scope, &processed, &[]).await.unwrap());
            let note = gst
                .create_invoice(&scope, &credit(processed.id.as_str()))
                .await
                .unwrap();
            assert_eq!(note.total_paise, 33_350);
            assert_eq!(note.refund_id.as_ref(), Some(&processed.id));
            assert_eq!(note.original_invoice_id.as_ref(), Some(&invoice.id));
            assert_eq!(note.rate_source, Some(RateSource::OriginalInvoice));
            credited += note.total_paise;
            let twice = gst
                .create_invoice(&scope, &credit(processed.id.as_str()))
                .await
                .unwrap_err();
            assert_eq!(twice.code(), "conflict");
        }
        let after = gst.get_invoice(&scope, invoice.id.as_str()).await.unwrap();
        assert_eq!((after.credited_total_paise, credited), (100_050, 100_050));
    }
);

/// 2026-05-05 12:00 IST: April is over and can be filed.
const MAY_5: i64 = 1_777_962_600;

fn file_april() -> finvex_core::gst::FileGstr1 {
    finvex_core::gst::FileGstr1 {
        month: "2026-04".into(),
        gstin: None,
    }
}

conformance!(
    gst_filing_keeps_the_month_and_corrections_become_amendments,
    |store: SqlStore| async move {
        use finvex_core::gst::{CorrectInvoice, GstStore, Gstr1Service, LineInput};
        let clock = Arc::new(ManualClock::new(Timestamp::from_unix_secs(MAY_5)));
        let gst = finvex_core::gst::InvoiceService::new(Arc::new(store.clone()), clock.clone());
        let returns = Gstr1Service::new(Arc::new(store.clone()), clock.clone());
        let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
        let april = gst
            .create_invoice(&scope, &gst_invoice("2026-04-20", 100_000))
            .await
            .unwrap();
        let filed = returns.file(&scope, &file_april()).await.unwrap();
        let kept = store
            .gst_filed_return(&scope, "29AAFCC9980M1ZR", "2026-04")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(kept.gstr1, filed.gstr1, "the return reads back as filed");
        // Another tenant sees nothing filed.
        let other = Scope::new(new_merchant(&store).await.id, Mode::Test);
        assert!(store
            .gst_filed_return(&other, "29AAFCC9980M1ZR", "2026-04")
            .await
            .unwrap()
            .is_none());
        let correction = CorrectInvoice {
            lines: Some(vec![LineInput {
                hsn_code: Some("998316".into()),
                unit_price: 110_000,
                ..Default::default()
            }]),
            ..Default::default()
        };
        let amended = gst
            .correct(&scope, april.id.as_str(), &correction)
            .await
            .unwrap();
        assert_eq!(amended.reported_as, "amendment");
        let stored = store
            .gst_amendments_in_period(&scope, "29AAFCC9980M1ZR", "2026-05")
            .await
            .unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].original.breakup.taxable_paise, 100_000);
        assert_eq!(stored[0].revised.breakup.taxable_paise, 110_000);
        assert_eq!(stored[0].original_period, "2026-04");
        let fingerprint = store
            .gstr1_fingerprint(&scope, "29AAFCC9980M1ZR", "2026-05")
            .await
            .unwrap();
        assert_eq!(fingerprint.amendments, 1);
        assert_eq!(
            returns.gstr1(&scope, "2026-04", None).await.unwrap(),
            filed.gstr1
        );
        let may = returns
            .gstr1(&scope, "2026-05", Some("29AAFCC9980M1ZR"))
            .await
            .unwrap();
        assert_eq!(may.b2ba[0].inv[0].oinum, april.number);

        // May filed, then the invoice corrected again in June: June's
        // amendment is against April's original and May's revision.
        clock.set(Timestamp::from_unix_secs(MAY_5 + 31 * 86_400));
        returns
            .file(
                &scope,
                &finvex_core::gst::FileGstr1 {
                    month: "2026-05".into(),
                    gstin: None,
                },
            )
            .await
            .unwrap();
        let mut again = correction.clone();
        again.lines.as_mut().unwrap()[0].unit_price = 120_000;
        gst.correct(&scope, april.id.as_str(), &again)
            .await
            .unwrap();
        let june = store
            .gst_amendments_in_period(&scope, "29AAFCC9980M1ZR", "2026-06")
            .await
            .unwrap();
        assert_eq!(june[0].original.breakup.taxable_paise, 100_000);
        assert_eq!(june[0].previous.breakup.taxable_paise, 110_000);
        assert_eq!(june[0].revised.breakup.taxable_paise, 120_000);
        let june_return = returns.gstr1(&scope, "2026-06", None).await.unwrap();
        let hsn = june_return.hsn.hsn_b2b.unwrap();
        assert_eq!(hsn[0].txval_paise, 10_000, "only June's own difference");
        // A no-op correction changes nothing and is refused.
        let err = gst
            .correct(&scope, april.id.as_str(), &again)
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("lines"), "{err}");
    }
);

conformance!(
    gst_a_filing_racing_new_documents_loses_none,
    |store: SqlStore| async move {
        use finvex_core::gst::Gstr1Service;
        let clock = Arc::new(ManualClock::new(Timestamp::from_unix_secs(MAY_5)));
        let gst = Arc::new(finvex_core::gst::InvoiceService::new(
            Arc::new(store.clone()),
            clock.clone(),
        ));
        let returns = Arc::new(Gstr1Service::new(Arc::new(store.clone()), clock.clone()));
        let scope = Scope::new(new_merchant(&store).await.id, Mode::Test);
        gst.create_invoice(&scope, &gst_invoice("2026-04-01", 1_000))
            .await
            .unwrap();
        let issuing: Vec<_> = (0..12)
            .map(|i| {
                let (gst, scope) = (gst.clone(), scope.clone());
                tokio::spawn(async move {
                    gst.create_invoice(&scope, &gst_invoice("2026-04-30", 2_000 + i))
                        .await
                        .unwrap()
                })
            })
            .collect();
        let filing = {
            let (returns, scope) = (returns.clone(), scope.clone());
            // A client asks again while documents keep landing in the month.
            tokio::spawn(async move {
                loop {
                    match returns.file(&scope, &file_april()).await {
                        Err(Error::Conflict { message, .. }) if message.contains("changing") => {
                            tokio::task::yield_now().await
                        }
                        done => break done.unwrap(),
                    }
                }
            })
        };
        let mut issued = Vec::new();
        for task in issuing {
            issued.push(task.await.unwrap());
        }
        let filed = filing.await.unwrap();
        let in_filed: Vec<&str> = filed.gstr1.b2b[0]
            .inv
            .iter()
            .map(|i| i.inum.as_str())
            .collect();
        let may = returns
            .gstr1(&scope, "2026-05", Some("29AAFCC9980M1ZR"))
            .await
            .unwrap();
        let in_may: Vec<&str> = may
            .b2b
            .iter()
            .flat_map(|e| &e.inv)
            .map(|i| i.inum.as_str())
            .collect();
        // Every document is in exactly one return: the filed April or May.
        for invoice in &issued {
            let (april, may) = (
                in_filed.contains(&invoice.number.as_str()),
                in_may.contains(&invoice.number.as_str()),
            );
            assert!(
                april != may,
                "{} in April {april}, in May {may}",
                invoice.number
            );
            assert_eq!(
                invoice.reported_period,
                if april { "2026-04" } else { "2026-05" }
            );
        }
    }
);
