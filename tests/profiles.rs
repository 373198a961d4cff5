//! URL-shape profiles through the binary: a `[profiles.NAME]` of samlcheck.toml (or
//! `--profile NAME`) decides the SP URLs that `check`, `verify` and `sp-metadata` use, the
//! near-miss hints read that shape, and a bad profile exits 2 naming the file and the key.

use std::path::Path;

use assert_cmd::Command;
use samlcheck::saml::time::parse_instant;
use samlcheck::server::idp::{idp_metadata, issue_response, IdpKey, Ids, ResponseSpec, User};
use samlcheck::sp::template::{Template, UrlKind, UrlTemplates};
use serde_json::Value;

const IDP: &str = "https://idp.example.org/metadata";
const SSO: &str = "https://idp.example.org/sso";
const NOW: &str = "2026-01-15T10:01:00Z";

const ENTITY_ID: &str = "https://app.example/eu/auth/saml/acme/metadata.xml";
const ACS: &str = "https://app.example/eu/sso/acme/saml2/acs";
const SLS: &str = "https://app.example/eu/sso/acme/saml2/sls";
const LOGIN: &str = "https://app.example/eu/login/acme";

const CONFIG: &str = r#"org = "acme"
idp_metadata = "idp.xml"
base_url = "https://app.example/eu"
profile = "acme-saas"

[profiles.acme-saas]
entity_id = "{base}/auth/saml/{org}/metadata.xml"
acs = "{base}/sso/{org}/saml2/acs"
sls = "{base}/sso/{org}/saml2/sls"
login = "{base}/login/{org}"

[profiles.subdomains]
entity_id = "https://{org}.app.example/saml/metadata"
acs = "https://{org}.app.example/saml/acs"
"#;

/// The mapping the mock IdP's default attributes satisfy.
const MAP: &str = "user-id=uid,email=email,first-name=firstName,last-name=lastName";

fn acme_saas() -> UrlTemplates {
    let t = |text, kind| Template::parse(text, kind).unwrap();
    UrlTemplates::new(
        "acme-saas",
        t("{base}/auth/saml/{org}/metadata.xml", UrlKind::EntityId),
        t("{base}/sso/{org}/saml2/acs", UrlKind::Acs),
        Some(t("{base}/sso/{org}/saml2/sls", UrlKind::Sls)),
        Some(t("{base}/login/{org}", UrlKind::Login)),
    )
    .unwrap()
}

/// A directory with `config` as samlcheck.toml, the mock IdP's metadata as idp.xml and, as
/// login.xml, a response that IdP signed for org acme of the acme-saas profile.
fn configured(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let key = IdpKey::bundled_test_key().unwrap();
    let sp = acme_saas().render("https://app.example/eu", "acme");
    assert_eq!((sp.acs.as_str(), sp.entity_id.as_str()), (ACS, ENTITY_ID));
    let user = User::from_login("jane.doe@acme.example")
        .with_overrides(&[("uid".into(), "jane-0001".into())]);
    let ids = Ids {
        response: "_resp-1".into(),
        assertion: "_assert-1".into(),
        session_index: "_session-1".into(),
        transient_name_id: "_transient-1".into(),
        other_request: "_req-other".into(),
    };
    let now = parse_instant("2026-01-15T10:00:00Z").unwrap();
    let response =
        issue_response(&ResponseSpec::new(IDP, &sp, &user, &key.signing, now, ids)).unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("samlcheck.toml", config);
    write("idp.xml", &idp_metadata(IDP, SSO, &key, &[]));
    write("login.xml", &response);
    dir
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("samlcheck")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, stdout, stderr) = run(dir, &all);
    let v = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {stdout}{stderr}"));
    (code, v)
}

fn findings<'a>(v: &'a Value, rule: &str) -> Vec<&'a Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

fn only<'a>(v: &'a Value, rule: &str) -> &'a Value {
    match findings(v, rule).as_slice() {
        [f] => f,
        other => panic!("{} {rule} findings: {v:#}", other.len()),
    }
}

