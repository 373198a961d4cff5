//! `samlcheck serve` as a real process on loopback: bind port 0, print the URL, take one test
//! login over HTTP (`--once`), print the report as JSON and exit by verdict.

mod der_support;
mod serve_support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use der_support::{der_certificate, der_private_key};
use serde_json::Value;
use serve_support::*;

/// A `serve --once` process, killed if a test gives up on it.
struct Server {
    child: Option<Child>,
    url: String,
    stderr: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn start(extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_samlcheck"))
        .args([
            "serve",
            "--org",
            "acme",
            "--idp-metadata",
            &fixture_path("metadata/okta.xml"),
            "--listen",
            "127.0.0.1:0",
            "--once",
            "--format",
            "json",
            "--now",
            NOW,
        ])
        .args(extra)
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
    let mut server = Server {
        child: Some(child),
        url: String::new(),
        stderr: rx,
    };
    loop {
        let line = server
            .stderr
            .recv_timeout(Duration::from_secs(30))
            .expect("serve printed no URL");
        if let Some(rest) = line.split("listening on ").nth(1) {
            server.url = rest.trim_end_matches('/').to_string();
            assert!(server.url.starts_with("http://127.0.0.1:"), "{line}");
            assert!(!server.url.ends_with(":0"), "{line}");
            return server;
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .max_redirects(0)
        .max_redirects_will_error(false)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

/// Waits for the process to exit (bounded) and returns its exit code and stdout.
fn finish(mut server: Server) -> (i32, String) {
    let mut child = server.child.take().unwrap();
    for _ in 0..200 {
        if let Some(status) = child.try_wait().unwrap() {
            let mut out = String::new();
            std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
            return (status.code().unwrap_or(-1), out);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("serve --once did not exit after the login");
}

fn post_form(url: &str, body: &str) -> (u16, String) {
    let response = agent()
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(body)
        .unwrap();
    let status = response.status().as_u16();
    (status, response.into_body().read_to_string().unwrap())
}

#[test]
fn once_reports_an_sp_initiated_login_as_json_and_exits_0() {
    let server = start(&[]);
    // Start at the login URL, as a browser would, and answer the request it sent.
    let response = agent()
        .get(&format!("{}/saml/login/acme/", server.url))
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let request = samlcheck::saml::binding::decode_message(
        query_param(&location, "SAMLRequest").unwrap().as_bytes(),
    )
    .unwrap();
    let request = String::from_utf8(request.xml).unwrap();
    let id = request
        .split(" ID=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let base = server.url.clone();
    let xml = signed_okta(|t| {
        t.replace(FIXTURE_REQUEST_ID, &id)
            .replace("https://sentry.io", &base)
    });
    let (status, page) = post_form(&format!("{base}/saml/acs/acme/"), &form(&xml, None));
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("ACCEPTED"));

    let (code, out) = finish(server);
    assert_eq!(code, 0, "{out}");
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["accepted"], true);
    assert_eq!(json["file"], "test login #1");
    assert_eq!(json["subject"]["name_id"], "jane.doe@acme.example");
    assert_eq!(json["attributes"]["firstName"][0], "Jane");
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(
        !rules.contains(&"assertion/in-response-to-mismatch"),
        "{rules:?}"
    );
    assert!(!rules.contains(&"assertion/unsolicited"), "{rules:?}");
}

#[test]
fn once_exits_1_on_a_rejected_login() {
    // The fixture is addressed to https://sentry.io; the server's base URL says so.
    let server = start(&["--base-url", "https://sentry.io"]);
    let (status, page) = post_form(
        &format!("{}/saml/acs/acme/", server.url),
        &fixture("responses/okta.form"),
    );
    assert_eq!(status, 403, "{page}");
    let (code, out) = finish(server);
    assert_eq!(code, 1, "{out}");
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["accepted"], false);
    assert!(json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "assertion/in-response-to-mismatch"));
}

#[test]
fn once_accepts_an_idp_initiated_login_with_a_note() {
    let server = start(&["--base-url", "https://sentry.io"]);
    let (status, _) = post_form(
        &format!("{}/saml/acs/acme/", server.url),
        &form(&fixture("responses/idp-initiated.xml"), None),
    );
    assert_eq!(status, 200);
    let (code, out) = finish(server);
    assert_eq!(code, 0, "{out}");
    let json: Value = serde_json::from_str(&out).unwrap();
    assert!(json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "assertion/unsolicited" && f["severity"] == "info"));
}

#[test]
fn bad_arguments_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_samlcheck"))
        .args([
            "serve",
            "--org",
            "Acme Corp",
            "--idp-metadata",
            &fixture_path("metadata/okta.xml"),
            "--listen",
            "127.0.0.1:0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("slug"), "{stderr}");

    let out = Command::new(env!("CARGO_BIN_EXE_samlcheck"))
        .args([
            "serve",
            "--org",
            "acme",
            "--idp-metadata",
            &fixture_path("metadata/okta.xml"),
            "--max-body",
            "lots",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_url_profile_from_samlcheck_toml_moves_the_routes() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("samlcheck.toml");
    std::fs::write(
        &config,
        "[profiles.custom]\nentity_id = \"{base}/sso/{org}/metadata\"\nacs = \"{base}/sso/{org}/acs\"\n",
    )
    .unwrap();
    let server = start(&["--profile", "custom", "--config", config.to_str().unwrap()]);
    let response = agent()
        .get(format!("{}/sso/acme/metadata", server.url))
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body = response.into_body().read_to_string().unwrap();
    assert!(
        body.contains(&format!("entityID=\"{}/sso/acme/metadata\"", server.url)),
        "{body}"
    );
    assert!(
        body.contains(&format!("Location=\"{}/sso/acme/acs\"", server.url)),
        "{body}"
    );
    // The built-in shape's path is not served under this profile.
    let old = agent()
        .get(format!("{}/saml/metadata/acme/", server.url))
        .call()
        .unwrap();
    assert_eq!(old.status().as_u16(), 404);
}

#[test]
fn a_der_sp_key_and_certificate_are_published_as_their_pem_would_be() {
    let dir = tempfile::tempdir().unwrap();
    let key = der_private_key(
        dir.path(),
        fixture_path("keys/sp-rsa.key").as_ref(),
        "sp.der",
    );
    let (cert, cert_der) = der_certificate(
        dir.path(),
        fixture_path("keys/sp-rsa.crt").as_ref(),
        "sp.cer",
    );
    let server = start(&[
        "--sp-key",
        key.to_str().unwrap(),
        "--sp-cert",
        cert.to_str().unwrap(),
    ]);
    let body = agent()
        .get(format!("{}/saml/metadata/acme/", server.url))
        .call()
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    use base64::Engine;
    let published = base64::engine::general_purpose::STANDARD.encode(&cert_der);
    assert!(body.contains(&published), "{body}");
}
