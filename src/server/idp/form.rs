//! `application/x-www-form-urlencoded` fields of a query string or POST body, read the way a
//! SAML binding needs them: a SAML message keeps a literal `+` (it can only be base64's `+`,
//! since base64 has no spaces, and hand-made Redirect URLs often leave it unescaped), while
//! other fields follow the form rules (`+` is a space).

use crate::saml::binding::percent_decode;

/// The fields as sent, still encoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormFields {
    pairs: Vec<(String, String)>,
}

/// Form decoding: `+` is a space, then percent escapes. A broken escape leaves the text as
/// it was rather than failing the whole request.
fn decode_text(raw: &str) -> String {
    let spaced = raw.replace('+', " ");
    match percent_decode(&spaced) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => spaced,
    }
}

impl FormFields {
    pub fn parse(text: &str) -> FormFields {
        let pairs = text
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode_text(k), v.to_string())
            })
            .collect();
        FormFields { pairs }
    }

    fn raw(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A SAML message field (`SAMLRequest`): percent escapes decoded, `+` kept. A broken
    /// escape is left in place for the message decoder to report with its position.
    pub fn message(&self, name: &str) -> Option<String> {
        let raw = self.raw(name)?;
        Some(match percent_decode(raw) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(_) => raw.to_string(),
        })
    }

    /// Any other field, by the form rules.
    pub fn text(&self, name: &str) -> Option<String> {
        self.raw(name).map(decode_text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_keeps_plus_and_text_makes_spaces() {
        let f =
            FormFields::parse("SAMLRequest=ab+c%2Bd%3D&RelayState=%2Fa+b%2F&user+name=j%40x&empty");
        assert_eq!(f.message("SAMLRequest").as_deref(), Some("ab+c+d="));
        assert_eq!(f.text("RelayState").as_deref(), Some("/a b/"));
        assert_eq!(f.text("user name").as_deref(), Some("j@x"));
        assert_eq!(f.text("empty").as_deref(), Some(""));
        assert_eq!(f.text("missing"), None);
        assert_eq!(FormFields::parse("x=%zz").text("x").as_deref(), Some("%zz"));
    }
}
