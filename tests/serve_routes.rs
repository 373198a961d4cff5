//! The mock SP's routes, driven in-process with tower's `oneshot`: every route, test logins
//! accepted, rejected, replayed and IdP-initiated, markup in attributes shown inert, and bad
//! requests answered with clear 4xx pages.

mod serve_support;

use std::io::Write;

use axum::body::Body;
use axum::http::header::{CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use base64::Engine;
use samlcheck::saml::authn_request::RequestSigner;
use samlcheck::saml::binding::{decode_message, percent_decode, Layer};
use samlcheck::saml::time::parse_instant;
use samlcheck::server::sp::{Clock, SpApp, SpSettings};
use samlcheck::sp::SpProfile;
use samlcheck::xml::{Document, Limits};
use serve_support::*;
use tower::ServiceExt;

const ACS: &str = "/saml/acs/acme/";

fn app_with(metadata: &str, edit: impl FnOnce(&mut SpSettings)) -> SpApp {
    let sp = SpProfile::for_org("https://sentry.io", "acme");
    let mut settings = SpSettings::new(sp, fixture(metadata).as_bytes(), None).unwrap();
    settings.clock = Clock::Fixed(parse_instant(NOW).unwrap());
    edit(&mut settings);
    SpApp::new(settings).unwrap()
}

fn okta_app() -> SpApp {
    app_with("metadata/okta.xml", |_| {})
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

async fn send(app: &SpApp, request: Request<Body>) -> Reply {
    let response = app.router().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(app: &SpApp, path: &str) -> Reply {
    send(app, Request::get(path).body(Body::empty()).unwrap()).await
}

async fn post(app: &SpApp, path: &str, body: impl Into<Body>) -> Reply {
    let request = Request::post(path)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body.into())
        .unwrap();
    send(app, request).await
}

#[tokio::test]
async fn accepts_the_okta_fixture_answering_a_request_it_sent() {
    let app = okta_app();
    app.remember_request(FIXTURE_REQUEST_ID);
    let r = post(&app, ACS, fixture("responses/okta.form")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("ACCEPTED"));
    assert!(r.body.contains("jane.doe@acme.example"));
    assert!(r.body.contains("<h2>Signatures</h2>"));
    assert!(r.body.contains("CN=samlcheck test IdP"));
    // Okta's preset maps the user ID to `identifier`, which the fixture does not send.
    assert!(r
        .body
        .contains("Sentry could not link a user: no value for IdP User ID"));
    assert!(!r.body.contains("assertion/unsolicited"));
    assert!(r.headers[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let csp = r.headers[CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && !csp.contains("script-src"));

    let logins = app.logins();
    assert_eq!(logins.len(), 1);
    assert_eq!(logins[0].request_id.as_deref(), Some(FIXTURE_REQUEST_ID));
    assert_eq!(
        logins[0].relay_state.as_deref(),
        Some("/organizations/acme/")
    );
}

#[tokio::test]
async fn the_mapping_preview_names_the_user() {
    let app = app_with("metadata/okta.xml", |s| {
        s.mapping = samlcheck::sp::mapping::AttributeMapping::parse(
            "user-id=email,email=email,first-name=firstName,last-name=lastName",
        )
        .unwrap();
    });
    app.remember_request(FIXTURE_REQUEST_ID);
    let r = post(&app, ACS, fixture("responses/okta.form")).await;
    assert!(
        r.body.contains(
            "Sentry would link user-id jane.doe@acme.example, email jane.doe@acme.example, name Jane Doe"
        ),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn an_unsolicited_response_is_accepted_with_a_note() {
    let app = okta_app();
    let r = post(
        &app,
        ACS,
        form(&fixture("responses/idp-initiated.xml"), None),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("ACCEPTED"));
    assert!(r.body.contains("assertion/unsolicited"));
    assert!(app.logins()[0].verdict.has("assertion/unsolicited"));
}

#[tokio::test]
async fn a_response_to_a_request_it_never_sent_is_rejected() {
    let app = okta_app();
    let r = post(&app, ACS, fixture("responses/okta.form")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("REJECTED"));
    assert!(r.body.contains("assertion/in-response-to-mismatch"));
    assert!(r.body.contains("which this server did not send"));
}

#[tokio::test]
async fn a_tampered_response_is_rejected_with_its_rule() {
    let app = okta_app();
    app.remember_request(FIXTURE_REQUEST_ID);
    let tampered = fixture("responses/okta.xml").replace(">Jane<", ">Mallory<");
    let r = post(&app, ACS, form(&tampered, None)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body.contains("REJECTED"));
    assert!(r.body.contains("signature/digest-mismatch"), "{}", r.body);
    // Nothing unverified reaches the account preview.
    assert!(!r.body.contains("Mallory</code></td>"));
}

#[tokio::test]
async fn a_replayed_assertion_is_rejected() {
    let app = okta_app();
    app.remember_request(FIXTURE_REQUEST_ID);
    let first = post(&app, ACS, fixture("responses/okta.form")).await;
    assert_eq!(first.status, StatusCode::OK);
    let again = post(&app, ACS, fixture("responses/okta.form")).await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
    assert!(again.body.contains("assertion/replayed"));
    assert!(again.body.contains("test login #1"));
    let logins = app.logins();
    assert!(logins[0].verdict.has("assertion/replayed"));
    assert!(!logins[0].verdict.accepted);
}

#[tokio::test]
async fn markup_and_script_in_attributes_are_shown_inert() {
    let script = "<script>alert(1)</script>";
    let img = "\"><img src=x onerror=alert(document.cookie)>";
    let xml = signed_okta(|t| {
        let escape = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
        };
        t.replace(">Jane<", &format!(">{}<", escape(script)))
            .replace(">Doe<", &format!(">{}<", escape(img)))
            .replace("Name=\"lastName\"", &format!("Name=\"{}\"", escape(script)))
    });
    let app = okta_app();
    app.remember_request(FIXTURE_REQUEST_ID);
    let r = post(&app, ACS, form(&xml, Some(script))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("ACCEPTED"));
    assert!(r.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(r
        .body
        .contains("&quot;&gt;&lt;img src=x onerror=alert(document.cookie)&gt;"));
    assert!(
        !r.body.to_ascii_lowercase().contains("<script"),
        "{}",
        r.body
    );
    assert!(!r.body.to_ascii_lowercase().contains("<img"));
    // The stored attributes keep the real values; only the page escapes them.
    let attrs = &app.logins()[0].verdict.attributes;
    assert_eq!(attrs["firstName"], vec![script.to_string()]);
    assert!(app.logins()[0].html == r.body);
    // The list of logins shows the same values inert too.
    let index = get(&app, "/").await;
    assert!(!index.body.to_ascii_lowercase().contains("<script"));
}

#[tokio::test]
async fn bad_posts_get_clear_4xx_pages() {
    let app = okta_app();
    let r = post(&app, ACS, "SAMLResponse=%%%").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("input/decode-failed"), "{}", r.body);
    let r = post(&app, ACS, "RelayState=x&foo=bar").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("no SAMLResponse field"));
    let r = post(&app, ACS, "SAMLResponse=PHNhbWxw*Oi").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("base64 failed at character"));
    let r = post(&app, ACS, vec![0xffu8, 0xfe, 0x00, 0x80]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = post(&app, ACS, "").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Readable XML that is not a response is rejected, not unreadable.
    let r = post(&app, ACS, "<x/>").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("response/not-a-response"));
    assert!(!r.body.contains("assertion/unsolicited"));
    let r = post(&app, ACS, "<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>").await;
    assert!(r.body.contains("xml/doctype"));
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = app_with("metadata/okta.xml", |s| s.limits.max_body = 4096);
    // Declared too large: refused before reading.
    let request = Request::post(ACS)
        .header(CONTENT_LENGTH, "5000000")
        .body(Body::from(vec![b'a'; 5_000_000]))
        .unwrap();
    let r = send(&app, request).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("at most 4096"));
    // No declared length: cut off while reading, at the limit.
    let r = send(
        &app,
        Request::post(ACS)
            .body(Body::from(vec![b'a'; 5000]))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(app.logins().is_empty());
}

#[tokio::test]
async fn login_redirects_with_a_request_that_decodes_back() {
    let app = okta_app();
    let r = get(&app, "/saml/login/acme/").await;
    assert_eq!(r.status, StatusCode::FOUND);
    let location = r.headers[LOCATION].to_str().unwrap().to_string();
    assert!(location
        .starts_with("https://acme.okta.com/app/sentry/exk1fcbhlwAcme5d7/sso/saml?SAMLRequest="));
    let value = query_param(&location, "SAMLRequest").unwrap();
    let decoded = decode_message(value.as_bytes()).unwrap();
    assert!(decoded.layers.contains(&Layer::Deflate));
    let doc = Document::parse_bytes(&decoded.xml, Limits::MESSAGE).unwrap();
    let root = doc.element(doc.root()).unwrap();
    assert_eq!(root.local(), "AuthnRequest");
    assert_eq!(
        root.attr("AssertionConsumerServiceURL"),
        Some("https://sentry.io/saml/acs/acme/")
    );
    assert_eq!(root.attr("IssueInstant"), Some(NOW));
    let issuer = doc.child_elements(doc.root()).next().unwrap();
    assert_eq!(doc.text(issuer), "https://sentry.io/saml/metadata/acme/");
    let id = root.attr("ID").unwrap().to_string();
    assert_eq!(
        percent_decode(query_param(&location, "RelayState").unwrap()).unwrap(),
        b"https://sentry.io/"
    );
    // Unsigned: the IdP does not ask for signed requests.
    assert!(query_param(&location, "Signature").is_none());

    // The response that answers this request is accepted as SP-initiated.
    let xml = signed_okta(|t| t.replace(FIXTURE_REQUEST_ID, &id));
    let r = post(&app, ACS, form(&xml, None)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.logins()[0].request_id.as_deref(), Some(id.as_str()));
    assert!(!app.logins()[0]
        .verdict
        .has("assertion/in-response-to-unchecked"));
}

#[tokio::test]
async fn login_posts_a_form_when_the_idp_has_only_post() {
    let app = app_with("metadata/rules/metadata__post-only-sso.xml", |_| {});
    let r = get(&app, "/saml/login/acme/").await;
    assert_eq!(r.status, StatusCode::OK);
    let csp = r.headers[CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("script-src 'sha256-"), "{csp}");
    let sso = app.settings().idp_sso.clone().unwrap();
    assert!(r
        .body
        .contains(&format!("<form method=\"post\" action=\"{}\">", sso.url)));
    let value = r
        .body
        .split("name=\"SAMLRequest\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    let xml = base64::engine::general_purpose::STANDARD
        .decode(value)
        .unwrap();
    let doc = Document::parse_bytes(&xml, Limits::MESSAGE).unwrap();
    let root = doc.element(doc.root()).unwrap();
    assert_eq!(root.local(), "AuthnRequest");
    assert_eq!(root.attr("Destination"), Some(sso.url.as_str()));
}

#[tokio::test]
async fn login_signs_when_the_idp_wants_it_and_a_key_is_given() {
    let key = fixture("keys/idp-rsa-next.key");
    let app = app_with(
        "metadata/rules/metadata__want-authn-requests-signed.xml",
        |s| {
            s.signer = Some(RequestSigner::from_pem(key.as_bytes(), None).unwrap());
        },
    );
    let r = get(&app, "/saml/login/acme/").await;
    assert_eq!(r.status, StatusCode::FOUND);
    let location = r.headers[LOCATION].to_str().unwrap();
    assert!(query_param(location, "SigAlg").is_some());
    assert!(query_param(location, "Signature").is_some());
    // Without a key, the request goes unsigned (the banner warns).
    let app = app_with(
        "metadata/rules/metadata__want-authn-requests-signed.xml",
        |_| {},
    );
    let r = get(&app, "/saml/login/acme/").await;
    assert!(query_param(r.headers[LOCATION].to_str().unwrap(), "Signature").is_none());
}

#[tokio::test]
async fn serves_the_sp_metadata() {
    let app = okta_app();
    let r = get(&app, "/saml/metadata/acme/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[CONTENT_TYPE], "application/samlmetadata+xml");
    let expected =
        samlcheck::sp::sp_metadata(&SpProfile::for_org("https://sentry.io", "acme")).unwrap();
    assert_eq!(r.body, expected);
}

fn deflate_b64(xml: &str) -> String {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(xml.as_bytes()).unwrap();
    base64::engine::general_purpose::STANDARD.encode(enc.finish().unwrap())
}

#[tokio::test]
async fn sls_reports_logout_requests_and_responses() {
    let app = okta_app();
    let request = r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lo1" Version="2.0" IssueInstant="2026-01-15T10:02:00Z" Destination="https://sentry.io/saml/sls/acme"><saml:Issuer>http://www.okta.com/exk1fcbhlwAcme5d7</saml:Issuer><saml:NameID>jane.doe@acme.example</saml:NameID><samlp:SessionIndex>s-1</samlp:SessionIndex></samlp:LogoutRequest>"#;
    let query = format!(
        "SAMLRequest={}&RelayState=x%3Cy&SigAlg={}",
        samlcheck::saml::authn_request::percent_encode(&deflate_b64(request)),
        samlcheck::saml::authn_request::percent_encode(
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
        )
    );
    let r = get(&app, &format!("/saml/sls/acme/?{query}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("samlp:LogoutRequest"));
    assert!(r.body.contains("jane.doe@acme.example"));
    assert!(r.body.contains("http://www.okta.com/exk1fcbhlwAcme5d7"));
    assert!(r.body.contains("s-1"));
    assert!(r.body.contains("signed in the URL"));
    assert!(r.body.contains("x&lt;y"));
    // The Destination lacks the trailing slash: said.
    assert!(r.body.contains("is not this SP's Single Logout URL"));

    let response = r#"<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" InResponseTo="_lo0" Version="2.0"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">http://www.okta.com/exk1fcbhlwAcme5d7</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"/><samlp:StatusMessage>no session</samlp:StatusMessage></samlp:Status></samlp:LogoutResponse>"#;
    let body = format!(
        "SAMLResponse={}",
        samlcheck::saml::authn_request::percent_encode(
            &base64::engine::general_purpose::STANDARD.encode(response)
        )
    );
    let r = post(&app, "/saml/sls/acme/", body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("the logout failed"));
    assert!(r.body.contains("status:Responder"));
    assert!(r.body.contains("no session"));
    assert!(r.body.contains("_lo0"));

    for bad in ["", "SAMLRequest=%%", "SAMLResponse=PHg%2BPC94Pg%3D%3D"] {
        let r = get(&app, &format!("/saml/sls/acme/?{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.body);
    }
}

#[tokio::test]
async fn index_and_api_list_recent_logins() {
    let app = okta_app();
    let r = get(&app, "/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("None yet"));
    assert!(r.body.contains("https://sentry.io/saml/acs/acme/"));
    assert!(r.body.contains("(Okta)"));
    let r = get(&app, "/api/logins").await;
    assert_eq!(r.body, "[]");

    post(
        &app,
        ACS,
        form(&fixture("responses/idp-initiated.xml"), None),
    )
    .await;
    post(&app, ACS, "SAMLResponse=%%%").await;
    let r = get(&app, "/").await;
    assert!(r.body.contains("<a href=\"/logins/1\">1</a>"));
    assert!(r.body.contains("<a href=\"/logins/2\">2</a>"));
    let r = get(&app, "/api/logins").await;
    assert_eq!(r.headers[CONTENT_TYPE], "application/json");
    let list: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["number"], 2);
    assert_eq!(list[0]["accepted"], false);
    assert_eq!(list[1]["accepted"], true);
    assert_eq!(list[1]["report"], "/logins/1");
    assert_eq!(list[1]["subject"]["name_id"], "jane.doe@acme.example");
    assert!(list[1]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "assertion/unsolicited"));
    assert_eq!(list[1]["preview"]["fields"][1]["field"], "email");

    let r = get(&app, "/logins/1").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Test login #1"));
    for missing in ["/logins/9", "/logins/abc", "/logins/-1"] {
        assert_eq!(get(&app, missing).await.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn recent_logins_are_capped() {
    let app = app_with("metadata/okta.xml", |s| s.limits.max_logins = 3);
    for _ in 0..10 {
        post(&app, ACS, "junk").await;
    }
    let logins = app.logins();
    assert_eq!(logins.len(), 3);
    assert_eq!(logins[0].number, 10);
    assert_eq!(get(&app, "/logins/1").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_paths_and_methods_say_what_is_served() {
    let app = okta_app();
    let r = post(&app, "/saml/acs/acme", fixture("responses/okta.form")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("trailing slash"), "{}", r.body);
    assert!(r.body.contains("https://sentry.io/saml/acs/acme/"));
    let r = post(&app, "/saml/acs/acme-corp/", "x").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(app.logins().is_empty());

    let r = get(&app, ACS).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.body.contains("/saml/login/acme/"));
    let r = send(
        &app,
        Request::builder()
            .method(Method::DELETE)
            .uri("/saml/metadata/acme/")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn routes_live_under_the_base_url_path() {
    let sp = SpProfile::for_org("https://sentry.company/tools", "ops");
    let settings = SpSettings::new(sp, fixture("metadata/okta.xml").as_bytes(), None).unwrap();
    let app = SpApp::new(settings).unwrap();
    assert_eq!(get(&app, "/tools/").await.status, StatusCode::OK);
    assert_eq!(
        get(&app, "/tools/saml/metadata/ops/").await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(&app, "/tools/saml/login/ops/").await.status,
        StatusCode::FOUND
    );
    assert_eq!(
        get(&app, "/saml/metadata/ops/").await.status,
        StatusCode::NOT_FOUND
    );
}
