//! `samlcheck verify` end to end through the binary: inputs, formats, exit codes, rule ids.

use assert_cmd::Command;
use serde_json::Value;

const NOW: &str = "2026-01-15T10:01:00Z";

fn fixtures() -> String {
    format!("{}/fixtures", env!("CARGO_MANIFEST_DIR"))
}

fn verify(args: &[&str]) -> (i32, Value) {
    let mut cmd = Command::cargo_bin("samlcheck").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("verify")
        .args(args)
        .args(["--format", "json"]);
    let out = cmd.output().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap(), json)
}

fn rules(v: &Value, severity: &str) -> Vec<String> {
    let mut r: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == severity)
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    r.sort();
    r.dedup();
    r
}

fn response(name: &str) -> String {
    format!("{}/responses/{name}", fixtures())
}

fn metadata(name: &str) -> String {
    format!("{}/metadata/{name}.xml", fixtures())
}

#[test]
fn every_signed_fixture_is_accepted_with_its_metadata() {
    let cases = [
        ("okta.xml", "okta", "jane.doe@acme.example"),
        (
            "entra.xml",
            "entra",
            "Xq3vT9mP7yL2kW8nC1uB4sDfGjEaRtIo5yZzQcHwN0M",
        ),
        ("google.xml", "google", "jane.doe@acme.example"),
        ("ecdsa.xml", "ecdsa", "jane.doe@acme.example"),
        ("sha512.xml", "okta", "jane.doe@acme.example"),
        ("pretty.xml", "okta", "jane.doe@acme.example"),
        ("compact.xml", "okta", "jane.doe@acme.example"),
        ("odd-prefixes.xml", "okta", "jane.doe@acme.example"),
        ("xmlsec1-assertion.xml", "xmlsec", "jane.doe@acme.example"),
        ("xmlsec1-response.xml", "xmlsec", "jane.doe@acme.example"),
        ("okta.b64", "okta", "jane.doe@acme.example"),
        ("okta.form", "okta", "jane.doe@acme.example"),
        (
            "entra.form",
            "entra",
            "Xq3vT9mP7yL2kW8nC1uB4sDfGjEaRtIo5yZzQcHwN0M",
        ),
    ];
    for (file, md, name_id) in cases {
        let (code, v) = verify(&[
            &response(file),
            "--idp-metadata",
            &metadata(md),
            "--org",
            "acme",
            "--now",
            NOW,
            "--request-id",
            "_req-4f1c2a",
        ]);
        assert_eq!(code, 0, "{file}: {v:#}");
        assert_eq!(v["accepted"], true, "{file}");
        assert_eq!(v["subject"]["name_id"], name_id, "{file}");
        assert!(rules(&v, "error").is_empty(), "{file}: {v:#}");
    }
}

