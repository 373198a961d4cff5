//! Fetching metadata by URL, against a local server only: redirects, size cap, http refusal.

use assert_cmd::Command;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

/// A tiny HTTP/1.1 server on loopback, answering `requests` connections then stopping.
fn serve(requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let okta = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/metadata/okta.xml"
    ))
    .unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            reader.read_line(&mut line).unwrap_or(0);
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) <= 2 {
                    break;
                }
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, extra, body): (&str, String, Vec<u8>) = if path == "/okta.xml" {
                ("200 OK", String::new(), okta.clone())
            } else if let Some(n) = path.strip_prefix("/redirect/") {
                let n: u32 = n.parse().unwrap_or(0);
                let next = if n == 0 {
                    "/okta.xml".to_string()
                } else {
                    format!("/redirect/{}", n - 1)
                };
                ("302 Found", format!("Location: {next}\r\n"), Vec::new())
            } else if path == "/big.xml" {
                ("200 OK", String::new(), vec![b' '; 3 * 1024 * 1024])
            } else {
                ("404 Not Found", String::new(), b"no".to_vec())
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    format!("http://{addr}")
}

fn lint(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("samlcheck")
        .unwrap()
        .arg("lint")
        .args(args)
        .args(["--now", "2026-01-15T10:00:00Z"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn http_is_refused_unless_allowed() {
    let base = serve(1);
    let url = format!("{base}/okta.xml");
    let (code, _, err) = lint(&[&url]);
    assert_eq!(code, 2);
    assert!(err.contains("is not https (pass --allow-http"), "{err}");
    let (code, out, err) = lint(&[&url, "--allow-http"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!("{url}: 1 entity, 0 error(s)")),
        "{out}"
    );
}

#[test]
fn redirects_are_followed_up_to_five() {
    let base = serve(12);
    let (code, out, err) = lint(&[&format!("{base}/redirect/4"), "--allow-http"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1 entity"));
    let (code, _, err) = lint(&[&format!("{base}/redirect/5"), "--allow-http"]);
    assert_eq!(code, 2);
    assert!(err.contains("more than 5 redirects"), "{err}");
}

#[test]
fn size_cap_and_http_errors() {
    let base = serve(2);
    let (code, _, err) = lint(&[
        &format!("{base}/big.xml"),
        "--allow-http",
        "--max-download-mib",
        "1",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("larger than 1048576 bytes"), "{err}");
    let (code, _, err) = lint(&[&format!("{base}/missing.xml"), "--allow-http"]);
    assert_eq!(code, 2);
    assert!(err.contains("HTTP 404"), "{err}");
}

#[test]
fn verify_takes_metadata_by_url() {
    let base = serve(1);
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::cargo_bin("samlcheck")
        .unwrap()
        .args([
            "verify",
            &format!("{root}/fixtures/responses/okta.xml"),
            "--idp-metadata",
            &format!("{base}/okta.xml"),
            "--allow-http",
        ])
        .args(["--org", "acme", "--now", "2026-01-15T10:01:00Z"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
