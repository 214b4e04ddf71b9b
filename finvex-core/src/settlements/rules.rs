//! Reconciling a settlement: a pure function of its amount and lines.

use super::{Reconciliation, ReconciliationStatus, SettlementEntry};
use crate::money::Amount;
use crate::Error;

/// Sums the lines and compares them with the amount paid out.
pub fn reconcile(amount: Amount, entries: &[SettlementEntry]) -> Result<Reconciliation, Error> {
    let mut credits = Amount::ZERO;
    let mut debits = Amount::ZERO;
    let mut fees = Amount::ZERO;
    let mut tax = Amount::ZERO;
    let mut matched = 0;
    for entry in entries {
        if entry.credit {
            credits = credits.checked_add(entry.amount)?;
        } else {
            debits = debits.checked_add(entry.amount)?;
        }
        fees = fees.checked_add(entry.fee)?;
        tax = tax.checked_add(entry.tax)?;
        matched += usize::from(entry.matched);
    }
    let expected_amount = credits
        .checked_sub(debits)?
        .checked_sub(fees)?
        .checked_sub(tax)?;
    let difference = amount.checked_sub(expected_amount)?;
    let unmatched = entries.len() - matched;
    let status = if entries.is_empty() {
        ReconciliationStatus::NoEntries
    } else if difference != Amount::ZERO {
        ReconciliationStatus::AmountMismatch
    } else if unmatched > 0 {
        ReconciliationStatus::UnmatchedEntries
    } else {
        ReconciliationStatus::Reconciled
    };
    Ok(Reconciliation {
        status,
        credits,
        debits,
        fees,
        tax,
        expected_amount,
        difference,
        matched_entries: matched,
        unmatched_entries: unmatched,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::SettlementEntryKind;
    use proptest::prelude::*;

    fn line(amount: i64, credit: bool, fee: i64, tax: i64, matched: bool) -> SettlementEntry {
        SettlementEntry {
            kind: if credit {
                SettlementEntryKind::Payment
            } else {
                SettlementEntryKind::Refund
            },
            provider_entity_id: "x".into(),
            provider_payment_id: None,
            payment_id: None,
            refund_id: None,
            amount: Amount::from_minor(amount),
            credit,
            fee: Amount::from_minor(fee),
            tax: Amount::from_minor(tax),
            matched,
        }
    }

    #[test]
    fn a_payment_less_its_fee_and_a_refund() {
        // Rs 1,000 in at 2% + 18% GST on the fee, Rs 100 refunded.
        let lines = [
            line(100_000, true, 2_000, 360, true),
            line(10_000, false, 0, 0, true),
        ];
        let r = reconcile(Amount::from_minor(87_640), &lines).unwrap();
        assert_eq!(r.status, ReconciliationStatus::Reconciled);
        assert_eq!(r.expected_amount.minor(), 87_640);
        let short = reconcile(Amount::from_minor(87_639), &lines).unwrap();
        assert_eq!(
            (short.status, short.difference.minor()),
            (ReconciliationStatus::AmountMismatch, -1)
        );
        let foreign = [line(100_000, true, 2_000, 360, false)];
        let r = reconcile(Amount::from_minor(97_640), &foreign).unwrap();
        assert_eq!(
            (r.status, r.unmatched_entries),
            (ReconciliationStatus::UnmatchedEntries, 1)
        );
        assert_eq!(
            reconcile(Amount::ZERO, &[]).unwrap().status,
            ReconciliationStatus::NoEntries
        );
    }

    proptest! {
        #[test]
        fn the_books_balance(lines in proptest::collection::vec(
            (1i64..10_000_000, any::<bool>(), 0i64..100_000, 0i64..20_000), 0..40)
        ) {
            let entries: Vec<_> = lines.iter().map(|&(a, c, f, t)| line(a, c, f, t, true)).collect();
            let paid: i64 = lines.iter().map(|&(a, c, f, t)| if c { a } else { -a } - f - t).sum();
            let r = reconcile(Amount::from_minor(paid), &entries).unwrap();
            prop_assert_eq!(r.difference, Amount::ZERO);
            prop_assert_eq!(
                r.credits.minor() - r.debits.minor() - r.fees.minor() - r.tax.minor(),
                paid
            );
            prop_assert_eq!(r.matched_entries, entries.len());
        }
    }
}
