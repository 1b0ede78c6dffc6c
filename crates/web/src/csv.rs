//! CSV files that Excel opens as they are: UTF-8 with a byte-order mark, every field
//! quoted, CRLF line ends.

/// A CSV file being written.
pub struct Csv(String);

impl Default for Csv {
    fn default() -> Self {
        Self::new()
    }
}

impl Csv {
    pub fn new() -> Self {
        Self(String::from("\u{feff}"))
    }
    /// Appends one row.
    pub fn row<I, S>(&mut self, fields: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let line: Vec<String> = fields
            .into_iter()
            .map(|f| format!("\"{}\"", f.as_ref().replace('"', "\"\"")))
            .collect();
        self.0.push_str(&line.join(","));
        self.0.push_str("\r\n");
    }
    pub fn finish(self) -> String {
        self.0
    }
    /// The file as an answer: downloaded as `filename`.
    pub fn download(self, filename: &'static str) -> axum::response::Response {
        use axum::http::header;
        use axum::response::IntoResponse;
        let disposition = format!("attachment; filename=\"{filename}\"");
        (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            self.0,
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoted_with_bom_and_crlf() {
        let mut c = super::Csv::new();
        c.row(["a\"b", "定着率"]);
        assert_eq!(c.finish(), "\u{feff}\"a\"\"b\",\"定着率\"\r\n");
    }
}
