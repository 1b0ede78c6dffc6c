//! Display settings: furigana, text size, contrast, motion and line spacing.
//! Remembered per account (users.display) and, for visitors, in a cookie; both hold
//! the same short code, e.g. `r1s2c1m1l1`. Pages apply them as classes on `<html>`
//! (see `app.css`, "Display settings").

pub const DISPLAY_COOKIE: &str = "__Host-tsunagu_display";

/// Text size steps: 100 %, 125 %, 150 %, 200 %.
pub const SIZES: [u8; 4] = [0, 1, 2, 3];

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prefs {
    /// Readings over kanji in the interface text.
    pub furigana: bool,
    /// Index into [`SIZES`].
    pub size: u8,
    pub high_contrast: bool,
    pub reduced_motion: bool,
    pub wide_spacing: bool,
}

impl Prefs {
    /// Parses a code; unknown or malformed parts keep their defaults.
    pub fn parse(code: &str) -> Self {
        let mut p = Self::default();
        let b = code.as_bytes();
        for pair in b.chunks(2) {
            let [k, v] = pair else { break };
            let on = *v == b'1';
            match k {
                b'r' => p.furigana = on,
                b's' if v.is_ascii_digit() => p.size = (v - b'0').min(3),
                b'c' => p.high_contrast = on,
                b'm' => p.reduced_motion = on,
                b'l' => p.wide_spacing = on,
                _ => {}
            }
        }
        p
    }

    pub fn code(&self) -> String {
        format!(
            "r{}s{}c{}m{}l{}",
            u8::from(self.furigana),
            self.size.min(3),
            u8::from(self.high_contrast),
            u8::from(self.reduced_motion),
            u8::from(self.wide_spacing)
        )
    }

    /// The classes on `<html>` that apply these settings.
    pub fn classes(&self) -> String {
        let mut c = vec![format!("ts-{}", self.size.min(3))];
        if self.high_contrast {
            c.push("hc".into());
        }
        if self.reduced_motion {
            c.push("rm".into());
        }
        if self.wide_spacing {
            c.push("ls".into());
        }
        if self.furigana {
            c.push("furigana".into());
        }
        c.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_garbage_is_default() {
        let p = Prefs {
            furigana: true,
            size: 2,
            high_contrast: true,
            reduced_motion: false,
            wide_spacing: true,
        };
        assert_eq!(Prefs::parse(&p.code()), p);
        assert_eq!(Prefs::parse(""), Prefs::default());
        assert_eq!(Prefs::parse("<script>"), Prefs::default());
        assert_eq!(Prefs::parse("s9").size, 3);
        assert_eq!(p.classes(), "ts-2 hc ls furigana");
    }
}
