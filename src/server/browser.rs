//! A scripted browser for test logins through the mock servers: it follows redirects and
//! submits the self-submitting forms of the HTTP-POST binding (the one form both mock servers
//! write, [`crate::report::html::auto_post_form`]), as a browser with scripts on does, and
//! records every step. It stays on loopback: a step anywhere else is refused, so a demo can
//! never reach the network. Blocking (ureq): run it off the async runtime.

use std::time::Duration;

use crate::saml::authn_request::percent_encode;

/// Steps a login may take (login URL, IdP, ACS and a few spare) before it is called a loop.
pub const MAX_STEPS: usize = 10;
/// What the self-submitting form runs; a page without it is where a browser would stop.
const AUTO_SUBMIT: &str = "document.forms[0].submit();";

/// One request the browser made.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    pub method: &'static str,
    pub url: String,
    pub status: u16,
    /// Where it led: the redirect's Location or the form's action.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// A finished walk: every step, and the page it stopped on.
#[derive(Debug, Clone)]
pub struct Walk {
    pub steps: Vec<Step>,
    pub status: u16,
    pub page: String,
}

/// Why a walk stopped before reaching a page.
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    #[error("{method} {url} failed: {source}")]
    Http {
        method: &'static str,
        url: String,
        #[source]
        source: Box<ureq::Error>,
    },
    #[error("{url} is not a loopback http URL; this browser only visits the mock servers")]
    NotLoopback { url: String },
    #[error("{url} answered {status} without a usable Location")]
    NoLocation { url: String, status: u16 },
    #[error("the self-submitting form at {url} has no action")]
    NoAction { url: String },
    #[error("no page after {MAX_STEPS} steps: a redirect loop?")]
    TooManySteps { steps: Vec<Step> },
}

/// The next request.
enum Next {
    Get(String),
    Post(String, String),
}

#[derive(Debug, Clone)]
pub struct Browser {
    agent: ureq::Agent,
}

impl Browser {
    /// A browser whose every request (body included) ends within `timeout`.
    pub fn new(timeout: Duration) -> Browser {
        let agent = ureq::Agent::config_builder()
            // Redirects are followed here, to see and check each one.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .http_status_as_error(false)
            // Loopback only: an http_proxy in the environment must not see these requests.
            .proxy(None)
            .timeout_global(Some(timeout))
            .build()
            .into();
        Browser { agent }
    }

    /// Opens `start` and goes where redirects and self-submitting forms lead.
    pub fn walk(&self, start: &str) -> Result<Walk, BrowserError> {
        let mut steps = Vec::new();
        let mut next = Next::Get(start.to_string());
        for _ in 0..MAX_STEPS {
            let (method, url) = match &next {
                Next::Get(url) => ("GET", url.clone()),
                Next::Post(url, _) => ("POST", url.clone()),
            };
            if !is_loopback(&url) {
                return Err(BrowserError::NotLoopback { url });
            }
            let sent = match &next {
                Next::Get(url) => self.agent.get(url).call(),
                Next::Post(url, body) => self
                    .agent
                    .post(url)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .send(body.as_str()),
            };
            let http = |source| BrowserError::Http {
                method,
                url: url.clone(),
                source: Box::new(source),
            };
            let mut response = sent.map_err(http)?;
            let status = response.status().as_u16();
            if (300..400).contains(&status) {
                let location = response
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|l| resolve(&url, l))
                    .ok_or_else(|| BrowserError::NoLocation {
                        url: url.clone(),
                        status,
                    })?;
                steps.push(Step {
                    method,
                    url,
                    status,
                    next: Some(location.clone()),
                });
                next = Next::Get(location);
                continue;
            }
            let page = response.body_mut().read_to_string().map_err(http)?;
            let Some(form) = auto_submitted_form(&page) else {
                steps.push(Step {
                    method,
                    url,
                    status,
                    next: None,
                });
                return Ok(Walk {
                    steps,
                    status,
                    page,
                });
            };
            let action = form
                .action
                .as_deref()
                .and_then(|a| resolve(&url, a))
                .ok_or_else(|| BrowserError::NoAction { url: url.clone() })?;
            steps.push(Step {
                method,
                url,
                status,
                next: Some(action.clone()),
            });
            next = Next::Post(action, form.body());
        }
        Err(BrowserError::TooManySteps { steps })
    }
}

/// `http://127.0.0.1...`, `http://localhost...` or `http://[::1]...`, nothing else.
fn is_loopback(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let host_port = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host_port.split(':').next().unwrap_or(""),
    };
    // Userinfo could make `127.0.0.1@elsewhere` look local.
    !host_port.contains('@') && matches!(host, "127.0.0.1" | "localhost" | "::1")
}

