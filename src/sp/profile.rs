//! The SP under test: its entity ID, ACS, SLS and login URLs, built from a base URL and an org
//! slug by a URL-shape profile ([`crate::sp::template`]; `sentry` is built in:
//! `{base}/saml/acs/{org}/` ...), or named directly for an SP outside any profile.

use std::sync::Arc;

use super::slug::SlugError;
use super::template::UrlTemplates;

/// The SaaS base URL used when none is given.
pub const DEFAULT_BASE_URL: &str = "https://sentry.io";

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
    /// Where a login starts at the SP (SP-initiated), when the profile has one. No IdP field
    /// holds it, but it is told apart when pasted into one.
    pub login: Option<String>,
    /// The org slug, when the profile was built from one.
    pub org: Option<String>,
    /// The templates the URLs were built from (`None` for an SP named directly); in JSON, the
    /// profile's name. The near-miss engine reads the URLs' shape from them.
    #[serde(
        rename = "profile",
        serialize_with = "profile_name",
        skip_serializing_if = "Option::is_none"
    )]
    pub templates: Option<Arc<UrlTemplates>>,
}

fn profile_name<S: serde::Serializer>(
    templates: &Option<Arc<UrlTemplates>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match templates {
        Some(t) => s.serialize_str(&t.name),
        None => s.serialize_none(),
    }
}

impl SpProfile {
    /// The built-in `sentry` profile: `{base}/saml/metadata/{org}/`, `{base}/saml/acs/{org}/`,
    /// `{base}/saml/sls/{org}/`, `{base}/saml/login/{org}/`. A trailing slash on `base` is
    /// ignored. Nothing is checked (see [`SpProfile::for_valid_org`]).
    pub fn for_org(base: &str, org: &str) -> SpProfile {
        UrlTemplates::sentry().render(base, org)
    }

    /// [`SpProfile::for_org`] after checking the slug (`sp/org-slug-invalid`) and the base URL.
    pub fn for_valid_org(base: &str, org: &str) -> Result<SpProfile, ProfileError> {
        UrlTemplates::sentry().render_valid(base, org)
    }

    /// An SP named by its own entity ID and ACS URL.
    pub fn explicit(entity_id: &str, acs: &str, sls: Option<&str>) -> SpProfile {
        SpProfile {
            entity_id: entity_id.to_string(),
            acs: acs.to_string(),
            sls: sls.map(str::to_string),
            login: None,
            org: None,
            templates: None,
        }
    }
}

/// Why `base` is not a usable base URL for the built-in profile (`https://sentry.io`,
/// `https://sentry.company/prefix`); see [`UrlTemplates::check_base_url`] for any profile.
pub fn check_base_url(base: &str) -> Result<(), String> {
    UrlTemplates::sentry().check_base_url(base)
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
        assert_eq!(
            p.login.as_deref(),
            Some("https://sentry.io/saml/login/acme/")
        );
        let self_hosted = SpProfile::for_org("https://sentry.company/prefix", "ops");
        assert_eq!(
            self_hosted.acs,
            "https://sentry.company/prefix/saml/acs/ops/"
        );
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["profile"], "sentry");
        assert_eq!(json["login"], "https://sentry.io/saml/login/acme/");
        let explicit = serde_json::to_value(SpProfile::explicit("urn:sp", "https://sp/acs", None));
        assert_eq!(explicit.unwrap().get("profile"), None);
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
            (
                "https://sentry.io/saml/metadata",
                "its metadata (entity ID) URL",
            ),
        ] {
            let err = check_base_url(base).unwrap_err();
            assert!(err.contains(why), "{base}: {err}");
        }
    }
}
