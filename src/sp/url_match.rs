//! The URL near-miss engine: compares a value as typed into the IdP (or as sent in a message)
//! with the exact SP URL and names each difference with a machine-readable [`Hint`], a half
//! sentence, and the part as it must be. SAML compares these URLs as strings, so every
//! difference here breaks logins, even those a browser would forgive (letter case in the host,
//! an explicit default port).
//!
//! [`compare`] works on any two values (reading them with the built-in profile's URL shape);
//! [`check_url`] knows the SP profile and the templates its URLs were built from, so it finds
//! the org slug, the path prefix and the fixed parts in any shape ([`super::shape`]), and can
//! tell that a value is another of the SP's URLs pasted into the wrong field.

use std::borrow::Cow;
use std::fmt;

use super::chars::{is_invisible, strip_unseen, unseen};
use super::profile::SpProfile;
use super::shape::{self, PathSplit};
use super::slug;
use super::template::{Pattern, UrlKind, UrlTemplates};
use super::url::{default_port, percent_decode, UrlParts};
use crate::checks::catalog::{SP_ACS_MISMATCH, SP_AUDIENCE_MISMATCH, SP_SLS_MISMATCH};
use crate::checks::{Finding, Rule};

/// The kind of a difference; `id()` is the `hint` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hint {
    TrailingSlash,
    Scheme,
    Host,
    Port,
    PathPrefix,
    SlugTypo,
    Case,
    Whitespace,
    Encoding,
    QueryOrFragment,
    Swapped,
}

impl Hint {
    pub const ALL: [Hint; 11] = [
        Hint::TrailingSlash,
        Hint::Scheme,
        Hint::Host,
        Hint::Port,
        Hint::PathPrefix,
        Hint::SlugTypo,
        Hint::Case,
        Hint::Whitespace,
        Hint::Encoding,
        Hint::QueryOrFragment,
        Hint::Swapped,
    ];

    /// The stable id (`trailing-slash`, `slug-typo`...).
    pub fn id(self) -> &'static str {
        match self {
            Hint::TrailingSlash => "trailing-slash",
            Hint::Scheme => "scheme",
            Hint::Host => "host",
            Hint::Port => "port",
            Hint::PathPrefix => "path-prefix",
            Hint::SlugTypo => "slug-typo",
            Hint::Case => "case",
            Hint::Whitespace => "whitespace",
            Hint::Encoding => "encoding",
            Hint::QueryOrFragment => "query-or-fragment",
            Hint::Swapped => "swapped",
        }
    }
}

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Which SP URL a value stands for. A vendor-aware layer maps it to the console's own field
/// name ("Okta: Single sign-on URL"); [`UrlField::label`] is the neutral name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UrlField {
    /// Assertion Consumer Service URL (Single sign-on URL, Reply URL, Recipient, Destination).
    Acs,
    /// Audience URI = SP entity ID (Identifier).
    Audience,
    /// Single Logout URL.
    Sls,
}

impl UrlField {
    pub const ALL: [UrlField; 3] = [UrlField::Acs, UrlField::Audience, UrlField::Sls];

    /// The SP's value for this field (`None` for an SLS the profile does not have).
    pub fn expected(self, sp: &SpProfile) -> Option<&str> {
        match self {
            UrlField::Acs => Some(&sp.acs),
            UrlField::Audience => Some(&sp.entity_id),
            UrlField::Sls => sp.sls.as_deref(),
        }
    }

    /// The template that builds this field's value.
    pub fn kind(self) -> UrlKind {
        match self {
            UrlField::Acs => UrlKind::Acs,
            UrlField::Audience => UrlKind::EntityId,
            UrlField::Sls => UrlKind::Sls,
        }
    }

    /// The rule a mismatch in this field reports.
    pub fn rule(self) -> &'static Rule {
        match self {
            UrlField::Acs => &SP_ACS_MISMATCH,
            UrlField::Audience => &SP_AUDIENCE_MISMATCH,
            UrlField::Sls => &SP_SLS_MISMATCH,
        }
    }

    /// The field's neutral name.
    pub fn label(self) -> &'static str {
        match self {
            UrlField::Acs => "ACS URL",
            UrlField::Audience => "Audience URI (SP entity ID)",
            UrlField::Sls => "Single Logout URL",
        }
    }
}