/// `target` made absolute against `base` (absolute URLs and absolute paths only).
fn resolve(base: &str, target: &str) -> Option<String> {
    let target = target.trim();
    if target.starts_with("http://") || target.starts_with("https://") {
        return Some(target.to_string());
    }
    if !target.starts_with('/') || target.starts_with("//") {
        return None;
    }
    let scheme_end = base.find("://")? + 3;
    let origin_end = base[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(base.len(), |i| scheme_end + i);
    Some(format!("{}{target}", &base[..origin_end]))
}

/// A self-submitting form: where it posts and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Form {
    action: Option<String>,
    fields: Vec<(String, String)>,
}

impl Form {
    fn body(&self) -> String {
        self.fields
            .iter()
            .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// The first form of a page that submits it on load, with its hidden inputs.
fn auto_submitted_form(page: &str) -> Option<Form> {
    if !page.contains(AUTO_SUBMIT) {
        return None;
    }
    let start = page.find("<form")?;
    let end = page[start..]
        .find("</form>")
        .map_or(page.len(), |e| start + e);
    let form = &page[start..end];
    let head_end = form.find('>')?;
    let action = attribute(&form[..head_end], "action");
    let mut fields = Vec::new();
    let mut rest = &form[head_end..];
    while let Some(at) = rest.find("<input") {
        let tag_end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        let tag = &rest[at..tag_end];
        if attribute(tag, "type").is_some_and(|t| t.eq_ignore_ascii_case("hidden")) {
            if let Some(name) = attribute(tag, "name") {
                fields.push((name, attribute(tag, "value").unwrap_or_default()));
            }
        }
        rest = &rest[tag_end..];
    }
    Some(Form { action, fields })
}

/// The value of `name="..."` (or single-quoted) in a start tag, unescaped.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = tag[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        // A whole attribute name: preceded by whitespace, followed by `=`.
        let before_ok = tag[..at].ends_with(|c: char| c.is_ascii_whitespace());
        let after = tag[from..].trim_start();
        let Some(value) = after.strip_prefix('=').map(str::trim_start) else {
            continue;
        };
        if !before_ok {
            continue;
        }
        let quote = value.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let body = &value[1..];
        let end = body.find(quote)?;
        return Some(unescape(&body[..end]));
    }
    None
}

/// The character references HTML escapers write (named ones for markup, numeric ones).
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&n| n <= 8).and_then(|semi| {
            let name = &after[..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::html::auto_post_form;

    #[test]
    fn reads_back_the_shared_auto_post_form() {
        let evil = "a&b<c>\"d'e ü+/=";
        let (page, _) = auto_post_form(
            "http://127.0.0.1:1/saml/acs/acme/?x=1&y=2",
            &[("SAMLResponse", evil), ("RelayState", "r s")],
            &["note"],
            "Continue",
        );
        let form = auto_submitted_form(&page).unwrap();
        assert_eq!(
            form.action.as_deref(),
            Some("http://127.0.0.1:1/saml/acs/acme/?x=1&y=2")
        );
        assert_eq!(
            form.fields,
            [
                ("SAMLResponse".to_string(), evil.to_string()),
                ("RelayState".to_string(), "r s".to_string())
            ]
        );
        assert!(form.body().starts_with("SAMLResponse=a%26b%3Cc%3E"));
        // A page that does not submit itself is where a browser stops.
        assert!(
            auto_submitted_form("<form action=\"/x\"><input type=\"hidden\"></form>").is_none()
        );
    }

    #[test]
    fn stays_on_loopback_and_resolves_paths() {
        for ok in [
            "http://127.0.0.1:8080/saml/login/acme/",
            "http://localhost/",
            "http://[::1]:9/x",
        ] {
            assert!(is_loopback(ok), "{ok}");
        }
        for bad in [
            "https://127.0.0.1/",
            "http://127.0.0.1.evil.example/",
            "http://127.0.0.1@evil.example/",
            "http://example.com/",
            "javascript:alert(1)",
        ] {
            assert!(!is_loopback(bad), "{bad}");
        }
        assert_eq!(
            resolve("http://127.0.0.1:1/a/b?c", "/sso?x").as_deref(),
            Some("http://127.0.0.1:1/sso?x")
        );
        assert_eq!(resolve("http://127.0.0.1:1", "relative"), None);
        assert_eq!(resolve("http://127.0.0.1:1", "//evil.example/"), None);
        assert_eq!(unescape("&amp;&#39;&#x27;&bogus;&"), "&''&bogus;&");
    }

    #[test]
    fn refuses_to_leave_loopback() {
        let browser = Browser::new(Duration::from_secs(1));
        let err = browser.walk("http://example.com/").unwrap_err();
        assert!(matches!(err, BrowserError::NotLoopback { .. }), "{err}");
    }
}
