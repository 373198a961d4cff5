//! End to end over loopback, one test per `--fault`: the mock IdP and the mock SP each on a
//! free port, a login walked by the scripted browser from the SP's login URL through the IdP
//! to the ACS, and the exact rule id and verdict the SP reports (in its record and on the page
//! the browser got) asserted against the fault's.

use samlcheck::checks::Severity;
use samlcheck::saml::time::parse_instant;
use samlcheck::server::idp::Fault;
use samlcheck::server::pair::{login, PairLogin, PairSettings};
use samlcheck::server::Clock;

const NOW: &str = "2026-01-15T10:00:00Z";

async fn run(fault: Option<Fault>) -> PairLogin {
    let mut settings = PairSettings::new("acme");
    settings.clock = Clock::Fixed(parse_instant(NOW).unwrap());
    settings.fault = fault;
    login(&settings).await.unwrap()
}

/// Error-level rules of the response and of the account.
fn errors(done: &PairLogin) -> Vec<&'static str> {
    let login = &done.event.login;
    let account = login.preview.iter().flat_map(|p| &p.findings);
    login
        .verdict
        .findings
        .iter()
        .chain(account)
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.rule)
        .collect()
}

/// The SP reports the fault's rule, with the fault's verdict, on the page too, and no other
/// error-level rule than `also`.
async fn assert_fault(fault: Fault, also: &[&str]) -> PairLogin {
    let done = run(Some(fault)).await;
    let login = &done.event.login;
    let rule = fault.rule().id;
    assert!(
        login.reported(rule),
        "{fault}: no {rule} in {:#?} / {:#?}",
        login.verdict.findings,
        login.preview
    );
    assert_eq!(
        login.verdict.accepted,
        fault.verify_accepts(),
        "{fault}: {:#?}",
        login.verdict.findings
    );
    let status = if fault.verify_accepts() { 200 } else { 403 };
    assert_eq!(done.status, status, "{fault}");
    assert!(
        done.page.contains(rule),
        "{fault}: the page does not name {rule}"
    );
    for r in errors(&done) {
        assert!(r == rule || also.contains(&r), "{fault}: unexpected {r}");
    }
    // Every login took the same road: login URL, IdP (redirect), ACS (posted form).
    let road: Vec<(&str, u16)> = done.steps.iter().map(|s| (s.method, s.status)).collect();
    assert_eq!(
        road,
        [("GET", 302), ("GET", 200), ("POST", status)],
        "{fault}"
    );
    done
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_fault_the_login_is_accepted_cleanly() {
    let done = run(None).await;
    let login = &done.event.login;
    assert!(login.verdict.accepted, "{:#?}", login.verdict.findings);
    assert!(
        login.verdict.findings.is_empty(),
        "{:#?}",
        login.verdict.findings
    );
    let preview = login.preview.as_ref().unwrap();
    assert!(
        preview.complete && preview.findings.is_empty(),
        "{preview:#?}"
    );
    assert_eq!(
        login.verdict.subject.as_ref().unwrap().name_id,
        "jane.doe@acme.example"
    );
    // It answered the request the SP sent, and the RelayState came back.
    assert!(login.request_id.is_some());
    assert_eq!(
        login.relay_state.as_deref(),
        Some(format!("{}/", done.sp_url).as_str())
    );
    assert!(done.page.contains("ACCEPTED"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_audience() {
    let done = assert_fault(Fault::WrongAudience, &[]).await;
    let f = done
        .event
        .verdict
        .findings
        .iter()
        .find(|f| f.rule == "assertion/audience-mismatch");
    assert_eq!(f.unwrap().found.as_deref(), Some(done.sp.acs.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audience_missing_trailing_slash() {
    let done = assert_fault(Fault::AudienceMissingTrailingSlash, &[]).await;
    let f = done
        .event
        .verdict
        .findings
        .iter()
        .find(|f| f.rule == "assertion/audience-mismatch");
    assert!(f.unwrap().hints.contains(&"trailing-slash"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_destination() {
    assert_fault(Fault::WrongDestination, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_recipient() {
    assert_fault(Fault::WrongRecipient, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired() {
    assert_fault(Fault::Expired, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_yet_valid() {
    assert_fault(Fault::NotYetValid, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clock_skew() {
    assert_fault(Fault::ClockSkew, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsigned() {
    assert_fault(Fault::Unsigned, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_by_other_key() {
    assert_fault(Fault::SignedByOtherKey, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sha1() {
    assert_fault(Fault::Sha1, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_email() {
    let done = assert_fault(Fault::MissingEmail, &[]).await;
    let preview = done.event.login.preview.as_ref().unwrap();
    assert!(!preview.complete);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_nameid() {
    let done = assert_fault(Fault::TransientNameId, &[]).await;
    let subject = done.event.verdict.subject.as_ref().unwrap();
    assert_eq!(
        subject.format,
        "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_issuer() {
    assert_fault(Fault::WrongIssuer, &["assertion/issuer-mismatch"]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_response_to_mismatch() {
    let done = assert_fault(Fault::InResponseToMismatch, &[]).await;
    // The SP did not send the request the response names.
    assert!(done.event.login.request_id.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_after_signing() {
    let done = assert_fault(Fault::TamperedAfterSigning, &[]).await;
    assert!(done.event.verdict.subject.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_responder() {
    assert_fault(Fault::StatusResponder, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_audience() {
    assert_fault(Fault::NoAudience, &[]).await;
}

#[test]
fn every_fault_has_a_test_here() {
    let source = include_str!("e2e_faults.rs");
    for f in Fault::ALL {
        let name = f.name().replace('-', "_");
        assert!(source.contains(&format!("fn {name}()")), "no test for {f}");
    }
}
