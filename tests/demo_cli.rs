//! `samlcheck demo` as the README runs it: offline, on the bundled keys, a clean login and a
//! faulty one through the mock pair, exit 0 when both come out as expected.

use std::process::{Command, Output};

use samlcheck::server::idp::Fault;
use serde_json::Value;

const NOW: &str = "2026-01-15T10:00:00Z";

fn demo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_samlcheck"))
        .arg("demo")
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The output with the free ports made the same (and the padding that follows their width).
fn without_ports(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("127.0.0.1:") {
        out.push_str(&rest[..at]);
        out.push_str("127.0.0.1:PORT");
        rest = rest[at + "127.0.0.1:".len()..].trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_default_demo_accepts_a_login_then_explains_a_fault() {
    let out = demo(&["--now", NOW]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("test login #1: ACCEPTED"), "{stdout}");
    assert!(stdout.contains("test login #1: REJECTED"), "{stdout}");
    assert!(
        stdout.contains("error[assertion/audience-mismatch]"),
        "{stdout}"
    );
    assert!(stdout.contains("= hint: trailing-slash"), "{stdout}");
    assert!(stdout.contains("Result: as expected."), "{stdout}");
    assert!(stdout.contains("clock: both fixed at 2026-01-15T10:00:00Z"));
    // With --now the output is the same at every run, but for the ports.
    let again = text(&demo(&["--now", NOW]).stdout);
    assert_eq!(without_ports(&stdout), without_ports(&again));
}

#[test]
fn json_gives_both_runs_with_their_expectations() {
    let out = demo(&["--now", NOW, "--fault", "expired", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["org"], "acme");
    assert_eq!(v["now"], NOW);
    let clean = &v["runs"][0];
    assert!(clean.get("fault").is_none());
    assert_eq!(clean["login"]["accepted"], true);
    assert_eq!(
        clean["login"]["subject"]["name_id"],
        "jane.doe@acme.example"
    );
    assert_eq!(clean["status"], 200);
    assert_eq!(clean["steps"].as_array().unwrap().len(), 3);
    let faulty = &v["runs"][1];
    assert_eq!(faulty["fault"]["name"], "expired");
    assert_eq!(faulty["expected"]["accepted"], false);
    assert_eq!(faulty["expected"]["rule"], "assertion/expired");
    assert_eq!(faulty["as_expected"], true);
    assert_eq!(faulty["login"]["accepted"], false);
    let rules: Vec<&str> = faulty["login"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"assertion/expired"), "{rules:?}");
}

#[test]
fn a_mapping_fault_is_reported_on_the_account() {
    let out = demo(&["--fault", "missing-email"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("error[mapping/attribute-not-found]"),
        "{stdout}"
    );
    assert!(stdout.contains("no value for User Email"), "{stdout}");
}

#[test]
fn faults_are_listed_and_bad_arguments_exit_2() {
    let out = demo(&["--list-faults"]);
    assert_eq!(out.status.code(), Some(0));
    let list = text(&out.stdout);
    for f in Fault::ALL {
        assert!(list.contains(f.name()) && list.contains(f.rule().id), "{f}");
    }
    let bad = demo(&["--fault", "wrong-audiense"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("wrong-audience"));
    let bad = demo(&["--org", "Acme Corp"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("acme-corp"),
        "{}",
        text(&bad.stderr)
    );
    let bad = demo(&["--now", "yesterday"]);
    assert_eq!(bad.status.code(), Some(2));
}
