//! The SP under test: its entity ID, ACS and SLS URLs, built from a base URL and an org slug
//! (`{base}/saml/acs/{org}/` ...) or named directly for an SP outside that shape.

use super::chars::unseen;
use super::slug::{self, SlugError};
use super::url::UrlParts;

/// The SaaS base URL used when none is given.
pub const DEFAULT_BASE_URL: &str = "https://sentry.io";

/// The segments after `/saml/` in the built-in profile's paths.
pub const PATH_KINDS: [&str; 4] = ["acs", "metadata", "sls", "login"];

/// Why an org-slug profile cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error(transparent)]
    Slug(#[from] SlugError),
    #[error("the base URL {url:?} cannot be used: {why}")]
    BaseUrl { url: String, why: String },
}

/// The SP's own URLs, which the IdP's messages must name exactly.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SpProfile {
    /// SP entity ID = the Audience the IdP must put in assertions.
    pub entity_id: String,
    /// Assertion Consumer Service URL = Destination and Recipient.
    pub acs: String,
    /// Single Logout URL.
    pub sls: Option<String>,
    /// The org slug, when the profile was built from one.
    pub org: Option<String>,
}

impl SpProfile {
    /// The built-in org-slug profile: `{base}/saml/metadata/{org}/`, `{base}/saml/acs/{org}/`,
    /// `{base}/saml/sls/{org}/`. A trailing slash on `base` is ignored.
    pub fn for_org(base: &str, org: &str) -> SpProfile {
        let base = base.trim().trim_end_matches('/');
        SpProfile {
            entity_id: format!("{base}/saml/metadata/{org}/"),
            acs: format!("{base}/saml/acs/{org}/"),
            sls: Some(format!("{base}/saml/sls/{org}/")),
            org: Some(org.to_string()),
        }
    }

    /// [`SpProfile::for_org`] after checking the slug (`sp/org-slug-invalid`) and the base URL.
    pub fn for_valid_org(base: &str, org: &str) -> Result<SpProfile, ProfileError> {
        check_base_url(base).map_err(|why| ProfileError::BaseUrl {
            url: base.to_string(),
            why,
        })?;
        slug::validate(org)?;
        Ok(SpProfile::for_org(base, org))
    }

    /// An SP named by its own entity ID and ACS URL.
    pub fn explicit(entity_id: &str, acs: &str, sls: Option<&str>) -> SpProfile {
        SpProfile {
            entity_id: entity_id.to_string(),
            acs: acs.to_string(),
            sls: sls.map(str::to_string),
            org: None,
        }
    }
}

/// Why `base` is not a usable base URL (`https://sentry.io`, `https://sentry.company/prefix`).
pub fn check_base_url(base: &str) -> Result<(), String> {
    if let Some(name) = base.chars().find_map(unseen) {
        return Err(format!("it contains {name}"));
    }
    let Some(url) = UrlParts::split(base) else {
        return Err("it is not an absolute http(s) URL such as https://sentry.company".into());
    };
    if url.scheme != "https" && url.scheme != "http" {
        return Err(format!(
            "the scheme is {:?}; it must be https (or http for a local test install)",
            url.scheme
        ));
    }
    if url.host.is_empty() || url.port == Some("") {
        return Err("it has no host (or an empty port)".into());
    }
    if url.query.is_some() || url.fragment.is_some() {
        return Err("it has a query string or fragment; give only scheme, host and path".into());
    }
    if let Some(path) = OrgPath::split(url.path) {
        let base = &base[..base.len() - url.path.len() + path.prefix.len()];
        return Err(format!(
            "it is one of the SP's own URLs ({}), not the base; the base here is {base}",
            path.kind
        ));
    }
    Ok(())
}

