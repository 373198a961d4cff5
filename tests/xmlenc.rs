//! Encrypted assertions through `verify_response`: every fixture (xmlsec1's and ours) decrypts
//! and verifies; every cryptographic failure is one rule and one message; plaintext problems,
//! signatures and wrapping defenses hold after decryption.

use base64::Engine;
use samlcheck::checks::response::{verify_response, Verdict, VerifyOptions};
use samlcheck::checks::{Finding, Severity};
use samlcheck::saml::metadata::IdpMetadata;
use samlcheck::saml::response::Assertion;
use samlcheck::sp::SpProfile;
use samlcheck::xml::dsig::verify_signature;
use samlcheck::xml::enc::{
    decrypt_assertion, encrypt_assertion, encrypted_assertion_xml, ContentAlgorithm, DecryptionKey,
    EncryptOptions, EncryptionCert, KeyPlacement, KeyTransport,
};
use samlcheck::xml::{Document, Limits};

const ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
const ONE_MESSAGE: &str = "the encrypted assertion could not be decrypted with the SP key";

fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn text(path: &str) -> String {
    String::from_utf8(read(path)).unwrap()
}

fn sp_key() -> DecryptionKey {
    DecryptionKey::from_pem(&read("keys/sp-rsa.key")).unwrap()
}

fn sp_cert() -> EncryptionCert {
    EncryptionCert::from_pem(&read("keys/sp-rsa.crt")).unwrap()
}

fn okta() -> IdpMetadata {
    IdpMetadata::parse(&read("metadata/okta.xml"), None).unwrap()
}

fn options(key: Option<DecryptionKey>) -> VerifyOptions {
    let now = samlcheck::saml::time::parse_instant("2026-01-15T10:01:00Z").unwrap();
    let mut o = VerifyOptions::at(now);
    o.request_id = Some("_req-4f1c2a".into());
    o.sp_key = key;
    o
}

fn verify(xml: &str, key: Option<DecryptionKey>) -> Verdict {
    let sp = SpProfile::for_org("https://sentry.io", "acme");
    verify_response(xml.as_bytes(), &okta(), &sp, &options(key))
}

fn errors(v: &Verdict) -> Vec<&'static str> {
    let mut r: Vec<&str> = v
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.rule)
        .collect();
    r.sort_unstable();
    r.dedup();
    r
}

fn assert_rejected(v: &Verdict, rule: &str) {
    assert!(!v.accepted, "accepted: {:#?}", v.findings);
    assert!(
        v.subject.is_none(),
        "a subject leaked from a rejected response"
    );
    assert!(v.attributes.is_empty());
    assert!(
        errors(v).contains(&rule),
        "expected {rule}, got {:#?}",
        v.findings
    );
}

fn finding<'v>(v: &'v Verdict, rule: &str) -> &'v Finding {
    v.findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("no {rule} in {:#?}", v.findings))
}

/// compact.xml (its assertion signed by the IdP, the Response not) with the assertion
/// encrypted for the SP.
fn encrypted(options: &EncryptOptions) -> String {
    encrypt_assertion(&text("responses/compact.xml"), &sp_cert(), options).unwrap()
}

fn with(transport: KeyTransport, content: ContentAlgorithm) -> EncryptOptions {
    EncryptOptions {
        key_transport: transport,
        content,
        ..EncryptOptions::default()
    }
}

/// The CipherValues of the document: the EncryptedKey's comes first, the data's last.
fn cipher_values(xml: &str) -> Vec<(usize, usize)> {
    let open = "<xenc:CipherValue>";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = xml[from..].find(open) {
        let start = from + i + open.len();
        let end = start + xml[start..].find("</xenc:CipherValue>").unwrap();
        out.push((start, end));
        from = end;
    }
    out
}

/// `xml` with the bytes of the `which`th CipherValue passed through `edit`.
fn edit_cipher(xml: &str, which: usize, edit: impl FnOnce(&mut Vec<u8>)) -> String {
    let (start, end) = cipher_values(xml)[which];
    let b64 = base64::engine::general_purpose::STANDARD;
    let compact: String = xml[start..end].split_whitespace().collect();
    let mut bytes = b64.decode(compact).unwrap();
    edit(&mut bytes);
    format!("{}{}{}", &xml[..start], b64.encode(bytes), &xml[end..])
}

