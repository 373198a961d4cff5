//! URL-shape profiles: the SP's URLs written as templates with `{base}` (the SaaS or self-hosted
//! base URL) and `{org}` (the org slug). `sentry` is built in:
//!
//! | key         | template                       |
//! |-------------|--------------------------------|
//! | `entity_id` | `{base}/saml/metadata/{org}/`  |
//! | `acs`       | `{base}/saml/acs/{org}/`       |
//! | `sls`       | `{base}/saml/sls/{org}/`       |
//! | `login`     | `{base}/saml/login/{org}/`     |
//!
//! Other SaaS shapes come from `[profiles.NAME]` in samlcheck.toml ([`crate::config`]). A
//! template either opens with `{base}` followed by the path, or is an absolute http(s) URL of
//! its own (`https://{org}.app.example/saml/acs`, for SaaS that give each org a subdomain); an
//! entity ID may also be a URN (`urn:app:{org}`). `{org}` may appear once, in the host or the
//! path; a URL without it is the same for every org. At least one URL of a profile uses `{org}`.
//!
//! [`crate::sp::shape`] matches values against these templates for the near-miss engine.
//!
//! ```
//! use samlcheck::sp::template::{Template, UrlKind, UrlTemplates};
//!
//! let t = UrlTemplates::new(
//!     "acme-saas",
//!     Template::parse("{base}/auth/saml/{org}/metadata.xml", UrlKind::EntityId)?,
//!     Template::parse("{base}/sso/{org}/saml2/acs", UrlKind::Acs)?,
//!     None,
//!     None,
//! )?;
//! let sp = t.render("https://app.example", "acme");
//! assert_eq!(sp.acs, "https://app.example/sso/acme/saml2/acs");
//! assert!(Template::parse("{base}/sso/{tenant}/acs", UrlKind::Acs).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::sync::{Arc, LazyLock};

use super::chars::unseen;
use super::profile::{ProfileError, SpProfile};
use super::slug;
use super::url::UrlParts;

/// The name of the built-in profile.
pub const BUILTIN: &str = "sentry";

/// The built-in profile's templates: entity ID, ACS, SLS, login.
pub const SENTRY_TEMPLATES: [&str; 4] = [
    "{base}/saml/metadata/{org}/",
    "{base}/saml/acs/{org}/",
    "{base}/saml/sls/{org}/",
    "{base}/saml/login/{org}/",
];

const BASE: &str = "{base}";
const ORG: &str = "{org}";
/// Stands in for the base URL when a template is taken apart: any authority without a path.
const SAMPLE_BASE: &str = "https://base.invalid";

/// Which of the SP's URLs a template describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UrlKind {
    EntityId,
    Acs,
    Sls,
    Login,
}

impl UrlKind {
    pub const ALL: [UrlKind; 4] = [
        UrlKind::EntityId,
        UrlKind::Acs,
        UrlKind::Sls,
        UrlKind::Login,
    ];

    /// The key in `[profiles.NAME]`.
    pub fn key(self) -> &'static str {
        match self {
            UrlKind::EntityId => "entity_id",
            UrlKind::Acs => "acs",
            UrlKind::Sls => "sls",
            UrlKind::Login => "login",
        }
    }

    /// What the URL is, for people ("this is the SP's ACS URL, pasted into the wrong field").
    pub fn label(self) -> &'static str {
        match self {
            UrlKind::EntityId => "metadata (entity ID) URL",
            UrlKind::Acs => "ACS URL",
            UrlKind::Sls => "SLS (single logout) URL",
            UrlKind::Login => "login URL",
        }
    }
}