#[test]
fn entra_response_signed_by_the_second_metadata_certificate() {
    let (code, v) = verify(&[
        &response("entra.xml"),
        "--idp-metadata",
        &metadata("entra"),
        "--org",
        "acme",
        "--now",
        NOW,
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        v["signatures"][0]["certificate"]["subject"],
        "CN=samlcheck test IdP 2026"
    );
    assert_eq!(
        v["attributes"]["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"][0],
        "jane.doe@acme.example"
    );
    assert_eq!(
        rules(&v, "info"),
        vec!["assertion/in-response-to-unchecked"]
    );
}

#[test]
fn sha1_warns_and_deny_warnings_rejects() {
    let args = [
        response("sha1.xml"),
        "--idp-metadata".into(),
        metadata("okta"),
        "--org".into(),
        "acme".into(),
        "--now".into(),
        NOW.into(),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, v) = verify(&args);
    assert_eq!(code, 0);
    assert_eq!(rules(&v, "warning"), vec!["signature/weak-algorithm"]);
    let mut deny = args.clone();
    deny.extend(["--deny", "warnings"]);
    let (code, v) = verify(&deny);
    assert_eq!(code, 1);
    assert_eq!(v["accepted"], false);
}

#[test]
fn time_window_and_clock_skew() {
    let base = |now: &str| {
        verify(&[
            &response("okta.xml"),
            "--idp-metadata",
            &metadata("okta"),
            "--org",
            "acme",
            "--now",
            now,
        ])
    };
    let (code, v) = base("2026-01-15T10:20:00Z");
    assert_eq!(code, 1);
    assert_eq!(rules(&v, "error"), vec!["assertion/expired"]);
    let (code, v) = base("2026-01-15T09:50:00Z");
    assert_eq!(code, 1);
    assert_eq!(rules(&v, "error"), vec!["assertion/not-yet-valid"]);
    let (code, v) = base("2026-01-15T10:07:00Z");
    assert_eq!(code, 0);
    assert!(rules(&v, "info").contains(&"assertion/clock-skew-used".to_string()));
    let (code, v) = verify(&[
        &response("okta.xml"),
        "--idp-metadata",
        &metadata("okta"),
        "--org",
        "acme",
        "--now",
        "2026-01-15T10:07:00Z",
        "--clock-skew",
        "60",
    ]);
    assert_eq!(code, 1);
    assert_eq!(rules(&v, "error"), vec!["assertion/expired"]);
}

#[test]
fn wrong_org_is_explained_on_every_url() {
    let (code, v) = verify(&[
        &response("okta.xml"),
        "--idp-metadata",
        &metadata("okta"),
        "--org",
        "acme-corp",
        "--now",
        NOW,
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        rules(&v, "error"),
        vec![
            "assertion/audience-mismatch",
            "assertion/recipient-mismatch",
            "response/destination-mismatch"
        ]
    );
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "response/destination-mismatch")
        .unwrap();
    assert_eq!(f["expected"], "https://sentry.io/saml/acs/acme-corp/");
    assert_eq!(f["found"], "https://sentry.io/saml/acs/acme/");
    // The near-miss engine names the slug difference on each URL, as a hint for machines.
    for f in v["findings"].as_array().unwrap() {
        if f["severity"] != "error" {
            continue;
        }
        assert_eq!(f["hint"], serde_json::json!(["slug-typo"]), "{f:#}");
        let note = f["notes"][0].as_str().unwrap();
        assert!(
            note.ends_with("the URL is for the org acme, not acme-corp"),
            "{f:#}"
        );
    }
}

#[test]
fn trailing_slash_near_miss_is_named() {
    let (code, v) = verify(&[
        &response("okta.xml"),
        "--idp-metadata",
        &metadata("okta"),
        "--sp-entity-id",
        "https://sentry.io/saml/metadata/acme",
        "--sp-acs",
        "https://sentry.io/saml/acs/acme/",
        "--now",
        NOW,
    ]);
    assert_eq!(code, 1);
    assert_eq!(rules(&v, "error"), vec!["assertion/audience-mismatch"]);
    let f = &v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "assertion/audience-mismatch")
        .unwrap();
    assert!(
        f["notes"][0]
            .as_str()
            .unwrap()
            .contains("extra trailing slash"),
        "{f:#}"
    );
}

