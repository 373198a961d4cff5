//! python3-saml's encrypted-assertion vectors (../shared/interop): decrypted with their SP key
//! (data/customPath/certs/sp.key: RSA 1.5 and RSA-OAEP key transport, AES-128-CBC) and verified
//! at the signature layer, in each shape they come in: assertion signed inside the ciphertext,
//! Response signed around it, both, neither.

use samlcheck::checks::response::{verify_response, Verdict, VerifyOptions};
use samlcheck::checks::Severity;
use samlcheck::saml::metadata::IdpMetadata;
use samlcheck::sp::SpProfile;
use samlcheck::xml::dsig::keys::decode_cert_base64;
use samlcheck::xml::dsig::TrustedKey;
use samlcheck::xml::enc::DecryptionKey;
use std::path::{Path, PathBuf};

fn root() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/interop/python3-saml"
    ));
    p.is_dir().then_some(p)
}

/// `file` checked against the IdP of `settings` (settings1.json, or settings2.json for the
/// vectors whose names end in 2).
fn run(root: &Path, file: &str, settings: &str) -> Verdict {
    let settings: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("settings").join(settings)).unwrap(),
    )
    .unwrap();
    let cert = settings["idp"]["x509cert"].as_str().unwrap();
    let idp = IdpMetadata {
        entity_id: settings["idp"]["entityId"].as_str().unwrap().to_string(),
        signing_keys: vec![TrustedKey::from_der(decode_cert_base64(cert).unwrap()).unwrap()],
        bad_certificates: Vec::new(),
    };
    let sp = SpProfile::explicit(
        "http://stuff.com/endpoints/metadata.php",
        "http://stuff.com/endpoints/endpoints/acs.php",
        None,
    );
    let key = std::fs::read(root.join("data/customPath/certs/sp.key")).unwrap();
    let now = samlcheck::saml::time::parse_instant("2014-02-19T01:37:01Z").unwrap();
    let options = VerifyOptions::at(now).with_sp_key(DecryptionKey::from_pem(&key).unwrap());
    let bytes = std::fs::read(root.join("data/responses").join(file)).unwrap();
    verify_response(&bytes, &idp, &sp, &options)
}

fn errors(v: &Verdict) -> Vec<&'static str> {
    v.findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.rule)
        .collect()
}

#[test]
fn encrypted_vectors_decrypt_and_verify() {
    let Some(root) = root() else {
        println!("skipped: interop vectors not present");
        return;
    };
    // (file, what signs the assertion)
    let cases = [
        ("signed_encrypted_assertion.xml.base64", "assertion"),
        ("signed_encrypted_assertion2.xml.base64", "assertion"),
        ("signed_message_encrypted_assertion.xml.base64", "response"),
        ("signed_message_encrypted_assertion2.xml.base64", "response"),
        ("double_signed_encrypted_assertion.xml.base64", "both"),
        ("double_signed_encrypted_assertion2.xml.base64", "both"),
        ("valid_encrypted_assertion.xml.base64", "nothing"),
    ];
    for (file, signer) in cases {
        let settings = if file.contains("assertion2") {
            "settings2.json"
        } else {
            "settings1.json"
        };
        let v = run(&root, file, settings);
        let errors = errors(&v);
        println!("{file}: {errors:?} {:?}", v.encryption);
        assert!(
            v.encryption.is_some(),
            "{file}: not decrypted: {:#?}",
            v.findings
        );
        assert!(!errors.contains(&"assertion/decryption-failed"), "{file}");
        let signature_errors: Vec<_> = errors
            .iter()
            .filter(|r| r.starts_with("signature/"))
            .collect();
        match signer {
            "nothing" => assert_eq!(signature_errors, [&"signature/missing"], "{file}"),
            _ => assert!(signature_errors.is_empty(), "{file}: {:#?}", v.findings),
        }
        assert_eq!(
            v.encryption.as_ref().unwrap().ciphertext_signed,
            matches!(signer, "response" | "both"),
            "{file}"
        );
    }
}
