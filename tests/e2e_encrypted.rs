//! Encrypted assertions through the mock pair over loopback: the SP publishes its certificate
//! in its metadata, the IdP reads it there and encrypts for it, the SP decrypts and verifies;
//! an assertion encrypted for another key is `assertion/decryption-failed`. And the same
//! through the binaries: `samlcheck serve` publishes a key made at start, `samlcheck idp
//! --sp-metadata URL` takes it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use samlcheck::saml::time::parse_instant;
use samlcheck::server::idp::Fault;
use samlcheck::server::pair::{login, PairLogin, PairSettings};
use samlcheck::server::sp::{SpKeySource, SpKeys};
use samlcheck::server::Clock;
use samlcheck::xml::enc::EncryptionCert;

const NOW: &str = "2026-01-15T10:00:00Z";

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn sp_keys() -> SpKeys {
    SpKeys::from_pem(
        &fixture("keys/sp-rsa.key"),
        Some(&fixture("keys/sp-rsa.crt")),
        SpKeySource::Files {
            key: "sp-rsa.key".into(),
            cert: "sp-rsa.crt".into(),
        },
    )
    .unwrap()
}

async fn run(keys: SpKeys, encrypt_for: Option<EncryptionCert>, fault: Option<Fault>) -> PairLogin {
    let mut settings = PairSettings::new("acme");
    settings.clock = Clock::Fixed(parse_instant(NOW).unwrap());
    settings.sp_keys = Some(keys);
    settings.encrypt_for = encrypt_for;
    settings.fault = fault;
    login(&settings).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_assertion_encrypted_for_the_sp_metadata_certificate_is_accepted() {
    let done = run(sp_keys(), None, None).await;
    let v = &done.event.verdict;
    assert!(v.accepted, "{:#?}", v.findings);
    assert!(v.findings.is_empty(), "{:#?}", v.findings);
    let e = v.encryption.as_ref().expect("the assertion was encrypted");
    assert_eq!(e.content, "aes256-gcm");
    assert_eq!(v.subject.as_ref().unwrap().name_id, "jane.doe@acme.example");
    assert!(done.page.contains("ACCEPTED"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_made_at_start_works_the_same() {
    let done = run(SpKeys::generate().unwrap(), None, None).await;
    let v = &done.event.verdict;
    assert!(v.accepted && v.encryption.is_some(), "{:#?}", v.findings);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_assertion_encrypted_for_another_key_is_decryption_failed() {
    let other = EncryptionCert::from_pem(&fixture("keys/idp-rsa.crt")).unwrap();
    let done = run(sp_keys(), Some(other), None).await;
    let v = &done.event.verdict;
    assert!(!v.accepted);
    assert!(v.has("assertion/decryption-failed"), "{:#?}", v.findings);
    assert!(v.subject.is_none());
    assert_eq!(done.status, 403);
    assert!(done.page.contains("assertion/decryption-failed"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_show_through_encryption() {
    for (fault, rule) in [
        (Fault::Expired, "assertion/expired"),
        (Fault::TamperedAfterSigning, "signature/digest-mismatch"),
    ] {
        let done = run(sp_keys(), None, Some(fault)).await;
        let v = &done.event.verdict;
        assert!(v.encryption.is_some(), "{fault}");
        assert!(!v.accepted, "{fault}: {:#?}", v.findings);
        assert!(v.has(rule), "{fault}: {:#?}", v.findings);
    }
}

/// A child process killed when the test ends, with its stderr lines on a channel.
struct Proc {
    child: Child,
    stderr: mpsc::Receiver<String>,
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(args: &[&str]) -> Proc {
    let mut child = Command::new(env!("CARGO_BIN_EXE_samlcheck"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Proc { child, stderr: rx }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

#[test]
fn serve_publishes_a_key_made_at_start_and_idp_encrypts_for_it() {
    let metadata = format!("{}/fixtures/metadata/okta.xml", env!("CARGO_MANIFEST_DIR"));
    let serve = spawn(&[
        "serve",
        "--org",
        "acme",
        "--idp-metadata",
        &metadata,
        "--listen",
        "127.0.0.1:0",
    ]);
    let mut banner = Vec::new();
    let url = loop {
        let line = serve
            .stderr
            .recv_timeout(Duration::from_secs(30))
            .expect("serve printed no URL");
        banner.push(line.clone());
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest.trim_end_matches('/').to_string();
        }
    };
    let sp_metadata = format!("{url}/saml/metadata/acme/");
    let mut r = agent().get(&sp_metadata).call().unwrap();
    let xml = r.body_mut().read_to_string().unwrap();
    assert!(
        xml.contains("<md:KeyDescriptor use=\"encryption\">"),
        "{xml}"
    );
    // Without --sp-key nothing signs AuthnRequests, so no signing key is published.
    assert!(!xml.contains("use=\"signing\""), "{xml}");

    let mut idp = Command::new(env!("CARGO_BIN_EXE_samlcheck"))
        .args([
            "idp",
            "--sp-metadata",
            &sp_metadata,
            "--listen",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(idp.stdout.take().unwrap());
    let mut printed = String::new();
    for _ in 0..20 {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        printed.push_str(&line);
        if line.contains("encryption:") {
            break;
        }
    }
    let _ = idp.kill();
    let _ = idp.wait();
    assert!(
        printed.contains("assertions encrypted for CN=samlcheck mock SP"),
        "{printed}"
    );
}

#[test]
fn sp_metadata_without_a_certificate_is_unchanged() {
    let out = Command::new(env!("CARGO_BIN_EXE_samlcheck"))
        .args(["sp-metadata", "--org", "acme"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(!xml.contains("KeyDescriptor"), "{xml}");
}

#[test]
fn an_sp_that_signs_requests_publishes_its_certificate_for_signing_too() {
    use samlcheck::server::idp::{idp_metadata, IdpKey};
    use samlcheck::server::sp::{SpApp, SpSettings};
    use samlcheck::sp::SpProfile;

    let idp = idp_metadata(
        "http://127.0.0.1:8081/metadata",
        "http://127.0.0.1:8081/sso",
        &IdpKey::bundled_test_key().unwrap(),
        &[],
    );
    for (wants, signing) in [("false", false), ("true", true)] {
        let md = idp.replace(
            "WantAuthnRequestsSigned=\"false\"",
            &format!("WantAuthnRequestsSigned=\"{wants}\""),
        );
        let sp = SpProfile::for_org("http://127.0.0.1:8080", "acme");
        let mut settings = SpSettings::new(sp, md.as_bytes(), None).unwrap();
        let keys = sp_keys();
        settings.signer = Some(keys.request_signer().unwrap());
        settings.keys = Some(keys);
        let xml = SpApp::new(settings).unwrap().metadata_xml().to_string();
        assert!(xml.contains("use=\"encryption\""), "{xml}");
        assert_eq!(xml.contains("use=\"signing\""), signing, "{xml}");
    }
}
