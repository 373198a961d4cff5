//! Taking a URL apart by a profile's templates ([`crate::sp::template`]): where the org slug
//! sits, what the fixed parts around it are, what precedes them (a self-hosted install's path
//! prefix) and the trailing slashes. The near-miss engine compares the parts of the expected
//! and the found value one by one, so a slug typo, a path prefix, a swapped field or a trailing
//! slash is named for any SaaS's URL shape, not only the built-in `/saml/{kind}/{org}/`.
//!
//! Matching is lenient where near misses differ: letter case in the fixed parts, any slug
//! (even an empty one), any prefix, any number of trailing slashes.

use super::template::{Layout, Pattern, UrlKind, UrlTemplates};

/// A URL path taken apart by one template's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathSplit<'a> {
    /// The URL the template describes.
    pub kind: UrlKind,
    /// What precedes the template's own path: a self-hosted install's path prefix, empty at
    /// the root.
    pub prefix: &'a str,
    /// The fixed text before `{org}` (all of it when `{org}` is not in the path), as written.
    pub before: &'a str,
    /// The org slug as written (possibly empty); `None` when `{org}` is not in the path.
    pub slug: Option<&'a str>,
    /// The fixed text after `{org}`, as written, without the trailing slashes.
    pub after: &'a str,
    /// The trailing slashes, as written.
    pub slashes: &'a str,
    /// How much fixed text matched: the longest match is the likeliest reading.
    fixed: usize,
}

/// A host taken apart by a template that puts `{org}` in the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostSplit<'a> {
    pub before: &'a str,
    /// The org slug as written (possibly empty).
    pub slug: &'a str,
    pub after: &'a str,
}

/// The path pattern of a template, when it describes an http(s) URL.
fn path_pattern(layout: &Layout) -> Option<&Pattern> {
    match layout {
        Layout::Url { path, .. } => Some(path),
        Layout::Opaque => None,
    }
}

/// The host pattern of the template of `kind`, when its `{org}` is in the host.
pub fn host_pattern(templates: &UrlTemplates, kind: UrlKind) -> Option<&Pattern> {
    match templates.get(kind)?.layout() {
        Layout::Url { host, .. } => host.as_ref(),
        Layout::Opaque => None,
    }
}

/// Splits `path` by `pattern`. ASCII lowercasing keeps byte offsets, so indexes found in the
/// lowercase copy cut the path as written.
pub fn split_path<'a>(pattern: &Pattern, kind: UrlKind, path: &'a str) -> Option<PathSplit<'a>> {
    let trimmed = path.trim_end_matches('/');
    let slashes = &path[trimmed.len()..];
    let lower = trimmed.to_ascii_lowercase();
    let before = pattern.before.to_ascii_lowercase();
    let Some(after) = &pattern.after else {
        let fixed = before.trim_end_matches('/');
        let at = lower.strip_suffix(fixed)?.len();
        return Some(PathSplit {
            kind,
            prefix: &trimmed[..at],
            before: &trimmed[at..],
            slug: None,
            after: "",
            slashes,
            fixed: fixed.len(),
        });
    };
    let after = after.trim_end_matches('/').to_ascii_lowercase();
    let end = lower.strip_suffix(after.as_str())?.len();
    let head = &lower[..end];
    let fixed = before.len() + after.len();
    if let Some(at) = head.rfind(before.as_str()) {
        let slug = &trimmed[at + before.len()..end];
        if !slug.contains('/') {
            return Some(PathSplit {
                kind,
                prefix: &trimmed[..at],
                before: &trimmed[at..at + before.len()],
                slug: Some(slug),
                after: &trimmed[end..],
                slashes,
                fixed,
            });
        }
    }
    // No slug, and the slashes on either side of it ran together: `/saml/acs/` for
    // `/saml/acs/{org}/`.
    let short = before.strip_suffix('/')?;
    if !(after.is_empty() || after.starts_with('/')) || !head.ends_with(short) {
        return None;
    }
    let at = end - short.len();
    Some(PathSplit {
        kind,
        prefix: &trimmed[..at],
        before: &trimmed[at..end],
        slug: Some(""),
        after: &trimmed[end..],
        slashes,
        fixed,
    })
}

/// Splits `path` by the template of `kind` alone.
pub fn split_as<'a>(
    templates: &UrlTemplates,
    kind: UrlKind,
    path: &'a str,
) -> Option<PathSplit<'a>> {
    split_path(path_pattern(templates.get(kind)?.layout())?, kind, path)
}

/// Splits `path` by whichever of the profile's templates fits it best: the most fixed text
/// matched, then `prefer` (the field the value was entered for).
pub fn best_split<'a>(
    templates: &UrlTemplates,
    path: &'a str,
    prefer: Option<UrlKind>,
) -> Option<PathSplit<'a>> {
    templates
        .iter()
        .filter_map(|(kind, t)| split_path(path_pattern(t.layout())?, kind, path))
        .max_by_key(|s| (s.fixed, Some(s.kind) == prefer))
}

/// The split of a would-be base URL's path that shows it is one of the SP's own URLs: a
/// `{base}` template with some fixed text besides slashes fits it. (`{base}/{org}` fits every
/// path, so it cannot tell.)
pub fn base_part<'a>(templates: &UrlTemplates, path: &'a str) -> Option<PathSplit<'a>> {
    templates
        .iter()
        .filter(|(_, t)| t.uses_base())
        .filter_map(|(kind, t)| {
            let pattern = path_pattern(t.layout())?;
            let mut fixed = pattern
                .before
                .chars()
                .chain(pattern.after.iter().flat_map(|a| a.chars()));
            fixed
                .any(|c| c != '/')
                .then(|| split_path(pattern, kind, path))?
        })
        .max_by_key(|s| s.fixed)
}

