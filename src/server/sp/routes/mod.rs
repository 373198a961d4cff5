//! The mock SP's routes, one module each, and what they share: HTML responses, reading a
//! request body within the limits, and the security headers every response carries.

pub mod acs;
pub mod api;
pub mod errors;
pub mod index;
pub mod login;
pub mod metadata;
pub mod sls;

use axum::body::{Body, Bytes};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::app::SpApp;

pub(crate) fn html(status: StatusCode, page: String) -> Response {
    (status, [(CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

/// Headers that keep pages showing untrusted values inert and out of caches: no script
/// (unless a page set its own policy), no sniffing, no framing, no referrer.
pub(crate) async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    if !headers.contains_key(CONTENT_SECURITY_POLICY) {
        if let Ok(v) = HeaderValue::from_str(&crate::report::html::report_csp()) {
            headers.insert(CONTENT_SECURITY_POLICY, v);
        }
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers
        .entry(CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// The body, refused early when its declared length is over the limit, and cut off when it
/// grows past it or takes longer than the read timeout.
pub(crate) async fn read_body(
    app: &SpApp,
    headers: &HeaderMap,
    body: Body,
) -> Result<Bytes, Response> {
    let limits = &app.settings().limits;
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_body as u64) {
        return Err(errors::too_large(app, declared));
    }
    match tokio::time::timeout(
        limits.read_timeout,
        axum::body::to_bytes(body, limits.max_body),
    )
    .await
    {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(errors::too_large(app, None)),
        Err(_) => Err(errors::timeout(app)),
    }
}
