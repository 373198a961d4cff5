//! HAR 1.2 as browsers export it (Chrome/Edge "Save all as HAR", Firefox "Save All As HAR",
//! Safari "Export HAR"): `log.entries[]` with `request` (method, url, headers, postData with
//! `text` and/or `params`), `response` (status, headers, redirectURL) and `startedDateTime`.
//! Chrome leaves query and form values URL-encoded; Firefox decodes `params`. Values are read
//! from the URL and from `postData.text` first, as sent, and from `params` only when there
//! is no text.

use serde_json::Value;

use super::exchange::{parse_form, parse_timestamp, Capture, CaptureFormat, Exchange, Pair};
use super::CaptureError;

/// Reads a parsed HAR document.
pub fn read(doc: &Value) -> Result<Capture, CaptureError> {
    let log = doc
        .get("log")
        .ok_or_else(|| CaptureError::not_a_capture("a HAR file has a top-level \"log\" object"))?;
    let entries = log
        .get("entries")
        .and_then(Value::as_array)
        .ok_or_else(|| CaptureError::field(None, "log.entries", "missing or not an array"))?;
    let mut exchanges = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        exchanges.push(read_entry(i, entry)?);
    }
    // HAR orders entries by startedDateTime in practice, but the specification does not
    // promise it; a stable sort keeps the file's order for equal or missing times.
    // An entry without a time keeps the file's order for all.
    if exchanges.iter().all(|e| e.started.is_some()) {
        exchanges.sort_by_key(|e| e.started.map(|t| t.unix_timestamp_nanos()));
    }
    Ok(Capture {
        format: CaptureFormat::Har,
        exchanges,
    })
}

fn read_entry(i: usize, entry: &Value) -> Result<Exchange, CaptureError> {
    let at = |field: &str| format!("log.entries[{i}].{field}");
    let request = entry
        .get("request")
        .filter(|r| r.is_object())
        .ok_or_else(|| CaptureError::field(Some(i), at("request"), "missing or not an object"))?;
    let url = request.get("url").and_then(Value::as_str).ok_or_else(|| {
        CaptureError::field(Some(i), at("request.url"), "missing or not a string")
    })?;
    let method = request
        .get("method")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            CaptureError::field(Some(i), at("request.method"), "missing or not a string")
        })?;
    let mut e = Exchange::new(i, method, url);
    e.request_headers = pairs(request.get("headers"), i, &at("request.headers"))?;
    if let Some(started) = entry.get("startedDateTime") {
        let text = started
            .as_str()
            .ok_or_else(|| CaptureError::field(Some(i), at("startedDateTime"), "not a string"))?;
        e.started = Some(parse_timestamp(text).ok_or_else(|| {
            CaptureError::field(
                Some(i),
                at("startedDateTime"),
                format!("{text:?} is not an ISO 8601 date-time"),
            )
        })?);
    }
    if let Some(post) = request.get("postData").filter(|p| !p.is_null()) {
        let text = post.get("text").and_then(Value::as_str);
        let mime = post
            .get("mimeType")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase();
        e.body = text.map(str::to_string);
        match text {
            Some(t) if mime.is_empty() || mime.contains("x-www-form-urlencoded") => {
                e.form = parse_form(t)
            }
            _ => e.form = pairs(post.get("params"), i, &at("request.postData.params"))?,
        }
    }
    if let Some(response) = entry.get("response").filter(|r| !r.is_null()) {
        // Chrome writes status 0 for requests that never got an answer.
        e.status = response
            .get("status")
            .and_then(Value::as_u64)
            .filter(|s| (100..=999).contains(s))
            .map(|s| s as u16);
        e.response_headers = pairs(response.get("headers"), i, &at("response.headers"))?;
        e.location = response
            .get("redirectURL")
            .and_then(Value::as_str)
            .map(str::to_string);
    }
    e.resolve_location();
    e.resolve_date();
    Ok(e)
}

/// `[{name, value}]` (HAR) or `[[name, value]]` (legacy SAML-tracer); absent is empty.
pub(super) fn pairs(
    value: Option<&Value>,
    entry: usize,
    field: &str,
) -> Result<Vec<Pair>, CaptureError> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(Vec::new());
    };
    let list = value
        .as_array()
        .ok_or_else(|| CaptureError::field(Some(entry), field, "not an array"))?;
    list.iter()
        .enumerate()
        .map(|(j, item)| {
            let got = match item {
                Value::Object(o) => o
                    .get("name")
                    .and_then(Value::as_str)
                    .map(|n| (n, o.get("value").and_then(Value::as_str).unwrap_or(""))),
                Value::Array(a) => a
                    .first()
                    .and_then(Value::as_str)
                    .map(|n| (n, a.get(1).and_then(Value::as_str).unwrap_or(""))),
                _ => None,
            };
            got.map(|(n, v)| Pair::new(n, v)).ok_or_else(|| {
                CaptureError::field(
                    Some(entry),
                    format!("{field}[{j}]"),
                    "not a {name, value} pair",
                )
            })
        })
        .collect()
}