/// Splits `host` by a host pattern (`{org}.app.example`). The slug holds no dot, so another
/// domain is a different host, not a slug typo.
pub fn split_host<'a>(pattern: &Pattern, host: &'a str) -> Option<HostSplit<'a>> {
    let after = pattern.after.as_deref()?.to_ascii_lowercase();
    let before = pattern.before.to_ascii_lowercase();
    let lower = host.to_ascii_lowercase();
    if lower.len() >= before.len() + after.len()
        && lower.starts_with(&before)
        && lower.ends_with(&after)
    {
        let slug = &host[before.len()..host.len() - after.len()];
        if !slug.contains('.') {
            return Some(HostSplit {
                before: &host[..before.len()],
                slug,
                after: &host[host.len() - after.len()..],
            });
        }
    }
    // No slug, and its dot gone with it: `app.example` for `{org}.app.example`.
    let bare = after.strip_prefix('.')?;
    (before.is_empty() && lower == bare).then_some(HostSplit {
        before: "",
        slug: "",
        after: host,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sp::template::Template;

    /// kind, prefix, before, slug, after, slashes
    type Parts<'a> = (UrlKind, &'a str, &'a str, Option<&'a str>, &'a str, &'a str);

    fn sentry(path: &str) -> Option<Parts<'_>> {
        best_split(UrlTemplates::sentry(), path, None)
            .map(|s| (s.kind, s.prefix, s.before, s.slug, s.after, s.slashes))
    }

    fn custom() -> UrlTemplates {
        let t = |text, kind| Template::parse(text, kind).unwrap();
        UrlTemplates::new(
            "custom",
            t("{base}/auth/saml/{org}/metadata.xml", UrlKind::EntityId),
            t("{base}/sso/{org}/saml2/acs", UrlKind::Acs),
            Some(t("{base}/sso/{org}/saml2/sls", UrlKind::Sls)),
            Some(t("{base}/{org}", UrlKind::Login)),
        )
        .unwrap()
    }

    #[test]
    fn splits_the_builtin_shape() {
        assert_eq!(
            sentry("/prefix/SAML/Acs/acme"),
            Some((UrlKind::Acs, "/prefix", "/SAML/Acs/", Some("acme"), "", ""))
        );
        assert_eq!(
            sentry("/saml/metadata/acme/"),
            Some((
                UrlKind::EntityId,
                "",
                "/saml/metadata/",
                Some("acme"),
                "",
                "/"
            ))
        );
        assert_eq!(sentry("/saml/acs/acme//").unwrap().5, "//");
        // A missing slug: the slash after the kind may be there or not.
        assert_eq!(
            sentry("/saml/acs/"),
            Some((UrlKind::Acs, "", "/saml/acs", Some(""), "", "/"))
        );
        assert_eq!(sentry("/saml/acs").unwrap().3, Some(""));
        assert_eq!(sentry("/saml/other/acme/"), None);
        assert_eq!(sentry("/saml/acs/acme/extra/"), None);
        assert_eq!(sentry("/sso/acs"), None);
    }

    #[test]
    fn splits_any_shape_and_prefers_the_longest_fit() {
        let t = custom();
        let s = best_split(&t, "/eu/SSO/acme/saml2/acs/", None).unwrap();
        assert_eq!(
            (s.kind, s.prefix, s.before, s.slug, s.after, s.slashes),
            (
                UrlKind::Acs,
                "/eu",
                "/SSO/",
                Some("acme"),
                "/saml2/acs",
                "/"
            )
        );
        // `{base}/{org}` fits every path; the entity ID's template fits this one better.
        let s = best_split(&t, "/auth/saml/acme/metadata.xml", Some(UrlKind::Login)).unwrap();
        assert_eq!((s.kind, s.slug), (UrlKind::EntityId, Some("acme")));
        let s = best_split(&t, "/acme", None).unwrap();
        assert_eq!((s.kind, s.slug), (UrlKind::Login, Some("acme")));
        let s = split_as(&t, UrlKind::Acs, "/sso/saml2/acs").unwrap();
        assert_eq!(s.slug, Some(""));
        assert_eq!(split_as(&t, UrlKind::Acs, "/sso/acme/saml2/sls"), None);
    }

    #[test]
    fn splits_hosts_with_the_org() {
        let p = Pattern {
            before: String::new(),
            after: Some(".app.example".into()),
        };
        let s = split_host(&p, "Acme.APP.example").unwrap();
        assert_eq!((s.before, s.slug, s.after), ("", "Acme", ".APP.example"));
        assert_eq!(split_host(&p, "app.example").unwrap().slug, "");
        assert_eq!(split_host(&p, "acme.corp.app.example"), None);
        assert_eq!(split_host(&p, "acme.other.example"), None);
        assert_eq!(split_host(&p, "é.app.example").unwrap().slug, "é");
    }

    #[test]
    fn finds_sp_urls_given_as_base() {
        let s = base_part(UrlTemplates::sentry(), "/p/saml/acs/acme/").unwrap();
        assert_eq!((s.kind, s.prefix), (UrlKind::Acs, "/p"));
        assert_eq!(base_part(UrlTemplates::sentry(), "/prefix"), None);
        // `{base}/{org}` alone would call every path an SP URL.
        assert_eq!(base_part(&custom(), "/prefix").map(|s| s.kind), None);
        assert_eq!(
            base_part(&custom(), "/eu/sso/acme/saml2/sls").map(|s| s.kind),
            Some(UrlKind::Sls)
        );
    }
}