/// One named difference.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Difference {
    pub hint: Hint,
    /// Half a sentence: "the scheme is http instead of https".
    pub detail: String,
    /// The differing part as found (escaped when it holds unseen characters).
    pub found: String,
    /// The part as it must be. For `slug-typo`, the closest valid slug.
    pub expected: String,
}

/// How a value differs from the exact one.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct NearMiss {
    pub differences: Vec<Difference>,
    /// Differences no hint covers ("the path is /x instead of /y").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unexplained: Vec<String>,
}

impl NearMiss {
    /// The hints, each once, in the order found.
    pub fn hints(&self) -> Vec<Hint> {
        let mut out: Vec<Hint> = Vec::new();
        for d in &self.differences {
            if !out.contains(&d.hint) {
                out.push(d.hint);
            }
        }
        out
    }

    /// True when named differences account for everything.
    pub fn is_explained(&self) -> bool {
        !self.differences.is_empty() && self.unexplained.is_empty()
    }

    /// Every difference, as one lowercase clause list: "the scheme is http instead of https
    /// and the trailing slash is missing".
    pub fn sentence(&self) -> String {
        let parts: Vec<&str> = self
            .differences
            .iter()
            .map(|d| d.detail.as_str())
            .chain(self.unexplained.iter().map(String::as_str))
            .collect();
        // Clauses with their own commas read better apart.
        if parts.iter().any(|p| p.contains([',', ';'])) {
            parts.join("; ")
        } else {
            and_list(&parts)
        }
    }
}

/// How `found` differs from `expected`; `None` when they are equal. Values of the built-in
/// profile's shape are taken apart by it.
pub fn compare(expected: &str, found: &str) -> Option<NearMiss> {
    (expected != found).then(|| analyse(expected, found, Shapes::builtin()))
}

/// The URL shapes a comparison knows: a profile's templates and, when known, which of them
/// built the expected value.
#[derive(Clone, Copy)]
struct Shapes<'t> {
    templates: &'t UrlTemplates,
    kind: Option<UrlKind>,
}

impl<'t> Shapes<'t> {
    /// Any value read by the built-in shape, as it fits best.
    fn builtin() -> Shapes<'static> {
        Shapes {
            templates: UrlTemplates::sentry(),
            kind: None,
        }
    }

    /// The SP's own shapes for the value of `field`. An SP named directly has none, so its
    /// values are read as any value is.
    fn of(sp: &'t SpProfile, field: UrlField) -> Shapes<'t> {
        match &sp.templates {
            Some(templates) => Shapes {
                templates,
                kind: Some(field.kind()),
            },
            None => Shapes::builtin(),
        }
    }

    /// The expected value's path taken apart, then the found one's (preferring the expected
    /// value's template when several fit equally).
    fn split_paths<'a>(
        &self,
        expected: &'a str,
        found: &'a str,
    ) -> Option<(PathSplit<'a>, PathSplit<'a>)> {
        let e = match self.kind {
            Some(kind) => shape::split_as(self.templates, kind, expected),
            None => shape::best_split(self.templates, expected, None),
        }?;
        let f = shape::best_split(self.templates, found, Some(e.kind))?;
        Some((e, f))
    }

    /// The host pattern of the expected value's template, when `{org}` is in its host.
    fn host(&self) -> Option<&'t Pattern> {
        shape::host_pattern(self.templates, self.kind?)
    }
}

/// A value that is not the SP's URL for `field`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UrlMismatch {
    pub field: UrlField,
    /// The exact value the field must hold.
    pub expected: String,
    pub found: String,
    pub hints: Vec<Hint>,
    /// One sentence for people.
    pub message: String,
    pub near_miss: NearMiss,
}

impl UrlMismatch {
    /// The rule this mismatch reports (`sp/acs-mismatch`...).
    pub fn rule(&self) -> &'static Rule {
        self.field.rule()
    }

    /// The finding, with the hints, the exact value and a fix naming it.
    pub fn finding(&self) -> Finding {
        let mut f = Finding::new(self.rule(), self.message.clone())
            .expected(&self.expected)
            .found(&self.found)
            .fix(format!(
                "Set the {} in the IdP application to {} exactly (copy and paste it).",
                self.field.label(),
                self.expected
            ));
        for h in &self.hints {
            f = f.hint(h.id());
        }
        f
    }
}

