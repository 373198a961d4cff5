//! `samlcheck check` end to end through the binary: the GO / NO-GO checklist, every near-miss
//! hint and mapping finding as the command reports them, each vendor's fixture, samlcheck.toml,
//! output formats and exit codes.

use assert_cmd::Command;
use serde_json::Value;

const NOW: &str = "2026-01-15T10:01:00Z";
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const ACS: &str = "https://sentry.io/saml/acs/acme/";
const AUDIENCE: &str = "https://sentry.io/saml/metadata/acme/";
const SLS: &str = "https://sentry.io/saml/sls/acme/";

fn metadata(name: &str) -> String {
    format!("fixtures/metadata/{name}.xml")
}

fn response(name: &str) -> String {
    format!("fixtures/responses/{name}.xml")
}

fn run_in(dir: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("samlcheck")
        .unwrap()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `check ARGS --format json` from the repository root.
fn check(args: &[&str]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, stdout, stderr) = run_in(ROOT, &all);
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {stdout}{stderr}"));
    (code, json)
}

fn item<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item"] == id)
        .unwrap_or_else(|| panic!("no item {id}: {v:#}"))
}

fn state(v: &Value, id: &str) -> String {
    item(v, id)["state"].as_str().unwrap().to_string()
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
    let hits = findings(v, rule);
    assert_eq!(hits.len(), 1, "{rule}: {:#}", v["findings"]);
    hits[0]
}

fn rules(v: &Value, severity: &str) -> Vec<String> {
    let mut r: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == severity)
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    r.sort();
    r.dedup();
    r
}

fn hints(f: &Value) -> Vec<&str> {
    f["hint"]
        .as_array()
        .map(|h| h.iter().map(|x| x.as_str().unwrap()).collect())
        .unwrap_or_default()
}

// ---- GO ------------------------------------------------------------------------------------

#[test]
fn go_on_a_consistent_okta_setup() {
    let (md, resp) = (metadata("okta"), response("okta"));
    let args = [
        "--org",
        "acme",
        "--idp-metadata",
        &md,
        "--response",
        &resp,
        "--now",
        NOW,
        "--request-id",
        "_req-4f1c2a",
        // The fixture sends email, firstName and lastName, but no `identifier`.
        "--map",
        "user-id=email",
        "--acs",
        ACS,
        "--audience",
        AUDIENCE,
        "--sls",
        SLS,
    ];
    let (code, v) = check(&args);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["verdict"], "GO");
    assert_eq!(v["go"], true);
    for id in [
        "metadata-valid",
        "certificate-valid",
        "urls-exact",
        "mapping-complete",
        "test-login",
    ] {
        assert_eq!(state(&v, id), "ok", "{id}: {:#}", item(&v, id));
        assert_eq!(item(&v, id)["blocking"], false);
    }
    assert!(v["findings"].as_array().unwrap().is_empty(), "{v:#}");
    assert_eq!(v["idp"]["vendor"], "okta");
    assert_eq!(v["mapping"]["preset"], "okta");
    assert_eq!(v["mapping"]["preset_source"], "detected");
    assert_eq!(v["mapping"]["fields"]["user-id"], "email");
    assert_eq!(v["test_login"]["accepted"], true);
    assert_eq!(
        v["test_login"]["subject"]["name_id"],
        "jane.doe@acme.example"
    );
    assert_eq!(v["enter"][0]["console"], "Okta: Single sign-on URL");
    assert_eq!(v["enter"][0]["value"], ACS);
    assert!(v["reminder"]
        .as_str()
        .unwrap()
        .contains("keep one owner able to log in without SSO"));
    let urls = item(&v, "urls-exact")["detail"].as_str().unwrap();
    assert!(
        urls.contains("ACS exact (--acs, Destination, Recipient)"),
        "{urls}"
    );

    // The same run for people: the checklist, one line per item, the reminder, the verdict.
    let (code, text, _) = run_in(ROOT, &args);
    assert_eq!(code, 0);
    for line in [
        "[ok]          metadata valid: ",
        "[ok]          signing certificate valid for at least 30 more days: CN=samlcheck test IdP",
        "[ok]          URLs exact: ",
        "[ok]          mapping complete: ",
        "[ok]          successful test login seen: accepted: NameID jane.doe@acme.example",
        "[reminder]    keep one owner able to log in without SSO",
        "GO: nothing blocks turning on \"Require SSO\".",
        "    Single sign-on URL ",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
}

