//! The login as it happened: every SAML message of a capture in order (SP -> IdP with the
//! AuthnRequest, IdP -> ACS with the Response), requests matched to the responses that answer
//! them, and the `flow/*` findings: a request nobody answered, a response to a request not in
//! the capture, a response posted somewhere other than the ACS URL, a redirect that dropped
//! the message, and the issuer's clock measured against the browser's.

use time::OffsetDateTime;

use super::exchange::{Capture, CaptureFormat, Clock, Exchange};
use super::messages::{extract, Binding, CapturedMessage, MessageKind};
use crate::checks::catalog::flow::{
    FLOW_CLOCK_SKEW, FLOW_POSTED_TO_WRONG_URL, FLOW_POST_LOST_ON_REDIRECT, FLOW_UNANSWERED_REQUEST,
    FLOW_UNKNOWN_REQUEST,
};
use crate::checks::finding::Finding;
use crate::saml::time::{format_instant, human_seconds};
use crate::sp::url_match;

/// What the flow is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineContext {
    /// The SP's ACS URL (from `--org` / `--sp-acs` / samlcheck.toml). Without it, a response
    /// is compared with the AssertionConsumerServiceURL of the request it answers.
    pub expected_acs: Option<String>,
    /// How far an IssueInstant may be from the browser's time, in seconds.
    pub skew_seconds: i64,
}

impl Default for TimelineContext {
    fn default() -> Self {
        TimelineContext {
            expected_acs: None,
            skew_seconds: 300,
        }
    }
}

/// One SAML message in the flow.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Step {
    /// The entry's index in the file.
    pub entry: usize,
    pub method: String,
    pub url: String,
    /// The HTTP status the request got.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// When the browser sent it (or the server's Date, see `clock`).
    #[serde(
        serialize_with = "super::exchange::ser_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub at: Option<OffsetDateTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clock: Option<Clock>,
    /// "SP -> IdP", "IdP -> SP", or "-> host" when the sender is not known by kind.
    pub direction: String,
    pub binding: Binding,
    /// AuthnRequest, Response, ... or the parameter name when the value did not decode.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_response_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue_instant: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// AuthnRequest: the AssertionConsumerServiceURL asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acs_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay_state: Option<String>,
    /// The step (index in `steps`) this one answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<usize>,
    /// IssueInstant minus the browser's time, in seconds (positive: the issuer's clock is
    /// ahead). Measured for every message whose times are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clock_offset_seconds: Option<f64>,
    /// Why the message could not be read, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The whole flow, with its findings.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Timeline {
    pub format: CaptureFormat,
    /// How many HTTP exchanges the capture holds.
    pub exchanges: usize,
    pub steps: Vec<Step>,
    pub findings: Vec<Finding>,
}

impl Timeline {
    /// Whether a finding of `rule` was made.
    pub fn has(&self, rule: &str) -> bool {
        self.findings.iter().any(|f| f.rule == rule)
    }

    /// A plain-text rendering: one block per message, then the findings.
    pub fn render_text(&self) -> String {
        let mut out = format!(
            "Timeline ({}, {} requests, {} SAML messages)\n",
            self.format,
            self.exchanges,
            self.steps.len()
        );
        for (i, s) in self.steps.iter().enumerate() {
            let at =
                s.at.map(format_instant)
                    .unwrap_or_else(|| "(no time)".into());
            let status = s.status.map(|c| format!(" -> {c}")).unwrap_or_default();
            out.push_str(&format!(
                "{:>3}. {at}  {}  {} {}{status}\n     {} {} ({} binding){}\n",
                i + 1,
                s.direction,
                s.method,
                s.url,
                s.kind,
                s.id.as_deref().unwrap_or("(no ID)"),
                match s.binding {
                    Binding::Redirect => "HTTP-Redirect",
                    Binding::Post => "HTTP-POST",
                },
                s.answers
                    .map(|a| format!(", answers #{}", a + 1))
                    .unwrap_or_default()
            ));
            if let Some(acs) = &s.acs_url {
                out.push_str(&format!("     ACS asked for: {acs}\n"));
            }
            if let Some(code) = &s.status_code {
                out.push_str(&format!("     status: {code}\n"));
            }
            if let Some(offset) = s.clock_offset_seconds {
                out.push_str(&format!(
                    "     IssueInstant {} is {} the {}\n",
                    s.issue_instant.as_deref().unwrap_or(""),
                    offset_words(offset),
                    match s.clock {
                        Some(Clock::ServerDate) => "server's Date header",
                        _ => "browser's time",
                    }
                ));
            }
            if let Some(e) = &s.error {
                out.push_str(&format!("     cannot read it: {e}\n"));
            }
        }
        if self.steps.is_empty() {
            out.push_str("  (no SAMLRequest or SAMLResponse in any query or form post)\n");
        }
        for f in &self.findings {
            out.push_str(&format!("{} [{}] {}\n", f.severity, f.rule, f.message));
            if let (Some(e), Some(found)) = (&f.expected, &f.found) {
                out.push_str(&format!("    expected: {e}\n    found:    {found}\n"));
            }
            for n in &f.notes {
                out.push_str(&format!("    {n}\n"));
            }
        }
        out
    }
}

