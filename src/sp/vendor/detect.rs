//! Which product published a metadata document, from the shapes of its entityID and endpoint
//! URLs. Hosted products are recognised by their host, self-hosted ones by their URL paths.
//! Detection only chooses wording and presets; nothing is trusted because of it.

use super::Vendor;
use crate::saml::metadata::EntityDescriptor;

/// Which value a piece of evidence was found in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "in", rename_all = "kebab-case")]
pub enum EvidenceSource {
    EntityId,
    /// An endpoint's `Location` or `ResponseLocation`; `kind` is its element name.
    Endpoint {
        kind: String,
    },
}

/// One value that matched one of the vendor's known shapes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Evidence {
    #[serde(flatten)]
    pub source: EvidenceSource,
    pub value: String,
    /// The shape it matched, e.g. `http://www.okta.com/{app id}`.
    pub shape: &'static str,
}

impl std::fmt::Display for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.source {
            EvidenceSource::EntityId => write!(f, "entityID {}", self.value)?,
            EvidenceSource::Endpoint { kind } => write!(f, "{kind} {}", self.value)?,
        }
        write!(f, " matches {}", self.shape)
    }
}

/// The product that most likely published the metadata, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Detection {
    pub vendor: Vendor,
    /// Every matching value, strongest first.
    pub evidence: Vec<Evidence>,
}

/// Detects the vendor of an entity from its entityID and the endpoints of all its roles.
pub fn detect(entity: &EntityDescriptor) -> Option<Detection> {
    let endpoints = entity.roles.iter().flat_map(|r| {
        r.endpoints.iter().flat_map(|e| {
            [e.location.as_deref(), e.response_location.as_deref()]
                .into_iter()
                .flatten()
                .map(|url| (e.kind.as_str(), url))
        })
    });
    detect_urls(entity.entity_id.as_deref(), endpoints)
}

/// A value, where it was found, and its URL parts.
type Parsed<'a> = (EvidenceSource, &'a str, UrlParts<'a>);

/// Detects the vendor from an entityID and `(element name, URL)` endpoint pairs.
pub fn detect_urls<'a>(
    entity_id: Option<&'a str>,
    endpoints: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Option<Detection> {
    let mut values: Vec<(EvidenceSource, &str)> = Vec::new();
    if let Some(id) = entity_id {
        values.push((EvidenceSource::EntityId, id));
    }
    for (kind, url) in endpoints {
        values.push((
            EvidenceSource::Endpoint {
                kind: kind.to_string(),
            },
            url,
        ));
    }
    let parsed: Vec<Parsed<'_>> = values
        .into_iter()
        .map(|(source, value)| (source, value, UrlParts::parse(value)))
        .collect();

    // Each pattern counts once, however many endpoints share its shape.
    let mut candidates: Vec<Candidate> = Vec::new();
    for pattern in PATTERNS {
        let hit = parsed.iter().find(|(source, value, url)| {
            pattern.applies.accepts(source) && pattern.matcher.matches(value, url)
        });
        let Some((source, value, _)) = hit else {
            continue;
        };
        let evidence = Evidence {
            source: source.clone(),
            value: value.trim().to_string(),
            shape: pattern.shape,
        };
        let index = match candidates.iter().position(|c| c.vendor == pattern.vendor) {
            Some(i) => i,
            None => {
                candidates.push(Candidate {
                    vendor: pattern.vendor,
                    score: 0,
                    strongest: 0,
                    evidence: Vec::new(),
                });
                candidates.len() - 1
            }
        };
        let c = &mut candidates[index];
        c.score += u32::from(pattern.weight);
        c.strongest = c.strongest.max(pattern.weight);
        c.evidence.push((pattern.weight, evidence));
    }
    // Highest total wins; a tie goes to the stronger single match, then to table order.
    let mut best: Option<Candidate> = None;
    for c in candidates {
        if best
            .as_ref()
            .is_none_or(|b| (c.score, c.strongest) > (b.score, b.strongest))
        {
            best = Some(c);
        }
    }
    best.map(|mut c| {
        c.evidence
            .sort_by_key(|(weight, _)| std::cmp::Reverse(*weight));
        Detection {
            vendor: c.vendor,
            evidence: c.evidence.into_iter().map(|(_, e)| e).collect(),
        }
    })
}