#[test]
fn entra_rollover_login_is_go_with_a_warning_and_no_go_under_deny_warnings() {
    let (md, resp) = (metadata("entra"), response("entra"));
    let args = [
        "--org",
        "acme",
        "--idp-metadata",
        &md,
        "--response",
        &resp,
        "--now",
        NOW,
    ];
    let (code, v) = check(&args);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(state(&v, "certificate-valid"), "warn");
    let f = only(&v, "preflight/signer-not-first");
    assert!(f["found"]
        .as_str()
        .unwrap()
        .starts_with("CN=samlcheck test IdP 2026"));
    assert!(f["expected"]
        .as_str()
        .unwrap()
        .starts_with("CN=samlcheck test IdP "));
    let mut deny = args.to_vec();
    deny.extend(["--deny", "warnings"]);
    let (code, v) = check(&deny);
    assert_eq!(code, 1);
    assert_eq!(v["verdict"], "NO-GO");
    assert_eq!(item(&v, "certificate-valid")["blocking"], true);
}

// ---- the test login ------------------------------------------------------------------------

#[test]
fn without_a_response_it_is_no_go_unless_the_test_login_is_skipped() {
    let md = metadata("okta");
    let base = [
        "--org",
        "acme",
        "--idp-metadata",
        &md,
        "--now",
        NOW,
        "--acs",
        ACS,
        "--audience",
        AUDIENCE,
    ];
    let (code, v) = check(&base);
    assert_eq!(code, 1);
    assert_eq!(v["verdict"], "NO-GO");
    assert_eq!(state(&v, "test-login"), "not-checked");
    assert_eq!(item(&v, "test-login")["blocking"], true);
    let f = only(&v, "preflight/no-test-login");
    assert!(f["fix"].as_str().unwrap().contains("--response"));
    assert_eq!(rules(&v, "error"), ["preflight/no-test-login"]);
    // Nothing but the metadata to check the names against, and it lists none: not checked,
    // but not blocking by itself.
    assert_eq!(state(&v, "mapping-complete"), "not-checked");
    assert_eq!(item(&v, "mapping-complete")["blocking"], false);

    let mut skip = base.to_vec();
    skip.push("--no-test-login");
    let (code, v) = check(&skip);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(state(&v, "test-login"), "skipped");
    assert_eq!(v["test_login"], Value::Null);
}

#[test]
fn a_rejected_test_login_is_no_go_and_each_wrong_url_is_reported_once() {
    // The login was made for org acme; the admin checks org acme-corp.
    let (md, resp) = (metadata("okta"), response("okta"));
    let (code, v) = check(&[
        "--org",
        "acme-corp",
        "--idp-metadata",
        &md,
        "--response",
        &resp,
        "--now",
        NOW,
        "--map",
        "user-id=email",
    ]);
    assert_eq!(code, 1);
    assert_eq!(state(&v, "test-login"), "fail");
    assert_eq!(v["test_login"]["accepted"], false);
    let detail = item(&v, "test-login")["detail"].as_str().unwrap();
    assert!(detail.contains("response/destination-mismatch"), "{detail}");
    // verify's own URL findings are folded into the sp/* ones, which carry the console fix.
    assert!(findings(&v, "response/destination-mismatch").is_empty());
    assert!(findings(&v, "assertion/recipient-mismatch").is_empty());
    assert!(findings(&v, "assertion/audience-mismatch").is_empty());
    let acs = only(&v, "sp/acs-mismatch");
    assert_eq!(hints(acs), ["slug-typo"]);
    assert_eq!(acs["expected"], "https://sentry.io/saml/acs/acme-corp/");
    assert_eq!(acs["found"], ACS);
    assert_eq!(acs["location"]["file"], resp);
    assert!(acs["fix"].as_str().unwrap().starts_with(
        "In Okta: Single sign-on URL, set it to https://sentry.io/saml/acs/acme-corp/"
    ));
    let notes: Vec<&str> = acs["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(
        notes.contains(&"seen in: Destination, Recipient"),
        "{notes:?}"
    );
    assert!(
        notes.contains(&"the test login was rejected for it (response/destination-mismatch, assertion/recipient-mismatch)"),
        "{notes:?}"
    );
    let audience = only(&v, "sp/audience-mismatch");
    assert_eq!(
        audience["expected"],
        "https://sentry.io/saml/metadata/acme-corp/"
    );
}

#[test]
fn a_response_signed_by_another_key_fails_the_test_login() {
    let (md, resp) = (metadata("okta"), response("entra"));
    let (code, v) = check(&[
        "--org",
        "acme",
        "--idp-metadata",
        &md,
        "--response",
        &resp,
        "--now",
        NOW,
    ]);
    assert_eq!(code, 1);
    assert_eq!(state(&v, "test-login"), "fail");
    assert!(!findings(&v, "signature/untrusted-key").is_empty(), "{v:#}");
}

// ---- URLs: every near-miss hint through `check` ----------------------------------------------