/// An org-slug SP path taken apart: `{prefix}/saml/{kind}/{slug}/`. Matching is
/// case-insensitive on `saml` and the kind, so near misses in letter case still split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgPath<'a> {
    /// The self-hosted path prefix (`/prefix`), empty at the root.
    pub prefix: &'a str,
    /// `saml` as written.
    pub saml: &'a str,
    /// One of [`PATH_KINDS`], as written.
    pub kind: &'a str,
    /// The org slug as written (may be empty or invalid).
    pub slug: &'a str,
    pub trailing_slash: bool,
}

impl<'a> OrgPath<'a> {
    /// Splits a URL path of the built-in profile's shape; `None` for any other path.
    pub fn split(path: &'a str) -> Option<OrgPath<'a>> {
        // ASCII lowercasing keeps byte offsets, so indexes found in `lower` cut `path`.
        let lower = path.to_ascii_lowercase();
        let at = lower.rfind("/saml/")?;
        let rest = &path[at + 6..];
        let (kind, after) = match rest.split_once('/') {
            Some((k, a)) => (k, Some(a)),
            None => (rest, None),
        };
        if !PATH_KINDS.iter().any(|k| k.eq_ignore_ascii_case(kind)) {
            return None;
        }
        let (slug, trailing_slash) = match after {
            None => ("", false),
            // `/saml/acs/`: the slug is missing, the final slash is there.
            Some("") => ("", true),
            Some(a) => match a.strip_suffix('/') {
                Some(s) => (s, true),
                None => (a, false),
            },
        };
        if slug.contains('/') {
            return None;
        }
        Some(OrgPath {
            prefix: &path[..at],
            saml: &path[at + 1..at + 5],
            kind,
            slug,
            trailing_slash,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_org_urls() {
        let p = SpProfile::for_org("https://sentry.io/", "acme");
        assert_eq!(p.entity_id, "https://sentry.io/saml/metadata/acme/");
        assert_eq!(p.acs, "https://sentry.io/saml/acs/acme/");
        assert_eq!(p.sls.as_deref(), Some("https://sentry.io/saml/sls/acme/"));
        let self_hosted = SpProfile::for_org("https://sentry.company/prefix", "ops");
        assert_eq!(
            self_hosted.acs,
            "https://sentry.company/prefix/saml/acs/ops/"
        );
    }

    #[test]
    fn checks_slug_and_base_url() {
        assert!(SpProfile::for_valid_org("https://sentry.company/prefix/", "ops").is_ok());
        assert!(matches!(
            SpProfile::for_valid_org(DEFAULT_BASE_URL, "Acme Corp"),
            Err(ProfileError::Slug(_))
        ));
        for (base, why) in [
            ("sentry.io", "not an absolute"),
            ("ftp://sentry.io", "scheme"),
            ("https://", "no host"),
            ("https://sentry.io/?org=acme", "query"),
            ("https://sentry.io\u{200B}", "zero-width"),
            (
                "https://sentry.company/p/saml/acs/acme/",
                "the base here is https://sentry.company/p",
            ),
        ] {
            let err = check_base_url(base).unwrap_err();
            assert!(err.contains(why), "{base}: {err}");
        }
    }

    #[test]
    fn splits_org_paths() {
        let p = OrgPath::split("/prefix/SAML/Acs/acme").unwrap();
        assert_eq!(
            (p.prefix, p.saml, p.kind, p.slug, p.trailing_slash),
            ("/prefix", "SAML", "Acs", "acme", false)
        );
        let p = OrgPath::split("/saml/metadata/acme/").unwrap();
        assert_eq!(
            (p.prefix, p.kind, p.slug, p.trailing_slash),
            ("", "metadata", "acme", true)
        );
        assert_eq!(OrgPath::split("/saml/acs/").unwrap().slug, "");
        assert_eq!(OrgPath::split("/saml/other/acme/"), None);
        assert_eq!(OrgPath::split("/saml/acs/acme/extra/"), None);
        assert_eq!(OrgPath::split("/sso/acs"), None);
    }
}