/// A vendor some pattern matched, with its running score.
struct Candidate {
    vendor: Vendor,
    score: u32,
    strongest: u8,
    evidence: Vec<(u8, Evidence)>,
}

/// The parts of a URL the patterns look at.
struct UrlParts<'a> {
    /// Lowercase, without user info, port or a final dot.
    host: Option<String>,
    /// Path segments, empty ones left out.
    segments: Vec<&'a str>,
}

impl<'a> UrlParts<'a> {
    fn parse(value: &'a str) -> UrlParts<'a> {
        let Some((_, rest)) = value.trim().split_once("://") else {
            return UrlParts {
                host: None,
                segments: Vec::new(),
            };
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = if host_port.starts_with('[') {
            host_port.split_inclusive(']').next().unwrap_or(host_port)
        } else {
            host_port.split(':').next().unwrap_or(host_port)
        };
        let path = tail.split(['?', '#']).next().unwrap_or("");
        UrlParts {
            host: Some(host.trim_end_matches('.').to_ascii_lowercase()),
            segments: path.split('/').filter(|s| !s.is_empty()).collect(),
        }
    }

    /// The host is `domain` or one of its subdomains.
    fn host_in(&self, domain: &str) -> bool {
        self.host.as_deref().is_some_and(|h| {
            h == domain || h.strip_suffix(domain).is_some_and(|sub| sub.ends_with('.'))
        })
    }

    /// The pattern's segments appear one after the other somewhere in the path (`*` is any one
    /// segment), so installs under a path prefix (`/auth/realms/...`) still match.
    fn path_has(&self, pattern: &str) -> bool {
        let want: Vec<&str> = pattern.split('/').collect();
        self.segments.windows(want.len()).any(|window| {
            window
                .iter()
                .zip(&want)
                .all(|(seg, w)| *w == "*" || seg.eq_ignore_ascii_case(w))
        })
    }
}

/// Which values a pattern is tried on.
#[derive(Clone, Copy)]
enum Applies {
    EntityId,
    Endpoint,
    Both,
}

impl Applies {
    fn accepts(self, source: &EvidenceSource) -> bool {
        matches!(
            (self, source),
            (Applies::Both, _)
                | (Applies::EntityId, EvidenceSource::EntityId)
                | (Applies::Endpoint, EvidenceSource::Endpoint { .. })
        )
    }
}

#[derive(Clone, Copy)]
enum Matcher {
    /// The host is this domain or a subdomain of it.
    Host(&'static str),
    /// These path segments in a row; `*` is any one segment.
    Path(&'static str),
    Both(&'static str, &'static str),
    /// The whole value (entity IDs that are not URLs, like a console's default).
    Exact(&'static str),
    /// `urn:{tenant}{suffix}`, as Auth0 names its tenants.
    UrnEndingWith(&'static str),
}

impl Matcher {
    fn matches(self, value: &str, url: &UrlParts<'_>) -> bool {
        match self {
            Matcher::Host(domain) => url.host_in(domain),
            Matcher::Path(pattern) => url.path_has(pattern),
            Matcher::Both(domain, pattern) => url.host_in(domain) && url.path_has(pattern),
            Matcher::Exact(text) => value.trim() == text,
            Matcher::UrnEndingWith(suffix) => {
                let v = value.trim().to_ascii_lowercase();
                v.len() > "urn:".len() + suffix.len()
                    && v.starts_with("urn:")
                    && v.ends_with(suffix)
            }
        }
    }
}

struct Pattern {
    vendor: Vendor,
    applies: Applies,
    matcher: Matcher,
    /// 3: a host the vendor owns; 2: a path only that product uses; 1: a hint.
    weight: u8,
    shape: &'static str,
}

const fn p(
    vendor: Vendor,
    applies: Applies,
    matcher: Matcher,
    weight: u8,
    shape: &'static str,
) -> Pattern {
    Pattern {
        vendor,
        applies,
        matcher,
        weight,
        shape,
    }
}

use Applies::{Both as Any, Endpoint as Ep, EntityId as Id};
use Matcher::{Both as HostPath, Exact, Host, Path, UrnEndingWith};

/// The published shapes of each product's metadata (a table: one pattern a line).
#[rustfmt::skip]
static PATTERNS: &[Pattern] = &[
    p(Vendor::Okta, Id, Host("okta.com"), 3, "Okta's http://www.okta.com/{app id}"),
    p(Vendor::Okta, Ep, Host("okta.com"), 3, "Okta's https://{org}.okta.com/app/..."),
    p(Vendor::Okta, Ep, Host("oktapreview.com"), 3, "Okta's https://{org}.oktapreview.com/app/..."),
    p(Vendor::Okta, Ep, Host("okta-emea.com"), 3, "Okta's https://{org}.okta-emea.com/app/..."),
    p(Vendor::Okta, Ep, Path("app/*/*/sso/saml"), 2, "Okta's /app/{app}/{id}/sso/saml"),
    p(Vendor::Entra, Id, Host("sts.windows.net"), 3, "Entra ID's https://sts.windows.net/{tenant}/"),
    p(Vendor::Entra, Ep, Host("login.microsoftonline.com"), 3, "Entra ID's https://login.microsoftonline.com/{tenant}/saml2"),
    p(Vendor::Entra, Ep, Host("login.microsoftonline.us"), 3, "Entra ID's https://login.microsoftonline.us/{tenant}/saml2"),
    p(Vendor::Entra, Ep, Host("login.partner.microsoftonline.cn"), 3, "Entra ID's https://login.partner.microsoftonline.cn/{tenant}/saml2"),
    p(Vendor::Entra, Ep, Host("login.windows.net"), 3, "Entra ID's https://login.windows.net/{tenant}/saml2"),
    p(Vendor::Google, Any, HostPath("accounts.google.com", "o/saml2"), 3, "Google's https://accounts.google.com/o/saml2?idpid={id}"),
    p(Vendor::OneLogin, Id, HostPath("onelogin.com", "saml/metadata"), 3, "OneLogin's https://app.onelogin.com/saml/metadata/{app id}"),
    p(Vendor::OneLogin, Ep, Host("onelogin.com"), 3, "OneLogin's https://{subdomain}.onelogin.com/trust/saml2/..."),
    p(Vendor::OneLogin, Ep, Path("trust/saml2/*/sso"), 2, "OneLogin's /trust/saml2/{binding}/sso/{app id}"),
    p(Vendor::Auth0, Id, UrnEndingWith(".auth0.com"), 3, "Auth0's urn:{tenant}.auth0.com"),
    p(Vendor::Auth0, Ep, Host("auth0.com"), 3, "Auth0's https://{tenant}.auth0.com/samlp/{client id}"),
    p(Vendor::Auth0, Ep, Path("samlp/*"), 2, "Auth0's /samlp/{client id}"),
    p(Vendor::JumpCloud, Any, Host("sso.jumpcloud.com"), 3, "JumpCloud's https://sso.jumpcloud.com/saml2/{app}"),
    p(Vendor::JumpCloud, Id, Exact("JumpCloud"), 2, "JumpCloud's default IdP Entity ID \"JumpCloud\""),
    p(Vendor::Authentik, Id, Path("application/saml/*/metadata"), 2, "authentik's /application/saml/{slug}/metadata/"),
    p(Vendor::Authentik, Ep, Path("application/saml/*/sso"), 2, "authentik's /application/saml/{slug}/sso/binding/..."),
    p(Vendor::Authentik, Id, Exact("authentik"), 2, "authentik's default Issuer \"authentik\""),
    p(Vendor::Keycloak, Ep, Path("realms/*/protocol/saml"), 2, "Keycloak's /realms/{realm}/protocol/saml"),
    p(Vendor::Keycloak, Id, Path("realms/*"), 1, "Keycloak's /realms/{realm}"),
    p(Vendor::Adfs, Id, Path("adfs/services/trust"), 2, "AD FS's /adfs/services/trust"),
    p(Vendor::Adfs, Ep, Path("adfs/ls"), 2, "AD FS's /adfs/ls/"),
    p(Vendor::PingFederate, Ep, Path("idp/SSO.saml2"), 2, "PingFederate's /idp/SSO.saml2"),
    p(Vendor::PingFederate, Ep, Path("idp/SLO.saml2"), 2, "PingFederate's /idp/SLO.saml2"),
    p(Vendor::PingOne, Any, Host("pingone.com"), 3, "PingOne's https://auth.pingone.com/{environment}"),
    p(Vendor::PingOne, Any, Host("pingone.eu"), 3, "PingOne's https://auth.pingone.eu/{environment}"),
    p(Vendor::PingOne, Any, Host("pingone.asia"), 3, "PingOne's https://auth.pingone.asia/{environment}"),
    p(Vendor::PingOne, Any, Host("pingone.ca"), 3, "PingOne's https://auth.pingone.ca/{environment}"),
    p(Vendor::PingOne, Ep, Path("saml20/idp/sso"), 2, "PingOne's /{environment}/saml20/idp/sso"),
    p(Vendor::Rippling, Any, Host("rippling.com"), 3, "Rippling's https://app.rippling.com/api/platform/sso/saml/..."),
    p(Vendor::Shibboleth, Id, Path("idp/shibboleth"), 2, "Shibboleth's /idp/shibboleth"),
    p(Vendor::Shibboleth, Ep, Path("idp/profile/SAML2"), 2, "Shibboleth's /idp/profile/SAML2/{binding}/SSO"),
    p(Vendor::SimpleSamlPhp, Any, Path("module.php/saml/idp"), 2, "SimpleSAMLphp 2's /module.php/saml/idp/..."),
    p(Vendor::SimpleSamlPhp, Any, Path("saml2/idp/SSOService.php"), 2, "SimpleSAMLphp 1's /saml2/idp/SSOService.php"),
    p(Vendor::SimpleSamlPhp, Any, Path("saml2/idp/metadata.php"), 2, "SimpleSAMLphp 1's /saml2/idp/metadata.php"),
    p(Vendor::SimpleSamlPhp, Any, Path("simplesaml/saml2/idp"), 2, "SimpleSAMLphp's /simplesaml/saml2/idp/"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn sso(entity_id: &str, url: &str) -> Option<Vendor> {
        detect_urls(Some(entity_id), [("SingleSignOnService", url)]).map(|d| d.vendor)
    }

    #[test]
    fn hosts_match_on_label_boundaries() {
        let u = UrlParts::parse("https://user@Acme.Okta.com.:443/app/x?y#z");
        assert!(u.host_in("okta.com"));
        assert_eq!(u.segments, ["app", "x"]);
        assert!(!UrlParts::parse("https://notokta.com/").host_in("okta.com"));
        assert!(!UrlParts::parse("https://okta.com.evil.example/").host_in("okta.com"));
        assert!(UrlParts::parse("urn:acme.auth0.com").host.is_none());
        assert!(UrlParts::parse("https://[::1]:8443/x").host_in("[::1]"));
    }

    #[test]
    fn self_hosted_products_by_path() {
        assert_eq!(
            sso(
                "https://id.acme.example/auth/realms/staff",
                "https://id.acme.example/auth/realms/staff/protocol/saml"
            ),
            Some(Vendor::Keycloak)
        );
        assert_eq!(
            sso(
                "https://idp.acme.example/simplesaml/saml2/idp/metadata.php",
                "https://idp.acme.example/simplesaml/saml2/idp/SSOService.php"
            ),
            Some(Vendor::SimpleSamlPhp)
        );
        assert_eq!(
            sso("authentik", "https://auth.acme.example/x"),
            Some(Vendor::Authentik)
        );
        assert_eq!(
            sso(
                "https://auth.pingone.eu/0b7c1f3e-2d4a-4c8e-9f61-3a5b7c9d1e2f",
                "https://auth.pingone.eu/0b7c1f3e-2d4a-4c8e-9f61-3a5b7c9d1e2f/saml20/idp/sso"
            ),
            Some(Vendor::PingOne)
        );
    }

    #[test]
    fn unknown_shapes_are_unknown() {
        assert_eq!(
            sso("https://idp.example.org/idp", "https://idp.example.org/sso"),
            None
        );
        assert_eq!(sso("urn:auth0.com", "https://sso.example.org/"), None);
        assert_eq!(detect_urls(None, []), None);
        assert_eq!(sso("", ""), None);
        assert_eq!(sso("https://", "://"), None);
    }
}
