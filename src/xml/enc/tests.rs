//! Round trips through the encryptor and the decryptor, and what each tampering yields.

use super::*;
use crate::xml::dsig::Hash;
use crate::xml::{Document, Limits, NodeId};

const RESPONSE: &str = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0"><saml:Issuer>idp</saml:Issuer><saml:Assertion ID="_a1" Version="2.0"><saml:Issuer>idp</saml:Issuer><saml:Subject><saml:NameID>jane</saml:NameID></saml:Subject></saml:Assertion><samlp:Extensions/></samlp:Response>"#;

fn keys() -> (DecryptionKey, EncryptionCert) {
    let root = env!("CARGO_MANIFEST_DIR");
    let key = std::fs::read(format!("{root}/fixtures/keys/sp-rsa.key")).unwrap();
    let cert = std::fs::read(format!("{root}/fixtures/keys/sp-rsa.crt")).unwrap();
    (
        DecryptionKey::from_pem(&key).unwrap(),
        EncryptionCert::from_pem(&cert).unwrap(),
    )
}

fn other_key() -> DecryptionKey {
    let root = env!("CARGO_MANIFEST_DIR");
    DecryptionKey::from_pem(&std::fs::read(format!("{root}/fixtures/keys/attacker.key")).unwrap())
        .unwrap()
}

fn encrypted_node(doc: &Document) -> NodeId {
    doc.elements()
        .find(|&n| {
            doc.element(n)
                .unwrap()
                .is(ASSERTION_NS, "EncryptedAssertion")
        })
        .unwrap()
}

fn decrypt(xml: &str, key: &DecryptionKey) -> Result<String, DecryptError> {
    let doc = Document::parse(xml, Limits::MESSAGE).unwrap();
    let node = encrypted_node(&doc);
    decrypt_assertion(&doc, node, key, None, Limits::MESSAGE).map(|d| d.plaintext().to_string())
}

fn options(t: KeyTransport, c: ContentAlgorithm, placement: KeyPlacement) -> EncryptOptions {
    EncryptOptions {
        key_transport: t,
        content: c,
        include_certificate: true,
        key_placement: placement,
    }
}

const ASSERTION: &str = r#"<saml:Assertion ID="_a1" Version="2.0"><saml:Issuer>idp</saml:Issuer><saml:Subject><saml:NameID>jane</saml:NameID></saml:Subject></saml:Assertion>"#;

#[test]
fn every_combination_round_trips() {
    let (key, cert) = keys();
    let transports = [
        KeyTransport::OAEP_MGF1P_SHA1,
        KeyTransport::Rsa15,
        KeyTransport::RsaOaep {
            digest: Hash::Sha256,
            mgf: Hash::Sha256,
        },
    ];
    let contents = [
        ContentAlgorithm::Aes128Cbc,
        ContentAlgorithm::Aes256Cbc,
        ContentAlgorithm::Aes128Gcm,
        ContentAlgorithm::Aes256Gcm,
    ];
    for t in transports {
        for c in contents {
            for p in [KeyPlacement::InKeyInfo, KeyPlacement::Sibling] {
                let xml = encrypt_assertion(RESPONSE, &cert, &options(t, c, p)).unwrap();
                assert!(!xml.contains("jane"), "{t} {c}: plaintext leaked");
                let doc = Document::parse(&xml, Limits::MESSAGE).unwrap();
                let dec =
                    decrypt_assertion(&doc, encrypted_node(&doc), &key, None, Limits::MESSAGE)
                        .unwrap_or_else(|e| panic!("{t} {c} {p:?}: {e:?}"));
                assert_eq!(dec.plaintext(), ASSERTION);
                assert_eq!(dec.content_algorithm(), c);
                assert_eq!(dec.key_transport(), t);
                let d = dec.document();
                assert_eq!(
                    d.path(dec.assertion()),
                    "/samlp:Response/saml:EncryptedAssertion/saml:Assertion"
                );
                assert_eq!(d.parent(dec.assertion()), Some(dec.container()));
            }
        }
    }
}

#[test]
fn the_plaintext_takes_the_namespaces_in_scope() {
    let (key, cert) = keys();
    // The plaintext relies on `saml` declared by the Response, and `x` declared only on the
    // EncryptedAssertion.
    let inner =
        r#"<saml:Assertion ID="_a2"><saml:Issuer x:k="v">idp</saml:Issuer></saml:Assertion>"#;
    let enc = encrypted_assertion_xml(inner, &cert, &EncryptOptions::default()).unwrap();
    let enc = enc.replacen(
        "<saml:EncryptedAssertion",
        "<saml:EncryptedAssertion xmlns:x=\"urn:x\"",
        1,
    );
    let xml = format!(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r">{enc}</samlp:Response>"#
    );
    let doc = Document::parse(&xml, Limits::MESSAGE).unwrap();
    let dec = decrypt_assertion(&doc, encrypted_node(&doc), &key, None, Limits::MESSAGE).unwrap();
    let d = dec.document();
    let issuer = d.child_elements(dec.assertion()).next().unwrap();
    let attr = d.element(issuer).unwrap().attributes().next().unwrap();
    assert_eq!(attr.namespace, Some("urn:x"));
}