/// Why a template string cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("the template is empty")]
    Empty,
    #[error("it contains {0}; a URL cannot")]
    Unseen(&'static str),
    #[error("{{{name}}} is not a placeholder; the placeholders are {{base}} and {{org}}")]
    UnknownPlaceholder { name: String },
    #[error("the {brace:?} at byte {at} does not belong to a placeholder ({{base}} or {{org}})")]
    StrayBrace { brace: char, at: usize },
    #[error("{{base}} must open the template, as in {{base}}/saml/acs/{{org}}/")]
    BaseNotFirst,
    #[error("after {{base}} comes the path, starting with / (found {found:?})")]
    AfterBase { found: String },
    #[error("{{org}} appears more than once; it may appear once")]
    OrgTwice,
    #[error("without {{base}} the template must be an absolute http(s) URL such as https://{{org}}.app.example/saml/acs{urn}")]
    NotAbsolute { urn: &'static str },
    #[error("{{org}} must be in the host or the path, not in the {part}")]
    OrgPlacement { part: &'static str },
    #[error("{{org}} in the host must sit among host-name characters (letters, digits, '-' and '.'), as in https://{{org}}.app.example/")]
    OrgHost,
}

/// Why a set of templates cannot be a profile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplatesError {
    #[error("{}: {source}", kind.key())]
    Template {
        kind: UrlKind,
        #[source]
        source: TemplateError,
    },
    #[error("no URL uses {{org}}, so every org would get the same SP; name such an SP with --sp-entity-id and --sp-acs instead")]
    NoOrg,
}

/// The fixed text around `{org}` in one part of a URL (the host or the path); the whole part
/// when `{org}` is elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub before: String,
    /// `None` when `{org}` is not in this part.
    pub after: Option<String>,
}

impl Pattern {
    fn of(part: &str) -> Pattern {
        match part.split_once(ORG) {
            Some((before, after)) => Pattern {
                before: before.to_string(),
                after: Some(after.to_string()),
            },
            None => Pattern {
                before: part.to_string(),
                after: None,
            },
        }
    }

    pub fn has_org(&self) -> bool {
        self.after.is_some()
    }
}

/// Where the parts of a URL built from a template sit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// An http(s) URL. With `{base}`, the path pattern is what follows the base's own path,
    /// and the host is the base's.
    Url {
        /// `Some` when `{org}` is in the host (a subdomain per org).
        host: Option<Pattern>,
        path: Pattern,
    },
    /// A URN entity ID: compared as a whole.
    Opaque,
}

/// One URL template, checked when read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    text: String,
    base: bool,
    org: bool,
    layout: Layout,
}

