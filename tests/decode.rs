//! `samlcheck decode`: every input kind, every rule id, and a Response through `verify`.

use std::io::Write;

use assert_cmd::Command;
use base64::Engine;
use samlcheck::decode::{analyze, Binding, DecodeContext, MessageKind, RawMessage};
use samlcheck::saml::authn_request::{AuthnRequest, Outgoing, RequestSigner};
use samlcheck::saml::time::parse_instant;
use samlcheck::sp::SpProfile;
use samlcheck::xml::dsig::TrustedKey;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const NOW: &str = "2026-01-15T10:01:00Z";

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{ROOT}/{path}")).unwrap()
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn request() -> AuthnRequest {
    let sp = SpProfile::for_org("https://sentry.io", "acme");
    AuthnRequest::new(&sp, "https://idp.example/sso", parse_instant(NOW).unwrap()).unwrap()
}

fn redirect(req: &AuthnRequest, signed: bool) -> String {
    let signer = RequestSigner::from_pem(
        &fixture("fixtures/keys/sp-rsa.key"),
        Some(&fixture("fixtures/keys/sp-rsa.crt")),
    )
    .unwrap();
    let signer = signed.then_some(&signer);
    match req
        .encode(
            samlcheck::saml::authn_request::Binding::Redirect,
            Some("/org/acme/"),
            signer,
        )
        .unwrap()
    {
        Outgoing::Redirect(url) => url,
        Outgoing::Post { .. } => unreachable!(),
    }
}

fn sp_cert() -> Vec<TrustedKey> {
    vec![TrustedKey::from_pem(&fixture("fixtures/keys/sp-rsa.crt")).unwrap()]
}

fn decode() -> Command {
    Command::cargo_bin("samlcheck").unwrap()
}

fn json_of(args: &[&str], stdin: Option<&str>) -> (i32, serde_json::Value) {
    let mut cmd = decode();
    cmd.arg("decode")
        .args(args)
        .args(["--format", "json", "--now", NOW]);
    if let Some(s) = stdin {
        cmd.write_stdin(s);
    }
    let out = cmd.output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (out.status.code().unwrap(), value)
}

