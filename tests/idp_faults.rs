//! The mock IdP's response builder, one test per `--fault`: the response for org `acme` is run
//! through `verify_response` with the IdP's own metadata (or, for mapping faults, through the
//! attribute-mapping check), and the exact rule id and verdict are asserted.

use samlcheck::checks::mapping::{check_mapping, IdpAttributes, ObservedAssertion};
use samlcheck::checks::response::{verify_response, Verdict, VerifyOptions};
use samlcheck::checks::Severity;
use samlcheck::saml::metadata::IdpMetadata;
use samlcheck::saml::response::{Assertion, ResponseEnvelope};
use samlcheck::saml::time::parse_instant;
use samlcheck::server::idp::{
    idp_metadata, issue_response, CheckedBy, Fault, IdpKey, Ids, KeySource, ResponseSpec, User,
};
use samlcheck::sp::mapping::AttributeMapping;
use samlcheck::sp::SpProfile;
use samlcheck::xml::{Document, Limits};

const IDP: &str = "http://127.0.0.1:8081/metadata";
const SSO: &str = "http://127.0.0.1:8081/sso";
const REQUEST_ID: &str = "_req-acme-1";
const NOW: &str = "2026-01-15T10:00:00Z";
/// The SP's user ID attribute in these tests (the IdP releases it with `--attribute uid=...`).
const MAPPING: &str = "user-id=uid,email=email,first-name=firstName,last-name=lastName";

fn fixed_ids() -> Ids {
    Ids {
        response: "_resp-1".into(),
        assertion: "_assert-1".into(),
        session_index: "_session-1".into(),
        transient_name_id: "_transient-7f3a".into(),
        other_request: "_req-other".into(),
    }
}

struct Issued {
    xml: String,
    verdict: Verdict,
}

fn issue_with(fault: Option<Fault>, key: &IdpKey, sign_response: bool, user: &User) -> Issued {
    let sp = SpProfile::for_org("http://127.0.0.1:8080", "acme");
    let now = parse_instant(NOW).unwrap();
    let xml = issue_response(&ResponseSpec {
        in_response_to: Some(REQUEST_ID),
        fault,
        sign_response,
        ..ResponseSpec::new(IDP, &sp, user, &key.signing, now, fixed_ids())
    })
    .unwrap();
    let metadata = IdpMetadata::parse(idp_metadata(IDP, SSO, key, &[]).as_bytes(), None).unwrap();
    let mut options = VerifyOptions::at(now);
    options.request_id = Some(REQUEST_ID.into());
    let verdict = verify_response(xml.as_bytes(), &metadata, &sp, &options);
    Issued { xml, verdict }
}

fn user(uid: &str) -> User {
    User::from_login("jane.doe@acme.example").with_overrides(&[("uid".into(), uid.into())])
}

fn issue(fault: Option<Fault>) -> Issued {
    issue_with(
        fault,
        &IdpKey::bundled_test_key().unwrap(),
        false,
        &user("jane-0001"),
    )
}

fn rules(v: &Verdict, severity: Severity) -> Vec<&'static str> {
    v.findings
        .iter()
        .filter(|f| f.severity == severity)
        .map(|f| f.rule)
        .collect()
}

/// The mapping findings for the assertion of `xml`.
fn mapping_rules(xml: &str) -> Vec<&'static str> {
    let doc = Document::parse(xml, Limits::MESSAGE).unwrap();
    let node = ResponseEnvelope::read(&doc).unwrap().assertions[0];
    let assertion = Assertion::read_unverified_for_diagnosis(&doc, node);
    check_mapping(
        &AttributeMapping::parse(MAPPING).unwrap(),
        &IdpAttributes::default(),
        Some(ObservedAssertion::new(&doc, &assertion)),
    )
    .iter()
    .map(|f| f.rule)
    .collect()
}

/// The fault's rule is reported, the verdict is as the fault says, and no other error-level
/// rule than `also` shows up (each fault breaks one thing).
fn assert_fault(fault: Fault, also: &[&str]) -> Issued {
    let issued = issue(Some(fault));
    let v = &issued.verdict;
    let rule = fault.rule().id;
    match fault.checked_by() {
        CheckedBy::Verify => assert!(v.has(rule), "{fault}: no {rule} in {:#?}", v.findings),
        CheckedBy::Mapping => {
            let found = mapping_rules(&issued.xml);
            assert!(found.contains(&rule), "{fault}: no {rule} in {found:?}");
        }
    }
    assert_eq!(
        v.accepted,
        fault.verify_accepts(),
        "{fault}: accepted = {}, findings {:#?}",
        v.accepted,
        v.findings
    );
    for r in rules(v, Severity::Error) {
        assert!(r == rule || also.contains(&r), "{fault}: unexpected {r}");
    }
    issued
}

