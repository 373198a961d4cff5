//! Records `fixtures/captures/login-ok.har` from a real login, and derives the hand-broken
//! variants and the SAML-tracer export from it. Runs only with `SAMLCHECK_RECORD=1` (the
//! fixtures are committed; `tests/capture.rs` reads them):
//!
//! ```sh
//! SAMLCHECK_RECORD=1 cargo test --test capture_record -- --nocapture
//! ```
//!
//! Headless Chromium (Debian's `chromium` and `chromedriver`) walks the SP-initiated login
//! between the mock SP and the mock IdP on loopback, with Chrome's performance log on
//! (`goog:loggingPrefs` {"performance": "ALL"}). The `Network.requestWillBeSent` /
//! `Network.responseReceived` events are converted to HAR 1.2 entries, the way DevTools'
//! "Save all as HAR" writes them (query and form values left as sent; no response bodies,
//! which the performance log does not carry). WebDriver is spoken directly over HTTP, since
//! the log endpoint is a chromedriver extension.
//!
//! The variants, one per flow rule:
//! - `unanswered-request.har`: the recording stops at the IdP (no post to the ACS);
//! - `posted-to-wrong-url.har`: the IdP's form posted to the ACS URL without its trailing slash;
//! - `post-lost-on-redirect.har`: the post went to `http://`, the server answered 301 to
//!   `https://`, and the browser followed with a GET that carried nothing;
//! - `clock-skew.har`: a second recorded login, the mock IdP's clock 10 minutes ahead;
//! - `login-ok.saml-tracer.json`: the same login as SAML-tracer exports it.

mod external_support;

use std::path::Path;
use std::time::{Duration, Instant};

use base64::Engine;
use samlcheck::server::idp::{Clock, IdpKey, IdpSettings, RunningIdp};
use samlcheck::server::sp::{listen, SpApp, SpSettings};
use samlcheck::sp::SpProfile;
use serde_json::{json, Value};

use external_support::{free_port, require, wait_http, ChildGuard};

const USER: &str = "jane.doe@acme.example";

fn recording() -> bool {
    std::env::var("SAMLCHECK_RECORD").is_ok_and(|v| v == "1")
}

/// A WebDriver session on chromedriver, over plain HTTP.
struct Driver {
    base: String,
    session: String,
    agent: ureq::Agent,
}

