//! Shared by the mock SP tests: fixtures, and responses signed on the fly by the IdP test key
//! that `fixtures/metadata/okta.xml` trusts.
#![allow(dead_code)]

use samlcheck::saml::authn_request::percent_encode;
use samlcheck::xml::dsig::{sign_element, SignOptions, SigningKey};

pub const NOW: &str = "2026-01-15T10:01:00Z";
pub const FIXTURE_REQUEST_ID: &str = "_req-4f1c2a";
const ASSERTION_ID: &str = "id30284517283290761994207613";
const RESPONSE_ID: &str = "id30284517283048172613590841";

pub fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

pub fn fixture_path(path: &str) -> String {
    format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// The Okta-shaped response template, edited by `edit`, then signed (assertion, then
/// response) with `keys/idp-rsa.key`.
pub fn signed_okta(edit: impl Fn(String) -> String) -> String {
    let key = SigningKey::from_pem(
        fixture("keys/idp-rsa.key").as_bytes(),
        Some(fixture("keys/idp-rsa.crt").as_bytes()),
    )
    .unwrap();
    let xml = edit(fixture("templates/responses/okta.xml"));
    let options = SignOptions::default();
    let xml = sign_element(&xml, ASSERTION_ID, &key, &options).unwrap();
    sign_element(&xml, RESPONSE_ID, &key, &options).unwrap()
}

/// A form body as a browser posts it to the ACS.
pub fn form(xml: &str, relay_state: Option<&str>) -> String {
    use base64::Engine;
    let value = base64::engine::general_purpose::STANDARD.encode(xml.as_bytes());
    let mut body = format!("SAMLResponse={}", percent_encode(&value));
    if let Some(rs) = relay_state {
        body.push_str(&format!("&RelayState={}", percent_encode(rs)));
    }
    body
}

/// The value of a query parameter in a URL, still URL-encoded.
pub fn query_param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    url.split_once('?')?
        .1
        .split('&')
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
}