#[test]
fn without_a_fault_the_response_is_accepted_cleanly() {
    let issued = issue(None);
    let v = &issued.verdict;
    assert!(v.accepted, "{:#?}", v.findings);
    assert!(v.findings.is_empty(), "{:#?}", v.findings);
    let subject = v.subject.as_ref().unwrap();
    assert_eq!(subject.name_id, "jane.doe@acme.example");
    assert_eq!(v.attributes["email"], ["jane.doe@acme.example"]);
    assert_eq!(v.attributes["firstName"], ["Jane"]);
    assert_eq!(v.attributes["lastName"], ["Doe"]);
    assert!(mapping_rules(&issued.xml).is_empty());
}

#[test]
fn response_signed_too_and_ecdsa_keys_are_accepted() {
    let rsa = IdpKey::bundled_test_key().unwrap();
    let issued = issue_with(None, &rsa, true, &user("u"));
    assert!(issued.verdict.accepted, "{:#?}", issued.verdict.findings);
    assert_eq!(issued.verdict.signatures.len(), 2);
    assert!(issued.verdict.signatures.iter().all(|s| s.verified));

    let ec = IdpKey::from_pem(
        &std::fs::read("fixtures/keys/idp-ec.key").unwrap(),
        &std::fs::read("fixtures/keys/idp-ec.crt").unwrap(),
        KeySource::Files {
            key: "idp-ec.key".into(),
            cert: "idp-ec.crt".into(),
        },
    )
    .unwrap();
    for fault in [None, Some(Fault::Sha1)] {
        let issued = issue_with(fault, &ec, true, &user("u"));
        assert!(issued.verdict.accepted, "{:#?}", issued.verdict.findings);
        let algorithm = issued.verdict.signatures[0].algorithm.clone().unwrap();
        let hash = if fault.is_some() { "SHA-1" } else { "SHA-256" };
        assert!(
            algorithm.starts_with("ECDSA") && algorithm.ends_with(hash),
            "{algorithm}"
        );
    }
}

#[test]
fn markup_in_user_values_stays_data() {
    let evil = User::from_login("a<b>&\"c\"@acme.example")
        .with_overrides(&[("x<y".into(), "</saml:Attribute>\r\n&amp;".into())]);
    let issued = issue_with(None, &IdpKey::bundled_test_key().unwrap(), true, &evil);
    let v = &issued.verdict;
    assert!(v.accepted, "{:#?}", v.findings);
    assert_eq!(
        v.subject.as_ref().unwrap().name_id,
        "a<b>&\"c\"@acme.example"
    );
    assert_eq!(v.attributes["x<y"], ["</saml:Attribute>\r\n&amp;"]);
}

#[test]
fn wrong_audience() {
    let v = assert_fault(Fault::WrongAudience, &[]).verdict;
    let f = v
        .findings
        .iter()
        .find(|f| f.rule == "assertion/audience-mismatch")
        .unwrap();
    assert_eq!(
        f.found.as_deref(),
        Some("http://127.0.0.1:8080/saml/acs/acme/")
    );
}

#[test]
fn audience_missing_trailing_slash() {
    let v = assert_fault(Fault::AudienceMissingTrailingSlash, &[]).verdict;
    let f = v
        .findings
        .iter()
        .find(|f| f.rule == "assertion/audience-mismatch")
        .unwrap();
    assert_eq!(
        f.found.as_deref(),
        Some("http://127.0.0.1:8080/saml/metadata/acme")
    );
    assert!(f.hints.contains(&"trailing-slash"), "{:?}", f.hints);
}

#[test]
fn wrong_destination() {
    let v = assert_fault(Fault::WrongDestination, &[]).verdict;
    let f = v
        .findings
        .iter()
        .find(|f| f.rule == "response/destination-mismatch")
        .unwrap();
    assert_eq!(
        f.found.as_deref(),
        Some("https://127.0.0.1:8080/saml/acs/acme/")
    );
    assert!(f.hints.contains(&"scheme"), "{:?}", f.hints);
}

#[test]
fn wrong_recipient() {
    assert_fault(Fault::WrongRecipient, &[]);
}

#[test]
fn expired() {
    assert_fault(Fault::Expired, &[]);
}

#[test]
fn not_yet_valid() {
    assert_fault(Fault::NotYetValid, &[]);
}

#[test]
fn clock_skew() {
    let v = assert_fault(Fault::ClockSkew, &[]).verdict;
    assert!(rules(&v, Severity::Warning).is_empty());
}

