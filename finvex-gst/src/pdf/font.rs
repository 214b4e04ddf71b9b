//! The two fonts the invoice uses, Helvetica and Helvetica-Bold: PDF base-14
//! fonts every reader has, so nothing is embedded. Text is WinAnsi-encoded
//! (one byte a character) and measured with the fonts' AFM advance widths,
//! which is what right-aligning amounts and wrapping words need.

/// Which of the two fonts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

/// Advance widths (1/1000 em) of the printable ASCII characters 32..=126,
/// from Adobe's Core14 AFM files for Helvetica.
const REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 222, 333, 333, 389, 584, 278, 333, 278, 278, // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0..?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P.._
    222, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // `..o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p..~
];

/// The same for Helvetica-Bold.
const BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 278, 333, 333, 389, 584, 278, 333, 278, 278, // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 0..?
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // P.._
    278, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // `..o
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, // p..~
];

/// Measured for any other WinAnsi character (accented letters, dashes,
/// quotes): at least as wide as each of them, so measured text never
/// overlaps what follows it.
const WIDEST: u16 = 1000;

impl Face {
    /// The base-14 font's PostScript name.
    pub fn base_font(self) -> &'static [u8] {
        match self {
            Face::Regular => b"Helvetica",
            Face::Bold => b"Helvetica-Bold",
        }
    }

    /// The width of WinAnsi-encoded `text` at `size` points.
    pub fn width(self, text: &[u8], size: f32) -> f32 {
        let table = match self {
            Face::Regular => &REGULAR,
            Face::Bold => &BOLD,
        };
        let units: u32 = text
            .iter()
            .map(|&b| match b {
                32..=126 => u32::from(table[usize::from(b - 32)]),
                _ => u32::from(WIDEST),
            })
            .sum();
        units as f32 * size / 1000.0
    }
}

/// `text` in WinAnsi, one byte per character: printable ASCII as is, the
/// Latin-1 letters and the typographic punctuation WinAnsi has, the rupee
/// sign as "Rs.", whitespace as spaces, and anything else (Devanagari,
/// emoji) as '?', which the base fonts cannot draw.
pub fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ' '..='~' => out.push(c as u8),
            '\u{a0}'..='\u{ff}' => out.push(c as u32 as u8),
            '\u{20b9}' => out.extend_from_slice(b"Rs."),
            c if c.is_whitespace() => out.push(b' '),
            c => out.push(winansi_punctuation(c).unwrap_or(b'?')),
        }
    }
    out
}

/// The few characters above U+00FF that WinAnsi (cp1252) places in 0x80..0x9F.
fn winansi_punctuation(c: char) -> Option<u8> {
    Some(match c {
        '\u{20ac}' => 0x80, // euro
        '\u{2026}' => 0x85, // ellipsis
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201c}' => 0x93,
        '\u{201d}' => 0x94,
        '\u{2022}' => 0x95, // bullet
        '\u{2013}' => 0x96, // en dash
        '\u{2014}' => 0x97, // em dash
        _ => return None,
    })
}

/// Greedy word wrap of encoded `text` into lines at most `width` wide; a
/// word wider than a line is broken between characters. At most
/// `max_lines` lines: the last one kept ends in "..." when text was cut.
/// Empty text is one empty line (a blank line in a box).
pub fn wrap(text: &[u8], face: Face, size: f32, width: f32, max_lines: usize) -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    for word in text.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
        let mut candidate = current.clone();
        if !candidate.is_empty() {
            candidate.push(b' ');
        }
        candidate.extend_from_slice(word);
        if face.width(&candidate, size) <= width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        current = break_long_word(word, face, size, width, &mut lines);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            *last = with_ellipsis(last, face, size, width);
        }
    }
    lines
}

/// Pushes the full-width pieces of a word too wide for a line onto `lines`
/// and returns the remainder, which starts the next line.
fn break_long_word(
    word: &[u8],
    face: Face,
    size: f32,
    width: f32,
    lines: &mut Vec<Vec<u8>>,
) -> Vec<u8> {
    let mut piece: Vec<u8> = Vec::new();
    for &b in word {
        piece.push(b);
        if face.width(&piece, size) > width && piece.len() > 1 {
            let last = piece.pop().unwrap_or(b' ');
            lines.push(std::mem::replace(&mut piece, vec![last]));
        }
    }
    piece
}

/// `line` shortened until "..." fits after it.
fn with_ellipsis(line: &[u8], face: Face, size: f32, width: f32) -> Vec<u8> {
    let mut kept = line.to_vec();
    loop {
        let mut candidate = kept.clone();
        candidate.extend_from_slice(b"...");
        if face.width(&candidate, size) <= width || kept.is_empty() {
            return candidate;
        }
        kept.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_with_the_afm_widths() {
        // "Hi" = H 722 + i 222 in Helvetica; 722 + 278 in Helvetica-Bold.
        assert!((Face::Regular.width(b"Hi", 10.0) - 9.44).abs() < 1e-4);
        assert!((Face::Bold.width(b"Hi", 10.0) - 10.0).abs() < 1e-4);
        // Eight digits (556), two commas and a point (278).
        let grouped = Face::Regular.width(b"1,18,000.00", 1000.0);
        assert!((grouped - (8.0 * 556.0 + 3.0 * 278.0)).abs() < 0.5);
    }

    #[test]
    fn encodes_to_winansi_and_replaces_what_it_cannot_draw() {
        assert_eq!(encode("Caf\u{e9} \u{20b9}100"), b"Caf\xe9 Rs.100".to_vec());
        assert_eq!(encode("a\u{2013}b\tc\n"), b"a\x96b c ".to_vec());
        assert_eq!(encode("\u{915}\u{93e}"), b"??".to_vec());
    }

    #[test]
    fn wraps_words_breaks_long_ones_and_marks_a_cut() {
        let text = encode("Payment gateway subscription for April");
        let lines = wrap(&text, Face::Regular, 10.0, 80.0, 10);
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(Face::Regular.width(line, 10.0) <= 80.0, "{line:?}");
        }
        assert_eq!(lines.join(&b' '), text);

        let long = vec![b'W'; 40];
        let pieces = wrap(&long, Face::Regular, 10.0, 50.0, 100);
        assert_eq!(pieces.concat(), long);
        assert!(pieces.iter().all(|p| Face::Regular.width(p, 10.0) <= 50.0));

        let cut = wrap(
            &encode("one two three four five six"),
            Face::Regular,
            10.0,
            40.0,
            2,
        );
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with(b"..."), "{cut:?}");
        assert!(Face::Regular.width(&cut[1], 10.0) <= 40.0);
    }
}