#[test]
fn each_hint_kind_with_rule_and_exact_value() {
    struct Case {
        org: &'static str,
        base: Option<&'static str>,
        flag: &'static str,
        value: &'static str,
        rule: &'static str,
        hint: &'static str,
        expected: &'static str,
    }
    let c = |flag, value, rule, hint, expected| Case {
        org: "acme",
        base: None,
        flag,
        value,
        rule,
        hint,
        expected,
    };
    let cases = [
        c(
            "--acs",
            "https://sentry.io/saml/acs/acme",
            "sp/acs-mismatch",
            "trailing-slash",
            ACS,
        ),
        c(
            "--acs",
            "http://sentry.io/saml/acs/acme/",
            "sp/acs-mismatch",
            "scheme",
            ACS,
        ),
        c(
            "--acs",
            "https://sentry.company/saml/acs/acme/",
            "sp/acs-mismatch",
            "host",
            ACS,
        ),
        c(
            "--acs",
            "https://sentry.io:8443/saml/acs/acme/",
            "sp/acs-mismatch",
            "port",
            ACS,
        ),
        Case {
            org: "acme",
            base: Some("https://sentry.company/prefix"),
            flag: "--acs",
            value: "https://sentry.company/saml/acs/acme/",
            rule: "sp/acs-mismatch",
            hint: "path-prefix",
            expected: "https://sentry.company/prefix/saml/acs/acme/",
        },
        Case {
            org: "acme-corp",
            base: None,
            flag: "--acs",
            value: "https://sentry.io/saml/acs/acme-crop/",
            rule: "sp/acs-mismatch",
            hint: "slug-typo",
            expected: "https://sentry.io/saml/acs/acme-corp/",
        },
        c(
            "--audience",
            "https://Sentry.io/saml/metadata/acme/",
            "sp/audience-mismatch",
            "case",
            AUDIENCE,
        ),
        c(
            "--acs",
            " https://sentry.io/saml/acs/acme/",
            "sp/acs-mismatch",
            "whitespace",
            ACS,
        ),
        c(
            "--audience",
            "https://sentry.io/saml/metadata/acme/\u{200B}",
            "sp/audience-mismatch",
            "whitespace",
            AUDIENCE,
        ),
        c(
            "--acs",
            "https%3A%2F%2Fsentry.io%2Fsaml%2Facs%2Facme%2F",
            "sp/acs-mismatch",
            "encoding",
            ACS,
        ),
        c(
            "--acs",
            "https://sentry.io/saml/acs/acme/?next=/",
            "sp/acs-mismatch",
            "query-or-fragment",
            ACS,
        ),
        c(
            "--audience",
            ACS,
            "sp/audience-mismatch",
            "swapped",
            AUDIENCE,
        ),
        c("--acs", AUDIENCE, "sp/acs-mismatch", "swapped", ACS),
        c("--sls", ACS, "sp/sls-mismatch", "swapped", SLS),
        c(
            "--sls",
            "https://sentry.io/saml/sls/acme",
            "sp/sls-mismatch",
            "trailing-slash",
            SLS,
        ),
    ];
    let md = metadata("vendors/okta");
    for case in &cases {
        let mut args = vec![
            "--org",
            case.org,
            "--idp-metadata",
            &md,
            "--now",
            NOW,
            "--no-test-login",
            case.flag,
            case.value,
        ];
        if let Some(b) = case.base {
            args.extend(["--base-url", b]);
        }
        // The other fields, exact, so that only the case's finding is there.
        let expected_acs = case
            .expected
            .replace("/metadata/", "/acs/")
            .replace("/sls/", "/acs/");
        let expected_audience = expected_acs.replace("/acs/", "/metadata/");
        if case.flag != "--acs" {
            args.extend(["--acs", &expected_acs]);
        }
        if case.flag != "--audience" {
            args.extend(["--audience", &expected_audience]);
        }
        let (code, v) = check(&args);
        let f = only(&v, case.rule);
        assert_eq!(hints(f), [case.hint], "{}: {f:#}", case.value);
        assert_eq!(f["expected"], case.expected, "{}", case.value);
        assert_eq!(f["found"], case.value, "{}", case.value);
        assert!(
            f["fix"]
                .as_str()
                .unwrap()
                .contains(&format!("set it to {} exactly", case.expected)),
            "{}: {}",
            case.value,
            f["fix"]
        );
        let sp_findings = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"].as_str().unwrap().starts_with("sp/"))
            .count();
        assert_eq!(sp_findings, 1, "{}: {:#}", case.value, v["findings"]);
        // The SLS mismatch is a warning: the login works, so GO.
        let (want_code, want_state) = if case.rule == "sp/sls-mismatch" {
            (0, "warn")
        } else {
            (1, "fail")
        };
        assert_eq!(code, want_code, "{}", case.value);
        assert_eq!(state(&v, "urls-exact"), want_state, "{}", case.value);
    }
}