fn offset_words(seconds: f64) -> String {
    if seconds.abs() < 0.05 {
        return "the same as".into();
    }
    let mag = if seconds.abs() < 120.0 {
        format!("{:.1} s", seconds.abs())
    } else {
        human_seconds(seconds.round() as i64)
    };
    format!(
        "{mag} {} than",
        if seconds > 0.0 { "later" } else { "earlier" }
    )
}

/// Builds the timeline of `capture`.
pub fn build(capture: &Capture, ctx: &TimelineContext) -> Timeline {
    let messages = extract(capture);
    build_from(capture, &messages, ctx)
}

/// Builds the timeline from messages already extracted (see [`extract`]).
pub fn build_from(
    capture: &Capture,
    messages: &[CapturedMessage],
    ctx: &TimelineContext,
) -> Timeline {
    let mut steps: Vec<Step> = messages
        .iter()
        .map(|m| step(&capture.exchanges[m.exchange], m))
        .collect();
    let mut findings = Vec::new();

    // Requests matched with their answers.
    for i in 0..steps.len() {
        let Some(irt) = steps[i].in_response_to.clone() else {
            continue;
        };
        let kind = &messages[i].summary.as_ref().map(|s| s.kind.clone());
        let request = (0..steps.len()).rev().find(|&j| {
            steps[j].id.as_deref() == Some(irt.as_str())
                && messages[j]
                    .summary
                    .as_ref()
                    .and_then(|s| s.kind.answer())
                    .as_ref()
                    == kind.as_ref()
        });
        match request {
            Some(j) => steps[i].answers = Some(j),
            None => findings.push(
                Finding::new(
                    &FLOW_UNKNOWN_REQUEST,
                    format!(
                        "the {} posted in entry {} answers request {irt}, which is not in the capture",
                        steps[i].kind, steps[i].entry
                    ),
                )
                .found(irt.clone())
                .note(format!(
                    "requests in the capture: {}",
                    list_or_none(
                        steps
                            .iter()
                            .zip(messages)
                            .filter(|(_, m)| m.summary.as_ref().is_some_and(|s| s.kind.is_request()))
                            .filter_map(|(s, _)| s.id.clone())
                    )
                )),
            ),
        }
    }
    for (j, m) in messages.iter().enumerate() {
        let Some(summary) = &m.summary else { continue };
        if !summary.kind.is_request() {
            continue;
        }
        let Some(id) = &summary.id else { continue };
        // A request re-sent on another hop (a 307) carries the same ID: judge the last one.
        if steps[j + 1..].iter().any(|s| s.id.as_ref() == Some(id)) {
            continue;
        }
        if steps
            .iter()
            .any(|s| s.answers.is_some_and(|a| steps[a].id.as_ref() == Some(id)))
        {
            continue;
        }
        let answer = summary
            .kind
            .answer()
            .map(|k| k.name().to_string())
            .unwrap_or_default();
        let after = capture.exchanges[m.exchange + 1..]
            .iter()
            .map(|e| {
                format!(
                    "entry {} {} {}{}",
                    e.index,
                    e.method,
                    e.url,
                    e.status.map(|s| format!(" ({s})")).unwrap_or_default()
                )
            })
            .take(3)
            .collect::<Vec<_>>();
        let mut f = Finding::new(
            &FLOW_UNANSWERED_REQUEST,
            format!(
                "the {} {id} sent in entry {} to {} got no {answer} in the capture",
                summary.kind.name(),
                m.entry,
                m.url.split('?').next().unwrap_or(&m.url)
            ),
        )
        .expected(format!("a {answer} with InResponseTo=\"{id}\""))
        .found("none".to_string());
        if after.is_empty() {
            f = f.note(
                "the capture ends with this request: the recording may have stopped too early",
            );
        } else {
            f = f.note(format!("what followed: {}", after.join("; ")));
        }
        findings.push(f);
    }

    // Where each response was delivered, compared with where it should have gone.
    for (i, m) in messages.iter().enumerate() {
        let Some(summary) = &m.summary else { continue };
        if summary.kind != MessageKind::Response || m.binding != Binding::Post {
            continue;
        }
        // Only the last hop of a response is its delivery (an earlier hop is a redirect's).
        if summary.id.is_some() && steps[i + 1..].iter().any(|s| s.id == summary.id) {
            continue;
        }
        let posted = capture.exchanges[m.exchange]
            .url_without_query()
            .to_string();
        let asked = steps[i].answers.and_then(|j| steps[j].acs_url.clone());
        let (expected, source) = match (&ctx.expected_acs, asked, &summary.destination) {
            (Some(acs), _, _) => (acs.clone(), "the SP's ACS URL"),
            (None, Some(acs), _) => (acs, "the AssertionConsumerServiceURL of the AuthnRequest"),
            (None, None, Some(d)) => (d.clone(), "the Response's own Destination"),
            _ => continue,
        };
        let Some(miss) = url_match::compare(&expected, &posted) else {
            continue;
        };
        let mut f = Finding::new(
            &FLOW_POSTED_TO_WRONG_URL,
            format!(
                "the Response {} was posted (entry {}) to {posted}, not to {source}{}",
                summary.id.as_deref().unwrap_or("(no ID)"),
                m.entry,
                if miss.differences.is_empty() && miss.unexplained.is_empty() {
                    String::new()
                } else {
                    format!(": {}", miss.sentence())
                }
            ),
        )
        .expected(expected.clone())
        .found(posted.clone());
        for h in miss.hints() {
            f = f.hint(h.id());
        }
        if let Some(d) = &summary.destination {
            if d != &posted {
                f = f.note(format!("the Response's Destination is {d}"));
            }
        }
        findings.push(f);
    }

    // Redirects that dropped a message.
    for (i, m) in messages.iter().enumerate() {
        let e = &capture.exchanges[m.exchange];
        let (Some(status), Some(location)) = (e.status, e.location.as_deref()) else {
            continue;
        };
        if !(300..=399).contains(&status) || !same_endpoint(e.url_without_query(), location) {
            continue;
        }
        let next = capture.exchanges[m.exchange + 1..]
            .iter()
            .find(|n| n.url == location || same_endpoint(n.url_without_query(), location));
        let carried = |n: &Exchange| match m.binding {
            Binding::Post => n.form_param(&m.param).is_some(),
            Binding::Redirect => n.query_param(&m.param).is_some(),
        };
        let lost = match (m.binding, next) {
            (_, Some(n)) => !carried(n),
            (Binding::Post, None) => !matches!(status, 307 | 308),
            (Binding::Redirect, None) => !location.contains(&format!("{}=", m.param)),
        };
        if !lost {
            continue;
        }
        let became = match next {
            Some(n) => format!(
                "the browser followed with {} {} (entry {}) without {}",
                n.method, n.url, n.index, m.param
            ),
            None if m.binding == Binding::Post => format!(
                "browsers follow a {status} with a GET and drop the posted {}",
                m.param
            ),
            None => format!("the new URL has no {}", m.param),
        };
        let mut f = Finding::new(
            &FLOW_POST_LOST_ON_REDIRECT,
            format!(
                "the {} {} sent to {} (entry {}) was answered with a {status} redirect to {location}; {became}",
                steps[i].kind,
                steps[i].id.as_deref().unwrap_or(""),
                e.url_without_query(),
                e.index
            ),
        )
        .expected(location.split('?').next().unwrap_or(location).to_string())
        .found(e.url_without_query().to_string());
        if let Some(miss) = url_match::compare(
            location.split('?').next().unwrap_or(location),
            e.url_without_query(),
        ) {
            for h in miss.hints() {
                f = f.hint(h.id());
            }
            f = f.note(format!(
                "the redirect's target differs from the URL used: {}",
                miss.sentence()
            ));
        }
        findings.push(f);
    }

    // The IdP's clock against the browser's: one finding per message the IdP issued (the
    // SP's own requests show whether the browser's clock is the one that is off).
    let sp_offset = steps
        .iter()
        .zip(messages)
        .filter(|(_, m)| {
            m.summary
                .as_ref()
                .is_some_and(|s| s.kind == MessageKind::AuthnRequest)
        })
        .find_map(|(s, _)| s.clock_offset_seconds);
    let mut judged: Vec<&str> = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        let Some(offset) = s.clock_offset_seconds else {
            continue;
        };
        let kind = messages[i].summary.as_ref().map(|s| &s.kind);
        if kind == Some(&MessageKind::AuthnRequest) || offset.abs() <= ctx.skew_seconds as f64 {
            continue;
        }
        if let Some(id) = s.id.as_deref() {
            if judged.contains(&id) {
                continue;
            }
            judged.push(id);
        }
        let clock = match s.clock {
            Some(Clock::ServerDate) => "the server's Date header",
            _ => "the browser's time",
        };
        let mut f = Finding::new(
            &FLOW_CLOCK_SKEW,
            format!(
                "the {} {} was issued at {}, {} {clock} when it was sent (entry {}): the IdP's clock is off by {}",
                s.kind,
                s.id.as_deref().unwrap_or(""),
                s.issue_instant.as_deref().unwrap_or(""),
                offset_words(offset),
                s.entry,
                human_seconds(offset.round() as i64)
            ),
        )
        .expected(format!("within {} of {clock}", human_seconds(ctx.skew_seconds)))
        .found(format!("{offset:+.1} s"))
        .note(format!("measured: IssueInstant - {clock} = {offset:+.3} s"));
        match sp_offset {
            Some(sp) if (sp - offset).abs() <= 60.0 => {
                f = f.note(format!(
                    "the SP's AuthnRequest is off by as much ({sp:+.1} s): the browser machine's clock is probably the wrong one, not the IdP's"
                ))
            }
            Some(sp) => {
                f = f.note(format!(
                    "the SP's AuthnRequest is {sp:+.1} s from the browser's time, so the browser's clock is right and the IdP's is not"
                ))
            }
            None => {}
        }
        findings.push(f);
    }

    Timeline {
        format: capture.format,
        exchanges: capture.exchanges.len(),
        steps,
        findings,
    }
}

