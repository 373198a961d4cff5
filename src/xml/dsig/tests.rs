//! Sign-then-verify round trips and the failures each tampering must produce.

use super::*;
use crate::xml::{Document, Limits};
use openssl::asn1::Asn1Time;
use openssl::bn::BigNum;
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use openssl::x509::{X509Builder, X509NameBuilder};

/// A throwaway key and self-signed certificate: (key PEM, cert PEM).
pub(crate) fn keypair(ec: bool, cn: &str) -> (Vec<u8>, Vec<u8>) {
    let key = if ec {
        PKey::from_ec_key(
            EcKey::generate(&EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap()).unwrap(),
        )
        .unwrap()
    } else {
        PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap()
    };
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", cn).unwrap();
    let name = name.build();
    let mut b = X509Builder::new().unwrap();
    b.set_version(2).unwrap();
    b.set_serial_number(&BigNum::from_u32(1).unwrap().to_asn1_integer().unwrap())
        .unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(&name).unwrap();
    b.set_pubkey(&key).unwrap();
    b.set_not_before(&Asn1Time::from_unix(1_700_000_000).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::from_unix(2_300_000_000).unwrap())
        .unwrap();
    b.sign(&key, MessageDigest::sha256()).unwrap();
    (
        key.private_key_to_pem_pkcs8().unwrap(),
        b.build().to_pem().unwrap(),
    )
}

const DOC: &str = r#"<r:Root xmlns:r="urn:r" ID="_a"><r:Issuer>idp</r:Issuer><r:Body x="1">text</r:Body></r:Root>"#;

fn sign(xml: &str, ec: bool) -> (String, TrustedKey) {
    let (key, cert) = keypair(ec, "signer");
    let key = SigningKey::from_pem(&key, Some(&cert)).unwrap();
    let mut options = SignOptions::default();
    if ec {
        options.algorithm = SignatureAlgorithm::ECDSA_SHA256;
    }
    (
        sign_element(xml, "_a", &key, &options).unwrap(),
        TrustedKey::from_pem(&cert).unwrap(),
    )
}

fn check(xml: &str, keys: &[TrustedKey]) -> Result<NodeIdPath, SignatureFailure> {
    let doc = Document::parse(xml, Limits::MESSAGE).unwrap();
    let sig = doc
        .elements()
        .find(|&n| doc.element(n).unwrap().is(DSIG_NS, "Signature"))
        .unwrap();
    verify_signature(&doc, sig, keys)
        .result
        .map(|v| doc.path(v.element()))
}

type NodeIdPath = String;

#[test]
fn rsa_and_ecdsa_round_trip() {
    for ec in [false, true] {
        let (signed, key) = sign(DOC, ec);
        assert!(signed.find("<ds:Signature").unwrap() > signed.find("</r:Issuer>").unwrap());
        assert_eq!(check(&signed, &[key]).unwrap(), "/r:Root");
    }
}

#[test]
fn tampered_content_is_a_digest_mismatch_naming_the_element() {
    let (signed, key) = sign(DOC, false);
    let err = check(&signed.replace(">text<", ">txet<"), &[key]).unwrap_err();
    assert_eq!(err.rule(), "signature/digest-mismatch");
    assert!(
        matches!(err, SignatureFailure::DigestMismatch { ref element, hint: None, .. } if element == "/r:Root")
    );
}

#[test]
fn pretty_printing_after_signing_is_recognized() {
    let (signed, key) = sign(DOC, false);
    let pretty = signed.replace("<r:Body", "\n  <r:Body");
    let err = check(&pretty, &[key]).unwrap_err();
    assert!(matches!(
        err,
        SignatureFailure::DigestMismatch {
            hint: Some(DigestHint::Reformatted),
            ..
        }
    ));
}

#[test]
fn another_key_is_untrusted_with_both_certificates_named() {
    let (signed, _) = sign(DOC, false);
    let (_, other) = keypair(false, "metadata-cert");
    let other = TrustedKey::from_pem(&other).unwrap();
    match check(&signed, &[other]).unwrap_err() {
        SignatureFailure::UntrustedKey { embedded, trusted } => {
            assert_eq!(embedded.subject, "CN=signer");
            assert_eq!(trusted[0].subject, "CN=metadata-cert");
        }
        e => panic!("unexpected {e:?}"),
    }
}

#[test]
fn wrong_signature_value_is_invalid() {
    let (signed, key) = sign(DOC, false);
    let start = signed.find("<ds:SignatureValue>").unwrap() + "<ds:SignatureValue>".len();
    let mut bytes = signed.into_bytes();
    bytes[start + 5] = if bytes[start + 5] == b'A' { b'B' } else { b'A' };
    let err = check(&String::from_utf8(bytes).unwrap(), &[key]).unwrap_err();
    assert_eq!(err.rule(), "signature/invalid");
}

#[test]
fn disallowed_algorithms_and_references() {
    let (signed, key) = sign(DOC, false);
    let hmac = signed.replace(
        algorithm::RSA_SHA256,
        "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
    );
    assert_eq!(
        check(&hmac, std::slice::from_ref(&key)).unwrap_err().rule(),
        "signature/disallowed-algorithm"
    );
    let xslt = signed.replace(
        algorithm::ENVELOPED,
        "http://www.w3.org/TR/1999/REC-xslt-19991116",
    );
    assert_eq!(
        check(&xslt, std::slice::from_ref(&key)).unwrap_err().rule(),
        "signature/disallowed-algorithm"
    );
    let empty = signed.replace("URI=\"#_a\"", "URI=\"\"");
    assert_eq!(
        check(&empty, std::slice::from_ref(&key))
            .unwrap_err()
            .rule(),
        "signature/bad-reference"
    );
    let dup = signed.replace("x=\"1\"", "ID=\"_a\"");
    assert_eq!(
        check(&dup, std::slice::from_ref(&key)).unwrap_err().rule(),
        "signature/wrapping"
    );
    let other = signed
        .replace("URI=\"#_a\"", "URI=\"#_b\"")
        .replace("x=\"1\"", "ID=\"_b\"");
    assert_eq!(
        check(&other, &[key]).unwrap_err().rule(),
        "signature/wrapping"
    );
}

#[test]
fn rsa_value_for_another_hash_or_length_is_refused() {
    let (signed, key) = sign(DOC, false);
    // The RSA block holds a SHA-256 DigestInfo; claiming SHA-512 must not verify.
    let other_hash = signed.replace(algorithm::RSA_SHA256, algorithm::RSA_SHA512);
    assert_eq!(
        check(&other_hash, std::slice::from_ref(&key))
            .unwrap_err()
            .rule(),
        "signature/invalid"
    );
    // A SignatureValue one byte short (leading zero dropped) is not the modulus length.
    let start = signed.find("<ds:SignatureValue>").unwrap() + "<ds:SignatureValue>".len();
    let end = signed.find("</ds:SignatureValue>").unwrap();
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut value = b64.decode(&signed[start..end]).unwrap();
    value.remove(0);
    let short = format!(
        "{}{}{}",
        &signed[..start],
        b64.encode(&value),
        &signed[end..]
    );
    assert_eq!(
        check(&short, &[key]).unwrap_err().rule(),
        "signature/invalid"
    );
}
