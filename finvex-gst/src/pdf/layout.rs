//! A small page-layout engine: drawing operations on A4 pages measured from
//! the top left, a cursor that moves down and starts a new page when the
//! next block does not fit, text boxes, and a table whose header repeats on
//! every page it spans.

use super::font::{wrap, Face};
use crate::error::GstError;

/// A4 portrait in points.
pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
pub const MARGIN: f32 = 36.0;
/// Content stops here; the footer sits below it.
pub const CONTENT_BOTTOM: f32 = PAGE_H - 50.0;
pub const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
/// Inner padding of boxes and table cells.
pub const PAD: f32 = 3.0;
/// The engine's 1000 lines with the longest descriptions need about 150
/// pages; anything beyond this is refused rather than drawn.
pub const MAX_PAGES: usize = 200;

/// One drawing operation; `y` grows downwards from the page's top edge.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// WinAnsi `text` with its baseline at `y`.
    Text {
        x: f32,
        y: f32,
        size: f32,
        face: Face,
        gray: f32,
        text: Vec<u8>,
    },
    /// A filled rectangle whose top edge is at `y`.
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        gray: f32,
    },
    /// A straight line.
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
}

/// Horizontal alignment within a box or a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Center,
}

/// A line of text in a box: its face and size.
#[derive(Debug, Clone, PartialEq)]
pub struct Styled {
    pub text: Vec<u8>,
    pub face: Face,
    pub size: f32,
}

impl Styled {
    pub fn new(text: Vec<u8>, face: Face, size: f32) -> Self {
        Styled { text, face, size }
    }

    fn leading(&self) -> f32 {
        self.size * 1.25
    }
}

/// The pages drawn so far and the cursor on the last one.
pub struct Canvas {
    pages: Vec<Vec<Op>>,
    /// Where the next block starts on the current page.
    pub y: f32,
}

impl Canvas {
    pub fn new() -> Self {
        Canvas {
            pages: vec![Vec::new()],
            y: MARGIN,
        }
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    pub fn into_pages(self) -> Vec<Vec<Op>> {
        self.pages
    }

    /// Room left on the current page.
    pub fn space_left(&self) -> f32 {
        CONTENT_BOTTOM - self.y
    }

    /// Starts a new page, refusing to go past [`MAX_PAGES`].
    pub fn new_page(&mut self) -> Result<(), GstError> {
        if self.pages.len() >= MAX_PAGES {
            return Err(GstError::LimitExceeded {
                field: "lines".into(),
                limit: MAX_PAGES,
                actual: self.pages.len() + 1,
            });
        }
        self.pages.push(Vec::new());
        self.y = MARGIN;
        Ok(())
    }

    /// A new page unless `height` still fits on this one (or this page is
    /// still empty: nothing would fit better on the next).
    pub fn ensure(&mut self, height: f32) -> Result<(), GstError> {
        if height > self.space_left() && self.y > MARGIN {
            self.new_page()?;
        }
        Ok(())
    }

    pub fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    pub fn push_on(&mut self, page: usize, op: Op) {
        if let Some(ops) = self.pages.get_mut(page) {
            ops.push(op);
        }
    }

    /// `text` aligned within `[x, x + w]`, baseline at `y`.
    pub fn text(&mut self, x: f32, w: f32, y: f32, line: &Styled, align: Align) {
        let width = line.face.width(&line.text, line.size);
        let x = match align {
            Align::Left => x,
            Align::Right => x + w - width,
            Align::Center => x + (w - width) / 2.0,
        };
        self.push(Op::Text {
            x,
            y,
            size: line.size,
            face: line.face,
            gray: 0.0,
            text: line.text.clone(),
        });
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        self.push(Op::Line {
            x1,
            y1,
            x2,
            y2,
            width,
        });
    }

    /// The outline of a rectangle.
    pub fn frame(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.line(x, y, x + w, y, 0.6);
        self.line(x, y + h, x + w, y + h, 0.6);
        self.line(x, y, x, y + h, 0.6);
        self.line(x + w, y, x + w, y + h, 0.6);
    }
}

/// Lines wrapped to fit `width` (at most `max_lines` per paragraph).
pub fn wrapped(paragraphs: &[Styled], width: f32, max_lines: usize) -> Vec<Styled> {
    paragraphs
        .iter()
        .flat_map(|p| {
            wrap(&p.text, p.face, p.size, width, max_lines)
                .into_iter()
                .map(|text| Styled::new(text, p.face, p.size))
        })
        .collect()
}

/// The height of already-wrapped `lines` in a padded box.
pub fn box_height(lines: &[Styled]) -> f32 {
    lines.iter().map(Styled::leading).sum::<f32>() + 2.0 * PAD
}

/// Draws wrapped `lines` top-down inside `[x, x + w]` from `top`.
pub fn draw_lines(canvas: &mut Canvas, x: f32, w: f32, top: f32, lines: &[Styled], align: Align) {
    let mut y = top + PAD;
    for line in lines {
        // The baseline sits about 80 % of the way down the line's leading.
        let baseline = y + line.size * 0.95;
        canvas.text(x + PAD, w - 2.0 * PAD, baseline, line, align);
        y += line.leading();
    }
}

/// Side-by-side framed boxes of text, as tall as the tallest; moves the
/// cursor below them (on a new page first when they do not fit).
pub fn boxes(
    canvas: &mut Canvas,
    columns: &[(f32, Vec<Styled>)],
    max_lines: usize,
) -> Result<(), GstError> {
    let laid: Vec<(f32, Vec<Styled>)> = columns
        .iter()
        .map(|(w, paragraphs)| (*w, wrapped(paragraphs, w - 2.0 * PAD, max_lines)))
        .collect();
    let height = laid
        .iter()
        .map(|(_, lines)| box_height(lines))
        .fold(0.0, f32::max);
    canvas.ensure(height)?;
    let top = canvas.y;
    let mut x = MARGIN;
    for (w, lines) in &laid {
        canvas.frame(x, top, *w, height);
        draw_lines(canvas, x, *w, top, lines, Align::Left);
        x += w;
    }
    canvas.y = top + height;
    Ok(())
}

/// A table column: its heading (one or two lines), width and alignment.
#[derive(Debug, Clone)]
pub struct Column {
    pub title: Vec<&'static str>,
    pub width: f32,
    pub align: Align,
}

impl Column {
    pub fn new(title: &[&'static str], width: f32, align: Align) -> Self {
        Column {
            title: title.to_vec(),
            width,
            align,
        }
    }
}

/// Table text size and leading.
pub const CELL_SIZE: f32 = 7.0;
const CELL_LEADING: f32 = 8.6;
/// Amounts too wide for their column shrink down to this size, no further.
const MIN_CELL_SIZE: f32 = 4.0;

/// A table being drawn: its columns, and on each page it has reached the
/// top of its first row, so column rules can be drawn once per page.
pub struct Table {
    columns: Vec<Column>,
    /// (page, top) of the table's part on each page.
    segments: Vec<(usize, f32)>,
    /// What each new page starts with before the heading (a continuation line).
    continued: Styled,
}

impl Table {
    pub fn new(columns: Vec<Column>, continued: Styled) -> Self {
        Table {
            columns,
            segments: Vec::new(),
            continued,
        }
    }

