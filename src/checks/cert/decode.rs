//! From the text of a `ds:X509Certificate` element to DER, or a diagnosis that says what is
//! broken and at which character of the text.
//!
//! Character positions are 1-based and count every character of the element's text content
//! (line breaks included), so "character 412" can be found by counting in an editor from the
//! character after `<ds:X509Certificate>`.

use openssl::pkey::PKey;

/// Why the text is not one certificate, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// 0-based index (in characters) into the element's text of the first offending character.
    pub char_index: usize,
    /// One sentence naming the problem and its position ("... at character 412").
    pub message: String,
    /// What was found there, for `Finding::found`.
    pub found: String,
}

/// One base64 symbol of the text, with where it came from.
#[derive(Debug, Clone, Copy)]
struct Symbol {
    value: u8,
    char_index: usize,
}

fn at(i: usize) -> String {
    format!("at character {}", i + 1)
}

fn broken(char_index: usize, message: String, found: impl Into<String>) -> Broken {
    Broken {
        char_index,
        message,
        found: found.into(),
    }
}

fn b64_value(c: char) -> Option<u8> {
    Some(match c {
        'A'..='Z' => c as u8 - b'A',
        'a'..='z' => c as u8 - b'a' + 26,
        '0'..='9' => c as u8 - b'0' + 52,
        '+' => 62,
        '/' => 63,
        _ => return None,
    })
}

/// Non-ASCII characters that look like (or are) spaces when copied from a web page or document.
fn unicode_space_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{00A0}' => "U+00A0 NO-BREAK SPACE",
        '\u{2007}' => "U+2007 FIGURE SPACE",
        '\u{202F}' => "U+202F NARROW NO-BREAK SPACE",
        '\u{200B}' => "U+200B ZERO WIDTH SPACE",
        '\u{FEFF}' => "U+FEFF ZERO WIDTH NO-BREAK SPACE",
        '\u{2028}' => "U+2028 LINE SEPARATOR",
        '\u{3000}' => "U+3000 IDEOGRAPHIC SPACE",
        c if c.is_whitespace() && !c.is_ascii() => "a non-ASCII space",
        _ => return None,
    })
}

fn describe_char(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("'{c}' (U+{:04X})", c as u32)
    }
}

/// Decodes the element text to DER, or says precisely why it cannot be.
pub fn decode(text: &str) -> Result<Vec<u8>, Broken> {
    // Fast path for the common case, a clean certificate: plain base64 of exactly one
    // certificate that x509-parser reads. Anything else gets the full diagnosis below.
    if let Some(der) = clean_certificate(text) {
        return Ok(der);
    }
    let chars: Vec<char> = text.chars().collect();
    if chars.iter().all(|c| c.is_ascii_whitespace()) {
        return Err(broken(
            0,
            "the element is empty: it holds no certificate".into(),
            "empty text",
        ));
    }
    if let Some(b) = pem_armor(text) {
        return Err(b);
    }

    // Collect the base64 symbols; stop at the first character that has no place in base64.
    let mut symbols: Vec<Symbol> = Vec::with_capacity(chars.len());
    let mut padding: Vec<usize> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_whitespace() {
            continue;
        }
        if c == '=' {
            padding.push(i);
            continue;
        }
        if let Some(v) = b64_value(c) {
            if let Some(&p) = padding.first() {
                return Err(padding_inside(&chars, &symbols, p, i));
            }
            symbols.push(Symbol {
                value: v,
                char_index: i,
            });
            continue;
        }
        return Err(bad_char(&chars, i));
    }
    if padding.len() > 2 {
        return Err(broken(
            padding[0],
            format!(
                "{} '=' padding characters {} (base64 ends with at most two)",
                padding.len(),
                at(padding[0])
            ),
            "=".repeat(padding.len()),
        ));
    }
    let last = symbols.last().map_or(0, |s| s.char_index);
    if symbols.len() % 4 == 1 {
        return Err(broken(
            last,
            format!(
                "the base64 text ends with an incomplete group {}: {} base64 characters, one too many or several missing (the text was cut or has a stray character)",
                at(last),
                symbols.len()
            ),
            format!("{} base64 characters", symbols.len()),
        ));
    }
    let bytes = decode_symbols(&symbols);
    // The DER structure decides between "truncated" and "missing padding".
    let der = check_der(&bytes, &symbols, &chars)?;
    let expected_padding = (4 - symbols.len() % 4) % 4;
    if padding.len() != expected_padding {
        return Err(broken(
            last,
            format!(
                "base64 padding wrong at the end (after character {}): {} '=' expected, {} found",
                last + 1,
                expected_padding,
                padding.len()
            ),
            format!("{} '='", padding.len()),
        ));
    }
    Ok(der)
}