/// Compares `found` with the SP's URL for `field`. `None` when it is exact, or when the profile
/// has no value for the field (an SLS it does not know).
pub fn check_url(sp: &SpProfile, field: UrlField, found: &str) -> Option<UrlMismatch> {
    let expected = field.expected(sp)?;
    if expected == found {
        return None;
    }
    let mut near_miss = analyse(expected, found, Shapes::of(sp, field));
    if !near_miss.hints().contains(&Hint::Swapped) {
        if let Some(other) = other_sp_url(sp, field, found) {
            near_miss = NearMiss {
                differences: vec![Difference {
                    hint: Hint::Swapped,
                    detail: format!(
                        "this is the SP's {}, pasted into the {} field",
                        other.label(),
                        field.label()
                    ),
                    found: found.to_string(),
                    expected: expected.to_string(),
                }],
                unexplained: Vec::new(),
            };
        }
    }
    let sentence = near_miss.sentence();
    let message = if near_miss.is_explained() {
        format!("the {} is not exact: {sentence}", field.label())
    } else {
        format!("the {} is wrong: {sentence}", field.label())
    };
    Some(UrlMismatch {
        field,
        expected: expected.to_string(),
        found: found.to_string(),
        hints: near_miss.hints(),
        message,
        near_miss,
    })
}

/// Another field whose SP URL `found` is, up to unseen characters, trailing slashes and case.
/// Catches swaps between URLs outside the org-slug shape, which the path analysis cannot.
fn other_sp_url(sp: &SpProfile, field: UrlField, found: &str) -> Option<UrlField> {
    let key = |s: &str| strip_unseen(s).trim_end_matches('/').to_ascii_lowercase();
    let expected = field.expected(sp)?;
    let found = key(found);
    UrlField::ALL.into_iter().find(|&other| {
        other != field
            && other
                .expected(sp)
                .is_some_and(|o| key(o) == found && key(o) != key(expected))
    })
}

/// The differences, collected in the order of the URL's parts.
#[derive(Default)]
struct Analysis {
    out: NearMiss,
    /// Parts differing only in letter case, merged into one `case` difference at the end.
    case_parts: Vec<(&'static str, String, String)>,
    case_at: Option<usize>,
}

impl Analysis {
    fn push(&mut self, hint: Hint, detail: String, found: &str, expected: &str) {
        self.out.differences.push(Difference {
            hint,
            detail,
            found: found.to_string(),
            expected: expected.to_string(),
        });
    }

    fn case(&mut self, part: &'static str, found: &str, expected: &str) {
        self.case_at.get_or_insert(self.out.differences.len());
        if !self.case_parts.iter().any(|(p, ..)| *p == part) {
            self.case_parts
                .push((part, found.to_string(), expected.to_string()));
        }
    }

    fn unexplained(&mut self, detail: String) {
        self.out.unexplained.push(detail);
    }

