//! Identifiers and text shapes OSCAL's schemas insist on: UUIDs derived from
//! Canary's own ids (so a re-export is byte-identical), tokens for control ids,
//! single-line strings and URI references.

use uuid::Uuid;

/// Namespace of every UUID Canary derives (UUIDv5). Never change it: that would
/// give every exported object a new identity.
const NAMESPACE: Uuid = Uuid::from_u128(0x6d1f_4c2a_8e0b_4b7e_9a35_2f6c_c0a1_e5d3);

/// The UUIDv5 of `key`, a path-like description of what is identified,
/// e.g. `catalog/uk-cop-2018` or `assessment/3/finding/uk-cop-2018:1`.
pub fn uuid_of(key: &str) -> String {
    Uuid::new_v5(&NAMESPACE, key.as_bytes()).to_string()
}

/// A requirement's OSCAL control id: `<framework>_<ref>`, made a token
/// (`I.2(a)` becomes `I.2.a`; anything else outside `[A-Za-z0-9._-]` becomes `_`).
pub fn control_id(framework: &str, reference: &str) -> String {
    token(&format!("{framework}_{reference}"))
}

/// A group's id, kept apart from control ids (a group and a requirement may share a ref).
pub fn group_id(framework: &str, reference: &str) -> String {
    token(&format!("{framework}_grp_{reference}"))
}

/// The id of a control's statement part, the target of findings.
pub fn statement_id(control: &str) -> String {
    format!("{control}_smt")
}

fn token(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            c if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') => out.push(c),
            '(' => out.push('.'),
            ')' => {}
            _ => out.push('_'),
        }
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

/// Text for OSCAL's single-line string types: whitespace runs (newlines
/// included) collapsed to one space, trimmed; `None` when nothing is left.
pub fn line(s: &str) -> Option<String> {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// `s` as a URI reference: bytes outside RFC 3986's unreserved and reserved
/// sets (spaces, non-ASCII) percent-encoded, so a stored link or file name
/// with a space still makes a valid `href`.
pub fn uri_ref(s: &str) -> String {
    let bytes = s.trim().as_bytes();
    let mut out = String::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        // An existing escape stays as it is; a lone `%` is encoded.
        let escape = b == b'%'
            && bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
        if escape || b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A `YYYY-MM-DD` date (or `YYYY-MM`, `YYYY`) as an OSCAL date-time at midnight UTC.
pub fn date_time(date: &str) -> Option<String> {
    let parts: Vec<&str> = date.trim().split('-').collect();
    let ok = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y, m, d] if ok(y, 4) && ok(m, 2) && ok(d, 2) => Some(format!("{y}-{m}-{d}T00:00:00Z")),
        [y, m] if ok(y, 4) && ok(m, 2) => Some(format!("{y}-{m}-01T00:00:00Z")),
        [y] if ok(y, 4) => Some(format!("{y}-01-01T00:00:00Z")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_stable_v5() {
        let a = uuid_of("catalog/uk-cop-2018");
        assert_eq!(a, uuid_of("catalog/uk-cop-2018"));
        assert_ne!(a, uuid_of("catalog/uk-psti-2023"));
        assert_eq!(a.as_bytes()[14], b'5', "{a}");
    }

    #[test]
    fn ids_are_tokens() {
        assert_eq!(control_id("uk-cop-2018", "1"), "uk-cop-2018_1");
        assert_eq!(control_id("eu-cra-2024", "I.2(a)"), "eu-cra-2024_I.2.a");
        assert_eq!(control_id("x", "a b/c"), "x_a_b_c");
        assert_eq!(token("1x"), "_1x");
    }

    #[test]
    fn text_shapes() {
        assert_eq!(line("  a\n b  ").as_deref(), Some("a b"));
        assert_eq!(line(" \n "), None);
        assert_eq!(
            uri_ref("example.com/policy page"),
            "example.com/policy%20page"
        );
        assert_eq!(uri_ref("é"), "%C3%A9");
        assert_eq!(uri_ref("a%20b 100%"), "a%20b%20100%25");
        assert_eq!(
            date_time("2030-12-31").as_deref(),
            Some("2030-12-31T00:00:00Z")
        );
        assert_eq!(
            date_time("2020-06").as_deref(),
            Some("2020-06-01T00:00:00Z")
        );
        assert_eq!(date_time("June 2020"), None);
    }
}
