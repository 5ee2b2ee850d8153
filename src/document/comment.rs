//! The trusted comment of a document's signature: one line of `key=value` pairs,
//! values quoted and escaped, signed along with the file. minisign (and the
//! reference C tool) keep it to one line and trim its ends, so it starts and ends
//! with a fixed word or quote.

use std::collections::BTreeMap;

use super::Summary;
use crate::identity::Person;

/// Longest value kept, so the whole line stays within what every minisign accepts.
const MAX_VALUE: usize = 120;

pub(crate) fn trusted(s: &Summary, signer: &Person) -> String {
    let mut fields = vec![("kind", s.kind.as_str())];
    if let Some(p) = &s.product {
        fields.push(("product", p));
    }
    if let Some(m) = &s.model {
        fields.push(("model", m));
    }
    fields.push(("report_date", &s.report_date));
    match &s.trail_head {
        Some(h) => fields.push(("trail_head", h)),
        None => fields.push(("catalogue", &s.catalogue_digest)),
    }
    fields.push(("signer", &signer.name));
    if !signer.organisation.trim().is_empty() {
        fields.push(("organisation", &signer.organisation));
    }
    line("canary", &fields)
}

/// `word key="value" …`: one line whatever the values hold, read back by [`parse`].
pub(crate) fn line(word: &str, fields: &[(&str, &str)]) -> String {
    let mut line = String::from(word);
    for (k, v) in fields {
        line.push(' ');
        line.push_str(k);
        line.push_str("=\"");
        line.push_str(&escape(v));
        line.push('"');
    }
    line
}

/// `\"`, `\\` and control characters as `\u{…}`, cut to [`MAX_VALUE`] characters.
fn escape(v: &str) -> String {
    let mut out = String::new();
    for c in v.chars().take(MAX_VALUE) {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

/// The pairs of a comment [`trusted`] made (unknown text is skipped, never an error).
pub(crate) fn parse(line: &str) -> BTreeMap<String, String> {
    parse_after("canary", line)
}

/// The pairs of a [`line`] that starts with `word`.
pub(crate) fn parse_after(word: &str, line: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut rest = line.strip_prefix(word).unwrap_or("");
    while let Some((key, after)) = rest.trim_start().split_once("=\"") {
        let mut value = String::new();
        let mut chars = after.char_indices();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    end = Some(i + 1);
                    break;
                }
                '\\' => match chars.next() {
                    Some((_, 'u')) => {
                        let hex: String = chars
                            .by_ref()
                            .map(|(_, c)| c)
                            .skip_while(|&c| c == '{')
                            .take_while(|&c| c != '}')
                            .collect();
                        if let Some(c) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                        {
                            value.push(c);
                        }
                    }
                    Some((_, c)) => value.push(c),
                    None => break,
                },
                c => value.push(c),
            }
        }
        let Some(end) = end else { break };
        out.insert(key.to_owned(), value);
        rest = &after[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_is_one_line_that_reads_back() {
        let s = Summary {
            kind: "attestation".into(),
            product: Some("Plug \"2\"\nwith \\ and \u{1b}[31m".into()),
            model: Some("P-2".into()),
            manufacturer: "Acme".into(),
            support_period_end: None,
            report_date: "2026-12-01T10:00:00Z".into(),
            trail_head: Some("ab".repeat(32)),
            catalogue_digest: "cd".into(),
            canaries: vec![],
            frameworks: vec![],
            signatory: None,
            signatory_function: None,
            signers: vec![],
        };
        let signer = Person {
            name: "Ada".into(),
            organisation: "Acme Ltd".into(),
            role: String::new(),
        };
        let line = trusted(&s, &signer);
        assert!(!line.contains(['\n', '\r', '\u{1b}']));
        assert_eq!(line.trim(), line);
        let back = parse(&line);
        assert_eq!(back["product"], "Plug \"2\"\nwith \\ and \u{1b}[31m");
        assert_eq!(back["kind"], "attestation");
        assert_eq!(back["trail_head"], "ab".repeat(32));
        assert_eq!(back["signer"], "Ada");
        assert_eq!(back["organisation"], "Acme Ltd");
        assert!(parse("garbage =\"unterminated").is_empty());
    }
}