#[test]
fn every_encrypted_fixture_verifies_with_the_sp_key() {
    let dir = format!(
        "{}/fixtures/responses/encrypted",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(names.len() >= 16, "{names:?}");
    for name in &names {
        let xml = text(&format!("responses/encrypted/{name}"));
        let v = verify(&xml, Some(sp_key()));
        assert!(v.accepted, "{name}: {:#?}", v.findings);
        assert_eq!(
            v.subject.as_ref().unwrap().name_id,
            "jane.doe@acme.example",
            "{name}"
        );
        assert_eq!(v.attributes["firstName"], ["Jane"], "{name}");
        let e = v.encryption.as_ref().unwrap();
        assert!(
            name.contains(&e.content) || !name.contains("aes"),
            "{name}: {e:?}"
        );
        assert_eq!(
            e.ciphertext_signed,
            name.contains("response-signed"),
            "{name}"
        );
        let weak = v.has("assertion/weak-encryption");
        assert_eq!(weak, name.contains("rsa15"), "{name}");
        // Without the key: reported, never accepted.
        let v = verify(&xml, None);
        assert_rejected(&v, "assertion/encrypted");
    }
}

#[test]
fn what_the_encryptor_makes_verifies() {
    for transport in [
        KeyTransport::OAEP_MGF1P_SHA1,
        KeyTransport::Rsa15,
        KeyTransport::RsaOaep {
            digest: samlcheck::xml::dsig::Hash::Sha256,
            mgf: samlcheck::xml::dsig::Hash::Sha256,
        },
    ] {
        for content in [
            ContentAlgorithm::Aes128Cbc,
            ContentAlgorithm::Aes256Cbc,
            ContentAlgorithm::Aes128Gcm,
            ContentAlgorithm::Aes256Gcm,
        ] {
            for placement in [KeyPlacement::InKeyInfo, KeyPlacement::Sibling] {
                let o = EncryptOptions {
                    key_placement: placement,
                    ..with(transport, content)
                };
                let v = verify(&encrypted(&o), Some(sp_key()));
                assert!(
                    v.accepted,
                    "{transport} {content} {placement:?}: {:#?}",
                    v.findings
                );
            }
        }
    }
}

#[test]
fn every_crypto_failure_is_one_rule_and_one_message() {
    let gcm = encrypted(&EncryptOptions::default());
    let cbc = encrypted(&with(
        KeyTransport::OAEP_MGF1P_SHA1,
        ContentAlgorithm::Aes256Cbc,
    ));
    let rsa15 = encrypted(&with(KeyTransport::Rsa15, ContentAlgorithm::Aes256Cbc));
    let attacker = DecryptionKey::from_pem(&read("keys/attacker.key")).unwrap();
    let data = |xml: &str| cipher_values(xml).len() - 1;

    let wrong_key = [
        verify(&gcm, Some(attacker.clone())),
        verify(&cbc, Some(attacker.clone())),
        verify(&rsa15, Some(attacker)),
    ];
    // With the right key, the same answer for each way a ciphertext can be bad.
    let tampered = [
        // Truncated: the last 20 bytes gone.
        edit_cipher(&gcm, data(&gcm), |b| b.truncate(b.len() - 20)),
        edit_cipher(&cbc, data(&cbc), |b| b.truncate(b.len() - 20)),
        // Shorter than one block, and empty.
        edit_cipher(&cbc, data(&cbc), |b| b.truncate(8)),
        edit_cipher(&gcm, data(&gcm), |b| b.clear()),
        // Bad CBC padding: the last byte of the next-to-last block flips the pad count's high
        // bit (a count of 129 to 144): what a padding-oracle attacker sends.
        edit_cipher(&cbc, data(&cbc), |b| {
            let at = b.len() - 17;
            b[at] ^= 0x80;
        }),
        // Valid padding, garbled plaintext (an earlier byte of the next-to-last block).
        edit_cipher(&cbc, data(&cbc), |b| {
            let at = b.len() - 30;
            b[at] ^= 0x01;
        }),
        // A flipped GCM tag bit, and a flipped ciphertext bit.
        edit_cipher(&gcm, data(&gcm), |b| {
            let at = b.len() - 1;
            b[at] ^= 0x01;
        }),
        edit_cipher(&gcm, data(&gcm), |b| b[20] ^= 0x01),
        // Key transport: a corrupted EncryptedKey, OAEP and PKCS#1 v1.5 (implicit rejection).
        edit_cipher(&gcm, 0, |b| b[5] ^= 0x01),
        edit_cipher(&rsa15, 0, |b| b[5] ^= 0x01),
        edit_cipher(&rsa15, 0, |b| b.truncate(100)),
        // Not base64.
        gcm.replacen("<xenc:CipherValue>", "<xenc:CipherValue>!", 1),
    ];
    let tampered: Vec<Verdict> = tampered.iter().map(|x| verify(x, Some(sp_key()))).collect();

    for (i, v) in wrong_key.iter().chain(tampered.iter()).enumerate() {
        assert_rejected(v, "assertion/decryption-failed");
        assert_eq!(
            errors(v),
            ["assertion/decryption-failed"],
            "case {i}: {:#?}",
            v.findings
        );
        let f = finding(v, "assertion/decryption-failed");
        assert_eq!(f.message, ONE_MESSAGE, "case {i}");
        assert!(f.location.is_some());
        assert!(
            !f.notes
                .iter()
                .any(|n| n.contains("padding") || n.contains("tag")),
            "case {i}: {:?}",
            f.notes
        );
    }
    // With the right key, the notes of the tampered GCM cases are the same whatever the
    // tampering (the notes are written before any decryption).
    let gcm_notes: Vec<&Vec<String>> = [0usize, 3, 6, 7, 8]
        .iter()
        .map(|&i| &finding(&tampered[i], "assertion/decryption-failed").notes)
        .collect();
    assert!(gcm_notes.windows(2).all(|w| w[0] == w[1]), "{gcm_notes:#?}");
    let cbc_notes: Vec<&Vec<String>> = [1usize, 2, 4, 5]
        .iter()
        .map(|&i| &finding(&tampered[i], "assertion/decryption-failed").notes)
        .collect();
    assert!(cbc_notes.windows(2).all(|w| w[0] == w[1]), "{cbc_notes:#?}");
    // The wrong key is explained by the certificate the IdP encrypted for.
    let f = finding(&wrong_key[0], "assertion/decryption-failed");
    assert!(
        f.notes.iter().any(|n| n.contains("another key")),
        "{:?}",
        f.notes
    );
}

#[test]
fn a_doctype_in_authenticated_plaintext_is_xml_doctype() {
    let compact = text("responses/compact.xml");
    let doc = Document::parse(&compact, Limits::MESSAGE).unwrap();
    let a = doc
        .elements()
        .find(|&n| doc.element(n).unwrap().is(ASSERTION_NS, "Assertion"))
        .unwrap();
    let node = doc.node(a);
    let assertion = &compact[node.offset..node.end];
    let evil = format!("<!DOCTYPE a [<!ENTITY b \"c\">]>{assertion}");
    let build = |o: &EncryptOptions| {
        let enc = encrypted_assertion_xml(&evil, &sp_cert(), o).unwrap();
        format!("{}{enc}{}", &compact[..node.offset], &compact[node.end..])
    };
    let v = verify(&build(&EncryptOptions::default()), Some(sp_key()));
    assert_rejected(&v, "xml/doctype");
    let f = finding(&v, "xml/doctype");
    assert!(
        f.notes
            .iter()
            .any(|n| n.contains("line 1, column 1 of the decrypted")),
        "{f:#?}"
    );
    // Unauthenticated (CBC, no signature over the ciphertext): naming the problem would be an
    // oracle, so it is the one decryption failure.
    let cbc = with(KeyTransport::OAEP_MGF1P_SHA1, ContentAlgorithm::Aes128Cbc);
    let v = verify(&build(&cbc), Some(sp_key()));
    assert_rejected(&v, "assertion/decryption-failed");
    assert_eq!(
        finding(&v, "assertion/decryption-failed").message,
        ONE_MESSAGE
    );
}

#[test]
fn an_unsigned_encrypted_assertion_in_an_unsigned_response_is_unsigned() {
    let template = text("encrypted/templates/response.xml");
    let xml = encrypt_assertion(&template, &sp_cert(), &EncryptOptions::default()).unwrap();
    let v = verify(&xml, Some(sp_key()));
    assert_rejected(&v, "signature/missing");
    // Its content is still explained, marked as unverified, at places in the received file.
    let f = finding(&v, "signature/missing");
    let at = f.location.as_ref().unwrap();
    assert!(
        at.path.ends_with("EncryptedAssertion/saml2:Assertion"),
        "{at:?}"
    );
    assert!(at.source_line.contains("EncryptedAssertion"), "{at:?}");
}

#[test]
fn ids_in_the_plaintext_must_be_unique_in_the_document() {
    // The decrypted assertion reuses the Response's ID.
    let compact = text("responses/compact.xml");
    let doc = Document::parse(&compact, Limits::MESSAGE).unwrap();
    let response_id = doc
        .element(doc.root())
        .unwrap()
        .attr("ID")
        .unwrap()
        .to_string();
    let assertion_id = doc
        .elements()
        .find_map(|n| {
            let e = doc.element(n).unwrap();
            e.is(ASSERTION_NS, "Assertion")
                .then(|| e.attr("ID").unwrap().to_string())
        })
        .unwrap();
    let clash = compact.replacen(
        &format!("ID=\"{response_id}\""),
        &format!("ID=\"{assertion_id}\""),
        1,
    );
    let xml = encrypt_assertion(&clash, &sp_cert(), &EncryptOptions::default()).unwrap();
    assert_rejected(&verify(&xml, Some(sp_key())), "signature/wrapping");
}

#[test]
fn a_signed_response_covers_only_its_own_ciphertext() {
    let signed = text("responses/encrypted/samlcheck-response-signed.xml");
    assert!(verify(&signed, Some(sp_key())).accepted);
    // Swap in another ciphertext (anyone can encrypt for the SP's certificate): the Response
    // signature no longer verifies, and nothing else vouches for the assertion.
    let template = text("encrypted/templates/response-signed.xml");
    let evil_plain = template.replace("jane.doe@acme.example", "ceo@acme.example");
    let evil = encrypt_assertion(&evil_plain, &sp_cert(), &EncryptOptions::default()).unwrap();
    let cut = |xml: &str| {
        let start = xml.find("<saml2:EncryptedAssertion").unwrap();
        let end =
            xml.find("</saml2:EncryptedAssertion>").unwrap() + "</saml2:EncryptedAssertion>".len();
        (start, end)
    };
    let (s, e) = cut(&signed);
    let (es, ee) = cut(&evil);
    let attacked = format!("{}{}{}", &signed[..s], &evil[es..ee], &signed[e..]);
    let v = verify(&attacked, Some(sp_key()));
    assert_rejected(&v, "signature/digest-mismatch");
}

#[test]
fn the_verified_handle_covers_the_decrypted_assertion() {
    let xml = text("responses/encrypted/samlcheck-response-signed.xml");
    let doc = Document::parse(&xml, Limits::MESSAGE).unwrap();
    let keys = okta().signing_keys;
    let signature = doc.child_named(doc.root(), DSIG_NS, "Signature").unwrap();
    let proof = verify_signature(&doc, signature, &keys).result.unwrap();
    let enc = doc
        .elements()
        .find(|&n| {
            doc.element(n)
                .unwrap()
                .is(ASSERTION_NS, "EncryptedAssertion")
        })
        .unwrap();
    assert!(proof.covers(enc));
    let key = sp_key();
    let decrypted = decrypt_assertion(&doc, enc, &key, Some(&proof), Limits::MESSAGE).unwrap();
    assert!(decrypted.signed_encrypted());
    let carried = decrypted.carry(&proof).unwrap();
    assert!(carried.covers(decrypted.assertion()));
    let a = Assertion::read_verified(&carried, decrypted.assertion()).unwrap();
    assert!(a.verified);
    assert_eq!(a.name_id.unwrap().value, "jane.doe@acme.example");
    // A proof over another document does not carry.
    let other = Document::parse(&xml, Limits::MESSAGE).unwrap();
    let other_sig = other
        .child_named(other.root(), DSIG_NS, "Signature")
        .unwrap();
    let other_proof = verify_signature(&other, other_sig, &keys).result.unwrap();
    let other_decrypted = decrypt_assertion(&other, enc, &key, None, Limits::MESSAGE).unwrap();
    assert!(!other_decrypted.signed_encrypted());
    assert!(decrypted.carry(&other_proof).is_none());
}

#[test]
fn findings_inside_the_plaintext_point_at_the_encrypted_assertion() {
    let xml = text("responses/encrypted/xmlsec1-oaep-aes256-gcm.xml");
    let sp = SpProfile::for_org("https://sentry.io", "acme-corp");
    let v = verify_response(xml.as_bytes(), &okta(), &sp, &options(Some(sp_key())));
    let audience = finding(&v, "assertion/audience-mismatch");
    let at = audience.location.as_ref().unwrap();
    let doc = Document::parse(&xml, Limits::MESSAGE).unwrap();
    let enc = doc
        .elements()
        .find(|&n| {
            doc.element(n)
                .unwrap()
                .is(ASSERTION_NS, "EncryptedAssertion")
        })
        .unwrap();
    let p = doc.position(enc);
    assert_eq!((at.line, at.column), (p.line, p.column));
    assert!(audience
        .notes
        .iter()
        .any(|n| n.contains("of its decrypted text")));
    // Outside the plaintext, places are the received file's own.
    let destination = finding(&v, "response/destination-mismatch");
    let at = destination.location.as_ref().unwrap();
    let p = doc.line_col(doc.attribute_offset(doc.root(), "Destination"));
    assert_eq!((at.line, at.column), (p.line, p.column));
}