fn clean_certificate(text: &str) -> Option<Vec<u8>> {
    let der = plain_base64(text)?;
    match x509_parser::parse_x509_certificate(&der) {
        Ok(([], _)) => Some(der),
        _ => None,
    }
}

/// The bytes of text that is plain padded base64 with line breaks anywhere; `None` for
/// anything else (which [`decode`] then explains). Says nothing about what the bytes are.
pub fn plain_base64(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    // Copied a line at a time rather than filtered a byte at a time.
    let mut compact = Vec::with_capacity(text.len());
    for line in text.split_ascii_whitespace() {
        compact.extend_from_slice(line.as_bytes());
    }
    base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .ok()
}

fn pem_armor(text: &str) -> Option<Broken> {
    let begins: Vec<usize> = text.match_indices("-----BEGIN").map(|(b, _)| b).collect();
    let first = text.find("-----BEGIN").or_else(|| text.find("-----END"))?;
    let i = text[..first].chars().count();
    let line = text[first..]
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    let message = if begins.len() > 1 {
        format!(
            "{} PEM blocks pasted inside the element, the first header \"{}\" {}: two certificates concatenated, and with PEM armor",
            begins.len(),
            line,
            at(i)
        )
    } else {
        format!(
            "PEM header \"{line}\" pasted inside the element {}: the element holds only the base64 between the BEGIN and END lines",
            at(i)
        )
    };
    Some(broken(i, message, line))
}

fn bad_char(chars: &[char], i: usize) -> Broken {
    let c = chars[i];
    if let Some(name) = unicode_space_name(c) {
        let count = chars.iter().filter(|&&x| x == c).count();
        return broken(
            i,
            format!(
                "line wrapped with spaces {}: {name} (found {count} time{}) is not a space that base64 decoders skip; only ASCII spaces and line breaks are",
                at(i),
                if count == 1 { "" } else { "s" }
            ),
            name,
        );
    }
    if c == '\\' && matches!(chars.get(i + 1), Some('n' | 'r' | 't')) {
        return broken(
            i,
            format!(
                "line breaks written as the two characters \"\\{}\" {} (copied from JSON or a string literal)",
                chars[i + 1],
                at(i)
            ),
            format!("\\{}", chars[i + 1]),
        );
    }
    if c == '-' || c == '_' {
        return broken(
            i,
            format!(
                "URL-safe base64 character '{c}' {}: the text is base64url (RFC 4648 section 5), the element needs standard base64 ('+' and '/')",
                at(i)
            ),
            c.to_string(),
        );
    }
    let others = chars
        .iter()
        .skip(i + 1)
        .filter(|&&x| !x.is_ascii_whitespace() && x != '=' && b64_value(x).is_none())
        .count();
    let more = match others {
        0 => String::new(),
        1 => " (and 1 more after it)".to_string(),
        n => format!(" (and {n} more after it)"),
    };
    broken(
        i,
        format!("non-base64 character {} {}{more}", describe_char(c), at(i)),
        describe_char(c),
    )
}

