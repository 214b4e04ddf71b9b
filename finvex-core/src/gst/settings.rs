//! A merchant's GST settings (per mode): the default rate for requests that
//! name none, and the seller identity and HSN/SAC code that invoices for
//! orders are issued with; and reading the ones in force.

use serde::{Deserialize, Serialize};

use finvex_gst::einvoice::Party;
use finvex_gst::{hsn, GstRate};

use super::rules::{self, parse_gstin};
use crate::store::Store;
use crate::{Error, Mode, Scope};

/// `PUT /v1/gst/settings` replaces the settings; absent fields take their defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GstSettingsInput {
    /// Combined GST rate in percent; must be a current or legacy slab.
    #[schemars(with = "GstRate")]
    #[serde(default, with = "finvex_gst::money::decimal_opt")]
    pub default_rate: Option<rust_decimal::Decimal>,
    #[schemars(with = "Option<finvex_gst::Gstin>")]
    #[serde(default)]
    pub seller_gstin: Option<String>,
    #[serde(default)]
    pub seller: Option<Party>,
    /// The HSN/SAC code of what the merchant sells, for invoices issued from orders.
    #[serde(default)]
    pub default_hsn_code: Option<String>,
    /// The Letter of Undertaking (RFD-11) for exports and SEZ supplies
    /// without payment of IGST.
    #[serde(default)]
    pub lut: Option<Lut>,
    /// The turnover is above the e-invoice limit but the merchant is exempt
    /// from e-invoicing (e.g. an SEZ unit): its invoices carry the Rule 46(s)
    /// declaration.
    #[serde(default)]
    pub einvoice_exempt: bool,
}

/// A Letter of Undertaking furnished for one financial year (Rule 96A):
/// exports and SEZ supplies without payment of IGST need one in force on
/// their date, and carry its ARN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lut {
    /// The acknowledgement (ARN) of the RFD-11, e.g. `AD290426000123X`.
    #[schemars(length(min = 1, max = 20))]
    pub arn: String,
    /// `2026-27`.
    #[schemars(pattern(r"^[0-9]{4}-[0-9]{2}$"))]
    pub financial_year: String,
}

impl Lut {
    fn parse(lut: &Lut) -> Result<Lut, Error> {
        let arn = lut.arn.trim().to_ascii_uppercase();
        if arn.is_empty() || arn.len() > 20 || !arn.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::validation(
                "lut.arn",
                "the LUT's ARN is 1 to 20 letters and digits",
            ));
        }
        let fy = lut.financial_year.trim();
        let valid = fy.len() == 7
            && fy.as_bytes()[4] == b'-'
            && fy[..4]
                .parse::<u16>()
                .ok()
                .zip(fy[5..].parse::<u16>().ok())
                .is_some_and(|(start, end)| (start + 1) % 100 == end);
        if !valid {
            return Err(Error::validation(
                "lut.financial_year",
                "a financial year such as 2026-27",
            ));
        }
        Ok(Lut {
            arn,
            financial_year: fy.to_string(),
        })
    }
}

/// The stored, validated settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GstSettings {
    pub default_rate: GstRate,
    #[schemars(with = "Option<finvex_gst::Gstin>")]
    pub seller_gstin: Option<String>,
    pub seller: Option<Party>,
    pub default_hsn_code: Option<String>,
    #[serde(default)]
    pub lut: Option<Lut>,
    #[serde(default)]
    pub einvoice_exempt: bool,
}

impl Default for GstSettings {
    fn default() -> Self {
        GstSettings {
            default_rate: rules::MERCHANT_DEFAULT_RATE,
            seller_gstin: None,
            seller: None,
            default_hsn_code: None,
            lut: None,
            einvoice_exempt: false,
        }
    }
}

impl GstSettings {
    pub fn parse(input: &GstSettingsInput) -> Result<Self, Error> {
        let default_rate = match input.default_rate {
            Some(percent) => {
                GstRate::new(percent).map_err(|e| Error::from(e.at("default_rate")))?
            }
            None => rules::MERCHANT_DEFAULT_RATE,
        };
        let seller_gstin = input
            .seller_gstin
            .as_deref()
            .map(|g| {
                parse_gstin("seller_gstin", &g.trim().to_ascii_uppercase()).map(|g| g.to_string())
            })
            .transpose()?;
        let default_hsn_code = match input.default_hsn_code.as_deref().map(str::trim) {
            Some(code) if !hsn::is_known(code) => {
                return Err(Error::validation(
                    "default_hsn_code",
                    format!("HSN/SAC code '{code}' is not in the GST master"),
                ))
            }
            code => code.map(str::to_string),
        };
        Ok(GstSettings {
            default_rate,
            seller_gstin,
            seller: input.seller.clone(),
            default_hsn_code,
            lut: input.lut.as_ref().map(Lut::parse).transpose()?,
            einvoice_exempt: input.einvoice_exempt,
        })
    }
}

/// What the API answers for `GET`/`PUT /v1/gst/settings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct GstSettingsView {
    pub entity: &'static str,
    pub mode: Mode,
    #[serde(flatten)]
    pub settings: GstSettings,
    /// Unix seconds; `None` while the defaults apply.
    pub updated_at: Option<i64>,
}

/// The merchant's GST settings in this mode (the defaults until set).
pub(crate) async fn current_settings(
    store: &dyn Store,
    scope: &Scope,
) -> Result<GstSettings, Error> {
    Ok(store
        .gst_settings(scope)
        .await?
        .map(|(settings, _)| settings)
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn defaults_to_eighteen_percent_and_checks_every_field() {
        let s = GstSettings::parse(&GstSettingsInput::default()).unwrap();
        assert_eq!(s.default_rate, GstRate::STANDARD);
        let five = GstSettings::parse(&GstSettingsInput {
            default_rate: Some(Decimal::from(5)),
            seller_gstin: Some("29aafcc9980m1zr".into()),
            default_hsn_code: Some("998316".into()),
            ..GstSettingsInput::default()
        })
        .unwrap();
        assert_eq!(five.default_rate.percent(), Decimal::from(5));
        assert_eq!(five.seller_gstin.as_deref(), Some("29AAFCC9980M1ZR"));
        for (input, field) in [
            (
                GstSettingsInput {
                    default_rate: Some(Decimal::from(7)),
                    ..GstSettingsInput::default()
                },
                "default_rate",
            ),
            (
                GstSettingsInput {
                    seller_gstin: Some("29AAFCC9980M1ZX".into()),
                    ..GstSettingsInput::default()
                },
                "seller_gstin",
            ),
            (
                GstSettingsInput {
                    default_hsn_code: Some("123456".into()),
                    ..GstSettingsInput::default()
                },
                "default_hsn_code",
            ),
        ] {
            let err = GstSettings::parse(&input).unwrap_err();
            assert_eq!(err.field(), Some(field), "{err}");
        }
    }
}
