//! Captured browser sessions: HAR files and SAML-tracer exports, read into one neutral model
//! ([`Capture`]: the HTTP exchanges in order), the SAML messages found in them
//! ([`messages::extract`]), the login's [`timeline`] with its `flow/*` findings, and
//! [`redact`]ion of personal data for sharing.
//!
//! ```
//! use samlcheck::saml::capture::{self, timeline::{self, TimelineContext}};
//!
//! let har = std::fs::read("fixtures/captures/login-ok.har")?;
//! let capture = capture::read(&har)?;
//! let timeline = timeline::build(&capture, &TimelineContext::default());
//! assert!(timeline.findings.is_empty());
//! assert_eq!(timeline.steps.len(), 3); // AuthnRequest (the SP's redirect, the IdP's login form), Response
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod exchange;
pub mod har;
pub mod messages;
pub mod redact;
pub mod timeline;
pub mod tracer;

pub use exchange::{Capture, CaptureFormat, Exchange, Pair};

/// The largest capture read (HAR files with page bodies reach tens of megabytes).
pub const MAX_CAPTURE_BYTES: usize = 512 * 1024 * 1024;

/// Why a capture could not be read; each says where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaptureError {
    #[error("the capture is larger than {max} bytes")]
    TooLarge { max: usize },
    #[error("the capture is not JSON: {message} at line {line}, column {column}")]
    Json {
        message: String,
        line: usize,
        column: usize,
    },
    #[error("the JSON is neither a HAR file nor a SAML-tracer export: {0}")]
    NotACapture(String),
    #[error("{}{field}: {reason}", entry.map(|e| format!("entry {e}, ")).unwrap_or_default())]
    Field {
        /// The entry's index (`log.entries[i]` or `requests[i]`).
        entry: Option<usize>,
        /// The JSON path of the field.
        field: String,
        reason: String,
    },
}

impl CaptureError {
    pub(crate) fn not_a_capture(why: &str) -> CaptureError {
        CaptureError::NotACapture(why.to_string())
    }

