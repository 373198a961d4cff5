//! python3-saml's response vectors (../shared/interop): our signature verdicts and rule ids
//! against theirs. Their SP URLs differ from file to file, so valid vectors are checked at the
//! signature layer; invalid ones must be rejected under the rule that names their defect.

use samlcheck::checks::response::{verify_response, Verdict, VerifyOptions};
use samlcheck::checks::Severity;
use samlcheck::saml::metadata::IdpMetadata;
use samlcheck::sp::SpProfile;
use samlcheck::xml::dsig::keys::decode_cert_base64;
use samlcheck::xml::dsig::TrustedKey;
use std::path::PathBuf;

fn root() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/interop/python3-saml"
    ));
    p.is_dir().then_some(p)
}

fn idp(root: &std::path::Path) -> IdpMetadata {
    let settings: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("settings/settings1.json")).unwrap(),
    )
    .unwrap();
    let cert = settings["idp"]["x509cert"].as_str().unwrap();
    IdpMetadata {
        entity_id: settings["idp"]["entityId"].as_str().unwrap().to_string(),
        signing_keys: vec![TrustedKey::from_der(decode_cert_base64(cert).unwrap()).unwrap()],
        bad_certificates: Vec::new(),
    }
}

fn run(root: &std::path::Path, file: &str) -> Verdict {
    let sp = SpProfile::explicit(
        "http://stuff.com/endpoints/metadata.php",
        "http://stuff.com/endpoints/endpoints/acs.php",
        None,
    );
    let now = samlcheck::saml::time::parse_instant("2014-02-19T01:37:01Z").unwrap();
    let bytes = std::fs::read(root.join("data/responses").join(file)).unwrap();
    verify_response(&bytes, &idp(root), &sp, &VerifyOptions::at(now))
}

fn errors(v: &Verdict) -> Vec<&'static str> {
    v.findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.rule)
        .collect()
}

#[test]
fn valid_vectors_verify_at_the_signature_layer() {
    let Some(root) = root() else {
        println!("skipped: interop vectors not present");
        return;
    };
    for file in [
        "valid_response.xml.base64",
        "signed_message_response.xml.base64",
        "signed_assertion_response.xml.base64",
        "double_signed_response.xml.base64",
    ] {
        let v = run(&root, file);
        assert!(v.readable, "{file}");
        assert!(
            !v.signatures.is_empty() && v.signatures.iter().all(|s| s.verified),
            "{file}: {:?}",
            v.signatures
        );
        let sig_errors: Vec<_> = errors(&v)
            .into_iter()
            .filter(|r| r.starts_with("signature/"))
            .collect();
        assert!(sig_errors.is_empty(), "{file}: {sig_errors:?}");
    }
}

#[test]
fn invalid_vectors_are_rejected_under_the_right_rule() {
    let Some(root) = root() else {
        println!("skipped: interop vectors not present");
        return;
    };
    let cases = [
        (
            "invalids/signature_wrapping_attack.xml.base64",
            "signature/wrapping",
        ),
        (
            "invalids/signature_wrapping_attack2.xml.base64",
            "signature/wrapping",
        ),
        (
            "invalids/multiple_assertions.xml.base64",
            "assertion/multiple",
        ),
        ("invalids/no_signature.xml.base64", "signature/missing"),
        (
            "invalids/bad_reference.xml.base64",
            "signature/digest-mismatch",
        ),
        (
            "invalids/signed_assertion_response.xml.base64",
            "signature/digest-mismatch",
        ),
        ("invalids/no_saml2.xml.base64", "response/not-a-response"),
        (
            "invalids/status_code_responder.xml.base64",
            "response/status",
        ),
        ("invalids/no_status.xml.base64", "response/status"),
        ("invalids/empty_nameid.xml.base64", "assertion/no-name-id"),
        (
            "invalids/no_authnstatement.xml.base64",
            "assertion/no-authn-statement",
        ),
        (
            "invalids/no_subjectconfirmation_method.xml.base64",
            "assertion/no-bearer-confirmation",
        ),
        ("wrapped_response_2.xml.base64", "signature/missing"),
        ("response_node_text_attack.xml.base64", "signature/invalid"),
    ];
    for (file, rule) in cases {
        let v = run(&root, file);
        assert!(!v.accepted, "{file} accepted");
        // A subject is reported only from an assertion a valid signature covers.
        if rule.starts_with("signature/") {
            assert!(
                v.subject.is_none(),
                "{file}: subject from an unverified assertion"
            );
        }
        assert!(
            errors(&v).contains(&rule),
            "{file}: expected {rule}, got {:?}",
            errors(&v)
        );
    }
}

#[test]
fn no_vector_is_unreadable_or_accepted_with_foreign_urls() {
    let Some(root) = root() else {
        println!("skipped: interop vectors not present");
        return;
    };
    let mut count = 0;
    for dir in ["data/responses", "data/responses/invalids"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if !path.is_file() {
                continue;
            }
            let rel = path
                .strip_prefix(root.join("data/responses"))
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            let v = run(&root, &rel);
            // Every vector decodes; none is accepted, since none is addressed to this SP at this instant.
            assert!(
                v.readable || errors(&v) == ["xml/malformed"],
                "{rel}: {:?}",
                v.findings
            );
            if rel.starts_with("invalids/") {
                assert!(!v.accepted, "{rel} accepted");
            }
            count += 1;
        }
    }
    assert!(count > 60, "only {count} vectors read");
}
