//! Naming the difference between the URL the SP expects and the one the IdP sent. A thin
//! adapter from the one near-miss engine ([`crate::sp::url_match`]) to `verify`'s findings.

use crate::checks::Finding;
use crate::sp::url_match::{self, UrlField};
use crate::sp::SpProfile;

/// A short explanation of how `found` differs from `expected`, when it is a near miss (at
/// least one difference has a name).
pub fn explain(expected: &str, found: &str) -> Option<String> {
    url_match::compare(expected, found)
        .filter(|n| !n.differences.is_empty())
        .map(|n| n.sentence())
}

/// `f` with the near miss of `found` against the SP's URL for `field`: the explanation as a
/// note (prefixed with the value when several are listed) and the hints.
pub fn annotate(
    mut f: Finding,
    sp: &SpProfile,
    field: UrlField,
    found: &str,
    prefix_value: bool,
) -> Finding {
    let Some(m) = url_match::check_url(sp, field, found) else {
        return f;
    };
    if m.hints.is_empty() {
        return f;
    }
    let why = m.near_miss.sentence();
    f = f.note(if prefix_value {
        format!("{found}: {why}")
    } else {
        why
    });
    for h in &m.hints {
        f = f.hint(h.id());
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(explain("urn:idp", "urn:other"), None);
    }

    #[test]
    fn annotates_findings_with_note_and_hints() {
        use crate::checks::catalog::RESPONSE_DESTINATION_MISMATCH;
        let sp = SpProfile::for_org("https://sentry.io", "acme");
        let f = Finding::new(&RESPONSE_DESTINATION_MISMATCH, "x");
        let f = annotate(
            f,
            &sp,
            UrlField::Acs,
            "http://sentry.io/saml/acs/acme",
            false,
        );
        assert_eq!(f.hints, vec!["scheme", "trailing-slash"]);
        assert_eq!(
            f.notes,
            vec!["the scheme is http instead of https and the trailing slash is missing"]
        );
        let f = Finding::new(&RESPONSE_DESTINATION_MISMATCH, "x");
        let f = annotate(
            f,
            &sp,
            UrlField::Audience,
            "https://sentry.io/saml/acs/acme/",
            true,
        );
        assert_eq!(f.hints, vec!["swapped"]);
        assert!(
            f.notes[0].starts_with("https://sentry.io/saml/acs/acme/: this is the SP's ACS URL")
        );
    }
}
