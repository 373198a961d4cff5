//! The mock IdP's HTTP routes:
//!
//! - `GET /` a page saying what this IdP is;
//! - `GET /metadata` its metadata (the entity ID is this URL);
//! - `GET|POST /sso` takes an AuthnRequest (HTTP-Redirect query or HTTP-POST form) and answers
//!   with the login page, or with the response straight away when a user is configured;
//! - `POST /sso/login` the login form's target;
//! - `GET /sso/idp-initiated[?acs=URL&RelayState=...]` an unsolicited login.
//!
//! Every answer that logs someone in is an auto-submitting form posting `SAMLResponse` (and
//! `RelayState`) to the ACS. Nothing is stored between requests: the login page carries the
//! original SAMLRequest in a hidden field and it is decoded again on submission.

use std::sync::Arc;
use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{BoxError, Router};
use tower::ServiceBuilder;

use super::form::FormFields;
use super::html;
use super::request::{is_http_url, AuthnRequest};
use super::response::{encode_for_post, IssueError};
use super::sp::target_for;
use super::MockIdp;
use crate::report::html::auto_post_form;
use crate::sp::SpProfile;

/// AuthnRequests and login forms are a few kilobytes.
pub const BODY_LIMIT: usize = 256 * 1024;
/// A request (body included) that takes longer is cut off: nothing here is slow. (Header
/// deadlines and the connection cap are the accept loop's.)
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

type Idp = State<Arc<MockIdp>>;

/// The router, ready for `axum::serve` or `tower::ServiceExt::oneshot`.
pub fn router(idp: Arc<MockIdp>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/metadata", get(metadata))
        .route("/sso", get(sso_redirect).post(sso_post))
        .route("/sso/login", post(login))
        .route("/sso/idp-initiated", get(idp_initiated))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(|_: BoxError| async {
                    (StatusCode::REQUEST_TIMEOUT, "the request took too long\n")
                }))
                .layer(tower::timeout::TimeoutLayer::new(REQUEST_TIMEOUT)),
        )
        .with_state(idp)
}

/// An HTML answer that is never cached, framed, or leaks its URL (which may hold the
/// SAMLRequest) as a Referer to the ACS.
fn html_page(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}

fn error(status: StatusCode, title: &str, message: &str) -> Response {
    html_page(status, html::error_page(title, message))
}

async fn index(State(idp): Idp) -> Response {
    let sp = &idp.settings().sp;
    html_page(
        StatusCode::OK,
        html::index_page(
            idp.banner(),
            &idp.entity_id(),
            &idp.sso_url(),
            &sp.entity_id,
            &sp.acs,
            &idp.idp_initiated_url(),
        ),
    )
}

async fn metadata(State(idp): Idp) -> Response {
    let mut r = idp.metadata_xml().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/samlmetadata+xml"),
    );
    r
}

async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "Not found",
        "The mock IdP serves /metadata, /sso, /sso/login and /sso/idp-initiated.",
    )
}

async fn sso_redirect(State(idp): Idp, RawQuery(query): RawQuery) -> Response {
    sso(&idp, &FormFields::parse(query.as_deref().unwrap_or("")))
}

async fn sso_post(State(idp): Idp, body: String) -> Response {
    sso(&idp, &FormFields::parse(&body))
}

/// An AuthnRequest arrived: log the configured user in, or show the login page.
fn sso(idp: &MockIdp, fields: &FormFields) -> Response {
    let Some(encoded) = fields.message("SAMLRequest") else {
        return error(
            StatusCode::BAD_REQUEST,
            "No SAMLRequest",
            &format!(
                "This is the IdP's single sign-on endpoint: it expects a SAMLRequest (HTTP-Redirect query or HTTP-POST form field). For a login the SP did not ask for, open {}.",
                idp.idp_initiated_url()
            ),
        );
    };
    let request = match AuthnRequest::decode(encoded.as_bytes()) {
        Ok(r) => r,
        Err(e) => return error(StatusCode::BAD_REQUEST, "Bad SAMLRequest", &e.to_string()),
    };
    let relay_state = fields.text("RelayState");
    let sp = target_for(&idp.settings().sp, Some(&request));
    match &idp.settings().user {
        Some(user) => respond(idp, &sp, user, Some(&request.id), relay_state.as_deref()),
        None => {
            let mut hidden = vec![("SAMLRequest", encoded.as_str())];
            if let Some(rs) = &relay_state {
                hidden.push(("RelayState", rs));
            }
            login_page(idp, &sp, &hidden, None, StatusCode::OK)
        }
    }
}