fn rules(v: &serde_json::Value) -> Vec<String> {
    v["messages"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn signed_redirect_url_verifies_with_the_sp_cert() {
    let req = request();
    let url = redirect(&req, true);
    let certs = sp_cert();
    let mut ctx = DecodeContext::at(parse_instant(NOW).unwrap());
    ctx.sp_certs = &certs;
    let r = analyze(&RawMessage::from_url(&url).unwrap(), &ctx);
    assert_eq!(r.kind, MessageKind::AuthnRequest);
    assert_eq!(r.binding, Binding::Redirect);
    assert_eq!(r.summary.id.as_deref(), Some(req.id.as_str()));
    assert_eq!(
        r.summary.assertion_consumer_service_url.as_deref(),
        Some("https://sentry.io/saml/acs/acme/")
    );
    assert_eq!(r.relay_state.as_deref(), Some("/org/acme/"));
    assert!(r.redirect_signature.as_ref().unwrap().verified, "{r:?}");
    assert!(r.findings.is_empty(), "{:?}", r.findings);

    // Through the binary, from the command line.
    let (code, v) = json_of(&[&url, "--sp-cert", "fixtures/keys/sp-rsa.crt"], None);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["messages"][0]["kind"], "AuthnRequest");
    assert_eq!(v["messages"][0]["redirect_signature"]["verified"], true);
}

#[test]
fn tampered_query_is_redirect_signature_invalid() {
    let url =
        redirect(&request(), true).replace("RelayState=%2Forg%2Facme%2F", "RelayState=%2Fevil");
    let (code, v) = json_of(&[&url, "--sp-cert", "fixtures/keys/sp-rsa.crt"], None);
    assert_eq!(code, 1);
    assert_eq!(rules(&v), vec!["binding/redirect-signature-invalid"]);
    // The wrong certificate fails the same way.
    let (code, v) = json_of(
        &[
            &redirect(&request(), true),
            "--sp-cert",
            "fixtures/keys/idp-rsa.crt",
        ],
        None,
    );
    assert_eq!(code, 1);
    assert_eq!(rules(&v), vec!["binding/redirect-signature-invalid"]);
    // No certificate: said, not failed.
    let (code, v) = json_of(&[&redirect(&request(), true)], None);
    assert_eq!(code, 0);
    assert_eq!(rules(&v), vec!["binding/redirect-signature-unchecked"]);
}

#[test]
fn unsigned_request_to_an_idp_that_wants_signed_requests() {
    let dir = tempfile::tempdir().unwrap();
    let metadata = String::from_utf8(fixture("fixtures/metadata/okta.xml"))
        .unwrap()
        .replace(
            "WantAuthnRequestsSigned=\"false\"",
            "WantAuthnRequestsSigned=\"true\"",
        );
    let path = dir.path().join("idp.xml");
    std::fs::write(&path, metadata).unwrap();
    let url = redirect(&request(), false);
    let (code, v) = json_of(&[&url, "--idp-metadata", path.to_str().unwrap()], None);
    assert_eq!(code, 1);
    assert_eq!(rules(&v), vec!["binding/redirect-signature-missing"]);
    // The fixture's IdP does not want them: no finding.
    let (code, v) = json_of(
        &[&url, "--idp-metadata", "fixtures/metadata/okta.xml"],
        None,
    );
    assert_eq!((code, rules(&v).len()), (0, 0), "{v}");
}

#[test]
fn every_value_form_decodes() {
    let xml = String::from_utf8(fixture("fixtures/responses/okta.xml")).unwrap();
    let plain = b64(xml.as_bytes());
    let wrapped: String = plain
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let encoded = plain
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    let deflated = b64(&deflate(xml.as_bytes()));
    let form = format!("SAMLResponse={encoded}&RelayState=%2Fhome");
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        ("base64", plain.clone(), vec!["base64"]),
        ("line breaks", wrapped, vec!["base64"]),
        ("url-encoded", encoded, vec!["url-decoding", "base64"]),
        ("deflate", deflated, vec!["base64", "deflate"]),
        ("form", form, vec!["url-decoding", "base64"]),
        ("xml", xml.clone(), vec![]),
    ];
    for (label, input, layers) in cases {
        let (code, v) = json_of(
            &[
                "-",
                "--idp-metadata",
                "fixtures/metadata/okta.xml",
                "--org",
                "acme",
            ],
            Some(&input),
        );
        let m = &v["messages"][0];
        assert_eq!(code, 0, "{label}: {v}");
        assert_eq!(m["kind"], "Response", "{label}");
        assert_eq!(m["verify"]["accepted"], true, "{label}");
        let got: Vec<&str> = m["layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert_eq!(got, layers, "{label}");
    }
    // A form body keeps its RelayState; a forced kind is obeyed.
    let (_, v) = json_of(
        &["-", "--input", "form"],
        Some(&format!("SAMLResponse={plain}&RelayState=%2Fhome")),
    );
    assert_eq!(v["messages"][0]["relay_state"], "/home");
    assert_eq!(v["messages"][0]["binding"], "post");
    let out = decode()
        .args(["decode", "-", "--input", "url"])
        .write_stdin(plain)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("no SAMLRequest or SAMLResponse parameter"));
}

#[test]
fn okta_response_through_verify_from_a_file() {
    let (code, v) = json_of(
        &[
            "fixtures/responses/okta.xml",
            "--idp-metadata",
            "fixtures/metadata/okta.xml",
            "--org",
            "acme",
        ],
        None,
    );
    assert_eq!(code, 0, "{v}");
    let m = &v["messages"][0];
    assert_eq!(m["verify"]["accepted"], true);
    assert_eq!(m["summary"]["subject"]["name_id"], "jane.doe@acme.example");
    assert_eq!(m["summary"]["in_response_to"], "_req-4f1c2a");
    // Another org: the verify pipeline's URL findings, with near-miss hints.
    let (code, v) = json_of(
        &[
            "fixtures/responses/okta.xml",
            "--idp-metadata",
            "fixtures/metadata/okta.xml",
            "--org",
            "acme-corp",
        ],
        None,
    );
    assert_eq!(code, 1);
    assert!(
        rules(&v).contains(&"response/destination-mismatch".to_string()),
        "{v}"
    );
}

