//! `GET|POST {sls}`: Single Logout. Decodes the LogoutRequest or LogoutResponse (Redirect
//! binding in the query, POST binding in the form) and reports what it says. A mock SP keeps
//! no sessions, so nothing is logged out and nothing is answered to the IdP.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;

use super::{errors, html, read_body};
use crate::report::html::{logout_page, LogoutView};
use crate::saml::binding::{decode_message, percent_decode};
use crate::saml::logout::LogoutMessage;
use crate::server::sp::app::SpApp;
use crate::xml::{Document, Limits};

pub async fn get(State(app): State<SpApp>, uri: Uri) -> Response {
    report(&app, uri.query().unwrap_or("").as_bytes())
}

pub async fn post(State(app): State<SpApp>, headers: HeaderMap, body: Body) -> Response {
    match read_body(&app, &headers, body).await {
        Ok(bytes) => report(&app, &bytes),
        Err(response) => response,
    }
}

/// A field of a query string or form body, URL-decoded.
fn field(input: &[u8], name: &str) -> Option<String> {
    let text = std::str::from_utf8(input).ok()?;
    text.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| {
            percent_decode(&v.replace('+', " "))
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_else(|_| v.to_string())
        })
    })
}

fn bad(app: &SpApp, message: String) -> Response {
    errors::page(
        app,
        StatusCode::BAD_REQUEST,
        "Not a logout message",
        &message,
        &["The Single Logout URL takes a SAMLRequest (LogoutRequest) or SAMLResponse (LogoutResponse) from the IdP, in the query (HTTP-Redirect) or a posted form (HTTP-POST).".into()],
    )
}

fn report(app: &SpApp, input: &[u8]) -> Response {
    if field(input, "SAMLRequest").is_none() && field(input, "SAMLResponse").is_none() {
        return bad(
            app,
            "The request carries no SAMLRequest or SAMLResponse.".into(),
        );
    }
    let decoded = match decode_message(input) {
        Ok(d) => d,
        Err(e) => return bad(app, format!("The message cannot be decoded: {e}.")),
    };
    let doc = match Document::parse_bytes(&decoded.xml, Limits::MESSAGE) {
        Ok(doc) => doc,
        Err(e) => return bad(app, format!("The message is not acceptable XML: {e}.")),
    };
    let Some(message) = LogoutMessage::read(&doc) else {
        let root = doc
            .element(doc.root())
            .map(|e| e.qname())
            .unwrap_or_default();
        return bad(
            app,
            format!("The message is a {root}, not a samlp:LogoutRequest or samlp:LogoutResponse."),
        );
    };
    let layers = decoded
        .layers
        .iter()
        .map(|l| l.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let sig_alg = field(input, "SigAlg");
    let title = format!("Logout message: {}", message.kind.element());
    let nav = app.nav();
    let nav: Vec<(&str, &str)> = nav.iter().map(|(l, h)| (*l, h.as_str())).collect();
    html(
        StatusCode::OK,
        logout_page(&LogoutView {
            title: &title,
            message: &message,
            sls: app.settings().profile.sls.as_deref(),
            layers: if layers.is_empty() {
                "none (raw XML)"
            } else {
                &layers
            },
            relay_state: decoded.relay_state.as_deref(),
            query_sig_alg: sig_alg.as_deref(),
            nav: &nav,
        }),
    )
}
