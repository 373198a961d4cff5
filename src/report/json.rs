//! JSON for machines: `verify` prints `{accepted, subject, attributes, findings, ...}`.

use crate::checks::response::Verdict;
use serde::Serialize;

/// A verdict with the input it was about.
#[derive(Debug, Serialize)]
pub struct VerdictRecord<'a> {
    pub file: &'a str,
    #[serde(flatten)]
    pub verdict: &'a Verdict,
}

pub fn to_string<T: Serialize>(value: &T, pretty: bool) -> String {
    let result = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    result.unwrap_or_else(|e| format!("{{\"error\":\"cannot serialize: {e}\"}}"))
}
