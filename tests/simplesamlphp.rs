//! A real third-party IdP: SimpleSAMLphp from Debian's package, served by php's built-in web
//! server on loopback with a private configuration written here (SIMPLESAMLPHP_CONFIG_DIR): an
//! `exampleauth:UserPass` test user, the fixture IdP key, and the mock SP as its one
//! saml20-sp-remote entry. The mock SP trusts the metadata SimpleSAMLphp publishes; the test
//! logs in as a browser would (Redirect binding, cookies, the login form, the auto-post form to
//! the ACS) and the mock SP must accept the response.
//!
//! Without php and SimpleSAMLphp the test skips with a message, except on CI (`CI` set), where
//! `.ci/run` installs them and their absence fails the run. `SIMPLESAMLPHP_ROOT` points at
//! another installation (default `/usr/share/simplesamlphp`, Debian's).

mod external_support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use samlcheck::saml::authn_request::percent_encode;
use samlcheck::server::sp::{listen, SpApp, SpSettings};
use samlcheck::sp::vendor::Vendor;
use samlcheck::sp::SpProfile;

use external_support::{
    artifacts_dir, free_port, log_tail, missing_tools, require, say, wait_http, ChildGuard,
};

const USERNAME: &str = "jane";
const PASSWORD: &str = "correct horse battery staple";
const EMAIL: &str = "jane.doe@acme.example";
const NAMEID_EMAIL: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
const ATTRNAME_BASIC: &str = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic";

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path)
}

