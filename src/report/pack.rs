//! Packs the small objects of a typst PDF into compressed object streams with a
//! cross-reference stream (PDF 1.5; allowed by PDF/A-2/3 and PDF/UA-1). krilla writes
//! every element of a tagged PDF's structure tree as a plain indirect object, which
//! made a tagged report several times the size of an untagged one; packed, the tree
//! compresses like the page content does.
//!
//! Streams stay as they are, and so do the catalog and the attachment's file
//! specification: `canary check` reads those directly (see `document::pdf`).

use miniz_oxide::deflate::compress_to_vec_zlib;

/// Objects per object stream: a reader inflates a whole stream to reach one object.
const PER_STREAM: usize = 200;
/// The structure tree is repetitive text: fast deflate already gets most of the gain.
const LEVEL: u8 = 3;
/// Kept readable in the raw bytes for [`crate::document`]'s manifest reader.
const ATTACHMENT: &[u8] = b"canary-manifest.json";

/// The packed PDF, or `None` when `pdf` is not laid out as krilla writes it (one
/// classic cross-reference table, generation 0 only); the input is valid as it is.
pub(crate) fn pack(pdf: &[u8]) -> Option<Vec<u8>> {
    let tail = pdf.len().saturating_sub(64);
    let startxref = tail + rfind(&pdf[tail..], b"startxref")? + b"startxref".len();
    let xref_at = integer_after(pdf, startxref)?.0;
    let (offsets, trailer) = xref_table(pdf, xref_at)?;
    let root = reference_after(trailer, find(trailer, b"/Root")? + b"/Root".len())?;
    let rest = trailer_without_size(trailer)?;

    let mut objects: Vec<Object<'_>> = Vec::with_capacity(offsets.len());
    let mut sorted = offsets;
    sorted.sort_unstable_by_key(|&(_, at)| at);
    for (i, &(num, at)) in sorted.iter().enumerate() {
        let end = sorted.get(i + 1).map_or(xref_at, |&(_, next)| next);
        let span = pdf.get(at..end)?;
        let head = format!("{num} 0 obj");
        let body = trim(span.strip_prefix(head.as_bytes())?);
        let inner = trim(body.strip_suffix(b"endobj")?);
        let plain =
            inner.ends_with(b"endstream") || num == root || find(inner, ATTACHMENT).is_some();
        objects.push(Object {
            num,
            span,
            inner,
            plain,
        });
    }
    let first = sorted.first()?.1;
    let size = sorted.iter().map(|&(n, _)| n).max()? + 1;

    let mut out = Vec::with_capacity(pdf.len() / 2);
    out.extend_from_slice(pdf.get(..first)?);
    // Per object number: where it now lives.
    let mut entries = vec![Entry::Free; size];
    for o in objects.iter().filter(|o| o.plain) {
        entries[o.num] = Entry::At(out.len());
        out.extend_from_slice(o.span);
    }
    let mut packed: Vec<&Object<'_>> = objects.iter().filter(|o| !o.plain).collect();
    packed.sort_unstable_by_key(|o| o.num);
    let mut next = size;
    for chunk in packed.chunks(PER_STREAM) {
        let mut index = String::new();
        let mut bodies = Vec::new();
        for (k, o) in chunk.iter().enumerate() {
            index.push_str(&format!("{} {} ", o.num, bodies.len()));
            bodies.extend_from_slice(o.inner);
            bodies.push(b'\n');
            entries[o.num] = Entry::Packed(next, k);
        }
        let mut data = index.into_bytes();
        let first = data.len();
        data.extend_from_slice(&bodies);
        let data = compress_to_vec_zlib(&data, LEVEL);
        entries.push(Entry::At(out.len()));
        let dict = format!(
            "<</Type/ObjStm/N {}/First {first}/Filter/FlateDecode/Length {}>>",
            chunk.len(),
            data.len()
        );
        write_stream(&mut out, next, &dict, &data);
        next += 1;
    }

    // The cross-reference stream, its own entry included.
    let xref_num = next;
    let xref_offset = out.len();
    entries.push(Entry::At(xref_offset));
    let wide = entries.iter().map(Entry::field2).max().unwrap_or(0);
    let w2 = (usize::BITS - wide.leading_zeros()).div_ceil(8).max(1) as usize;
    let mut table = Vec::with_capacity(entries.len() * (3 + w2));
    for e in &entries {
        let (kind, f3) = match e {
            Entry::Free if table.is_empty() => (0u8, 0xFFFF),
            Entry::Free => (0, 0),
            Entry::At(_) => (1, 0),
            Entry::Packed(_, k) => (2, *k),
        };
        table.push(kind);
        table.extend_from_slice(&e.field2().to_be_bytes()[8 - w2..]);
        table.extend_from_slice(&u16::try_from(f3).ok()?.to_be_bytes());
    }
    let data = compress_to_vec_zlib(&table, LEVEL);
    let dict = format!(
        "<</Type/XRef/Size {}/W[1 {w2} 2]{}/Filter/FlateDecode/Length {}>>",
        entries.len(),
        String::from_utf8_lossy(rest),
        data.len()
    );
    write_stream(&mut out, xref_num, &dict, &data);
    out.extend_from_slice(format!("startxref\n{xref_offset}\n%%EOF\n").as_bytes());
    Some(out)
}