    fn finish(mut self) -> NearMiss {
        if let Some(at) = self.case_at {
            let parts: Vec<&str> = self.case_parts.iter().map(|(p, ..)| *p).collect();
            let found: Vec<&str> = self.case_parts.iter().map(|c| c.1.as_str()).collect();
            let expected: Vec<&str> = self.case_parts.iter().map(|c| c.2.as_str()).collect();
            let difference = Difference {
                hint: Hint::Case,
                detail: format!(
                    "the letter case differs in the {}; SAML compares URLs exactly",
                    and_list(&parts)
                ),
                found: found.join(" "),
                expected: expected.join(" "),
            };
            self.out.differences.insert(at, difference);
        }
        self.out
    }
}

fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn analyse(expected: &str, found: &str, shapes: Shapes<'_>) -> NearMiss {
    let mut a = Analysis::default();
    let mut value: Cow<str> = Cow::Borrowed(found);
    if expected.chars().all(|c| unseen(c).is_none()) && found.chars().any(|c| unseen(c).is_some()) {
        whitespace(&mut a, found);
        value = Cow::Owned(strip_unseen(found));
    }
    if value.is_empty() {
        a.unexplained("the value is empty".into());
        return a.finish();
    }
    // A whole URL copied out of a query parameter (`?RelayState=https%3A%2F%2F...`).
    if !value.contains("://") && value.to_ascii_lowercase().contains("%3a%2f%2f") {
        let decoded = percent_decode(&value);
        if decoded.contains("://") {
            a.push(
                Hint::Encoding,
                "the whole value is percent-encoded (copied from a URL parameter?)".into(),
                &value,
                &decoded,
            );
            value = Cow::Owned(decoded);
        }
    }
    if value == expected {
        return a.finish();
    }
    let Some(e) = UrlParts::split(expected) else {
        plain(&mut a, expected, &value);
        return a.finish();
    };
    let with_scheme;
    let f = match UrlParts::split(&value) {
        Some(f) => f,
        None if !value.contains("://") => {
            with_scheme = format!("{}://{value}", e.scheme);
            let Some(f) = UrlParts::split(&with_scheme) else {
                plain(&mut a, expected, &value);
                return a.finish();
            };
            a.push(
                Hint::Scheme,
                format!("the scheme {}:// is missing", e.scheme),
                "",
                e.scheme,
            );
            f
        }
        None => {
            plain(&mut a, expected, &value);
            return a.finish();
        }
    };
    scheme(&mut a, &e, &f);
    authority(&mut a, &e, &f, shapes.host());
    path(&mut a, e.path, f.path, shapes);
    query_and_fragment(&mut a, &e, &f);
    a.finish()
}

fn whitespace(a: &mut Analysis, found: &str) {
    let mut names: Vec<&str> = Vec::new();
    for name in found.chars().filter_map(unseen) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let core = found.trim_matches(|c| unseen(c).is_some());
    let inside = core.chars().any(|c| unseen(c).is_some());
    let at_ends = core.len() != found.len();
    let invisible = found.chars().any(is_invisible);
    let only_ascii = found
        .chars()
        .filter(|&c| unseen(c).is_some())
        .all(|c| c.is_ascii_whitespace());
    let detail = if at_ends && !inside && only_ascii {
        "the value has leading or trailing whitespace".to_string()
    } else {
        let place = match (at_ends, inside) {
            (true, true) => "at its ends and inside",
            (true, false) => "at its start or end",
            _ => "inside",
        };
        let shown = if invisible {
            " (invisible in the console)"
        } else {
            ""
        };
        format!("the value contains {}{shown} {place}", and_list(&names))
    };
    let escaped: String = found.escape_debug().collect();
    a.push(Hint::Whitespace, detail, &escaped, &strip_unseen(found));
}

/// Values that are not URLs (a URN entity ID): only slash, case and equality can be told.
fn plain(a: &mut Analysis, expected: &str, found: &str) {
    let (e, f) = (expected.trim_end_matches('/'), found.trim_end_matches('/'));
    if e != f && !e.eq_ignore_ascii_case(f) {
        a.unexplained(format!("the value is {found} instead of {expected}"));
        return;
    }
    if e != f {
        a.case("value", f, e);
    }
    trailing_slashes(a, expected, found);
}

fn scheme(a: &mut Analysis, e: &UrlParts<'_>, f: &UrlParts<'_>) {
    if e.scheme == f.scheme {
    } else if e.scheme.eq_ignore_ascii_case(f.scheme) {
        a.case("scheme", f.scheme, e.scheme);
    } else {
        a.push(
            Hint::Scheme,
            format!("the scheme is {} instead of {}", f.scheme, e.scheme),
            f.scheme,
            e.scheme,
        );
    }
}

/// `org_host`: the expected template puts `{org}` in the host, so a host differing only
/// there is a slug typo.
fn authority(a: &mut Analysis, e: &UrlParts<'_>, f: &UrlParts<'_>, org_host: Option<&Pattern>) {
    let split = |p| Some((shape::split_host(p, e.host)?, shape::split_host(p, f.host)?));
    if e.host == f.host {
    } else if let Some((eh, fh)) = org_host.and_then(split) {
        for (found, expected) in [(fh.before, eh.before), (fh.after, eh.after)] {
            // Parts that differ otherwise are the dot of a missing slug.
            if found != expected && found.eq_ignore_ascii_case(expected) {
                a.case("host", found, expected);
            }
        }
        org_slug(a, eh.slug, fh.slug);
    } else if e.host.eq_ignore_ascii_case(f.host) {
        a.case("host", f.host, e.host);
    } else {
        a.push(
            Hint::Host,
            format!("the host is {} instead of {}", f.host, e.host),
            f.host,
            e.host,
        );
    }
    if e.port == f.port {
        return;
    }
    let shown = |p: Option<&str>| p.map_or(String::new(), |p| format!(":{p}"));
    let (fp, ep) = (shown(f.port), shown(e.port));
    // Judged with the expected scheme, so http-vs-https alone is not also a port difference.
    let f_effective = f.port.filter(|p| !p.is_empty()).or(default_port(e.scheme));
    let detail = if f.port == Some("") {
        "there is a stray ':' after the host".to_string()
    } else if f_effective == e.effective_port() {
        match f.port {
            Some(p) => format!(
                "the default port :{p} is written out; SAML compares the text, so leave it out"
            ),
            None => format!("the port {ep} is missing"),
        }
    } else {
        match (f.port, e.port) {
            (Some(_), Some(_)) => format!("the port is {fp} instead of {ep}"),
            (Some(_), None) => format!("the value has port {fp}, which the SP URL does not have"),
            _ => format!("the port {ep} is missing"),
        }
    };
    a.push(Hint::Port, detail, &fp, &ep);
}

fn path(a: &mut Analysis, expected: &str, found: &str, shapes: Shapes<'_>) {
    if expected == found {
        return;
    }
    let (ed, fd) = (percent_decode(expected), percent_decode(found));
    let (e_enc, f_enc) = (ed != expected, fd != found);
    let encoding = if f_enc && !e_enc {
        Some("the path is percent-encoded where the SP URL is not")
    } else if e_enc && !f_enc && ed == fd {
        Some("the path is not percent-encoded as the SP URL is")
    } else if e_enc && f_enc && ed == fd {
        Some("the percent-encoding of the path differs")
    } else {
        None
    };
    let (expected, found) = match encoding {
        Some(detail) => {
            a.push(Hint::Encoding, detail.into(), found, expected);
            (ed.as_str(), fd.as_str())
        }
        None => (expected, found),
    };
    match shapes.split_paths(expected, found) {
        Some((e, f)) => shaped_path(a, &e, &f),
        None => plain_path(a, expected, found),
    }
}

/// Both paths fit a template of the profile: compare part by part.
fn shaped_path(a: &mut Analysis, e: &PathSplit<'_>, f: &PathSplit<'_>) {
    if e.prefix == f.prefix {
    } else if e.prefix.eq_ignore_ascii_case(f.prefix) {
        a.case("path", f.prefix, e.prefix);
    } else {
        let detail = if f.prefix.is_empty() {
            format!("the path prefix {} of the install is missing", e.prefix)
        } else if e.prefix.is_empty() {
            format!("the path has an extra prefix {}", f.prefix)
        } else {
            format!("the path prefix is {} instead of {}", f.prefix, e.prefix)
        };
        a.push(Hint::PathPrefix, detail, f.prefix, e.prefix);
    }
    if e.kind == f.kind {
        for (found, expected) in [(f.before, e.before), (f.after, e.after)] {
            // Parts that differ otherwise are the slash of a missing slug.
            if found != expected && found.eq_ignore_ascii_case(expected) {
                a.case("path", found, expected);
            }
        }
    } else {
        let (found, expected) = (fixed_parts(f), fixed_parts(e));
        let (found, expected) = differing_middle(&found, &expected);
        a.push(
            Hint::Swapped,
            format!(
                "this is the SP's {}, pasted into the wrong field",
                f.kind.label()
            ),
            found,
            expected,
        );
    }
    if let (Some(expected), Some(found)) = (e.slug, f.slug) {
        org_slug(a, expected, found);
    }
    trailing_slashes(a, e.slashes, f.slashes);
}

/// The template's fixed path as written in the value, the slug shown as `{org}`.
fn fixed_parts(s: &PathSplit<'_>) -> String {
    let org = if s.slug.is_some() { "{org}" } else { "" };
    format!("{}{org}{}", s.before, s.after)
}

/// `a` and `b` without the start and end they share: `metadata` and `acs` for
/// `/saml/metadata/{org}` and `/saml/acs/{org}`.
fn differing_middle<'s>(a: &'s str, b: &'s str) -> (&'s str, &'s str) {
    let shared = |x: &mut dyn Iterator<Item = (char, char)>| -> usize {
        x.take_while(|(p, q)| p == q)
            .map(|(p, _)| p.len_utf8())
            .sum()
    };
    let start = shared(&mut a.chars().zip(b.chars()));
    let (a, b) = (&a[start..], &b[start..]);
    let end = shared(&mut a.chars().rev().zip(b.chars().rev()));
    (&a[..a.len() - end], &b[..b.len() - end])
}

