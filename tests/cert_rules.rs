//! The cert/* rules on the fixtures of fixtures/certs/ (see its README.md): each fixture, put in
//! a small metadata document, produces exactly the rule ids it is made for, and the good
//! certificates of fixtures/keys/ produce none, at 2026-01-15T10:00:00Z.

use std::path::Path;

use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, BigNumContext};
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use openssl::x509::{X509Builder, X509NameBuilder};
use samlcheck::checks::cert::{
    check_certificate, check_role_descriptor, check_signing_set, signing_certificate_nodes,
    CertContext,
};
use samlcheck::checks::{Finding, Severity};
use samlcheck::xml::{Document, Limits, NodeId};

const MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";

fn fixture(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// The base64 lines of a PEM file, as IdPs publish them (64 columns, no armor).
fn pem_body(path: &str) -> String {
    fixture(path)
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::parse(
        "2026-01-15T10:00:00Z",
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap()
}

fn ctx() -> CertContext {
    CertContext::new(now())
}

/// A KeyDescriptor with one certificate text, exactly as given between the tags.
fn key_descriptor(usage: Option<&str>, text: &str) -> String {
    let usage = usage.map_or(String::new(), |u| format!(" use=\"{u}\""));
    format!(
        "    <md:KeyDescriptor{usage}>\n      <ds:KeyInfo><ds:X509Data>\n        <ds:X509Certificate>{text}</ds:X509Certificate>\n      </ds:X509Data></ds:KeyInfo>\n    </md:KeyDescriptor>\n"
    )
}

fn metadata(role: &str, role_attrs: &str, keys: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.com/saml">
  <md:{role} protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"{role_attrs}>
{keys}    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:{role}>
</md:EntityDescriptor>
"#
    )
}

fn idp(keys: &str) -> String {
    metadata("IDPSSODescriptor", "", keys)
}

fn parse(xml: &str) -> Document {
    Document::parse(xml, Limits::default()).expect("test metadata parses")
}

/// The first IDPSSODescriptor or SPSSODescriptor.
fn role(doc: &Document) -> NodeId {
    doc.elements()
        .find(|&n| {
            doc.element(n)
                .is_some_and(|e| e.is(MD, "IDPSSODescriptor") || e.is(MD, "SPSSODescriptor"))
        })
        .expect("a role descriptor")
}

fn lint_with(xml: &str, ctx: &CertContext) -> Vec<Finding> {
    let doc = parse(xml);
    check_role_descriptor(&doc, role(&doc), ctx)
}

fn lint(xml: &str) -> Vec<Finding> {
    lint_with(xml, &ctx())
}

fn ids(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.rule).collect()
}

fn single_cert(text: &str) -> Vec<Finding> {
    lint(&idp(&key_descriptor(Some("signing"), text)))
}

#[track_caller]
fn assert_rules(findings: &[Finding], expected: &[&str]) {
    assert_eq!(ids(findings), expected, "{findings:#?}");
}

#[test]
fn good_certificates_produce_no_finding() {
    for name in [
        "keys/idp-rsa.crt",
        "keys/idp-rsa-next.crt",
        "keys/idp-ec.crt",
        "keys/attacker.crt",
        "certs/good.crt",
        "certs/good-2.crt",
    ] {
        let body = pem_body(name);
        assert_rules(&single_cert(&body), &[]);
        // Also on one line, and indented the way pretty-printers do it.
        assert_rules(&single_cert(&body.replace('\n', "")), &[]);
        let indented = format!(
            "\n          {}\n        ",
            body.replace('\n', "\n          ")
        );
        assert_rules(&single_cert(&indented), &[]);
    }
}

#[test]
fn the_api_reports_the_same_as_the_role_helper() {
    let keys = key_descriptor(Some("signing"), &pem_body("certs/expired.crt"))
        + &key_descriptor(None, &pem_body("certs/good.crt"))
        + &key_descriptor(Some("encryption"), &pem_body("certs/rsa1024.crt"));
    let xml = idp(&keys);
    let doc = parse(&xml);
    let role = role(&doc);
    let nodes = signing_certificate_nodes(&doc, role);
    assert_eq!(
        nodes.len(),
        2,
        "use=\"signing\" and no use are signing keys"
    );
    let mut findings = Vec::new();
    let mut signing = Vec::new();
    for node in &nodes {
        let (der, f) = check_certificate(&doc, *node, &ctx());
        signing.push((*node, der.expect("decodes")));
        findings.extend(f);
    }
    findings.extend(check_signing_set(&doc, role, &signing));
    assert_rules(&findings, &["cert/expired", "cert/rollover"]);
    // The helper also checks the encryption certificate on its own.
    assert_rules(
        &check_role_descriptor(&doc, role, &ctx()),
        &["cert/expired", "cert/weak-key", "cert/rollover"],
    );
}