#[test]
fn crypto_failures_are_one_answer() {
    let (key, cert) = keys();
    let mut answers = Vec::new();
    for c in [ContentAlgorithm::Aes256Gcm, ContentAlgorithm::Aes128Cbc] {
        for t in [KeyTransport::OAEP_MGF1P_SHA1, KeyTransport::Rsa15] {
            let xml = encrypt_assertion(RESPONSE, &cert, &options(t, c, KeyPlacement::InKeyInfo))
                .unwrap();
            answers.push(decrypt(&xml, &other_key()));
            // Truncate the content ciphertext (the second CipherValue).
            let at = xml.rfind("</xenc:CipherValue>").unwrap();
            let truncated = format!("{}{}", &xml[..at - 8], &xml[at..]);
            answers.push(decrypt(&truncated, &key));
            // Corrupt the EncryptedKey's CipherValue.
            let k = xml.find("<xenc:CipherValue>").unwrap() + "<xenc:CipherValue>".len();
            let flip = if &xml[k..k + 1] == "A" { "B" } else { "A" };
            let corrupt = format!("{}{}{}", &xml[..k], flip, &xml[k + 1..]);
            answers.push(decrypt(&corrupt, &key));
            // Not base64 at all.
            answers.push(decrypt(
                &format!("{}!!{}", &xml[..at - 4], &xml[at..]),
                &key,
            ));
        }
    }
    for a in &answers {
        match a {
            Err(e @ DecryptError::Undecryptable(_)) => {
                assert_eq!(
                    e.to_string(),
                    "the encrypted assertion could not be decrypted with the SP key"
                );
                assert_eq!(e.rule(), "assertion/decryption-failed");
            }
            other => panic!("expected Undecryptable, got {other:?}"),
        }
    }
}

#[test]
fn the_diagnosis_names_the_certificate_mismatch() {
    let (_, cert) = keys();
    let xml = encrypt_assertion(RESPONSE, &cert, &EncryptOptions::default()).unwrap();
    let Err(DecryptError::Undecryptable(d)) = decrypt(&xml, &other_key()) else {
        panic!()
    };
    assert!(
        d.notes
            .iter()
            .any(|n| n.contains("samlcheck test SP") && n.contains("another key")),
        "{d:?}"
    );
}

#[test]
fn authenticated_plaintext_problems_are_named_unauthenticated_ones_are_not() {
    let (key, cert) = keys();
    let doctype = format!("<!DOCTYPE x [<!ENTITY e \"boom\">]>{ASSERTION}");
    for (content, named) in [
        (ContentAlgorithm::Aes256Gcm, true),
        (ContentAlgorithm::Aes256Cbc, false),
    ] {
        let o = options(
            KeyTransport::OAEP_MGF1P_SHA1,
            content,
            KeyPlacement::InKeyInfo,
        );
        let enc = encrypted_assertion_xml(&doctype, &cert, &o).unwrap();
        let xml = format!(
            r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">{enc}</samlp:Response>"#
        );
        let err = decrypt(&xml, &key).unwrap_err();
        if named {
            assert_eq!(err.rule(), "xml/doctype", "{err:?}");
            let DecryptError::Plaintext(e) = &err else {
                panic!()
            };
            assert_eq!((e.position.line, e.position.column), (1, 1));
        } else {
            assert!(matches!(err, DecryptError::Undecryptable(_)), "{err:?}");
        }
    }
}