impl Driver {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let resp = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, b) => self
                .agent
                .post(&url)
                .header("content-type", "application/json")
                .send(b.unwrap_or(json!({})).to_string()),
        };
        let mut resp = resp.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let v: Value = serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap();
        v["value"].clone()
    }

    fn find(&self, css: &str) -> Option<String> {
        let url = format!("{}/session/{}/element", self.base, self.session);
        let mut resp = self
            .agent
            .post(&url)
            .header("content-type", "application/json")
            .send(json!({"using": "css selector", "value": css}).to_string())
            .ok()?;
        let v: Value = serde_json::from_str(&resp.body_mut().read_to_string().ok()?).ok()?;
        v["value"]
            .as_object()?
            .values()
            .next()?
            .as_str()
            .map(str::to_string)
    }

    fn wait_for(&self, css: &str) -> String {
        let start = Instant::now();
        loop {
            if let Some(e) = self.find(css) {
                return e;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "no {css}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn record_login_har() {
    if !recording() {
        eprintln!("capture_record: set SAMLCHECK_RECORD=1 to re-record fixtures/captures/");
        return;
    }
    let Some(tools) = require(
        "capture_record",
        &["chromium", "chromedriver"],
        "chromium chromium-driver",
    ) else {
        return;
    };
    let har = record(&tools, Clock::System).await;
    write_all(&har);
    // The IdP's clock 10 minutes ahead: the SP refuses the assertion as not yet valid.
    let ahead = time::OffsetDateTime::now_utc() + time::Duration::minutes(10);
    let skewed = record(&tools, Clock::Fixed(ahead)).await;
    write("clock-skew.har", &skewed);
}

/// One login through a fresh pair of servers, the IdP on `idp_clock`, as a HAR.
async fn record(tools: &[std::path::PathBuf], idp_clock: Clock) -> Value {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sp_base = format!("http://{}", listener.local_addr().unwrap());
    let profile = SpProfile::for_org(&sp_base, "acme");
    let mut idp_settings = IdpSettings::new(profile.clone(), IdpKey::bundled_test_key().unwrap());
    idp_settings.user = None;
    idp_settings.clock = idp_clock;
    let idp = RunningIdp::start(idp_settings, "127.0.0.1:0", None)
        .await
        .unwrap();
    let settings = SpSettings::new(profile, idp.idp().metadata_xml().as_bytes(), None).unwrap();
    let app = SpApp::new(settings).unwrap();
    let sp = listen::spawn(listener, app.clone()).unwrap();

    let har = tokio::task::block_in_place(|| {
        let port = free_port();
        let log = std::env::temp_dir().join("samlcheck-record-chromedriver.log");
        let mut driver = ChildGuard::spawn(
            "chromedriver",
            std::process::Command::new(&tools[1]).arg(format!("--port={port}")),
            &log,
        )
        .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        wait_http(
            &format!("{base}/status"),
            Duration::from_secs(10),
            &mut driver,
        )
        .unwrap();
        let profile_dir = tempfile::tempdir().unwrap();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"performance": "ALL"},
            "goog:chromeOptions": {
                "binary": tools[0],
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync",
                         format!("--user-data-dir={}", profile_dir.path().display())],
                "perfLoggingPrefs": {"enableNetwork": true, "enablePage": false}
            }
        }}});
        let mut resp = agent
            .post(&format!("{base}/session"))
            .header("content-type", "application/json")
            .send(caps.to_string())
            .unwrap();
        let v: Value = serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap();
        let session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        let d = Driver {
            base,
            session,
            agent,
        };
        d.call(
            "POST",
            "/url",
            Some(json!({"url": format!("{sp_base}/saml/login/acme/")})),
        );
        let user = d.wait_for("#username");
        d.call(
            "POST",
            &format!("/element/{user}/value"),
            Some(json!({"text": USER})),
        );
        let submit = d.wait_for("button[type=submit]");
        d.call("POST", &format!("/element/{submit}/click"), None);
        d.wait_for("p.verdict");
        let events = d.call("POST", "/se/log", Some(json!({"type": "performance"})));
        d.call("DELETE", "", None);
        to_har(&events)
    });
    let _ = sp.stop().await;
    let _ = idp.stop().await;
    har
}

