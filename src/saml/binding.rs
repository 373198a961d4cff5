//! From what a user pastes to XML bytes: raw XML, a base64 SAMLResponse value (URL-encoded or
//! not, with or without line breaks, DEFLATEd for the Redirect binding), or a form body.

use base64::Engine;
use std::borrow::Cow;

/// The decoding layers that were peeled off, in order (for explanations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layer {
    FormField,
    UrlDecoding,
    Base64,
    Deflate,
}

impl std::fmt::Display for Layer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Layer::FormField => "form field",
            Layer::UrlDecoding => "URL-decoding",
            Layer::Base64 => "base64",
            Layer::Deflate => "inflate",
        })
    }
}

/// A message decoded to XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub xml: Vec<u8>,
    pub layers: Vec<Layer>,
    /// The RelayState that came with a form body, if any.
    pub relay_state: Option<String>,
}

/// Which layer broke, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the input is empty")]
    Empty,
    #[error("the form body has no SAMLResponse field (fields present: {0})")]
    NoSamlResponseField(String),
    #[error("{done}URL-decoding failed at byte {offset}: '%' is not followed by two hex digits")]
    UrlDecoding { done: String, offset: usize },
    #[error("{done}base64 failed at character {offset}: {reason}")]
    Base64 {
        done: String,
        offset: usize,
        reason: String,
    },
    #[error("{done}inflate failed at byte {offset} of {total}: {reason}")]
    Inflate {
        done: String,
        offset: usize,
        total: usize,
        reason: String,
    },
    #[error("{done}the decoded bytes are not XML (they start with {start:?})")]
    NotXml { done: String, start: String },
}

fn done(layers: &[Layer]) -> String {
    if layers.is_empty() {
        return String::new();
    }
    let list: Vec<String> = layers.iter().map(|l| format!("{l} ok")).collect();
    format!("{}, ", list.join(", "))
}

fn looks_like_xml(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

/// Percent-decoding. A literal '+' stays '+': base64 uses it, and pasted values are often
/// only partly encoded.
pub fn percent_decode(text: &str) -> Result<Vec<u8>, usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // Copy the run up to the next escape at once.
        let run = memchr::memchr(b'%', &bytes[i..]).unwrap_or(bytes.len() - i);
        out.extend_from_slice(&bytes[i..i + run]);
        i += run;
        if i >= bytes.len() {
            break;
        }
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(i)?;
            // from_str_radix would accept a sign ("%+1"); only two hex digits are an escape.
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return Err(i);
            }
            let s = std::str::from_utf8(hex).map_err(|_| i)?;
            out.push(u8::from_str_radix(s, 16).map_err(|_| i)?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(out)
}

/// The input itself when it is already XML (what [`decode_message`] would copy out).
pub fn as_raw_xml(input: &[u8]) -> Option<&[u8]> {
    let trimmed = trim(input);
    looks_like_xml(trimmed).then_some(trimmed)
}