#[test]
fn plaintext_that_escapes_its_element_is_refused() {
    let (key, cert) = keys();
    let o = EncryptOptions::default();
    for (plaintext, rule) in [
        (
            format!("{ASSERTION}</saml:EncryptedAssertion><saml:EncryptedAssertion xmlns:saml=\"{ASSERTION_NS}\">"),
            "assertion/decryption-failed",
        ),
        (format!("{ASSERTION}{ASSERTION}"), "assertion/decryption-failed"),
        (format!("{ASSERTION}<!--c-->"), "assertion/decryption-failed"),
        ("<saml:Issuer>x</saml:Issuer>".to_string(), "assertion/decryption-failed"),
        ("<saml:Assertion>".to_string(), "xml/malformed"),
    ] {
        let enc = encrypted_assertion_xml(&plaintext, &cert, &o).unwrap();
        let xml = format!(r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">{enc}</samlp:Response>"#);
        let err = decrypt(&xml, &key).unwrap_err();
        assert_eq!(err.rule(), rule, "{plaintext}: {err:?}");
        assert!(!matches!(err, DecryptError::Undecryptable(_)), "{plaintext}: authenticated, so named");
    }
}

#[test]
fn structure_problems_are_named() {
    let (key, _) = keys();
    let wrap = |inner: &str| {
        format!(
            r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><saml:EncryptedAssertion>{inner}</saml:EncryptedAssertion></samlp:Response>"#
        )
    };
    let data = |method: &str, key_info: &str| {
        format!(
            r#"<xenc:EncryptedData Id="d"><xenc:EncryptionMethod Algorithm="{method}"/><ds:KeyInfo>{key_info}</ds:KeyInfo><xenc:CipherData><xenc:CipherValue>AAAA</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>"#
        )
    };
    let key_el = |alg: &str, id: &str| {
        format!(
            r#"<xenc:EncryptedKey{id}><xenc:EncryptionMethod Algorithm="{alg}"/><xenc:CipherData><xenc:CipherValue>AAAA</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey>"#
        )
    };
    let oaep = algorithm::RSA_OAEP_MGF1P;
    let gcm = algorithm::AES256_GCM;
    let cases = [
        (wrap(""), "malformed"),
        (
            wrap(&format!(
                "{}<saml:Assertion/>",
                data(gcm, &key_el(oaep, ""))
            )),
            "malformed",
        ),
        (wrap(&data(gcm, "<ds:KeyName>sp</ds:KeyName>")), "malformed"),
        (
            wrap(&data(
                "http://www.w3.org/2001/04/xmlenc#tripledes-cbc",
                &key_el(oaep, ""),
            )),
            "unsupported",
        ),
        (
            wrap(&data(
                gcm,
                &key_el("http://www.w3.org/2001/04/xmlenc#kw-aes256", ""),
            )),
            "unsupported",
        ),
        (
            wrap(&data(gcm, r##"<ds:RetrievalMethod URI="#missing"/>"##)),
            "malformed",
        ),
        (
            wrap(&data(
                gcm,
                r##"<ds:RetrievalMethod URI="http://evil.example/key"/>"##,
            )),
            "unsupported",
        ),
        // Two elements carry the ID the RetrievalMethod names.
        (
            wrap(&format!(
                r##"{}{}{}"##,
                data(gcm, r##"<ds:RetrievalMethod URI="#k"/>"##),
                key_el(oaep, r#" Id="k""#),
                key_el(oaep, r#" Id="k""#)
            )),
            "malformed",
        ),
    ];
    for (xml, kind) in cases {
        let err = decrypt(&xml, &key).unwrap_err();
        let ok = match kind {
            "malformed" => matches!(err, DecryptError::Malformed(_)),
            _ => matches!(err, DecryptError::Unsupported { .. }),
        };
        assert!(ok, "{kind}: {err:?}\n{xml}");
        assert_eq!(err.rule(), "assertion/decryption-failed");
    }
    // A RetrievalMethod may not reach outside the EncryptedAssertion.
    let outside = format!(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><samlp:Extensions>{}</samlp:Extensions><saml:EncryptedAssertion>{}</saml:EncryptedAssertion></samlp:Response>"#,
        key_el(oaep, r#" Id="k""#),
        data(gcm, r##"<ds:RetrievalMethod URI="#k"/>"##)
    );
    let err = decrypt(&outside, &key).unwrap_err();
    assert!(
        matches!(&err, DecryptError::Malformed(m) if m.contains("outside")),
        "{err:?}"
    );
}

#[test]
fn nodes_map_between_the_two_documents() {
    let (key, cert) = keys();
    let xml = encrypt_assertion(RESPONSE, &cert, &EncryptOptions::default()).unwrap();
    let doc = Document::parse(&xml, Limits::MESSAGE).unwrap();
    let node = encrypted_node(&doc);
    let dec = decrypt_assertion(&doc, node, &key, None, Limits::MESSAGE).unwrap();
    let d = dec.document();
    let ext_after = d
        .elements()
        .find(|&n| d.element(n).unwrap().local() == "Extensions")
        .unwrap();
    let ext_before = doc
        .elements()
        .find(|&n| doc.element(n).unwrap().local() == "Extensions")
        .unwrap();
    assert_eq!(dec.to_original(ext_after), Some(ext_before));
    assert_eq!(dec.to_decrypted(ext_before), Some(ext_after));
    assert_eq!(dec.to_decrypted(node), Some(dec.container()));
    assert!(dec.in_plaintext(dec.assertion()));
    assert!(!dec.in_plaintext(ext_after));
    assert_eq!(dec.to_original(dec.assertion()), None);
    let data = doc.child_elements(node).next().unwrap();
    assert_eq!(dec.to_decrypted(data), None);
    assert_eq!(
        dec.origin(d.node(dec.assertion()).offset),
        Origin::Plaintext(0)
    );
    assert_eq!(
        dec.origin(d.node(ext_after).offset),
        Origin::Original(doc.node(ext_before).offset)
    );
}
