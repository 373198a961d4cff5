//! The whole Response check (decode, parse, signatures, envelope, subject, conditions) against
//! fixed IdP metadata, SP profile and clock, on arbitrary bytes.
//!
//! The metadata is built once: self-signed certificates for the project's committed fixture
//! keys (fixtures/keys/idp-rsa-next, idp-ec, idp-rsa, in that order: the rollover case where
//! the first certificate is not the one that signed), under the entityID most fixture
//! responses use. The seed corpus holds the signed fixtures, so mutations start from
//! responses whose signatures verify and reach the checks that only run on a verified
//! assertion. If the fixture keys are missing, a throwaway RSA key stands in (signatures then
//! never verify; everything before that is still fuzzed).
//!
//! Besides "no panic", it checks the rule "only what was verified is used": an accepted
//! response has a verified signature, a subject, and no error-level finding.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use openssl::asn1::Asn1Time;
use openssl::bn::BigNum;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::{X509Builder, X509NameBuilder};
use samlcheck::checks::response::{verify_response, VerifyOptions};
use samlcheck::checks::Severity;
use samlcheck::saml::metadata::IdpMetadata;
use samlcheck::sp::SpProfile;

const ENTITY_ID: &str = "http://www.okta.com/exk1fcbhlwAcme5d7";
const KEYS: [&str; 3] = ["idp-rsa-next", "idp-ec", "idp-rsa"];
/// 2026-01-15T10:01:00Z, a minute after the fixtures' IssueInstant.
const NOW: i64 = 1_768_471_260;

struct Fixture {
    /// `SAMLCHECK_FUZZ_DEBUG=1`: print each verdict (to see what a corpus file reaches).
    debug: bool,
    idp: IdpMetadata,
    sp: SpProfile,
    options: VerifyOptions,
}

fn load_key(name: &str) -> PKey<Private> {
    let path = format!("{}/../fixtures/keys/{name}.key", env!("CARGO_MANIFEST_DIR"));
    match std::fs::read(&path) {
        Ok(pem) => PKey::private_key_from_pem(&pem).expect("fixture key PEM"),
        Err(e) => {
            eprintln!("verify: {path}: {e}; using a throwaway RSA key (signatures will not verify)");
            PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap()
        }
    }
}

/// A self-signed certificate for `key`, valid 2025-01-01 to 2045-01-01, as base64 DER.
fn self_signed(key: &PKey<Private>, cn: &str, serial: u32) -> String {
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", cn).unwrap();
    let name = name.build();
    let mut b = X509Builder::new().unwrap();
    b.set_version(2).unwrap();
    b.set_serial_number(&BigNum::from_u32(serial).unwrap().to_asn1_integer().unwrap()).unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(&name).unwrap();
    b.set_pubkey(key).unwrap();
    b.set_not_before(&Asn1Time::from_unix(1_735_689_600).unwrap()).unwrap();
    b.set_not_after(&Asn1Time::from_unix(2_366_841_600).unwrap()).unwrap();
    b.sign(key, MessageDigest::sha256()).unwrap();
    let der = b.build().to_der().unwrap();
    openssl::base64::encode_block(&der)
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let mut descriptors = String::new();
        for (i, name) in KEYS.iter().enumerate() {
            let cert = self_signed(&load_key(name), &format!("samlcheck fuzz {name}"), 1 + i as u32);
            descriptors.push_str(&format!(
                "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}\
                 </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
            ));
        }
        let xml = format!(
            "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" \
             xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"{ENTITY_ID}\">\
             <md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\
             {descriptors}\
             <md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" \
             Location=\"https://idp.example.org/sso\"/>\
             </md:IDPSSODescriptor></md:EntityDescriptor>"
        );
        let idp = IdpMetadata::parse(xml.as_bytes(), None).expect("fuzz metadata parses");
        assert_eq!(idp.signing_keys.len(), KEYS.len(), "every fuzz certificate is usable");
        assert!(idp.bad_certificates.is_empty());
        Fixture {
            debug: std::env::var_os("SAMLCHECK_FUZZ_DEBUG").is_some(),
            idp,
            sp: SpProfile::for_org("https://sentry.io", "acme"),
            options: VerifyOptions::at(time::OffsetDateTime::from_unix_timestamp(NOW).unwrap()),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let verdict = verify_response(data, &f.idp, &f.sp, &f.options);
    // Every finding renders (messages, locations) and the verdict serializes as the CLI's JSON.
    let json = serde_json::to_string(&verdict).expect("verdict serializes");
    assert!(!json.is_empty());
    if f.debug {
        eprintln!("{json}");
    }
    if verdict.accepted {
        assert!(verdict.readable, "accepted but unreadable");
        assert!(
            verdict.signatures.iter().any(|s| s.verified),
            "accepted without a verified signature: {json}"
        );
        assert!(verdict.subject.is_some(), "accepted without a verified subject: {json}");
        assert!(
            !verdict.findings.iter().any(|f| f.severity == Severity::Error),
            "accepted with an error finding: {json}"
        );
    }
});
