//! `samlcheck verify --sp-key` end to end through the binary, on encrypted responses.

use assert_cmd::Command;
use serde_json::Value;

use samlcheck::xml::enc::{encrypt_assertion, EncryptOptions, EncryptionCert};

const NOW: &str = "2026-01-15T10:01:00Z";

fn fixture(path: &str) -> String {
    format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn run(response: &str, extra: &[&str], format: &str) -> (i32, String, String) {
    let mut cmd = Command::cargo_bin("samlcheck").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("verify")
        .arg(response)
        .args(["--idp-metadata", &fixture("metadata/okta.xml")])
        .args(["--org", "acme", "--now", NOW, "--request-id", "_req-4f1c2a"])
        .args(["--format", format])
        .args(extra);
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(response: &str, extra: &[&str]) -> (i32, Value) {
    let (code, out, err) = run(response, extra, "json");
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (code, v)
}

fn rules(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn decrypts_with_the_sp_key_and_accepts() {
    let sp_key = fixture("keys/sp-rsa.key");
    for name in [
        "xmlsec1-oaep-aes256-cbc.xml",
        "xmlsec1-oaep-aes128-gcm.xml",
        "samlcheck-oaep-aes256-gcm.xml",
        "samlcheck-sibling-aes256-cbc.xml",
        "samlcheck-response-signed.xml",
    ] {
        let (code, v) = json(
            &fixture(&format!("responses/encrypted/{name}")),
            &["--sp-key", &sp_key],
        );
        assert_eq!(code, 0, "{name}: {v:#}");
        assert_eq!(v["accepted"], true);
        assert_eq!(v["subject"]["name_id"], "jane.doe@acme.example");
        assert_eq!(v["attributes"]["email"][0], "jane.doe@acme.example");
        assert!(v["encryption"]["content"]
            .as_str()
            .unwrap()
            .starts_with("aes"));
    }
    let (code, out, _) = run(
        &fixture("responses/encrypted/xmlsec1-oaep-aes256-gcm.xml"),
        &["--sp-key", &sp_key],
        "human",
    );
    assert_eq!(code, 0);
    assert!(out.contains("ACCEPTED"), "{out}");
    assert!(
        out.contains("encrypted assertion: decrypted (aes256-gcm"),
        "{out}"
    );
}

#[test]
fn a_der_key_decrypts_as_its_pem_does() {
    let pem = std::fs::read(fixture("keys/sp-rsa.key")).unwrap();
    let key = openssl::pkey::PKey::private_key_from_pem(&pem).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pkcs8 = dir.path().join("sp.pk8.der");
    let pkcs1 = dir.path().join("sp.rsa.der");
    std::fs::write(&pkcs8, key.private_key_to_pkcs8().unwrap()).unwrap();
    std::fs::write(&pkcs1, key.rsa().unwrap().private_key_to_der().unwrap()).unwrap();
    for der in [&pkcs8, &pkcs1] {
        let (code, v) = json(
            &fixture("responses/encrypted/xmlsec1-oaep-aes256-cbc.xml"),
            &["--sp-key", der.to_str().unwrap()],
        );
        assert_eq!(code, 0, "{}: {v:#}", der.display());
        assert_eq!(v["subject"]["name_id"], "jane.doe@acme.example");
    }
}

#[test]
fn without_the_key_it_is_reported_encrypted() {
    let (code, v) = json(
        &fixture("responses/encrypted/xmlsec1-oaep-aes256-cbc.xml"),
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(v["accepted"], false);
    assert_eq!(rules(&v), ["assertion/encrypted"]);
}

#[test]
fn the_wrong_key_is_one_message_with_the_certificate_explained() {
    let (code, v) = json(
        &fixture("responses/encrypted/xmlsec1-oaep-aes256-cbc.xml"),
        &["--sp-key", &fixture("keys/attacker.key")],
    );
    assert_eq!(code, 1);
    assert_eq!(rules(&v), ["assertion/decryption-failed"]);
    let f = &v["findings"][0];
    assert_eq!(
        f["message"],
        "the encrypted assertion could not be decrypted with the SP key"
    );
    assert!(v["subject"].is_null());
    let (_, out, _) = run(
        &fixture("responses/encrypted/xmlsec1-rsa15-aes128-gcm.xml"),
        &["--sp-key", &fixture("keys/attacker.key")],
        "human",
    );
    assert!(out.contains("error[assertion/decryption-failed]"), "{out}");
    assert!(out.contains("CN=samlcheck test SP"), "{out}");
}

#[test]
fn an_unusable_key_is_bad_input() {
    let response = fixture("responses/encrypted/xmlsec1-oaep-aes256-cbc.xml");
    let (code, _, err) = run(
        &response,
        &["--sp-key", &fixture("keys/no-such.key")],
        "json",
    );
    assert_eq!(code, 2);
    assert!(err.contains("no-such.key"), "{err}");
    let (code, _, err) = run(
        &response,
        &["--sp-key", &fixture("keys/idp-ec.key")],
        "json",
    );
    assert_eq!(code, 2);
    assert!(err.contains("RSA"), "{err}");
    let (code, _, err) = run(
        &response,
        &["--sp-key", &fixture("keys/sp-rsa.crt")],
        "json",
    );
    assert_eq!(code, 2);
    assert!(err.contains("--sp-key"), "{err}");
}

#[test]
fn unsigned_inside_and_out_is_signature_missing() {
    let template = std::fs::read_to_string(fixture("encrypted/templates/response.xml")).unwrap();
    let cert =
        EncryptionCert::from_pem(&std::fs::read(fixture("keys/sp-rsa.crt")).unwrap()).unwrap();
    let xml = encrypt_assertion(&template, &cert, &EncryptOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("unsigned.xml");
    std::fs::write(&file, xml).unwrap();
    let (code, v) = json(
        file.to_str().unwrap(),
        &["--sp-key", &fixture("keys/sp-rsa.key")],
    );
    assert_eq!(code, 1);
    assert_eq!(v["accepted"], false);
    assert!(v["subject"].is_null());
    assert_eq!(rules(&v), ["signature/missing"]);
}