/// '=' padding followed by more base64: usually two certificates pasted one after the other.
fn padding_inside(chars: &[char], before: &[Symbol], pad: usize, next: usize) -> Broken {
    let first = decode_symbols(before);
    let rest: String = chars[next..]
        .iter()
        .filter(|c| !c.is_ascii_whitespace())
        .take(3)
        .collect();
    if x509_parser::parse_x509_certificate(&first).is_ok_and(|(rest, _)| rest.is_empty())
        && rest.starts_with("MII")
    {
        return broken(
            next,
            format!(
                "two certificates concatenated: the first ends with its '=' padding {}, the second starts {}; an X509Certificate element holds exactly one",
                at(pad),
                at(next)
            ),
            "two certificates",
        );
    }
    broken(
        pad,
        format!(
            "'=' padding {} in the middle of the base64 text (more base64 follows {})",
            at(pad),
            at(next)
        ),
        "=",
    )
}

fn decode_symbols(symbols: &[Symbol]) -> Vec<u8> {
    let mut out = Vec::with_capacity(symbols.len() * 3 / 4);
    for group in symbols.chunks(4) {
        let mut acc: u32 = 0;
        for (k, s) in group.iter().enumerate() {
            acc |= u32::from(s.value) << (18 - 6 * k);
        }
        let bytes = acc.to_be_bytes();
        let n = match group.len() {
            4 => 3,
            3 => 2,
            2 => 1,
            _ => 0,
        };
        out.extend_from_slice(&bytes[1..1 + n]);
    }
    out
}

