//! The CI formats (SARIF, JUnit, GitHub annotations), the catalog commands (`rules`, `explain`)
//! and `samlcheck.toml`, through the binary.
//!
//! `tests/data/sarif-schema-2.1.0.json` is the OASIS SARIF 2.1.0 JSON schema
//! (`$id` https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json),
//! copied unchanged from the `serde-sarif` 0.8.0 crate on crates.io, which vendors it as
//! `src/schema.json`. It is validated with Python's `jsonschema` (present on the project's
//! machines and CI); without it the schema test says so and is skipped, except under CI.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const NOW: &str = "2026-01-15T10:01:00Z";
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const RESPONSE: &str = "fixtures/responses/okta.xml";
const METADATA: &str = "fixtures/metadata/okta.xml";
const ERRORS: [&str; 3] = [
    "assertion/audience-mismatch",
    "assertion/recipient-mismatch",
    "response/destination-mismatch",
];

fn samlcheck() -> Command {
    Command::cargo_bin("samlcheck").unwrap()
}

/// `verify` on the Okta fixture for org `acme-corp`: three error findings (the fixture was
/// issued for `acme`) and one note.
fn verify_okta(format: &str, extra: &[&str]) -> (i32, String) {
    let out = samlcheck()
        .current_dir(ROOT)
        .args(["verify", RESPONSE, "--idp-metadata", METADATA])
        .args(["--org", "acme-corp", "--now", NOW, "--format", format])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn catalog_ids() -> BTreeSet<String> {
    samlcheck::checks::catalog::all()
        .map(|r| r.id.to_string())
        .collect()
}

#[test]
fn sarif_has_what_sarif_2_1_0_requires() {
    let (code, text) = verify_okta("sarif", &[]);
    assert_eq!(code, 1);
    let log: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "samlcheck");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));

    let rules = driver["rules"].as_array().unwrap();
    let ids: BTreeSet<String> = rules
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, catalog_ids());
    let wrapping = rules
        .iter()
        .find(|r| r["id"] == "signature/wrapping")
        .unwrap();
    let rule = samlcheck::checks::catalog::rule("signature/wrapping").unwrap();
    assert_eq!(wrapping["shortDescription"]["text"], rule.summary);
    assert_eq!(wrapping["fullDescription"]["text"], rule.explanation);
    assert_eq!(wrapping["help"]["text"], rule.fix);
    assert_eq!(wrapping["defaultConfiguration"]["level"], "error");

    let results = runs[0]["results"].as_array().unwrap();
    let mut errors = Vec::new();
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id, "ruleIndex points at the rule");
        let level = r["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level), "{level}");
        if level == "error" {
            errors.push(id.to_string());
        }
        let text = r["message"]["text"].as_str().unwrap();
        assert!(text.contains("\nfix: "), "{text}");
        let loc = &r["locations"][0];
        let physical = &loc["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], RESPONSE);
        assert!(physical["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(physical["region"]["startColumn"].as_u64().unwrap() >= 1);
        assert!(loc["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .unwrap()
            .starts_with("/saml2p:Response"));
    }
    errors.sort();
    assert_eq!(errors, ERRORS);
    let destination = results
        .iter()
        .find(|r| r["ruleId"] == "response/destination-mismatch")
        .unwrap();
    assert!(destination["message"]["text"]
        .as_str()
        .unwrap()
        .contains("\nexpected: https://sentry.io/saml/acs/acme-corp/\nfound: https://sentry.io/saml/acs/acme/\n"));
    assert_eq!(
        destination["locations"][0]["physicalLocation"]["region"]["startColumn"],
        108
    );
}

/// Validates `document` against the official schema with Python's jsonschema; `None` when
/// Python or jsonschema is missing.
fn schema_errors(document: &str) -> Option<Vec<String>> {
    const SCRIPT: &str = r#"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
validator = jsonschema.Draft7Validator(schema)
for e in validator.iter_errors(json.load(sys.stdin)):
    print("/".join(map(str, e.absolute_path)) + ": " + e.message)
"#;
    let probe = std::process::Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output();
    if !probe.map(|o| o.status.success()).unwrap_or(false) {
        return None;
    }
    let schema = format!("{ROOT}/tests/data/sarif-schema-2.1.0.json");
    let out = Command::new("python3")
        .args(["-c", SCRIPT, &schema])
        .write_stdin(document.to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect(),
    )
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let (_, text) = verify_okta("sarif", &[]);
    let Some(errors) = schema_errors(&text) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must validate SARIF: install python3 with jsonschema (pip install jsonschema)"
        );
        eprintln!(
            "SKIPPED: python3 with jsonschema is missing; SARIF not validated against the schema"
        );
        return;
    };
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator does catch mistakes.
    let broken = text.replacen("\"level\": \"error\"", "\"level\": \"fatal\"", 1);
    assert!(!schema_errors(&broken).unwrap().is_empty());
}

#[derive(Debug, Default)]
struct Suite {
    attrs: BTreeMap<String, String>,
    cases: usize,
    failures: Vec<BTreeMap<String, String>>,
    system_outs: usize,
}

fn attributes(e: &quick_xml::events::BytesStart) -> BTreeMap<String, String> {
    e.attributes()
        .map(|a| {
            let a = a.unwrap();
            (
                a.key.as_ref().to_string(),
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .unwrap()
                    .into_owned(),
            )
        })
        .collect()
}

fn parse_junit(xml: &str) -> (BTreeMap<String, String>, Vec<Suite>) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut root = BTreeMap::new();
    let mut suites: Vec<Suite> = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                match name.as_str() {
                    "testsuites" => root = attributes(&e),
                    "testsuite" => suites.push(Suite {
                        attrs: attributes(&e),
                        ..Suite::default()
                    }),
                    "testcase" => suites.last_mut().unwrap().cases += 1,
                    "failure" => suites.last_mut().unwrap().failures.push(attributes(&e)),
                    "system-out" => suites.last_mut().unwrap().system_outs += 1,
                    other => panic!("unexpected element {other}"),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (root, suites)
}

#[test]
fn junit_parses_back_with_a_failure_per_error() {
    let (code, xml) = verify_okta("junit", &[]);
    assert_eq!(code, 1);
    let (root, suites) = parse_junit(&xml);
    assert_eq!(root["tests"], "4");
    assert_eq!(root["failures"], "3");
    assert_eq!(suites.len(), 1);
    let suite = &suites[0];
    assert_eq!(suite.attrs["name"], RESPONSE);
    assert_eq!(suite.attrs["tests"], "4");
    assert_eq!(suite.attrs["failures"], "3");
    assert_eq!(suite.attrs["errors"], "0");
    assert_eq!(suite.cases, 4);
    let mut types: Vec<&str> = suite.failures.iter().map(|f| f["type"].as_str()).collect();
    types.sort();
    assert_eq!(types, ERRORS);
    assert!(suite
        .failures
        .iter()
        .any(|f| f["message"] == "the Response is addressed to another URL than this SP's ACS"));
    // The note passes, with its text in system-out.
    assert_eq!(suite.system_outs, 1);
}

#[test]
fn junit_warnings_fail_only_under_deny_warnings() {
    let run = |deny: bool| {
        let mut cmd = samlcheck();
        cmd.current_dir(ROOT)
            .args(["verify", "fixtures/responses/sha1.xml", RESPONSE])
            .args(["--idp-metadata", METADATA, "--org", "acme", "--now", NOW])
            .args(["--format", "junit"]);
        if deny {
            cmd.args(["--deny", "warnings"]);
        }
        let out = cmd.output().unwrap();
        (
            out.status.code().unwrap(),
            parse_junit(&String::from_utf8(out.stdout).unwrap()).1,
        )
    };
    let (code, suites) = run(false);
    assert_eq!(code, 0);
    assert_eq!(suites.len(), 2);
    assert!(suites.iter().all(|s| s.failures.is_empty()));
    let (code, suites) = run(true);
    assert_eq!(code, 1);
    assert_eq!(suites[0].failures.len(), 1);
    assert_eq!(suites[0].failures[0]["type"], "signature/weak-algorithm");
    assert!(suites[1].failures.is_empty());
}

#[test]
fn github_annotations() {
    let (code, text) = verify_okta("github", &[]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(
        lines[0],
        "::error file=fixtures/responses/okta.xml,line=1,col=108,title=response/destination-mismatch::\
         the Response is addressed to another URL than this SP's ACS\
         %0Aexpected: https://sentry.io/saml/acs/acme-corp/\
         %0Afound: https://sentry.io/saml/acs/acme/\
         %0Afix: Set the IdP application's ACS / Reply / Single sign-on URL to the expected value exactly."
    );
    assert!(lines[1].starts_with(
        "::notice file=fixtures/responses/okta.xml,line=1,col=189,title=assertion/in-response-to-unchecked::"
    ));
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("::error ")).count(),
        3
    );
}

