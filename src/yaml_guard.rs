//! A linear pre-scan of YAML text before serde reads it.
//!
//! serde expands every alias into a copy, so one 4 MB string aliased 1,500 times
//! costs gigabytes, and very deep nesting costs time and stack. This pass walks the
//! event stream once with yaml-rust2's parser, stops at the first problem, and
//! refuses: text over [`MAX_YAML_BYTES`], nesting deeper than [`MAX_DEPTH`], and
//! anchors and aliases where they are not allowed (product files) or where their
//! expansion would exceed [`MAX_EXPANDED_BYTES`] (catalogue files).

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

/// The largest product or catalogue file Canary reads: 16 MiB.
pub const MAX_YAML_BYTES: u64 = 16 << 20;

/// The deepest nesting of mappings and sequences accepted.
pub const MAX_DEPTH: usize = 64;

/// The most text a file may stand for once its aliases are expanded.
pub const MAX_EXPANDED_BYTES: u64 = 64 << 20;

/// Text up to this size that fails this pre-scan is left to serde to report.
const SERDE_ONLY_BYTES: usize = 8 << 10;

/// Whether anchors (`&a`) and aliases (`*a`) are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aliases {
    /// Refused wherever they appear, with their line and column.
    Refuse,
    /// Allowed while the expanded text stays under [`MAX_EXPANDED_BYTES`].
    Bounded,
}

/// Why a text was refused, and where (1-based line and column; none for size).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "line {l} column {c}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

fn at(mark: Marker, message: String) -> Refusal {
    Refusal {
        line: Some(mark.line()),
        column: Some(mark.col() + 1),
        message,
    }
}

fn too_deep() -> String {
    format!("nesting is deeper than {MAX_DEPTH} levels")
}

/// One open mapping or sequence: its anchor and the expanded size so far.
struct Open {
    anchor: usize,
    size: u64,
}

