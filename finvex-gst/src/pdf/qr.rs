//! The IRP's signed QR code as vector modules: each run of dark modules in
//! a row is one filled rectangle, so no raster image is embedded and the
//! code stays sharp at any zoom or print resolution.

use qrcode::{Color, EcLevel, QrCode};

use crate::error::GstError;

/// The IRP's signed QR codes are JWTs of about 1 KB; a QR code holds at
/// most 2,953 bytes, so anything longer could not be encoded anyway.
pub const MAX_QR_CHARS: usize = 2_900;

/// Light modules around the code, as the QR standard asks.
pub const QUIET_ZONE: usize = 4;

/// One horizontal run of dark modules, in module units from the top left
/// of the symbol (quiet zone included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub x: usize,
    pub y: usize,
    pub len: usize,
}

/// The symbol's side in modules (quiet zone included) and its dark runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Modules {
    pub side: usize,
    pub runs: Vec<Run>,
}

/// Encodes `data` at error-correction level M (15 % of the symbol may be
/// damaged, the usual level for printed codes), falling back to L when M
/// cannot hold it.
pub fn modules(data: &str) -> Result<Modules, GstError> {
    let too_long = || {
        GstError::invalid(
            "irp.signed_qr_code",
            format!(
                "the signed QR code has {} characters; a QR code holds at most {MAX_QR_CHARS}",
                data.chars().count()
            ),
        )
    };
    if data.is_empty() {
        return Err(GstError::invalid(
            "irp.signed_qr_code",
            "the IRP's signed QR code is empty",
        ));
    }
    if data.len() > MAX_QR_CHARS {
        return Err(too_long());
    }
    let code = QrCode::with_error_correction_level(data, EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(data, EcLevel::L))
        .map_err(|_| too_long())?;
    let width = code.width();
    let colors = code.to_colors();
    let mut runs = Vec::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                runs.push(Run {
                    x: start + QUIET_ZONE,
                    y: y + QUIET_ZONE,
                    len: x - start,
                });
            } else {
                x += 1;
            }
        }
    }
    Ok(Modules {
        side: width + 2 * QUIET_ZONE,
        runs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_cover_exactly_the_dark_modules() {
        let data = "eyJhbGciOiJSUzI1NiJ9.eyJkYXRhIjoie1wiSXJuXCI6XCJhYmNcIn0ifQ.c2ln";
        let code = QrCode::with_error_correction_level(data, EcLevel::M).unwrap();
        let m = modules(data).unwrap();
        assert_eq!(m.side, code.width() + 8);
        let dark: usize = code
            .to_colors()
            .iter()
            .filter(|c| **c == Color::Dark)
            .count();
        assert_eq!(m.runs.iter().map(|r| r.len).sum::<usize>(), dark);
        // The finder pattern's top row: 7 dark modules at the quiet zone's edge.
        assert_eq!(m.runs[0], Run { x: 4, y: 4, len: 7 });
        assert!(m.runs.iter().all(|r| r.x + r.len <= m.side - QUIET_ZONE));
    }

    #[test]
    fn refuses_what_no_qr_code_can_hold() {
        assert!(modules("").is_err());
        let long = "A".repeat(MAX_QR_CHARS + 1);
        assert_eq!(
            modules(&long).unwrap_err().field(),
            Some("irp.signed_qr_code")
        );
        // Near the limit still encodes (at level L if need be).
        assert!(modules(&"x".repeat(2_000)).is_ok());
    }
}
