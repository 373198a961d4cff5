//! `POST {acs}`: a test login. The posted response goes through exactly `verify`'s pipeline
//! ([`verify_response`](crate::checks::response::verify_response)), with the request ID taken from what this server sent: InResponseTo
//! must name an AuthnRequest it issued, an unsolicited (IdP-initiated) response is accepted
//! with a note, and an assertion already consumed is refused as a replay. The answer is the
//! HTML report.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::header::ALLOW;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;

use super::{errors, html, read_body};
use crate::checks::catalog::{ASSERTION_IN_RESPONSE_TO, ASSERTION_REPLAYED, ASSERTION_UNSOLICITED};
use crate::checks::response::{read_message, verify_document, Message, VerifyOptions};
use crate::checks::{Finding, Location, Severity};
use crate::report::html::{login_page, LoginView};
use crate::saml::response::{Assertion, ResponseEnvelope};
use crate::saml::time::{format_instant, human_seconds};
use crate::server::sp::app::{LoginEvent, SpApp};
use crate::server::sp::state::Login;
use crate::sp::preview::preview;
use crate::xml::Limits;

pub async fn post(State(app): State<SpApp>, headers: HeaderMap, body: Body) -> Response {
    let bytes = match read_body(&app, &headers, body).await {
        Ok(b) => b,
        Err(response) => return response,
    };
    let login = check(&app, &bytes);
    let status = if !login.verdict.readable {
        StatusCode::BAD_REQUEST
    } else if login.verdict.accepted {
        StatusCode::OK
    } else {
        StatusCode::FORBIDDEN
    };
    html(status, login.html.clone())
}

pub async fn get(State(app): State<SpApp>) -> Response {
    let login = app.url(&app.paths().login);
    let mut r = errors::page(
        &app,
        StatusCode::METHOD_NOT_ALLOWED,
        "This is the ACS URL",
        "The Assertion Consumer Service takes the SAMLResponse the IdP posts (HTTP-POST binding); a browser does not open it directly.",
        &[format!("To test a login, open {login}, or start from the IdP's dashboard.")],
    );
    r.headers_mut()
        .insert(ALLOW, HeaderValue::from_static("POST"));
    r
}

/// What must be known before verifying: the request the response claims to answer (read
/// without trust, only to pick the request ID to check against), where it says so, and the
/// RelayState.
struct Peek {
    /// Whether the body decoded to a samlp:Response.
    is_response: bool,
    in_response_to: Option<String>,
    in_response_to_at: Option<Location>,
    root: Option<Location>,
    relay_state: Option<String>,
}

impl Peek {
    fn of(message: Option<&Message>) -> Peek {
        let mut peek = Peek {
            is_response: false,
            in_response_to: None,
            in_response_to_at: None,
            root: None,
            relay_state: None,
        };
        let Some(message) = message else {
            return peek;
        };
        let doc = &message.doc;
        peek.relay_state = message.relay_state.clone();
        let Some(envelope) = ResponseEnvelope::read(doc) else {
            return peek;
        };
        peek.is_response = true;
        peek.root = Some(Location::of_node(doc, envelope.node));
        if let Some(id) = &envelope.in_response_to {
            peek.in_response_to = Some(id.clone());
            peek.in_response_to_at =
                Some(Location::of_attribute(doc, envelope.node, "InResponseTo"));
            return peek;
        }
        // Only the bearer confirmation may name the request (the Response need not).
        let bearer = envelope.assertions.first().and_then(|&node| {
            let a = Assertion::read_unverified_for_diagnosis(doc, node);
            a.confirmations.into_iter().find_map(|c| {
                let data = c.data?;
                Some((data.in_response_to?, data.node))
            })
        });
        if let Some((id, node)) = bearer {
            peek.in_response_to = Some(id);
            peek.in_response_to_at = Some(Location::of_attribute(doc, node, "InResponseTo"));
        }
        peek
    }
}