    /// The heading row at the cursor, shaded.
    pub fn heading(&mut self, canvas: &mut Canvas) {
        let lines = self
            .columns
            .iter()
            .map(|c| c.title.len())
            .max()
            .unwrap_or(1);
        let height = lines as f32 * CELL_LEADING + 2.0 * PAD;
        let top = canvas.y;
        canvas.push(Op::Fill {
            x: MARGIN,
            y: top,
            w: CONTENT_W,
            h: height,
            gray: 0.88,
        });
        let mut x = MARGIN;
        for column in &self.columns {
            for (i, title) in column.title.iter().enumerate() {
                let line = Styled::new(title.as_bytes().to_vec(), Face::Bold, CELL_SIZE);
                let baseline = top + PAD + i as f32 * CELL_LEADING + CELL_SIZE;
                canvas.text(
                    x + PAD,
                    column.width - 2.0 * PAD,
                    baseline,
                    &line,
                    column.align,
                );
            }
            x += column.width;
        }
        self.segments.push((canvas.page_count() - 1, top));
        canvas.line(MARGIN, top, MARGIN + CONTENT_W, top, 0.6);
        canvas.y = top + height;
        canvas.line(MARGIN, canvas.y, MARGIN + CONTENT_W, canvas.y, 0.6);
    }

