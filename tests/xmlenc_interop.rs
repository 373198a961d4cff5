//! XML Encryption interop with xmlsec1, live: what our encryptor makes, `xmlsec1 --decrypt`
//! decrypts to the very assertion we encrypted; what `xmlsec1 --encrypt` makes, we decrypt.
//! (The committed fixtures in fixtures/responses/encrypted cover more combinations; see
//! fixtures/encrypted/generate.sh.) Says "SKIPPED" and passes when xmlsec1 is missing, except
//! on CI (`CI` set), where that fails.

mod external_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use samlcheck::xml::c14n::{self, Method};
use samlcheck::xml::enc::{
    decrypt_assertion, encrypt_assertion, ContentAlgorithm, DecryptionKey, EncryptOptions,
    EncryptionCert, KeyTransport,
};
use samlcheck::xml::{Document, Limits, NodeId};

const ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn xmlsec1() -> bool {
    let found = Command::new("xmlsec1").arg("--version").output().is_ok();
    if !found {
        external_support::missing_tools("xmlenc interop", "xmlsec1 not installed", "xmlsec1");
    }
    found
}

fn key_path(ext: &str) -> String {
    fixtures()
        .join(format!("keys/sp-rsa.{ext}"))
        .display()
        .to_string()
}

fn element(doc: &Document, local: &str) -> NodeId {
    doc.elements()
        .find(|&n| doc.element(n).unwrap().is(ASSERTION_NS, local))
        .unwrap_or_else(|| panic!("no saml:{local}"))
}

fn canonical(doc: &Document, n: NodeId) -> Vec<u8> {
    let method = Method::Exclusive {
        comments: false,
        prefixes: Vec::new(),
    };
    let mut out = Vec::new();
    c14n::canonicalize_subtree(doc, n, None, &method, &mut out);
    out
}

#[test]
fn xmlsec1_decrypts_what_we_encrypt() {
    if !xmlsec1() {
        return;
    }
    let plain = std::fs::read_to_string(fixtures().join("responses/compact.xml")).unwrap();
    let plain_doc = Document::parse(&plain, Limits::MESSAGE).unwrap();
    let original = canonical(&plain_doc, element(&plain_doc, "Assertion"));
    let cert = EncryptionCert::from_pem(&std::fs::read(key_path("crt")).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for transport in [KeyTransport::OAEP_MGF1P_SHA1, KeyTransport::Rsa15] {
        for content in [
            ContentAlgorithm::Aes128Cbc,
            ContentAlgorithm::Aes192Cbc,
            ContentAlgorithm::Aes256Cbc,
            ContentAlgorithm::Aes128Gcm,
            ContentAlgorithm::Aes256Gcm,
        ] {
            for include_certificate in [true, false] {
                let options = EncryptOptions {
                    key_transport: transport,
                    content,
                    include_certificate,
                    ..EncryptOptions::default()
                };
                let xml = encrypt_assertion(&plain, &cert, &options).unwrap();
                let file = dir.path().join("encrypted.xml");
                std::fs::write(&file, &xml).unwrap();
                let out = Command::new("xmlsec1")
                    .arg("--decrypt")
                    .arg("--privkey-pem")
                    .arg(format!("{},{}", key_path("key"), key_path("crt")))
                    .arg("--trusted-pem")
                    .arg(key_path("crt"))
                    .arg(&file)
                    .output()
                    .unwrap();
                let case = format!("{transport} {content} certificate={include_certificate}");
                assert!(
                    out.status.success(),
                    "{case}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                // xmlsec1 re-serializes (`<a></a>` becomes `<a/>`): compare canonical forms.
                let decrypted = String::from_utf8(out.stdout).unwrap();
                let doc = Document::parse(&decrypted, Limits::MESSAGE).unwrap();
                let assertion = element(&doc, "Assertion");
                assert_eq!(
                    doc.parent(assertion),
                    Some(element(&doc, "EncryptedAssertion")),
                    "{case}"
                );
                assert_eq!(canonical(&doc, assertion), original, "{case}");
            }
        }
    }
}

#[test]
fn we_decrypt_what_xmlsec1_encrypts() {
    if !xmlsec1() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let plain = std::fs::read_to_string(fixtures().join("responses/compact.xml")).unwrap();
    let plain_doc = Document::parse(&plain, Limits::MESSAGE).unwrap();
    let name_id = plain_doc.text(element(&plain_doc, "NameID"));
    // xmlsec1 replaces the Assertion by the EncryptedData: wrap it first.
    let assertion = element(&plain_doc, "Assertion");
    let (start, end) = (
        plain_doc.node(assertion).offset,
        plain_doc.node(assertion).end,
    );
    let wrapped = format!(
        "{}<saml:EncryptedAssertion>{}</saml:EncryptedAssertion>{}",
        &plain[..start],
        &plain[start..end],
        &plain[end..]
    );
    let data = dir.path().join("data.xml");
    std::fs::write(&data, wrapped).unwrap();
    let key = DecryptionKey::from_pem(&std::fs::read(key_path("key")).unwrap()).unwrap();
    for (transport, content, session) in [
        (
            "rsa-oaep-mgf1p",
            "http://www.w3.org/2009/xmlenc11#aes256-gcm",
            "aes-256",
        ),
        (
            "rsa-1_5",
            "http://www.w3.org/2001/04/xmlenc#aes192-cbc",
            "aes-192",
        ),
    ] {
        let template = dir.path().join("template.xml");
        std::fs::write(
            &template,
            format!(
                r#"<xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element"><xenc:EncryptionMethod Algorithm="{content}"/><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#{transport}"/><xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo><xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedData>"#
            ),
        )
        .unwrap();
        let out = Command::new("xmlsec1")
            .arg("--encrypt")
            .arg("--pubkey-cert-pem")
            .arg(key_path("crt"))
            .arg("--session-key")
            .arg(session)
            .arg("--xml-data")
            .arg(&data)
            .arg("--node-name")
            .arg(format!("{ASSERTION_NS}:Assertion"))
            .arg(&template)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let xml = String::from_utf8(out.stdout).unwrap();
        let doc = Document::parse(&xml, Limits::MESSAGE).unwrap();
        let enc = element(&doc, "EncryptedAssertion");
        let decrypted = decrypt_assertion(&doc, enc, &key, None, Limits::MESSAGE)
            .unwrap_or_else(|e| panic!("{transport} {content}: {e:?}"));
        let d = decrypted.document();
        assert_eq!(d.text(element(d, "NameID")), name_id);
    }
}