#[test]
fn rules_lists_every_catalog_rule() {
    let out = samlcheck().arg("rules").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let listed: BTreeSet<String> = text
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(listed, catalog_ids());
    assert!(text.contains("signature/wrapping"));

    let out = samlcheck()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = json.as_array().unwrap();
    assert_eq!(rules.len(), catalog_ids().len());
    for (r, rule) in rules.iter().zip(samlcheck::checks::catalog::all()) {
        assert_eq!(r["id"], rule.id);
        assert_eq!(r["severity"], rule.severity.to_string());
        assert_eq!(r["summary"], rule.summary);
        assert_eq!(r["explanation"], rule.explanation);
        assert_eq!(r["fix"], rule.fix);
    }
}

#[test]
fn explain_prints_the_rule() {
    let rule = samlcheck::checks::catalog::rule("signature/wrapping").unwrap();
    let out = samlcheck()
        .args(["explain", "signature/wrapping"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("signature/wrapping (error)\n"));
    assert!(text.contains(rule.summary));
    assert!(text.contains(rule.explanation));
    assert!(text.contains(&format!("Fix: {}", rule.fix)));
}

#[test]
fn explain_an_unknown_rule_suggests_the_closest() {
    let out = samlcheck()
        .args(["explain", "signature/wraping"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("did you mean signature/wrapping?"), "{err}");
}

/// `verify` run in `dir` (absolute fixture paths), with JSON output.
fn verify_in(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let out = samlcheck()
        .current_dir(dir)
        .arg("verify")
        .arg(format!("{ROOT}/{RESPONSE}"))
        .args(["--now", NOW, "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn rule_ids(v: &Value) -> Vec<String> {
    let mut ids: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn config_switches_a_rule_off() {
    let dir = tempfile::tempdir().unwrap();
    let metadata = format!("{ROOT}/{METADATA}");
    let base = ["--idp-metadata", &metadata, "--org", "acme-corp"];
    let (code, v, _) = verify_in(dir.path(), &base);
    assert_eq!(code, 1);
    assert_eq!(rule_ids(&v), ERRORS);

    std::fs::write(
        dir.path().join("samlcheck.toml"),
        "[rules]\n\"response/destination-mismatch\" = \"off\"\n",
    )
    .unwrap();
    let (code, v, _) = verify_in(dir.path(), &base);
    assert_eq!(code, 1);
    assert_eq!(
        rule_ids(&v),
        [
            "assertion/audience-mismatch",
            "assertion/recipient-mismatch"
        ]
    );
}

#[test]
fn config_supplies_org_and_metadata_and_severities_decide_the_verdict() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("samlcheck.toml"),
        format!(
            "org = \"acme-corp\"\nidp_metadata = \"{ROOT}/{METADATA}\"\n\n[rules]\n{}",
            ERRORS
                .iter()
                .map(|id| format!("\"{id}\" = \"warning\"\n"))
                .collect::<String>()
        ),
    )
    .unwrap();
    let (code, v, err) = verify_in(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["accepted"], true);
    let warnings: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "warning")
        .collect();
    assert_eq!(warnings.len(), 3);
    // The configuration's note follows any near-miss note (the slug acme vs acme-corp).
    assert!(warnings[0]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().contains("samlcheck.toml")));
    let (code, v, _) = verify_in(dir.path(), &["--deny", "warnings"]);
    assert_eq!(code, 1);
    assert_eq!(v["accepted"], false);

    // Flags win over the file.
    std::fs::write(
        dir.path().join("samlcheck.toml"),
        format!("org = \"acme-corp\"\nidp_metadata = \"{ROOT}/{METADATA}\"\n"),
    )
    .unwrap();
    let (code, v, _) = verify_in(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(rule_ids(&v), ERRORS);
    let (code, v, _) = verify_in(dir.path(), &["--org", "acme"]);
    assert_eq!(code, 0, "{v:#}");
}

#[test]
fn switching_signature_rules_off_never_accepts_an_unsigned_response() {
    let dir = tempfile::tempdir().unwrap();
    let signed = std::fs::read_to_string(format!("{ROOT}/{RESPONSE}")).unwrap();
    let mut unsigned = signed.clone();
    while let Some(start) = unsigned.find("<ds:Signature ") {
        let end = unsigned[start..].find("</ds:Signature>").unwrap() + start;
        unsigned.replace_range(start..end + "</ds:Signature>".len(), "");
    }
    assert!(unsigned.len() < signed.len());
    let response = dir.path().join("unsigned.xml");
    std::fs::write(&response, unsigned).unwrap();
    let config = dir.path().join("lenient.toml");
    std::fs::write(
        &config,
        "[rules]\n\"signature/missing\" = \"off\"\n\"signature/invalid\" = \"off\"\n",
    )
    .unwrap();
    let out = samlcheck()
        .current_dir(ROOT)
        .arg("verify")
        .arg(&response)
        .args(["--idp-metadata", METADATA, "--org", "acme", "--now", NOW])
        .arg("--config")
        .arg(&config)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{v:#}");
    assert_eq!(v["accepted"], false);
    assert!(!v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "signature/missing"));
}

#[test]
fn unknown_rule_id_in_the_config_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("samlcheck.toml"),
        "org = \"acme\"\n\n[rules]\n\"response/destination-mismatsh\" = \"off\"\n",
    )
    .unwrap();
    let metadata = format!("{ROOT}/{METADATA}");
    let (code, v, err) = verify_in(dir.path(), &["--idp-metadata", &metadata]);
    assert_eq!(code, 2);
    assert_eq!(v, Value::Null);
    assert!(
        err.contains(
            "samlcheck.toml:4:1: [rules] \"response/destination-mismatsh\" is not a samlcheck rule id (did you mean \"response/destination-mismatch\"?)"
        ),
        "{err}"
    );

    // The same through --config, and a bad severity names the file too.
    let config = dir.path().join("other.toml");
    std::fs::write(&config, "[rules]\n\"signature/missing\" = \"fatal\"\n").unwrap();
    let config = config.to_str().unwrap();
    let (code, _, err) = verify_in(
        Path::new(ROOT),
        &[
            "--idp-metadata",
            &metadata,
            "--org",
            "acme",
            "--config",
            config,
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains(config) && err.contains("fatal"), "{err}");
}

#[test]
fn missing_org_or_metadata_names_the_flag_and_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let metadata = format!("{ROOT}/{METADATA}");
    let (code, _, err) = verify_in(dir.path(), &["--idp-metadata", &metadata]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--org SLUG") && err.contains("samlcheck.toml"),
        "{err}"
    );
    let (code, _, err) = verify_in(dir.path(), &["--org", "acme"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--idp-metadata PATH") && err.contains("samlcheck.toml"),
        "{err}"
    );
}

/// `lint --report FORMAT=PATH` writes other formats from the same run, byte for byte what
/// `--format FORMAT` prints; stdout keeps `--format`.
#[test]
fn lint_writes_extra_reports_from_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let junit = dir.path().join("junit.xml");
    let input = "fixtures/metadata/rules/metadata__insecure-endpoint.xml";
    let lint = |extra: &[&str]| {
        let out = samlcheck()
            .current_dir(ROOT)
            .args(["lint", input, "--now", NOW])
            .args(extra)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, github, _) = lint(&[
        "--format",
        "github",
        "--report",
        &format!("sarif={}", sarif.display()),
        "--report",
        &format!("JUnit={}", junit.display()),
    ]);
    assert_eq!(code, 1);
    assert_eq!(github, lint(&["--format", "github"]).1);
    assert!(github.contains("metadata/insecure-endpoint"), "{github}");
    assert_eq!(
        std::fs::read_to_string(&sarif).unwrap(),
        lint(&["--format", "sarif"]).1
    );
    assert_eq!(
        std::fs::read_to_string(&junit).unwrap(),
        lint(&["--format", "junit"]).1
    );

    let (code, stdout, stderr) = lint(&["--report", "sarif"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains("invalid value 'sarif' for '--report <FORMAT=PATH>': expected FORMAT=PATH, e.g. sarif=samlcheck.sarif"),
        "{stderr}"
    );
    let (code, _, stderr) = lint(&["--report", "pdf=x.pdf"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unknown format \"pdf\" (one of human, json, jsonl, sarif, junit, github)"),
        "{stderr}"
    );
    let missing = dir.path().join("no/such/dir/r.sarif");
    let (code, stdout, stderr) = lint(&["--report", &format!("sarif={}", missing.display())]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        format!(
            "samlcheck: --report: cannot write {}: No such file or directory (os error 2)\n",
            missing.display()
        )
    );
}