#[test]
fn unsigned() {
    let issued = assert_fault(Fault::Unsigned, &[]);
    assert!(!issued.xml.contains("Signature"));
}

#[test]
fn signed_by_other_key() {
    assert_fault(Fault::SignedByOtherKey, &[]);
}

#[test]
fn sha1() {
    let v = assert_fault(Fault::Sha1, &[]).verdict;
    assert_eq!(rules(&v, Severity::Warning), ["signature/weak-algorithm"]);
}

#[test]
fn missing_email() {
    let issued = assert_fault(Fault::MissingEmail, &[]);
    assert!(!issued.verdict.attributes.contains_key("email"));
    assert!(issued.verdict.findings.is_empty());
}

#[test]
fn transient_nameid() {
    // The NameID is accepted by verify; the harm shows when the SP's user ID is that value.
    let issued = issue_with(
        Some(Fault::TransientNameId),
        &IdpKey::bundled_test_key().unwrap(),
        false,
        &user("_transient-7f3a"),
    );
    let subject = issued.verdict.subject.as_ref().unwrap();
    assert_eq!(
        subject.format,
        "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
    );
    assert_eq!(subject.name_id, "_transient-7f3a");
    assert!(issued.verdict.accepted);
    assert_eq!(mapping_rules(&issued.xml), ["mapping/unstable-user-id"]);
    // With a stable user ID attribute the mapping is fine; only the NameID is transient.
    let stable = issue(Some(Fault::TransientNameId));
    assert!(stable.verdict.accepted);
    assert!(mapping_rules(&stable.xml).is_empty());
}

#[test]
fn wrong_issuer() {
    assert_fault(Fault::WrongIssuer, &["assertion/issuer-mismatch"]);
}

#[test]
fn in_response_to_mismatch() {
    let v = assert_fault(Fault::InResponseToMismatch, &[]).verdict;
    let f = v
        .findings
        .iter()
        .find(|f| f.rule == "assertion/in-response-to-mismatch")
        .unwrap();
    assert_eq!(f.found.as_deref(), Some("_req-other"));
}

#[test]
fn tampered_after_signing() {
    let issued = assert_fault(Fault::TamperedAfterSigning, &[]);
    assert!(issued.xml.contains(">admin@acme.example</saml:NameID>"));
    assert!(
        issued.verdict.subject.is_none(),
        "nothing unverified is reported as the subject"
    );
}

#[test]
fn status_responder() {
    let issued = assert_fault(Fault::StatusResponder, &[]);
    assert!(!issued.xml.contains("<saml:Assertion"));
}

#[test]
fn no_audience() {
    let v = assert_fault(Fault::NoAudience, &[]).verdict;
    assert_eq!(rules(&v, Severity::Warning), ["assertion/no-audience"]);
}

#[test]
fn every_fault_has_a_test_here() {
    let source = include_str!("idp_faults.rs");
    for f in Fault::ALL {
        let name = f.name().replace('-', "_");
        assert!(source.contains(&format!("fn {name}()")), "no test for {f}");
    }
}

/// The rule each fault must produce, written out here so that a wrong entry in the IdP's own
/// table (which the tests above and tests/e2e_faults.rs read) cannot pass unnoticed.
#[test]
fn each_fault_names_the_rule_it_provokes() {
    let expected = [
        ("wrong-audience", "assertion/audience-mismatch"),
        (
            "audience-missing-trailing-slash",
            "assertion/audience-mismatch",
        ),
        ("wrong-destination", "response/destination-mismatch"),
        ("wrong-recipient", "assertion/recipient-mismatch"),
        ("expired", "assertion/expired"),
        ("not-yet-valid", "assertion/not-yet-valid"),
        ("clock-skew", "assertion/clock-skew-used"),
        ("unsigned", "signature/missing"),
        ("signed-by-other-key", "signature/untrusted-key"),
        ("sha1", "signature/weak-algorithm"),
        ("missing-email", "mapping/attribute-not-found"),
        ("transient-nameid", "mapping/unstable-user-id"),
        ("wrong-issuer", "response/issuer-mismatch"),
        (
            "in-response-to-mismatch",
            "assertion/in-response-to-mismatch",
        ),
        ("tampered-after-signing", "signature/digest-mismatch"),
        ("status-responder", "response/status"),
        ("no-audience", "assertion/no-audience"),
    ];
    assert_eq!(Fault::ALL.len(), expected.len(), "a fault is missing here");
    for (fault, (name, rule)) in Fault::ALL.iter().zip(expected) {
        assert_eq!(fault.name(), name);
        assert_eq!(fault.rule().id, rule, "{name}");
    }
}
