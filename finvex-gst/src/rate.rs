//! GST rate slabs.
//!
//! Rates are data, not free numbers: a typo such as 1.8% instead of 18% must
//! be rejected at the edge. The set changed on 22-09-2025 (56th GST Council:
//! 40% added, 12% and 28% kept only for legacy/tobacco cases), so each slab
//! carries its validity.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::date::Date;
use crate::error::GstError;

/// Why a slab exists, which tells callers whether to warn about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlabStatus {
    /// A main slab in force today.
    Current,
    /// Narrow special-purpose rates (precious stones, merchant exports, ...).
    Special,
    /// Removed as a general slab on 22-09-2025; still valid for older
    /// documents and for tobacco-type goods.
    Legacy,
}

/// One notified rate. `basis_points` is the rate × 100 (18% → 1800), which is
/// exact for every slab and cheap to compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slab {
    pub basis_points: u32,
    pub status: SlabStatus,
    /// First date the slab may be used; `None` means since GST began.
    pub valid_from: Option<(u16, u8, u8)>,
}

const fn slab(basis_points: u32, status: SlabStatus) -> Slab {
    Slab {
        basis_points,
        status,
        valid_from: None,
    }
}

/// All slabs the engine accepts (research note §1.3), in ascending order.
pub static SLABS: &[Slab] = &SLAB_LIST;

/// [`SLABS`] as a constant, so that tables can be derived at compile time.
const SLAB_LIST: [Slab; 13] = [
    slab(0, SlabStatus::Current),
    slab(10, SlabStatus::Special),
    slab(25, SlabStatus::Current),
    slab(100, SlabStatus::Special),
    slab(150, SlabStatus::Special),
    slab(300, SlabStatus::Current),
    slab(500, SlabStatus::Current),
    slab(600, SlabStatus::Special),
    slab(750, SlabStatus::Special),
    slab(1200, SlabStatus::Legacy),
    slab(1800, SlabStatus::Current),
    slab(2800, SlabStatus::Legacy),
    Slab {
        basis_points: 4000,
        status: SlabStatus::Current,
        valid_from: Some((2025, 9, 22)),
    },
];

/// Each slab's [`GstRate::percent`], worked out at compile time: building a
/// `Decimal` on every line costs more than the tax arithmetic itself.
static PERCENT: [Decimal; SLAB_LIST.len()] = slab_decimals(false);
/// Each slab's [`GstRate::half_percent`], likewise.
static HALF_PERCENT: [Decimal; SLAB_LIST.len()] = slab_decimals(true);

/// A combined GST rate (IGST rate = CGST + SGST) that is a known slab.
///
/// Serialises as a JSON number (`18`, `0.25`); deserialises from a number or
/// string and rejects anything that is not a slab.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GstRate {
    /// Position in [`SLABS`]. The slabs ascend, so the derived ordering is
    /// the rates' ordering, and every per-slab fact is one indexed load.
    slab: u8,
}

impl GstRate {
    /// 18%, the standard rate and the default for SaaS/IT services (SAC 9983xx).
    pub const STANDARD: GstRate = GstRate::of_slab(1800);
    pub const ZERO: GstRate = GstRate::of_slab(0);

    /// The rate of the slab with `basis_points`, for constants: anything
    /// else fails to compile.
    const fn of_slab(basis_points: u32) -> GstRate {
        let mut i = 0;
        while i < SLAB_LIST.len() {
            if SLAB_LIST[i].basis_points == basis_points {
                // At most 13 slabs.
                return GstRate { slab: i as u8 };
            }
            i += 1;
        }
        panic!("not a GST slab")
    }

    /// Accepts a percentage such as `18` or `0.25`.
    pub fn new(percent: Decimal) -> Result<Self, GstError> {
        // Checked: a rate near `Decimal::MAX` must be an error, not a panic.
        let bp = percent.checked_mul(Decimal::ONE_HUNDRED);
        let found = SLABS
            .iter()
            .position(|s| bp == Some(Decimal::from(s.basis_points)))
            .ok_or_else(|| GstError::InvalidRate {
                field: "rate".into(),
                rate: percent.normalize().to_string(),
                detail: format!("; allowed: {}", allowed_list()),
            })?;
        Ok(GstRate {
            // At most 13 slabs.
            slab: found as u8,
        })
    }