#[test]
fn check_uses_the_configured_profile() {
    let dir = configured(CONFIG);
    let check = |args: &[&str]| {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        json(dir.path(), &all)
    };
    let (code, v) = check(&["--now", NOW, "--map", MAP, "--response", "login.xml"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["verdict"], "GO");
    assert_eq!(
        v["sp"],
        serde_json::json!({
            "entity_id": ENTITY_ID,
            "acs": ACS,
            "sls": SLS,
            "login": LOGIN,
            "org": "acme",
            "profile": "acme-saas",
        })
    );
    let entered: Vec<&str> = v["enter"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["value"].as_str().unwrap())
        .collect();
    assert_eq!(entered, [ACS, ENTITY_ID, SLS]);

    // A slug typo and a swap, typed into the IdP, in this profile's shape.
    let (code, v) = check(&[
        "--no-test-login",
        "--map",
        MAP,
        "--acs",
        "https://app.example/eu/sso/acmee/saml2/acs",
        "--audience",
        ACS,
        "--sls",
        "https://app.example/sso/acme/saml2/sls/",
    ]);
    assert_eq!(code, 1, "{v:#}");
    let acs = only(&v, "sp/acs-mismatch");
    assert_eq!(acs["hint"], serde_json::json!(["slug-typo"]));
    assert_eq!(acs["expected"], ACS);
    assert!(acs["message"]
        .as_str()
        .unwrap()
        .contains("the org slug is acmee instead of acme (1 edit away)"));
    let audience = only(&v, "sp/audience-mismatch");
    assert_eq!(audience["hint"], serde_json::json!(["swapped"]));
    assert_eq!(audience["expected"], ENTITY_ID);
    let sls = only(&v, "sp/sls-mismatch");
    assert_eq!(
        sls["hint"],
        serde_json::json!(["path-prefix", "trailing-slash"])
    );
    assert_eq!(sls["expected"], SLS);
}

#[test]
fn a_captured_login_for_another_org_is_a_slug_typo_in_any_shape() {
    let dir = configured(CONFIG);
    let (code, v) = json(
        dir.path(),
        &[
            "check",
            "--now",
            NOW,
            "--map",
            MAP,
            "--response",
            "login.xml",
            "--org",
            "acmee",
        ],
    );
    assert_eq!(code, 1, "{v:#}");
    let expected = "https://app.example/eu/sso/acmee/saml2/acs";
    assert_eq!(v["sp"]["acs"], expected);
    for f in findings(&v, "sp/acs-mismatch") {
        assert_eq!(f["hint"], serde_json::json!(["slug-typo"]), "{f:#}");
        assert_eq!(f["expected"], expected);
        assert_eq!(f["found"], ACS);
    }
    assert!(!findings(&v, "sp/acs-mismatch").is_empty(), "{v:#}");
    let audience = only(&v, "sp/audience-mismatch");
    assert_eq!(audience["hint"], serde_json::json!(["slug-typo"]));
    assert_eq!(
        audience["expected"],
        "https://app.example/eu/auth/saml/acmee/metadata.xml"
    );
}

#[test]
fn verify_uses_the_configured_profile() {
    let dir = configured(CONFIG);
    let (code, v) = json(dir.path(), &["verify", "login.xml", "--now", NOW]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["accepted"], true);

    // The same login checked for another org: every URL is named a slug typo.
    let (code, v) = json(
        dir.path(),
        &["verify", "login.xml", "--now", NOW, "--org", "acne"],
    );
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["accepted"], false);
    let destination = only(&v, "response/destination-mismatch");
    assert_eq!(
        destination["expected"],
        "https://app.example/eu/sso/acne/saml2/acs"
    );
    assert_eq!(destination["hint"], serde_json::json!(["slug-typo"]));
    assert!(destination["notes"]
        .to_string()
        .contains("the org slug is acme instead of acne (1 edit away)"));

    // --profile sentry: the built-in shape, under the file's base URL.
    let (code, v) = json(
        dir.path(),
        &["verify", "login.xml", "--now", NOW, "--profile", "sentry"],
    );
    assert_eq!(code, 1);
    let destination = only(&v, "response/destination-mismatch");
    assert_eq!(
        destination["expected"],
        "https://app.example/eu/saml/acs/acme/"
    );
}

