//! Turning raw markup text into character data: line-end normalization, attribute-value
//! normalization and reference expansion, exactly as an XML 1.0 processor without a DTD does.

use super::error::XmlErrorKind;

/// Whether `c` may appear in an XML 1.0 document.
pub fn is_xml_char(c: char) -> bool {
    matches!(c as u32,
        0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// Checks that raw text holds only XML characters (so U+0000 and friends cannot slip through).
/// Works on bytes: in valid UTF-8 the only non-XML characters are the C0 controls (one byte)
/// and U+FFFE / U+FFFF (EF BF BE / EF BF BF); surrogates cannot occur in a `str`.
pub fn check_chars(raw: &str) -> Result<(), (usize, XmlErrorKind)> {
    check_chars_noting_cr(raw).map(|_| ())
}

/// [`check_chars`], also saying whether `raw` holds a CR: a document without one needs no
/// line-end normalization anywhere, and the parser then skips looking for CRs text by text.
pub fn check_chars_noting_cr(raw: &str) -> Result<bool, (usize, XmlErrorKind)> {
    let bytes = raw.as_bytes();
    // Branch-free first pass (it vectorizes); the exact position is looked for only if needed.
    let (suspicious, has_cr) = bytes.iter().fold((false, false), |(seen, cr), &b| {
        (
            seen | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0xEF),
            cr | (b == b'\r'),
        )
    });
    if !suspicious {
        return Ok(has_cr);
    }
    for (i, &b) in bytes.iter().enumerate() {
        if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') {
            return Err((i, XmlErrorKind::InvalidChar(u32::from(b))));
        }
        if b == 0xEF && bytes.get(i + 1) == Some(&0xBF) {
            if let Some(&last @ (0xBE | 0xBF)) = bytes.get(i + 2) {
                return Err((
                    i,
                    XmlErrorKind::InvalidChar(0xFFFE + u32::from(last - 0xBE)),
                ));
            }
        }
    }
    Ok(has_cr)
}

/// Appends raw character data (no references inside) with line ends normalized to `\n`.
pub fn push_text(out: &mut String, raw: &str) {
    if !raw.contains('\r') {
        out.push_str(raw);
        return;
    }
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
}

/// Splits a processing instruction's raw content into target and data (data with line ends
/// normalized), refusing a target that is not a name or is reserved (`xml`).
pub fn processing_instruction(raw: &str) -> Result<(String, String), XmlErrorKind> {
    let (target, data) = split_processing_instruction(raw)?;
    let mut value = String::new();
    push_text(&mut value, data);
    Ok((target.to_string(), value))
}

/// The target and the raw data (line ends not yet normalized) of a processing instruction.
pub fn split_processing_instruction(raw: &str) -> Result<(&str, &str), XmlErrorKind> {
    let (target, data) = match raw.find(|c: char| c.is_ascii_whitespace()) {
        // Only XML whitespace separates target from data; other spaces belong to the data.
        Some(n) => (
            &raw[..n],
            raw[n..].trim_start_matches([' ', '\t', '\r', '\n']),
        ),
        None => (raw, ""),
    };
    if target.eq_ignore_ascii_case("xml") || !super::tree::is_name(target) {
        return Err(XmlErrorKind::BadName(target.to_string()));
    }
    Ok((target, data))
}

