//! HAR and SAML-tracer captures: each input kind, the timeline and every `flow/*` rule on its
//! fixture (recorded from a real login by `tests/capture_record.rs`, then broken by hand), and
//! the redaction guarantee: no original personal value or signature survives in any output.

use base64::Engine;
use samlcheck::saml::capture::messages::{extract, MessageKind};
use samlcheck::saml::capture::redact::Redactor;
use samlcheck::saml::capture::timeline::{build, Timeline, TimelineContext};
use samlcheck::saml::capture::{self, CaptureError, CaptureFormat};
use samlcheck::xml::{Document, Limits};
use serde_json::{json, Value};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/fixtures/captures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn timeline_of(bytes: &[u8], ctx: &TimelineContext) -> Timeline {
    build(&capture::read(bytes).unwrap(), ctx)
}

fn rules(t: &Timeline) -> Vec<&str> {
    t.findings.iter().map(|f| f.rule).collect()
}

#[test]
fn recorded_har_login_is_a_clean_flow() {
    let c = capture::read(&fixture("login-ok.har")).unwrap();
    assert_eq!(c.format, CaptureFormat::Har);
    let t = build(&c, &TimelineContext::default());
    assert!(t.findings.is_empty(), "{}", t.render_text());
    let kinds: Vec<&str> = t.steps.iter().map(|s| s.kind.as_str()).collect();
    // The SP's redirect to the IdP, the IdP's login form carrying it on, the post to the ACS.
    assert_eq!(kinds, ["AuthnRequest", "AuthnRequest", "Response"]);
    let response = &t.steps[2];
    assert_eq!(response.direction, "IdP -> SP");
    let answered = &t.steps[response.answers.expect("matched to its request")];
    assert_eq!(answered.id, response.in_response_to);
    assert!(answered
        .acs_url
        .as_deref()
        .unwrap()
        .ends_with("/saml/acs/acme/"));
    // The clock difference is measured and reported even when within the skew.
    let offset = response.clock_offset_seconds.expect("measured");
    assert!(offset.abs() < 5.0, "{offset}");
    let text = t.render_text();
    assert!(
        text.contains("IssueInstant") && text.contains("answers #"),
        "{text}"
    );
    let json = serde_json::to_value(&t).unwrap();
    assert!(json["steps"][2]["clock_offset_seconds"].is_number());
}