    pub fn parse(input: &str) -> Result<Self, GstError> {
        let d: Decimal =
            input
                .trim()
                .trim_end_matches('%')
                .parse()
                .map_err(|_| GstError::InvalidRate {
                    field: "rate".into(),
                    rate: input.chars().take(20).collect(),
                    detail: " (not a number)".into(),
                })?;
        GstRate::new(d)
    }

    /// The combined rate in percent, normalised (`18`, `0.25`).
    pub fn percent(&self) -> Decimal {
        PERCENT[usize::from(self.slab)]
    }

    /// The CGST (and equally SGST/UTGST) share, in percent (`9`, `0.1250`).
    pub fn half_percent(&self) -> Decimal {
        HALF_PERCENT[usize::from(self.slab)]
    }

    pub fn basis_points(&self) -> u32 {
        self.slab().basis_points
    }

    pub fn slab(&self) -> &'static Slab {
        &SLAB_LIST[usize::from(self.slab)]
    }

    pub fn is_legacy(&self) -> bool {
        self.slab().status == SlabStatus::Legacy
    }

    /// Rejects a slab on a document dated before the slab existed
    /// (40% before 22-09-2025).
    pub fn check_effective(&self, on: Date) -> Result<(), GstError> {
        match self.slab().valid_from {
            Some((y, m, d)) if (on.year(), on.month(), on.day()) < (y, m, d) => {
                Err(GstError::InvalidRate {
                    field: "rate".into(),
                    rate: self.percent().to_string(),
                    detail: format!(" on {on}; it applies from {y:04}-{m:02}-{d:02}"),
                })
            }
            _ => Ok(()),
        }
    }
}

/// Each slab's rate in percent, or its half, with the digits the decimal
/// arithmetic this replaced gave (which `Display` and `Debug` show):
/// `Decimal::new(bp, 2).normalize()`, and that divided by two.
const fn slab_decimals(half: bool) -> [Decimal; SLAB_LIST.len()] {
    let mut out = [Decimal::ZERO; SLAB_LIST.len()];
    let mut i = 0;
    while i < SLAB_LIST.len() {
        let (mut mantissa, mut scale) = normalised(SLAB_LIST[i].basis_points, 2);
        if half {
            // Decimal division halves an even mantissa in place and gives an
            // odd one two more digits (0.25 / 2 = 0.1250).
            (mantissa, scale) = if mantissa % 2 == 0 {
                (mantissa / 2, scale)
            } else {
                (mantissa * 50, scale + 2)
            };
        }
        out[i] = Decimal::from_parts(mantissa, 0, 0, false, scale);
        i += 1;
    }
    out
}

/// `mantissa / 10^scale` without trailing zeros, as `Decimal::normalize`
/// gives it, as (mantissa, scale).
const fn normalised(mut mantissa: u32, mut scale: u32) -> (u32, u32) {
    while scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    (mantissa, scale)
}

fn allowed_list() -> String {
    SLABS
        .iter()
        .map(|s| {
            Decimal::new(s.basis_points as i64, 2)
                .normalize()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Shows the rate as it did when it was stored in basis points.
impl fmt::Debug for GstRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GstRate")
            .field("basis_points", &self.basis_points())
            .finish()
    }
}

impl Default for GstRate {
    fn default() -> Self {
        GstRate::STANDARD
    }
}

impl fmt::Display for GstRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.percent())
    }
}

impl Serialize for GstRate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::money::decimal::serialize(&self.percent(), s)
    }
}

impl<'de> Deserialize<'de> for GstRate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = crate::money::deserialize_decimal(d)?;
        GstRate::new(v).map_err(serde::de::Error::custom)
    }
}

