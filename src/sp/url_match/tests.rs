use super::*;

const ACS: &str = "https://sentry.io/saml/acs/acme/";
const METADATA: &str = "https://sentry.io/saml/metadata/acme/";
const SLS: &str = "https://sentry.io/saml/sls/acme/";
const HOSTED_ACS: &str = "https://sentry.company/prefix/saml/acs/acme/";

fn saas() -> SpProfile {
    SpProfile::for_org("https://sentry.io", "acme")
}

fn hosted() -> SpProfile {
    SpProfile::for_org("https://sentry.company/prefix", "acme")
}

fn mismatch(sp: &SpProfile, field: UrlField, found: &str) -> UrlMismatch {
    check_url(sp, field, found).unwrap_or_else(|| panic!("{found:?} should not match"))
}

fn ids(m: &UrlMismatch) -> Vec<&'static str> {
    m.hints.iter().map(|h| h.id()).collect()
}

fn acs(found: &str) -> UrlMismatch {
    mismatch(&saas(), UrlField::Acs, found)
}

/// Asserts the hints and the exact value, and returns the message.
fn assert_hints(m: &UrlMismatch, hints: &[&str], expected: &str) -> String {
    assert_eq!(ids(m), hints, "{}", m.message);
    assert_eq!(m.expected, expected);
    m.message.clone()
}

#[test]
fn exact_values_match() {
    let sp = saas();
    assert_eq!(check_url(&sp, UrlField::Acs, ACS), None);
    assert_eq!(check_url(&sp, UrlField::Audience, METADATA), None);
    assert_eq!(check_url(&sp, UrlField::Sls, SLS), None);
    let no_sls = SpProfile::explicit("urn:sp", "https://sp.example/acs", None);
    assert_eq!(check_url(&no_sls, UrlField::Sls, "https://anything/"), None);
}

#[test]
fn trailing_slash() {
    let m = acs("https://sentry.io/saml/acs/acme");
    let msg = assert_hints(&m, &["trailing-slash"], ACS);
    assert_eq!(
        msg,
        "the ACS URL is not exact: the trailing slash is missing"
    );
    let d = &m.near_miss.differences[0];
    assert_eq!((d.found.as_str(), d.expected.as_str()), ("", "/"));
    let m = acs("https://sentry.io/saml/acs/acme//");
    assert_hints(&m, &["trailing-slash"], ACS);
    assert!(m.message.contains("2 trailing slashes instead of one"));
    // An SP whose URL has no trailing slash.
    let sp = SpProfile::explicit(
        "https://sp.example/metadata",
        "https://sp.example/acs",
        None,
    );
    let m = mismatch(&sp, UrlField::Audience, "https://sp.example/metadata/");
    assert_hints(&m, &["trailing-slash"], "https://sp.example/metadata");
    assert!(m.message.contains("extra trailing slash"));
}

#[test]
fn scheme() {
    let m = acs("http://sentry.io/saml/acs/acme/");
    let msg = assert_hints(&m, &["scheme"], ACS);
    assert!(
        msg.ends_with("the scheme is http instead of https"),
        "{msg}"
    );
    let d = &m.near_miss.differences[0];
    assert_eq!((d.found.as_str(), d.expected.as_str()), ("http", "https"));
    let m = acs("sentry.io/saml/acs/acme/");
    assert_hints(&m, &["scheme"], ACS);
    assert!(m.message.contains("the scheme https:// is missing"));
}

#[test]
fn host() {
    let m = acs("https://sentry.company/saml/acs/acme/");
    let msg = assert_hints(&m, &["host"], ACS);
    assert!(msg.ends_with("the host is sentry.company instead of sentry.io"));
    // A self-hosted install configured with the SaaS host.
    let m = mismatch(
        &hosted(),
        UrlField::Acs,
        "https://sentry.io/prefix/saml/acs/acme/",
    );
    assert_hints(&m, &["host"], HOSTED_ACS);
}

#[test]
fn port() {
    let m = acs("https://sentry.io:443/saml/acs/acme/");
    assert_hints(&m, &["port"], ACS);
    assert!(m.message.contains("the default port :443 is written out"));
    let m = acs("https://sentry.io:8443/saml/acs/acme/");
    assert_hints(&m, &["port"], ACS);
    assert!(m
        .message
        .contains("port :8443, which the SP URL does not have"));
    let sp = SpProfile::for_org("https://sentry.company:9000", "acme");
    let m = mismatch(&sp, UrlField::Acs, "https://sentry.company/saml/acs/acme/");
    assert_hints(&m, &["port"], "https://sentry.company:9000/saml/acs/acme/");
    assert!(m.message.contains("the port :9000 is missing"));
}

