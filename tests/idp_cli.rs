//! `samlcheck idp` as a process: it binds a free loopback port, prints the URL, and serves
//! metadata and signed responses over real HTTP.

mod der_support;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use assert_cmd::Command as Cmd;
use base64::Engine;
use der_support::{der_certificate, der_private_key};
use samlcheck::checks::response::{verify_response, VerifyOptions};
use samlcheck::saml::metadata::IdpMetadata;
use samlcheck::saml::time::parse_instant;
use samlcheck::server::idp::Fault;
use samlcheck::sp::SpProfile;

const NOW: &str = "2026-01-15T10:00:00Z";

/// The IdP process, stopped when the test ends (even on panic).
struct Running {
    child: Child,
    url: String,
    banner: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_samlcheck"))
        .arg("idp")
        .args(["--listen", "127.0.0.1:0", "--now", NOW])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            let mut err = String::new();
            let _ = child.stderr.take().unwrap().read_to_string(&mut err);
            panic!("samlcheck idp exited early: {banner}{err}");
        }
        banner.push_str(&line);
        if line.starts_with("Press Ctrl-C") {
            break;
        }
    }
    let first = banner.lines().next().unwrap();
    let url = first
        .strip_prefix("samlcheck mock IdP listening on ")
        .unwrap_or_else(|| panic!("first line: {first}"))
        .trim()
        .to_string();
    Running { child, url, banner }
}

fn get(url: &str) -> String {
    ureq::get(url)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap()
}

#[test]
fn serves_metadata_and_signed_responses_over_loopback() {
    let idp = start(&["--org", "acme", "--user", "jane.doe@acme.example"]);
    assert!(idp.url.starts_with("http://127.0.0.1:"), "{}", idp.url);
    assert!(!idp.url.ends_with(":0"), "{}", idp.url);
    assert!(idp.banner.contains("TEST key"), "{}", idp.banner);

    let metadata = get(&format!("{}/metadata", idp.url));
    let md = IdpMetadata::parse(metadata.as_bytes(), None).unwrap();
    assert_eq!(md.entity_id, format!("{}/metadata", idp.url));

    let page = get(&format!("{}/sso/idp-initiated", idp.url));
    let marker = "name=\"SAMLResponse\" value=\"";
    let start = page.find(marker).unwrap() + marker.len();
    let value = &page[start..start + page[start..].find('"').unwrap()];
    assert!(base64::engine::general_purpose::STANDARD
        .decode(value)
        .is_ok());
    let sp = SpProfile::for_org("http://127.0.0.1:8080", "acme");
    let verdict = verify_response(
        value.as_bytes(),
        &md,
        &sp,
        &VerifyOptions::at(parse_instant(NOW).unwrap()),
    );
    assert!(verdict.accepted, "{:#?}", verdict.findings);
}

#[test]
fn the_banner_names_the_fault_and_its_rule() {
    let idp = start(&["--org", "acme", "--fault", "expired"]);
    assert!(
        idp.banner.contains("fault:") && idp.banner.contains("assertion/expired"),
        "{}",
        idp.banner
    );
    assert!(idp.banner.contains("login page"), "{}", idp.banner);
}

#[test]
fn list_faults_and_bad_arguments() {
    let out = Cmd::new(env!("CARGO_BIN_EXE_samlcheck"))
        .args(["idp", "--list-faults"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    for f in Fault::ALL {
        assert!(
            table.contains(f.name()) && table.contains(f.rule().id),
            "{f}"
        );
    }

    for (args, says) in [
        (
            vec!["idp", "--org", "acme", "--fault", "nope"],
            "not a fault",
        ),
        (vec!["idp", "--listen", "127.0.0.1:0"], "which SP?"),
        (
            vec!["idp", "--org", "acme", "--listen", "not-an-address"],
            "cannot listen",
        ),
        (
            vec![
                "idp",
                "--org",
                "acme",
                "--key",
                "fixtures/keys/idp-rsa.key",
                "--cert",
                "fixtures/keys/attacker.crt",
            ],
            "does not belong",
        ),
    ] {
        let out = Cmd::new(env!("CARGO_BIN_EXE_samlcheck"))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn a_der_key_and_certificate_sign_as_their_pem_does() {
    let keys = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/keys");
    let dir = tempfile::tempdir().unwrap();
    let key = der_private_key(dir.path(), &keys.join("idp-rsa.key"), "idp.der");
    let (cert, cert_der) = der_certificate(dir.path(), &keys.join("idp-rsa.crt"), "idp.cer");
    let idp = start(&[
        "--org",
        "acme",
        "--key",
        key.to_str().unwrap(),
        "--cert",
        cert.to_str().unwrap(),
    ]);
    assert!(!idp.banner.contains("TEST key"), "{}", idp.banner);
    let metadata = get(&format!("{}/metadata", idp.url));
    let md = IdpMetadata::parse(metadata.as_bytes(), None).unwrap();
    let published: Vec<&[u8]> = md.signing_keys.iter().map(|k| k.der()).collect();
    assert_eq!(published, vec![cert_der.as_slice()]);
}

#[test]
fn the_sp_comes_from_its_metadata_file() {
    let out = Cmd::new(env!("CARGO_BIN_EXE_samlcheck"))
        .args([
            "sp-metadata",
            "--org",
            "acme",
            "--base-url",
            "http://127.0.0.1:9999",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sp.xml");
    std::fs::write(&path, &out.stdout).unwrap();
    let idp = start(&["--sp-metadata", path.to_str().unwrap()]);
    assert!(
        idp.banner.contains(
            "http://127.0.0.1:9999/saml/metadata/acme/ (ACS http://127.0.0.1:9999/saml/acs/acme/)"
        ),
        "{}",
        idp.banner
    );
}