#[test]
fn console_field_names_follow_the_detected_vendor() {
    for (vendor, field) in [
        ("okta", "Okta: Single sign-on URL"),
        (
            "entra",
            "Entra ID: Reply URL (Assertion Consumer Service URL)",
        ),
        ("google", "Google Workspace: ACS URL"),
        ("authentik", "authentik: ACS URL"),
        (
            "adfs",
            "AD FS: SAML Assertion Consumer Endpoints (Endpoints tab)",
        ),
    ] {
        let md = metadata(&format!("vendors/{vendor}"));
        let (_, v) = check(&[
            "--org",
            "acme",
            "--idp-metadata",
            &md,
            "--now",
            NOW,
            "--no-test-login",
            "--acs",
            "https://sentry.io/saml/acs/acme",
            "--audience",
            AUDIENCE,
        ]);
        let f = only(&v, "sp/acs-mismatch");
        assert!(
            f["fix"]
                .as_str()
                .unwrap()
                .starts_with(&format!("In {field}, set it to {ACS} exactly")),
            "{vendor}: {}",
            f["fix"]
        );
    }
    // No product recognized: the generic names, and an info that says so.
    let md = metadata("ecdsa");
    let (_, v) = check(&[
        "--org",
        "acme",
        "--idp-metadata",
        &md,
        "--now",
        NOW,
        "--no-test-login",
        "--acs",
        "https://sentry.io/saml/acs/acme",
        "--audience",
        AUDIENCE,
    ]);
    assert_eq!(v["idp"]["vendor"], Value::Null);
    assert_eq!(only(&v, "preflight/vendor-unknown")["severity"], "info");
    assert!(only(&v, "sp/acs-mismatch")["fix"]
        .as_str()
        .unwrap()
        .starts_with("Set the ACS URL in the IdP application to"));
}

#[test]
fn urls_not_seen_anywhere_are_not_checked() {
    let md = metadata("okta");
    let (code, v) = check(&[
        "--org",
        "acme",
        "--idp-metadata",
        &md,
        "--now",
        NOW,
        "--no-test-login",
        "--acs",
        ACS,
    ]);
    assert_eq!(code, 1);
    assert_eq!(state(&v, "urls-exact"), "not-checked");
    let f = only(&v, "preflight/urls-unchecked");
    assert_eq!(f["expected"], AUDIENCE);
}

#[test]
fn sp_metadata_exported_from_the_idp_counts_as_typed() {
    let dir = tempfile::tempdir().unwrap();
    let sp = dir.path().join("sp.xml");
    let out = Command::cargo_bin("samlcheck")
        .unwrap()
        .args([
            "sp-metadata",
            "--org",
            "acme",
            "--base-url",
            "http://sentry.io",
        ])
        .output()
        .unwrap();
    std::fs::write(&sp, &out.stdout).unwrap();
    let sp = sp.display().to_string();
    let md = metadata("vendors/google");
    let (code, v) = check(&[
        "--org",
        "acme",
        "--idp-metadata",
        &md,
        "--now",
        NOW,
        "--no-test-login",
        "--sp-metadata",
        &sp,
    ]);
    assert_eq!(code, 1);
    for rule in ["sp/acs-mismatch", "sp/audience-mismatch", "sp/sls-mismatch"] {
        let f = only(&v, rule);
        assert_eq!(hints(f), ["scheme"], "{rule}");
        assert_eq!(f["location"]["file"], sp.as_str(), "{rule}");
    }
    // Google Workspace has no field for the SLS: the generic fix stays.
    assert!(only(&v, "sp/acs-mismatch")["fix"]
        .as_str()
        .unwrap()
        .starts_with("In Google Workspace: ACS URL, set it to"));
    assert!(only(&v, "sp/sls-mismatch")["fix"]
        .as_str()
        .unwrap()
        .starts_with("Set the Single Logout URL in the IdP application"));
}

#[test]
fn an_invalid_slug_is_reported_and_nothing_is_compared_with_it() {
    let md = metadata("okta");
    let (code, v) = check(&[
        "--org",
        "Acme Corp",
        "--idp-metadata",
        &md,
        "--now",
        NOW,
        "--acs",
        ACS,
        "--audience",
        AUDIENCE,
        "--response",
        &response("okta"),
    ]);
    assert_eq!(code, 1);
    let f = only(&v, "sp/org-slug-invalid");
    assert_eq!(f["expected"], "acme-corp");
    assert_eq!(state(&v, "urls-exact"), "fail");
    assert_eq!(state(&v, "test-login"), "not-checked");
    assert!(findings(&v, "sp/acs-mismatch").is_empty());
    assert!(v["enter"].as_array().unwrap().is_empty());
}

