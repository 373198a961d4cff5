//! The mock IdP's routes, in process (tower `oneshot`): metadata, SP-initiated login over the
//! HTTP-Redirect and HTTP-POST bindings, the login page, IdP-initiated login, and bad input.

use std::io::Write;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use base64::Engine;
use samlcheck::checks::response::{verify_response, Verdict, VerifyOptions};
use samlcheck::saml::metadata::{EntityDescriptor, IdpMetadata};
use samlcheck::saml::time::parse_instant;
use samlcheck::server::idp::{router, Clock, Fault, IdpKey, IdpSettings, MockIdp};
use samlcheck::sp::SpProfile;
use samlcheck::xml::{Document, Limits};
use tower::ServiceExt;

const BASE: &str = "http://idp.test:8081";
const NOW: &str = "2026-01-15T10:00:00Z";
/// The SP that sends the requests: not the configured one, so the request's ACS must win.
const SP_BASE: &str = "http://127.0.0.1:9999";

fn idp(user: Option<&str>, fault: Option<Fault>) -> Arc<MockIdp> {
    let sp = SpProfile::for_org("http://127.0.0.1:8080", "acme");
    let mut settings = IdpSettings::new(sp, IdpKey::bundled_test_key().unwrap());
    settings.user = user.map(str::to_string);
    settings.fault = fault;
    settings.clock = Clock::Fixed(parse_instant(NOW).unwrap());
    Arc::new(MockIdp::new(settings, BASE))
}

struct Answer {
    status: StatusCode,
    content_type: String,
    body: String,
}