#[test]
fn path_prefix() {
    let m = mismatch(
        &hosted(),
        UrlField::Acs,
        "https://sentry.company/saml/acs/acme/",
    );
    let msg = assert_hints(&m, &["path-prefix"], HOSTED_ACS);
    assert!(
        msg.contains("the path prefix /prefix of the install is missing"),
        "{msg}"
    );
    let d = &m.near_miss.differences[0];
    assert_eq!((d.found.as_str(), d.expected.as_str()), ("", "/prefix"));
    let m = acs("https://sentry.io/sentry/saml/acs/acme/");
    assert_hints(&m, &["path-prefix"], ACS);
    assert!(m.message.contains("extra prefix /sentry"));
    let m = mismatch(
        &hosted(),
        UrlField::Acs,
        "https://sentry.company/other/saml/acs/acme/",
    );
    assert_hints(&m, &["path-prefix"], HOSTED_ACS);
    // Outside the org-slug shape, a prefix present on one side only.
    let sp = SpProfile::explicit("urn:sp", "https://app.example/tenant/sso/acs", None);
    let m = mismatch(&sp, UrlField::Acs, "https://app.example/sso/acs");
    assert_hints(&m, &["path-prefix"], "https://app.example/tenant/sso/acs");
}

#[test]
fn slug_typo() {
    let m = acs("https://sentry.io/saml/acs/acmee/");
    let msg = assert_hints(&m, &["slug-typo"], ACS);
    assert!(
        msg.contains("the org slug is acmee instead of acme (1 edit away)"),
        "{msg}"
    );
    let d = &m.near_miss.differences[0];
    assert_eq!((d.found.as_str(), d.expected.as_str()), ("acmee", "acme"));
    // Two neighbours swapped count as one edit.
    let m = acs("https://sentry.io/saml/acs/amce/");
    assert!(m.message.contains("(1 edit away)"), "{}", m.message);
    // Far from the slug: another organization's URL.
    let m = acs("https://sentry.io/saml/acs/globex/");
    assert_hints(&m, &["slug-typo"], ACS);
    assert!(m
        .message
        .contains("the URL is for the org globex, not acme"));
    let m = acs("https://sentry.io/saml/acs/acme.corp/");
    assert!(
        m.message
            .contains("the org slug is acme.corp, which is not a valid slug; it must be acme"),
        "{}",
        m.message
    );
    let m = acs("https://sentry.io/saml/acs/");
    assert_hints(&m, &["slug-typo"], ACS);
    assert!(m
        .message
        .contains("the org slug is missing; it must be acme"));
    // A huge value costs no quadratic table.
    let long = format!("https://sentry.io/saml/acs/{}/", "a".repeat(200_000));
    assert_hints(&acs(&long), &["slug-typo"], ACS);
}

#[test]
fn case() {
    let m = acs("https://sentry.io/saml/acs/Acme/");
    let msg = assert_hints(&m, &["case"], ACS);
    assert!(
        msg.contains("the letter case differs in the org slug"),
        "{msg}"
    );
    let d = &m.near_miss.differences[0];
    assert_eq!((d.found.as_str(), d.expected.as_str()), ("Acme", "acme"));
    let m = acs("HTTPS://Sentry.IO/SAML/ACS/ACME/");
    assert_hints(&m, &["case"], ACS);
    assert!(
        m.message
            .contains("the letter case differs in the scheme, host, path and org slug"),
        "{}",
        m.message
    );
}

#[test]
fn whitespace() {
    let m = acs(" https://sentry.io/saml/acs/acme/\n");
    let msg = assert_hints(&m, &["whitespace"], ACS);
    assert!(
        msg.ends_with("the value has leading or trailing whitespace"),
        "{msg}"
    );
    let m = acs("https://sentry.io/saml/acs/acme/\u{200B}");
    assert_hints(&m, &["whitespace"], ACS);
    assert!(
        m.message.ends_with(
            "a zero-width space (U+200B) (invisible in the console) at its start or end"
        ),
        "{}",
        m.message
    );
    assert_eq!(
        m.near_miss.differences[0].found,
        ACS.to_string() + "\\u{200b}"
    );
    let m = acs("\u{FEFF}https://sentry.io/saml/acs/acme/");
    assert!(m.message.contains("byte order mark"), "{}", m.message);
    let m = acs("https://sentry.io/saml/acs/acme\u{A0}/");
    assert_hints(&m, &["whitespace"], ACS);
    assert!(
        m.message.contains("a no-break space (U+00A0) inside"),
        "{}",
        m.message
    );
}

