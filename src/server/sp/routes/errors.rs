//! Pages for requests that cannot be served, each saying what this server does answer.

use axum::extract::State;
use axum::http::header::ALLOW;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::html;
use crate::report::html::error_page;
use crate::server::sp::app::SpApp;
use crate::sp::url_match::{check_url, UrlField};

pub(crate) fn page(
    app: &SpApp,
    status: StatusCode,
    title: &str,
    message: &str,
    hints: &[String],
) -> Response {
    let nav = app.nav();
    let nav: Vec<(&str, &str)> = nav.iter().map(|(l, h)| (*l, h.as_str())).collect();
    html(status, error_page(title, message, hints, &nav))
}

pub(crate) fn too_large(app: &SpApp, declared: Option<u64>) -> Response {
    let max = app.settings().limits.max_body;
    let message = match declared {
        Some(n) => format!("The request body is {n} bytes; this server takes at most {max}."),
        None => format!("The request body is larger than {max} bytes, or was broken off."),
    };
    page(
        app,
        StatusCode::PAYLOAD_TOO_LARGE,
        "Request too large",
        &message,
        &["A SAML response is a few kilobytes; raise --max-body only for an unusual IdP.".into()],
    )
}

pub(crate) fn timeout(app: &SpApp) -> Response {
    let secs = app.settings().limits.read_timeout.as_secs();
    page(
        app,
        StatusCode::REQUEST_TIMEOUT,
        "Request too slow",
        &format!("The request body did not arrive within {secs} s."),
        &[],
    )
}

/// Where the request would have had to go, when it looks like a near miss of an SP URL
/// (a missing trailing slash, another org slug...).
fn near_miss(app: &SpApp, method: &Method, uri: &Uri) -> Option<String> {
    let found = app.url(uri.path());
    let sp = &app.settings().profile;
    let fields: &[UrlField] = if method == Method::POST {
        &[UrlField::Acs, UrlField::Sls]
    } else {
        &[UrlField::Audience, UrlField::Sls]
    };
    fields
        .iter()
        .filter_map(|&f| check_url(sp, f, &found))
        .find(|m| !m.hints.is_empty())
        .map(|m| {
            format!(
                "Near miss: {}; the {} is {}",
                m.message,
                m.field.label(),
                m.expected
            )
        })
}

fn served(app: &SpApp) -> Vec<String> {
    app.paths()
        .routes()
        .into_iter()
        .map(|(what, path)| format!("{what}: {}", app.url(path)))
        .collect()
}

pub async fn not_found(State(app): State<SpApp>, method: Method, uri: Uri) -> Response {
    let mut hints: Vec<String> = near_miss(&app, &method, &uri).into_iter().collect();
    hints.push("This mock SP answers at:".into());
    hints.extend(served(&app));
    page(
        &app,
        StatusCode::NOT_FOUND,
        "Not found",
        &format!("Nothing is served at {}.", uri.path()),
        &hints,
    )
}

pub async fn method_not_allowed(State(app): State<SpApp>, method: Method, uri: Uri) -> Response {
    let mut r = page(
        &app,
        StatusCode::METHOD_NOT_ALLOWED,
        "Method not allowed",
        &format!("{method} is not answered at {}.", uri.path()),
        &served(&app),
    );
    r.headers_mut()
        .insert(ALLOW, axum::http::HeaderValue::from_static("GET, POST"));
    r.into_response()
}