fn login_page(
    idp: &MockIdp,
    sp: &SpProfile,
    hidden: &[(&str, &str)],
    notice: Option<&str>,
    status: StatusCode,
) -> Response {
    html_page(
        status,
        html::login_page(
            idp.banner(),
            &format!("{}/sso/login", idp.base_url()),
            &sp.entity_id,
            &sp.acs,
            hidden,
            notice,
        ),
    )
}

/// The configured SP, posting to `acs` when one is given.
fn unsolicited_target(idp: &MockIdp, acs: Option<&str>) -> Result<SpProfile, Box<Response>> {
    let mut sp = idp.settings().sp.clone();
    if let Some(acs) = acs.filter(|a| !a.is_empty()) {
        if !is_http_url(acs) {
            return Err(Box::new(error(
                StatusCode::BAD_REQUEST,
                "Bad ACS URL",
                &format!("acs={acs:?} is not an http(s) URL"),
            )));
        }
        sp.acs = acs.to_string();
    }
    Ok(sp)
}

async fn login(State(idp): Idp, body: String) -> Response {
    let fields = FormFields::parse(&body);
    let encoded = fields.message("SAMLRequest");
    let relay_state = fields.text("RelayState");
    let acs = fields.text("acs");
    let (sp, request_id) = match &encoded {
        Some(encoded) => match AuthnRequest::decode(encoded.as_bytes()) {
            Ok(r) => (target_for(&idp.settings().sp, Some(&r)), Some(r.id)),
            Err(e) => return error(StatusCode::BAD_REQUEST, "Bad SAMLRequest", &e.to_string()),
        },
        None => match unsolicited_target(&idp, acs.as_deref()) {
            Ok(sp) => (sp, None),
            Err(r) => return *r,
        },
    };
    let username = fields.text("username").unwrap_or_default();
    if username.trim().is_empty() {
        let mut hidden = Vec::new();
        if let Some(e) = &encoded {
            hidden.push(("SAMLRequest", e.as_str()));
        }
        if let Some(a) = &acs {
            hidden.push(("acs", a.as_str()));
        }
        if let Some(rs) = &relay_state {
            hidden.push(("RelayState", rs.as_str()));
        }
        return login_page(
            &idp,
            &sp,
            &hidden,
            Some("Enter a user name or email address."),
            StatusCode::BAD_REQUEST,
        );
    }
    respond(
        &idp,
        &sp,
        username.trim(),
        request_id.as_deref(),
        relay_state.as_deref(),
    )
}

async fn idp_initiated(State(idp): Idp, RawQuery(query): RawQuery) -> Response {
    let fields = FormFields::parse(query.as_deref().unwrap_or(""));
    let acs = fields.text("acs");
    let relay_state = fields.text("RelayState");
    let sp = match unsolicited_target(&idp, acs.as_deref()) {
        Ok(sp) => sp,
        Err(r) => return *r,
    };
    match &idp.settings().user {
        Some(user) => respond(&idp, &sp, user, None, relay_state.as_deref()),
        None => {
            let mut hidden = vec![("acs", sp.acs.as_str())];
            if let Some(rs) = &relay_state {
                hidden.push(("RelayState", rs.as_str()));
            }
            login_page(&idp, &sp, &hidden, None, StatusCode::OK)
        }
    }
}

/// Issues the response and answers with the form that posts it to the ACS.
fn respond(
    idp: &MockIdp,
    sp: &SpProfile,
    login: &str,
    in_response_to: Option<&str>,
    relay_state: Option<&str>,
) -> Response {
    match idp.issue(sp, login, in_response_to) {
        Ok(xml) => {
            let value = encode_for_post(&xml);
            let mut fields = vec![("SAMLResponse", value.as_str())];
            if let Some(rs) = relay_state {
                fields.push(("RelayState", rs));
            }
            let notes = html::auto_post_notes(idp.banner(), &sp.acs, login);
            let notes: Vec<&str> = notes.iter().map(String::as_str).collect();
            let (page, csp) = auto_post_form(&sp.acs, &fields, &notes, "Continue");
            let mut r = html_page(StatusCode::OK, page);
            if let Ok(v) = HeaderValue::from_str(&csp) {
                r.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
            }
            r
        }
        Err(e @ (IssueError::Text(_) | IssueError::EmptyNameId)) => error(
            StatusCode::BAD_REQUEST,
            "Cannot log this user in",
            &e.to_string(),
        ),
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The response could not be issued",
            &e.to_string(),
        ),
    }
}