#[test]
fn encoding() {
    let m = acs("https://sentry.io/saml/acs/acme%2F");
    let msg = assert_hints(&m, &["encoding"], ACS);
    assert!(
        msg.contains("percent-encoded where the SP URL is not"),
        "{msg}"
    );
    assert_hints(
        &acs("https://sentry.io/saml/acs/%61cme/"),
        &["encoding"],
        ACS,
    );
    let m = acs("https%3A%2F%2Fsentry.io%2Fsaml%2Facs%2Facme%2F");
    assert_hints(&m, &["encoding"], ACS);
    assert!(m.message.contains("the whole value is percent-encoded"));
}

#[test]
fn query_or_fragment() {
    let m = acs("https://sentry.io/saml/acs/acme/?org=acme");
    let msg = assert_hints(&m, &["query-or-fragment"], ACS);
    assert!(msg.contains("a query string ?org=acme, which the SP URL does not have"));
    assert_hints(
        &acs("https://sentry.io/saml/acs/acme/#"),
        &["query-or-fragment"],
        ACS,
    );
    assert_hints(
        &acs("https://sentry.io/saml/acs/acme/?"),
        &["query-or-fragment"],
        ACS,
    );
}

#[test]
fn swapped() {
    let sp = saas();
    let m = mismatch(&sp, UrlField::Acs, METADATA);
    let msg = assert_hints(&m, &["swapped"], ACS);
    assert!(msg.contains("this is the SP's metadata (entity ID) URL, pasted into the wrong field"));
    let m = mismatch(&sp, UrlField::Audience, ACS);
    assert_hints(&m, &["swapped"], METADATA);
    assert!(m.message.contains("the SP's ACS URL"));
    assert_hints(&mismatch(&sp, UrlField::Acs, SLS), &["swapped"], ACS);
    assert_hints(&mismatch(&sp, UrlField::Sls, ACS), &["swapped"], SLS);
    assert_hints(
        &mismatch(&sp, UrlField::Acs, "https://sentry.io/saml/login/acme/"),
        &["swapped"],
        ACS,
    );
    // URLs of another shape are recognized by value.
    let sp = SpProfile::explicit(
        "https://app.example/sp",
        "https://app.example/sso/consume",
        Some("https://app.example/sso/logout"),
    );
    let m = mismatch(&sp, UrlField::Acs, "https://app.example/sp/");
    assert_hints(&m, &["swapped"], "https://app.example/sso/consume");
    assert!(m
        .message
        .contains("the SP's Audience URI (SP entity ID), pasted into the ACS URL field"));
    let m = mismatch(&sp, UrlField::Sls, "https://app.example/sso/consume");
    assert_hints(&m, &["swapped"], "https://app.example/sso/logout");
}

#[test]
fn combinations() {
    let m = acs("http://sentry.io/saml/acs/acme");
    let msg = assert_hints(&m, &["scheme", "trailing-slash"], ACS);
    assert_eq!(
        msg,
        "the ACS URL is not exact: the scheme is http instead of https and the trailing slash is missing"
    );
    // The metadata URL, without its slash, in the ACS field.
    let m = acs("https://sentry.io/saml/metadata/acme");
    assert_hints(&m, &["swapped", "trailing-slash"], ACS);
    // A self-hosted install: plain http, no prefix, no slash.
    let m = mismatch(
        &hosted(),
        UrlField::Acs,
        "http://sentry.company/saml/acs/acme",
    );
    assert_hints(&m, &["scheme", "path-prefix", "trailing-slash"], HOSTED_ACS);
    let m = mismatch(
        &hosted(),
        UrlField::Audience,
        " https://sentry.io/saml/metadata/acmee/",
    );
    assert_hints(
        &m,
        &["whitespace", "host", "path-prefix", "slug-typo"],
        "https://sentry.company/prefix/saml/metadata/acme/",
    );
    assert!(m.near_miss.is_explained());
    let m = acs("HTTP://sentry.io:443/saml/acs/acme?x=1");
    assert_hints(
        &m,
        &["scheme", "port", "trailing-slash", "query-or-fragment"],
        ACS,
    );
}

