//! PDFs of Japanese text: A4 pages of headings and wrapped lines in one embedded
//! TrueType font (IPA Gothic from Debian's fonts-ipafont-gothic by default), so that
//! the file prints and reads the same everywhere and its text can be extracted.
use printpdf::{IndirectFontRef, Mm, PdfDocument, PdfDocumentReference, PdfLayerReference};

/// Where Debian's fonts-ipafont-gothic puts IPA Gothic.
pub const DEFAULT_FONT: &str = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf";

/// Why no PDF was made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the PDF font cannot be read: {0}")]
    Font(String),
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// One block of a document.
pub enum Block {
    Title(String),
    Heading(String),
    Line(String),
}

const WIDTH: f32 = 210.0;
const HEIGHT: f32 = 297.0;
const MARGIN: f32 = 20.0;

/// Characters per line at `size` points (a full-width character is about one em wide).
fn per_line(size: f32) -> usize {
    (((WIDTH - 2.0 * MARGIN) / (size * 0.3528)) as usize).max(10)
}

/// Splits a line into pieces that fit, counting half-width characters as half.
fn wrap(text: &str, size: f32) -> Vec<String> {
    let max = per_line(size) * 2;
    let mut out = Vec::new();
    for para in text.lines() {
        let (mut cur, mut w) = (String::new(), 0);
        for ch in para.chars() {
            let cw = if ch.is_ascii() { 1 } else { 2 };
            if w + cw > max {
                out.push(std::mem::take(&mut cur));
                w = 0;
            }
            cur.push(ch);
            w += cw;
        }
        out.push(cur);
    }
    out
}

struct Writer {
    doc: PdfDocumentReference,
    layer: PdfLayerReference,
    font: IndirectFontRef,
    y: f32,
}

impl Writer {
    fn text(&mut self, s: &str, size: f32, gap: f32) {
        for piece in wrap(s, size) {
            if self.y < MARGIN + size * 0.3528 {
                let (page, layer) = self.doc.add_page(Mm(WIDTH), Mm(HEIGHT), "text");
                self.layer = self.doc.get_page(page).get_layer(layer);
                self.y = HEIGHT - MARGIN;
            }
            self.y -= size * 0.3528 * 1.4;
            self.layer
                .use_text(piece, size, Mm(MARGIN), Mm(self.y), &self.font);
        }
        self.y -= gap;
    }
}

/// A4 pages of `blocks` in the font at `font`.
pub fn render(title: &str, blocks: &[Block], font: &std::path::Path) -> Result<Vec<u8>, PdfError> {
    let (doc, page, layer) = PdfDocument::new(title, Mm(WIDTH), Mm(HEIGHT), "text");
    let file = std::fs::File::open(font).map_err(|e| PdfError::Font(e.to_string()))?;
    let font = doc
        .add_external_font(file)
        .map_err(|e| PdfError::Font(e.to_string()))?;
    let layer = doc.get_page(page).get_layer(layer);
    let mut w = Writer {
        doc,
        layer,
        font,
        y: HEIGHT - MARGIN,
    };
    for b in blocks {
        match b {
            Block::Title(t) => w.text(t, 18.0, 4.0),
            Block::Heading(t) => w.text(t, 13.0, 1.5),
            Block::Line(t) => w.text(t, 11.0, 1.0),
        }
    }
    w.doc
        .save_to_bytes()
        .map_err(|e| PdfError::Write(e.to_string()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_lines_wrap_and_half_width_counts_half() {
        let n = super::per_line(11.0);
        let long: String = "あ".repeat(n + 3);
        assert_eq!(super::wrap(&long, 11.0).len(), 2);
        let ascii: String = "a".repeat(n + 3);
        assert_eq!(super::wrap(&ascii, 11.0).len(), 1);
    }
}