impl Template {
    /// Checks `text` as the template of `kind` (only an entity ID may be a URN).
    pub fn parse(text: &str, kind: UrlKind) -> Result<Template, TemplateError> {
        if text.is_empty() {
            return Err(TemplateError::Empty);
        }
        if let Some(name) = text.chars().find_map(unseen) {
            return Err(TemplateError::Unseen(name));
        }
        let (base, org) = placeholders(text)?;
        let layout = if base {
            let path = &text[BASE.len()..];
            if !(path.is_empty() || path.starts_with('/')) {
                return Err(TemplateError::AfterBase {
                    found: path.to_string(),
                });
            }
            url_layout(&format!("{SAMPLE_BASE}{path}"), false)?
        } else if kind == UrlKind::EntityId
            && text
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("urn:"))
        {
            Layout::Opaque
        } else {
            let urn = if kind == UrlKind::EntityId {
                " (or, for an entity ID, a URN)"
            } else {
                ""
            };
            url_layout(text, true).map_err(|e| match e {
                TemplateError::NotAbsolute { .. } => TemplateError::NotAbsolute { urn },
                e => e,
            })?
        };
        Ok(Template {
            text: text.to_string(),
            base,
            org,
            layout,
        })
    }

    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when the template opens with `{base}`.
    pub fn uses_base(&self) -> bool {
        self.base
    }

    /// True when the template has `{org}`.
    pub fn uses_org(&self) -> bool {
        self.org
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The URL for `base` and `org`, inserted as given (a trailing slash on `base` is dropped,
    /// as `{base}` is followed by the path's own slash).
    pub fn render(&self, base: &str, org: &str) -> String {
        let mut out = String::new();
        let rest = if self.base {
            out.push_str(base.trim().trim_end_matches('/'));
            &self.text[BASE.len()..]
        } else {
            &self.text
        };
        out.push_str(&rest.replacen(ORG, org, 1));
        out
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Finds the placeholders: whether `{base}` opens the text and whether `{org}` is in it.
fn placeholders(text: &str) -> Result<(bool, bool), TemplateError> {
    let (mut base, mut org) = (false, false);
    let mut rest = text;
    while let Some(at) = rest.find(['{', '}']) {
        let offset = text.len() - rest.len() + at;
        let stray = |brace| TemplateError::StrayBrace { brace, at: offset };
        if rest[at..].starts_with('}') {
            return Err(stray('}'));
        }
        let inner = &rest[at + 1..];
        let Some(close) = inner.find('}') else {
            return Err(stray('{'));
        };
        let name = &inner[..close];
        if name.contains('{') {
            return Err(stray('{'));
        }
        match name {
            "base" if offset == 0 => base = true,
            "base" => return Err(TemplateError::BaseNotFirst),
            "org" if org => return Err(TemplateError::OrgTwice),
            "org" => org = true,
            _ => {
                return Err(TemplateError::UnknownPlaceholder {
                    name: name.to_string(),
                })
            }
        }
        rest = &inner[close + 1..];
    }
    Ok((base, org))
}

/// Takes an http(s) URL with at most one `{org}` apart. `own_host`: the host is the
/// template's (not the base's), so `{org}` may sit in it.
fn url_layout(url: &str, own_host: bool) -> Result<Layout, TemplateError> {
    let not_absolute = TemplateError::NotAbsolute { urn: "" };
    let parts = UrlParts::split(url).ok_or(not_absolute.clone())?;
    if !["http", "https"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(parts.scheme))
        || parts.host.is_empty()
    {
        return Err(not_absolute);
    }
    for (part, text) in [("query string", parts.query), ("fragment", parts.fragment)] {
        if text.is_some_and(|t| t.contains(ORG)) {
            return Err(TemplateError::OrgPlacement { part });
        }
    }
    let host = Pattern::of(parts.host);
    let host = match &host.after {
        Some(after) if own_host => {
            let dns = |s: &str| {
                s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
            };
            if !dns(&host.before) || !dns(after) {
                return Err(TemplateError::OrgHost);
            }
            Some(host)
        }
        _ => None,
    };
    Ok(Layout::Url {
        host,
        path: Pattern::of(parts.path),
    })
}

/// A URL-shape profile: the templates of the SP's URLs, under a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlTemplates {
    pub name: String,
    pub entity_id: Template,
    pub acs: Template,
    pub sls: Option<Template>,
    pub login: Option<Template>,
}

static SENTRY: LazyLock<UrlTemplates> = LazyLock::new(|| {
    let [entity_id, acs, sls, login] = SENTRY_TEMPLATES;
    let parse = |text, kind| {
        // The built-in strings are constants that the tests parse.
        Template::parse(text, kind).unwrap_or_else(|e| unreachable!("built-in template: {e}"))
    };
    UrlTemplates {
        name: BUILTIN.to_string(),
        entity_id: parse(entity_id, UrlKind::EntityId),
        acs: parse(acs, UrlKind::Acs),
        sls: Some(parse(sls, UrlKind::Sls)),
        login: Some(parse(login, UrlKind::Login)),
    }
});

impl UrlTemplates {
    /// A profile of parsed templates; at least one must use `{org}`.
    pub fn new(
        name: impl Into<String>,
        entity_id: Template,
        acs: Template,
        sls: Option<Template>,
        login: Option<Template>,
    ) -> Result<UrlTemplates, TemplatesError> {
        let t = UrlTemplates {
            name: name.into(),
            entity_id,
            acs,
            sls,
            login,
        };
        for (kind, template) in t.iter() {
            // Templates parsed for another kind: only an entity ID may be a URN.
            if kind != UrlKind::EntityId && template.layout == Layout::Opaque {
                return Err(TemplatesError::Template {
                    kind,
                    source: TemplateError::NotAbsolute { urn: "" },
                });
            }
        }
        if !t.iter().any(|(_, template)| template.org) {
            return Err(TemplatesError::NoOrg);
        }
        Ok(t)
    }

    /// The built-in `sentry` profile.
    pub fn sentry() -> &'static UrlTemplates {
        &SENTRY
    }

    /// The template of `kind`, when the profile has one.
    pub fn get(&self, kind: UrlKind) -> Option<&Template> {
        match kind {
            UrlKind::EntityId => Some(&self.entity_id),
            UrlKind::Acs => Some(&self.acs),
            UrlKind::Sls => self.sls.as_ref(),
            UrlKind::Login => self.login.as_ref(),
        }
    }

    /// Each template the profile has, in [`UrlKind::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (UrlKind, &Template)> {
        UrlKind::ALL
            .into_iter()
            .filter_map(|kind| self.get(kind).map(|t| (kind, t)))
    }

    /// True when some URL is built from the base URL (else `--base-url` means nothing).
    pub fn uses_base(&self) -> bool {
        self.iter().any(|(_, t)| t.base)
    }

    /// The SP's URLs for `base` and `org`, unchecked (see [`UrlTemplates::render_valid`]).
    pub fn render(&self, base: &str, org: &str) -> SpProfile {
        let url = |t: &Template| t.render(base, org);
        SpProfile {
            entity_id: url(&self.entity_id),
            acs: url(&self.acs),
            sls: self.sls.as_ref().map(url),
            login: self.login.as_ref().map(url),
            org: Some(org.to_string()),
            templates: Some(Arc::new(self.clone())),
        }
    }

    /// [`UrlTemplates::render`] after checking the slug (`sp/org-slug-invalid`) and, when a
    /// template uses it, the base URL.
    pub fn render_valid(&self, base: &str, org: &str) -> Result<SpProfile, ProfileError> {
        if self.uses_base() {
            self.check_base_url(base)
                .map_err(|why| ProfileError::BaseUrl {
                    url: base.to_string(),
                    why,
                })?;
        }
        slug::validate(org)?;
        Ok(self.render(base, org))
    }

    /// Why `base` is not a usable base URL for this profile (`https://sentry.io`,
    /// `https://sentry.company/prefix`); one of the SP's own URLs is refused with the base it
    /// holds.
    pub fn check_base_url(&self, base: &str) -> Result<(), String> {
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
            return Err(
                "it has a query string or fragment; give only scheme, host and path".into(),
            );
        }
        if let Some(split) = super::shape::base_part(self, url.path) {
            let base = &base[..base.len() - url.path.len() + split.prefix.len()];
            return Err(format!(
                "it is one of the SP's own URLs (its {}), not the base; the base here is {base}",
                split.kind.label()
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Template, TemplateError> {
        Template::parse(text, UrlKind::Acs)
    }

    #[test]
    fn the_builtin_profile_is_sentry() {
        let t = UrlTemplates::sentry();
        assert_eq!(t.name, "sentry");
        assert_eq!(t.iter().count(), 4);
        let sp = t.render("https://sentry.company/prefix/", "ops");
        assert_eq!(
            sp.entity_id,
            "https://sentry.company/prefix/saml/metadata/ops/"
        );
        assert_eq!(sp.acs, "https://sentry.company/prefix/saml/acs/ops/");
        assert_eq!(
            sp.sls.as_deref(),
            Some("https://sentry.company/prefix/saml/sls/ops/")
        );
        assert_eq!(
            sp.login.as_deref(),
            Some("https://sentry.company/prefix/saml/login/ops/")
        );
        assert_eq!(sp.org.as_deref(), Some("ops"));
    }

    #[test]
    fn renders_each_shape() {
        for (template, url) in [
            (
                "{base}/sso/{org}/saml2/acs",
                "https://app.example/eu/sso/acme/saml2/acs",
            ),
            (
                "{base}/auth/saml/{org}/metadata.xml",
                "https://app.example/eu/auth/saml/acme/metadata.xml",
            ),
            (
                "https://{org}.app.example/saml/acs",
                "https://acme.app.example/saml/acs",
            ),
            (
                "https://sso-{org}.app.example/",
                "https://sso-acme.app.example/",
            ),
            (
                "https://app.example/acs?tenant=x",
                "https://app.example/acs?tenant=x",
            ),
            ("{base}", "https://app.example/eu"),
        ] {
            assert_eq!(
                parse(template)
                    .unwrap()
                    .render("https://app.example/eu/", "acme"),
                url
            );
        }
        let urn = Template::parse("urn:app:{org}", UrlKind::EntityId).unwrap();
        assert_eq!(urn.render("https://x", "acme"), "urn:app:acme");
        assert_eq!(urn.layout(), &Layout::Opaque);
        // The slug is inserted once, and a placeholder-like org is not expanded again.
        assert_eq!(
            parse("{base}/{org}/").unwrap().render("https://a", "{org}"),
            "https://a/{org}/"
        );
    }

    #[test]
    fn lays_out_where_org_sits() {
        let Layout::Url { host, path } = parse("{base}/sso/{org}/saml2/acs")
            .unwrap()
            .layout()
            .clone()
        else {
            panic!("not a URL layout");
        };
        assert_eq!(host, None);
        assert_eq!(
            (path.before.as_str(), path.after.as_deref()),
            ("/sso/", Some("/saml2/acs"))
        );
        let Layout::Url { host, path } = parse("https://{org}.app.example/saml/acs")
            .unwrap()
            .layout()
            .clone()
        else {
            panic!("not a URL layout");
        };
        let host = host.unwrap();
        assert_eq!(
            (host.before.as_str(), host.after.as_deref()),
            ("", Some(".app.example"))
        );
        assert_eq!((path.before.as_str(), path.after), ("/saml/acs", None));
    }

    #[test]
    fn refuses_bad_templates_with_the_reason() {
        for (template, why) in [
            ("", "empty"),
            ("{base}/saml/acs/{org} ", "contains a space"),
            (
                "{base}/sso/{tenant}/acs",
                "{tenant} is not a placeholder; the placeholders are {base} and {org}",
            ),
            ("{base}/sso/{org/acs", "'{' at byte 11"),
            ("{base}/sso/org}/acs", "'}' at byte 14"),
            ("{base}/sso/{{org}}/acs", "'{' at byte 11"),
            (
                "https://app.example/{base}/acs",
                "{base} must open the template",
            ),
            ("{base}{base}/acs", "{base} must open the template"),
            (
                "{base}saml/acs",
                "after {base} comes the path, starting with / (found \"saml/acs\")",
            ),
            ("{base}/{org}/{org}", "more than once"),
            ("app.example/saml/{org}", "absolute http(s) URL"),
            ("ftp://app.example/{org}", "absolute http(s) URL"),
            (
                "urn:app:{org}",
                "absolute http(s) URL such as https://{org}.app.example/saml/acs",
            ),
            (
                "https://app.example/acs?tenant={org}",
                "not in the query string",
            ),
            ("https://app.example/acs#{org}", "not in the fragment"),
            ("https://user:{org}@app.example/acs", "host-name characters"),
        ] {
            let e = parse(template).unwrap_err().to_string();
            assert!(e.contains(why), "{template}: {e}");
        }
        let e = Template::parse("app:{org}", UrlKind::EntityId)
            .unwrap_err()
            .to_string();
        assert!(e.ends_with("(or, for an entity ID, a URN)"), "{e}");
    }

    #[test]
    fn a_profile_needs_org_somewhere() {
        let fixed = |kind| Template::parse("https://app.example/saml", kind).unwrap();
        assert_eq!(
            UrlTemplates::new(
                "x",
                fixed(UrlKind::EntityId),
                fixed(UrlKind::Acs),
                None,
                None
            ),
            Err(TemplatesError::NoOrg)
        );
        let per_org = parse("https://{org}.app.example/saml/acs").unwrap();
        let t =
            UrlTemplates::new("x", fixed(UrlKind::EntityId), per_org.clone(), None, None).unwrap();
        assert!(!t.uses_base());
        // A URN parsed as an entity ID cannot stand for the ACS.
        let urn = Template::parse("urn:app:{org}", UrlKind::EntityId).unwrap();
        let e = UrlTemplates::new("x", urn.clone(), urn, None, None).unwrap_err();
        assert!(e.to_string().starts_with("acs: "), "{e}");
    }

    #[test]
    fn checks_the_base_and_the_slug() {
        let t = UrlTemplates::new(
            "x",
            parse("{base}/auth/saml/{org}/metadata.xml").unwrap(),
            parse("{base}/sso/{org}/saml2/acs").unwrap(),
            None,
            None,
        )
        .unwrap();
        assert!(t.render_valid("https://app.example/eu", "acme").is_ok());
        assert!(matches!(
            t.render_valid("https://app.example", "Acme Corp"),
            Err(ProfileError::Slug(_))
        ));
        let e = t
            .check_base_url("https://app.example/eu/sso/acme/saml2/acs")
            .unwrap_err();
        assert!(e.contains("its ACS URL"), "{e}");
        assert!(
            e.ends_with("the base here is https://app.example/eu"),
            "{e}"
        );
        // Without {base} in any template the base URL is not looked at.
        let sub = UrlTemplates::new(
            "sub",
            Template::parse("https://app.example/saml/metadata", UrlKind::EntityId).unwrap(),
            parse("https://{org}.app.example/saml/acs").unwrap(),
            None,
            None,
        )
        .unwrap();
        assert!(sub.render_valid("not a url", "acme").is_ok());
    }
}