#[test]
fn unrelated_values_are_wrong_not_near() {
    let m = acs("https://acme.okta.com/app/exk1/sso/saml");
    assert_eq!(ids(&m), vec!["host"]);
    assert!(!m.near_miss.is_explained());
    assert!(
        m.message.starts_with("the ACS URL is wrong: "),
        "{}",
        m.message
    );
    assert!(m
        .message
        .contains("the path is /app/exk1/sso/saml instead of /saml/acs/acme/"));
    let m = acs("");
    assert!(m.hints.is_empty());
    assert_eq!(m.message, "the ACS URL is wrong: the value is empty");
}

#[test]
fn every_hint_has_a_case() {
    let table = [
        ("https://sentry.io/saml/acs/acme", Hint::TrailingSlash),
        ("http://sentry.io/saml/acs/acme/", Hint::Scheme),
        ("https://sentry.company/saml/acs/acme/", Hint::Host),
        ("https://sentry.io:8443/saml/acs/acme/", Hint::Port),
        ("https://sentry.io/x/saml/acs/acme/", Hint::PathPrefix),
        ("https://sentry.io/saml/acs/acne/", Hint::SlugTypo),
        ("https://sentry.io/saml/ACS/acme/", Hint::Case),
        ("https://sentry.io/saml/acs/acme/\u{2060}", Hint::Whitespace),
        ("https://sentry.io/saml/acs/acme%2f", Hint::Encoding),
        (
            "https://sentry.io/saml/acs/acme/#top",
            Hint::QueryOrFragment,
        ),
        ("https://sentry.io/saml/sls/acme/", Hint::Swapped),
    ];
    for (found, hint) in table {
        assert_eq!(acs(found).hints, vec![hint], "{found}");
    }
    let covered: Vec<Hint> = table.iter().map(|(_, h)| *h).collect();
    assert_eq!(covered, Hint::ALL);
    let json = serde_json::to_string(&Hint::ALL).unwrap();
    let ids: Vec<&str> = Hint::ALL.iter().map(|h| h.id()).collect();
    assert_eq!(json, serde_json::to_string(&ids).unwrap());
}

#[test]
fn findings_carry_rule_hints_and_the_exact_value() {
    let sp = saas();
    for (field, rule) in [
        (UrlField::Acs, "sp/acs-mismatch"),
        (UrlField::Audience, "sp/audience-mismatch"),
        (UrlField::Sls, "sp/sls-mismatch"),
    ] {
        let expected = field.expected(&sp).unwrap();
        let typed = expected.replace("https", "http");
        let f = mismatch(&sp, field, &typed).finding();
        assert_eq!(f.rule, rule);
        assert_eq!(f.hints, vec!["scheme"]);
        assert_eq!(f.expected.as_deref(), Some(expected));
        assert_eq!(f.found.as_deref(), Some(typed.as_str()));
        assert!(f.fix.contains(expected), "{}", f.fix);
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["hint"], serde_json::json!(["scheme"]));
    }
}

#[test]
fn plain_compare_names_near_misses_of_any_value() {
    assert_eq!(compare("urn:example:idp", "urn:example:idp"), None);
    let n = compare("urn:example:idp", "urn:example:IdP").unwrap();
    assert_eq!(n.hints(), vec![Hint::Case]);
    let n = compare("urn:example:idp", "urn:other").unwrap();
    assert!(n.hints().is_empty() && !n.is_explained());
}

#[test]
fn odd_input_does_not_panic() {
    for found in [
        "://",
        "https://",
        "https://:",
        "http://[",
        "%",
        "%%%",
        "https://sentry.io:/saml/acs/acme/",
        "https://sentry.io/saml/acs/acme/?#",
        "\u{0}",
        "é://x",
        "https://ü/saml/acs/ä/",
        "https://sentry.io/saml/acs/acme/%E2%80%8B",
    ] {
        let m = acs(found);
        assert!(!m.message.is_empty(), "{found:?}");
    }
    assert!(acs("https://sentry.io:/saml/acs/acme/")
        .message
        .contains("stray ':'"));
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("abc", "acb"), 1);
}

// ---- profiles of other shapes ------------------------------------------------------------------

fn templates(name: &str, urls: [Option<&str>; 4]) -> UrlTemplates {
    use crate::sp::template::Template;
    let t = |i: usize, kind| urls[i].map(|u| Template::parse(u, kind).unwrap());
    UrlTemplates::new(
        name,
        t(0, UrlKind::EntityId).unwrap(),
        t(1, UrlKind::Acs).unwrap(),
        t(2, UrlKind::Sls),
        t(3, UrlKind::Login),
    )
    .unwrap()
}

