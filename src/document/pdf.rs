//! Reads the manifest a report attaches to its PDF (`canary-manifest.json`, an
//! embedded file), from bytes that may be hostile: bounded sizes, no panics, and
//! only the few PDF objects the path from the name tree to the file needs.

use super::DocumentError;

/// Larger files are not Canary reports.
pub const MAX_PDF: usize = 64 << 20;
/// The manifest holds one assessment; far below this.
const MAX_MANIFEST: usize = 16 << 20;
const NAME: &[u8] = b"(canary-manifest.json)";

/// The attached manifest's bytes.
pub fn attached_manifest(pdf: &[u8]) -> Result<Vec<u8>, DocumentError> {
    let missing = |why: &str| DocumentError::NoManifest(why.to_owned());
    if pdf.len() > MAX_PDF {
        return Err(DocumentError::TooLarge(pdf.len()));
    }
    if !pdf.starts_with(b"%PDF-") {
        return Err(missing("not a PDF"));
    }
    // The name tree entry: `(canary-manifest.json) N G R`.
    let spec = find_all(pdf, NAME)
        .find_map(|at| reference(pdf, at + NAME.len()))
        .ok_or_else(|| missing("no attached canary-manifest.json"))?;
    let spec_body =
        object(pdf, spec).ok_or_else(|| missing("the attachment's entry is missing"))?;
    let ef = find(spec_body, b"/EF").ok_or_else(|| missing("the attachment has no file"))?;
    let f = find(&spec_body[ef..], b"/F").ok_or_else(|| missing("the attachment has no file"))?;
    let file =
        reference(spec_body, ef + f + 2).ok_or_else(|| missing("the attachment has no file"))?;
    let body = object(pdf, file).ok_or_else(|| missing("the attached file is missing"))?;
    let stream = find(body, b"stream").ok_or_else(|| missing("the attached file has no data"))?;
    let dict = &body[..stream];
    let length = find(dict, b"/Length")
        .and_then(|at| integer(dict, at + 7))
        .map(|(n, _)| n)
        .ok_or_else(|| missing("the attached file has no direct /Length"))?;
    let mut start = stream + b"stream".len();
    if body.get(start) == Some(&b'\r') {
        start += 1;
    }
    if body.get(start) == Some(&b'\n') {
        start += 1;
    }
    let data = start
        .checked_add(length)
        .and_then(|end| body.get(start..end))
        .ok_or_else(|| missing("the attached file is cut short"))?;
    if find(dict, b"/Filter").is_none() {
        return Ok(data.to_vec());
    }
    if find(dict, b"/FlateDecode").is_none() || find(dict, b"/DecodeParms").is_some() {
        return Err(missing("the attached file uses an unsupported filter"));
    }
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(data, MAX_MANIFEST)
        .map_err(|_| missing("the attached file does not decompress (damaged or too large)"))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn find_all<'a>(hay: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    hay.windows(needle.len())
        .enumerate()
        .filter(move |(_, w)| *w == needle)
        .map(|(i, _)| i)
}

fn skip_space(s: &[u8], mut at: usize) -> usize {
    while s.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
        at += 1;
    }
    at
}

/// A non-negative integer at `at` (after white space) and where it ends.
fn integer(s: &[u8], at: usize) -> Option<(usize, usize)> {
    let start = skip_space(s, at);
    let mut end = start;
    while s.get(end).is_some_and(u8::is_ascii_digit) {
        end += 1;
    }
    if end == start || end - start > 10 {
        return None;
    }
    let n = std::str::from_utf8(s.get(start..end)?).ok()?.parse().ok()?;
    Some((n, end))
}

/// An indirect reference `N G R` at `at`.
fn reference(s: &[u8], at: usize) -> Option<(usize, usize)> {
    let (n, at) = integer(s, at)?;
    let (g, at) = integer(s, at)?;
    let at = skip_space(s, at);
    (s.get(at) == Some(&b'R')).then_some((n, g))
}

/// The body of object `N G obj … endobj`; the last definition wins, as in an
/// incrementally updated PDF.
fn object(pdf: &[u8], (n, g): (usize, usize)) -> Option<&[u8]> {
    let head = format!("{n} {g} obj");
    let start = find_all(pdf, head.as_bytes())
        .filter(|&at| at == 0 || pdf.get(at - 1).is_some_and(|b| !b.is_ascii_digit()))
        .last()?
        + head.len();
    let rest = pdf.get(start..)?;
    let end = find(rest, b"endobj")?;
    rest.get(..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdf_with(file_object: &[u8]) -> Vec<u8> {
        let mut pdf = b"%PDF-1.7\n1 0 obj\n<</Names<</EmbeddedFiles<</Names[(canary-manifest.json) 2 0 R]>>>>>>\nendobj\n2 0 obj\n<</Type/Filespec/F (canary-manifest.json)/EF<</F 3 0 R>>>>\nendobj\n3 0 obj\n".to_vec();
        pdf.extend_from_slice(file_object);
        pdf.extend_from_slice(b"\nendobj\n%%EOF\n");
        pdf
    }

    #[test]
    fn plain_and_compressed_manifests_are_read() {
        let json = br#"{"canary_manifest":1}"#;
        let plain = pdf_with(
            &[
                b"<</Length 21/Type/EmbeddedFile>>\nstream\n".as_slice(),
                json,
                b"\nendstream",
            ]
            .concat(),
        );
        assert_eq!(attached_manifest(&plain).unwrap(), json);
        let z = miniz_oxide::deflate::compress_to_vec_zlib(json, 6);
        let head = format!("<</Length {}/Filter/FlateDecode>>\nstream\n", z.len());
        let packed = pdf_with(&[head.as_bytes(), &z, b"\nendstream"].concat());
        assert_eq!(attached_manifest(&packed).unwrap(), json);
    }

    #[test]
    fn hostile_pdfs_are_refused_without_panicking() {
        let json = br#"{"canary_manifest":1}"#;
        let good =
            pdf_with(&[b"<</Length 21>>\nstream\n".as_slice(), json, b"\nendstream"].concat());
        for cut in 0..good.len() {
            let _ = attached_manifest(&good[..cut]);
        }
        let long = pdf_with(b"<</Length 99999999999>>\nstream\nabc\nendstream");
        assert!(attached_manifest(&long).is_err());
        let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&vec![b' '; MAX_MANIFEST + 1], 9);
        let head = format!("<</Length {}/Filter/FlateDecode>>\nstream\n", bomb.len());
        assert!(attached_manifest(&pdf_with(&[head.as_bytes(), &bomb].concat())).is_err());
        assert!(attached_manifest(b"GIF89a").is_err());
        let cyclic = b"%PDF-1.7 (canary-manifest.json) 1 0 R 1 0 obj (canary-manifest.json) 1 0 R /EF /F 1 0 R endobj";
        assert!(attached_manifest(cyclic).is_err());
    }
}
