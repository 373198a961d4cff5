//! A test login in a real browser: headless Chromium (Debian's `chromium`), driven over
//! WebDriver through Debian's `chromedriver`, walks the whole SP-initiated flow between the
//! mock SP and the mock IdP running in process on loopback: the SP's login URL, the redirect
//! to the IdP's login page, a user name typed and submitted, the IdP's auto-submitting form
//! posting to the ACS (the browser runs that script, which no HTTP-client test does), and the
//! report page. What the page shows is asserted, and a screenshot is kept in
//! `target/browser-artifacts/`.
//!
//! Without chromium and chromedriver the tests skip with a message, except on CI (`CI` set),
//! where `.ci/run` installs them and their absence fails the run.
//!
//! `SAMLCHECK_UPDATE_SCREENSHOT=1` also copies the accepted report's screenshot to
//! `docs/images/serve-report.png` (the picture in docs/serve.md).

mod external_support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use samlcheck::server::idp::{Fault, IdpKey, IdpSettings, RunningIdp};
use samlcheck::server::sp::{listen, SpApp, SpSettings};
use samlcheck::sp::SpProfile;

use external_support::{artifacts_dir, free_port, log_tail, require, wait_http, ChildGuard};

const USER: &str = "jane.doe@acme.example";
/// How long one page may take to appear (loaded on 2 busy cores, with Chromium starting).
const PAGE_WAIT: Duration = Duration::from_secs(15);

/// chromedriver and the headless Chromium it starts, ended when dropped.
struct Browser {
    client: Option<Client>,
    /// Killed when the browser is dropped, after the session is closed.
    _driver: ChildGuard,
    driver_log: PathBuf,
    _profile: tempfile::TempDir,
}

impl Browser {
    async fn start(chromium: &Path, chromedriver: &Path, name: &str) -> Result<Browser, String> {
        let port = free_port();
        let driver_log =
            artifacts_dir("browser-artifacts").join(format!("{name}-chromedriver.log"));
        let mut driver = ChildGuard::spawn(
            "chromedriver",
            Command::new(chromedriver).arg(format!("--port={port}")),
            &driver_log,
        )
        .map_err(|e| format!("cannot start {}: {e}", chromedriver.display()))?;
        let url = format!("http://127.0.0.1:{port}");
        let status = format!("{url}/status");
        tokio::task::block_in_place(|| wait_http(&status, Duration::from_secs(10), &mut driver))?;

        let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
        // As root, headless, and with nothing reaching out: this machine's network is closed,
        // and Chromium's background fetches would only fail and slow it down.
        let args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--hide-scrollbars".into(),
            "--window-size=1100,900".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "chrome".into());
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "binary": chromium, "args": args }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&url)
            .await
            .map_err(|e| {
                format!(
                    "chromedriver could not start Chromium: {e}\n{}",
                    log_tail(&driver_log, 20)
                )
            })?;
        Ok(Browser {
            client: Some(client),
            _driver: driver,
            driver_log,
            _profile: profile,
        })
    }

    fn client(&self) -> &Client {
        self.client
            .as_ref()
            .expect("the session is open until close")
    }

    /// Ends the session, so chromedriver closes Chromium before it is itself killed.
    async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = client.close().await;
        }
    }
}

/// The mock IdP (showing its login page) and the mock SP, on free loopback ports.
struct Servers {
    sp_base: String,
    idp: RunningIdp,
    sp: listen::Running,
    app: SpApp,
}

async fn start_servers(fault: Option<Fault>) -> Servers {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sp_base = format!("http://{}", listener.local_addr().unwrap());
    let profile = SpProfile::for_org(&sp_base, "acme");
    let mut idp_settings = IdpSettings::new(profile.clone(), IdpKey::bundled_test_key().unwrap());
    // No configured user: the IdP shows its login page, as `samlcheck idp` without --user.
    idp_settings.user = None;
    idp_settings.fault = fault;
    let idp = RunningIdp::start(idp_settings, "127.0.0.1:0", None)
        .await
        .unwrap();
    let settings = SpSettings::new(profile, idp.idp().metadata_xml().as_bytes(), None).unwrap();
    let app = SpApp::new(settings).unwrap();
    let sp = listen::spawn(listener, app.clone()).unwrap();
    Servers {
        sp_base,
        idp,
        sp,
        app,
    }
}

/// What the browser saw on the way.
#[derive(Debug, Default)]
struct Seen {
    login_page_url: String,
    login_page_text: String,
    report_url: String,
    verdict: String,
    /// Text of the whole report page.
    text: String,
    /// `h2` headings of the report, in order.
    headings: Vec<String>,
    /// The preview's one-sentence summary (`Sentry would link ...`).
    preview_sentence: String,
    /// Rows of the table under a heading, as cell texts.
    preview_rows: Vec<Vec<String>>,
    subject_rows: Vec<Vec<String>>,
    attribute_rows: Vec<Vec<String>>,
    /// Rule ids of the findings, their expected and found values, and each one's fix.
    rules: Vec<String>,
    expected: Vec<String>,
    found: Vec<String>,
    fixes: Vec<String>,
    screenshot: Vec<u8>,
}