#[test]
fn in_response_to_checks() {
    let (code, v) = verify(&[
        &response("okta.xml"),
        "--idp-metadata",
        &metadata("okta"),
        "--org",
        "acme",
        "--now",
        NOW,
        "--request-id",
        "_other",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        rules(&v, "error"),
        vec!["assertion/in-response-to-mismatch"]
    );
    let (code, v) = verify(&[
        &response("idp-initiated.xml"),
        "--idp-metadata",
        &metadata("okta"),
        "--org",
        "acme",
        "--now",
        NOW,
        "--request-id",
        "_req-4f1c2a",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        rules(&v, "error"),
        vec!["assertion/in-response-to-mismatch"]
    );
    let (code, _) = verify(&[
        &response("idp-initiated.xml"),
        "--idp-metadata",
        &metadata("okta"),
        "--org",
        "acme",
        "--now",
        NOW,
    ]);
    assert_eq!(code, 0);
}

#[test]
fn wrong_metadata_names_both_certificates() {
    let (code, v) = verify(&[
        &response("okta.xml"),
        "--idp-metadata",
        &metadata("ecdsa"),
        "--org",
        "acme",
        "--now",
        NOW,
    ]);
    assert_eq!(code, 1);
    assert!(rules(&v, "error").contains(&"signature/untrusted-key".to_string()));
    assert!(rules(&v, "error").contains(&"response/issuer-mismatch".to_string()));
    assert!(v["subject"].is_null());
}

#[test]
fn stdin_literal_values_and_jsonl() {
    let b64 = std::fs::read_to_string(response("okta.b64")).unwrap();
    let out = Command::cargo_bin("samlcheck")
        .unwrap()
        .args([
            "verify",
            "-",
            "--idp-metadata",
            &metadata("okta"),
            "--org",
            "acme",
            "--now",
            NOW,
            "--format",
            "json",
        ])
        .write_stdin(b64.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["file"], "<stdin>");

    let literal = b64.replace(['\n', '\r'], "");
    let (code, v) = verify(&[
        &literal,
        "--idp-metadata",
        &metadata("okta"),
        "--org",
        "acme",
        "--now",
        NOW,
    ]);
    assert_eq!(code, 0, "{v:#}");

    let out = Command::cargo_bin("samlcheck")
        .unwrap()
        .args([
            "verify",
            &response("okta.xml"),
            &response("pretty.xml"),
            &response("entra.xml"),
        ])
        .args([
            "--idp-metadata",
            &metadata("okta"),
            "--org",
            "acme",
            "--now",
            NOW,
            "--format",
            "jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        [
            &lines[0]["accepted"],
            &lines[1]["accepted"],
            &lines[2]["accepted"]
        ],
        [&Value::Bool(true), &Value::Bool(true), &Value::Bool(false)]
    );
}

/// Several files are verified on several threads; the output keeps the order of the inputs and
/// says the same as one thread does, for every format that lists files.
#[test]
fn parallel_verification_keeps_the_input_order() {
    // accepted, rejected (wrong metadata), unreadable, accepted... 24 inputs in all.
    let pattern = ["okta.xml", "entra.xml", "missing.xml", "pretty.xml"];
    let inputs: Vec<String> = (0..24).map(|i| response(pattern[i % 4])).collect();
    let run = |jobs: &str, format: &str| {
        let out = Command::cargo_bin("samlcheck")
            .unwrap()
            .arg("verify")
            .args(&inputs)
            .args(["--idp-metadata", &metadata("okta"), "--org", "acme"])
            .args(["--now", NOW, "--jobs", jobs, "--format", format])
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, jsonl) = run("4", "jsonl");
    assert_eq!(code, Some(2), "an unreadable input makes the run exit 2");
    let lines: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 24);
    for (i, line) in lines.iter().enumerate() {
        let expected_file = pattern[i % 4];
        assert!(
            line["file"].as_str().unwrap().ends_with(expected_file),
            "line {i} is {}, expected {expected_file}",
            line["file"]
        );
        assert_eq!(
            line["accepted"],
            i % 4 == 0 || i % 4 == 3,
            "line {i}: {line}"
        );
    }
    assert_eq!(
        rules(&lines[1], "error"),
        [
            "assertion/issuer-mismatch",
            "response/issuer-mismatch",
            "signature/untrusted-key"
        ],
        "{:#}",
        lines[1]
    );
    assert_eq!(
        rules(&lines[2], "error"),
        ["input/decode-failed"],
        "{:#}",
        lines[2]
    );
    for format in ["jsonl", "human", "json", "junit", "sarif"] {
        assert_eq!(run("1", format), run("3", format), "--format {format}");
    }
}

/// A directory stands for its regular files, sorted, in the place where it was named; what is
/// not a regular file in it (a subdirectory) is passed over, a symbolic link to a file is read.
#[test]
fn a_directory_is_checked_file_by_file_where_it_stands() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(response("entra.xml"), dir.path().join("b-entra.xml")).unwrap();
    std::fs::copy(response("okta.xml"), dir.path().join("a-okta.xml")).unwrap();
    std::fs::create_dir(dir.path().join("c-subdir")).unwrap();
    std::fs::write(dir.path().join("c-subdir/okta.xml"), b"<never-read/>").unwrap();
    std::os::unix::fs::symlink(response("pretty.xml"), dir.path().join("d-link.xml")).unwrap();
    let dir_arg = dir.path().to_str().unwrap().to_string();
    let inputs = [
        response("pretty.xml"),
        dir_arg.clone(),
        response("missing.xml"),
        dir_arg.clone(),
    ];
    let run = |jobs: &str| {
        let out = Command::cargo_bin("samlcheck")
            .unwrap()
            .arg("verify")
            .args(&inputs)
            .args(["--idp-metadata", &metadata("okta"), "--org", "acme"])
            .args(["--now", NOW, "--jobs", jobs, "--format", "jsonl"])
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, jsonl) = run("1");
    assert_eq!(code, Some(2), "missing.xml is unreadable");
    let seen: Vec<(String, bool, Vec<String>)> = jsonl
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["file"].as_str().unwrap().to_string(),
                v["accepted"].as_bool().unwrap(),
                rules(&v, "error"),
            )
        })
        .collect();
    let in_dir = |name: &str| format!("{dir_arg}/{name}");
    let expected_files = [
        response("pretty.xml"),
        in_dir("a-okta.xml"),
        in_dir("b-entra.xml"),
        in_dir("d-link.xml"),
        response("missing.xml"),
        in_dir("a-okta.xml"),
        in_dir("b-entra.xml"),
        in_dir("d-link.xml"),
    ];
    assert_eq!(
        seen.iter().map(|s| s.0.clone()).collect::<Vec<_>>(),
        expected_files
    );
    assert_eq!(
        seen.iter().map(|s| s.1).collect::<Vec<_>>(),
        [true, true, false, true, false, true, false, true]
    );
    assert_eq!(seen[4].2, ["input/decode-failed"]);
    assert!(seen[2].2.contains(&"signature/untrusted-key".to_string()));
    assert_eq!(run("3"), (code, jsonl), "three threads say the same");
}