/// Org in the path, between fixed parts, with a self-hosted prefix.
fn path_shape() -> SpProfile {
    templates(
        "path",
        [
            Some("{base}/auth/saml/{org}/metadata.xml"),
            Some("{base}/sso/{org}/saml2/acs"),
            Some("{base}/sso/{org}/saml2/sls"),
            Some("{base}/login/{org}"),
        ],
    )
    .render("https://app.example/eu", "acme")
}

/// A subdomain per org; no base URL.
fn subdomain_shape() -> SpProfile {
    templates(
        "subdomain",
        [
            Some("https://{org}.app.example/saml/metadata"),
            Some("https://{org}.app.example/saml/acs"),
            None,
            Some("https://{org}.app.example/login"),
        ],
    )
    .render("https://ignored.example", "acme")
}

const PATH_ACS: &str = "https://app.example/eu/sso/acme/saml2/acs";
const PATH_ENTITY: &str = "https://app.example/eu/auth/saml/acme/metadata.xml";
const SUB_ACS: &str = "https://acme.app.example/saml/acs";

#[test]
fn other_shapes_match_exactly() {
    let sp = path_shape();
    assert_eq!(
        (sp.acs.as_str(), sp.entity_id.as_str()),
        (PATH_ACS, PATH_ENTITY)
    );
    for field in UrlField::ALL {
        assert_eq!(check_url(&sp, field, field.expected(&sp).unwrap()), None);
    }
    let sub = subdomain_shape();
    assert_eq!(sub.acs, SUB_ACS);
    assert_eq!(check_url(&sub, UrlField::Acs, SUB_ACS), None);
    assert_eq!(check_url(&sub, UrlField::Sls, "https://any.example/"), None);
}

#[test]
fn slug_typo_in_any_path_shape() {
    let sp = path_shape();
    let m = mismatch(
        &sp,
        UrlField::Acs,
        "https://app.example/eu/sso/acmee/saml2/acs",
    );
    let msg = assert_hints(&m, &["slug-typo"], PATH_ACS);
    assert!(
        msg.contains("the org slug is acmee instead of acme (1 edit away)"),
        "{msg}"
    );
    let d = &m.near_miss.differences[0];
    assert_eq!((d.found.as_str(), d.expected.as_str()), ("acmee", "acme"));
    let m = mismatch(
        &sp,
        UrlField::Audience,
        "https://app.example/eu/auth/saml/globex/metadata.xml",
    );
    assert_hints(&m, &["slug-typo"], PATH_ENTITY);
    assert!(m
        .message
        .contains("the URL is for the org globex, not acme"));
    // The slug left out: the slashes around it run together.
    let m = mismatch(&sp, UrlField::Acs, "https://app.example/eu/sso/saml2/acs");
    assert_hints(&m, &["slug-typo"], PATH_ACS);
    assert!(m
        .message
        .contains("the org slug is missing; it must be acme"));
}

#[test]
fn prefix_slash_and_case_in_any_path_shape() {
    let sp = path_shape();
    let m = mismatch(&sp, UrlField::Acs, "https://app.example/sso/acme/saml2/acs");
    assert_hints(&m, &["path-prefix"], PATH_ACS);
    assert!(m
        .message
        .contains("the path prefix /eu of the install is missing"));
    let m = mismatch(&sp, UrlField::Acs, &format!("{PATH_ACS}/"));
    assert_hints(&m, &["trailing-slash"], PATH_ACS);
    assert!(m.message.ends_with("there is an extra trailing slash"));
    let m = mismatch(
        &sp,
        UrlField::Acs,
        "https://app.example/eu/SSO/acme/SAML2/acs",
    );
    assert_hints(&m, &["case"], PATH_ACS);
    assert!(
        m.message.contains("the letter case differs in the path"),
        "{}",
        m.message
    );
    let m = mismatch(
        &sp,
        UrlField::Acs,
        "http://app.example/sso/acmee/saml2/acs/",
    );
    assert_hints(
        &m,
        &["scheme", "path-prefix", "slug-typo", "trailing-slash"],
        PATH_ACS,
    );
    assert!(m.near_miss.is_explained());
}