/// Checks an XML declaration's content (what follows `<?xml` up to `?>`) against XML 1.0's
/// grammar: `version`, then optionally `encoding`, then optionally `standalone`, each after
/// whitespace, quoted. Returns the encoding it names. The tree parser and the lint stream both
/// use it, so neither accepts a declaration the other refuses.
pub fn check_declaration(body: &str) -> Result<Option<&str>, XmlErrorKind> {
    const WS: [char; 4] = [' ', '\t', '\r', '\n'];
    const NAMES: [&str; 3] = ["version", "encoding", "standalone"];
    let bad = || XmlErrorKind::Syntax("malformed XML declaration".into());
    let mut rest = body;
    let mut next = 0;
    let mut encoding = None;
    loop {
        let trimmed = rest.trim_start_matches(WS);
        let spaced = trimmed.len() != rest.len();
        rest = trimmed;
        if rest.is_empty() {
            break;
        }
        let eq = rest.find('=').ok_or_else(bad)?;
        let name = rest[..eq].trim_end_matches(WS);
        let index = NAMES.iter().position(|n| *n == name).ok_or_else(bad)?;
        // Each pseudo-attribute at most once, in order, version first, space-separated.
        if !spaced || index < next || (next == 0 && index != 0) {
            return Err(bad());
        }
        let value_part = rest[eq + 1..].trim_start_matches(WS);
        let quote = match value_part.as_bytes().first() {
            Some(&q @ (b'"' | b'\'')) => q as char,
            _ => return Err(bad()),
        };
        let close = value_part[1..].find(quote).ok_or_else(bad)?;
        let value = &value_part[1..1 + close];
        let valid = match index {
            0 => value
                .strip_prefix("1.")
                .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())),
            1 => {
                let mut bytes = value.bytes();
                bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
                    && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            }
            _ => value == "yes" || value == "no",
        };
        if !valid {
            return Err(bad());
        }
        if index == 1 {
            encoding = Some(value);
        }
        next = index + 1;
        rest = &value_part[1 + close + 1..];
    }
    if next == 0 {
        return Err(bad());
    }
    Ok(encoding)
}

/// `text` escaped for an XML attribute value or character data. Characters XML 1.0 cannot
/// carry become U+FFFD; line ends and tabs in attributes become character references so that
/// a reader gets them back instead of spaces.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Resolves the body of a reference (`amp`, `#38`, `#x26`) to its character.
pub fn resolve_reference(name: &str) -> Result<char, XmlErrorKind> {
    let named = match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    };
    if let Some(c) = named {
        return Ok(c);
    }
    let Some(number) = name.strip_prefix('#') else {
        return Err(XmlErrorKind::UndefinedEntity(name.to_string()));
    };
    let parsed = match number.strip_prefix('x') {
        Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
            u32::from_str_radix(hex, 16).ok()
        }
        None if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => {
            number.parse::<u32>().ok()
        }
        _ => None,
    };
    parsed
        .and_then(char::from_u32)
        .filter(|c| is_xml_char(*c))
        .ok_or_else(|| XmlErrorKind::InvalidCharRef(name.to_string()))
}

/// The normalized value of a raw attribute value (between the quotes): line ends become `\n`,
/// then literal whitespace becomes a space, then references are expanded (a `&#xA;` stays a
/// newline). Returns the byte offset within `raw` of any error.
pub fn attribute_value(raw: &str) -> Result<String, (usize, XmlErrorKind)> {
    let mut out = String::with_capacity(raw.len());
    attribute_value_into(raw, &mut out)?;
    Ok(out)
}

/// Whether a raw attribute value differs from its normalized value (or is malformed).
/// Eight bytes at a time: this runs over every attribute value of every document, and a
/// byte-at-a-time loop was a sixth of building the tree. A control character other than
/// TAB, LF and CR also answers yes; `check_chars` has refused those already, and the
/// normalizing path is correct for anything.
pub fn attribute_needs_normalizing(raw: &[u8]) -> bool {
    any_byte(raw, [b'&', b'<'], 0x20)
}

/// Whether some byte of `bytes` equals one of `equal` or is below `below` (at most 128),
/// eight bytes at a time: names, values and text runs are mostly short, and a search call
/// costs more than this for them.
pub(crate) fn any_byte<const N: usize>(bytes: &[u8], equal: [u8; N], below: u8) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // Exact for "some byte is below n" (n <= 128); a zero byte of `w ^ c` is a byte equal to c.
    let is_below = |w: u64, n: u8| w.wrapping_sub(ONES * u64::from(n)) & !w & HIGHS != 0;
    let special = |w: u64| {
        is_below(w, below)
            || equal
                .iter()
                .any(|&c| is_below(w ^ (ONES * u64::from(c)), 1))
    };
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut le = [0u8; 8];
        le.copy_from_slice(word);
        if special(u64::from_le_bytes(le)) {
            return true;
        }
    }
    words
        .remainder()
        .iter()
        .any(|&b| b < below || equal.contains(&b))
}