    pub(crate) fn field(
        entry: Option<usize>,
        field: impl Into<String>,
        reason: impl Into<String>,
    ) -> CaptureError {
        CaptureError::Field {
            entry,
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// Which capture format `bytes` look like, without reading them fully: `None` when they are
/// not a JSON object with `log` (HAR) or `requests` (SAML-tracer) near the top.
pub fn sniff(bytes: &[u8]) -> Option<CaptureFormat> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let bytes = bytes[start..]
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&bytes[start..]);
    if bytes.first() != Some(&b'{') {
        return None;
    }
    let head = &bytes[..bytes.len().min(4096)];
    let has = |key: &[u8]| head.windows(key.len()).any(|w| w == key);
    if has(b"\"log\"") {
        Some(CaptureFormat::Har)
    } else if has(b"\"requests\"") {
        Some(CaptureFormat::SamlTracer)
    } else {
        None
    }
}

/// Reads a HAR file or a SAML-tracer export (detected from its shape).
pub fn read(bytes: &[u8]) -> Result<Capture, CaptureError> {
    let doc = parse_json(bytes)?;
    read_value(&doc)
}

/// Reads an already parsed capture.
pub fn read_value(doc: &serde_json::Value) -> Result<Capture, CaptureError> {
    if !doc.is_object() {
        return Err(CaptureError::not_a_capture(
            "the top level is not an object",
        ));
    }
    if doc.get("log").is_some() {
        har::read(doc)
    } else if doc.get("requests").is_some() {
        tracer::read(doc)
    } else {
        Err(CaptureError::not_a_capture(
            "it has neither \"log\" (HAR) nor \"requests\" (SAML-tracer) at the top level",
        ))
    }
}

/// The JSON document, with a located error.
pub fn parse_json(bytes: &[u8]) -> Result<serde_json::Value, CaptureError> {
    if bytes.len() > MAX_CAPTURE_BYTES {
        return Err(CaptureError::TooLarge {
            max: MAX_CAPTURE_BYTES,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(bytes).map_err(|e| CaptureError::Json {
        message: e
            .to_string()
            .split(" at line")
            .next()
            .unwrap_or("")
            .to_string(),
        line: e.line(),
        column: e.column(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_and_locates_errors() {
        assert_eq!(sniff(b" {\"log\": {}}"), Some(CaptureFormat::Har));
        assert_eq!(
            sniff(b"{\"requests\": []}"),
            Some(CaptureFormat::SamlTracer)
        );
        assert_eq!(sniff(b"PHNhbWw="), None);
        let e = read(b"{\"log\": {\"entries\": [{\"request\": {\"url\": 3}}]}}").unwrap_err();
        assert_eq!(
            e.to_string(),
            "entry 0, log.entries[0].request.url: missing or not a string"
        );
        let e = read(b"{\"log\": \n{\"entries\": [}").unwrap_err();
        assert!(matches!(e, CaptureError::Json { line: 2, .. }), "{e:?}");
        assert!(matches!(
            read(b"{\"x\": 1}"),
            Err(CaptureError::NotACapture(_))
        ));
        let e = read(br#"{"log": {"entries": [{"startedDateTime": "noon", "request": {"method": "GET", "url": "http://a/"}}]}}"#).unwrap_err();
        assert!(e.to_string().contains("startedDateTime"), "{e}");
    }

    #[test]
    fn har_entry_fields() {
        let har = br#"{"log": {"version": "1.2", "entries": [
          {"startedDateTime": "2026-01-15T10:00:01.000Z",
           "request": {"method": "POST", "url": "https://sp/acs/?x=1", "headers": [],
                       "postData": {"mimeType": "application/x-www-form-urlencoded",
                                    "text": "SAMLResponse=PHg%2B&RelayState=%2Fhome",
                                    "params": [{"name": "SAMLResponse", "value": "PHg+"}]}},
           "response": {"status": 302, "headers": [{"name": "Date", "value": "Thu, 15 Jan 2026 10:00:02 GMT"}],
                        "redirectURL": "/home"}},
          {"startedDateTime": "2026-01-15T10:00:00.000Z",
           "request": {"method": "GET", "url": "https://idp/sso"}, "response": {"status": 0}}]}}"#;
        let c = read(har).unwrap();
        assert_eq!(c.format, CaptureFormat::Har);
        // Sorted by start time, file index kept.
        assert_eq!(c.exchanges[0].index, 1);
        assert_eq!(c.exchanges[0].status, None);
        let acs = &c.exchanges[1];
        assert_eq!(acs.form_param("SAMLResponse").unwrap().value, "PHg%2B");
        assert_eq!(acs.form_param("RelayState").unwrap().decoded(), "/home");
        assert_eq!(acs.location.as_deref(), Some("https://sp/home"));
        assert!(acs.response_date.is_some());
        assert_eq!(acs.query_param("x").unwrap().value, "1");
    }

    #[test]
    fn tracer_fields_current_and_legacy() {
        let t = br#"{"requests": [
          {"method": "POST", "url": "https://sp/acs/", "requestId": "request-1",
           "requestHeaders": [{"name": "Content-Type", "value": "application/x-www-form-urlencoded"}],
           "post": [["SAMLResponse", "PHg+"], ["RelayState", "/a b"]],
           "responseStatus": 303, "responseStatusText": "HTTP/1.1 303 See Other",
           "responseHeaders": [{"name": "Location", "value": "/next"}, {"name": "Date", "value": "Thu, 15 Jan 2026 10:00:02 GMT"}]},
          {"method": "GET", "url": "https://sp/next", "id": 7,
           "requestHeaders": [["Host", "sp"]], "responseHeaders": [["Date", "Thu, 15 Jan 2026 10:00:03 GMT"]],
           "responseStatus": "200"}],
          "timestamp": "2026-01-15T10:00:09.000Z"}"#;
        let c = read(t).unwrap();
        assert_eq!(c.format, CaptureFormat::SamlTracer);
        let acs = &c.exchanges[0];
        assert_eq!(acs.form_param("SAMLResponse").unwrap().value, "PHg%2B");
        assert_eq!(acs.form_param("RelayState").unwrap().decoded(), "/a b");
        assert_eq!(acs.location.as_deref(), Some("https://sp/next"));
        assert_eq!(c.exchanges[1].status, Some(200));
        assert_eq!(c.exchanges[1].request_header("host"), Some("sp"));
        assert!(c.exchanges[1].time().is_some());
        let e = read(br#"{"requests": [{"method": "GET"}]}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "entry 0, requests[0].url: missing or not a string"
        );
    }
}