/// What the rate serialises as: a JSON number, one of the slabs.
impl schemars::JsonSchema for GstRate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "GstRate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let slabs: Vec<serde_json::Value> = SLABS
            .iter()
            .map(|s| {
                let percent = Decimal::new(s.basis_points as i64, 2).normalize();
                serde_json::from_str(&percent.to_string()).expect("a slab is a JSON number")
            })
            .collect();
        schemars::json_schema!({
            "type": "number",
            "enum": slabs,
            "description": "A combined GST rate in percent (IGST, or CGST + SGST/UTGST): one of the notified slabs (40 from 2025-09-22).",
            "examples": [18]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_slabs_and_rejects_others() {
        for ok in [
            "0", "0.25", "3", "5", "18", "40", "12", "28", "1.5", "18.00",
        ] {
            assert!(GstRate::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["1.8", "9", "17", "100", "-18", "abc"] {
            let e = GstRate::parse(bad).unwrap_err();
            assert_eq!(e.code(), "invalid_rate", "{bad}");
        }
        // Too large to scale to basis points: an error, not an overflow.
        for huge in [Decimal::MAX, Decimal::MIN] {
            assert_eq!(GstRate::new(huge).unwrap_err().code(), "invalid_rate");
        }
    }

    #[test]
    fn half_rate_is_exact() {
        assert_eq!(GstRate::STANDARD.half_percent(), Decimal::new(9, 0));
        assert_eq!(
            GstRate::parse("0.25").unwrap().half_percent(),
            Decimal::new(125, 3)
        );
    }

    /// The integer-built decimals equal the decimal arithmetic they
    /// replaced, down to the digits (which `Display` and `Debug` show).
    #[test]
    fn percent_and_half_match_decimal_arithmetic_exactly() {
        for s in SLABS {
            let r = GstRate::new(Decimal::new(i64::from(s.basis_points), 2)).unwrap();
            assert_eq!(r.basis_points(), s.basis_points);
            assert_eq!(r.slab(), s);
            assert_eq!(
                format!("{r:?}"),
                format!("GstRate {{ basis_points: {} }}", s.basis_points)
            );
            let whole = Decimal::new(i64::from(s.basis_points), 2).normalize();
            let half = whole / Decimal::TWO;
            for (got, want) in [(r.percent(), whole), (r.half_percent(), half)] {
                assert_eq!(got, want, "{}", s.basis_points);
                assert_eq!(got.scale(), want.scale(), "{}", s.basis_points);
                assert_eq!(got.to_string(), want.to_string());
            }
        }
    }

    #[test]
    fn slabs_ascend_so_rates_order_by_value() {
        assert!(SLABS
            .windows(2)
            .all(|w| w[0].basis_points < w[1].basis_points));
        assert!(GstRate::ZERO < GstRate::STANDARD);
        assert_eq!(GstRate::STANDARD.basis_points(), 1800);
        assert_eq!(GstRate::ZERO.basis_points(), 0);
    }

    #[test]
    fn forty_percent_only_from_22_september_2025() {
        let forty = GstRate::parse("40").unwrap();
        assert!(forty
            .check_effective(Date::new(2025, 9, 21).unwrap())
            .is_err());
        assert!(forty
            .check_effective(Date::new(2025, 9, 22).unwrap())
            .is_ok());
        assert!(GstRate::parse("28").unwrap().is_legacy());
        assert!(!GstRate::STANDARD.is_legacy());
    }

    #[test]
    fn serde_uses_json_numbers() {
        let r = GstRate::parse("0.25").unwrap();
        assert_eq!(serde_json::to_string(&r).unwrap(), "0.25");
        assert_eq!(serde_json::to_string(&GstRate::STANDARD).unwrap(), "18");
        assert_eq!(serde_json::from_str::<GstRate>("0.25").unwrap(), r);
        assert_eq!(
            serde_json::from_str::<GstRate>("\"18\"").unwrap(),
            GstRate::STANDARD
        );
        assert!(serde_json::from_str::<GstRate>("17").is_err());
    }
}