fn org_slug(a: &mut Analysis, expected: &str, found: &str) {
    if expected == found {
    } else if expected.eq_ignore_ascii_case(found) {
        a.case("org slug", found, expected);
    } else {
        a.push(
            Hint::SlugTypo,
            slug_detail(expected, found),
            found,
            expected,
        );
    }
}

fn slug_detail(expected: &str, found: &str) -> String {
    if found.is_empty() {
        return format!("the org slug is missing; it must be {expected}");
    }
    let near = (expected.chars().count() / 3).max(1);
    // Lengths far apart bound the distance from below; skip the quadratic table for them.
    let gap = found.chars().count().abs_diff(expected.chars().count());
    let distance = if gap > near {
        gap
    } else {
        edit_distance(&found.to_ascii_lowercase(), expected)
    };
    if slug::validate(found).is_err() {
        format!("the org slug is {found}, which is not a valid slug; it must be {expected}")
    } else if distance <= near {
        let edits = if distance == 1 { "edit" } else { "edits" };
        format!("the org slug is {found} instead of {expected} ({distance} {edits} away)")
    } else {
        format!("the URL is for the org {found}, not {expected}")
    }
}

/// Paths of any other shape: trailing slashes, case, and a prefix present on one side only.
fn plain_path(a: &mut Analysis, expected: &str, found: &str) {
    let (e, f) = (expected.trim_end_matches('/'), found.trim_end_matches('/'));
    if e == f {
    } else if e.eq_ignore_ascii_case(f) {
        a.case("path", f, e);
    } else if let Some(prefix) = missing_prefix(e, f) {
        a.push(
            Hint::PathPrefix,
            format!("the path prefix {prefix} is missing"),
            "",
            prefix,
        );
    } else if let Some(prefix) = missing_prefix(f, e) {
        a.push(
            Hint::PathPrefix,
            format!("the path has an extra prefix {prefix}"),
            prefix,
            "",
        );
    } else {
        let shown = |p: &str| if p.is_empty() { "empty" } else { p }.to_string();
        a.unexplained(format!(
            "the path is {} instead of {}",
            shown(found),
            shown(expected)
        ));
        return;
    }
    trailing_slashes(a, expected, found);
}

