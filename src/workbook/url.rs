//! The one rule for evidence links, shared by the store (CLI, app, import) and the
//! product-file checker, so a link one of them accepts is never refused by another.

/// Characters that reorder displayed text (bidirectional overrides and marks):
/// they make a link read differently from where it goes.
const BIDI: &[char] = &[
    '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}',
    '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
];

/// Checks an absolute `http` or `https` URL: no whitespace, control or
/// bidirectional-override characters, no user name, a valid host and an optional
/// valid port. The reason is a phrase to follow the URL in a message.
pub fn check_url(url: &str) -> Result<(), &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("is not an http:// or https:// URL")?;
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c))
    {
        return Err("contains spaces or characters not allowed in a URL");
    }
    if url.chars().any(|c| BIDI.contains(&c)) {
        return Err("contains characters that change the direction of text");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        // `https://bank.example@elsewhere.example` goes to `elsewhere.example`.
        return Err("names a user before the host");
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (addr, after) = v6.split_once(']').ok_or("has an unclosed `[`")?;
            if addr.is_empty()
                || !addr
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || ":.".contains(c))
            {
                return Err("has an invalid IPv6 address");
            }
            (None, after)
        }
        None => match authority.find(':') {
            Some(i) => (Some(&authority[..i]), &authority[i..]),
            None => (Some(authority), ""),
        },
    };
    if let Some(host) = host {
        check_host(host)?;
    }
    if let Some(port) = port.strip_prefix(':') {
        if port.is_empty()
            || port.len() > 5
            || !port.bytes().all(|c| c.is_ascii_digit())
            || port.parse::<u32>().map_or(true, |p| p == 0 || p > 65_535)
        {
            return Err("has an invalid port");
        }
    } else if !port.is_empty() {
        return Err("has an invalid host");
    }
    Ok(())
}

/// Dot-separated labels of letters, digits, `-` and `_`, none empty and none
/// starting or ending with `-`; one trailing dot is allowed.
fn check_host(host: &str) -> Result<(), &'static str> {
    if host.is_empty() {
        return Err("has no host");
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    let valid = host.split('.').all(|label| {
        !label.is_empty()
            && label.chars().count() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    });
    if valid && host.len() <= 253 {
        Ok(())
    } else {
        Err("has an invalid host")
    }
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn accepts_web_links() {
        for ok in [
            "https://example.com/a?b#c",
            "http://localhost:8080",
            "https://[::1]:8443/x",
            "http://192.0.2.1/",
            "https://bücher.example/",
            "https://example.com.",
        ] {
            assert_eq!(check_url(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn refuses_everything_else() {
        for bad in [
            "ftp://example.com",
            "example.com/policy page",
            "example.com",
            "https://",
            "https://exa mple.com",
            "https://host:port/",
            "https://host:/",
            "https://host:99999/",
            "https://host:0/",
            "https://bank.example@evil.example/",
            "https://exam\u{202E}ple.com/",
            "https://example.com/\u{2066}x",
            "https://a..b/",
            "https://-a.example/",
            "https://.example/",
            "https://[::1/",
            "https://[zz]/",
            "https://[::1]x/",
            "javascript:alert(1)",
            "https://example.com/\u{7}",
        ] {
            assert!(check_url(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
