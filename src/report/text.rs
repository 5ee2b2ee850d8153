//! How user-written text is set, decided here once per string instead of by regular
//! expressions in the templates (typst's regex engine spent most of a 10,000-item
//! report determinising Unicode classes). The templates read the result as
//! `/hints.json`: for each string that needs more than plain left-to-right text, its
//! lines, each with its break-anywhere pieces, language and direction.

use serde_json::{json, Map, Value};
use unicode_properties::{GeneralCategoryGroup as G, UnicodeGeneralCategory};
use unicode_script::{Script, UnicodeScript};

/// A run of Latin letters, digits, punctuation or symbols this long (URLs, hashes, long
/// words) may overflow a narrow cell, so it may break anywhere.
const LONG_LATIN: usize = 16;
/// The same for a run in any other script that breaks at spaces.
const LONG_OTHER: usize = 48;
/// Characters (with their combining marks) between break opportunities in such a run.
const PIECE: usize = 6;

/// Adds the hint for `s` to `hints` unless it is plain text that needs none.
pub(crate) fn add_hint(hints: &mut Map<String, Value>, s: &str) {
    if s.is_empty() || hints.contains_key(s) {
        return;
    }
    let plain = s.bytes().all(|b| (b' '..=b'~').contains(&b));
    if plain && s.len() < LONG_LATIN {
        return;
    }
    let lines: Vec<Line> = s.split('\n').map(line).collect();
    if lines.len() == 1 && lines[0].is_plain() {
        return;
    }
    let lines = lines.into_iter().map(|l| l.into_json()).collect();
    hints.insert(s.to_owned(), Value::Array(lines));
}

struct Line {
    /// The text cut where it may break anywhere; one piece when it may not.
    pieces: Vec<String>,
    /// `ja`, `ko` or `zh` when the line has CJK text: it selects the CJK face.
    lang: Option<&'static str>,
    /// Right to left: the first letter is Hebrew, Arabic or another RTL script.
    rtl: bool,
}

impl Line {
    fn is_plain(&self) -> bool {
        self.pieces.len() == 1 && self.lang.is_none() && !self.rtl
    }

    fn into_json(self) -> Value {
        let mut line = json!({ "p": self.pieces });
        if let Some(lang) = self.lang {
            line["l"] = lang.into();
        }
        if self.rtl {
            line["r"] = true.into();
        }
        line
    }
}

fn line(s: &str) -> Line {
    let scripts = |wanted: &[Script]| s.chars().any(|c| wanted.contains(&c.script()));
    let lang = if s.is_ascii() {
        None
    } else if scripts(&[Script::Hiragana, Script::Katakana]) {
        Some("ja")
    } else if scripts(&[Script::Hangul]) {
        Some("ko")
    } else if scripts(&[Script::Han]) {
        Some("zh")
    } else {
        None
    };
    // The paragraph's direction follows its first letter, as the bidi algorithm's
    // first strong character does.
    let rtl = s
        .chars()
        .find(|c| c.general_category_group() == G::Letter)
        .is_some_and(|c| {
            matches!(
                c.script(),
                Script::Hebrew | Script::Arabic | Script::Syriac | Script::Thaana | Script::Nko
            )
        });
    Line {
        pieces: pieces(s),
        lang,
        rtl,
    }
}

/// `s` cut into pieces at the break opportunities its long runs need.
fn pieces(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut cuts = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        if !in_run(chars[at]) {
            at += 1;
            continue;
        }
        let end = at + chars[at..].iter().take_while(|&&c| in_run(c)).count();
        if end - at >= LONG_OTHER {
            cut_every_piece(&chars, at, end, &mut cuts);
        } else {
            // Within a shorter run only its long Latin, digit and symbol stretches.
            let mut k = at;
            while k < end {
                let stretch = chars[k..end].iter().take_while(|&&c| latin_like(c)).count();
                if stretch >= LONG_LATIN {
                    cut_every_piece(&chars, k, k + stretch, &mut cuts);
                }
                k += stretch.max(1);
            }
        }
        at = end;
    }
    if cuts.is_empty() {
        return vec![s.to_owned()];
    }
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for cut in cuts.into_iter().chain([chars.len()]) {
        out.push(chars[from..cut].iter().collect());
        from = cut;
    }
    out
}

/// Cut points inside `start..end` after every [`PIECE`] characters, never before a
/// combining mark.
fn cut_every_piece(chars: &[char], start: usize, end: usize, cuts: &mut Vec<usize>) {
    let mut count = 0;
    for (i, c) in chars[start..end].iter().enumerate() {
        if !c.is_ascii() && c.general_category_group() == G::Mark {
            continue;
        }
        if count == PIECE {
            cuts.push(start + i);
            count = 0;
        }
        count += 1;
    }
}

/// Part of a run that only breaks at spaces (scripts such as Thai or CJK have rules of
/// their own for breaking between words).
fn in_run(c: char) -> bool {
    !c.is_whitespace()
        && (c.is_ascii()
            || !matches!(
                c.script(),
                Script::Thai
                    | Script::Lao
                    | Script::Khmer
                    | Script::Myanmar
                    | Script::Han
                    | Script::Hiragana
                    | Script::Katakana
                    | Script::Hangul
            ))
}

/// Latin letters (with their combining marks), digits, punctuation and symbols.
fn latin_like(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_graphic();
    }
    c.script() == Script::Latin
        || matches!(
            c.general_category_group(),
            G::Number | G::Punctuation | G::Symbol | G::Mark
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(s: &str) -> Option<Value> {
        let mut hints = Map::new();
        add_hint(&mut hints, s);
        hints.remove(s)
    }

    #[test]
    fn plain_text_needs_no_hint() {
        assert_eq!(hint("Unique passwords per device"), None);
        assert_eq!(hint("Zürich, Ñandú"), None);
        assert_eq!(hint(""), None);
    }

    #[test]
    fn long_runs_break_every_six_characters() {
        let h = hint("see https://example.com/evidence/42 now").unwrap();
        assert_eq!(
            h,
            json!([{ "p": ["see https:", "//exam", "ple.co", "m/evid", "ence/4", "2 now"] }])
        );
        // 47 Cyrillic letters stay whole, 48 break.
        assert_eq!(hint(&"д".repeat(47)), None);
        let long = hint(&"д".repeat(48)).unwrap();
        assert_eq!(long[0]["p"].as_array().unwrap().len(), 8);
        // Combining marks stay with their letter.
        let marked = "e\u{301}".repeat(20);
        let h = hint(&marked).unwrap();
        assert_eq!(h[0]["p"][0], "e\u{301}".repeat(6));
    }

    #[test]
    fn language_and_direction_per_line() {
        assert_eq!(
            hint("ひらがな と 漢字"),
            Some(json!([{ "p": ["ひらがな と 漢字"], "l": "ja" }]))
        );
        assert_eq!(
            hint("한국어"),
            Some(json!([{ "p": ["한국어"], "l": "ko" }]))
        );
        assert_eq!(hint("中文"), Some(json!([{ "p": ["中文"], "l": "zh" }])));
        assert_eq!(
            hint("(1) שלום\nHello"),
            Some(json!([{ "p": ["(1) שלום"], "r": true }, { "p": ["Hello"] }]))
        );
        assert_eq!(hint("Hello مرحبا"), None);
    }
}