/// `text` as a single-quoted PHP string literal.
fn php(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// A PHP array literal of string keys and values (one level, or lists of strings).
fn php_map(entries: &[(&str, PhpValue)]) -> String {
    let mut out = String::from("[\n");
    for (key, value) in entries {
        let _ = writeln!(out, "    {} => {},", php(key), value.render());
    }
    out.push(']');
    out
}

enum PhpValue {
    Str(String),
    List(Vec<String>),
    Bool(bool),
    Raw(String),
}

impl PhpValue {
    fn render(&self) -> String {
        match self {
            PhpValue::Str(s) => php(s),
            PhpValue::List(items) => format!(
                "[{}]",
                items.iter().map(|i| php(i)).collect::<Vec<_>>().join(", ")
            ),
            PhpValue::Bool(b) => b.to_string(),
            PhpValue::Raw(r) => r.clone(),
        }
    }
}

fn s(text: &str) -> PhpValue {
    PhpValue::Str(text.to_string())
}

fn list(items: &[&str]) -> PhpValue {
    PhpValue::List(items.iter().map(|i| i.to_string()).collect())
}

/// A private SimpleSAMLphp configuration for one run: an IdP at `idp_base` for the SP
/// `sp` (the mock SP's org-slug URLs). The keys are those of SimpleSAMLphp 1.19's reference
/// documentation; everything that would reach out or persist is off or in `dir`.
fn write_config(dir: &Path, idp_base: &str, sp: &SpProfile) -> std::io::Result<PathBuf> {
    let config = dir.join("config");
    let metadata = dir.join("metadata");
    let cert = dir.join("cert");
    for d in [
        "config", "metadata", "cert", "tmp", "log", "data", "sessions",
    ] {
        std::fs::create_dir_all(dir.join(d))?;
    }
    std::fs::copy(fixture("keys/idp-rsa.key"), cert.join("idp.key"))?;
    std::fs::copy(fixture("keys/idp-rsa.crt"), cert.join("idp.crt"))?;
    let path = |name: &str| format!("{}/", dir.join(name).display());
    // Fresh per run: SimpleSAMLphp refuses to run on its default salt.
    let salt = hex(&random_bytes(16));
    let admin_password = hex(&random_bytes(16));

    let main = php_map(&[
        ("baseurlpath", s(&format!("{idp_base}/"))),
        ("certdir", s(&path("cert"))),
        ("metadatadir", s(&path("metadata"))),
        ("tempdir", s(&path("tmp"))),
        ("loggingdir", s(&path("log"))),
        ("datadir", s(&path("data"))),
        ("secretsalt", s(&salt)),
        ("auth.adminpassword", s(&admin_password)),
        ("technicalcontact_name", s("samlcheck tests")),
        ("technicalcontact_email", s("tests@samlcheck.invalid")),
        ("timezone", s("UTC")),
        ("enable.saml20-idp", PhpValue::Bool(true)),
        (
            "module.enable",
            PhpValue::Raw("['exampleauth' => true, 'core' => true, 'saml' => true]".into()),
        ),
        // Into php's stderr, which the test keeps as a log.
        ("logging.handler", s("stderr")),
        (
            "logging.level",
            PhpValue::Raw("\\SimpleSAML\\Logger::DEBUG".into()),
        ),
        ("store.type", s("phpsession")),
        ("session.phpsession.savepath", s(&path("sessions"))),
        ("session.cookie.secure", PhpValue::Bool(false)),
        ("admin.checkforupdates", PhpValue::Bool(false)),
        ("language.default", s("en")),
    ]);
    std::fs::write(
        config.join("config.php"),
        format!("<?php\n// Written by samlcheck's tests/simplesamlphp.rs for one run.\n$config = {main};\n"),
    )?;

    // One user, with the attribute names the simplesamlphp preset maps.
    let user = php_map(&[
        ("uid", list(&[USERNAME])),
        ("mail", list(&[EMAIL])),
        ("givenName", list(&["Jane"])),
        ("sn", list(&["Doe"])),
        ("eduPersonAffiliation", list(&["member", "staff"])),
    ]);
    std::fs::write(
        config.join("authsources.php"),
        format!(
            "<?php\n$config = [\n    'admin' => ['core:AdminPassword'],\n    'test-users' => [\n        'exampleauth:UserPass',\n        {} => {user},\n    ],\n];\n",
            php(&format!("{USERNAME}:{PASSWORD}"))
        ),
    )?;

    let idp = php_map(&[
        ("host", s("__DEFAULT__")),
        ("privatekey", s("idp.key")),
        ("certificate", s("idp.crt")),
        ("auth", s("test-users")),
        (
            "signature.algorithm",
            s("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"),
        ),
        ("userid.attribute", s("uid")),
    ]);
    std::fs::write(
        metadata.join("saml20-idp-hosted.php"),
        format!("<?php\n$metadata['__DYNAMIC:1__'] = {idp};\n"),
    )?;

    // The mock SP as an admin would enter it: its entity ID, ACS and SLS, an email NameID
    // taken from `mail`, attributes under their plain names.
    let remote = php_map(&[
        ("AssertionConsumerService", s(&sp.acs)),
        (
            "SingleLogoutService",
            s(sp.sls.as_deref().unwrap_or(&sp.acs)),
        ),
        ("NameIDFormat", s(NAMEID_EMAIL)),
        ("simplesaml.nameidattribute", s("mail")),
        ("attributes.NameFormat", s(ATTRNAME_BASIC)),
    ]);
    std::fs::write(
        metadata.join("saml20-sp-remote.php"),
        format!("<?php\n$metadata[{}] = {remote};\n", php(&sp.entity_id)),
    )?;
    Ok(config)
}

fn random_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0; n];
    openssl::rand::rand_bytes(&mut buf).expect("random bytes");
    buf
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An HTTP client that walks a login as a browser does: one cookie jar (cookies ignore
/// ports, so on 127.0.0.1 the SP and the IdP share it, as in a browser), redirects followed
/// by hand so each hop can be checked.
struct Walker {
    agent: ureq::Agent,
    cookies: BTreeMap<String, String>,
    /// Every URL visited, for a failure message.
    trail: Vec<String>,
}

/// One answer: the status, the final URL and the body.
struct Page {
    status: u16,
    url: String,
    body: String,
}

impl Walker {
    fn new() -> Walker {
        Walker {
            agent: ureq::Agent::config_builder()
                .max_redirects(0)
                .max_redirects_will_error(false)
                .http_status_as_error(false)
                .timeout_global(Some(Duration::from_secs(20)))
                .build()
                .into(),
            cookies: BTreeMap::new(),
            trail: Vec::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&mut self, response: &ureq::http::Response<ureq::Body>) {
        for value in response.headers().get_all("set-cookie") {
            let Ok(value) = value.to_str() else { continue };
            let pair = value.split(';').next().unwrap_or_default();
            if let Some((name, v)) = pair.split_once('=') {
                let (name, v) = (name.trim(), v.trim());
                if v.is_empty() || v == "deleted" {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_string(), v.to_string());
                }
            }
        }
    }

    /// GET or POST (form) `url`, then follow redirects (at most 10); returns the last page.
    fn go(&mut self, url: &str, form: Option<&str>) -> Result<Page, String> {
        let mut url = url.to_string();
        let mut form = form.map(str::to_string);
        for _ in 0..10 {
            self.trail.push(url.clone());
            let cookie = self.cookie_header();
            let result = match &form {
                Some(body) => {
                    let mut request = self
                        .agent
                        .post(&url)
                        .header("Content-Type", "application/x-www-form-urlencoded");
                    if !cookie.is_empty() {
                        request = request.header("Cookie", &cookie);
                    }
                    request.send(body.as_str())
                }
                None => {
                    let mut request = self.agent.get(&url);
                    if !cookie.is_empty() {
                        request = request.header("Cookie", &cookie);
                    }
                    request.call()
                }
            };
            let mut response = result.map_err(|e| format!("{url}: {e}"))?;
            self.keep_cookies(&response);
            let status = response.status().as_u16();
            if (300..400).contains(&status) {
                let location = response
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .ok_or_else(|| format!("{url}: {status} without Location"))?;
                url = resolve(&url, location);
                form = None;
                continue;
            }
            let body = response
                .body_mut()
                .read_to_string()
                .map_err(|e| format!("{url}: {e}"))?;
            return Ok(Page { status, url, body });
        }
        Err(format!("too many redirects: {:?}", self.trail))
    }
}

/// `location` resolved against `base` (absolute, absolute-path, or `?query`).
fn resolve(base: &str, location: &str) -> String {
    let location = html_unescape(location.trim());
    if location.starts_with("http://") || location.starts_with("https://") {
        return location;
    }
    let origin_end = base
        .find("://")
        .and_then(|i| base[i + 3..].find('/').map(|j| i + 3 + j))
        .unwrap_or(base.len());
    if location.starts_with('/') {
        return format!("{}{location}", &base[..origin_end]);
    }
    let without_query = base.split(['?', '#']).next().unwrap_or(base);
    if location.starts_with('?') || location.is_empty() {
        return format!("{without_query}{location}");
    }
    let dir_end = without_query
        .rfind('/')
        .map_or(without_query.len(), |i| i + 1);
    format!("{}{location}", &without_query[..dir_end])
}

fn html_unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#039;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in an HTML tag's text.
fn tag_attr(tag: &str, name: &str) -> Option<String> {
    for quote in ['"', '\''] {
        let needle = format!("{name}={quote}");
        let mut rest = tag;
        while let Some(i) = rest.find(&needle) {
            // A whole attribute name, not the end of another one (`data-name=`).
            let before = rest[..i].chars().last();
            let value_start = i + needle.len();
            if before.is_none_or(|c| c.is_whitespace()) {
                let value = rest[value_start..].split(quote).next()?;
                return Some(html_unescape(value));
            }
            rest = &rest[value_start..];
        }
    }
    None
}

/// A `<form>` on a page: its action and its named inputs (in order).
#[derive(Debug)]
struct Form {
    action: String,
    fields: Vec<(String, String)>,
}

/// The first form on `page` that has an input named `marker`.
fn find_form(page: &str, marker: &str) -> Option<Form> {
    for chunk in page.split("<form").skip(1) {
        let chunk = chunk.split("</form>").next().unwrap_or(chunk);
        let open = chunk.split('>').next().unwrap_or_default();
        let action = tag_attr(open, "action").unwrap_or_default();
        let mut fields = Vec::new();
        for input in chunk.split("<input").skip(1) {
            let tag = input.split('>').next().unwrap_or_default();
            if let Some(name) = tag_attr(tag, "name") {
                fields.push((name, tag_attr(tag, "value").unwrap_or_default()));
            }
        }
        if fields.iter().any(|(n, _)| n == marker) {
            return Some(Form { action, fields });
        }
    }
    None
}

fn form_body(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

const PACKAGES: &str = "simplesamlphp php-cli php-xml";

/// php and SimpleSAMLphp's www folder; `None` (after the message) when this machine lacks them.
fn simplesamlphp() -> Option<(PathBuf, PathBuf)> {
    const TEST: &str = "simplesamlphp test";
    let tools = require(TEST, &["php"], PACKAGES)?;
    let root = std::env::var_os("SIMPLESAMLPHP_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/share/simplesamlphp"));
    let www = root.join("www");
    if !www.join("saml2/idp/SSOService.php").is_file() {
        missing_tools(
            TEST,
            &format!("no SimpleSAMLphp at {}", root.display()),
            PACKAGES,
        );
        return None;
    }
    // Debian's simplesamlphp does not pull in php's DOM extension, without which every page
    // fails with 'Class "DOMDocument" not found'.
    let dom = Command::new(&tools[0])
        .args(["-r", "exit(class_exists('DOMDocument') ? 0 : 1);"])
        .status()
        .is_ok_and(|s| s.success());
    if !dom {
        missing_tools(TEST, "php has no DOM extension", PACKAGES);
        return None;
    }
    Some((tools[0].clone(), www))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_through_simplesamlphp_is_accepted_by_the_mock_sp() {
    let Some((php_bin, www)) = simplesamlphp() else {
        return;
    };
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();

    // The SP's port first: SimpleSAMLphp's configuration names the SP's URLs.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sp_base = format!("http://{}", listener.local_addr().unwrap());
    let profile = SpProfile::for_org(&sp_base, "acme");

    let port = free_port();
    let idp_base = format!("http://127.0.0.1:{port}");
    let config = write_config(dir.path(), &idp_base, &profile).unwrap();
    let log = artifacts_dir("simplesamlphp-artifacts").join("php-server.log");
    let mut server = ChildGuard::spawn(
        "php -S (SimpleSAMLphp)",
        Command::new(&php_bin)
            .arg("-S")
            .arg(format!("127.0.0.1:{port}"))
            .arg("-t")
            .arg(&www)
            .env("SIMPLESAMLPHP_CONFIG_DIR", &config),
        &log,
    )
    .unwrap();
    let metadata_url = format!("{idp_base}/saml2/idp/metadata.php");

    let walked = tokio::task::spawn_blocking({
        let metadata_url = metadata_url.clone();
        move || -> Result<(String, ChildGuard), String> {
            wait_http(&metadata_url, Duration::from_secs(15), &mut server)?;
            // The IdP metadata as SimpleSAMLphp publishes it, for the SP to trust.
            let page = Walker::new().go(&metadata_url, None)?;
            if page.status != 200 || !page.body.contains("IDPSSODescriptor") {
                return Err(format!(
                    "no IdP metadata at {metadata_url}: {}\n{}",
                    page.status,
                    excerpt(&page.body)
                ));
            }
            Ok((page.body, server))
        }
    })
    .await
    .unwrap();
    let (idp_metadata, server) = match walked {
        Ok(v) => v,
        Err(e) => panic!("{e}\nphp server log:\n{}", log_tail(&log, 40)),
    };

    let settings = SpSettings::new(profile, idp_metadata.as_bytes(), None).unwrap();
    // The real product's metadata is recognized, and its preset maps the attributes.
    assert_eq!(settings.vendor, Some(Vendor::SimpleSamlPhp));
    let app = SpApp::new(settings).unwrap();
    let sp = listen::spawn(listener, app.clone()).unwrap();

    let login = tokio::task::spawn_blocking({
        let sp_base = sp_base.clone();
        let idp_base = idp_base.clone();
        move || login(&sp_base, &idp_base)
    })
    .await
    .unwrap();
    sp.stop().await.unwrap();
    drop(server);
    let (walk, status, report) = match login {
        Ok(v) => v,
        Err(e) => panic!("{e}\nphp server log:\n{}", log_tail(&log, 60)),
    };
    std::fs::write(
        artifacts_dir("simplesamlphp-artifacts").join("report.html"),
        &report,
    )
    .unwrap();
    say(&format!(
        "simplesamlphp test: {:.1} s, {} hops",
        started.elapsed().as_secs_f64(),
        walk.len()
    ));

    // The walk went SP -> SimpleSAMLphp (login form) -> SP's ACS.
    assert!(
        walk[0].starts_with(&format!("{sp_base}/saml/login/acme/")),
        "{walk:?}"
    );
    assert!(
        walk.iter()
            .any(|u| u.starts_with(&format!("{idp_base}/saml2/idp/SSOService.php"))),
        "{walk:?}"
    );
    assert_eq!(
        walk.last().map(String::as_str),
        Some(format!("{sp_base}/saml/acs/acme/").as_str())
    );

    assert_eq!(status, 200, "{report}");
    assert!(
        report.contains("ACCEPTED: Sentry would log this user in"),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "Sentry would link user-id {USERNAME}, email {EMAIL}, name Jane Doe"
        )),
        "{report}"
    );

    let logins = app.logins();
    assert_eq!(logins.len(), 1);
    let verdict = &logins[0].verdict;
    assert!(verdict.accepted, "{:?}", verdict.findings);
    // SimpleSAMLphp answered the AuthnRequest the SP sent, with the RelayState it was given.
    assert!(logins[0].request_id.is_some());
    assert!(!verdict.has("assertion/unsolicited"));
    let subject = verdict.subject.as_ref().unwrap();
    assert_eq!(subject.name_id, EMAIL);
    assert_eq!(subject.format, NAMEID_EMAIL);
    let attr = |name: &str| verdict.attributes.get(name).cloned().unwrap_or_default();
    assert_eq!(attr("uid"), [USERNAME]);
    assert_eq!(attr("mail"), [EMAIL]);
    assert_eq!(attr("givenName"), ["Jane"]);
    assert_eq!(attr("sn"), ["Doe"]);
    assert_eq!(attr("eduPersonAffiliation"), ["member", "staff"]);
    // Signed by the key in the metadata SimpleSAMLphp published (the fixture key).
    assert!(!verdict.signatures.is_empty());
    assert!(
        verdict.signatures.iter().all(|s| s.verified),
        "{:?}",
        verdict.signatures
    );
    // Whatever SimpleSAMLphp does that is worth a note is reported, but nothing blocks.
    assert!(
        verdict
            .findings
            .iter()
            .all(|f| f.severity != samlcheck::checks::Severity::Error),
        "{:?}",
        verdict.findings
    );
}