/// Chrome's performance log (Network.* events) as HAR 1.2.
fn to_har(events: &Value) -> Value {
    let mut entries: Vec<Value> = Vec::new();
    let mut current: std::collections::HashMap<String, usize> = Default::default();
    for e in events.as_array().expect("log entries") {
        let Some(msg) = e["message"]
            .as_str()
            .and_then(|m| serde_json::from_str::<Value>(m).ok())
        else {
            continue;
        };
        let method = msg["message"]["method"].as_str().unwrap_or("");
        let p = &msg["message"]["params"];
        let id = p["requestId"].as_str().unwrap_or("").to_string();
        match method {
            "Network.requestWillBeSent" => {
                let url = p["request"]["url"].as_str().unwrap_or("");
                if !url.starts_with("http") {
                    continue;
                }
                if let (Some(&i), false) = (current.get(&id), p["redirectResponse"].is_null()) {
                    entries[i]["response"] = response(&p["redirectResponse"], true);
                }
                let wall = p["wallTime"].as_f64().unwrap_or(0.0);
                let started =
                    time::OffsetDateTime::from_unix_timestamp_nanos((wall * 1e9) as i128).unwrap();
                let post = p["request"]["postData"]
                    .as_str()
                    .map(str::to_string)
                    .or_else(|| {
                        p["request"]["postDataEntries"].as_array().map(|es| {
                            es.iter()
                                .filter_map(|x| x["bytes"].as_str())
                                .filter_map(|b| {
                                    base64::engine::general_purpose::STANDARD.decode(b).ok()
                                })
                                .map(|b| String::from_utf8_lossy(&b).into_owned())
                                .collect::<String>()
                        })
                    });
                let headers = headers(&p["request"]["headers"]);
                let query: Vec<Value> = url
                    .split_once('?')
                    .map(|(_, q)| {
                        q.split('&')
                            .map(|kv| {
                                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                                json!({"name": k, "value": v})
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let mut request = json!({
                    "method": p["request"]["method"], "url": url, "httpVersion": "HTTP/1.1",
                    "headers": headers, "queryString": query, "cookies": [],
                    "headersSize": -1, "bodySize": post.as_ref().map_or(0, |b| b.len()),
                });
                if let Some(body) = post {
                    let mime = p["request"]["headers"]["Content-Type"]
                        .as_str()
                        .unwrap_or("application/x-www-form-urlencoded");
                    let params: Vec<Value> = body
                        .split('&')
                        .map(|kv| {
                            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                            json!({"name": k, "value": v})
                        })
                        .collect();
                    request["postData"] = json!({"mimeType": mime, "text": body, "params": params});
                }
                current.insert(id, entries.len());
                entries.push(json!({
                    "startedDateTime": started.format(&time::format_description::well_known::Rfc3339).unwrap(),
                    "time": 0, "request": request,
                    "response": {"status": 0, "statusText": "", "httpVersion": "", "headers": [],
                                 "cookies": [], "content": {"size": 0, "mimeType": "x-unknown"},
                                 "redirectURL": "", "headersSize": -1, "bodySize": -1},
                    "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}
                }));
            }
            "Network.responseReceived" => {
                if let Some(&i) = current.get(&id) {
                    entries[i]["response"] = response(&p["response"], false);
                }
            }
            _ => {}
        }
    }
    json!({"log": {
        "version": "1.2",
        "creator": {"name": "samlcheck tests/capture_record.rs (Chrome performance log)", "version": "1"},
        "pages": [],
        "entries": entries
    }})
}

fn headers(h: &Value) -> Vec<Value> {
    h.as_object()
        .map(|m| {
            m.iter()
                .flat_map(|(k, v)| {
                    v.as_str()
                        .unwrap_or("")
                        .split('\n')
                        .map(|v| json!({"name": k, "value": v}))
                        .collect::<Vec<_>>()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn response(r: &Value, redirect: bool) -> Value {
    let headers = headers(&r["headers"]);
    let location = r["headers"]
        .as_object()
        .and_then(|m| {
            m.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("location"))
                .and_then(|(_, v)| v.as_str())
        })
        .unwrap_or("");
    let mime = r["mimeType"].as_str().unwrap_or("x-unknown");
    json!({
        "status": r["status"], "statusText": r["statusText"],
        "httpVersion": r["protocol"].as_str().unwrap_or("http/1.1"),
        "headers": headers, "cookies": [],
        "content": {"size": 0, "mimeType": mime},
        "redirectURL": if redirect { location } else { "" },
        "headersSize": -1, "bodySize": -1
    })
}

fn entries(har: &mut Value) -> &mut Vec<Value> {
    har["log"]["entries"].as_array_mut().unwrap()
}

fn posts_response(e: &Value) -> bool {
    e["request"]["postData"]["text"]
        .as_str()
        .is_some_and(|t| t.contains("SAMLResponse="))
}

fn write(name: &str, v: &Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/captures")
        .join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut text = serde_json::to_string_pretty(v).unwrap();
    text.push('\n');
    std::fs::write(&path, text).unwrap();
    eprintln!("wrote {}", path.display());
}

fn write_all(har: &Value) {
    let acs = entries(&mut har.clone())
        .iter()
        .position(posts_response)
        .expect("the recording has the post to the ACS");
    write("login-ok.har", har);

    let mut v = har.clone();
    entries(&mut v).truncate(acs);
    write("unanswered-request.har", &v);

    let mut v = har.clone();
    let url = v["log"]["entries"][acs]["request"]["url"]
        .as_str()
        .unwrap()
        .to_string();
    v["log"]["entries"][acs]["request"]["url"] = json!(url.trim_end_matches('/'));
    write("posted-to-wrong-url.har", &v);

    let mut v = har.clone();
    let https = url.replacen("http://", "https://", 1);
    let started = v["log"]["entries"][acs]["startedDateTime"].clone();
    {
        let post = &mut v["log"]["entries"][acs];
        post["response"] = json!({
            "status": 301, "statusText": "Moved Permanently", "httpVersion": "http/1.1",
            "headers": [{"name": "Location", "value": https}, {"name": "Content-Length", "value": "0"}],
            "cookies": [], "content": {"size": 0, "mimeType": "text/html"},
            "redirectURL": https, "headersSize": -1, "bodySize": 0
        });
    }
    let es = entries(&mut v);
    es.truncate(acs + 1);
    es.push(json!({
        "startedDateTime": started, "time": 0,
        "request": {"method": "GET", "url": https, "httpVersion": "HTTP/1.1",
                    "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": 405, "statusText": "Method Not Allowed", "httpVersion": "http/1.1",
                     "headers": [], "cookies": [], "content": {"size": 0, "mimeType": "text/plain"},
                     "redirectURL": "", "headersSize": -1, "bodySize": 0},
        "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}
    }));
    write("post-lost-on-redirect.har", &v);

    write("login-ok.saml-tracer.json", &to_tracer(har));
}

/// The HAR as SAML-tracer (1.x) exports the same requests.
fn to_tracer(har: &Value) -> Value {
    let decode = |v: &str| samlcheck::saml::capture::exchange::form_decode(v);
    let mut requests = Vec::new();
    for (i, e) in har["log"]["entries"].as_array().unwrap().iter().enumerate() {
        let method = e["request"]["method"].as_str().unwrap_or("GET");
        let url = e["request"]["url"].as_str().unwrap_or("");
        let mut r = json!({
            "method": method, "url": url,
            "requestId": format!("request-{}-{method}-{:016x}", 1000 + i, i * 7919),
            "requestHeaders": e["request"]["headers"],
            "responseStatus": e["response"]["status"],
            "responseStatusText": format!("HTTP/1.1 {} {}", e["response"]["status"], e["response"]["statusText"].as_str().unwrap_or("")),
            "responseHeaders": e["response"]["headers"],
        });
        let mut saml = None;
        if method == "GET" {
            let get: Vec<Value> = url
                .split_once('?')
                .map(|(_, q)| {
                    q.split('&')
                        .map(|kv| {
                            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                            json!([decode(k), decode(v)])
                        })
                        .collect()
                })
                .unwrap_or_default();
            for p in &get {
                if p[0] == "SAMLRequest" || p[0] == "SAMLResponse" {
                    saml = p[1].as_str().map(str::to_string);
                }
            }
            r["get"] = json!(get);
        }
        if let Some(text) = e["request"]["postData"]["text"].as_str() {
            let post: Vec<Value> = text
                .split('&')
                .map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                    json!([decode(k), decode(v)])
                })
                .collect();
            for p in &post {
                if p[0] == "SAMLRequest" || p[0] == "SAMLResponse" {
                    saml = p[1].as_str().map(str::to_string);
                }
            }
            r["post"] = json!(post);
        }
        if let Some(value) = saml {
            let d = samlcheck::saml::binding::decode_message(value.as_bytes()).unwrap();
            r["protocol"] = json!("SAML-P");
            r["saml"] = json!(String::from_utf8(d.xml).unwrap());
        }
        requests.push(r);
    }
    let last = har["log"]["entries"]
        .as_array()
        .unwrap()
        .last()
        .map(|e| e["startedDateTime"].clone())
        .unwrap_or(json!(null));
    json!({"requests": requests, "timestamp": last})
}