/// [`attribute_value`], appending to `out`.
pub fn attribute_value_into(raw: &str, out: &mut String) -> Result<(), (usize, XmlErrorKind)> {
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        let b = bytes[i];
        match b {
            b'<' => return Err((i, XmlErrorKind::LessThanInAttribute)),
            b'&' => {
                let end = raw[i..]
                    .find(';')
                    .ok_or((i, XmlErrorKind::Syntax("'&' without a closing ';'".into())))?;
                let name = &raw[i + 1..i + end];
                out.push(resolve_reference(name).map_err(|e| (i, e))?);
                i += end + 1;
            }
            b'\r' => {
                out.push(' ');
                i += if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
            }
            b'\n' | b'\t' => {
                out.push(' ');
                i += 1;
            }
            _ => {
                let next = raw[i..]
                    .find(['<', '&', '\r', '\n', '\t'])
                    .map_or(raw.len(), |n| i + n);
                out.push_str(&raw[i..next]);
                i = next;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_bytes_and_controls_make_an_attribute_value_need_normalizing() {
        // Every byte at every place of the eight-byte words and of the tail after them.
        for len in 1..=19 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut value = vec![b'a'; len];
                    value[at] = b;
                    let special = b < 0x20 || b == b'<' || b == b'&';
                    assert_eq!(
                        attribute_needs_normalizing(&value),
                        special,
                        "{b:#04x} at {at} of {len}"
                    );
                }
            }
        }
        assert!(!attribute_needs_normalizing(b""));
        assert!(!attribute_needs_normalizing(
            "caf\u{e9} \u{2028} \u{10FFFF}\u{80}".as_bytes()
        ));
        // Bytes just above and below the special ones, where a borrow could carry over.
        assert!(!attribute_needs_normalizing(
            b"%'%';=;=  !!\x7f\x7f\xff\xff"
        ));
    }

    #[test]
    fn attribute_values_are_normalized_then_expanded() {
        assert_eq!(
            attribute_value("a\r\nb\tc&#xA;d&amp;").unwrap(),
            "a b c\nd&"
        );
        assert_eq!(attribute_value("x&#13;").unwrap(), "x\r");
        assert!(matches!(
            attribute_value("a<b"),
            Err((1, XmlErrorKind::LessThanInAttribute))
        ));
        assert!(matches!(
            attribute_value("&foo;"),
            Err((0, XmlErrorKind::UndefinedEntity(_)))
        ));
        assert!(matches!(
            attribute_value("&#0;"),
            Err((0, XmlErrorKind::InvalidCharRef(_)))
        ));
        assert!(matches!(
            attribute_value("&#xD800;"),
            Err((0, XmlErrorKind::InvalidCharRef(_)))
        ));
    }

    #[test]
    fn non_xml_characters_are_found_by_byte_scan() {
        assert!(check_chars("a\tb\u{85}\u{FFFD}\u{10000}").is_ok());
        assert_eq!(check_chars("ab\u{1}").unwrap_err().0, 2);
        assert!(matches!(
            check_chars("a\u{FFFE}"),
            Err((1, XmlErrorKind::InvalidChar(0xFFFE)))
        ));
        assert!(matches!(
            check_chars("\u{FFFF}"),
            Err((0, XmlErrorKind::InvalidChar(0xFFFF)))
        ));
        assert!(check_chars("\u{EFBF}").is_ok());
        assert_eq!(check_chars_noting_cr("a\nb"), Ok(false));
        assert_eq!(check_chars_noting_cr("a\r\nb"), Ok(true));
        assert_eq!(check_chars_noting_cr("\u{FFFD}\r"), Ok(true));
    }

    #[test]
    fn declarations_follow_the_grammar() {
        assert_eq!(check_declaration(" version=\"1.0\""), Ok(None));
        assert_eq!(
            check_declaration(" version='1.0' encoding=\"UTF-8\" standalone='yes' "),
            Ok(Some("UTF-8"))
        );
        for bad in [
            "",
            " encoding=\"UTF-8\"",
            " version=\"1.0\"ta encoding=\"UTF-8\"",
            " version=&\"1.0\"",
            " version=\"1.0\"? encoding=\"UTF-8\"",
            " version=\"1.0\" e\ncoding=\"UTF-8\"",
            " version=\"1.0\" standalone=\"no\" encoding=\"UTF-8\"",
            " version=\"2\"",
            " version=\"1.0\" version=\"1.0\"",
            " version=\"1.0\" standalone=\"maybe\"",
        ] {
            assert!(check_declaration(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn text_line_ends_are_normalized() {
        let mut out = String::new();
        push_text(&mut out, "a\r\nb\rc\n");
        assert_eq!(out, "a\nb\nc\n");
    }
}
