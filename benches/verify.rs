//! Verification throughput: the whole `verify_response` pipeline and its parts.
//!
//! ```text
//! cargo bench --bench verify -- --warm-up-time 1 --measurement-time 5
//! ```
//!
//! Every bench reports `Throughput::Elements(1)`, so criterion prints operations per second
//! ("thrpt") next to the time per operation. See docs/performance.md for results and targets.
//!
//! Groups:
//! - `verify/typical-15attr-<size>`: the "typical ~8 KB" Response of the performance target:
//!   Okta's envelope with 15 attributes (groups, department, manager...) written compactly,
//!   Response and Assertion both signed (RSA-2048, SHA-256, exclusive c14n): 2 digests, 2 RSA
//!   verifications. Built and signed here at startup with the library signer and
//!   fixtures/keys/idp-rsa.{key,crt}; its size is in the name.
//! - `verify/okta-15attr-<size>`: the same 15 attributes in Okta's verbose attribute format
//!   (NameFormat, xs/xsi declarations on every value): a bigger (~11 KB) data point.
//! - `verify/typical-15attr-assertion-signed-<size>` and `verify/okta-15attr-assertion-signed-<size>`:
//!   the same two Responses with only the Assertion signed (as Entra ID, Google Workspace and ADFS
//!   sign by default): one digest, one RSA verification, which is the floor the target names.
//! - `verify/claims-19attr-assertion-signed-<size>`: the same 15 attributes named by claim URI (as
//!   Entra ID and ADFS name them) plus Entra's four built-in claims, only the Assertion signed:
//!   the ~8 KB Response signed once.
//! - `verify/okta-fixture-<size>`: fixtures/responses/okta.xml as committed (3 attributes, both signed).
//! - `verify/entra-fixture-<size>`: fixtures/responses/entra.xml (assertion signed only: 1 RSA verification).
//! - `parse/...`: `Document::parse_bytes` alone.
//! - `verify_document/...`: everything `verify_response` does after parsing.
//! - `c14n/exclusive/assertion`: exclusive c14n of the assertion subtree (minus its enveloped
//!   Signature) into a Vec, i.e. what the assertion digest reads; `c14n+sha256/...` adds the
//!   SHA-256, for the assertion and for the whole Response (what the Response digest reads).
//! - `rsa2048_verify_floor`: one openssl RSA-2048 PKCS#1 v1.5 SHA-256 verification of a fixed
//!   ~600-byte message (a SignedInfo-sized input): the floor under any verifier that checks two
//!   signatures is twice this.
//!
//! `SAMLCHECK_BENCH_WRITE_INPUT=FILE` writes the signed typical response to FILE (to compare it with
//! what benches/compare_python3_saml.sh signs); `SAMLCHECK_BENCH_WRITE_DIR=DIR` writes every case
//! as DIR/NAME.xml (for examples/verify_loop.rs under a profiler).
//!
//! All checks run at 2026-01-15T10:01:00Z, when the fixtures and the generated response are valid;
//! the bench asserts each input is accepted before timing it, so a fast rejection is never measured.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

// The allocator of the samlcheck binary (src/main.rs), so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::sign::{Signer, Verifier};

use samlcheck::checks::response::{verify_document, verify_response, VerifyOptions};
use samlcheck::saml::metadata::IdpMetadata;
use samlcheck::sp::SpProfile;
use samlcheck::xml::c14n::{canonicalize_subtree, Method};
use samlcheck::xml::dsig::verify::DigestSink;
use samlcheck::xml::dsig::{sign_element, Hash, SignOptions, SigningKey};
use samlcheck::xml::{Document, Limits, NodeId};

/// 2026-01-15T10:01:00Z.
const NOW_UNIX: i64 = 1_768_471_260;

const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> Vec<u8> {
    let path = root().join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(NOW_UNIX).unwrap()
}