/// The leading segments `long` has and `short` lacks, when `short` is the rest of `long`.
fn missing_prefix<'a>(long: &'a str, short: &str) -> Option<&'a str> {
    let prefix = long.strip_suffix(short)?;
    (short.starts_with('/') && prefix.starts_with('/') && !short.is_empty()).then_some(prefix)
}

fn trailing_slashes(a: &mut Analysis, expected: &str, found: &str) {
    let count = |s: &str| s.len() - s.trim_end_matches('/').len();
    let (e, f) = (count(expected), count(found));
    let detail = match (e, f) {
        _ if e == f => return,
        (1, 0) => "the trailing slash is missing".to_string(),
        (0, 1) => "there is an extra trailing slash".to_string(),
        (0, n) => format!("there are {n} extra trailing slashes"),
        (1, n) => format!("there are {n} trailing slashes instead of one"),
        (n, m) => format!("there are {m} trailing slashes instead of {n}"),
    };
    a.push(Hint::TrailingSlash, detail, &"/".repeat(f), &"/".repeat(e));
}

fn query_and_fragment(a: &mut Analysis, e: &UrlParts<'_>, f: &UrlParts<'_>) {
    for (what, mark, e_part, f_part) in [
        ("query string", '?', e.query, f.query),
        ("fragment", '#', e.fragment, f.fragment),
    ] {
        if f_part == e_part {
            continue;
        }
        let detail = match (f_part, e_part) {
            (Some(""), None) => format!("there is a stray '{mark}' at the end"),
            (Some(x), None) => {
                format!("the value has a {what} {mark}{x}, which the SP URL does not have")
            }
            (None, Some(x)) => format!("the {what} {mark}{x} is missing"),
            (Some(x), Some(y)) => format!("the {what} is {mark}{x} instead of {mark}{y}"),
            (None, None) => continue,
        };
        let shown = |p: Option<&str>| p.map_or(String::new(), |p| format!("{mark}{p}"));
        a.push(
            Hint::QueryOrFragment,
            detail,
            &shown(f_part),
            &shown(e_part),
        );
    }
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbours, the usual typing mistakes. Quadratic: callers bound the lengths.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests;
