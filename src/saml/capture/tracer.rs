//! SAML-tracer's export (the "Export" button of the add-on by UNINETT / SimpleSAMLphp):
//!
//! ```json
//! { "requests": [ { "method": "POST", "url": "https://sp/acs",
//!                   "requestId": "request-42-POST-…",
//!                   "requestHeaders": [{"name": "Host", "value": "sp"}],
//!                   "get": [["name", "decoded value"]], "post": [["SAMLResponse", "PHNhbWxw…"]],
//!                   "protocol": "SAML-P", "saml": "<samlp:Response …>",
//!                   "responseStatus": 200, "responseStatusText": "HTTP/1.1 200 OK",
//!                   "responseHeaders": [{"name": "Date", "value": "…"}] } ],
//!   "timestamp": "2026-01-15T10:00:09.000Z" }
//! ```
//!
//! Exports before version 1.0 have `id` instead of `requestId` and headers as `[name, value]`
//! arrays. `get` and `post` hold *decoded* values (URLSearchParams / formData); the URL keeps
//! the query as sent, so query values are read from the URL and form values re-encoded. There
//! is no per-request timestamp: each exchange's time is its response's Date header.
//! The export's privacy profiles may hash or overwrite `post` values; such values then simply
//! do not decode.

use serde_json::Value;

use super::exchange::{form_encode, Capture, CaptureFormat, Exchange, Pair};
use super::har::pairs;
use super::CaptureError;

/// Reads a parsed SAML-tracer export.
pub fn read(doc: &Value) -> Result<Capture, CaptureError> {
    let requests = doc
        .get("requests")
        .and_then(Value::as_array)
        .ok_or_else(|| CaptureError::field(None, "requests", "missing or not an array"))?;
    let mut exchanges = Vec::with_capacity(requests.len());
    for (i, r) in requests.iter().enumerate() {
        let at = |field: &str| format!("requests[{i}].{field}");
        let url = r
            .get("url")
            .and_then(Value::as_str)
            .ok_or_else(|| CaptureError::field(Some(i), at("url"), "missing or not a string"))?;
        let method = r
            .get("method")
            .and_then(Value::as_str)
            .ok_or_else(|| CaptureError::field(Some(i), at("method"), "missing or not a string"))?;
        let mut e = Exchange::new(i, method, url);
        e.request_headers = pairs(r.get("requestHeaders"), i, &at("requestHeaders"))?;
        e.response_headers = pairs(r.get("responseHeaders"), i, &at("responseHeaders"))?;
        let post = pairs(r.get("post"), i, &at("post"))?;
        e.form = if post.is_empty() {
            form_data(r.get("postData"))
        } else {
            post
        }
        .into_iter()
        .map(|p| Pair::new(p.name, form_encode(&p.value)))
        .collect();
        e.status = match r.get("responseStatus") {
            Some(Value::Number(n)) => n.as_u64().map(|s| s as u16),
            Some(Value::String(s)) => s.parse().ok(),
            _ => None,
        };
        e.resolve_location();
        e.resolve_date();
        exchanges.push(e);
    }
    Ok(Capture {
        format: CaptureFormat::SamlTracer,
        exchanges,
    })
}

/// The webRequest `formData` object (`{"name": ["value", …]}`) of a live-traced request.
fn form_data(value: Option<&Value>) -> Vec<Pair> {
    let Some(Value::Object(map)) = value else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, values) in map {
        match values {
            Value::Array(vs) => out.extend(
                vs.iter()
                    .filter_map(Value::as_str)
                    .map(|v| Pair::new(name.clone(), v)),
            ),
            Value::String(v) => out.push(Pair::new(name.clone(), v.clone())),
            _ => {}
        }
    }
    out
}
