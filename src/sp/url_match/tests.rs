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