#[test]
fn truncated_deflate_names_the_layer() {
    let url = redirect(&request(), false);
    // Cut the base64 on a 4-character boundary, as a copy that lost its end would: whether an
    // arbitrary cut also breaks the base64 depends on the request's random ID.
    let start = url.find("SAMLRequest=").unwrap() + "SAMLRequest=".len();
    let end = url.find("&RelayState").unwrap();
    let b64 = samlcheck::saml::binding::percent_decode(&url[start..end]).unwrap();
    let b64 = String::from_utf8(b64).unwrap();
    let kept = &b64[..(b64.len() - 40) / 4 * 4];
    let cut = format!(
        "{}{}",
        &url[..start],
        samlcheck::saml::capture::exchange::form_encode(kept)
    );
    let (code, v) = json_of(&[&cut], None);
    assert_eq!(code, 2);
    assert_eq!(rules(&v), vec!["binding/decode-failed"]);
    let message = v["messages"][0]["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("URL-decoding ok, base64 ok, inflate failed at byte"),
        "{message}"
    );
    let (code, v) = json_of(&["PHNhbWxw*Oi"], None);
    assert_eq!(code, 2);
    assert!(v["messages"][0]["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("base64 failed at character 8"));
}

fn error_response(code: &str, sub: &str, message: &str) -> String {
    format!(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_e1" Version="2.0" IssueInstant="2026-01-15T10:00:00Z" Destination="https://sentry.io/saml/acs/acme/" InResponseTo="_r1"><saml:Issuer>https://sts.windows.net/t/</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:{code}"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:{sub}"/></samlp:StatusCode><samlp:StatusMessage>{message}</samlp:StatusMessage></samlp:Status></samlp:Response>"#
    )
}

#[test]
fn idp_errors_are_explained() {
    let xml = error_response(
        "Requester",
        "RequestDenied",
        "AADSTS50105: The signed in user 'jane@acme.example' is not assigned to a role for the application.",
    );
    let (code, v) = json_of(&["-"], Some(&b64(xml.as_bytes())));
    assert_eq!(code, 1);
    let f = &v["messages"][0]["findings"][0];
    assert_eq!(f["rule"], "response/idp-error");
    assert_eq!(f["hint"][0], "AADSTS50105");
    assert!(f["fix"].as_str().unwrap().contains("Users and groups"));
    // A plain SAML status, through verify: one explanation, not two.
    let xml = error_response("Responder", "NoPassive", "");
    let (code, v) = json_of(
        &[
            "-",
            "--idp-metadata",
            "fixtures/metadata/entra.xml",
            "--org",
            "acme",
        ],
        Some(&xml),
    );
    assert_eq!(code, 1);
    let r = rules(&v);
    assert!(r.contains(&"response/idp-error".to_string()), "{v}");
    assert!(!r.contains(&"response/status".to_string()), "{v}");
    assert!(v["messages"][0]["findings"][0]["fix"]
        .as_str()
        .unwrap()
        .contains("IsPassive"));
}

#[test]
fn xml_flag_and_human_output() {
    let out = decode()
        .args(["decode", "fixtures/responses/okta.xml", "--xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Response (") || text.contains("Response,"),
        "{text}"
    );
    assert!(text.contains("\n  <saml2:Issuer"), "{text}");
    let out = decode().args(["decode", "--help"]).output().unwrap();
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("\nExamples (run from a clone of samlcheck: they use its fixtures/):\n"));
}

#[test]
fn redact_verifies_the_original_then_masks_every_output() {
    let out = Command::cargo_bin("samlcheck")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "decode",
            "fixtures/responses/okta.xml",
            "--idp-metadata",
            "fixtures/metadata/okta.xml",
            "--org",
            "acme",
            "--now",
            "2026-01-15T10:01:00Z",
            "--redact",
            "--xml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["messages"][0]["verify"]["accepted"], true, "{text}");
    let doc = samlcheck::xml::Document::parse_bytes(
        &fixture("fixtures/responses/okta.xml"),
        samlcheck::xml::Limits::MESSAGE,
    )
    .unwrap();
    let mut originals = Vec::new();
    for n in doc.elements() {
        let el = doc.element(n).unwrap();
        if matches!(el.local(), "NameID" | "AttributeValue" | "SignatureValue") {
            originals.push(doc.text(n).trim().to_string());
        }
    }
    assert!(originals.len() >= 4, "{originals:?}");
    for o in originals {
        assert!(!text.contains(&o), "{o:?} survives");
    }
}

#[test]
fn help_shows_a_har_and_redact() {
    let out = Command::cargo_bin("samlcheck")
        .unwrap()
        .args(["decode", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("\n  samlcheck decode fixtures/captures/login-ok.har --redact \\\n      --output login-redacted.har\n"),
        "{text}"
    );
}

#[test]
fn entra_reply_url_and_identifier_errors_name_the_console_fields() {
    for (code, field) in [
        ("AADSTS50011", "Reply URL (Assertion Consumer Service URL)"),
        ("AADSTS700016", "Identifier (Entity ID)"),
    ] {
        let xml = error_response("Requester", "RequestUnsupported", &format!("{code}: x"));
        let (exit, v) = json_of(&["-"], Some(&b64(xml.as_bytes())));
        assert_eq!(exit, 1, "{code}");
        let f = &v["messages"][0]["findings"][0];
        assert_eq!(f["rule"], "response/idp-error", "{code}");
        assert_eq!(f["hint"][0], code);
        assert!(f["fix"].as_str().unwrap().contains(field), "{code}: {f}");
    }
}

#[test]
fn a_sigalg_outside_the_allowlist_is_refused() {
    let url = redirect(&request(), true);
    let start = url.find("SigAlg=").unwrap() + "SigAlg=".len();
    let end = url[start..].find('&').map_or(url.len(), |i| start + i);
    // DSA-SHA1: a real XML-DSig algorithm that verify's allowlist does not take.
    let dsa = "http%3A%2F%2Fwww.w3.org%2F2000%2F09%2Fxmldsig%23dsa-sha1";
    let url = format!("{}{dsa}{}", &url[..start], &url[end..]);
    let (code, v) = json_of(&[&url, "--sp-cert", "fixtures/keys/sp-rsa.crt"], None);
    assert_eq!(code, 1);
    assert_eq!(rules(&v), vec!["binding/redirect-signature-invalid"]);
    let message = v["messages"][0]["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("dsa-sha1"), "{message}");
}

#[test]
fn a_preset_checks_the_mapping_of_a_decoded_response() {
    // Okta's preset maps the user ID to `identifier`, which this fixture does not send.
    let (code, v) = json_of(
        &[
            "fixtures/responses/okta.xml",
            "--idp-metadata",
            "fixtures/metadata/okta.xml",
            "--org",
            "acme",
            "--preset",
            "okta",
        ],
        None,
    );
    assert!(
        rules(&v).contains(&"mapping/attribute-not-found".to_string()),
        "{v}"
    );
    assert_eq!(v["messages"][0]["verify"]["accepted"], true, "{v}");
    // A mapping finding is an error: the account could not be linked.
    assert_eq!(code, 1, "{v}");
}

#[test]
fn samlcheck_toml_supplies_org_and_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    std::fs::write(
        dir.path().join("samlcheck.toml"),
        format!("org = \"acme\"\nidp_metadata = \"{root}/fixtures/metadata/okta.xml\"\n"),
    )
    .unwrap();
    let out = decode()
        .current_dir(dir.path())
        .args([
            "decode",
            &format!("{root}/fixtures/responses/okta.xml"),
            "--now",
            NOW,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["messages"][0]["verify"]["accepted"], true, "{v}");
    assert_eq!(out.status.code(), Some(0), "{v}");
}

#[test]
fn xml_that_is_no_saml_message_is_a_finding_exit_1() {
    for (xml, found) in [
        ("<foo/>", "foo (no namespace)"),
        (
            "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"x\"/>",
            "md:EntityDescriptor (urn:oasis:names:tc:SAML:2.0:metadata)",
        ),
    ] {
        let (code, v) = json_of(&["-"], Some(xml));
        assert_eq!(code, 1, "{xml}: {v}");
        assert_eq!(rules(&v), ["binding/not-a-message"], "{xml}");
        assert_eq!(v["messages"][0]["kind"], "Unknown", "{xml}");
        assert_eq!(v["messages"][0]["findings"][0]["found"], found, "{xml}");
    }
    let out = decode()
        .args(["decode", "-"])
        .write_stdin("<foo/>")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(
            "<stdin>: unknown message, 1 error(s)\n\n\
             error[binding/not-a-message]: the root element is foo, not a SAML 2.0 protocol message\n"
        ),
        "{text}"
    );
}

#[test]
fn text_with_saml_response_in_it_quotes_80_characters_of_its_names() {
    // Read as a form body (it has `SAMLResponse=`), a README is no form: the error quotes the
    // start of what it took for parameter names, not the whole file.
    let readme = format!(
        "# Title\n\n{}\nPost SAMLResponse=... & RelayState=... to the ACS.\n",
        "Some prose. ".repeat(200)
    );
    let out = decode()
        .args(["decode", "-"])
        .write_stdin(readme)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "samlcheck: <stdin>: the form body has no SAMLRequest or SAMLResponse parameter \
         (2 parameters: # Title\\n\\nSome prose. Some prose. Some prose. Some prose. Some prose. \
         Some pros...)\n"
    );
}