#[test]
fn an_sp_outside_the_org_profile() {
    let (md, resp) = (metadata("okta"), response("okta"));
    let explicit = |entity: &str, acs: &str| {
        check(&[
            "--sp-entity-id",
            entity,
            "--sp-acs",
            acs,
            "--idp-metadata",
            &md,
            "--response",
            &resp,
            "--now",
            NOW,
            "--map",
            "user-id=email",
        ])
    };
    let (code, v) = explicit(AUDIENCE, ACS);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["sp"]["org"], Value::Null);
    let (code, v) = explicit("https://app.example/sp", "https://app.example/sso/acs");
    assert_eq!(code, 1);
    assert_eq!(
        only(&v, "sp/acs-mismatch")["expected"],
        "https://app.example/sso/acs"
    );
}

// ---- mapping ---------------------------------------------------------------------------------

#[test]
fn mapping_findings_through_check() {
    struct Case {
        vendor: &'static str,
        map: &'static str,
        rule: &'static str,
        severity: &'static str,
        expected: &'static str,
        found: &'static str,
    }
    let cases = [
        Case {
            vendor: "okta",
            map: "email=mail",
            rule: "mapping/attribute-not-found",
            severity: "error",
            expected: "email",
            found: "mail",
        },
        Case {
            vendor: "okta",
            map: "first-name=firstname",
            rule: "mapping/attribute-not-found",
            severity: "warning",
            expected: "firstName",
            found: "firstname",
        },
        Case {
            vendor: "keycloak",
            map: "email=email",
            rule: "mapping/attribute-not-found",
            severity: "error",
            expected: "urn:oid:1.2.840.113549.1.9.1",
            found: "email",
        },
        Case {
            vendor: "okta",
            map: "email=firstName",
            rule: "mapping/invalid-email",
            severity: "error",
            expected: "email",
            found: "Jane",
        },
        Case {
            vendor: "entra",
            map: "user-id=http://schemas.microsoft.com/claims/authnmethodsreferences",
            rule: "mapping/unstable-user-id",
            severity: "error",
            expected:
                "an immutable per-user identifier (object ID, user ID, persistent NameID value)",
            found: "http://schemas.microsoft.com/claims/authnmethodsreferences",
        },
        Case {
            vendor: "keycloak",
            map: "user-id=Role",
            rule: "mapping/multi-valued",
            severity: "error",
            expected: "one value for IdP User ID",
            found: "offline_access, uma_authorization",
        },
        Case {
            vendor: "authentik",
            map: "first-name=http://schemas.xmlsoap.org/claims/Group",
            rule: "mapping/multi-valued",
            severity: "warning",
            expected: "one value for First Name",
            found: "engineering, authentik Admins",
        },
    ];
    for c in &cases {
        let md = metadata(&format!("vendors/{}", c.vendor));
        let resp = response(&format!("vendors/{}", c.vendor));
        let (code, v) = check(&[
            "--org",
            "acme",
            "--idp-metadata",
            &md,
            "--response",
            &resp,
            "--now",
            NOW,
            "--map",
            c.map,
        ]);
        let f = only(&v, c.rule);
        assert_eq!(f["severity"], c.severity, "{}", c.map);
        assert_eq!(f["expected"], c.expected, "{}", c.map);
        assert_eq!(f["found"], c.found, "{}", c.map);
        let want = if c.severity == "error" {
            (1, "fail")
        } else {
            (0, "warn")
        };
        assert_eq!(
            (code, state(&v, "mapping-complete").as_str()),
            want,
            "{}",
            c.map
        );
    }
}

#[test]
fn missing_required_field_without_preset() {
    // Unknown product, so no preset: only what --map names.
    let (md, resp) = (metadata("ecdsa"), response("ecdsa"));
    let (code, v) = check(&[
        "--org",
        "acme",
        "--idp-metadata",
        &md,
        "--response",
        &resp,
        "--now",
        NOW,
        "--map",
        "email=email",
    ]);
    assert_eq!(code, 1);
    assert_eq!(v["mapping"]["preset"], Value::Null);
    let f = only(&v, "mapping/missing-required");
    assert!(f["message"]
        .as_str()
        .unwrap()
        .contains("IdP User ID is not mapped"));
    let (code, v) = check(&[
        "--org",
        "acme",
        "--idp-metadata",
        &md,
        "--response",
        &resp,
        "--now",
        NOW,
        "--map",
        "email=email,user-id=email",
    ]);
    assert_eq!(code, 0, "{v:#}");
}

#[test]
fn the_preset_of_another_vendor_is_flagged_and_the_response_names_the_right_attributes() {
    let (md, resp) = (metadata("vendors/okta"), response("vendors/okta"));
    let (code, v) = check(&[
        "--org",
        "acme",
        "--idp-metadata",
        &md,
        "--response",
        &resp,
        "--now",
        NOW,
        "--preset",
        "entra",
    ]);
    assert_eq!(code, 1);
    assert_eq!(v["mapping"]["preset_source"], "flag");
    let m = only(&v, "preflight/preset-mismatch");
    assert_eq!(
        (m["expected"].as_str(), m["found"].as_str()),
        (Some("okta"), Some("entra"))
    );
    let suggested: Vec<&str> = findings(&v, "mapping/attribute-not-found")
        .iter()
        .map(|f| f["expected"].as_str().unwrap())
        .collect();
    assert_eq!(suggested, ["identifier", "email", "firstName", "lastName"]);
}