/// `verify <(command)`: the shell hands over a pipe, which is read to its end.
#[test]
fn a_pipe_from_process_substitution_is_read() {
    let bin = assert_cmd::cargo::cargo_bin("samlcheck");
    let script = format!(
        "exec {bin:?} verify <(cat {okta:?}) --idp-metadata {md:?} --org acme --now {NOW} --format jsonl",
        okta = response("okta.xml"),
        md = metadata("okta"),
    );
    let out = Command::new("bash").args(["-c", &script]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    let v: Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(v["accepted"], true);
    assert!(v["file"].as_str().unwrap().starts_with("/dev/fd/"), "{v}");
}

#[test]
fn unreadable_input_exits_2_with_the_layer_that_broke() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("cut.b64");
    let b64 = std::fs::read_to_string(response("okta.b64")).unwrap();
    std::fs::write(&garbage, format!("{}*", &b64[..200])).unwrap();
    let (code, v) = verify(&[
        garbage.to_str().unwrap(),
        "--idp-metadata",
        &metadata("okta"),
        "--org",
        "acme",
        "--now",
        NOW,
    ]);
    assert_eq!(code, 2);
    assert_eq!(rules(&v, "error"), vec!["input/decode-failed"]);
    assert!(
        v["findings"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("base64 failed at character"),
        "{v:#}"
    );

    let broken = dir.path().join("broken.xml");
    std::fs::write(
        &broken,
        "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n  <unclosed>\n",
    )
    .unwrap();
    let (code, v) = verify(&[
        broken.to_str().unwrap(),
        "--idp-metadata",
        &metadata("okta"),
        "--org",
        "acme",
    ]);
    assert_eq!(code, 2);
    assert_eq!(rules(&v, "error"), vec!["xml/malformed"]);

    let out = Command::cargo_bin("samlcheck")
        .unwrap()
        .args([
            "verify",
            "does-not-exist.xml",
            "--idp-metadata",
            &metadata("okta"),
            "--org",
            "acme",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("error[input/decode-failed]: cannot read does-not-exist.xml"),
        "{text}"
    );

    // One unreadable input does not hide the verdicts of the others.
    let (code, v) = verify(&[
        &response("okta.xml"),
        "does-not-exist.xml",
        "--idp-metadata",
        &metadata("okta"),
        "--org",
        "acme",
        "--now",
        NOW,
    ]);
    assert_eq!(code, 2);
    assert_eq!(v[0]["accepted"], true);
    assert_eq!(v[1]["findings"][0]["rule"], "input/decode-failed");

    let out = Command::cargo_bin("samlcheck")
        .unwrap()
        .args([
            "verify",
            &response("okta.xml"),
            "--idp-metadata",
            &response("okta.xml"),
            "--org",
            "acme",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not SAML metadata"));
}

#[test]
fn human_output_has_verdict_snippet_and_fix() {
    let out = Command::cargo_bin("samlcheck")
        .unwrap()
        .args([
            "verify",
            &response("pretty.xml"),
            "--idp-metadata",
            &metadata("okta"),
            "--org",
            "acme-corp",
            "--now",
            NOW,
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .next()
            .unwrap()
            .ends_with("REJECTED (3 error(s), 0 warning(s))"),
        "{text}"
    );
    assert!(text.contains("error[response/destination-mismatch]"));
    assert!(text.contains("   = expected: https://sentry.io/saml/acs/acme-corp/"));
    assert!(text.contains("   = fix: Set the IdP application's ACS"));
    let caret_line = text
        .lines()
        .position(|l| l.contains("Destination=\"https://sentry.io"))
        .unwrap();
    let snippet = text.lines().nth(caret_line).unwrap();
    let caret = text.lines().nth(caret_line + 1).unwrap();
    let col = caret.find('^').unwrap();
    assert_eq!(&snippet[col..col + "Destination".len()], "Destination");
}