/// How attributes are written.
#[derive(Clone, Copy)]
pub enum Style {
    /// As Okta writes them: unspecified NameFormat, each value an xs:string declaring xs and xsi
    /// (~270 bytes per single-valued attribute).
    Okta,
    /// Plain values, no NameFormat (as Entra and ADFS write them; ~110 bytes per attribute).
    Compact,
    /// As Compact, but named by claim URI as Entra ID and ADFS name them, plus the claims Entra
    /// always sends (tenant, object ID, identity provider, authentication methods).
    ClaimUris,
}

const WS_CLAIMS: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";
const MS_CLAIMS: &str = "http://schemas.microsoft.com/identity/claims/";

/// The claim URI Entra ID or ADFS would use for one of the 15 attribute names.
fn claim_uri(name: &str) -> String {
    match name {
        "email" => format!("{WS_CLAIMS}emailaddress"),
        "firstName" => format!("{WS_CLAIMS}givenname"),
        "lastName" => format!("{WS_CLAIMS}surname"),
        "displayName" => format!("{MS_CLAIMS}displayname"),
        "login" => format!("{WS_CLAIMS}name"),
        "groups" => "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups".to_owned(),
        other => format!("{WS_CLAIMS}{}", other.to_ascii_lowercase()),
    }
}

/// One `saml2:Attribute`.
fn attribute(out: &mut String, style: Style, name: &str, values: &[&str]) {
    match style {
        Style::Okta => out.push_str(&format!(
            "<saml2:Attribute Name=\"{name}\" NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified\">"
        )),
        Style::Compact => out.push_str(&format!("<saml2:Attribute Name=\"{name}\">")),
        Style::ClaimUris => out.push_str(&format!(
            "<saml2:Attribute Name=\"{}\">",
            claim_uri(name)
        )),
    }
    for value in values {
        match style {
            Style::Okta => out.push_str(&format!(
                "<saml2:AttributeValue xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" \
                 xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"xs:string\">{value}</saml2:AttributeValue>"
            )),
            Style::Compact | Style::ClaimUris => {
                out.push_str(&format!("<saml2:AttributeValue>{value}</saml2:AttributeValue>"))
            }
        }
    }
    out.push_str("</saml2:Attribute>");
}

