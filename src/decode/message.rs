//! A SAML message as it travelled: which binding carried it, under which parameter name, and
//! the bytes exactly as sent (the Redirect binding's signature covers those bytes, not the
//! decoded values). Every front door (a URL, a form body, a HAR or SAML-tracer entry) builds one
//! of these and hands it to [`crate::decode::analyze()`].

use crate::saml::binding::percent_decode;

/// How the message travelled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Binding {
    /// HTTP-Redirect: DEFLATE + base64 in the URL query, signed (if at all) over the query.
    Redirect,
    /// HTTP-POST: base64 in a form field, signed (if at all) inside the XML.
    Post,
    /// A bare value or raw XML: the binding is not known.
    #[default]
    Unknown,
}

/// The parameter that carried the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Param {
    #[serde(rename = "SAMLRequest")]
    SamlRequest,
    #[serde(rename = "SAMLResponse")]
    SamlResponse,
}

impl Param {
    pub fn name(self) -> &'static str {
        match self {
            Param::SamlRequest => "SAMLRequest",
            Param::SamlResponse => "SAMLResponse",
        }
    }

    pub fn from_name(name: &str) -> Option<Param> {
        match name {
            "SAMLRequest" => Some(Param::SamlRequest),
            "SAMLResponse" => Some(Param::SamlResponse),
            _ => None,
        }
    }
}

/// One SAML message as captured.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RawMessage {
    pub binding: Binding,
    /// `None` for a bare value or raw XML.
    pub param: Option<Param>,
    /// The value exactly as sent: URL-encoded when it came from a query or form body, bare
    /// base64, or raw XML.
    pub value: String,
    /// RelayState, decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay_state: Option<String>,
    /// SigAlg (Redirect binding), decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sig_alg: Option<String>,
    /// Signature (Redirect binding), decoded base64 text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// The query string exactly as sent (without `?`), when the message came in a URL: the
    /// Redirect signature is checked over its original bytes. Without it the signed bytes
    /// are rebuilt by encoding the decoded values, which may differ from what was signed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_query: Option<String>,
    /// Where the message was sent (the URL without its query, or the form's action).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Why a URL or form body holds no SAML message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CarrierError {
    #[error("the {carrier} has no SAMLRequest or SAMLResponse parameter ({})", present(*.count, .names))]
    NoSamlParameter {
        carrier: &'static str,
        /// How many parameters it has.
        count: usize,
        /// Their names, joined by ", ", escaped and cut to [`QUOTED_NAMES`] characters.
        names: String,
    },
    #[error("the {carrier} has both SAMLRequest and SAMLResponse; a binding carries one message")]
    TwoMessages { carrier: &'static str },
}

/// At most this many characters of the parameter names are quoted in an error: a text that
/// is no form body (a README with `SAMLResponse=` in it) must not fill the terminal.
pub const QUOTED_NAMES: usize = 80;

/// `names` escaped (a line end shows as `\n`) and cut to [`QUOTED_NAMES`] characters, `...`
/// marking the cut.
fn quoted_names(names: &[&str]) -> String {
    let escaped: String = names.join(", ").escape_debug().collect();
    match escaped.char_indices().nth(QUOTED_NAMES) {
        Some((at, _)) => format!("{}...", &escaped[..at]),
        None => escaped,
    }
}

fn present(count: usize, names: &str) -> String {
    match count {
        0 => "it has no parameters".into(),
        1 => format!("1 parameter: {names}"),
        n => format!("{n} parameters: {names}"),
    }
}

/// `name=value` pairs of a query or form body, values as sent.
pub fn split_pairs(text: &str) -> Vec<(&str, &str)> {
    text.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| kv.split_once('=').unwrap_or((kv, "")))
        .collect()
}

/// Percent-decoding for parameters that are text (RelayState, SigAlg); a form body's `+` is
/// a space there, while in base64 values it stays a `+` (see `percent_decode`).
fn decode_text(value: &str, plus_is_space: bool) -> String {
    let value = if plus_is_space {
        value.replace('+', " ")
    } else {
        value.to_string()
    };
    match percent_decode(&value) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => value,
    }
}

impl RawMessage {
    /// A bare value or raw XML whose binding is not known.
    pub fn bare(value: impl Into<String>) -> RawMessage {
        RawMessage {
            value: value.into(),
            ..RawMessage::default()
        }
    }

