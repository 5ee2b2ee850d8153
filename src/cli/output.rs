//! Command output, the same way for every command: one value, printed as JSON with
//! `--json`, else as lines of text for people.
//!
//! Text for people passes through [`escape`], so a name, title or catalogue entry
//! holding terminal escape sequences or bidirectional overrides is shown, never obeyed.
//! JSON stays exact: it is for programs, which read the characters as they are.

use serde::Serialize;

use super::Ctx;

impl Ctx {
    /// Prints `value` as JSON with `--json`, else the lines `human` makes of it.
    pub fn emit<T: Serialize + ?Sized>(
        &self,
        value: &T,
        human: impl FnOnce(&T) -> Vec<String>,
    ) -> anyhow::Result<()> {
        if self.json {
            json(value)
        } else {
            lines(human(value));
            Ok(())
        }
    }
}

/// Prints `value` as pretty JSON on stdout, whatever `--json` says.
pub fn json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Prints each line on stdout, escaped.
pub fn lines(lines: impl IntoIterator<Item = impl AsRef<str>>) {
    let mut out = String::new();
    for line in lines {
        out.push_str(&escape(line.as_ref()));
        out.push('\n');
    }
    print!("{out}");
}

/// Prints a message on stderr, each of its lines escaped.
pub fn error(prefix: &str, message: &str) {
    let shown: Vec<String> = message.split('\n').map(escape).collect();
    eprintln!("{prefix}{}", shown.join("\n"));
}

/// `s` with control characters (C0, DEL, C1, so also ESC and line breaks) and
/// bidirectional overrides and isolates written as visible Rust-style escapes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_bidi_control(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

/// Characters that reorder the text around them on screen (Trojan Source).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn controls_and_bidi_overrides_become_visible() {
        assert_eq!(escape("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(
            escape("x\ny\r\tz\u{7f}\u{9b}"),
            "x\\ny\\r\\tz\\u{7f}\\u{9b}"
        );
        assert_eq!(escape("\u{202e}abc\u{2066}"), "\\u{202e}abc\\u{2066}");
    }

    #[test]
    fn ordinary_text_is_unchanged() {
        for s in ["Plug 2 — Acme, München", "C:\\path", "emoji 🐤", ""] {
            assert_eq!(escape(s), s);
        }
    }
}
