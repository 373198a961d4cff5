//! Naming the difference between the URL the SP expects and the one the IdP sent.

/// A short explanation of how `found` differs from `expected`, when it is a near miss.
pub fn explain(expected: &str, found: &str) -> Option<String> {
    if expected == found {
        return None;
    }
    if found.trim() == expected {
        return Some("the value has leading or trailing whitespace".into());
    }
    if found.trim_end_matches('/') == expected.trim_end_matches('/') {
        return Some(if expected.ends_with('/') {
            "the trailing slash is missing".into()
        } else {
            "there is an extra trailing slash".into()
        });
    }
    if found.eq_ignore_ascii_case(expected) {
        return Some("only letter case differs; SAML compares URLs exactly".into());
    }
    let (es, er) = expected.split_once("://")?;
    let (fs, fr) = found.split_once("://").unwrap_or(("", found));
    if er.trim_end_matches('/') == fr.trim_end_matches('/') && es != fs {
        return Some(format!("the scheme is {fs} instead of {es}"));
    }
    let host = |rest: &str| rest.split('/').next().unwrap_or("").to_string();
    let path = |rest: &str| {
        rest.find('/')
            .map_or(String::new(), |i| rest[i..].to_string())
    };
    if path(er) == path(fr) && host(er) != host(fr) {
        return Some(format!("the host is {} instead of {}", host(fr), host(er)));
    }
    for (kind, other) in [
        ("ACS", "/saml/acs/"),
        ("metadata (entity ID)", "/saml/metadata/"),
        ("SLS", "/saml/sls/"),
    ] {
        if fr.contains(other) && !er.contains(other) {
            return Some(format!(
                "this is the SP's {kind} URL, pasted into the wrong field"
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::explain;

    #[test]
    fn names_common_near_misses() {
        let acs = "https://sentry.io/saml/acs/acme/";
        assert_eq!(explain(acs, acs), None);
        assert_eq!(
            explain(acs, "https://sentry.io/saml/acs/acme").unwrap(),
            "the trailing slash is missing"
        );
        assert_eq!(
            explain(acs, "http://sentry.io/saml/acs/acme/").unwrap(),
            "the scheme is http instead of https"
        );
        assert_eq!(
            explain(acs, "https://sentry.company/saml/acs/acme/").unwrap(),
            "the host is sentry.company instead of sentry.io"
        );
        assert!(explain(acs, "https://sentry.io/saml/metadata/acme/")
            .unwrap()
            .contains("metadata (entity ID) URL"));
        assert!(explain(acs, " https://sentry.io/saml/acs/acme/")
            .unwrap()
            .contains("whitespace"));
    }
}
