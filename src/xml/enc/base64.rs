//! Base64 as XML carries it: line breaks and spaces allowed anywhere.

use ::base64::Engine;

pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    ::base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()
}

/// Base64 in 76-column lines, as xmlsec1 and most IdPs write CipherValue.
pub(crate) fn encode_wrapped(bytes: &[u8]) -> String {
    let flat = ::base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut out = String::with_capacity(flat.len() + flat.len() / 76 + 1);
    for (i, chunk) in flat.as_bytes().chunks(76).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        // Base64 output is ASCII.
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
    }
    out
}