#[test]
fn expired() {
    let f = single_cert(&pem_body("certs/expired.crt"));
    assert_rules(&f, &["cert/expired"]);
    assert_eq!(f[0].severity, Severity::Error);
    assert!(
        f[0].message.contains("2025-12-31T00:00:00Z"),
        "{}",
        f[0].message
    );
    assert!(f[0].message.contains("15 days ago"), "{}", f[0].message);
    let notes = f[0].notes.join("\n");
    assert!(
        notes.contains("python3-saml") && notes.contains("Sentry"),
        "{notes}"
    );
    assert!(
        notes.contains("crewjam/saml") && notes.contains("goxmldsig"),
        "{notes}"
    );
    assert!(f[0].location.is_some());
}

#[test]
fn not_yet_valid() {
    let f = single_cert(&pem_body("certs/not-yet-valid.crt"));
    assert_rules(&f, &["cert/not-yet-valid"]);
    assert_eq!(f[0].severity, Severity::Error);
    assert!(
        f[0].message.contains("2026-03-01T00:00:00Z"),
        "{}",
        f[0].message
    );
    assert!(f[0].notes.join("\n").contains("goxmldsig"));
}

#[test]
fn expiring_soon_follows_the_warning_window() {
    let xml = idp(&key_descriptor(
        Some("signing"),
        &pem_body("certs/expiring-soon.crt"),
    ));
    let f = lint(&xml);
    assert_rules(&f, &["cert/expiring-soon"]);
    assert_eq!(f[0].severity, Severity::Warning);
    assert!(f[0].message.contains("in 16 days"), "{}", f[0].message);
    let notes = f[0].notes.join("\n");
    assert!(
        notes.contains("python3-saml") && notes.contains("goxmldsig"),
        "{notes}"
    );
    let narrow = CertContext {
        now: now(),
        expiry_warning_days: 10,
    };
    assert_rules(&lint_with(&xml, &narrow), &[]);
}

#[test]
fn weak_keys() {
    let f = single_cert(&pem_body("certs/rsa1024.crt"));
    assert_rules(&f, &["cert/weak-key"]);
    assert_eq!(f[0].severity, Severity::Error);
    assert!(f[0].message.contains("1024 bits"), "{}", f[0].message);

    let f = single_cert(&pem_body("certs/dsa.crt"));
    assert_rules(&f, &["cert/weak-key"]);
    assert_eq!(f[0].severity, Severity::Error);
    assert!(f[0].message.contains("DSA"), "{}", f[0].message);

    let f = single_cert(&pem_body("certs/rsa-e3.crt"));
    assert_rules(&f, &["cert/weak-key"]);
    assert_eq!(
        f[0].severity,
        Severity::Warning,
        "a small exponent is a warning"
    );
    assert!(f[0].message.contains("exponent is 3"), "{}", f[0].message);
}

#[test]
fn weak_certificate_signature_is_info_and_says_saml_does_not_care() {
    for (name, hash) in [("certs/sha1.crt", "SHA-1"), ("certs/md5.crt", "MD5")] {
        let f = single_cert(&pem_body(name));
        assert_rules(&f, &["cert/weak-signature-algorithm"]);
        assert_eq!(f[0].severity, Severity::Info);
        assert!(f[0].message.contains(hash), "{}", f[0].message);
        assert!(
            f[0].message.contains("does not matter for SAML"),
            "{}",
            f[0].message
        );
    }
}

#[test]
fn roca_vectors_from_the_roca_detect_package() {
    // roca-detect 1.2.12 (PyPI), roca/tests/data: cert04 is a positive sample, cert06 not.
    let f = single_cert(&pem_body("certs/roca-detect-cert04.pem"));
    assert_rules(&f, &["cert/expired", "cert/weak-key"]);
    assert!(f[1].message.contains("ROCA"), "{}", f[1].message);
    assert_rules(
        &single_cert(&pem_body("certs/roca-detect-cert06.pem")),
        &["cert/expired"],
    );
}