async fn send(idp: &Arc<MockIdp>, request: Request<Body>) -> Answer {
    let response = router(idp.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    Answer {
        status,
        content_type,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn get(idp: &Arc<MockIdp>, uri: &str) -> Answer {
    send(idp, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(idp: &Arc<MockIdp>, uri: &str, form: &str) -> Answer {
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .unwrap();
    send(idp, request).await
}

fn authn_request(id: &str) -> String {
    format!(
        r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{NOW}" Destination="{BASE}/sso" AssertionConsumerServiceURL="{SP_BASE}/saml/acs/acme/" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"><saml:Issuer>{SP_BASE}/saml/metadata/acme/</saml:Issuer></samlp:AuthnRequest>"#
    )
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Percent-encoding for a query or form value.
fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Raw DEFLATE, then base64.
fn deflated_b64(xml: &str) -> String {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(xml.as_bytes()).unwrap();
    b64(&enc.finish().unwrap())
}

/// The HTTP-Redirect binding's SAMLRequest: raw DEFLATE, base64, URL-encoded.
fn redirect_value(xml: &str) -> String {
    url_encode(&deflated_b64(xml))
}

fn html_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The value of the form input named `name` in a page.
fn input(page: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker)? + marker.len();
    let end = page[start..].find('"')? + start;
    Some(html_unescape(&page[start..end]))
}

fn form_action(page: &str) -> String {
    let marker = "<form method=\"post\" action=\"";
    let start = page.find(marker).unwrap() + marker.len();
    let end = page[start..].find('"').unwrap() + start;
    html_unescape(&page[start..end])
}

async fn metadata(idp: &Arc<MockIdp>) -> IdpMetadata {
    let answer = get(idp, "/metadata").await;
    IdpMetadata::parse(answer.body.as_bytes(), None).unwrap()
}

/// Verifies the SAMLResponse an auto-post page carries, as the SP at `SP_BASE` would.
async fn verify_page(idp: &Arc<MockIdp>, page: &str, request_id: Option<&str>) -> Verdict {
    let value = input(page, "SAMLResponse").expect("a SAMLResponse field");
    let sp = SpProfile::for_org(SP_BASE, "acme");
    let mut options = VerifyOptions::at(parse_instant(NOW).unwrap());
    options.request_id = request_id.map(str::to_string);
    verify_response(value.as_bytes(), &metadata(idp).await, &sp, &options)
}

#[tokio::test]
async fn metadata_route_serves_parseable_idp_metadata() {
    let idp = idp(None, None);
    let answer = get(&idp, "/metadata").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.content_type, "application/samlmetadata+xml");
    let md = IdpMetadata::parse(answer.body.as_bytes(), None).unwrap();
    assert_eq!(md.entity_id, format!("{BASE}/metadata"));
    assert_eq!(md.signing_keys.len(), 1);

    let doc = Document::parse(&answer.body, Limits::METADATA).unwrap();
    let entity = EntityDescriptor::read(&doc, doc.root()).unwrap();
    let role = entity.idp().unwrap();
    let sso: Vec<(Option<&str>, Option<&str>)> = role
        .endpoints_of("SingleSignOnService")
        .map(|e| (e.binding.as_deref(), e.location.as_deref()))
        .collect();
    let location = format!("{BASE}/sso");
    assert_eq!(
        sso,
        [
            (
                Some("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"),
                Some(location.as_str())
            ),
            (
                Some("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"),
                Some(location.as_str())
            ),
        ]
    );
    let advertised: Vec<&str> = role.attributes.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(advertised, ["email", "firstName", "lastName"]);
}

#[tokio::test]
async fn redirect_binding_request_is_answered_with_a_form_to_its_acs() {
    let idp = idp(Some("jane.doe@acme.example"), None);
    let uri = format!(
        "/sso?SAMLRequest={}&RelayState={}",
        redirect_value(&authn_request("_req-redirect")),
        url_encode("/organizations/acme/?a=1&b=<2>")
    );
    let answer = get(&idp, &uri).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.content_type, "text/html; charset=utf-8");
    assert_eq!(
        form_action(&answer.body),
        format!("{SP_BASE}/saml/acs/acme/")
    );
    assert!(answer.body.contains("document.forms[0].submit()"));
    assert_eq!(
        input(&answer.body, "RelayState").as_deref(),
        Some("/organizations/acme/?a=1&b=<2>")
    );
    assert!(!answer.body.contains("b=<2>"), "RelayState is escaped");
    let v = verify_page(&idp, &answer.body, Some("_req-redirect")).await;
    assert!(v.accepted, "{:#?}", v.findings);
    assert_eq!(v.subject.unwrap().name_id, "jane.doe@acme.example");
}

#[tokio::test]
async fn post_binding_request_is_answered_too() {
    let idp = idp(Some("jane.doe@acme.example"), None);
    let form = format!(
        "SAMLRequest={}&RelayState=state+1",
        url_encode(&b64(authn_request("_req-post").as_bytes()))
    );
    let answer = post(&idp, "/sso", &form).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        input(&answer.body, "RelayState").as_deref(),
        Some("state 1")
    );
    let v = verify_page(&idp, &answer.body, Some("_req-post")).await;
    assert!(v.accepted, "{:#?}", v.findings);
}

#[tokio::test]
async fn without_a_user_the_login_page_asks_and_its_form_logs_in() {
    let idp = idp(None, None);
    let uri = format!(
        "/sso?SAMLRequest={}&RelayState=rs",
        redirect_value(&authn_request("_req-login"))
    );
    let page = get(&idp, &uri).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(form_action(&page.body), format!("{BASE}/sso/login"));
    assert!(page.body.contains("name=\"username\""));
    assert!(page.body.contains("type=\"submit\""));
    assert!(page.body.contains("test key"));
    assert!(input(&page.body, "SAMLResponse").is_none());

    // Submit the form as a browser would.
    let form = format!(
        "SAMLRequest={}&RelayState={}&username={}",
        url_encode(&input(&page.body, "SAMLRequest").unwrap()),
        url_encode(&input(&page.body, "RelayState").unwrap()),
        url_encode("john.smith@acme.example"),
    );
    let answer = post(&idp, "/sso/login", &form).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(input(&answer.body, "RelayState").as_deref(), Some("rs"));
    let v = verify_page(&idp, &answer.body, Some("_req-login")).await;
    assert!(v.accepted, "{:#?}", v.findings);
    assert_eq!(v.subject.unwrap().name_id, "john.smith@acme.example");
    assert_eq!(v.attributes["firstName"], ["John"]);

    let empty = format!(
        "SAMLRequest={}&username=+",
        url_encode(&input(&page.body, "SAMLRequest").unwrap())
    );
    let again = post(&idp, "/sso/login", &empty).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.body.contains("Enter a user name"));
    assert!(again.body.contains("name=\"username\""));
}

#[tokio::test]
async fn malformed_saml_request_gets_a_400_that_says_why() {
    let idp = idp(Some("jane.doe@acme.example"), None);
    // Cut where base64 is still whole, as a copy and paste that lost the end would.
    let truncated = url_encode(&deflated_b64(&authn_request("_r"))[..40]);
    let answer = get(&idp, &format!("/sso?SAMLRequest={truncated}")).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer.body.contains("the SAMLRequest could not be decoded"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("inflate failed"), "{}", answer.body);

    // Decoded text is echoed in the message, escaped.
    let markup = url_encode(&b64(b"not xml<script>alert(1)</script>"));
    let answer = get(&idp, &format!("/sso?SAMLRequest={markup}")).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.body.contains("not XML"), "{}", answer.body);
    assert!(answer.body.contains("&lt;script&gt;"), "{}", answer.body);
    assert!(!answer.body.contains("<script>"), "{}", answer.body);

    let response = url_encode(&b64(
        b"<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>",
    ));
    let answer = get(&idp, &format!("/sso?SAMLRequest={response}")).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer.body.contains("not a samlp:AuthnRequest"),
        "{}",
        answer.body
    );

    let answer = get(&idp, "/sso").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer.body.contains("/sso/idp-initiated"),
        "{}",
        answer.body
    );

    let evil_acs =
        authn_request("_r").replace(&format!("{SP_BASE}/saml/acs/acme/"), "javascript:alert(1)");
    let answer = get(
        &idp,
        &format!("/sso?SAMLRequest={}", redirect_value(&evil_acs)),
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(!answer.body.contains("action=\"javascript"));
}