struct Object<'a> {
    num: usize,
    /// `N 0 obj … endobj` and the white space after it, as written.
    span: &'a [u8],
    /// Between `obj` and `endobj`.
    inner: &'a [u8],
    plain: bool,
}

#[derive(Clone, Copy)]
enum Entry {
    Free,
    /// A plain object at this byte offset.
    At(usize),
    /// In object stream `.0`, at index `.1`.
    Packed(usize, usize),
}

impl Entry {
    fn field2(&self) -> usize {
        match *self {
            Entry::Free => 0,
            Entry::At(at) => at,
            Entry::Packed(stream, _) => stream,
        }
    }
}

fn write_stream(out: &mut Vec<u8>, num: usize, dict: &str, data: &[u8]) {
    out.extend_from_slice(format!("{num} 0 obj\n{dict}\nstream\n").as_bytes());
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream\nendobj\n");
}

/// `(object number, byte offset)` of an object in use.
type Located = (usize, usize);

/// The objects in use listed by the table at `at`, and the trailer dictionary's bytes.
fn xref_table(pdf: &[u8], at: usize) -> Option<(Vec<Located>, &[u8])> {
    if !pdf.get(at..)?.starts_with(b"xref") {
        return None;
    }
    let mut at = skip_space(pdf, at + b"xref".len());
    let mut found = Vec::new();
    while !pdf.get(at..)?.starts_with(b"trailer") {
        let (start, next) = integer_after(pdf, at)?;
        let (count, next) = integer_after(pdf, next)?;
        at = skip_space(pdf, next);
        for i in 0..count {
            // Fixed 20-byte entries: `oooooooooo ggggg n` and a two-byte end of line.
            let entry = pdf.get(at..at + 18)?;
            if entry[17] == b'n' {
                let (offset, _) = integer_after(entry, 0)?;
                if entry.get(11..16)? != b"00000" {
                    return None;
                }
                found.push((start + i, offset));
            }
            at += 20;
        }
        at = skip_space(pdf, at);
    }
    let dict_start = at + b"trailer".len();
    let dict_end = dict_start + find(pdf.get(dict_start..)?, b"startxref")?;
    Some((found, trim(pdf.get(dict_start..dict_end)?)))
}

/// The trailer's entries but `/Size` (the cross-reference stream has its own), without
/// the enclosing `<<` `>>`.
fn trailer_without_size(trailer: &[u8]) -> Option<&[u8]> {
    let inner = trailer.strip_prefix(b"<<")?.strip_suffix(b">>")?;
    let size = find(inner, b"/Size")?;
    // krilla writes `/Size N` first; anything else is not the layout this expects.
    if size != 0 {
        return None;
    }
    let (_, end) = integer_after(inner, size + b"/Size".len())?;
    Some(&inner[end..])
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn trim(s: &[u8]) -> &[u8] {
    s.trim_ascii()
}

fn skip_space(s: &[u8], mut at: usize) -> usize {
    while s.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// A non-negative integer after white space at `at`, and where it ends.
fn integer_after(s: &[u8], at: usize) -> Option<(usize, usize)> {
    let start = skip_space(s, at);
    let digits = s
        .get(start..)?
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 || digits > 15 {
        return None;
    }
    let n = std::str::from_utf8(&s[start..start + digits])
        .ok()?
        .parse()
        .ok()?;
    Some((n, start + digits))
}

/// The object number of a reference `N 0 R` after `at`.
fn reference_after(s: &[u8], at: usize) -> Option<usize> {
    let (n, at) = integer_after(s, at)?;
    let (g, at) = integer_after(s, at)?;
    (g == 0 && s.get(skip_space(s, at)) == Some(&b'R')).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The smallest PDF laid out as krilla writes one.
    fn classic() -> Vec<u8> {
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for body in [
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[]/Count 0>>",
            "<</Type/StructElem/S/P>>",
        ] {
            offsets.push(pdf.len());
            let n = offsets.len();
            pdf.extend_from_slice(format!("{n} 0 obj\n{body}\nendobj\n\n").as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(b"xref\n0 4\n0000000000 65535 f\r\n");
        for at in offsets {
            pdf.extend_from_slice(format!("{at:010} 00000 n\r\n").as_bytes());
        }
        pdf.extend_from_slice(
            format!("trailer\n<</Size 4/Root 1 0 R/ID[(a)(b)]>>\nstartxref\n{xref}\n%%EOF")
                .as_bytes(),
        );
        pdf
    }

    #[test]
    fn small_objects_move_into_an_object_stream_and_the_catalog_stays() {
        let packed = pack(&classic()).expect("packs");
        let text = String::from_utf8_lossy(&packed);
        assert!(
            text.contains("1 0 obj\n<</Type/Catalog/Pages 2 0 R>>"),
            "{text}"
        );
        assert!(!text.contains("3 0 obj"), "{text}");
        assert!(text.contains("/Type/ObjStm/N 2/"), "{text}");
        assert!(text.contains("/Type/XRef/Size 6/W[1 "), "{text}");
        assert!(text.contains(" 2]/Root 1 0 R/ID[(a)(b)]/Filter"), "{text}");
        // Packed output is not laid out as krilla writes: left as it is.
        assert_eq!(pack(&packed), None);
        assert_eq!(pack(b"%PDF-1.7\nstartxref\n0\n%%EOF"), None);
    }
}
