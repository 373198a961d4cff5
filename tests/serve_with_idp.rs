//! The mock SP and the mock IdP together over loopback, in process: an SP-initiated login
//! walked as a browser would (login URL, redirect to the IdP, auto-posted form back to the
//! ACS), once with a well-behaved IdP and once with a fault the report must name.

use std::time::Duration;

use samlcheck::server::idp::{Fault, IdpKey, IdpSettings, RunningIdp};
use samlcheck::server::sp::{listen, SpApp, SpSettings};
use samlcheck::sp::SpProfile;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .max_redirects(0)
        .max_redirects_will_error(false)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

/// The value of `name="..." value="..."` in a page, HTML-unescaped for the few entities used.
fn hidden(page: &str, name: &str) -> Option<String> {
    let value = page
        .split(&format!("name=\"{name}\" value=\""))
        .nth(1)?
        .split('"')
        .next()?;
    Some(
        value
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

fn form_value(text: &str) -> String {
    samlcheck::saml::authn_request::percent_encode(text)
}

/// Logs in through both servers; returns the ACS status and report page, and the SP.
async fn login(fault: Option<Fault>) -> (u16, String, SpApp) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sp_base = format!("http://{}", listener.local_addr().unwrap());
    let profile = SpProfile::for_org(&sp_base, "acme");

    let mut idp_settings = IdpSettings::new(profile.clone(), IdpKey::bundled_test_key().unwrap());
    idp_settings.user = Some("jane.doe@acme.example".into());
    idp_settings.fault = fault;
    let idp = RunningIdp::start(idp_settings, "127.0.0.1:0", None)
        .await
        .unwrap();

    let settings = SpSettings::new(profile, idp.idp().metadata_xml().as_bytes(), None).unwrap();
    let app = SpApp::new(settings).unwrap();
    let sp = listen::spawn(listener, app.clone()).unwrap();

    let (status, page) = tokio::task::spawn_blocking(move || {
        let agent = agent();
        let r = agent
            .get(&format!("{sp_base}/saml/login/acme/"))
            .call()
            .unwrap();
        assert_eq!(r.status().as_u16(), 302);
        let to_idp = r.headers()["location"].to_str().unwrap().to_string();
        let mut r = agent.get(&to_idp).call().unwrap();
        let idp_page = r.body_mut().read_to_string().unwrap();
        assert!(
            idp_page.contains(&format!("action=\"{sp_base}/saml/acs/acme/\"")),
            "{idp_page}"
        );
        let mut body = format!(
            "SAMLResponse={}",
            form_value(&hidden(&idp_page, "SAMLResponse").unwrap())
        );
        if let Some(rs) = hidden(&idp_page, "RelayState") {
            body.push_str(&format!("&RelayState={}", form_value(&rs)));
        }
        let r = agent
            .post(&format!("{sp_base}/saml/acs/acme/"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(&body)
            .unwrap();
        let status = r.status().as_u16();
        (status, r.into_body().read_to_string().unwrap())
    })
    .await
    .unwrap();
    sp.stop().await.unwrap();
    idp.stop().await.unwrap();
    (status, page, app)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sp_initiated_login_through_the_mock_idp_is_accepted() {
    let (status, page, app) = login(None).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("ACCEPTED"));
    assert!(page.contains("jane.doe@acme.example"));
    let login = &app.logins()[0];
    // It answers the request the login route sent, and RelayState came back.
    assert!(login.request_id.is_some());
    assert!(!login.verdict.has("assertion/unsolicited"));
    assert!(login.relay_state.as_deref().unwrap_or("").ends_with('/'));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_faulty_idp_is_explained() {
    let (status, page, app) = login(Some(Fault::AudienceMissingTrailingSlash)).await;
    assert_eq!(status, 403, "{page}");
    assert!(page.contains("assertion/audience-mismatch"), "{page}");
    assert!(app.logins()[0].verdict.has("assertion/audience-mismatch"));
}