/// The cell texts of each row of the first table after the `h2` whose text starts with
/// `heading`.
async fn table_after(
    c: &Client,
    heading: &str,
) -> Result<Vec<Vec<String>>, fantoccini::error::CmdError> {
    let xpath = format!(
        "//h2[starts-with(normalize-space(.), '{heading}')]/following-sibling::table[1]//tr"
    );
    let mut rows = Vec::new();
    for tr in c.find_all(Locator::XPath(&xpath)).await? {
        let mut cells = Vec::new();
        for cell in tr.find_all(Locator::Css("th, td")).await? {
            cells.push(cell.text().await?.trim().to_string());
        }
        rows.push(cells);
    }
    Ok(rows)
}

async fn texts_of(
    c: &Client,
    locator: Locator<'_>,
) -> Result<Vec<String>, fantoccini::error::CmdError> {
    let mut out = Vec::new();
    for e in c.find_all(locator).await? {
        out.push(e.text().await?.trim().to_string());
    }
    Ok(out)
}

async fn texts(c: &Client, css: &str) -> Result<Vec<String>, fantoccini::error::CmdError> {
    texts_of(c, Locator::Css(css)).await
}

async fn texts_at(c: &Client, xpath: &str) -> Result<Vec<String>, fantoccini::error::CmdError> {
    texts_of(c, Locator::XPath(xpath)).await
}

/// Walks the login as a person would, and reads the report page.
async fn walk_login(c: &Client, sp_base: &str) -> Result<Seen, fantoccini::error::CmdError> {
    let mut seen = Seen::default();
    c.goto(&format!("{sp_base}/saml/login/acme/")).await?;
    // The SP redirected the browser to the IdP, which asks who is signing in.
    let username = c
        .wait()
        .at_most(PAGE_WAIT)
        .for_element(Locator::Id("username"))
        .await?;
    seen.login_page_url = c.current_url().await?.to_string();
    seen.login_page_text = c.find(Locator::Css("body")).await?.text().await?;
    username.send_keys(USER).await?;
    c.find(Locator::Css("button[type=submit]"))
        .await?
        .click()
        .await?;
    // The IdP's page posts the response to the ACS by script; the SP answers with the report.
    let verdict = c
        .wait()
        .at_most(PAGE_WAIT)
        .for_element(Locator::Css("p.verdict"))
        .await?;
    seen.verdict = verdict.text().await?;
    seen.report_url = c.current_url().await?.to_string();
    seen.text = c.find(Locator::Css("body")).await?.text().await?;
    seen.headings = texts(c, "h2").await?;
    seen.preview_sentence = c
        .find(Locator::XPath(
            "//h2[starts-with(normalize-space(.), 'Account')]/following-sibling::p[1]",
        ))
        .await?
        .text()
        .await?;
    seen.preview_rows = table_after(c, "Account").await?;
    seen.subject_rows = table_after(c, "Subject").await?;
    seen.attribute_rows = table_after(c, "Attributes").await?;
    seen.rules = texts(c, ".finding > p:first-child > code").await?;
    seen.expected = texts_at(
        c,
        "//div[contains(@class, 'finding')]//tr[th='expected']/td",
    )
    .await?;
    seen.found = texts_at(c, "//div[contains(@class, 'finding')]//tr[th='found']/td").await?;
    for fix in c
        .find_all(Locator::XPath(
            "//div[contains(@class, 'finding')]/p[strong[text()='Fix:']]",
        ))
        .await?
    {
        seen.fixes.push(fix.text().await?);
    }
    // The whole page in one picture: the window as tall as the document.
    let (_, _, width, height) = c.find(Locator::Css("html")).await?.rectangle().await?;
    let height = (height.ceil() as u32).clamp(600, 4000);
    c.set_window_size(width.ceil().max(800.0) as u32, height + 120)
        .await?;
    seen.screenshot = c.screenshot().await?;
    Ok(seen)
}

/// Starts everything, walks the login, stops everything; the assertions come after, so a
/// failed one never leaves Chromium running.
async fn browse(name: &str, fault: Option<Fault>) -> Option<(Seen, Servers)> {
    let tools = require(
        "browser test",
        &["chromium", "chromedriver"],
        "chromium chromium-driver",
    )?;
    let started = Instant::now();
    let servers = start_servers(fault).await;
    let browser = match Browser::start(&tools[0], &tools[1], name).await {
        Ok(b) => b,
        Err(e) => panic!("{e}"),
    };
    let walked = walk_login(browser.client(), &servers.sp_base).await;
    let driver_log = browser.driver_log.clone();
    browser.close().await;
    let seen = match walked {
        Ok(seen) => seen,
        Err(e) => panic!(
            "the browser could not complete the login: {e}\nchromedriver log:\n{}",
            log_tail(&driver_log, 30)
        ),
    };
    let shot = artifacts_dir("browser-artifacts").join(format!("{name}.png"));
    std::fs::write(&shot, &seen.screenshot).unwrap();
    external_support::say(&format!(
        "browser test {name}: {:.1} s, screenshot {}",
        started.elapsed().as_secs_f64(),
        shot.display()
    ));
    Some((seen, servers))
}