/// An unsigned Okta-shaped Response (same envelope, subject, conditions and prefixes as
/// fixtures/responses/okta.xml) with 15 attributes, valid at 2026-01-15T10:01:00Z for the `acme`
/// org on https://sentry.io. For `Style::Compact`, `benches/python3_saml_verify.py gen` writes the
/// same text byte for byte (same IDs and user) for benches/compare_python3_saml.sh.
pub fn typical_response(style: Style, response_id: &str, assertion_id: &str, user: &str) -> String {
    let email = format!("{user}@acme.example");
    let mut attrs = String::new();
    attribute(&mut attrs, style, "email", &[&email]);
    attribute(&mut attrs, style, "firstName", &["Jane"]);
    attribute(&mut attrs, style, "lastName", &["Doe"]);
    attribute(&mut attrs, style, "displayName", &["Jane Doe"]);
    attribute(&mut attrs, style, "login", &[&email]);
    attribute(&mut attrs, style, "department", &["Platform Engineering"]);
    attribute(&mut attrs, style, "title", &["Staff Software Engineer"]);
    attribute(&mut attrs, style, "employeeNumber", &["100482"]);
    attribute(&mut attrs, style, "costCenter", &["CC-4410"]);
    attribute(&mut attrs, style, "division", &["R&amp;D"]);
    attribute(&mut attrs, style, "organization", &["Acme Corp"]);
    attribute(&mut attrs, style, "manager", &["john.smith@acme.example"]);
    attribute(&mut attrs, style, "locale", &["en_US"]);
    attribute(&mut attrs, style, "timezone", &["America/Los_Angeles"]);
    attribute(
        &mut attrs,
        style,
        "groups",
        &[
            "Everyone",
            "engineering",
            "sentry-admins",
            "oncall-platform",
        ],
    );
    if let Style::ClaimUris = style {
        for (claim, value) in [
            ("tenantid", "8f3c1a52-6b0e-4d2a-9c71-3e5d2b7a4f10"),
            ("objectidentifier", "c2d9e4b7-1f63-4a8e-b5d0-7a91e3c6f248"),
            (
                "identityprovider",
                "https://sts.windows.net/8f3c1a52-6b0e-4d2a-9c71-3e5d2b7a4f10/",
            ),
        ] {
            let name = format!("{MS_CLAIMS}{claim}");
            attrs.push_str(&format!(
                "<saml2:Attribute Name=\"{name}\"><saml2:AttributeValue>{value}</saml2:AttributeValue></saml2:Attribute>"
            ));
        }
        attrs.push_str(
            "<saml2:Attribute Name=\"http://schemas.microsoft.com/claims/authnmethodsreferences\">\
             <saml2:AttributeValue>http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password</saml2:AttributeValue>\
             <saml2:AttributeValue>http://schemas.microsoft.com/claims/multipleauthn</saml2:AttributeValue>\
             </saml2:Attribute>",
        );
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<saml2p:Response xmlns:saml2p=\"urn:oasis:names:tc:SAML:2.0:protocol\" Destination=\"https://sentry.io/saml/acs/acme/\" ID=\"{response_id}\" InResponseTo=\"_req-4f1c2a\" IssueInstant=\"2026-01-15T10:00:00Z\" Version=\"2.0\">\
<saml2:Issuer xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\" Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:entity\">http://www.okta.com/exk1fcbhlwAcme5d7</saml2:Issuer>\
<saml2p:Status xmlns:saml2p=\"urn:oasis:names:tc:SAML:2.0:protocol\"><saml2p:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></saml2p:Status>\
<saml2:Assertion xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"{assertion_id}\" IssueInstant=\"2026-01-15T10:00:00Z\" Version=\"2.0\">\
<saml2:Issuer Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:entity\" xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\">http://www.okta.com/exk1fcbhlwAcme5d7</saml2:Issuer>\
<saml2:Subject xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\"><saml2:NameID Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\">{email}</saml2:NameID>\
<saml2:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\"><saml2:SubjectConfirmationData InResponseTo=\"_req-4f1c2a\" NotOnOrAfter=\"2026-01-15T10:05:00Z\" Recipient=\"https://sentry.io/saml/acs/acme/\"/></saml2:SubjectConfirmation></saml2:Subject>\
<saml2:Conditions NotBefore=\"2026-01-15T09:59:30Z\" NotOnOrAfter=\"2026-01-15T10:05:00Z\" xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\"><saml2:AudienceRestriction><saml2:Audience>https://sentry.io/saml/metadata/acme/</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>\
<saml2:AuthnStatement AuthnInstant=\"2026-01-15T09:59:58Z\" SessionIndex=\"id1768471200123.1458872915\" xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\"><saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>\
<saml2:AttributeStatement xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\">{attrs}</saml2:AttributeStatement>\
</saml2:Assertion></saml2p:Response>"
    )
}

/// The 15-attribute response signed like the okta fixture: assertion first, then the response
/// (`both`), or only the assertion, as Entra ID, Google and ADFS sign by default.
fn signed_typical_response(style: Style, both: bool) -> Vec<u8> {
    let key = SigningKey::from_pem(
        &read("fixtures/keys/idp-rsa.key"),
        Some(&read("fixtures/keys/idp-rsa.crt")),
    )
    .expect("fixtures/keys/idp-rsa.{key,crt}");
    let (response_id, assertion_id) = ("id_bench_response_000000", "id_bench_assertion_00000");
    let mut xml = typical_response(style, response_id, assertion_id, "jane.doe");
    let options = SignOptions::default();
    let ids: &[&str] = if both {
        &[assertion_id, response_id]
    } else {
        &[assertion_id]
    };
    for id in ids {
        xml = sign_element(&xml, id, &key, &options).expect("signing the bench response");
    }
    xml.into_bytes()
}