#[test]
fn saml_tracer_export_reads_as_the_same_flow() {
    let c = capture::read(&fixture("login-ok.saml-tracer.json")).unwrap();
    assert_eq!(c.format, CaptureFormat::SamlTracer);
    let t = build(&c, &TimelineContext::default());
    assert!(t.findings.is_empty(), "{}", t.render_text());
    let har = timeline_of(&fixture("login-ok.har"), &TimelineContext::default());
    let ids = |t: &Timeline| {
        t.steps
            .iter()
            .map(|s| (s.kind.clone(), s.id.clone(), s.in_response_to.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&t), ids(&har));
    // No per-request time in SAML-tracer: the server's Date header stands in.
    assert!(t.steps[2].clock_offset_seconds.is_some());
    let m = extract(&c);
    assert_eq!(
        m[0].summary.as_ref().unwrap().kind,
        MessageKind::AuthnRequest
    );
    assert!(m[0]
        .raw_query
        .as_deref()
        .unwrap()
        .starts_with("SAMLRequest="));
}

#[test]
fn each_flow_rule_on_its_fixture() {
    let ctx = TimelineContext::default();
    for (file, rule) in [
        ("unanswered-request.har", "flow/unanswered-request"),
        ("posted-to-wrong-url.har", "flow/posted-to-wrong-url"),
        ("post-lost-on-redirect.har", "flow/post-lost-on-redirect"),
        ("clock-skew.har", "flow/clock-skew"),
    ] {
        let t = timeline_of(&fixture(file), &ctx);
        assert_eq!(rules(&t), [rule], "{file}:\n{}", t.render_text());
        assert!(samlcheck::checks::catalog::rule(rule).is_some());
    }
    let wrong = timeline_of(&fixture("posted-to-wrong-url.har"), &ctx);
    assert_eq!(wrong.findings[0].hints, ["trailing-slash"]);
    let lost = timeline_of(&fixture("post-lost-on-redirect.har"), &ctx);
    assert!(
        lost.findings[0].message.contains("301"),
        "{}",
        lost.findings[0].message
    );
    assert!(lost.findings[0].hints.contains(&"scheme"));
    let skew = timeline_of(&fixture("clock-skew.har"), &ctx);
    let f = &skew.findings[0];
    assert!(
        f.message.contains("the IdP's clock is off by 9 min"),
        "{}",
        f.message
    );
    assert!(
        f.notes
            .iter()
            .any(|n| n.contains("the browser's clock is right")),
        "{:?}",
        f.notes
    );
    // A wider skew accepts the same capture, and still measures it.
    let wide = timeline_of(
        &fixture("clock-skew.har"),
        &TimelineContext {
            skew_seconds: 900,
            ..ctx.clone()
        },
    );
    assert!(wide.findings.is_empty());
    assert!(wide.steps[2].clock_offset_seconds.unwrap() > 590.0);
}

#[test]
fn response_to_a_request_not_in_the_capture() {
    let mut har: Value = serde_json::from_slice(&fixture("login-ok.har")).unwrap();
    let entries = har["log"]["entries"].as_array_mut().unwrap();
    entries.retain(|e| !e["request"]["url"].as_str().unwrap().contains("/sso"));
    let t = timeline_of(
        &serde_json::to_vec(&har).unwrap(),
        &TimelineContext::default(),
    );
    assert_eq!(rules(&t), ["flow/unknown-request"], "{}", t.render_text());
}

#[test]
fn expected_acs_from_the_sp_profile() {
    let c = capture::read(&fixture("login-ok.har")).unwrap();
    let acs = build(&c, &TimelineContext::default()).steps[0]
        .acs_url
        .clone()
        .unwrap();
    let ctx = TimelineContext {
        expected_acs: Some(acs.replace("/acme/", "/acme-corp/")),
        ..TimelineContext::default()
    };
    let t = build(&c, &ctx);
    assert_eq!(rules(&t), ["flow/posted-to-wrong-url"]);
}

#[test]
fn bad_files_say_where() {
    assert!(matches!(
        capture::read(b"{\"log\": {\"entries\": [1,"),
        Err(CaptureError::Json { line: 1, .. })
    ));
    let e = capture::read(br#"{"log": {"entries": [{"request": {"method": "GET", "url": "http://a/"}}, {"request": {}}]}}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "entry 1, log.entries[1].request.url: missing or not a string"
    );
    let e = capture::read(
        br#"{"requests": [{"method": "GET", "url": "http://a/", "requestHeaders": {"a": 1}}]}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("requests[0].requestHeaders"), "{e}");
    assert!(matches!(
        capture::read(b"[]"),
        Err(CaptureError::NotACapture(_))
    ));
    // A SAML value cut short is a step with its decoding error, not a failure to read.
    let mut har: Value = serde_json::from_slice(&fixture("login-ok.har")).unwrap();
    let post = &mut har["log"]["entries"][4]["request"]["postData"]["text"];
    let cut: String = post.as_str().unwrap().chars().take(300).collect();
    *post = json!(cut);
    let t = timeline_of(
        &serde_json::to_vec(&har).unwrap(),
        &TimelineContext::default(),
    );
    // Base64 decodes the complete bytes of a cut value, so the XML layer reports the cut.
    let error = t.steps[2].error.as_deref().unwrap();
    assert!(
        error.contains("not readable XML") && error.contains("end of input"),
        "{error}"
    );
}

/// Every value that must not survive: NameID, attribute values, signature and digest values
/// of every message, the user name typed at the IdP, and the injected cookie and token.
fn originals(c: &capture::Capture) -> Vec<String> {
    let mut out = vec![
        "jane.doe@acme.example".to_string(),
        "s3cr3t-cookie".into(),
        "Bearer tok-123".into(),
    ];
    for m in extract(c) {
        let d = m.decoded.unwrap();
        let doc = Document::parse_bytes(&d.xml, Limits::MESSAGE).unwrap();
        for n in doc.elements() {
            let el = doc.element(n).unwrap();
            if matches!(
                el.local(),
                "NameID" | "AttributeValue" | "SignatureValue" | "DigestValue"
            ) {
                out.push(doc.text(n).trim().to_string());
            }
        }
        if let Some(sig) = m.signature {
            out.push(sig);
        }
    }
    out.sort();
    out.dedup();
    out.retain(|v| v.len() >= 3);
    out
}

fn assert_absent(what: &str, output: &[u8], values: &[String]) {
    let text = String::from_utf8_lossy(output);
    for v in values {
        let forms = [
            v.clone(),
            samlcheck::saml::capture::exchange::form_encode(v),
            base64::engine::general_purpose::STANDARD.encode(v),
            v.replace('/', "\\/"),
        ];
        for f in forms {
            assert!(!text.contains(&f), "{what}: {v:?} survives as {f:?}");
        }
    }
    // And inside every SAML message the output carries.
    if let Ok(c) = capture::read(output) {
        for m in extract(&c) {
            let xml =
                String::from_utf8(m.decoded.expect("re-encoded messages decode").xml).unwrap();
            for v in values {
                assert!(
                    !xml.contains(v.as_str()),
                    "{what}: {v:?} survives in a message"
                );
            }
        }
    }
}

/// The recorded HAR with what real exports also hold: cookies, an Authorization header,
/// response bodies (the IdP's auto-post form, the ACS's report page, one base64-encoded).
fn enriched_har() -> Vec<u8> {
    let mut har: Value = serde_json::from_slice(&fixture("login-ok.har")).unwrap();
    let entries = har["log"]["entries"].as_array_mut().unwrap();
    let post_text = entries[4]["request"]["postData"]["text"]
        .as_str()
        .unwrap()
        .to_string();
    let value = post_text
        .split("SAMLResponse=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let b64 = samlcheck::saml::capture::exchange::form_decode(value);
    for e in entries.iter_mut() {
        e["request"]["headers"].as_array_mut().unwrap().extend([
            json!({"name": "Cookie", "value": "session=s3cr3t-cookie"}),
            json!({"name": "Authorization", "value": "Bearer tok-123"}),
        ]);
        e["request"]["cookies"] = json!([{"name": "session", "value": "s3cr3t-cookie"}]);
        e["response"]["headers"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "Set-Cookie", "value": "session=s3cr3t-cookie; HttpOnly"}));
    }
    entries[3]["response"]["content"] = json!({"mimeType": "text/html", "text": format!(
        "<form method=\"post\" action=\"/acs\"><input type=\"hidden\" name=\"SAMLResponse\" value=\"{b64}\"></form>")});
    let page = "<p>Signed in as jane.doe@acme.example (Jane Doe)</p>";
    entries[4]["response"]["content"] = json!({"mimeType": "text/html", "encoding": "base64",
        "text": base64::engine::general_purpose::STANDARD.encode(page)});
    serde_json::to_vec_pretty(&har).unwrap()
}

#[test]
fn redacted_har_keeps_no_original_value() {
    let original = enriched_har();
    let c = capture::read(&original).unwrap();
    let mut values = originals(&c);
    values.push("Jane Doe".into());
    assert!(values.len() >= 6, "{values:?}");
    let mut r = Redactor::new();
    let out = r.redact_file(&original).unwrap();
    assert_absent("redacted HAR", &out, &values);
    let text = String::from_utf8_lossy(&out);
    assert!(!text.to_ascii_lowercase().contains("\"cookie\""));
    assert!(!text.contains("Authorization") && !text.contains("Set-Cookie"));
    assert!(text.contains("redacted.example"));
    // The redacted copy still reads as the same flow, with masked values.
    let red = capture::read(&out).unwrap();
    let t = build(&red, &TimelineContext::default());
    assert!(t.findings.is_empty(), "{}", t.render_text());
    assert_eq!(t.steps.len(), 3);
    // The timeline of a redacted capture, in every format, has none either.
    let red = r.redact_capture(&c);
    let t = build(&red, &TimelineContext::default());
    assert_absent("timeline text", t.render_text().as_bytes(), &values);
    assert_absent("timeline JSON", &serde_json::to_vec(&t).unwrap(), &values);
    assert_absent("capture JSON", &serde_json::to_vec(&red).unwrap(), &values);
}

#[test]
fn redaction_is_consistent_within_a_run_and_keyed_per_run() {
    let original = enriched_har();
    let mut r = Redactor::with_key(b"fixed");
    let a = r.redact_file(&original).unwrap();
    let b = Redactor::with_key(b"fixed").redact_file(&original).unwrap();
    assert_eq!(a, b, "same key, same output");
    let other = Redactor::with_key(b"other").redact_file(&original).unwrap();
    assert_ne!(a, other);
    // The NameID's mask is the same in the SAML message and on the ACS page.
    let mask = r.mask("jane.doe@acme.example");
    let red = capture::read(&a).unwrap();
    let xml = extract(&red)
        .into_iter()
        .rev()
        .find_map(|m| m.decoded.ok())
        .unwrap()
        .xml;
    assert!(String::from_utf8_lossy(&xml).contains(&mask));
    let v: Value = serde_json::from_slice(&a).unwrap();
    let page = base64::engine::general_purpose::STANDARD
        .decode(
            v["log"]["entries"][4]["response"]["content"]["text"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
    assert!(String::from_utf8_lossy(&page).contains(&mask));
}

#[test]
fn redacted_saml_tracer_export_keeps_no_original_value() {
    let original = fixture("login-ok.saml-tracer.json");
    let c = capture::read(&original).unwrap();
    let mut values = originals(&c);
    values.retain(|v| v != "s3cr3t-cookie" && v != "Bearer tok-123");
    let out = Redactor::new().redact_file(&original).unwrap();
    assert_absent("redacted SAML-tracer export", &out, &values);
    let v: Value = serde_json::from_slice(&out).unwrap();
    let saml = v["requests"][4]["saml"].as_str().unwrap();
    assert!(
        saml.contains("redacted.example") && saml.contains("REDACTED"),
        "{saml}"
    );
    let t = build(&capture::read(&out).unwrap(), &TimelineContext::default());
    assert!(t.findings.is_empty());
}

#[test]
fn hostile_and_damaged_captures_never_panic() {
    let original = fixture("login-ok.har");
    let tracer = fixture("login-ok.saml-tracer.json");
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for src in [&original, &tracer] {
        for cut in (0..src.len()).step_by(src.len() / 97 + 1) {
            inputs.push(src[..cut].to_vec());
        }
    }
    // Every string of the HAR replaced by a hostile one, one field at a time.
    let har: Value = serde_json::from_slice(&original).unwrap();
    let mut paths = Vec::new();
    fn walk(v: &Value, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, v)| {
                let mut p = path.clone();
                p.push(k.clone());
                walk(v, p, out)
            }),
            Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| {
                let mut p = path.clone();
                p.push(i.to_string());
                walk(v, p, out)
            }),
            _ => out.push(path),
        }
    }
    walk(&har, Vec::new(), &mut paths);
    for (n, path) in paths.iter().enumerate() {
        let mut v = har.clone();
        let mut at = &mut v;
        for k in path {
            at = match at {
                Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
                other => &mut other[k.as_str()],
            };
        }
        *at = match n % 4 {
            0 => json!("%%%\u{0}<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>"),
            1 => json!(-1),
            2 => json!(null),
            _ => json!("SAMLResponse=PHg%2&Signature=%ZZ"),
        };
        inputs.push(serde_json::to_vec(&v).unwrap());
    }
    for input in inputs {
        if let Ok(c) = capture::read(&input) {
            let t = build(&c, &TimelineContext::default());
            let _ = t.render_text();
        }
        let _ = Redactor::with_key(b"k").redact_file(&input);
    }
}

