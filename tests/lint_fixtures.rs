//! Every metadata fixture gives exactly its findings: one rule per rule fixture (named after
//! the file), and nothing but the expected notes on the real-shaped vendor metadata.

use assert_cmd::Command;
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn lint(file: &str, extra: &[&str]) -> (i32, Value) {
    let out = Command::cargo_bin("samlcheck")
        .unwrap()
        .arg("lint")
        .arg(format!("{ROOT}/fixtures/metadata/{file}"))
        .args(["--now", "2026-01-15T10:00:00Z", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    (out.status.code().unwrap(), v["files"][0].clone())
}

fn rules(v: &Value) -> Vec<String> {
    let mut r: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    r.sort();
    r.dedup();
    r
}

#[test]
fn vendor_metadata_is_clean_but_for_notes() {
    let expected: &[(&str, &[&str])] = &[
        ("adfs", &["metadata/ignored-role-descriptor"]),
        ("auth0", &[]),
        ("authentik", &[]),
        ("entra", &["metadata/ignored-role-descriptor"]),
        ("google", &[]),
        ("jumpcloud", &[]),
        ("keycloak", &["metadata/want-authn-requests-signed"]),
        ("okta", &[]),
        ("onelogin", &[]),
        ("pingfederate", &[]),
        ("rippling", &[]),
        (
            "shibboleth",
            &["cert/rollover", "metadata/ignored-role-descriptor"],
        ),
        ("simplesamlphp", &["metadata/redirect-only-sso"]),
    ];
    let on_disk = std::fs::read_dir(format!("{ROOT}/fixtures/metadata/vendors"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "xml")
        })
        .count();
    assert_eq!(
        on_disk,
        expected.len(),
        "a vendor fixture has no expectation here"
    );
    for (vendor, want) in expected {
        let (code, v) = lint(&format!("vendors/{vendor}.xml"), &[]);
        assert_eq!(code, 0, "{vendor}: {v:#}");
        assert_eq!(rules(&v), *want, "{vendor}");
        assert_eq!(v["entities"], 1, "{vendor}");
    }
    let (_, v) = lint("vendors/authentik.xml", &[]);
    assert_eq!(v["signature"]["verified"], true);
}

#[test]
fn each_rule_fixture_triggers_exactly_its_rule() {
    let dir = format!("{ROOT}/fixtures/metadata/rules");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let Some(stem) = name.strip_suffix(".xml") else {
            continue;
        };
        let Some((family, rule)) = stem.split_once("__") else {
            continue;
        };
        let rule = rule
            .trim_end_matches("-aggregate")
            .trim_end_matches("-too-long");
        // That fixture is an SP's metadata: an error only where an IdP is required.
        let extra: &[&str] = if rule == "no-idp-descriptor" {
            &["--require-idp"]
        } else {
            &[]
        };
        let (code, v) = lint(&format!("rules/{name}"), extra);
        let want: Vec<String> = match rule {
            "signature-missing" | "signed-aggregate-valid" => vec![],
            _ => vec![format!("{family}/{rule}")],
        };
        assert_eq!(rules(&v), want, "{name}");
        let severity = v["findings"]
            .get(0)
            .map(|f| f["severity"].as_str().unwrap().to_string());
        let expected_code = if severity.as_deref() == Some("error") {
            1
        } else {
            0
        };
        assert_eq!(code, expected_code, "{name}");
        checked += 1;
    }
    assert!(checked >= 19, "only {checked} rule fixtures");
}

#[test]
fn sp_metadata_lints_as_such_unless_an_idp_is_required() {
    let (code, v) = lint("rules/metadata__no-idp-descriptor.xml", &[]);
    assert_eq!((code, rules(&v)), (0, vec![]));
}

#[test]
fn signer_cert_decides_signature_rules() {
    let signer = format!("{ROOT}/fixtures/keys/idp-rsa.crt");
    let attacker = format!("{ROOT}/fixtures/keys/attacker.crt");
    let (code, v) = lint(
        "rules/metadata__signature-missing.xml",
        &["--signer-cert", &signer],
    );
    assert_eq!(
        (code, rules(&v)),
        (1, vec!["metadata/signature-missing".to_string()])
    );
    let (code, v) = lint("rules/aggregate-small.xml", &["--signer-cert", &signer]);
    assert_eq!(
        (code, rules(&v)),
        (1, vec!["metadata/signature-missing".to_string()])
    );
    assert_eq!(v["entities"], 5);
    let (code, v) = lint(
        "rules/metadata__signed-aggregate-valid.xml",
        &["--signer-cert", &signer],
    );
    assert_eq!((code, rules(&v)), (0, vec![]));
    assert_eq!(v["signature"]["trusted"], true);
    let (code, v) = lint(
        "rules/metadata__signed-aggregate-valid.xml",
        &["--signer-cert", &attacker],
    );
    assert_eq!(
        (code, rules(&v)),
        (1, vec!["metadata/signature-invalid".to_string()])
    );
}

#[test]
fn directories_are_walked_for_xml() {
    let out = Command::cargo_bin("samlcheck")
        .unwrap()
        .args([
            "lint",
            &format!("{ROOT}/fixtures/metadata/vendors"),
            "--now",
            "2026-01-15T10:00:00Z",
            "--format",
            "jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 13);
}

/// A file named twice, or named beside a folder that holds it, is linted once.
#[test]
fn each_file_is_linted_once_however_often_it_is_named() {
    let files = |paths: &[&str]| -> Vec<String> {
        let out = Command::cargo_bin("samlcheck")
            .unwrap()
            .current_dir(ROOT)
            .arg("lint")
            .args(paths)
            .args(["--now", "2026-01-15T10:00:00Z", "--format", "jsonl"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{paths:?}");
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["file"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let okta = "fixtures/metadata/vendors/okta.xml";
    assert_eq!(files(&[okta, okta]), [okta]);
    let walked = files(&["fixtures/metadata/vendors", okta]);
    assert_eq!(walked.len(), 13, "{walked:?}");
    assert_eq!(
        walked.iter().filter(|f| f.ends_with("/okta.xml")).count(),
        1
    );
}
