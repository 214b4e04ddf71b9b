//! Laid-out pages to PDF bytes with pdf-writer: one content stream per
//! page, the two base-14 fonts in WinAnsi, and a document information
//! dictionary whose only date is the one given, so the output is a pure
//! function of its input.

use pdf_writer::{Content, Date, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::font::Face;
use super::layout::{Op, PAGE_H, PAGE_W};
use super::IndiaTime;

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// The document's title and creation time.
pub struct Info<'a> {
    pub title: &'a str,
    pub created: Option<IndiaTime>,
}

/// Serialises `pages`. Object numbers are assigned in a fixed order:
/// catalog, page tree, fonts, info, then each page and its content.
pub fn pdf(pages: &[Vec<Op>], info: &Info<'_>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let fonts = [
        (REGULAR, Ref::new(3), Face::Regular),
        (BOLD, Ref::new(4), Face::Bold),
    ];
    let info_id = Ref::new(5);
    let page_ids: Vec<(Ref, Ref)> = (0..pages.len() as i32)
        .map(|i| (Ref::new(6 + 2 * i), Ref::new(7 + 2 * i)))
        .collect();

    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().map(|(page, _)| *page))
        .count(pages.len() as i32);
    for (_, id, face) in fonts {
        pdf.type1_font(id)
            .base_font(Name(face.base_font()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    document_info(&mut pdf, info_id, info);
    for (ops, (page_id, content_id)) in pages.iter().zip(&page_ids) {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree);
        page.contents(*content_id);
        let mut resources = page.resources();
        let mut font_dict = resources.fonts();
        for (name, id, _) in fonts {
            font_dict.pair(name, id);
        }
        font_dict.finish();
        resources.finish();
        page.finish();
        let content = content(ops);
        // Uncompressed on purpose: an invoice's streams are small, and plain
        // text streams keep the document inspectable (and testable) as is.
        pdf.stream(*content_id, &content);
    }
    pdf.finish()
}

fn document_info(pdf: &mut Pdf, id: Ref, info: &Info<'_>) {
    let mut dict = pdf.document_info(id);
    dict.title(TextStr(info.title));
    dict.producer(TextStr("Finvex"));
    if let Some(t) = &info.created {
        // India has one offset all year: UTC+05:30.
        let date = Date::new(t.date.year())
            .month(t.date.month())
            .day(t.date.day())
            .hour(t.hour)
            .minute(t.minute)
            .second(t.second)
            .utc_offset_hour(5)
            .utc_offset_minute(30);
        dict.creation_date(date);
    }
    dict.finish();
}

/// One page's operations as a content stream (y flipped: PDF's origin is
/// the bottom left).
fn content(ops: &[Op]) -> Vec<u8> {
    let mut c = Content::new();
    for op in ops {
        match op {
            Op::Text {
                x,
                y,
                size,
                face,
                gray,
                text,
            } => {
                c.set_fill_gray(*gray);
                c.begin_text();
                c.set_font(font_name(*face), *size);
                c.next_line(*x, PAGE_H - y);
                c.show(Str(text));
                c.end_text();
            }
            Op::Fill { x, y, w, h, gray } => {
                c.set_fill_gray(*gray);
                c.rect(*x, PAGE_H - y - h, *w, *h);
                c.fill_nonzero();
            }
            Op::Line {
                x1,
                y1,
                x2,
                y2,
                width,
            } => {
                c.set_line_width(*width);
                c.move_to(*x1, PAGE_H - y1);
                c.line_to(*x2, PAGE_H - y2);
                c.stroke();
            }
        }
    }
    c.finish().into_vec()
}

fn font_name(face: Face) -> Name<'static> {
    match face {
        Face::Regular => REGULAR,
        Face::Bold => BOLD,
    }
}
