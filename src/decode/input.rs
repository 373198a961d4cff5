//! What the user gave: a URL, a bare value, a form body or raw XML, detected or forced with
//! `--input`, turned into the [`RawMessage`]s it holds. HAR and SAML-tracer files are read by
//! their own importer ([`crate::saml::capture`]), whose messages convert to [`RawMessage`]s;
//! `samlcheck decode` sends them there.

use super::message::{CarrierError, RawMessage};

/// The kinds of input `decode` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    /// A full URL with SAMLRequest or SAMLResponse (and RelayState, SigAlg, Signature) in its query.
    Url,
    /// A bare SAMLRequest / SAMLResponse value: base64, DEFLATEd or not, URL-encoded or not.
    Value,
    /// A form body: `SAMLResponse=...&RelayState=...`.
    Form,
    /// The XML of the message.
    Xml,
    /// A HAR 1.2 export (Chrome, Firefox).
    Har,
    /// A SAML-tracer JSON export.
    Tracer,
}

/// Why the input holds no message to analyze.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("the input is empty")]
    Empty,
    #[error(transparent)]
    Carrier(#[from] CarrierError),
    #[error("--input {0}: not supported by this reader (HAR and SAML-tracer files have their own importer)")]
    Unsupported(&'static str),
    #[error("the input is not valid UTF-8 text (byte {0}); give the value, URL or XML as text")]
    NotText(usize),
}

/// Guesses the kind of `text` (already trimmed).
pub fn detect(text: &str) -> InputKind {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    if text.starts_with('<') || text.starts_with("\u{feff}<") {
        InputKind::Xml
    } else if text.starts_with('{') {
        // A HAR file has a top-level "log"; SAML-tracer's export has "requests".
        if text.contains("\"log\"") {
            InputKind::Har
        } else {
            InputKind::Tracer
        }
    } else if lower.starts_with("http://")
        || lower.starts_with("https://")
        || (text.starts_with('/') && text.contains('?'))
    {
        InputKind::Url
    } else if text.contains("SAMLResponse=") || text.contains("SAMLRequest=") {
        InputKind::Form
    } else {
        InputKind::Value
    }
}

/// The messages in `bytes`, read as `forced` or as detected.
pub fn read(bytes: &[u8], forced: Option<InputKind>) -> Result<Vec<RawMessage>, InputError> {
    let text = std::str::from_utf8(bytes).map_err(|e| InputError::NotText(e.valid_up_to()))?;
    let text = text.trim();
    if text.is_empty() {
        return Err(InputError::Empty);
    }
    let kind = forced.unwrap_or_else(|| detect(text));
    Ok(vec![match kind {
        InputKind::Url => RawMessage::from_url(text)?,
        InputKind::Form => RawMessage::from_form(text, None)?,
        InputKind::Value | InputKind::Xml => RawMessage::bare(text),
        InputKind::Har => return Err(InputError::Unsupported("har")),
        InputKind::Tracer => return Err(InputError::Unsupported("tracer")),
    }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{Binding, Param};

    #[test]
    fn detects_each_kind() {
        assert_eq!(detect("<samlp:Response/>"), InputKind::Xml);
        assert_eq!(detect("https://idp/sso?SAMLRequest=x"), InputKind::Url);
        assert_eq!(detect("HTTPS://idp/sso?SAMLRequest=x"), InputKind::Url);
        assert_eq!(detect("/saml/acs/acme/?SAMLResponse=x"), InputKind::Url);
        assert_eq!(detect("SAMLResponse=PHg%3D&RelayState=a"), InputKind::Form);
        assert_eq!(detect("PHNhbWxwOlJlc3BvbnNl"), InputKind::Value);
        assert_eq!(detect("{\"log\": {}}"), InputKind::Har);
    }

    #[test]
    fn reads_forced_and_refuses_foreign_kinds() {
        let m = read(b"  https://idp/sso?SAMLRequest=abc  ", None).unwrap();
        assert_eq!(m[0].binding, Binding::Redirect);
        assert_eq!(m[0].param, Some(Param::SamlRequest));
        let m = read(b"SAMLResponse=abc", Some(InputKind::Value)).unwrap();
        assert_eq!(m[0].binding, Binding::Unknown);
        assert!(matches!(
            read(b"{}", Some(InputKind::Har)),
            Err(InputError::Unsupported("har"))
        ));
        assert_eq!(read(b" \n", None), Err(InputError::Empty));
    }
}