// ---- per vendor ------------------------------------------------------------------------------

/// Each vendor's metadata is detected, its preset is the default, and a test login shaped
/// like that vendor's passes the whole checklist.
#[test]
fn every_vendor_fixture_is_detected_and_its_preset_fits_its_login() {
    let vendors = [
        ("adfs", "adfs", "AD FS"),
        ("auth0", "auth0", "Auth0"),
        ("authentik", "authentik", "authentik"),
        ("entra", "entra", "Entra ID"),
        ("google", "google", "Google Workspace"),
        ("jumpcloud", "jumpcloud", "JumpCloud"),
        ("keycloak", "keycloak", "Keycloak"),
        ("okta", "okta", "Okta"),
        ("onelogin", "onelogin", "OneLogin"),
        ("pingfederate", "ping", "PingFederate"),
        ("rippling", "rippling", "Rippling"),
        ("shibboleth", "shibboleth", "Shibboleth IdP"),
        ("simplesamlphp", "simplesamlphp", "SimpleSAMLphp"),
    ];
    let on_disk = std::fs::read_dir(format!("{ROOT}/fixtures/responses/vendors"))
        .unwrap()
        .count();
    assert_eq!(on_disk, vendors.len(), "a vendor response has no case here");
    for (file, preset, name) in vendors {
        let md = metadata(&format!("vendors/{file}"));
        let resp = response(&format!("vendors/{file}"));
        let (code, v) = check(&[
            "--org",
            "acme",
            "--idp-metadata",
            &md,
            "--response",
            &resp,
            "--now",
            NOW,
            "--request-id",
            "_req-4f1c2a",
        ]);
        assert_eq!(code, 0, "{file}: {v:#}");
        assert_eq!(v["idp"]["vendor"], file, "{file}");
        assert!(
            !v["idp"]["evidence"].as_array().unwrap().is_empty(),
            "{file}"
        );
        assert_eq!(v["mapping"]["preset"], preset, "{file}");
        assert_eq!(v["mapping"]["preset_source"], "detected", "{file}");
        assert_eq!(state(&v, "mapping-complete"), "ok", "{file}: {v:#}");
        assert_eq!(state(&v, "test-login"), "ok", "{file}");
        assert!(
            item(&v, "mapping-complete")["detail"]
                .as_str()
                .unwrap()
                .contains("checked against the test login's attributes"),
            "{file}"
        );
        assert!(
            v["enter"][0]["console"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{name}: ")),
            "{file}: {}",
            v["enter"][0]
        );
        let expected_warnings: &[&str] = match file {
            // Its back-channel certificate comes first; the login is signed with the second.
            "shibboleth" => &["preflight/signer-not-first"],
            _ => &[],
        };
        assert_eq!(rules(&v, "warning"), expected_warnings, "{file}");
        assert!(rules(&v, "error").is_empty(), "{file}");
    }
}

// ---- certificate window ----------------------------------------------------------------------

#[test]
fn the_certificate_must_stay_valid_for_the_window() {
    let (md, resp) = (metadata("okta"), response("okta"));
    let args = |days: &'static str| {
        check(&[
            "--org",
            "acme",
            "--idp-metadata",
            &md,
            "--response",
            &resp,
            "--now",
            NOW,
            "--map",
            "user-id=email",
            "--expiry-warning-days",
            days,
        ])
    };
    // The certificate ends on 2045-01-01: 6925 days after --now.
    let (code, v) = args("6925");
    assert_eq!(code, 0, "{v:#}");
    let (code, v) = args("7000");
    assert_eq!(code, 1);
    assert_eq!(state(&v, "certificate-valid"), "fail");
    assert_eq!(
        item(&v, "certificate-valid")["title"],
        "signing certificate valid for at least 7000 more days"
    );
    let f = only(&v, "cert/expiring-soon");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["location"]["file"], md);
}

// ---- samlcheck.toml --------------------------------------------------------------------------

fn configured_dir(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("idp")).unwrap();
    for (from, to) in [
        ("fixtures/metadata/vendors/entra.xml", "idp/entra.xml"),
        ("fixtures/responses/vendors/entra.xml", "login.xml"),
    ] {
        std::fs::copy(format!("{ROOT}/{from}"), dir.path().join(to)).unwrap();
    }
    std::fs::write(
        dir.path().join("samlcheck.toml"),
        format!(
            "org = \"acme\"\nidp_metadata = \"idp/entra.xml\"\npreset = \"entra\"\nexpiry_warning_days = 60\n{extra}"
        ),
    )
    .unwrap();
    dir
}