/// Checks one ACS post and records it as a test login.
pub fn check(app: &SpApp, body: &[u8]) -> Arc<Login> {
    let s = app.settings();
    let now = s.clock.now();
    let number = app.next_login_number();
    // One decode and parse serves the peek at InResponseTo and the verification.
    let message = read_message(body, Limits::MESSAGE);
    let peek = Peek::of(message.as_ref().ok());

    let mut options = VerifyOptions::at(now);
    options.clock_skew = s.clock_skew;
    options.deny_warnings = s.deny_warnings;
    // The library compares both InResponseTo values with this; whether this server sent
    // that request is checked here.
    options.request_id = peek.in_response_to.clone();
    options.sp_key = s.keys.as_ref().map(|k| k.decryption().clone());
    let mut verdict = match &message {
        Ok(message) => verify_document(&message.doc, &s.idp, &s.profile, &options),
        Err(unreadable) => (**unreadable).clone(),
    };

    let mut request_id = None;
    if verdict.readable && peek.is_response {
        let login_url = app.url(&app.paths().login);
        match &peek.in_response_to {
            None => {
                let mut f = Finding::new(
                    &ASSERTION_UNSOLICITED,
                    "IdP-initiated login: the response answers no AuthnRequest, so InResponseTo was not checked",
                )
                .found("no InResponseTo");
                if let Some(at) = peek.root.clone() {
                    f = f.at(at);
                }
                verdict.findings.push(f);
            }
            Some(id) if app.was_issued(id, now) => request_id = Some(id.clone()),
            Some(id) => {
                let limits = &s.limits;
                let mut f = Finding::new(
                    &ASSERTION_IN_RESPONSE_TO,
                    format!("the response answers request {id}, which this server did not send (or no longer remembers)"),
                )
                .expected("the ID of an AuthnRequest this server sent")
                .found(id)
                .fix(format!(
                    "Start the login at {login_url} and post the response it leads to; for IdP-initiated login the IdP must not set InResponseTo."
                ))
                .note(format!(
                    "this server remembers its last {} requests for {}; a restart forgets them",
                    limits.max_requests,
                    human_seconds(limits.request_ttl.as_secs() as i64)
                ));
                if let Some(at) = peek.in_response_to_at.clone() {
                    f = f.at(at);
                }
                verdict.findings.push(f);
            }
        }
        // Only a verified assertion has an ID here, so unsigned posts cannot fill the cache.
        if let Some(assertion_id) = &verdict.assertion_id {
            if let Some(first) = app.replay_check(assertion_id, number, now) {
                verdict.findings.push(
                    Finding::new(
                        &ASSERTION_REPLAYED,
                        format!(
                            "assertion {assertion_id} was already delivered, with test login #{} at {}",
                            first.login,
                            format_instant(first.at)
                        ),
                    )
                    .expected("an assertion not seen before")
                    .found(assertion_id),
                );
            }
        }
        let blocking = verdict.findings.iter().any(|f| {
            f.severity == Severity::Error || (s.deny_warnings && f.severity == Severity::Warning)
        });
        verdict.accepted &= !blocking;
    }
    verdict.apply_config(&s.config, s.deny_warnings);

    let link = verdict
        .subject
        .as_ref()
        .map(|subject| preview(&s.mapping, Some(subject), &verdict.attributes));
    let received = format_instant(now);
    let report = app.paths().report(number);
    let title = format!("Test login #{number}");
    let nav = app.nav();
    let nav: Vec<(&str, &str)> = nav.iter().map(|(l, h)| (*l, h.as_str())).collect();
    let html = login_page(&LoginView {
        title: &title,
        received: &received,
        verdict: &verdict,
        relay_state: peek.relay_state.as_deref(),
        preview: link.as_ref(),
        nav: &nav,
    });
    // The stored copy drops the source lines: with one-line XML each is the whole message.
    let mut stored = verdict.clone();
    for f in &mut stored.findings {
        if let Some(loc) = &mut f.location {
            loc.source_line = String::new();
        }
    }
    let login = Arc::new(Login {
        number,
        received,
        report,
        request_id,
        relay_state: peek.relay_state,
        verdict: stored,
        preview: link,
        html,
    });
    app.record(LoginEvent { login, verdict })
}
