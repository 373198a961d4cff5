//! The SP under test: its entity ID, ACS and SLS URLs, built from a base URL and an org slug
//! (`{base}/saml/acs/{org}/` ...) or named directly for an SP outside that shape.

/// The SaaS base URL used when none is given.
pub const DEFAULT_BASE_URL: &str = "https://sentry.io";

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
}
