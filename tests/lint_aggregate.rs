//! `samlcheck lint` on aggregates: the streamed root signature and positions in the file.

mod der_support;
mod external_support;

use assert_cmd::Command;
use der_support::der_certificate;
use serde_json::Value;
use std::path::{Path, PathBuf};

const NOW: &str = "2026-01-15T10:00:00Z";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// An aggregate of the bundled entities; `extra` is inserted as the last entity.
fn aggregate(extra: &str) -> String {
    let mut body = String::new();
    for name in ["okta", "google", "ecdsa", "xmlsec"] {
        let text =
            std::fs::read_to_string(root().join(format!("fixtures/metadata/{name}.xml"))).unwrap();
        let text = match text.find("?>") {
            Some(i) if text.starts_with("<?xml") => text[i + 2..].trim().to_string(),
            _ => text.trim().to_string(),
        };
        body.push_str("\n  ");
        body.push_str(&text);
    }
    body.push_str(extra);
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" ID=\"_agg\" Name=\"urn:example:federation\" validUntil=\"2027-01-01T00:00:00Z\">{body}\n</md:EntitiesDescriptor>\n")
}

fn sign(xml: &str, key: &str) -> String {
    let key = samlcheck::xml::dsig::SigningKey::from_pem(
        &std::fs::read(root().join(format!("fixtures/keys/{key}.key"))).unwrap(),
        Some(&std::fs::read(root().join(format!("fixtures/keys/{key}.crt"))).unwrap()),
    )
    .unwrap();
    samlcheck::xml::dsig::sign_element(xml, "_agg", &key, &Default::default()).unwrap()
}

fn lint(file: &Path, extra: &[&str]) -> (i32, Value) {
    let out = Command::cargo_bin("samlcheck")
        .unwrap()
        .arg("lint")
        .arg(file)
        .args(["--now", NOW, "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
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

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const SIGNER: &str = "fixtures/keys/idp-rsa.crt";

#[test]
fn signed_aggregate_verifies_while_streaming() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "agg.xml", &sign(&aggregate(""), "idp-rsa"));
    let (code, v) = lint(
        &file,
        &["--signer-cert", root().join(SIGNER).to_str().unwrap()],
    );
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["entities"], 4);
    assert_eq!(v["signature"]["verified"], true);
    assert_eq!(v["signature"]["trusted"], true);
    assert!(rules(&v).is_empty(), "{v:#}");
}

#[test]
fn signer_cert_may_be_der() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "agg.xml", &sign(&aggregate(""), "idp-rsa"));
    let (der_path, _) = der_certificate(dir.path(), &root().join(SIGNER), "signer.der");
    let (code, v) = lint(&file, &["--signer-cert", der_path.to_str().unwrap()]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["signature"]["trusted"], true);
    assert!(rules(&v).is_empty(), "{v:#}");

    // The same DER certificate is still only trusted for what it signed.
    let foreign = sign(&aggregate(""), "attacker");
    let (code, v) = lint(
        &write(&dir, "f.xml", &foreign),
        &["--signer-cert", der_path.to_str().unwrap()],
    );
    assert_eq!(code, 1);
    assert_eq!(rules(&v), vec!["metadata/signature-invalid"]);
}

#[test]
fn tampered_unsigned_and_foreign_signatures_fail() {
    let dir = tempfile::tempdir().unwrap();
    let signer = root().join(SIGNER);
    let signer = signer.to_str().unwrap();
    let tampered = sign(&aggregate(""), "idp-rsa").replace(
        "https://idp.example.org/ecdsa",
        "https://idp.example.org/ecdsb",
    );
    let (code, v) = lint(&write(&dir, "t.xml", &tampered), &["--signer-cert", signer]);
    assert_eq!(code, 1);
    assert_eq!(rules(&v), vec!["metadata/signature-invalid"]);
    assert!(v["findings"][0]["notes"][0]
        .as_str()
        .unwrap()
        .contains("signature/digest-mismatch"));

    let (code, v) = lint(
        &write(&dir, "u.xml", &aggregate("")),
        &["--signer-cert", signer],
    );
    assert_eq!(code, 1);
    assert_eq!(rules(&v), vec!["metadata/signature-missing"]);

    let foreign = sign(&aggregate(""), "attacker");
    let (code, v) = lint(&write(&dir, "f.xml", &foreign), &["--signer-cert", signer]);
    assert_eq!(code, 1);
    assert_eq!(rules(&v), vec!["metadata/signature-invalid"]);
    assert!(v["findings"][0]["notes"][0]
        .as_str()
        .unwrap()
        .contains("signature/untrusted-key"));

    // Without --signer-cert the signature is checked for integrity with its own certificate.
    let (code, v) = lint(&write(&dir, "i.xml", &foreign), &[]);
    assert_eq!(code, 0);
    assert_eq!(v["signature"]["trusted"], false);
    assert_eq!(v["signature"]["verified"], true);
}

