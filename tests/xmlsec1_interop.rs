//! Interop with xmlsec1 (libxmlsec1, the C implementation most SAML stacks sit on):
//!
//! - every committed signed fixture verifies with our verifier against its metadata's
//!   certificates (the xmlsec1-signed ones included);
//! - what our signer produces, `xmlsec1 --verify` accepts, over algorithms, canonicalizations,
//!   document styles and signed elements;
//! - a tampered document is rejected by both.
//!
//! The parts that run xmlsec1 say "SKIPPED ... apt-get install xmlsec1" and pass when it is
//! missing, except on CI (`CI` set), where a missing xmlsec1 fails them; the fixture checks
//! always run.

mod external_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use samlcheck::xml::c14n::Method;
use samlcheck::xml::dsig::{
    sign_element, verify_signature, Hash, KeyKind, SignOptions, SignatureAlgorithm,
    SignatureFailure, SigningKey, TrustedKey, DSIG_NS,
};
use samlcheck::xml::{Document, Limits, NodeId};

const MD_NS: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
const ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const PROTOCOL_NS: &str = "urn:oasis:names:tc:SAML:2.0:protocol";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn read(relative: &str) -> String {
    let path = fixtures().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn pem_key(name: &str) -> TrustedKey {
    TrustedKey::from_pem(read(&format!("keys/{name}.crt")).as_bytes())
        .unwrap_or_else(|e| panic!("keys/{name}.crt: {e}"))
}

fn signing_key(name: &str) -> SigningKey {
    SigningKey::from_pem(
        read(&format!("keys/{name}.key")).as_bytes(),
        Some(read(&format!("keys/{name}.crt")).as_bytes()),
    )
    .unwrap_or_else(|e| panic!("keys/{name}: {e}"))
}

/// The signing certificates of the metadata's IDPSSODescriptor, in document order (the
/// WS-Federation RoleDescriptors of Entra metadata are not looked at).
fn metadata_keys(name: &str) -> Vec<TrustedKey> {
    let text = read(&format!("metadata/{name}.xml"));
    let doc = Document::parse(&text, Limits::METADATA).unwrap();
    let idp = doc
        .elements()
        .find(|&n| doc.element(n).unwrap().is(MD_NS, "IDPSSODescriptor"))
        .unwrap_or_else(|| panic!("metadata/{name}.xml has no IDPSSODescriptor"));
    let mut keys = Vec::new();
    for kd in doc.children_named(idp, MD_NS, "KeyDescriptor") {
        if doc
            .element(kd)
            .unwrap()
            .attr("use")
            .is_some_and(|u| u != "signing")
        {
            continue;
        }
        for cert in doc.descendants(kd) {
            if doc.element(cert).unwrap().is(DSIG_NS, "X509Certificate") {
                let b64: String = doc
                    .text(cert)
                    .chars()
                    .filter(|c| !c.is_ascii_whitespace())
                    .collect();
                let der = base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .unwrap();
                keys.push(TrustedKey::from_der(der).unwrap());
            }
        }
    }
    keys
}

fn signatures(doc: &Document) -> Vec<NodeId> {
    doc.elements()
        .filter(|&n| doc.element(n).unwrap().is(DSIG_NS, "Signature"))
        .collect()
}

/// `Response` or `Assertion`, the SAML element a signature sits in.
fn parent_name(doc: &Document, sig: NodeId) -> &'static str {
    let parent = doc.element(doc.parent(sig).unwrap()).unwrap();
    if parent.is(PROTOCOL_NS, "Response") {
        "Response"
    } else if parent.is(ASSERTION_NS, "Assertion") {
        "Assertion"
    } else if parent.is(MD_NS, "EntityDescriptor") {
        "EntityDescriptor"
    } else {
        panic!("a signature inside {}", parent.qname())
    }
}