fn list_or_none(ids: impl Iterator<Item = String>) -> String {
    let v: Vec<String> = ids.collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

fn step(e: &Exchange, m: &CapturedMessage) -> Step {
    let s = m.summary.as_ref();
    let time = e.time();
    let issued = s.and_then(|s| s.issued());
    let host = e
        .url
        .split_once("://")
        .map(|(_, r)| r.split(['/', '?', '#']).next().unwrap_or(r))
        .unwrap_or("");
    let direction = match s.map(|s| &s.kind) {
        Some(MessageKind::AuthnRequest) => "SP -> IdP".to_string(),
        Some(MessageKind::Response) => "IdP -> SP".to_string(),
        _ => format!("-> {host}"),
    };
    let error = match (&m.decoded, &m.xml_error, s) {
        (Err(e), _, _) => Some(e.to_string()),
        (Ok(_), Some(x), _) => Some(format!("the decoded message is not readable XML: {x}")),
        (Ok(_), None, None) => Some("the decoded XML has no root element".into()),
        _ => None,
    };
    Step {
        entry: e.index,
        method: e.method.clone(),
        url: e.url.clone(),
        status: e.status,
        at: time.map(|t| t.0),
        clock: time.map(|t| t.1),
        direction,
        binding: m.binding,
        kind: m.kind_name().to_string(),
        id: s.and_then(|s| s.id.clone()),
        in_response_to: s.and_then(|s| s.in_response_to.clone()),
        issue_instant: s.and_then(|s| s.issue_instant.clone()),
        issuer: s.and_then(|s| s.issuer.clone()),
        destination: s.and_then(|s| s.destination.clone()),
        acs_url: s.and_then(|s| s.acs_url.clone()),
        status_code: s.and_then(|s| s.status.clone()),
        relay_state: m.relay_state.clone(),
        answers: None,
        clock_offset_seconds: match (issued, time) {
            (Some(i), Some((t, _))) => {
                Some(((i - t).whole_milliseconds() as f64 / 1000.0 * 1000.0).round() / 1000.0)
            }
            _ => None,
        },
        error,
    }
}

/// Whether a redirect from `from` to `to` points at the same endpoint (scheme, port, letter
/// case of the host, a `www.` prefix and a trailing slash aside): the server did not handle
/// the request, it sent the browser elsewhere to make it again.
pub fn same_endpoint(from: &str, to: &str) -> bool {
    fn key(url: &str) -> Option<(String, String)> {
        let (_, rest) = url.split_once("://")?;
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = rest[..end].to_ascii_lowercase();
        let host = authority.rsplit('@').next().unwrap_or("");
        let host = host.split(':').next().unwrap_or(host);
        let host = host.strip_prefix("www.").unwrap_or(host).to_string();
        let path = &rest[end..];
        let path = path[..path.find(['?', '#']).unwrap_or(path.len())].trim_end_matches('/');
        Some((host, path.to_string()))
    }
    match (key(from), key(to)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_endpoint_ignores_scheme_slash_and_www() {
        assert!(same_endpoint(
            "http://sp.example/acs",
            "https://www.sp.example/acs/"
        ));
        assert!(same_endpoint(
            "http://sp.example:80/acs/",
            "https://sp.example/acs?x"
        ));
        assert!(!same_endpoint(
            "https://sp.example/acs/",
            "https://sp.example/home"
        ));
        assert!(!same_endpoint("/acs", "/acs"));
    }

    #[test]
    fn offsets_in_words() {
        assert_eq!(offset_words(0.01), "the same as");
        assert_eq!(offset_words(-2.5), "2.5 s earlier than");
        assert_eq!(offset_words(3600.0), "60 min 0 s later than");
    }
}
