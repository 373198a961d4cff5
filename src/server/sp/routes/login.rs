//! `GET {login}`: SP-initiated login. Builds an AuthnRequest, remembers its ID for the
//! response's InResponseTo, and sends the browser to the IdP: a redirect (HTTP-Redirect
//! binding) or an auto-submitting form (when the IdP offers only HTTP-POST).

use axum::extract::State;
use axum::http::header::{CONTENT_SECURITY_POLICY, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{errors, html};
use crate::report::html::auto_post_form;
use crate::saml::authn_request::{AuthnRequest, Outgoing};
use crate::server::sp::app::SpApp;

pub async fn start(State(app): State<SpApp>) -> Response {
    let s = app.settings();
    let Some(sso) = &s.idp_sso else {
        return errors::page(
            &app,
            StatusCode::INTERNAL_SERVER_ERROR,
            "No IdP login endpoint",
            "The IdP metadata lists no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding, so there is nowhere to send the login.",
            &["Use the IdP's current metadata, or start the login from the IdP (IdP-initiated).".into()],
        );
    };
    // The URL comes from a file; only web URLs may become a Location or a form action.
    if !(sso.url.starts_with("https://") || sso.url.starts_with("http://")) {
        return errors::page(
            &app,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Unusable IdP login endpoint",
            &format!(
                "The IdP's SingleSignOnService Location {:?} is not an http(s) URL.",
                sso.url
            ),
            &[],
        );
    }
    let now = s.clock.now();
    let outgoing = AuthnRequest::new(&s.profile, &sso.url, now).and_then(|request| {
        app.remember_request(&request.id);
        let relay_state = app.url(&app.paths().index);
        request.encode(sso.binding, Some(&relay_state), s.request_signer())
    });
    match outgoing {
        Ok(Outgoing::Redirect(url)) => match HeaderValue::from_str(&url) {
            Ok(location) => (StatusCode::FOUND, [(LOCATION, location)]).into_response(),
            Err(_) => errors::page(
                &app,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Unusable IdP login endpoint",
                "The IdP's SSO URL cannot be sent as a redirect (it has characters a header cannot carry).",
                &[],
            ),
        },
        Ok(Outgoing::Post { action, fields }) => {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (page, csp) = auto_post_form(
                &action,
                &fields,
                &["Sending the AuthnRequest to the IdP…"],
                "Continue to the IdP",
            );
            let mut response = html(StatusCode::OK, page);
            if let Ok(v) = HeaderValue::from_str(&csp) {
                response.headers_mut().insert(CONTENT_SECURITY_POLICY, v);
            }
            response
        }
        Err(e) => errors::page(
            &app,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Cannot build the AuthnRequest",
            &e.to_string(),
            &[],
        ),
    }
}