/// Decodes any accepted form of a SAML message to its XML bytes.
pub fn decode_message(input: &[u8]) -> Result<Decoded, DecodeError> {
    let trimmed = trim(input);
    if trimmed.is_empty() {
        return Err(DecodeError::Empty);
    }
    if looks_like_xml(trimmed) {
        return Ok(Decoded {
            xml: trimmed.to_vec(),
            layers: Vec::new(),
            relay_state: None,
        });
    }
    // Borrowed all the way when the value needs no decoding step that rewrites it.
    let text: Cow<'_, str> = match std::str::from_utf8(trimmed) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(trimmed),
    };
    let mut layers = Vec::new();
    let mut relay_state = None;
    let mut value: Cow<'_, str> = Cow::Borrowed(&text);

    if text.contains('=')
        && text
            .split('&')
            .any(|kv| kv.contains('=') && !kv.ends_with('='))
        && !is_base64ish(&text)
    {
        let mut found = None;
        let mut names = Vec::new();
        for pair in text.split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            names.push(k.to_string());
            match k {
                "SAMLResponse" | "SAMLRequest" => found = Some(v),
                "RelayState" => {
                    relay_state = percent_decode(v)
                        .ok()
                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                }
                _ => {}
            }
        }
        value =
            Cow::Borrowed(found.ok_or_else(|| DecodeError::NoSamlResponseField(names.join(", ")))?);
        layers.push(Layer::FormField);
    }

    if value.contains('%') {
        let decoded = percent_decode(&value).map_err(|offset| DecodeError::UrlDecoding {
            done: done(&layers),
            offset,
        })?;
        value = Cow::Owned(
            String::from_utf8(decoded)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        );
        layers.push(Layer::UrlDecoding);
    }

    let bytes = decode_base64(&value).map_err(|(offset, reason)| DecodeError::Base64 {
        done: done(&layers),
        offset,
        reason,
    })?;
    layers.push(Layer::Base64);
    if looks_like_xml(&bytes) {
        return Ok(Decoded {
            xml: bytes,
            layers,
            relay_state,
        });
    }

    if bytes.first().is_some_and(|b| b.is_ascii_graphic()) && !looks_like_deflate(&bytes) {
        return Err(DecodeError::NotXml {
            done: done(&layers),
            start: String::from_utf8_lossy(&bytes[..bytes.len().min(16)]).into_owned(),
        });
    }
    let limit = crate::xml::Limits::MESSAGE.max_bytes;
    match inflate(&bytes, limit) {
        Ok(xml) if looks_like_xml(&xml) => {
            layers.push(Layer::Deflate);
            Ok(Decoded {
                xml,
                layers,
                relay_state,
            })
        }
        Ok(xml) => {
            layers.push(Layer::Deflate);
            Err(DecodeError::NotXml {
                done: done(&layers),
                start: String::from_utf8_lossy(&xml[..xml.len().min(16)]).into_owned(),
            })
        }
        Err((offset, reason)) => Err(DecodeError::Inflate {
            done: done(&layers),
            offset,
            total: bytes.len(),
            reason,
        }),
    }
}

/// Printable bytes that also start a plausible raw DEFLATE block are rare; text that is
/// neither XML nor DEFLATE is reported as "not XML" rather than as a broken stream.
fn looks_like_deflate(bytes: &[u8]) -> bool {
    // The first 3 bits are BFINAL and BTYPE; BTYPE 3 is reserved (invalid).
    bytes.first().is_some_and(|b| (b >> 1) & 0b11 != 0b11)
}

/// Raw DEFLATE (the Redirect binding), bounded by `limit` output bytes.
fn inflate(bytes: &[u8], limit: usize) -> Result<Vec<u8>, (usize, String)> {
    use flate2::{Decompress, FlushDecompress, Status};
    let mut d = Decompress::new(false);
    let mut out = Vec::with_capacity((bytes.len() * 4).min(limit));
    loop {
        if out.len() == out.capacity() {
            if out.len() >= limit {
                return Err((
                    d.total_in() as usize,
                    format!("it inflates to more than {limit} bytes"),
                ));
            }
            out.reserve((out.len()).clamp(1024, limit - out.len()));
        }
        let consumed = d.total_in() as usize;
        match d.decompress_vec(&bytes[consumed..], &mut out, FlushDecompress::None) {
            Ok(Status::StreamEnd) => return Ok(out),
            Ok(_) => {
                let stalled = d.total_in() as usize == bytes.len() && out.len() < out.capacity();
                if stalled {
                    return Err((
                        bytes.len(),
                        "the stream ends before its last block: the value was truncated, probably cut when copied".into(),
                    ));
                }
            }
            Err(e) => {
                return Err((
                    d.total_in() as usize,
                    format!("the data is not a valid DEFLATE stream ({e})"),
                ))
            }
        }
    }
}

fn trim(input: &[u8]) -> &[u8] {
    let start = input
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(input.len());
    let end = input
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &input[start..end]
}

fn is_base64ish(text: &str) -> bool {
    // A bare base64 value may end in '=' padding; a form body has a '=' after a field name.
    let body = text.trim_end_matches('=');
    !body.contains('=') && !body.contains('&')
}

/// Unpadded standard base64 that keeps the bits of a cut-off last character: a value truncated
/// when copied still decodes to its complete bytes, so the next layer (inflate, XML) can say
/// that it was truncated. The decoded bytes are checked by what reads them, never trusted as is.
const LENIENT_BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone),
);