    /// The message in a URL's query (HTTP-Redirect binding), keeping the query as sent.
    pub fn from_url(url: &str) -> Result<RawMessage, CarrierError> {
        let url = url.trim();
        // A fragment is never sent to the server.
        let url = url.split_once('#').map_or(url, |(u, _)| u);
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut message = Self::from_pairs(query, "URL query", false)?;
        message.binding = Binding::Redirect;
        message.raw_query = Some(query.to_string());
        message.url = Some(base.to_string());
        Ok(message)
    }

    /// The message in an `application/x-www-form-urlencoded` body (HTTP-POST binding).
    /// `action` is where the form was posted, when known.
    pub fn from_form(body: &str, action: Option<&str>) -> Result<RawMessage, CarrierError> {
        let mut message = Self::from_pairs(body.trim(), "form body", true)?;
        message.binding = Binding::Post;
        message.url = action.map(str::to_string);
        Ok(message)
    }

    fn from_pairs(
        text: &str,
        carrier: &'static str,
        form: bool,
    ) -> Result<RawMessage, CarrierError> {
        let mut message = RawMessage::default();
        let mut names = Vec::new();
        for (name, value) in split_pairs(text) {
            names.push(name);
            match name {
                "SAMLRequest" | "SAMLResponse" => {
                    if message.param.is_some() {
                        return Err(CarrierError::TwoMessages { carrier });
                    }
                    message.param = Param::from_name(name);
                    message.value = value.to_string();
                }
                "RelayState" => message.relay_state = Some(decode_text(value, form)),
                "SigAlg" => message.sig_alg = Some(decode_text(value, form)),
                // base64: a '+' is a '+' even in a form body written by hand.
                "Signature" => message.signature = Some(decode_text(value, false)),
                _ => {}
            }
        }
        if message.param.is_none() {
            return Err(CarrierError::NoSamlParameter {
                carrier,
                count: names.len(),
                names: quoted_names(&names),
            });
        }
        Ok(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_keeps_the_query_as_sent() {
        let m = RawMessage::from_url(
            "https://idp.example/sso?x=1&SAMLRequest=fZ%2B&RelayState=%2Fa%20b&SigAlg=http%3A%2F%2Fx&Signature=ab%2Bc#frag",
        )
        .unwrap();
        assert_eq!(m.binding, Binding::Redirect);
        assert_eq!(m.param, Some(Param::SamlRequest));
        assert_eq!(m.value, "fZ%2B");
        assert_eq!(m.relay_state.as_deref(), Some("/a b"));
        assert_eq!(m.sig_alg.as_deref(), Some("http://x"));
        assert_eq!(m.signature.as_deref(), Some("ab+c"));
        assert_eq!(m.url.as_deref(), Some("https://idp.example/sso"));
        assert!(m.raw_query.unwrap().ends_with("Signature=ab%2Bc"));
    }

    #[test]
    fn form_and_errors() {
        let m = RawMessage::from_form("SAMLResponse=PHg%2B&RelayState=a+b", None).unwrap();
        assert_eq!(m.binding, Binding::Post);
        assert_eq!(m.relay_state.as_deref(), Some("a b"));
        assert!(matches!(
            RawMessage::from_url("https://sp/?a=1"),
            Err(CarrierError::NoSamlParameter { .. })
        ));
        assert!(matches!(
            RawMessage::from_form("SAMLResponse=a&SAMLRequest=b", None),
            Err(CarrierError::TwoMessages { .. })
        ));
    }

    #[test]
    fn no_saml_parameter_quotes_at_most_80_characters_of_names() {
        assert_eq!(
            RawMessage::from_url("https://sp/?a=1&b=2")
                .unwrap_err()
                .to_string(),
            "the URL query has no SAMLRequest or SAMLResponse parameter (2 parameters: a, b)"
        );
        assert_eq!(
            RawMessage::from_url("https://sp/").unwrap_err().to_string(),
            "the URL query has no SAMLRequest or SAMLResponse parameter (it has no parameters)"
        );
        // A text with `SAMLResponse=` in it, read as a form body: its lines are no names.
        let text = format!("# Title\n\n{}\nsee SAMLResponse =x&y", "word ".repeat(40));
        assert_eq!(
            RawMessage::from_form(&text, None).unwrap_err().to_string(),
            format!(
                "the form body has no SAMLRequest or SAMLResponse parameter (2 parameters: \
                 # Title\\n\\n{}word...)",
                "word ".repeat(13)
            )
        );
    }
}
