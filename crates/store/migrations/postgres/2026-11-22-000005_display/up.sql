-- Display settings of an account (furigana, text size, contrast, motion, line spacing),
-- so they follow the user to every device. A short code, see web::prefs.
ALTER TABLE users ADD COLUMN display TEXT NOT NULL DEFAULT '';