/// An RSA-2048 key whose primes have the structure of Infineon's RSALib:
/// p = k * M + (65537^a mod M), M the product of the primes up to 167.
fn roca_shaped_key() -> PKey<openssl::pkey::Private> {
    let mut bn = BigNumContext::new().unwrap();
    let mut m = BigNum::from_u32(1).unwrap();
    for p in (2u32..=167).filter(|n| (2..*n).all(|d| n % d != 0)) {
        let mut next = BigNum::new().unwrap();
        next.checked_mul(&m, &BigNum::from_u32(p).unwrap(), &mut bn)
            .unwrap();
        m = next;
    }
    let g = BigNum::from_u32(65537).unwrap();
    let e = BigNum::from_u32(65537).unwrap();
    let one = BigNum::from_u32(1).unwrap();
    // Deterministic: start near 0.94 * 2^1024 (so that p * q has 2048 bits) and walk up.
    let mut prime = |a: u32, top: i32| -> BigNum {
        let mut ga = BigNum::new().unwrap();
        ga.mod_exp(&g, &BigNum::from_u32(a).unwrap(), &m, &mut bn)
            .unwrap();
        let mut t = BigNum::new().unwrap();
        t.lshift(&one, 1024).unwrap();
        let mut low = BigNum::new().unwrap();
        low.lshift(&one, top).unwrap();
        let mut start = BigNum::new().unwrap();
        start.checked_sub(&t, &low).unwrap();
        let mut k = BigNum::new().unwrap();
        k.checked_div(&start, &m, &mut bn).unwrap();
        loop {
            let mut cand = BigNum::new().unwrap();
            cand.checked_mul(&k, &m, &mut bn).unwrap();
            let mut p = BigNum::new().unwrap();
            p.checked_add(&cand, &ga).unwrap();
            let mut p1 = BigNum::new().unwrap();
            p1.checked_sub(&p, &one).unwrap();
            let mut r = BigNum::new().unwrap();
            r.nnmod(&p1, &e, &mut bn).unwrap();
            if r.num_bits() > 0 && p.is_prime(64, &mut bn).unwrap() {
                return p;
            }
            k.add_word(1).unwrap();
        }
    };
    let p = prime(1_234_567, 1020);
    let q = prime(7_654_321, 1021);
    let (mut p1, mut q1, mut phi) = (
        BigNum::new().unwrap(),
        BigNum::new().unwrap(),
        BigNum::new().unwrap(),
    );
    p1.checked_sub(&p, &one).unwrap();
    q1.checked_sub(&q, &one).unwrap();
    phi.checked_mul(&p1, &q1, &mut bn).unwrap();
    let mut n = BigNum::new().unwrap();
    n.checked_mul(&p, &q, &mut bn).unwrap();
    assert_eq!(n.num_bits(), 2048);
    let mut d = BigNum::new().unwrap();
    d.mod_inverse(&e, &phi, &mut bn).unwrap();
    let (mut dp, mut dq, mut qi) = (
        BigNum::new().unwrap(),
        BigNum::new().unwrap(),
        BigNum::new().unwrap(),
    );
    dp.nnmod(&d, &p1, &mut bn).unwrap();
    dq.nnmod(&d, &q1, &mut bn).unwrap();
    qi.mod_inverse(&q, &p, &mut bn).unwrap();
    let rsa = Rsa::from_private_components(n, e, d, p, q, dp, dq, qi).unwrap();
    assert!(rsa.check_key().unwrap());
    PKey::from_rsa(rsa).unwrap()
}

#[test]
fn roca_shaped_key_built_here_is_weak() {
    let key = roca_shaped_key();
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", "samlcheck ROCA-shaped")
        .unwrap();
    let name = name.build();
    let mut b = X509Builder::new().unwrap();
    b.set_version(2).unwrap();
    b.set_serial_number(&BigNum::from_u32(3001).unwrap().to_asn1_integer().unwrap())
        .unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(&name).unwrap();
    b.set_pubkey(&key).unwrap();
    b.set_not_before(&Asn1Time::from_str("20250101000000Z").unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::from_str("20450101000000Z").unwrap())
        .unwrap();
    b.sign(&key, MessageDigest::sha256()).unwrap();
    let der = b.build().to_der().unwrap();
    use base64::Engine;
    let text = base64::engine::general_purpose::STANDARD.encode(der);
    let f = single_cert(&text);
    assert_rules(&f, &["cert/weak-key"]);
    assert_eq!(f[0].severity, Severity::Error);
    assert!(f[0].message.contains("ROCA"), "{}", f[0].message);
}