#[tokio::test]
async fn idp_initiated_login_posts_an_unsolicited_response() {
    let idp = idp(Some("jane.doe@acme.example"), None);
    let acs = format!("{SP_BASE}/saml/acs/acme/");
    let answer = get(
        &idp,
        &format!("/sso/idp-initiated?acs={}", url_encode(&acs)),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(form_action(&answer.body), acs);
    let value = input(&answer.body, "SAMLResponse").unwrap();
    let xml = base64::engine::general_purpose::STANDARD
        .decode(value.as_bytes())
        .unwrap();
    assert!(!String::from_utf8(xml).unwrap().contains("InResponseTo"));
    // The Audience is the configured SP's entity ID; the ACS is the one asked for.
    let sp = SpProfile {
        acs: acs.clone(),
        ..SpProfile::for_org("http://127.0.0.1:8080", "acme")
    };
    let v = verify_response(
        value.as_bytes(),
        &metadata(&idp).await,
        &sp,
        &VerifyOptions::at(parse_instant(NOW).unwrap()),
    );
    assert!(v.accepted, "{:#?}", v.findings);

    let bad = get(&idp, "/sso/idp-initiated?acs=javascript%3Aalert(1)").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let no_user = self::idp(None, None);
    let page = get(&no_user, "/sso/idp-initiated").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        input(&page.body, "acs").as_deref(),
        Some("http://127.0.0.1:8080/saml/acs/acme/")
    );
}

#[tokio::test]
async fn a_fault_shows_in_the_posted_response() {
    let idp = idp(Some("jane.doe@acme.example"), Some(Fault::WrongAudience));
    let uri = format!(
        "/sso?SAMLRequest={}",
        redirect_value(&authn_request("_req-fault"))
    );
    let answer = get(&idp, &uri).await;
    assert!(answer.body.contains("wrong-audience"));
    let v = verify_page(&idp, &answer.body, Some("_req-fault")).await;
    assert!(!v.accepted);
    assert!(v.has("assertion/audience-mismatch"), "{:#?}", v.findings);
}

#[tokio::test]
async fn index_and_unknown_paths() {
    let idp = idp(None, None);
    let index = get(&idp, "/").await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.body.contains(&format!("{BASE}/metadata")));
    let missing = get(&idp, "/nope").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn running_idp_serves_in_process_until_stopped() {
    use samlcheck::server::idp::RunningIdp;
    let sp = SpProfile::for_org("http://127.0.0.1:8080", "acme");
    let mut settings = IdpSettings::new(sp, IdpKey::bundled_test_key().unwrap());
    settings.user = Some("jane.doe@acme.example".into());
    let running = RunningIdp::start(settings, "127.0.0.1:0", None)
        .await
        .unwrap();
    let url = format!("{}/metadata", running.base_url());
    assert_eq!(running.idp().entity_id(), url);
    let fetched = tokio::task::spawn_blocking(move || {
        ureq::get(&url)
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(fetched, running.idp().metadata_xml());
    let addr = running.addr();
    running.stop().await.unwrap();
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "still listening"
    );
}