#[test]
fn sp_metadata_uses_the_profile() {
    let dir = configured(CONFIG);
    let (code, xml, stderr) = run(dir.path(), &["sp-metadata"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(xml.contains(&format!("entityID=\"{ENTITY_ID}\"")), "{xml}");
    assert!(xml.contains(&format!("Location=\"{ACS}\"")), "{xml}");
    assert!(xml.contains(&format!("Location=\"{SLS}\"")), "{xml}");
    // `lint` takes it as clean SP metadata.
    std::fs::write(dir.path().join("sp.xml"), &xml).unwrap();
    let (code, v) = json(dir.path(), &["lint", "sp.xml"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["files"][0]["findings"], serde_json::json!([]), "{v:#}");

    // A subdomain per org: no base URL, no SLS.
    let (code, xml, stderr) = run(dir.path(), &["sp-metadata", "--profile", "subdomains"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(xml.contains("entityID=\"https://acme.app.example/saml/metadata\""));
    assert!(xml.contains("Location=\"https://acme.app.example/saml/acs\""));
    assert!(!xml.contains("SingleLogoutService"), "{xml}");

    // The slug rules hold whatever the shape.
    let (code, _, stderr) = run(dir.path(), &["sp-metadata", "--org", "Acme Corp"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(
            "samlcheck: --org: sp/org-slug-invalid: the org slug \"Acme Corp\" is not valid:"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean \"acme-corp\"?"), "{stderr}");
}

#[test]
fn flags_that_cannot_apply_exit_2() {
    let dir = configured(CONFIG);
    for (args, says) in [
        (
            vec!["sp-metadata", "--profile", "acme"],
            "samlcheck: --profile: profile \"acme\" is not defined; the profiles are sentry (built in) and acme-saas, subdomains (",
        ),
        (
            vec!["sp-metadata", "--profile", "subdomains", "--base-url", "https://x.example"],
            "samlcheck: --base-url https://x.example: no URL of profile subdomains uses {base}, so it would change nothing",
        ),
        (
            vec!["check", "--profile", "nope", "--no-test-login"],
            "profile \"nope\" is not defined",
        ),
        (
            vec!["verify", "login.xml", "--profile", "nope"],
            "profile \"nope\" is not defined",
        ),
    ] {
        let (code, stdout, stderr) = run(dir.path(), &args);
        assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

#[test]
fn bad_profiles_in_the_file_exit_2_naming_file_and_key() {
    let table = "org = \"acme\"\nidp_metadata = \"idp.xml\"\n[profiles.p]\nentity_id = \"{base}/m/{org}\"\n";
    for (config, says) in [
        (
            format!("{table}acs = \"{{base}}/sso/{{tenant}}/acs\"\n"),
            "samlcheck.toml:5:7: [profiles.p] acs = \"{base}/sso/{tenant}/acs\": {tenant} is not a placeholder; the placeholders are {base} and {org}",
        ),
        (table.to_string(), "missing field `acs`"),
        (
            format!("profile = \"q\"\n{table}acs = \"{{base}}/a/{{org}}\"\n"),
            "samlcheck.toml:1:11: profile \"q\" is not defined; the profiles are sentry (built in) and p (this file)",
        ),
        (
            format!("{table}acs = \"https://{{org}}.app.example/acs?x={{org}}\"\n"),
            "samlcheck.toml:5:7: [profiles.p] acs = \"https://{org}.app.example/acs?x={org}\": {org} appears more than once",
        ),
    ] {
        let dir = configured(&config);
        for command in [
            vec!["check", "--no-test-login"],
            vec!["verify", "login.xml"],
            vec!["sp-metadata"],
        ] {
            let (code, stdout, stderr) = run(dir.path(), &command);
            assert_eq!(code, 2, "{command:?}: {stdout}{stderr}");
            assert!(stderr.contains("samlcheck.toml"), "{stderr}");
            assert!(stderr.contains(says), "{command:?}: {stderr}");
        }
    }
}