async fn stop(servers: Servers) -> SpApp {
    servers.sp.stop().await.unwrap();
    servers.idp.stop().await.unwrap();
    servers.app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_in_chromium_lands_on_an_accepted_report() {
    let Some((seen, servers)) = browse("report", None).await else {
        return;
    };
    let sp_base = servers.sp_base.clone();
    let idp_base = servers.idp.base_url().to_string();
    let app = stop(servers).await;

    // The SP sent the browser to the IdP's login page, naming the SP and its ACS.
    assert!(
        seen.login_page_url.starts_with(&format!("{idp_base}/sso")),
        "{}",
        seen.login_page_url
    );
    assert!(seen
        .login_page_text
        .contains(&format!("{sp_base}/saml/metadata/acme/")));
    assert!(seen
        .login_page_text
        .contains(&format!("{sp_base}/saml/acs/acme/")));

    // The report page, reached through the script-submitted form.
    assert!(seen.report_url.starts_with(&sp_base), "{}", seen.report_url);
    assert_eq!(seen.verdict, "ACCEPTED: Sentry would log this user in");
    assert_eq!(
        seen.preview_sentence,
        format!("Sentry would link user-id {USER}, email {USER}, name Jane Doe")
    );
    let row = |rows: &[Vec<String>], first: &str| -> Vec<String> {
        rows.iter()
            .find(|r| r.first().map(String::as_str) == Some(first))
            .cloned()
            .unwrap_or_else(|| panic!("no row {first:?} in {rows:?}"))
    };
    assert_eq!(row(&seen.subject_rows, "NameID")[1], USER);
    assert_eq!(
        row(&seen.subject_rows, "Format")[1],
        "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    );
    assert_eq!(row(&seen.attribute_rows, "email")[1], USER);
    assert_eq!(row(&seen.attribute_rows, "firstName")[1], "Jane");
    assert_eq!(row(&seen.attribute_rows, "lastName")[1], "Doe");
    // The mapping preview: which value each Sentry field would take.
    assert_eq!(row(&seen.preview_rows, "field"), ["field", "from", "value"]);
    assert!(seen
        .preview_rows
        .iter()
        .any(|r| r.last().map(String::as_str) == Some("Jane")));
    assert!(
        seen.headings.iter().any(|h| h == "Signatures") && seen.text.contains("verified"),
        "{}",
        seen.text
    );
    assert!(!seen
        .rules
        .iter()
        .any(|r| r.starts_with("assertion/audience")));

    // The server saw the same login, answering the request it sent.
    let logins = app.logins();
    assert_eq!(logins.len(), 1);
    assert!(logins[0].verdict.accepted);
    assert!(logins[0].request_id.is_some());

    if std::env::var_os("SAMLCHECK_UPDATE_SCREENSHOT").is_some() {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/images");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join("serve-report.png"), &seen.screenshot).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_faulty_idp_is_explained_in_chromium() {
    let Some((seen, servers)) = browse("fault", Some(Fault::AudienceMissingTrailingSlash)).await
    else {
        return;
    };
    let sp_base = servers.sp_base.clone();
    let app = stop(servers).await;
    let entity_id = format!("{sp_base}/saml/metadata/acme/");

    // The IdP's login page warned that a fault is on.
    assert!(
        seen.login_page_text
            .contains("audience-missing-trailing-slash"),
        "{}",
        seen.login_page_text
    );
    assert_eq!(seen.verdict, "REJECTED: Sentry would refuse this login");
    assert!(
        seen.rules
            .iter()
            .any(|r| r == "assertion/audience-mismatch"),
        "{:?}",
        seen.rules
    );
    // The exact value to set, with its slash, beside what the IdP sent, and where to set it.
    assert_eq!(seen.expected, std::slice::from_ref(&entity_id));
    assert_eq!(seen.found, [entity_id.trim_end_matches('/').to_string()]);
    assert!(
        seen.text.contains("the trailing slash is missing"),
        "{}",
        seen.text
    );
    assert_eq!(seen.fixes.len(), 1, "{:?}", seen.fixes);
    assert!(
        seen.fixes[0].starts_with("Fix:") && seen.fixes[0].contains("Audience URI"),
        "{:?}",
        seen.fixes
    );
    assert!(!app.logins()[0].verdict.accepted);
}