#[test]
fn a_configured_directory_needs_no_flags() {
    let dir = configured_dir("");
    let cwd = dir.path().to_str().unwrap();
    // Bare: everything from the file; without a test login that is NO-GO, and says why.
    let (code, text, stderr) = run_in(cwd, &[]);
    assert_eq!(code, 1, "{text}{stderr}");
    assert!(text.contains("samlcheck check: org acme, SP https://sentry.io/saml/metadata/acme/"));
    assert!(text.contains("(preset entra (samlcheck.toml))"), "{text}");
    assert!(
        text.contains("signing certificate valid for at least 60 more days"),
        "{text}"
    );
    assert!(
        text.contains("[not checked] successful test login seen"),
        "{text}"
    );

    let (code, stdout, stderr) = run_in(
        cwd,
        &["--response", "login.xml", "--now", NOW, "--format", "json"],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["mapping"]["preset_source"], "config");
    assert_eq!(v["idp"]["metadata"], "idp/entra.xml");

    // Flags win over the file.
    let (code, stdout, _) = run_in(
        cwd,
        &[
            "--response",
            "login.xml",
            "--now",
            NOW,
            "--org",
            "acme-corp",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(hints(only(&v, "sp/acs-mismatch")), ["slug-typo"]);
}

#[test]
fn the_config_mapping_and_rules_apply() {
    let dir = configured_dir(
        "[map]\nemail = \"email\"\n[rules]\n\"preflight/no-test-login\" = \"off\"\n\"preflight/urls-unchecked\" = \"off\"\n",
    );
    let cwd = dir.path().to_str().unwrap();
    let (code, stdout, stderr) = run_in(cwd, &["--now", NOW, "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stdout}{stderr}"));
    // [map] overrides the preset's email; the metadata advertises claim URIs, not `email`.
    assert_eq!(v["mapping"]["overridden"], serde_json::json!(["email"]));
    let f = only(&v, "mapping/attribute-not-found");
    assert_eq!(f["severity"], "warning");
    assert_eq!(
        f["expected"],
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
    );
    // The two "not checked" rules are off, so nothing blocks.
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(state(&v, "test-login"), "not-checked");
    assert!(findings(&v, "preflight/no-test-login").is_empty());
}

// ---- formats and exit codes ------------------------------------------------------------------

#[test]
fn ci_formats_carry_the_findings() {
    let md = metadata("vendors/okta");
    let args = [
        "--org",
        "acme",
        "--idp-metadata",
        &md,
        "--now",
        NOW,
        "--no-test-login",
        "--acs",
        "http://sentry.io/saml/acs/acme/",
        "--audience",
        AUDIENCE,
    ];
    let run = |format: &str| {
        let mut a = args.to_vec();
        a.extend(["--format", format]);
        run_in(ROOT, &a)
    };
    let (code, sarif, _) = run("sarif");
    assert_eq!(code, 1);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "sp/acs-mismatch"));

    let (code, junit, _) = run("junit");
    assert_eq!(code, 1);
    assert!(
        junit.contains("<testsuite name=\"URLs exact\" tests=\"1\" failures=\"1\""),
        "{junit}"
    );
    assert!(
        junit.contains("<testsuite name=\"metadata valid\""),
        "{junit}"
    );

    let (code, github, _) = run("github");
    assert_eq!(code, 1);
    assert!(
        github
            .lines()
            .any(|l| l.starts_with("::error title=sp/acs-mismatch::")),
        "{github}"
    );

    let (code, jsonl, _) = run("jsonl");
    assert_eq!(code, 1);
    assert_eq!(jsonl.lines().count(), 1);
}