/// The (tag-included) length of the outer DER element, if its header is complete.
fn der_total_len(bytes: &[u8]) -> Option<usize> {
    let first = *bytes.get(1)?;
    if first < 0x80 {
        return Some(2 + usize::from(first));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 {
        return None;
    }
    let len = bytes
        .get(2..2 + n)?
        .iter()
        .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
    Some(len.saturating_add(2 + n))
}

/// Character index of the symbol that carries byte `byte` of the decoded data.
fn char_of_byte(symbols: &[Symbol], chars_len: usize, byte: usize) -> usize {
    symbols
        .get(byte * 4 / 3)
        .map_or(chars_len.saturating_sub(1), |s| s.char_index)
}

fn check_der(bytes: &[u8], symbols: &[Symbol], chars: &[char]) -> Result<Vec<u8>, Broken> {
    let start = symbols.first().map_or(0, |s| s.char_index);
    let last = symbols.last().map_or(0, |s| s.char_index);
    if bytes.starts_with(b"MII") {
        return Err(broken(
            start,
            format!(
                "the certificate is base64-encoded twice: the text {} decodes to more base64 (\"MII...\")",
                at(start)
            ),
            "base64 of base64",
        ));
    }
    if bytes.starts_with(b"-----BEGIN") {
        return Err(broken(
            start,
            format!(
                "the text {} decodes to a PEM file (\"-----BEGIN ...\"): the PEM text was base64-encoded again",
                at(start)
            ),
            "base64 of PEM",
        ));
    }
    if bytes.first() != Some(&0x30) {
        return Err(broken(
            start,
            format!(
                "the base64 does not decode to DER {}: the first byte is 0x{:02X}, a certificate starts with 0x30 (SEQUENCE)",
                at(start),
                bytes.first().copied().unwrap_or(0)
            ),
            format!("first byte 0x{:02X}", bytes.first().copied().unwrap_or(0)),
        ));
    }
    let Some(total) = der_total_len(bytes) else {
        return Err(broken(
            start,
            format!(
                "the DER length header {} is cut or invalid ({} bytes decoded)",
                at(start),
                bytes.len()
            ),
            format!("{} bytes", bytes.len()),
        ));
    };
    if total > bytes.len() {
        let missing = total - bytes.len();
        return Err(broken(
            last,
            format!(
                "truncated: the DER length says {total} bytes, only {} present ({missing} missing, about {} base64 characters); the text ends {}",
                bytes.len(),
                missing.div_ceil(3) * 4,
                at(last)
            ),
            format!("{} of {total} bytes", bytes.len()),
        ));
    }
    let der = &bytes[..total];
    if total < bytes.len() {
        let i = char_of_byte(symbols, chars.len(), total);
        let rest = &bytes[total..];
        let second = x509_parser::parse_x509_certificate(rest).is_ok();
        return Err(if second {
            broken(
                i,
                format!(
                    "two certificates concatenated: the first ends after {total} bytes, the second starts {}; an X509Certificate element holds exactly one",
                    at(i)
                ),
                "two certificates",
            )
        } else {
            broken(
                i,
                format!(
                    "{} bytes of extra data after the {total}-byte certificate, from {}",
                    rest.len(),
                    at(i)
                ),
                format!("{} extra bytes", rest.len()),
            )
        });
    }
    if let Err(e) = x509_parser::parse_x509_certificate(der) {
        let what = if PKey::private_key_from_der(der).is_ok() {
            "a PRIVATE KEY, not a certificate: treat the key as compromised and replace it"
                .to_string()
        } else if PKey::public_key_from_der(der).is_ok() {
            "a bare public key (SubjectPublicKeyInfo), not a certificate".to_string()
        } else {
            format!("well-formed DER but not an X.509 certificate ({e})")
        };
        return Err(broken(
            start,
            format!("the text {} is {what}", at(start)),
            what,
        ));
    }
    Ok(der.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn der_b64() -> String {
        let pem = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/certs/good.crt"
        ))
        .unwrap();
        pem.lines().filter(|l| !l.starts_with("-----")).collect()
    }

    #[test]
    fn good_text_decodes_with_any_ascii_whitespace() {
        let b64 = der_b64();
        let wrapped: String = b64
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join("\r\n\t ");
        assert_eq!(
            decode(&b64).unwrap(),
            decode(&format!("\n  {wrapped}\n")).unwrap()
        );
    }

    #[test]
    fn each_breakage_is_named_with_its_position() {
        let b64 = der_b64();
        let cases = [
            (format!("{}\\n{}", &b64[..64], &b64[64..]), "\\n", 65),
            (format!("{}-{}", &b64[..10], &b64[10..]), "URL-safe", 11),
            (format!("{}#{}", &b64[..10], &b64[10..]), "'#'", 11),
            (
                format!("{}\u{200B}{}", &b64[..3], &b64[3..]),
                "ZERO WIDTH",
                4,
            ),
            (
                b64[..b64.len() - 3].to_string(),
                "incomplete group",
                b64.len() - 3,
            ),
            (b64[..b64.len() - 2].to_string(), "truncated", b64.len() - 2),
            ("TUlJQw==".to_string(), "base64-encoded twice", 1),
            (" AAAA".to_string(), "first byte is 0x00", 2),
        ];
        for (text, what, char_no) in cases {
            let err = decode(&text).unwrap_err();
            assert!(err.message.contains(what), "{what}: {}", err.message);
            assert_eq!(err.char_index + 1, char_no, "{}", err.message);
            assert!(
                err.message.contains(&format!("character {char_no}")),
                "{}",
                err.message
            );
        }
    }

    #[test]
    fn missing_padding_is_reported_apart_from_truncation() {
        // A DER whose length is not a multiple of 3 ends with padding; drop it.
        let der = openssl::x509::X509::from_pem(
            &std::fs::read(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/fixtures/certs/good-2.crt"
            ))
            .unwrap(),
        )
        .unwrap()
        .to_der()
        .unwrap();
        assert_ne!(der.len() % 3, 0);
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
        let err = decode(b64.trim_end_matches('=')).unwrap_err();
        assert!(err.message.contains("padding"), "{}", err.message);
        assert_eq!(decode(&b64).unwrap(), der);
    }

    #[test]
    fn any_cut_or_insertion_is_an_error_and_never_a_panic() {
        let b64 = der_b64();
        for i in (0..b64.len()).step_by(5) {
            assert!(decode(&b64[..i]).is_err(), "cut at {i}");
            for c in ["=", "*", "\u{a0}", "-", "\\n", "==", "A", "-----END"] {
                let text = format!("{}{c}{}", &b64[..i], &b64[i..]);
                if let Err(e) = decode(&text) {
                    assert!(e.char_index < text.chars().count(), "{e:?}");
                }
            }
        }
    }
}
