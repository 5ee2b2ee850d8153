//! The order people expect for product names: case-insensitive, and runs of
//! digits by their value, so "Plug 2" comes before "Plug 10" (SQLite's NOCASE
//! would put "Plug 10" first).

use std::cmp::Ordering;
use std::iter::Peekable;
use std::str::Chars;

/// Compares `a` and `b` as described above; names equal in that order fall back
/// to plain byte order, so the result is total and stable.
pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        let order = match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let (n, m) = (digits(&mut x), digits(&mut y));
                let (n, m) = (n.trim_start_matches('0'), m.trim_start_matches('0'));
                n.len().cmp(&m.len()).then_with(|| n.cmp(m))
            }
            (Some(c), Some(d)) => {
                x.next();
                y.next();
                c.to_lowercase().cmp(d.to_lowercase())
            }
        };
        if order != Ordering::Equal {
            return order;
        }
    }
}

fn digits(it: &mut Peekable<Chars<'_>>) -> String {
    let mut s = String::new();
    while let Some(c) = it.next_if(char::is_ascii_digit) {
        s.push(c);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::natural_cmp;

    #[test]
    fn numbers_by_value_letters_without_case() {
        let mut names = vec![
            "Plug 10",
            "plug 2",
            "Plug 1",
            "Plug 100",
            "Camera",
            "Plug 02",
            "Plug",
            "Plug 2b",
            "Plug 2a",
            "ÉCLAIR 9",
            "éclair 10",
        ];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            [
                "Camera",
                "Plug",
                "Plug 1",
                "Plug 02",
                "plug 2",
                "Plug 2a",
                "Plug 2b",
                "Plug 10",
                "Plug 100",
                "ÉCLAIR 9",
                "éclair 10",
            ]
        );
        // Equal in this order only when equal byte for byte.
        assert!(natural_cmp("plug", "Plug").is_ne());
        assert!(natural_cmp("a", "a").is_eq());
    }
}