#[test]
fn captured_messages_convert_to_decode_raw_messages() {
    use samlcheck::decode::{self, RawMessage};
    let c = capture::read(&fixture("login-ok.har")).unwrap();
    let messages = extract(&c);
    assert!(!messages.is_empty());
    for m in &messages {
        let raw = RawMessage::from(m);
        let url = raw.url.as_deref().unwrap();
        assert!(!url.contains('?') && m.url.starts_with(url), "{url}");
        assert_eq!(raw.value, m.value);
        if let Some(sig) = &raw.signature {
            assert!(!sig.contains('%'), "{sig}");
        }
        let report = decode::analyze(
            &raw,
            &decode::DecodeContext::at(time::OffsetDateTime::now_utc()),
        );
        assert!(report.decoded, "{:?}", report.findings);
    }
}

fn decode_cli(args: &[&str]) -> (i32, String) {
    let out = assert_cmd::Command::cargo_bin("samlcheck")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("decode")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn decode_cli_reads_a_har_into_the_timeline_and_every_message() {
    let (code, text) = decode_cli(&["fixtures/captures/login-ok.har"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.starts_with("Timeline (HAR"), "{text}");
    assert!(text.contains("answers #2"), "{text}");
    assert!(text.contains("login-ok.har #3: Response"), "{text}");
    let (code, json) = decode_cli(&["fixtures/captures/login-ok.har", "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["timeline"]["steps"].as_array().unwrap().len(), 3);
    assert_eq!(v["messages"].as_array().unwrap().len(), 3);
    assert_eq!(v["messages"][2]["kind"], "Response");
    assert!(v["findings"].as_array().unwrap().is_empty(), "{json}");
}

#[test]
fn decode_cli_reports_each_flow_rule() {
    for (file, rule, code) in [
        ("unanswered-request.har", "flow/unanswered-request", 1),
        ("posted-to-wrong-url.har", "flow/posted-to-wrong-url", 1),
        ("post-lost-on-redirect.har", "flow/post-lost-on-redirect", 1),
        ("clock-skew.har", "flow/clock-skew", 0),
    ] {
        let path = format!("fixtures/captures/{file}");
        let (got, json) = decode_cli(&[&path, "--format", "json"]);
        let v: Value = serde_json::from_str(&json).unwrap();
        let rules: Vec<&str> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        assert!(rules.contains(&rule), "{file}: {rules:?}");
        assert_eq!(v["timeline"]["findings"][0]["rule"], rule, "{file}: {json}");
        assert_eq!(got, code, "{file}");
    }
    // A warning of the flow fails the run under --deny warnings.
    let (got, _) = decode_cli(&["fixtures/captures/clock-skew.har", "--deny", "warnings"]);
    assert_eq!(got, 1);
}

#[test]
fn decode_cli_reads_a_saml_tracer_export() {
    for args in [
        &[
            "fixtures/captures/login-ok.saml-tracer.json",
            "--format",
            "json",
        ][..],
        &[
            "fixtures/captures/login-ok.saml-tracer.json",
            "--input",
            "tracer",
            "--format",
            "json",
        ],
    ] {
        let (code, json) = decode_cli(args);
        assert_eq!(code, 0, "{json}");
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["timeline"]["format"], "saml-tracer", "{json}");
        let kinds: Vec<&str> = v["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["AuthnRequest", "AuthnRequest", "Response"]);
    }
    let (code, _) = decode_cli(&["fixtures/captures/login-ok.har", "--input", "har"]);
    assert_eq!(code, 0);
}

#[test]
fn decode_cli_redact_keeps_no_original_value() {
    let c = capture::read(&fixture("login-ok.har")).unwrap();
    let values = originals(&c);
    assert!(values.len() >= 4, "{values:?}");
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("shared.har");
    for format in ["json", "human", "jsonl", "sarif"] {
        let (code, out) = decode_cli(&[
            "fixtures/captures/login-ok.har",
            "--redact",
            "--xml",
            "--format",
            format,
            "--output",
            copy.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{out}");
        assert!(!out.is_empty());
        assert_absent(&format!("stdout ({format})"), out.as_bytes(), &values);
        if format == "json" {
            let v: Value = serde_json::from_str(&out).unwrap();
            let name_id = v["messages"][2]["summary"]["subject"]["name_id"]
                .as_str()
                .unwrap();
            assert!(name_id.contains("redacted"), "{name_id}");
        }
    }
    let written = std::fs::read(&copy).unwrap();
    let parsed = capture::read(&written).expect("the redacted copy is a capture");
    assert_eq!(extract(&parsed).len(), 3);
    assert_absent("--output", &written, &values);
    // --output is for captures only.
    let (code, _) = decode_cli(&[
        "fixtures/responses/okta.xml",
        "--redact",
        "--output",
        copy.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
}

#[test]
fn decode_cli_redact_masks_messages_still_encoded_in_urls() {
    use std::io::Write;
    let name_id = "jane.roe@acme.example";
    let xml = format!(
        r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lr1" Version="2.0" IssueInstant="2026-11-30T12:55:01Z" Destination="http://127.0.0.1:42087/slo"><saml:Issuer>http://127.0.0.1:45627/saml/metadata/acme/</saml:Issuer><saml:NameID>{name_id}</saml:NameID></samlp:LogoutRequest>"#
    );
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(xml.as_bytes()).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD.encode(enc.finish().unwrap());
    let value = samlcheck::saml::capture::exchange::form_encode(&b64);
    let mut har: Value = serde_json::from_slice(&fixture("login-ok.har")).unwrap();
    let entry = &mut har["log"]["entries"][0]["request"];
    entry["url"] = json!(format!("http://127.0.0.1:42087/slo?SAMLRequest={value}"));
    entry["queryString"] = json!([{"name": "SAMLRequest", "value": value}]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("logout.har");
    std::fs::write(&path, serde_json::to_vec(&har).unwrap()).unwrap();
    let (_, plain) = decode_cli(&[path.to_str().unwrap()]);
    assert!(plain.contains(&value) && plain.contains(name_id), "{plain}");
    for format in ["human", "json"] {
        let (_, out) = decode_cli(&[path.to_str().unwrap(), "--redact", "--format", format]);
        assert!(out.contains("LogoutRequest"), "{out}");
        assert!(
            !out.contains(&value),
            "{format}: the encoded message survives"
        );
        assert!(!out.contains(name_id), "{format}: {out}");
        assert!(!out.contains(&b64), "{format}");
    }
}

/// Firefox writes form posts as decoded `params` only (no `postData.text`): the same login,
/// rewritten that way, must read as the same flow.
#[test]
fn firefox_style_params_only_posts_read_alike() {
    fn percent_decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                    out.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8(out).unwrap()
    }
    let original = timeline_of(&fixture("login-ok.har"), &TimelineContext::default());
    let mut har: Value = serde_json::from_slice(&fixture("login-ok.har")).unwrap();
    let mut rewritten = 0;
    for entry in har["log"]["entries"].as_array_mut().unwrap() {
        let post = &mut entry["request"]["postData"];
        let Some(text) = post.get("text").and_then(Value::as_str).map(str::to_string) else {
            continue;
        };
        let params: Vec<Value> = text
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| json!({"name": percent_decode(k), "value": percent_decode(v)}))
            .collect();
        post.as_object_mut().unwrap().remove("text");
        post["params"] = json!(params);
        rewritten += 1;
    }
    assert!(rewritten >= 2, "the recorded login has form posts");
    let t = timeline_of(
        &serde_json::to_vec(&har).unwrap(),
        &TimelineContext::default(),
    );
    assert_eq!(t.steps.len(), original.steps.len());
    assert_eq!(rules(&t), rules(&original));
    assert!(rules(&t).is_empty(), "{:?}", rules(&t));
}