/// What one verified signature covered: the signed element (`Response`, `Assertion`...), the
/// index of the trusted key that verified it, and the weak hashes it relies on.
type Outcome = (&'static str, usize, Vec<Hash>);

/// Verifies every signature of `xml`, in document order; the first failure is the error.
fn verify_all(label: &str, xml: &str, keys: &[TrustedKey]) -> Result<Vec<Outcome>, String> {
    let doc = Document::parse(xml, Limits::METADATA).map_err(|e| format!("{label}: {e}"))?;
    let mut out = Vec::new();
    for sig in signatures(&doc) {
        let check = verify_signature(&doc, sig, keys);
        let weak = check.weak_hashes();
        match check.result {
            Ok(v) => {
                assert_eq!(v.signature(), sig);
                assert_eq!(Some(v.element()), doc.parent(sig));
                out.push((parent_name(&doc, sig), v.key_index(), weak));
            }
            Err(e) => {
                return Err(format!(
                    "{label}: signature in {} does not verify: {} ({e:?})",
                    parent_name(&doc, sig),
                    e.rule()
                ))
            }
        }
    }
    Ok(out)
}

fn verify_all_ok(label: &str, xml: &str, keys: &[TrustedKey]) -> Vec<(&'static str, usize)> {
    verify_all(label, xml, keys)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|(element, key, _)| (element, key))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The committed fixtures.

/// (response fixture, metadata fixture, signed elements in document order, key index).
const FIXTURES: &[(&str, &str, &[&str], usize)] = &[
    ("okta", "okta", &["Response", "Assertion"], 0),
    ("entra", "entra", &["Assertion"], 1),
    ("google", "google", &["Response"], 0),
    ("ecdsa", "ecdsa", &["Assertion"], 0),
    ("sha512", "okta", &["Assertion"], 0),
    ("sha1", "okta", &["Assertion"], 0),
    ("pretty", "okta", &["Response", "Assertion"], 0),
    ("compact", "okta", &["Assertion"], 0),
    ("odd-prefixes", "okta", &["Response", "Assertion"], 0),
    ("idp-initiated", "okta", &["Assertion"], 0),
    ("xmlsec1-assertion", "xmlsec", &["Assertion"], 0),
    ("xmlsec1-response", "xmlsec", &["Response"], 0),
];

#[test]
fn metadata_certificates_are_the_committed_keys() {
    let der = |k: &TrustedKey| k.der().to_vec();
    let rsa = der(&pem_key("idp-rsa"));
    let next = der(&pem_key("idp-rsa-next"));
    let ec = der(&pem_key("idp-ec"));
    for (metadata, expected) in [
        ("okta", vec![rsa.clone()]),
        ("google", vec![rsa.clone()]),
        ("xmlsec", vec![rsa.clone()]),
        ("ecdsa", vec![ec]),
        ("entra", vec![rsa, next]),
    ] {
        let got: Vec<Vec<u8>> = metadata_keys(metadata).iter().map(der).collect();
        assert_eq!(got, expected, "metadata/{metadata}.xml");
    }
    let attacker = pem_key("attacker");
    assert_eq!(attacker.info().subject, "CN=attacker");
    let idp = pem_key("idp-rsa");
    assert_eq!(idp.info().subject, "CN=samlcheck test IdP");
    assert_eq!(idp.info().key, "RSA 2048");
    assert_eq!(pem_key("idp-ec").info().key, "EC P-256");
}

#[test]
fn every_signed_fixture_verifies_with_its_metadata_certificates() {
    for &(name, metadata, signed, key_index) in FIXTURES {
        let xml = read(&format!("responses/{name}.xml"));
        let keys = metadata_keys(metadata);
        let results = verify_all(name, &xml, &keys).unwrap_or_else(|e| panic!("{e}"));
        let elements: Vec<&str> = results.iter().map(|r| r.0).collect();
        assert_eq!(elements, signed, "{name}: signed elements");
        for (element, key, weak) in results {
            assert_eq!(key, key_index, "{name}: {element} verified with key {key}");
            let expect_weak = if name == "sha1" {
                vec![Hash::Sha1]
            } else {
                vec![]
            };
            assert_eq!(weak, expect_weak, "{name}: weak hashes");
        }
    }
}

#[test]
fn entra_fixture_verifies_only_with_the_rollover_certificate() {
    let xml = read("responses/entra.xml");
    let doc = Document::parse(&xml, Limits::MESSAGE).unwrap();
    let sig = signatures(&doc)[0];
    let first_only = [pem_key("idp-rsa")];
    let err = verify_signature(&doc, sig, &first_only).result.unwrap_err();
    assert!(
        matches!(err, SignatureFailure::UntrustedKey { ref embedded, .. } if embedded.subject == "CN=samlcheck test IdP 2026"),
        "{err:?}"
    );
    let both = [pem_key("idp-rsa"), pem_key("idp-rsa-next")];
    let verified = verify_signature(&doc, sig, &both).result.unwrap();
    assert_eq!(verified.key_index(), 1);
}

#[test]
fn entra_metadata_signature_verifies() {
    let xml = read("metadata/entra.xml");
    assert_eq!(
        verify_all_ok("metadata/entra.xml", &xml, &[pem_key("idp-rsa")]),
        [("EntityDescriptor", 0)]
    );
}

#[test]
fn fixtures_do_not_verify_with_the_attacker_certificate() {
    let attacker = [pem_key("attacker")];
    for &(name, ..) in FIXTURES {
        let xml = read(&format!("responses/{name}.xml"));
        assert!(
            verify_all(name, &xml, &attacker).is_err(),
            "{name} verified with the attacker's certificate"
        );
    }
}

#[test]
fn post_binding_forms_decode_to_the_responses() {
    let b64 = base64::engine::general_purpose::STANDARD;
    for name in ["okta", "entra"] {
        let xml = read(&format!("responses/{name}.xml"));
        let wrapped = read(&format!("responses/{name}.b64"));
        assert!(wrapped.lines().all(|l| l.len() <= 76), "{name}.b64 lines");
        assert!(wrapped.lines().count() > 1, "{name}.b64 is wrapped");
        let compact: String = wrapped.split_ascii_whitespace().collect();
        assert_eq!(b64.decode(&compact).unwrap(), xml.as_bytes(), "{name}.b64");

        let form = read(&format!("responses/{name}.form"));
        let (response, relay) = form
            .strip_prefix("SAMLResponse=")
            .and_then(|f| f.split_once("&RelayState="))
            .unwrap_or_else(|| panic!("{name}.form shape"));
        assert_eq!(relay, "%2Forganizations%2Facme%2F");
        let decoded = response
            .replace("%2B", "+")
            .replace("%2F", "/")
            .replace("%3D", "=");
        assert!(!decoded.contains('%'), "{name}.form has other escapes");
        assert_eq!(b64.decode(decoded).unwrap(), xml.as_bytes(), "{name}.form");
    }
}

// ---------------------------------------------------------------------------------------------
// xmlsec1.

const SKIPPED: &str = "xmlsec1 not installed";

fn xmlsec1_installed() -> bool {
    Command::new("xmlsec1")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Which signature xmlsec1 should check (it verifies the first one it finds otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Response,
    Assertion,
}

impl Which {
    fn xpath(self) -> &'static str {
        match self {
            Which::Response => "//*[local-name()='Response']/*[local-name()='Signature']",
            Which::Assertion => "//*[local-name()='Assertion']/*[local-name()='Signature']",
        }
    }
}

/// `xmlsec1 --verify`, trusting only `cert` (KeyInfo certificates are ignored).
fn xmlsec1_verify(xml: &str, cert: &str, which: Which) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.xml");
    std::fs::write(&file, xml).unwrap();
    let cert = fixtures().join("keys").join(format!("{cert}.crt"));
    let output = Command::new("xmlsec1")
        .arg("--verify")
        .args(["--enabled-key-data", "key-name"])
        .arg("--pubkey-cert-pem")
        .arg(&cert)
        .args(["--id-attr:ID", &format!("{ASSERTION_NS}:Assertion")])
        .args(["--id-attr:ID", &format!("{PROTOCOL_NS}:Response")])
        .args(["--node-xpath", which.xpath()])
        .arg(&file)
        .output()
        .expect("running xmlsec1");
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

#[test]
fn xmlsec1_accepts_its_own_fixtures_and_rejects_them_tampered() {
    if !xmlsec1_installed() {
        external_support::missing_tools("xmlsec1 interop", SKIPPED, "xmlsec1");
        return;
    }
    for (name, which) in [
        ("xmlsec1-assertion", Which::Assertion),
        ("xmlsec1-response", Which::Response),
    ] {
        let xml = read(&format!("responses/{name}.xml"));
        xmlsec1_verify(&xml, "idp-rsa", which).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(xmlsec1_verify(&xml, "attacker", which).is_err(), "{name}");
        let tampered = tamper(&xml);
        assert!(
            xmlsec1_verify(&tampered, "idp-rsa", which).is_err(),
            "{name}"
        );
        let err = verify_all(name, &tampered, &metadata_keys("xmlsec")).unwrap_err();
        assert!(err.contains("signature/digest-mismatch"), "{name}: {err}");
    }
}

#[test]
fn xmlsec1_accepts_our_signed_fixtures() {
    if !xmlsec1_installed() {
        external_support::missing_tools("xmlsec1 interop", SKIPPED, "xmlsec1");
        return;
    }
    for &(name, metadata, signed, key_index) in FIXTURES {
        if name.starts_with("xmlsec1-") {
            continue;
        }
        let xml = read(&format!("responses/{name}.xml"));
        let cert = match (metadata, key_index) {
            ("ecdsa", _) => "idp-ec",
            ("entra", 1) => "idp-rsa-next",
            _ => "idp-rsa",
        };
        for element in signed {
            let which = if *element == "Response" {
                Which::Response
            } else {
                Which::Assertion
            };
            xmlsec1_verify(&xml, cert, which)
                .unwrap_or_else(|e| panic!("xmlsec1 rejects {name} ({element}): {e}"));
        }
    }
}

/// Moves the subject's recipient: inside every signed Assertion (and so every Response).
fn tamper(xml: &str) -> String {
    let from = "Recipient=\"https://sentry.io/saml/acs/acme/\"";
    assert!(xml.contains(from));
    xml.replacen(
        from,
        "Recipient=\"https://sentry.io/saml/acs/acme-evil/\"",
        1,
    )
}

/// Unsigned documents in several styles: (label, template, Response ID, Assertion ID).
const DOCUMENTS: &[(&str, &str, &str, &str)] = &[
    (
        "prefixed",
        "okta",
        "id30284517283048172613590841",
        "id30284517283290761994207613",
    ),
    (
        "default-namespace",
        "entra",
        "_5d6c1b7e-4a2f-4c8e-9b1d-0f3e2a7c6b58",
        "_9a4e2f1c-7b3d-4e6a-8c5f-1d2b3a4c5e6f",
    ),
    (
        "odd-prefixes",
        "odd-prefixes",
        "_resp-odd-9c4e1b7d",
        "_assert-odd-2f7a0c5e",
    ),
    (
        "pretty",
        "pretty",
        "_resp-pretty-3d81c6f9",
        "_assert-pretty-5a0e7b24",
    ),
    (
        "compact",
        "compact",
        "_resp-compact-7f3b9e02",
        "_assert-compact-1a6c4d85",
    ),
];

const ALGORITHMS: &[(KeyKind, Hash)] = &[
    (KeyKind::Rsa, Hash::Sha256),
    (KeyKind::Rsa, Hash::Sha384),
    (KeyKind::Rsa, Hash::Sha512),
    (KeyKind::Rsa, Hash::Sha1),
    (KeyKind::Ecdsa, Hash::Sha256),
    (KeyKind::Ecdsa, Hash::Sha384),
    (KeyKind::Ecdsa, Hash::Sha512),
];

/// Empties the text of every `<ds:NAME>...</ds:NAME>`, turning a signed document back into a
/// template for `xmlsec1 --sign`.
fn blank(xml: &str, name: &str) -> String {
    let open = format!("<ds:{name}>");
    let close = format!("</ds:{name}>");
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let content = start + open.len();
        let end = content + rest[content..].find(&close).unwrap();
        out.push_str(&rest[..content]);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `xmlsec1 --sign` of the signature selected by `which`, with the key pair `name`.
fn xmlsec1_sign(template: &str, name: &str, which: Which) -> Result<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("template.xml");
    let output = dir.path().join("signed.xml");
    std::fs::write(&input, template).unwrap();
    let keys = fixtures().join("keys");
    let key = format!(
        "{},{}",
        keys.join(format!("{name}.key")).display(),
        keys.join(format!("{name}.crt")).display()
    );
    let result = Command::new("xmlsec1")
        .arg("--sign")
        .args(["--privkey-pem", &key])
        .args(["--id-attr:ID", &format!("{ASSERTION_NS}:Assertion")])
        .args(["--id-attr:ID", &format!("{PROTOCOL_NS}:Response")])
        .args(["--node-xpath", which.xpath()])
        .arg("--output")
        .arg(&output)
        .arg(&input)
        .output()
        .expect("running xmlsec1");
    if result.status.success() {
        Ok(std::fs::read_to_string(&output).unwrap())
    } else {
        Err(String::from_utf8_lossy(&result.stderr).into_owned())
    }
}

/// Moves the Response's Destination: outside the Assertion, so only a Response signature breaks.
fn tamper_response_only(xml: &str) -> String {
    let from = "Destination=\"https://sentry.io/saml/acs/acme/\"";
    assert!(xml.contains(from));
    xml.replacen(
        from,
        "Destination=\"https://sentry.io/saml/acs/acme-evil/\"",
        1,
    )
}

/// One combination of the matrix; returns what went wrong.
fn interop_case(
    label: &str,
    unsigned: &str,
    ids: &[&str],
    which: &[Which],
    key: &SigningKey,
    cert: &str,
    options: &SignOptions,
) -> Vec<String> {
    let trusted = [pem_key(cert)];
    let mut failures = Vec::new();
    let mut xml = unsigned.to_string();
    for id in ids {
        xml = sign_element(&xml, id, key, options)
            .unwrap_or_else(|e| panic!("{label}: signing {id}: {e}"));
    }

    // Ours -> xmlsec1 (and ours, as a sanity check of the round trip).
    let ours = verify_all_ok(label, &xml, &trusted);
    assert_eq!(ours.len(), ids.len(), "{label}");
    for &w in which {
        if let Err(e) = xmlsec1_verify(&xml, cert, w) {
            failures.push(format!("{label}: xmlsec1 rejects our {w:?} signature: {e}"));
        }
    }

    // Tampering inside the Assertion breaks every signature, for both verifiers.
    let tampered = tamper(&xml);
    match verify_all(label, &tampered, &trusted) {
        Err(e) if e.contains("signature/digest-mismatch") => {}
        other => failures.push(format!("{label}: ours on tampered: {other:?}")),
    }
    for &w in which {
        if xmlsec1_verify(&tampered, cert, w).is_ok() {
            failures.push(format!("{label}: xmlsec1 accepts tampered {w:?}"));
        }
    }

    // With both signed, tampering outside the Assertion breaks only the Response's signature:
    // this also proves that --node-xpath makes xmlsec1 check the signature we mean.
    let outside = tamper_response_only(&xml);
    let which_outside = if which.len() > 1 { which } else { &[] };
    for &w in which_outside {
        let expect_ok = w == Which::Assertion;
        if xmlsec1_verify(&outside, cert, w).is_ok() != expect_ok {
            failures.push(format!(
                "{label}: xmlsec1 on Destination-tampered, {w:?}: expected ok={expect_ok}"
            ));
        }
    }
    let doc = Document::parse(&outside, Limits::MESSAGE).unwrap();
    for sig in signatures(&doc) {
        let ok = verify_signature(&doc, sig, &trusted).result.is_ok();
        if ok != (parent_name(&doc, sig) == "Assertion") {
            failures.push(format!(
                "{label}: ours on Destination-tampered, {}: ok={ok}",
                parent_name(&doc, sig)
            ));
        }
    }

    // xmlsec1 -> ours: xmlsec1 re-signs our signatures (values blanked), innermost first.
    let mut template = blank(&blank(&xml, "DigestValue"), "SignatureValue");
    template = blank(&template, "X509Certificate");
    let mut order = which.to_vec();
    order.sort_by_key(|w| *w != Which::Assertion);
    let mut signed = Some(template);
    for w in order {
        signed = match xmlsec1_sign(signed.as_deref().unwrap(), cert, w) {
            Ok(s) => Some(s),
            Err(e) => {
                failures.push(format!("{label}: xmlsec1 cannot sign {w:?}: {e}"));
                None
            }
        };
        if signed.is_none() {
            break;
        }
    }
    if let Some(signed) = signed {
        match verify_all(label, &signed, &trusted) {
            Ok(results) if results.len() == ids.len() => {}
            other => failures.push(format!("{label}: ours on xmlsec1-signed: {other:?}")),
        }
    }
    failures
}

#[test]
fn xmlsec1_and_our_signer_interoperate_both_ways() {
    if !xmlsec1_installed() {
        external_support::missing_tools("xmlsec1 interop", SKIPPED, "xmlsec1");
        return;
    }
    let c14n_methods = [
        (
            "exc",
            Method::Exclusive {
                comments: false,
                prefixes: Vec::new(),
            },
        ),
        ("inc", Method::Inclusive { comments: false }),
        // Rarer forms, with SHA-256 only (see `extra`).
        (
            "exc-prefixlist",
            Method::Exclusive {
                comments: false,
                prefixes: vec![Some("xs".into()), None],
            },
        ),
        (
            "exc-comments",
            Method::Exclusive {
                comments: true,
                prefixes: Vec::new(),
            },
        ),
        ("inc-comments", Method::Inclusive { comments: true }),
    ];
    let results: Vec<(usize, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = DOCUMENTS
            .iter()
            .map(|&(style, template, response_id, assertion_id)| {
                let c14n_methods = &c14n_methods;
                scope.spawn(move || {
                    let rsa = signing_key("idp-rsa");
                    let ec = signing_key("idp-ec");
                    let unsigned = read(&format!("templates/responses/{template}.xml"));
                    let mut cases = 0;
                    let mut failures = Vec::new();
                    for &(kind, hash) in ALGORITHMS {
                        let (key, cert) = match kind {
                            KeyKind::Rsa => (&rsa, "idp-rsa"),
                            KeyKind::Ecdsa => (&ec, "idp-ec"),
                        };
                        for (c14n_name, c14n) in c14n_methods {
                            let extra = c14n_name.contains('-');
                            if extra && hash != Hash::Sha256 {
                                continue;
                            }
                            let options = SignOptions {
                                algorithm: SignatureAlgorithm { key: kind, hash },
                                digest: hash,
                                c14n: c14n.clone(),
                                include_certificate: true,
                            };
                            for (target, ids, which) in [
                                ("assertion", &[assertion_id][..], &[Which::Assertion][..]),
                                ("response", &[response_id][..], &[Which::Response][..]),
                                (
                                    "both",
                                    &[assertion_id, response_id][..],
                                    &[Which::Assertion, Which::Response][..],
                                ),
                            ] {
                                cases += 1;
                                let label = format!(
                                    "{style} {} {c14n_name}-c14n {target}",
                                    options.algorithm.name()
                                );
                                failures.extend(interop_case(
                                    &label, &unsigned, ids, which, key, cert, &options,
                                ));
                            }
                        }
                    }
                    (cases, failures)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let cases: usize = results.iter().map(|r| r.0).sum();
    let failures: Vec<String> = results.into_iter().flat_map(|r| r.1).collect();
    assert!(
        failures.is_empty(),
        "{} failures over {cases} cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // 7 algorithms with the 2 plain methods, 2 SHA-256 ones with the 3 rarer ones; 3 targets.
    assert_eq!(cases, DOCUMENTS.len() * (ALGORITHMS.len() * 2 + 2 * 3) * 3);
}
