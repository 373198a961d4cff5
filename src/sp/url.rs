//! A lenient URL splitter: scheme, host, port, path, query and fragment, as written. It never
//! normalizes (letter case, default ports and percent-escapes are differences the near-miss
//! engine must see), and it does not validate beyond finding the parts.

/// The parts of `scheme://authority/path?query#fragment`, borrowed from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlParts<'a> {
    pub scheme: &'a str,
    /// The authority without the port (user info included, when there is any).
    pub host: &'a str,
    /// The digits after the last `:` of the authority, when written (possibly empty).
    pub port: Option<&'a str>,
    /// From the first `/` after the authority up to `?` or `#`; may be empty.
    pub path: &'a str,
    /// After `?`, up to `#`.
    pub query: Option<&'a str>,
    /// After `#`.
    pub fragment: Option<&'a str>,
}

impl<'a> UrlParts<'a> {
    /// Splits `url`, or `None` when it has no `scheme://`.
    pub fn split(url: &'a str) -> Option<UrlParts<'a>> {
        let (scheme, rest) = url.split_once("://")?;
        let scheme_ok = scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !scheme_ok {
            return None;
        }
        let (rest, fragment) = match rest.split_once('#') {
            Some((r, f)) => (r, Some(f)),
            None => (rest, None),
        };
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        // The port follows the last ':' unless that ':' is inside an IPv6 literal or user info.
        let (host, port) = match authority.rfind(':') {
            Some(i)
                if !authority[i..].contains(']')
                    && authority[i + 1..].chars().all(|c| c.is_ascii_digit()) =>
            {
                (&authority[..i], Some(&authority[i + 1..]))
            }
            _ => (authority, None),
        };
        Some(UrlParts {
            scheme,
            host,
            port,
            path,
            query,
            fragment,
        })
    }

    /// The port a client connects to: the written one, else the scheme's default.
    pub fn effective_port(&self) -> Option<&str> {
        match self.port {
            Some(p) if !p.is_empty() => Some(p),
            _ => default_port(self.scheme),
        }
    }
}

/// The default port of http and https.
pub fn default_port(scheme: &str) -> Option<&'static str> {
    if scheme.eq_ignore_ascii_case("https") {
        Some("443")
    } else if scheme.eq_ignore_ascii_case("http") {
        Some("80")
    } else {
        None
    }
}

/// `text` with every valid `%XX` escape decoded (bytes that are not UTF-8 become U+FFFD).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_parts_as_written() {
        let u = UrlParts::split("HTTPS://Sentry.io:8443/p/saml/acs/acme/?a=1&b#frag").unwrap();
        assert_eq!(u.scheme, "HTTPS");
        assert_eq!(u.host, "Sentry.io");
        assert_eq!(u.port, Some("8443"));
        assert_eq!(u.path, "/p/saml/acs/acme/");
        assert_eq!(u.query, Some("a=1&b"));
        assert_eq!(u.fragment, Some("frag"));
        let bare = UrlParts::split("https://sentry.io").unwrap();
        assert_eq!((bare.host, bare.port, bare.path), ("sentry.io", None, ""));
        assert_eq!(bare.effective_port(), Some("443"));
        let v6 = UrlParts::split("http://[::1]/x").unwrap();
        assert_eq!((v6.host, v6.port), ("[::1]", None));
        let v6_port = UrlParts::split("http://[::1]:9000/x").unwrap();
        assert_eq!((v6_port.host, v6_port.port), ("[::1]", Some("9000")));
        assert_eq!(UrlParts::split("sentry.io/saml/acs/acme/"), None);
        assert_eq!(UrlParts::split("urn:example:sp"), None);
        assert_eq!(UrlParts::split("://x"), None);
    }

    #[test]
    fn decodes_valid_escapes_only() {
        assert_eq!(percent_decode("a%2Fb%2fc"), "a/b/c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%C3%A9"), "é");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}");
    }
}