/// Standard or URL-safe base64, whitespace ignored, padding optional. Errors give the
/// character offset in the original text.
fn decode_base64(text: &str) -> Result<Vec<u8>, (usize, String)> {
    // A value already compact and in the standard alphabet (what a form post carries) skips
    // the copy that tracks positions for error messages.
    // The decoder validates every byte itself; anything else (whitespace, URL-safe letters,
    // stray '=') fails it and takes the path below.
    let unpadded = text.trim_end_matches('=');
    if unpadded.len() % 4 != 1 {
        if let Ok(bytes) = LENIENT_BASE64.decode(unpadded) {
            return Ok(bytes);
        }
    }
    let mut compact = String::with_capacity(text.len());
    let mut positions = Vec::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if c.is_ascii_whitespace() {
            continue;
        }
        let c = match c {
            '-' => '+',
            '_' => '/',
            c => c,
        };
        if !(c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=') {
            return Err((i, format!("{c:?} is not a base64 character")));
        }
        compact.push(c);
        positions.push(i);
    }
    let unpadded = compact.trim_end_matches('=');
    if let Some(p) = unpadded.find('=') {
        return Err((
            positions[p],
            "'=' padding in the middle of the value".into(),
        ));
    }
    if unpadded.len() % 4 == 1 {
        return Err((
            text.len(),
            "the value ends mid-character: it was truncated".into(),
        ));
    }
    LENIENT_BASE64
        .decode(unpadded.as_bytes())
        .map_err(|e| (text.len(), e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const XML: &str = "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>";

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    #[test]
    fn raw_xml_passes_through() {
        let d = decode_message(format!("  {XML}\n").as_bytes()).unwrap();
        assert_eq!(d.xml, XML.as_bytes());
        assert!(d.layers.is_empty());
    }

    #[test]
    fn base64_with_line_breaks_and_url_encoding() {
        let encoded = b64(XML.as_bytes());
        let wrapped: String = encoded
            .as_bytes()
            .chunks(20)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join("\r\n");
        assert_eq!(
            decode_message(wrapped.as_bytes()).unwrap().xml,
            XML.as_bytes()
        );
        let url = encoded
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D");
        let d = decode_message(url.as_bytes()).unwrap();
        assert_eq!(d.layers, vec![Layer::UrlDecoding, Layer::Base64]);
    }

    #[test]
    fn form_body_with_relay_state() {
        let body = format!(
            "SAMLResponse={}&RelayState=%2Forg%2F",
            b64(XML.as_bytes()).replace('+', "%2B").replace('=', "%3D")
        );
        let d = decode_message(body.as_bytes()).unwrap();
        assert_eq!(d.xml, XML.as_bytes());
        assert_eq!(d.relay_state.as_deref(), Some("/org/"));
        assert_eq!(d.layers[0], Layer::FormField);
        assert!(matches!(
            decode_message(b"RelayState=x&foo=bar"),
            Err(DecodeError::NoSamlResponseField(_))
        ));
    }

    #[test]
    fn deflated_redirect_value_and_truncation() {
        let mut enc =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(XML.repeat(20).as_bytes()).unwrap();
        let deflated = enc.finish().unwrap();
        let d = decode_message(b64(&deflated).as_bytes()).unwrap();
        assert_eq!(d.layers, vec![Layer::Base64, Layer::Deflate]);
        let cut = b64(&deflated[..deflated.len() / 2]);
        let err = decode_message(cut.as_bytes()).unwrap_err();
        assert!(matches!(err, DecodeError::Inflate { .. }), "{err:?}");
        assert!(
            err.to_string()
                .starts_with("base64 ok, inflate failed at byte"),
            "{err}"
        );
    }

    #[test]
    fn percent_escapes_are_exactly_two_hex_digits() {
        assert_eq!(percent_decode("a%2Bb").unwrap(), b"a+b");
        assert_eq!(percent_decode("a%+1b"), Err(1));
        assert_eq!(percent_decode("a%2"), Err(1));
    }

    #[test]
    fn bad_base64_says_where() {
        let err = decode_message(b"PHNhbWxw*Oi").unwrap_err();
        assert!(
            matches!(err, DecodeError::Base64 { offset: 8, .. }),
            "{err:?}"
        );
        assert!(matches!(decode_message(b"   "), Err(DecodeError::Empty)));
    }
}