#[test]
fn findings_inside_an_aggregate_point_at_the_file_line() {
    let bad = "\n  <md:EntityDescriptor entityID=\"idp.example.net\">\n    <md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n      <md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"http://idp.example.net/sso\"/>\n    </md:IDPSSODescriptor>\n  </md:EntityDescriptor>";
    let text = aggregate(bad);
    let dir = tempfile::tempdir().unwrap();
    let (code, v) = lint(&write(&dir, "a.xml", &text), &[]);
    assert_eq!(code, 1);
    assert_eq!(v["entities"], 5);
    assert_eq!(
        rules(&v),
        vec![
            "cert/missing",
            "metadata/entity-id-invalid",
            "metadata/insecure-endpoint",
            "metadata/redirect-only-sso"
        ]
    );
    for f in v["findings"].as_array().unwrap() {
        let line = f["location"]["line"].as_u64().unwrap() as usize;
        let column = f["location"]["column"].as_u64().unwrap() as usize;
        let source_line = text.lines().nth(line - 1).unwrap();
        let at: String = source_line.chars().skip(column - 1).collect();
        match f["rule"].as_str().unwrap() {
            "metadata/entity-id-invalid" => {
                assert!(at.starts_with("entityID=\"idp.example.net\""), "{at}")
            }
            "metadata/insecure-endpoint" => assert!(at.starts_with("Location=\"http://"), "{at}"),
            _ => assert!(at.starts_with('<'), "{at}"),
        }
    }
}

#[test]
fn xmlsec1_signed_aggregate_verifies() {
    if std::process::Command::new("xmlsec1")
        .arg("--version")
        .output()
        .is_err()
    {
        external_support::missing_tools(
            "xmlsec1_signed_aggregate_verifies",
            "xmlsec1 not installed",
            "xmlsec1",
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let template = aggregate("").replacen(
        "validUntil=\"2027-01-01T00:00:00Z\">",
        "validUntil=\"2027-01-01T00:00:00Z\"><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/><ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/><ds:Reference URI=\"#_agg\"><ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/><ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></ds:Transforms><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/></ds:Signature>",
        1,
    );
    let template_path = write(&dir, "template.xml", &template);
    let signed_path = dir.path().join("signed.xml");
    let key = format!(
        "{},{}",
        root().join("fixtures/keys/idp-rsa.key").display(),
        root().join(SIGNER).display()
    );
    let status = std::process::Command::new("xmlsec1")
        .args([
            "--sign",
            "--privkey-pem",
            &key,
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:metadata:EntitiesDescriptor",
            "--output",
        ])
        .arg(&signed_path)
        .arg(&template_path)
        .status()
        .unwrap();
    assert!(status.success());
    let (code, v) = lint(
        &signed_path,
        &["--signer-cert", root().join(SIGNER).to_str().unwrap()],
    );
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["signature"]["verified"], true);
}

#[test]
fn streamed_digest_normalizes_pis_and_comments_like_the_tree() {
    // Line ends inside a PI and a comment between entities must canonicalize as the tree does.
    let text = aggregate("\r\n  <?keep line one\r\nline two?>\r\n  <!-- a\r\ncomment -->");
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "pi.xml", &sign(&text, "idp-rsa"));
    let (code, v) = lint(
        &file,
        &["--signer-cert", root().join(SIGNER).to_str().unwrap()],
    );
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["signature"]["verified"], true);
}

fn lint_raw(file: &Path, extra: &[&str]) -> (i32, Vec<String>) {
    let (code, v) = lint(file, extra);
    (code, if v.is_null() { vec![] } else { rules(&v) })
}

#[test]
fn content_after_the_root_is_malformed_not_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let signer = root().join(SIGNER);
    let signer = signer.to_str().unwrap();
    let signed = sign(&aggregate(""), "idp-rsa");
    let extra = "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://evil.example/idp\"/>";
    for (name, text) in [
        ("trailing-entity.xml", format!("{signed}{extra}\n")),
        ("trailing-cdata.xml", format!("{signed}<![CDATA[x]]>")),
        (
            "late-decl.xml",
            signed.replacen(
                "\n  <md:EntityDescriptor",
                "\n<?xml version=\"1.0\"?><md:EntityDescriptor",
                1,
            ),
        ),
        (
            "latin1.xml",
            signed.replacen("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"", 1),
        ),
    ] {
        let (code, found) = lint_raw(&write(&dir, name, &text), &["--signer-cert", signer]);
        assert_eq!(code, 2, "{name}: {found:?}");
        assert_eq!(found, vec!["xml/malformed"], "{name}");
    }
    // The same for a single entity followed by anything.
    let entity = std::fs::read_to_string(root().join("fixtures/metadata/entra.xml")).unwrap();
    let (code, found) = lint_raw(
        &write(
            &dir,
            "single.xml",
            &format!("{entity}<md:EntityDescriptor>"),
        ),
        &[],
    );
    assert_eq!(code, 2);
    assert!(found.contains(&"xml/malformed".to_string()), "{found:?}");
}

#[test]
fn the_root_id_repeated_inside_is_wrapping() {
    let dir = tempfile::tempdir().unwrap();
    let signed = sign(&aggregate(""), "idp-rsa");
    let attacked = signed.replacen(
        "<md:IDPSSODescriptor ",
        "<md:IDPSSODescriptor Id=\"_agg\" ",
        1,
    );
    let (code, found) = lint_raw(
        &write(&dir, "dup.xml", &attacked),
        &["--signer-cert", root().join(SIGNER).to_str().unwrap()],
    );
    assert_eq!(code, 1);
    assert!(
        found.contains(&"signature/wrapping".to_string()),
        "{found:?}"
    );
}

#[test]
fn non_ascii_endpoint_locations_do_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("fixtures/metadata/okta.xml"))
        .unwrap()
        .replacen("Location=\"https://", "Location=\"ééééé", 1);
    let (code, _) = lint_raw(&write(&dir, "utf8.xml", &text), &[]);
    assert!(code == 0 || code == 1, "exit {code}");
}
