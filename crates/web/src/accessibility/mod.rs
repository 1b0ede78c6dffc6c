//! Accessibility: the statement and barrier reports, and the reader's settings
//! (language, furigana, text size, contrast, motion, spacing).
pub mod settings;
pub mod statement;
