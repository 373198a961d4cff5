//! HTML pages of the mock SP (`samlcheck serve`): the report on a test login, the list of
//! recent logins, the report on a logout message, error pages, and the auto-submitting form
//! of the HTTP-POST binding.
//!
//! Everything that comes from a message, a request or a file goes through [`escape`], the one
//! escaping function, whether it lands in text or in a quoted attribute. The report pages carry
//! no script, and their Content-Security-Policy ([`report_csp`]) allows none, so even markup
//! that escaped escaping could not run.

use std::fmt::Write;
use std::sync::OnceLock;

use base64::Engine;

use crate::checks::response::Verdict;
use crate::checks::{Finding, Severity};
use crate::saml::logout::{LogoutKind, LogoutMessage};
use crate::sp::preview::{LinkPreview, Source};

/// `text` made inert in HTML text and in double- or single-quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:62em;padding:0 1em;color:#1d1d1f}\
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}\
.verdict{font-size:1.3em;font-weight:bold;padding:.5em .8em;border-radius:6px}\
.accepted{background:#e3f6e8;color:#11622a}.rejected{background:#fde8e8;color:#8a1c1c}\
.unreadable{background:#fff4dc;color:#7a4b00}\
table{border-collapse:collapse;margin:.5em 0;max-width:100%}td,th{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top;overflow-wrap:anywhere}\
code,pre{font-family:ui-monospace,monospace;font-size:.92em}pre{background:#f6f6f6;padding:.5em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}\
.finding{border-left:4px solid #999;padding:.3em .8em;margin:.8em 0}.finding.error{border-color:#c62828}\
.finding.warning{border-color:#e0a100}.finding.info{border-color:#1e6fd9}.sev{font-weight:bold;text-transform:uppercase}\
.muted{color:#666}nav a{margin-right:1em}";

/// The style sheet's hash, for the Content-Security-Policy of pages that inline it.
fn style_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| sha256_source(STYLE))
}

/// `'sha256-...'` of an inline script or style, as CSP spells it.
fn sha256_source(text: &str) -> String {
    let digest = openssl::sha::sha256(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The Content-Security-Policy of every page except the POST-binding form: no script at all,
/// only the page's own style sheet, no forms, no framing.
pub fn report_csp() -> String {
    format!(
        "default-src 'none'; style-src {}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        style_hash()
    )
}

fn page(title: &str, nav: &[(&str, &str)], body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"referrer\" content=\"no-referrer\"><title>{} · samlcheck</title><style>{STYLE}</style></head><body>\n",
        escape(title)
    );
    if !nav.is_empty() {
        out.push_str("<nav>");
        for (label, href) in nav {
            let _ = write!(out, "<a href=\"{}\">{}</a>", escape(href), escape(label));
        }
        out.push_str("</nav>\n");
    }
    let _ = writeln!(out, "<h1>{}</h1>", escape(title));
    out.push_str(body);
    out.push_str("\n<p class=\"muted\">samlcheck serve: a local mock SP for test logins. Nothing here is sent anywhere.</p>\n</body></html>\n");
    out
}

/// A test login to report on.
#[derive(Debug, Clone, Copy)]
pub struct LoginView<'a> {
    /// "Test login #3".
    pub title: &'a str,
    /// When the response arrived (RFC 3339).
    pub received: &'a str,
    pub verdict: &'a Verdict,
    pub relay_state: Option<&'a str>,
    /// What the SP would link; `None` when nothing was verified.
    pub preview: Option<&'a LinkPreview>,
    /// Links shown at the top: (label, URL).
    pub nav: &'a [(&'a str, &'a str)],
}

fn verdict_line(v: &Verdict) -> (&'static str, &'static str) {
    if !v.readable {
        (
            "unreadable",
            "NOT READABLE: the post is not a SAML response",
        )
    } else if v.accepted {
        ("accepted", "ACCEPTED: Sentry would log this user in")
    } else {
        ("rejected", "REJECTED: Sentry would refuse this login")
    }
}

fn count(v: &Verdict, severity: Severity) -> usize {
    v.findings.iter().filter(|f| f.severity == severity).count()
}

fn finding_html(out: &mut String, f: &Finding) {
    let _ = write!(
        out,
        "<div class=\"finding {sev}\"><p><span class=\"sev\">{sev}</span> <code>{}</code>: {}</p>",
        escape(f.rule),
        escape(&f.message),
        sev = f.severity,
    );
    if f.expected.is_some() || f.found.is_some() {
        out.push_str("<table>");
        if let Some(e) = &f.expected {
            let _ = write!(
                out,
                "<tr><th>expected</th><td><code>{}</code></td></tr>",
                escape(e)
            );
        }
        if let Some(found) = &f.found {
            let _ = write!(
                out,
                "<tr><th>found</th><td><code>{}</code></td></tr>",
                escape(found)
            );
        }
        out.push_str("</table>");
    }
    if let Some(loc) = &f.location {
        let _ = write!(
            out,
            "<p class=\"muted\">at line {}, column {} <code>{}</code></p>",
            loc.line,
            loc.column,
            escape(&loc.path)
        );
        if !loc.source_line.is_empty() {
            // Long one-line XML: show a window around the column.
            let chars: Vec<char> = loc.source_line.chars().collect();
            let at = loc
                .column_in_source_line()
                .saturating_sub(1)
                .min(chars.len());
            let start = at.saturating_sub(80);
            let end = (at + 160).min(chars.len());
            let snippet: String = chars[start..end].iter().collect();
            let _ = write!(
                out,
                "<pre>{}{}{}</pre>",
                if start > 0 { "…" } else { "" },
                escape(&snippet),
                if end < chars.len() { "…" } else { "" }
            );
        }
    }
    for note in &f.notes {
        let _ = write!(out, "<p class=\"muted\">{}</p>", escape(note));
    }
    if !f.hints.is_empty() {
        let _ = write!(
            out,
            "<p class=\"muted\">near miss: {}</p>",
            escape(&f.hints.join(", "))
        );
    }
    let _ = writeln!(out, "<p><strong>Fix:</strong> {}</p></div>", escape(&f.fix));
}

fn preview_html(out: &mut String, p: &LinkPreview, accepted: bool) {
    // A rejected login links nobody; the preview then says what a fixed one would do.
    let heading = if accepted {
        "Account"
    } else {
        "Account (once the errors below are fixed)"
    };
    let _ = writeln!(
        out,
        "<h2>{heading}</h2>\n<p><strong>{}</strong></p>",
        escape(&p.sentence())
    );
    out.push_str("<table><tr><th>field</th><th>from</th><th>value</th></tr>");
    for f in &p.fields {
        let from = match &f.source {
            Source::Mapped { attribute } => format!("attribute <code>{}</code>", escape(attribute)),
            Source::NameId => "the NameID (no attribute mapped)".to_string(),
            Source::Guessed { attribute } => format!(
                "attribute <code>{}</code> (not mapped; a usual name)",
                escape(attribute)
            ),
            Source::Unmapped => "not mapped".to_string(),
        };
        let value = match &f.value {
            Some(v) => format!("<code>{}</code>", escape(v)),
            None if f.field.required() => "<strong>missing</strong>".to_string(),
            None => "<span class=\"muted\">none</span>".to_string(),
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{from}</td><td>{value}</td></tr>",
            escape(f.label())
        );
    }
    out.push_str("</table>\n");
    for f in &p.findings {
        finding_html(out, f);
    }
}

/// The report on one test login: verdict, account preview, subject, attributes, signatures,
/// every finding with its fix.
pub fn login_page(view: &LoginView) -> String {
    let v = view.verdict;
    let mut body = String::new();
    let (class, line) = verdict_line(v);
    let _ = writeln!(
        body,
        "<p class=\"verdict {class}\">{line}</p>\n<p>{} error(s), {} warning(s), {} note(s). Received {}.</p>",
        count(v, Severity::Error),
        count(v, Severity::Warning),
        count(v, Severity::Info),
        escape(view.received)
    );
    if let Some(p) = view.preview {
        preview_html(&mut body, p, v.accepted);
    }
    if let Some(s) = &v.subject {
        let _ = writeln!(
            body,
            "<h2>Subject</h2>\n<table><tr><th>NameID</th><td><code>{}</code></td></tr><tr><th>Format</th><td><code>{}</code></td></tr></table>",
            escape(&s.name_id),
            escape(&s.format)
        );
    }
    if !v.attributes.is_empty() {
        body.push_str("<h2>Attributes</h2>\n<table><tr><th>name</th><th>values</th></tr>");
        for (name, values) in &v.attributes {
            let values: Vec<String> = values
                .iter()
                .map(|x| format!("<code>{}</code>", escape(x)))
                .collect();
            let _ = write!(
                body,
                "<tr><td><code>{}</code></td><td>{}</td></tr>",
                escape(name),
                values.join("<br>")
            );
        }
        body.push_str("</table>\n");
    } else if v.subject.is_some() {
        body.push_str("<h2>Attributes</h2>\n<p>The assertion carries no attributes.</p>\n");
    }
    if !v.signatures.is_empty() {
        body.push_str("<h2>Signatures</h2>\n<table><tr><th>covers</th><th>result</th><th>algorithm</th><th>certificate</th></tr>");
        for s in &v.signatures {
            let alg = [s.algorithm.as_deref(), s.digest.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            let cert = s
                .certificate
                .as_ref()
                .map(|c| {
                    format!(
                        "{}<br><span class=\"muted\">SHA-256 {}</span>",
                        escape(&c.subject),
                        escape(&c.sha256)
                    )
                })
                .unwrap_or_default();
            let _ = write!(
                body,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{cert}</td></tr>",
                escape(&s.covers),
                if s.verified {
                    "verified"
                } else {
                    "<strong>failed</strong>"
                },
                escape(&alg)
            );
        }
        body.push_str("</table>\n");
    }
    if let Some(rs) = view.relay_state {
        let _ = writeln!(
            body,
            "<h2>RelayState</h2>\n<p><code>{}</code></p>",
            escape(rs)
        );
    }
    let _ = writeln!(body, "<h2>Findings</h2>");
    if v.findings.is_empty() {
        body.push_str("<p>None: the response passes every check.</p>\n");
    }
    let mut ordered: Vec<&Finding> = v.findings.iter().collect();
    ordered.sort_by_key(|f| std::cmp::Reverse(f.severity));
    for f in ordered {
        finding_html(&mut body, f);
    }
    page(view.title, view.nav, &body)
}

/// One row of the list of recent logins.
#[derive(Debug, Clone)]
pub struct LoginRow<'a> {
    pub number: u64,
    pub received: &'a str,
    pub verdict: &'a Verdict,
    pub href: &'a str,
}

/// The list of recent test logins, newest first, after a table of the SP's URLs (`intro`).
pub fn index_page(
    title: &str,
    nav: &[(&str, &str)],
    intro: &[(&str, &str)],
    rows: &[LoginRow],
) -> String {
    let mut body = String::new();
    body.push_str("<table>");
    for (label, value) in intro {
        let _ = write!(
            body,
            "<tr><th>{}</th><td><code>{}</code></td></tr>",
            escape(label),
            escape(value)
        );
    }
    body.push_str("</table>\n<h2>Recent test logins</h2>\n");
    if rows.is_empty() {
        body.push_str("<p>None yet. Start one with the login link above, or from the IdP.</p>\n");
    } else {
        body.push_str("<table><tr><th>#</th><th>received</th><th>verdict</th><th>user</th><th>errors</th></tr>");
        for r in rows {
            let (class, _) = verdict_line(r.verdict);
            let errors: Vec<&str> = r
                .verdict
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| f.rule)
                .collect();
            let _ = write!(
                body,
                "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td class=\"{class}\">{class}</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
                escape(r.href),
                r.number,
                escape(r.received),
                escape(r.verdict.subject.as_ref().map_or("", |s| s.name_id.as_str())),
                escape(&errors.join(", "))
            );
        }
        body.push_str("</table>\n");
    }
    page(title, nav, &body)
}

/// A received logout message to report on.
#[derive(Debug, Clone, Copy)]
pub struct LogoutView<'a> {
    pub title: &'a str,
    pub message: &'a LogoutMessage,
    /// The SP's own SLS URL, which Destination should name.
    pub sls: Option<&'a str>,
    /// The decoding layers peeled off ("form field, URL-decoding, base64, inflate").
    pub layers: &'a str,
    pub relay_state: Option<&'a str>,
    /// A Redirect-binding signature in the query (`SigAlg`), if any.
    pub query_sig_alg: Option<&'a str>,
    pub nav: &'a [(&'a str, &'a str)],
}

/// The report on a LogoutRequest or LogoutResponse.
pub fn logout_page(view: &LogoutView) -> String {
    let m = view.message;
    let mut rows: Vec<(&str, String)> = vec![
        ("message", format!("samlp:{}", m.kind.element())),
        ("decoded by", view.layers.to_string()),
    ];
    let mut push = |label: &'static str, value: &Option<String>| {
        if let Some(v) = value {
            rows.push((label, v.clone()));
        }
    };
    push("ID", &m.id);
    push("IssueInstant", &m.issue_instant);
    push("Issuer", &m.issuer);
    push("Destination", &m.destination);
    push("NameID", &m.name_id);
    push("NameID Format", &m.name_id_format);
    push("NotOnOrAfter", &m.not_on_or_after);
    push("InResponseTo", &m.in_response_to);
    if !m.session_indexes.is_empty() {
        rows.push(("SessionIndex", m.session_indexes.join(", ")));
    }
    if let Some(s) = &m.status {
        rows.push((
            "Status",
            s.code.clone().unwrap_or_else(|| "(no StatusCode)".into()),
        ));
        if let Some(sub) = &s.subcode {
            rows.push(("second-level status", sub.clone()));
        }
        if let Some(msg) = &s.message {
            rows.push(("StatusMessage", msg.clone()));
        }
    }
    if let Some(rs) = view.relay_state {
        rows.push(("RelayState", rs.to_string()));
    }
    let signature = match (m.has_xml_signature, view.query_sig_alg) {
        (true, _) => "an XML signature (not checked)".to_string(),
        (false, Some(alg)) => format!("signed in the URL with {alg} (not checked)"),
        (false, None) => "unsigned".to_string(),
    };
    rows.push(("signature", signature));

    let mut body = String::new();
    let summary = match m.kind {
        LogoutKind::Request => format!(
            "The IdP asks to log out {}.",
            m.name_id.as_deref().unwrap_or("a user it does not name")
        ),
        LogoutKind::Response => {
            let ok = m.status.as_ref().and_then(|s| s.code.as_deref())
                == Some(crate::saml::ns::STATUS_SUCCESS);
            if ok {
                "The IdP confirms the logout.".to_string()
            } else {
                "The IdP reports that the logout failed.".to_string()
            }
        }
    };
    let _ = writeln!(body, "<p><strong>{}</strong></p>", escape(&summary));
    if let (Some(sls), Some(dest)) = (view.sls, m.destination.as_deref()) {
        if sls != dest {
            let _ = writeln!(
                body,
                "<p class=\"verdict rejected\">Destination <code>{}</code> is not this SP's Single Logout URL <code>{}</code>: set the IdP's SLS URL to it exactly.</p>",
                escape(dest),
                escape(sls)
            );
        }
    }
    body.push_str("<table>");
    for (label, value) in rows {
        let _ = write!(
            body,
            "<tr><th>{}</th><td><code>{}</code></td></tr>",
            escape(label),
            escape(&value)
        );
    }
    body.push_str("</table>\n<p class=\"muted\">A mock SP keeps no sessions: nothing was logged out here.</p>\n");
    page(view.title, view.nav, &body)
}

/// A page for a request that cannot be served (bad form, too large, unknown path...).
pub fn error_page(title: &str, message: &str, hints: &[String], nav: &[(&str, &str)]) -> String {
    let mut body = format!("<p class=\"verdict unreadable\">{}</p>\n", escape(message));
    for h in hints {
        let _ = writeln!(body, "<p>{}</p>", escape(h));
    }
    page(title, nav, &body)
}

/// The HTTP-POST binding's form, submitted on load by a one-line script (allowed by hash in
/// the returned Content-Security-Policy), with a button for browsers without script. `notes`
/// are paragraphs of text shown above the button (the SP's AuthnRequest and the mock IdP's
/// Response both use this one form).
pub fn auto_post_form(
    action: &str,
    fields: &[(&str, &str)],
    notes: &[&str],
    button: &str,
) -> (String, String) {
    const SCRIPT: &str = "document.forms[0].submit();";
    let mut inputs = String::new();
    for (name, value) in fields {
        let _ = write!(
            inputs,
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            escape(name),
            escape(value)
        );
    }
    let notes: String = notes
        .iter()
        .map(|n| format!("<p>{}</p>", escape(n)))
        .collect();
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\"><title>Signing in · samlcheck</title><style>{STYLE}</style></head><body>\n<form method=\"post\" action=\"{}\">{inputs}{notes}<button type=\"submit\">{}</button></form>\n<script>{SCRIPT}</script>\n</body></html>\n",
        escape(action),
        escape(button)
    );
    let csp = format!(
        "default-src 'none'; script-src {}; style-src {}; base-uri 'none'; frame-ancestors 'none'",
        sha256_source(SCRIPT),
        style_hash()
    );
    (html, csp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::catalog::SIGNATURE_MISSING;
    use std::collections::BTreeMap;

    #[test]
    fn escape_covers_text_and_both_quotes() {
        assert_eq!(
            escape(r#"<script>alert('x')</script> & "q""#),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn login_page_escapes_every_value() {
        let evil = "\"><img src=x onerror=alert(1)><script>alert(1)</script>";
        let mut attributes = BTreeMap::new();
        attributes.insert(evil.to_string(), vec![evil.to_string()]);
        let verdict = Verdict {
            accepted: false,
            readable: true,
            subject: Some(crate::checks::response::Subject {
                name_id: evil.into(),
                format: evil.into(),
            }),
            attributes,
            findings: vec![Finding::new(&SIGNATURE_MISSING, evil)
                .expected(evil)
                .found(evil)
                .note(evil)],
            signatures: Vec::new(),
            assertion_id: None,
            encryption: None,
        };
        let html = login_page(&LoginView {
            title: "Test login #1",
            received: evil,
            verdict: &verdict,
            relay_state: Some(evil),
            preview: None,
            nav: &[("home", evil)],
        });
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("REJECTED"));
    }

    #[test]
    fn post_form_allows_only_its_own_script() {
        let (html, csp) = auto_post_form(
            "https://idp.example/sso?a=1&b=\"",
            &[("SAMLRequest", "PD94+/=")],
            &["<b>note</b>"],
            "Go",
        );
        assert!(html.contains("<p>&lt;b&gt;note&lt;/b&gt;</p>"));
        assert!(html.contains("action=\"https://idp.example/sso?a=1&amp;b=&quot;\""));
        assert!(html.contains("value=\"PD94+/=\""));
        assert!(csp.contains("script-src 'sha256-"));
        assert!(report_csp().contains("default-src 'none'"));
        assert!(!report_csp().contains("script-src"));
    }
}