/// Checks `text`; syntax errors are left to serde, which reports them in full.
pub fn check(text: &str, aliases: Aliases) -> Result<(), Refusal> {
    if text.len() as u64 > MAX_YAML_BYTES {
        return Err(Refusal {
            line: None,
            column: None,
            message: format!(
                "the file is larger than {} MiB, the most Canary reads",
                MAX_YAML_BYTES >> 20
            ),
        });
    }
    let mut parser = Parser::new_from_str(text);
    let mut open: Vec<Open> = Vec::new();
    let mut anchored: HashMap<usize, u64> = HashMap::new();
    let mut expanded: u64 = 0;
    loop {
        let (event, mark) = match parser.next_token() {
            Ok(next) => next,
            // serde's own limit (100 alias jumps per event) bounds what a short
            // text can cost, so its fuller message is kept; past that, text this
            // parser cannot read is not handed to one that might expand it.
            Err(e) if e.info().contains("recursion limit") => {
                return Err(at(*e.marker(), too_deep()))
            }
            Err(_) if text.len() <= SERDE_ONLY_BYTES => return Ok(()),
            Err(e) => {
                return Err(at(
                    *e.marker(),
                    format!("the file cannot be read as YAML ({})", e.info()),
                ))
            }
        };
        let anchor = match &event {
            Event::Scalar(_, _, a, _) | Event::SequenceStart(a, _) | Event::MappingStart(a, _) => {
                *a
            }
            _ => 0,
        };
        if anchor != 0 && aliases == Aliases::Refuse {
            return Err(at(
                mark,
                "anchors (`&name`) are not allowed in this file; write the value out".into(),
            ));
        }
        // Size of what this event adds to the expanded document.
        let added = match event {
            Event::StreamEnd => return Ok(()),
            Event::Scalar(value, ..) => {
                let size = value.len() as u64 + 1;
                if anchor != 0 {
                    anchored.insert(anchor, size);
                }
                size
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if open.len() >= MAX_DEPTH {
                    return Err(at(mark, too_deep()));
                }
                open.push(Open { anchor, size: 0 });
                1
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(done) = open.pop() {
                    if done.anchor != 0 {
                        anchored.insert(done.anchor, done.size + 1);
                    }
                    if let Some(parent) = open.last_mut() {
                        parent.size += done.size;
                    }
                }
                continue;
            }
            Event::Alias(id) => {
                if aliases == Aliases::Refuse {
                    return Err(at(
                        mark,
                        "aliases (`*name`) are not allowed in this file; write the value out"
                            .into(),
                    ));
                }
                // An anchor still open is an alias to its own ancestor: a cycle.
                *anchored.get(&id).ok_or_else(|| {
                    at(mark, "this alias refers to a node that contains it".into())
                })?
            }
            _ => continue,
        };
        expanded += added;
        if let Some(top) = open.last_mut() {
            top.size += added;
        }
        if expanded > MAX_EXPANDED_BYTES {
            return Err(at(
                mark,
                format!(
                    "with its aliases expanded the file stands for more than {} MiB of text",
                    MAX_EXPANDED_BYTES >> 20
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_files_pass() {
        let text = "a: 1\nb: [x, {y: z}]\nc:\n  - d: e\n";
        assert_eq!(check(text, Aliases::Refuse), Ok(()));
        assert_eq!(check(text, Aliases::Bounded), Ok(()));
        // Syntax errors in short texts are serde's to report.
        assert_eq!(check("a: [", Aliases::Refuse), Ok(()));
    }

    #[test]
    fn anchors_and_aliases_are_refused_where_they_are() {
        let r = check("a: 1\nb: &x 2\nc: *x\n", Aliases::Refuse).unwrap_err();
        // The position of the anchored value.
        assert_eq!((r.line, r.column), (Some(2), Some(7)), "{r}");
        assert!(r.message.contains("anchors"), "{r}");
        assert_eq!(check("a: &x 1\nb: *x\n", Aliases::Bounded), Ok(()));
        // A short text this parser rejects is serde's to report; a long one is refused.
        assert_eq!(check("a: *nope\n", Aliases::Refuse), Ok(()));
        let long = format!("a: '{}'\nb: *nope\n", "x".repeat(SERDE_ONLY_BYTES));
        let r = check(&long, Aliases::Refuse).unwrap_err();
        assert!(r.message.contains("cannot be read as YAML"), "{r}");
        assert_eq!(r.line, Some(2), "{r}");
    }

    #[test]
    fn an_alias_bomb_is_refused_without_expanding_it() {
        // Nine levels of ten aliases each: 10^9 copies of one short string.
        let mut text = String::from("l0: &l0 [\"lol\"]\n");
        for i in 1..10 {
            let refs = vec![format!("*l{}", i - 1); 10].join(", ");
            text.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
        }
        let r = check(&text, Aliases::Bounded).unwrap_err();
        assert!(r.message.contains("expanded"), "{r}");

        // One 4 MB string aliased 1,500 times.
        let big = "x".repeat(4 << 20);
        let mut text = format!("s: &s \"{big}\"\nlist:\n");
        for _ in 0..1_500 {
            text.push_str("  - *s\n");
        }
        let r = check(&text, Aliases::Bounded).unwrap_err();
        assert!(r.message.contains("expanded"), "{r}");
        assert_eq!(r.line, Some(17), "{r}");
    }

    #[test]
    fn deep_nesting_is_refused_at_the_first_level_too_deep() {
        for text in [
            "[".repeat(100_000),
            "{a: ".repeat(100_000),
            "- ".repeat(100_000) + "x",
        ] {
            let r = check(&text, Aliases::Refuse).unwrap_err();
            assert!(r.message.contains("deeper than 64"), "{r}");
            assert_eq!(r.line, Some(1));
        }
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert_eq!(check(&ok, Aliases::Refuse), Ok(()));
    }

    #[test]
    fn oversized_text_is_refused_before_parsing() {
        let text = "#".repeat(MAX_YAML_BYTES as usize + 1);
        let r = check(&text, Aliases::Bounded).unwrap_err();
        assert!(r.message.contains("16 MiB"), "{r}");
    }
}