fn size_label(bytes: &[u8]) -> String {
    format!("{:.1}KB", bytes.len() as f64 / 1024.0)
}

struct Case {
    name: String,
    response: Vec<u8>,
    idp: IdpMetadata,
}

fn case(name: &str, response: Vec<u8>, metadata: &str) -> Case {
    let idp = IdpMetadata::parse(&read(metadata), None).expect(metadata);
    let name = format!("{name}-{}", size_label(&response));
    Case {
        name,
        response,
        idp,
    }
}

/// The assertion element and its enveloped signature.
fn assertion_and_signature(doc: &Document) -> (NodeId, Option<NodeId>) {
    let root = doc.root();
    let assertion = doc
        .child_named(root, SAML, "Assertion")
        .expect("a saml:Assertion under the Response");
    (assertion, doc.child_named(assertion, DSIG, "Signature"))
}

fn exclusive() -> Method {
    Method::Exclusive {
        comments: false,
        prefixes: Vec::new(),
    }
}

fn benches(c: &mut Criterion) {
    let sp = SpProfile::for_org("https://sentry.io", "acme");
    let options = VerifyOptions::at(now());
    let typical = signed_typical_response(Style::Compact, true);
    // For checking that benches/python3_saml_verify.py writes the same text (docs/performance.md).
    if let Some(path) = std::env::var_os("SAMLCHECK_BENCH_WRITE_INPUT") {
        std::fs::write(&path, &typical).expect("SAMLCHECK_BENCH_WRITE_INPUT");
    }
    let cases = [
        case(
            "typical-15attr",
            typical.clone(),
            "fixtures/metadata/okta.xml",
        ),
        case(
            "okta-15attr",
            signed_typical_response(Style::Okta, true),
            "fixtures/metadata/okta.xml",
        ),
        case(
            "typical-15attr-assertion-signed",
            signed_typical_response(Style::Compact, false),
            "fixtures/metadata/okta.xml",
        ),
        case(
            "okta-15attr-assertion-signed",
            signed_typical_response(Style::Okta, false),
            "fixtures/metadata/okta.xml",
        ),
        case(
            "claims-19attr-assertion-signed",
            signed_typical_response(Style::ClaimUris, false),
            "fixtures/metadata/okta.xml",
        ),
        case(
            "okta-fixture",
            read("fixtures/responses/okta.xml"),
            "fixtures/metadata/okta.xml",
        ),
        case(
            "entra-fixture",
            read("fixtures/responses/entra.xml"),
            "fixtures/metadata/entra.xml",
        ),
    ];

    // For profiling one case outside criterion (examples/verify_loop.rs).
    if let Some(dir) = std::env::var_os("SAMLCHECK_BENCH_WRITE_DIR") {
        for case in &cases {
            let path = PathBuf::from(&dir).join(format!("{}.xml", case.name));
            std::fs::write(&path, &case.response).expect("SAMLCHECK_BENCH_WRITE_DIR");
        }
    }

    // Never time a rejection: every input must be accepted, with the expected signatures.
    for (case, signatures) in cases.iter().zip([2, 2, 1, 1, 1, 2, 1]) {
        let verdict = verify_response(&case.response, &case.idp, &sp, &options);
        let verified = verdict.signatures.iter().filter(|s| s.verified).count();
        assert!(
            verdict.accepted && verified == signatures,
            "{} is not accepted with {signatures} verified signature(s): {:?}",
            case.name,
            verdict.findings
        );
    }

    let mut group = c.benchmark_group("verify");
    group.throughput(Throughput::Elements(1));
    for case in &cases {
        group.bench_function(case.name.as_str(), |b| {
            b.iter(|| {
                let verdict = verify_response(
                    black_box(&case.response),
                    black_box(&case.idp),
                    &sp,
                    &options,
                );
                black_box(verdict.accepted)
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Elements(1));
    for case in &cases {
        group.bench_function(case.name.as_str(), |b| {
            b.iter(|| Document::parse_bytes(black_box(&case.response), Limits::MESSAGE).unwrap())
        });
    }
    group.finish();

    // Everything verify_response does after parsing (signatures, envelope, assertion checks).
    let mut group = c.benchmark_group("verify_document");
    group.throughput(Throughput::Elements(1));
    let typical_case = &cases[0];
    let doc = Document::parse_bytes(&typical_case.response, Limits::MESSAGE).unwrap();
    group.bench_function(typical_case.name.as_str(), |b| {
        b.iter(|| {
            let verdict = verify_document(black_box(&doc), &typical_case.idp, &sp, &options);
            black_box(verdict.accepted)
        })
    });
    group.finish();

    let (assertion, signature) = assertion_and_signature(&doc);
    let response_signature = doc.child_named(doc.root(), DSIG, "Signature");
    let method = exclusive();
    let canonical_len = {
        let mut out = Vec::new();
        canonicalize_subtree(&doc, assertion, signature, &method, &mut out);
        out.len()
    };
    let label = format!("assertion-{}", size_label(&vec![0; canonical_len]));
    let mut group = c.benchmark_group("c14n/exclusive");
    group.throughput(Throughput::Elements(1));
    group.bench_function(label.as_str(), |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(16 * 1024);
            canonicalize_subtree(black_box(&doc), assertion, signature, &method, &mut out);
            out
        })
    });
    group.finish();
    let mut group = c.benchmark_group("c14n+sha256/exclusive");
    group.throughput(Throughput::Elements(1));
    group.bench_function(label.as_str(), |b| {
        b.iter(|| {
            let mut sink = DigestSink::new(Hash::Sha256);
            canonicalize_subtree(black_box(&doc), assertion, signature, &method, &mut sink);
            sink.finish()
        })
    });
    // What the Response signature's digest reads: the whole Response minus its own Signature.
    let response_len = {
        let mut out = Vec::new();
        canonicalize_subtree(&doc, doc.root(), response_signature, &method, &mut out);
        out.len()
    };
    let response_label = format!("response-{}", size_label(&vec![0; response_len]));
    group.bench_function(response_label.as_str(), |b| {
        b.iter(|| {
            let mut sink = DigestSink::new(Hash::Sha256);
            canonicalize_subtree(
                black_box(&doc),
                doc.root(),
                response_signature,
                &method,
                &mut sink,
            );
            sink.finish()
        })
    });
    group.finish();

    // The floor: one RSA-2048 SHA-256 verification with openssl, nothing else.
    let key = PKey::private_key_from_pem(&read("fixtures/keys/idp-rsa.key")).unwrap();
    let public = PKey::public_key_from_pem(&key.public_key_to_pem().unwrap()).unwrap();
    let message: Vec<u8> = (0..600u32).map(|i| b'a' + (i % 26) as u8).collect();
    let signature_value = {
        let mut signer = Signer::new(MessageDigest::sha256(), &key).unwrap();
        signer.update(&message).unwrap();
        signer.sign_to_vec().unwrap()
    };
    let mut group = c.benchmark_group("rsa2048_verify_floor");
    group.throughput(Throughput::Elements(1));
    group.bench_function("sha256-600B", |b| {
        b.iter(|| {
            let mut verifier = Verifier::new(MessageDigest::sha256(), &public).unwrap();
            verifier.update(black_box(&message)).unwrap();
            verifier.verify(black_box(&signature_value)).unwrap()
        })
    });
    group.finish();
}

criterion_group! {
    name = verify;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = benches
}
criterion_main!(verify);