    /// One row of cells (each a list of lines, already wrapped to fit),
    /// on a new page under a repeated heading when it does not fit.
    pub fn row(&mut self, canvas: &mut Canvas, cells: &[Vec<Styled>]) -> Result<(), GstError> {
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let height = lines as f32 * CELL_LEADING + 2.0 * PAD;
        if height > canvas.space_left() {
            self.close(canvas);
            canvas.new_page()?;
            let continued = self.continued.clone();
            canvas.text(
                MARGIN,
                CONTENT_W,
                canvas.y + continued.size,
                &continued,
                Align::Left,
            );
            canvas.y += continued.leading() + PAD;
            self.heading(canvas);
        }
        let top = canvas.y;
        let mut x = MARGIN;
        for (column, cell) in self.columns.iter().zip(cells) {
            let inner = column.width - 2.0 * PAD;
            for (i, line) in cell.iter().enumerate() {
                let fitted = shrink_to_fit(line, inner);
                let baseline = top + PAD + i as f32 * CELL_LEADING + CELL_SIZE;
                canvas.text(x + PAD, inner, baseline, &fitted, column.align);
            }
            x += column.width;
        }
        canvas.y = top + height;
        canvas.line(MARGIN, canvas.y, MARGIN + CONTENT_W, canvas.y, 0.3);
        Ok(())
    }

    /// The width available for text in column `i`.
    pub fn inner_width(&self, i: usize) -> f32 {
        self.columns.get(i).map_or(0.0, |c| c.width - 2.0 * PAD)
    }

    /// Draws the column rules of the table's part on the current page.
    pub fn close(&mut self, canvas: &mut Canvas) {
        let Some(&(page, top)) = self.segments.last() else {
            return;
        };
        let bottom = canvas.y;
        let mut x = MARGIN;
        canvas.push_on(page, vertical(x, top, bottom));
        for column in &self.columns {
            x += column.width;
            canvas.push_on(page, vertical(x, top, bottom));
        }
    }
}

fn vertical(x: f32, top: f32, bottom: f32) -> Op {
    Op::Line {
        x1: x,
        y1: top,
        x2: x,
        y2: bottom,
        width: 0.6,
    }
}

/// `line` at a smaller size when it is wider than `width` (amounts of
/// crores in a narrow column); text that wraps never needs this.
fn shrink_to_fit(line: &Styled, width: f32) -> Styled {
    let natural = line.face.width(&line.text, line.size);
    if natural <= width || natural == 0.0 {
        return line.clone();
    }
    let size = (line.size * width / natural).max(MIN_CELL_SIZE);
    Styled::new(line.text.clone(), line.face, size)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_ops(canvas: Canvas) -> Vec<Vec<Op>> {
        canvas.into_pages()
    }

    #[test]
    fn rows_that_do_not_fit_go_to_a_new_page_under_the_heading_again() {
        let mut canvas = Canvas::new();
        let columns = vec![
            Column::new(&["#"], 20.0, Align::Right),
            Column::new(&["Description"], CONTENT_W - 20.0, Align::Left),
        ];
        let continued = Styled::new(b"continued".to_vec(), Face::Regular, 8.0);
        let mut table = Table::new(columns, continued);
        table.heading(&mut canvas);
        let cell = |s: &str| vec![Styled::new(s.as_bytes().to_vec(), Face::Regular, CELL_SIZE)];
        for i in 0..200 {
            table
                .row(&mut canvas, &[cell(&i.to_string()), cell("a line")])
                .unwrap();
            assert!(canvas.y <= CONTENT_BOTTOM);
        }
        table.close(&mut canvas);
        let pages = text_ops(canvas);
        assert!(pages.len() > 1);
        let headings = |ops: &Vec<Op>| {
            ops.iter()
                .filter(|op| matches!(op, Op::Text { text, .. } if text == b"Description"))
                .count()
        };
        assert!(
            pages.iter().all(|p| headings(p) == 1),
            "a heading on every page"
        );
        let continued = |ops: &Vec<Op>| {
            ops.iter()
                .any(|op| matches!(op, Op::Text { text, .. } if text == b"continued"))
        };
        assert!(!continued(&pages[0]) && pages[1..].iter().all(continued));
    }

    #[test]
    fn amounts_too_wide_shrink_and_text_never_leaves_its_cell() {
        let wide = Styled::new(b"9,99,99,99,99,999.99".to_vec(), Face::Regular, CELL_SIZE);
        let fitted = shrink_to_fit(&wide, 56.0);
        assert!(fitted.size < CELL_SIZE);
        assert!(fitted.face.width(&fitted.text, fitted.size) <= 56.0 + 1e-3);
        let narrow = Styled::new(b"1.00".to_vec(), Face::Regular, CELL_SIZE);
        assert_eq!(shrink_to_fit(&narrow, 56.0), narrow);
    }

    #[test]
    fn the_page_limit_is_enforced() {
        let mut canvas = Canvas::new();
        for _ in 1..MAX_PAGES {
            canvas.new_page().unwrap();
        }
        assert_eq!(canvas.page_count(), MAX_PAGES);
        assert!(canvas.new_page().is_err());
    }
}