/// Asserts one cert/unparseable finding whose message has `what` and "character N", and whose
/// location is that character in the document.
#[track_caller]
fn assert_broken(text: &str, what: &str, char_no: usize, at_char: Option<char>) -> Finding {
    let xml = idp(&key_descriptor(Some("signing"), text));
    let doc = parse(&xml);
    let f = check_role_descriptor(&doc, role(&doc), &ctx());
    assert_rules(&f, &["cert/unparseable"]);
    let finding = f.into_iter().next().unwrap();
    assert_eq!(finding.severity, Severity::Error);
    assert!(finding.message.contains(what), "{}", finding.message);
    assert!(
        finding.message.contains(&format!("character {char_no}")),
        "{}",
        finding.message
    );
    // The location is the named character: count from the element's text start.
    let loc = finding.location.clone().expect("location");
    let start = xml.find("<ds:X509Certificate>").unwrap() + "<ds:X509Certificate>".len();
    let target: usize = start
        + text
            .chars()
            .take(char_no - 1)
            .map(char::len_utf8)
            .sum::<usize>();
    let expect = doc.line_col(target);
    assert_eq!(
        (loc.line, loc.column),
        (expect.line, expect.column),
        "{}",
        finding.message
    );
    if let Some(c) = at_char {
        assert_eq!(
            loc.source_line.chars().nth(loc.column - 1),
            Some(c),
            "{}",
            finding.message
        );
    }
    finding
}

#[test]
fn broken_wrapped_with_non_breaking_spaces() {
    let text = fixture("certs/broken-wrapped-nbsp.txt");
    assert_broken(&text, "line wrapped with spaces", 65, Some('\u{a0}'));
}

#[test]
fn broken_truncated() {
    let text = fixture("certs/broken-truncated.txt");
    let f = assert_broken(
        &text,
        "truncated: the DER length says 753 bytes, only 675 present",
        900,
        None,
    );
    assert_eq!(f.found.as_deref(), Some("675 of 753 bytes"));
}

#[test]
fn broken_stray_character() {
    let text = fixture("certs/broken-stray-char.txt");
    let f = assert_broken(&text, "non-base64 character '*'", 281, Some('*'));
    // Line 5 of the text, column 21.
    let doc_line = idp(&key_descriptor(Some("signing"), &text))
        .lines()
        .position(|l| l.contains("<ds:X509Certificate>"))
        .unwrap()
        + 1;
    let loc = f.location.unwrap();
    assert_eq!((loc.line, loc.column), (doc_line + 4, 21));
}

#[test]
fn broken_pem_armor() {
    let text = fixture("certs/broken-pem-armor.txt");
    assert_broken(
        &text,
        "PEM header \"-----BEGIN CERTIFICATE-----\" pasted inside the element",
        1,
        Some('-'),
    );
}

#[test]
fn broken_two_certificates() {
    let text = fixture("certs/broken-two-certs.txt");
    // good.crt has 1020 characters of text (16 lines); the second certificate follows.
    assert_broken(&text, "two certificates concatenated", 1021, Some('M'));
    // The other order: the first one ends with '=' padding.
    let reversed = format!(
        "{}\n{}",
        pem_body("certs/good-2.crt"),
        pem_body("certs/good.crt")
    );
    let first_len = pem_body("certs/good-2.crt").chars().count();
    assert_broken(
        &reversed,
        "two certificates concatenated",
        first_len + 2,
        Some('M'),
    );
}

#[test]
fn broken_public_key_instead_of_certificate() {
    let text = fixture("certs/public-key.txt");
    assert_broken(&text, "bare public key", 1, Some('M'));
}

#[test]
fn broken_positions_survive_crlf_and_character_references() {
    let body = fixture("certs/broken-stray-char.txt").replace('\n', "&#13;\r\n");
    // The stray '*' is character 281 of the unbroken-line text; each line break is now CR LF
    // (one CR from the reference, the CR LF of the source read as one LF): one more per line.
    let f = assert_broken_loose(&body);
    assert!(f.message.contains("character 285"), "{}", f.message);
    let loc = f.location.unwrap();
    assert_eq!(loc.source_line.chars().nth(loc.column - 1), Some('*'));
}

fn assert_broken_loose(text: &str) -> Finding {
    let f = single_cert(text);
    assert_rules(&f, &["cert/unparseable"]);
    f.into_iter().next().unwrap()
}