#[test]
fn swapped_in_any_path_shape() {
    let sp = path_shape();
    let m = mismatch(&sp, UrlField::Audience, PATH_ACS);
    let msg = assert_hints(&m, &["swapped"], PATH_ENTITY);
    assert!(
        msg.contains("this is the SP's ACS URL, pasted into the wrong field"),
        "{msg}"
    );
    let d = &m.near_miss.differences[0];
    assert_eq!(
        (d.found.as_str(), d.expected.as_str()),
        ("sso/{org}/saml2/acs", "auth/saml/{org}/metadata.xml")
    );
    // Another org's SLS in the ACS field: both differences are named.
    let m = mismatch(
        &sp,
        UrlField::Acs,
        "https://app.example/eu/sso/acmee/saml2/sls",
    );
    assert_hints(&m, &["swapped", "slug-typo"], PATH_ACS);
    assert!(m.message.contains("the SP's SLS (single logout) URL"));
    // The login URL, whose template `{base}/login/{org}` is no IdP field.
    let m = mismatch(&sp, UrlField::Acs, "https://app.example/eu/login/acme");
    assert_hints(&m, &["swapped"], PATH_ACS);
    assert!(m.message.contains("the SP's login URL"), "{}", m.message);
    // The built-in shape names the kinds that differ.
    let m = mismatch(&saas(), UrlField::Acs, METADATA);
    let d = &m.near_miss.differences[0];
    assert_eq!((d.found.as_str(), d.expected.as_str()), ("metadata", "acs"));
}

#[test]
fn the_org_in_the_host() {
    let sp = subdomain_shape();
    let acs = |found: &str| mismatch(&sp, UrlField::Acs, found);
    let m = acs("https://acmee.app.example/saml/acs");
    let msg = assert_hints(&m, &["slug-typo"], SUB_ACS);
    assert!(
        msg.contains("the org slug is acmee instead of acme (1 edit away)"),
        "{msg}"
    );
    assert!(m.near_miss.is_explained());
    let m = acs("https://app.example/saml/acs");
    assert_hints(&m, &["slug-typo"], SUB_ACS);
    assert!(m.message.contains("the org slug is missing"));
    let m = acs("https://Acme.app.example/saml/acs");
    assert_hints(&m, &["case"], SUB_ACS);
    assert!(
        m.message.contains("differs in the org slug"),
        "{}",
        m.message
    );
    let m = acs("https://acme.APP.example/saml/acs");
    assert!(m.message.contains("differs in the host"), "{}", m.message);
    // Another domain is a host difference, not a slug.
    assert_hints(
        &acs("https://acme.other.example/saml/acs"),
        &["host"],
        SUB_ACS,
    );
    assert_hints(
        &acs("https://acme.corp.app.example/saml/acs"),
        &["host"],
        SUB_ACS,
    );
    let m = acs("https://acmee.app.example/saml/metadata/");
    assert_hints(&m, &["slug-typo", "swapped", "trailing-slash"], SUB_ACS);
    assert!(m.message.contains("the SP's metadata (entity ID) URL"));
    assert_hints(
        &acs("https://acme.app.example/x/saml/acs"),
        &["path-prefix"],
        SUB_ACS,
    );
}

#[test]
fn a_urn_entity_id_is_compared_whole() {
    let sp = templates(
        "urn",
        [
            Some("urn:app:{org}"),
            Some("{base}/sso/{org}/acs"),
            None,
            None,
        ],
    )
    .render("https://app.example", "acme");
    assert_eq!(check_url(&sp, UrlField::Audience, "urn:app:acme"), None);
    let m = mismatch(&sp, UrlField::Audience, "URN:app:acme");
    assert_hints(&m, &["case"], "urn:app:acme");
    let m = mismatch(&sp, UrlField::Audience, "https://app.example/sso/acme/acs");
    assert_hints(&m, &["swapped"], "urn:app:acme");
}

#[test]
fn odd_input_does_not_panic_in_other_shapes() {
    for sp in [path_shape(), subdomain_shape()] {
        for found in [
            "",
            "/",
            "//",
            "://",
            "https://",
            "https://.app.example",
            "https://é.app.example/sso/é/saml2/acs",
            "https://app.example/eu/sso//saml2/acs",
            "https://app.example/eu/sso/saml2",
            "https://..app.example/saml/acs",
            "https://app.example/eu/auth/saml/metadata.xml",
            "https://%61cme.app.example/saml/acs",
        ] {
            for field in UrlField::ALL {
                if let Some(m) = check_url(&sp, field, found) {
                    assert!(!m.message.is_empty(), "{found:?}");
                }
            }
        }
    }
}