#[test]
fn unreadable_input_and_usage_errors_exit_2() {
    let md = metadata("okta");
    let not_xml = "fixtures/certs/broken-stray-char.txt";
    for (args, message) in [
        (vec!["--idp-metadata", md.as_str()], "no organization"),
        (vec!["--org", "acme"], "no IdP metadata"),
        (
            vec!["--org", "acme", "--idp-metadata", "no/such.xml"],
            "cannot read no/such.xml",
        ),
        (
            vec!["--org", "acme", "--idp-metadata", not_xml],
            "cannot be read",
        ),
        (
            vec![
                "--org",
                "acme",
                "--idp-metadata",
                "fixtures/metadata/rules/aggregate-small.xml",
            ],
            "--idp-entity-id",
        ),
        (
            vec!["--org", "acme", "--idp-metadata", &md, "--preset", "octa"],
            "not a preset",
        ),
        (
            vec!["--org", "acme", "--idp-metadata", &md, "--map", "mail=x"],
            "--map mail=x",
        ),
        (
            vec!["--org", "acme", "--idp-metadata", &md, "--sp-metadata", &md],
            "describes no service provider",
        ),
        (
            vec![
                "--org",
                "acme",
                "--idp-metadata",
                &md,
                "--base-url",
                "sentry.io",
            ],
            "base URL",
        ),
        (
            vec![
                "--org",
                "acme",
                "--idp-metadata",
                &md,
                "--response",
                "no/such/capture.xml",
            ],
            "no/such/capture.xml",
        ),
    ] {
        let (code, stdout, stderr) = run_in(ROOT, &args);
        assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    // A response that cannot be decoded: the report is printed, and the exit code is 2.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.b64");
    std::fs::write(&bad, "not base64 at all!").unwrap();
    let (code, v) = check(&[
        "--org",
        "acme",
        "--idp-metadata",
        &md,
        "--response",
        bad.to_str().unwrap(),
        "--now",
        NOW,
    ]);
    assert_eq!(code, 2);
    assert_eq!(state(&v, "test-login"), "fail");
    assert!(!findings(&v, "input/decode-failed").is_empty());
}

#[test]
fn metadata_without_an_idp_is_no_go_not_unreadable() {
    let md = "fixtures/metadata/rules/metadata__no-idp-descriptor.xml";
    let (code, v) = check(&[
        "--org",
        "acme",
        "--idp-metadata",
        md,
        "--now",
        NOW,
        "--response",
        &response("okta"),
    ]);
    assert_eq!(code, 1);
    assert_eq!(state(&v, "metadata-valid"), "fail");
    assert!(!findings(&v, "metadata/no-idp-descriptor").is_empty());
    assert_eq!(state(&v, "certificate-valid"), "not-checked");
    assert_eq!(state(&v, "test-login"), "not-checked");
}

#[test]
fn help_ends_with_examples_and_the_bundled_one_runs() {
    let out = Command::cargo_bin("samlcheck")
        .unwrap()
        .args(["check", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("--no-test-login"));
    assert!(help
        .contains("Without --response the test login is \"not checked\" and the verdict is NO-GO"));
    let examples = help
        .split("\nExamples (run from a clone of samlcheck: they use its fixtures/):\n")
        .nth(1)
        .expect("an Examples section");
    let joined = examples.replace("\\\n", " ");
    let commands: Vec<&str> = joined
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("samlcheck check"))
        .collect();
    assert_eq!(commands.len(), 3, "{examples}");
    // The first runs on the bundled fixtures.
    let args: Vec<&str> = commands[0].split_whitespace().skip(2).collect();
    assert!(args.iter().any(|a| a.starts_with("fixtures/")), "{args:?}");
    let (code, stdout, stderr) = run_in(ROOT, &args);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

/// The metadata and certificate items report what `samlcheck lint` reports for the same
/// entity (the same rules, run on the IdP entity check picked).
#[test]
fn metadata_findings_are_the_lint_findings() {
    let mut files: Vec<String> = std::fs::read_dir(format!("{ROOT}/fixtures/metadata/vendors"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .map(|p| {
            format!(
                "fixtures/metadata/vendors/{}",
                p.file_name().unwrap().to_str().unwrap()
            )
        })
        .collect();
    files.sort();
    for rule in [
        "metadata__expired",
        "metadata__expiring-soon",
        "metadata__insecure-endpoint",
        "metadata__signature-invalid",
        "metadata__transient-nameid-only",
        "metadata__entity-id-invalid",
        "cert__missing",
    ] {
        files.push(format!("fixtures/metadata/rules/{rule}.xml"));
    }
    for file in &files {
        let out = Command::cargo_bin("samlcheck")
            .unwrap()
            .current_dir(ROOT)
            .args(["lint", file, "--now", NOW, "--format", "json"])
            .output()
            .unwrap();
        let lint: Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut want: Vec<(String, u64, u64)> = lint["files"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["location"]["line"].as_u64().unwrap_or(0),
                    f["location"]["column"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        want.sort();
        let (_, v) = check(&[
            "--org",
            "acme",
            "--idp-metadata",
            file,
            "--now",
            NOW,
            "--no-test-login",
        ]);
        let mut got: Vec<(String, u64, u64)> = ["metadata-valid", "certificate-valid"]
            .iter()
            .flat_map(|id| {
                let rules = item(&v, id)["rules"].as_array().unwrap().clone();
                rules.into_iter().map(|r| r.as_str().unwrap().to_string())
            })
            .flat_map(|rule| {
                findings(&v, &rule)
                    .into_iter()
                    .map(|f| {
                        (
                            f["rule"].as_str().unwrap().to_string(),
                            f["location"]["line"].as_u64().unwrap_or(0),
                            f["location"]["column"].as_u64().unwrap_or(0),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .filter(|(rule, ..)| !rule.starts_with("preflight/"))
            .collect();
        got.sort();
        got.dedup();
        assert_eq!(got, want, "{file}");
    }
}