#[test]
fn rollover_names_the_first_certificate() {
    let keys = key_descriptor(Some("signing"), &pem_body("certs/good.crt"))
        + &key_descriptor(Some("signing"), &pem_body("certs/good-2.crt"));
    let f = lint(&idp(&keys));
    assert_rules(&f, &["cert/rollover"]);
    assert_eq!(f[0].severity, Severity::Info);
    let good = openssl::x509::X509::from_pem(fixture("certs/good.crt").as_bytes()).unwrap();
    let sha = samlcheck::xml::dsig::keys::sha256_fingerprint(&good.to_der().unwrap());
    assert!(f[0].message.contains("Sentry"), "{}", f[0].message);
    assert!(
        f[0].message.contains("CN=samlcheck good\""),
        "{}",
        f[0].message
    );
    assert!(f[0].message.contains(&sha), "{}", f[0].message);
    assert!(f[0]
        .message
        .contains("2025-01-01T00:00:00Z to 2045-01-01T00:00:00Z"));
    assert_eq!(f[0].notes.len(), 2, "{:?}", f[0].notes);

    // The same certificate twice, or a signing and an encryption certificate, is no rollover.
    let twice = key_descriptor(Some("signing"), &pem_body("certs/good.crt"))
        + &key_descriptor(None, &pem_body("certs/good.crt"));
    assert_rules(&lint(&idp(&twice)), &[]);
    let split = key_descriptor(None, &pem_body("certs/good.crt"))
        + &key_descriptor(Some("encryption"), &pem_body("certs/good-2.crt"));
    assert_rules(&lint(&idp(&split)), &[]);

    // An unreadable first certificate: reported, and the rollover finding says so.
    let keys = key_descriptor(Some("signing"), &fixture("certs/broken-truncated.txt"))
        + &key_descriptor(Some("signing"), &pem_body("certs/good.crt"))
        + &key_descriptor(Some("signing"), &pem_body("certs/good-2.crt"));
    let f = lint(&idp(&keys));
    assert_rules(&f, &["cert/unparseable", "cert/rollover"]);
    assert!(f[1].notes.iter().any(|n| n.contains("could not be read")));
}

#[test]
fn missing_signing_certificate() {
    // No KeyDescriptor at all.
    let f = lint(&idp(""));
    assert_rules(&f, &["cert/missing"]);
    assert_eq!(f[0].severity, Severity::Error);
    assert!(
        f[0].message.contains("no KeyDescriptor"),
        "{}",
        f[0].message
    );
    // Only an encryption certificate.
    let f = lint(&idp(&key_descriptor(
        Some("encryption"),
        &pem_body("certs/good.crt"),
    )));
    assert_rules(&f, &["cert/missing"]);
    assert!(f[0].message.contains("encryption"), "{}", f[0].message);
    // A signing KeyDescriptor with only a KeyName.
    let keyname = "    <md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:KeyName>idp</ds:KeyName></ds:KeyInfo></md:KeyDescriptor>\n";
    let f = lint(&idp(keyname));
    assert_rules(&f, &["cert/missing"]);
    assert!(
        f[0].message.contains("without a ds:X509Certificate"),
        "{}",
        f[0].message
    );
    // A present but broken certificate is unparseable, not missing.
    assert_rules(
        &single_cert(&fixture("certs/broken-pem-armor.txt")),
        &["cert/unparseable"],
    );
    // An SP needs one only when it signs its requests.
    assert_rules(&lint(&metadata("SPSSODescriptor", "", "")), &[]);
    assert_rules(
        &lint(&metadata(
            "SPSSODescriptor",
            " AuthnRequestsSigned=\"true\"",
            "",
        )),
        &["cert/missing"],
    );
}

#[test]
fn real_shaped_metadata_fixtures() {
    for (name, expected) in [
        ("metadata/okta.xml", &[][..]),
        ("metadata/google.xml", &[][..]),
        ("metadata/ecdsa.xml", &[][..]),
        ("metadata/xmlsec.xml", &[][..]),
        ("metadata/entra.xml", &["cert/rollover"][..]),
    ] {
        let xml = fixture(name);
        let doc = parse(&xml);
        let roles: Vec<NodeId> = doc
            .elements()
            .filter(|&n| doc.element(n).is_some_and(|e| e.is(MD, "IDPSSODescriptor")))
            .collect();
        let findings: Vec<Finding> = roles
            .iter()
            .flat_map(|r| check_role_descriptor(&doc, *r, &ctx()))
            .collect();
        assert_eq!(ids(&findings), expected, "{name}: {findings:#?}");
    }
}