/// The login, as a browser: returns the URLs visited, and the ACS's status and report page.
fn login(sp_base: &str, idp_base: &str) -> Result<(Vec<String>, u16, String), String> {
    let mut w = Walker::new();
    // The SP sends the browser to SimpleSAMLphp, which asks for a user name and password.
    let page = w.go(&format!("{sp_base}/saml/login/acme/"), None)?;
    // An IdP offering only HTTP-POST gets the request through the SP's auto-post form.
    let page = match find_form(&page.body, "SAMLRequest") {
        Some(form) => w.go(
            &resolve(&page.url, &form.action),
            Some(&form_body(&form.fields)),
        )?,
        None => page,
    };
    if !page.url.starts_with(idp_base) {
        return Err(format!(
            "the SP did not send the browser to SimpleSAMLphp: {:?}",
            w.trail
        ));
    }
    let mut form = find_form(&page.body, "password").ok_or_else(|| {
        format!(
            "no login form at {} ({}): {}",
            page.url,
            page.status,
            excerpt(&page.body)
        )
    })?;
    for (name, value) in &mut form.fields {
        match name.as_str() {
            "username" => *value = USERNAME.into(),
            "password" => *value = PASSWORD.into(),
            _ => {}
        }
    }
    let page = w.go(
        &resolve(&page.url, &form.action),
        Some(&form_body(&form.fields)),
    )?;
    // SimpleSAMLphp answers with the HTTP-POST binding's form to the ACS.
    let form = find_form(&page.body, "SAMLResponse").ok_or_else(|| {
        format!(
            "no SAMLResponse form at {} ({}): {}",
            page.url,
            page.status,
            excerpt(&page.body)
        )
    })?;
    let acs = resolve(&page.url, &form.action);
    let fields: Vec<(String, String)> = form
        .fields
        .into_iter()
        .filter(|(n, _)| n == "SAMLResponse" || n == "RelayState")
        .collect();
    let report = w.go(&acs, Some(&form_body(&fields)))?;
    Ok((w.trail, report.status, report.body))
}

/// The start of a page, for a failure message.
fn excerpt(body: &str) -> String {
    body.chars().take(1500).collect()
}
