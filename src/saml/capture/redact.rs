//! `--redact`: personal data and signature values masked for sharing, consistently (the same
//! value always gets the same mask within a run, so the flow still reads: "the NameID of the
//! response is the NameID of the logout request").
//!
//! A mask is a keyed hash of the value with a key drawn at random for each [`Redactor`], so a
//! mask cannot be reversed by hashing guesses: `user-3f2a9c1d@redacted.example` for an email
//! address, `redacted-3f2a9c1d` for other values, `REDACTED3f2a9c1d0b7e5a41` (valid base64)
//! for signature and digest values.
//!
//! What is masked:
//! - in SAML messages: the text of every `NameID`, `AttributeValue`, `ds:SignatureValue` and
//!   `ds:DigestValue`, and every email address anywhere in the XML;
//! - the Redirect binding's `Signature` parameter, and form fields that look like credentials
//!   or identities (user, login, email, password, otp, token...);
//! - every occurrence of those values anywhere else in the output (plain, XML/HTML-escaped or
//!   URL-encoded: the ACS's result page, a Referer, a JSON body), and every email address;
//! - in a redacted capture file, in addition: `Cookie`, `Set-Cookie`, `Authorization` and
//!   `Proxy-Authorization` headers and HAR `cookies` lists are dropped, and every SAML
//!   message (in URLs, form bodies, HTML forms, SAML-tracer's decoded `saml` field) is
//!   re-encoded from its masked XML (DEFLATE and URL-encoding kept as found).
//!
//! Values shorter than [`MIN_SEARCHED_LEN`] characters are masked where they stand in a
//! message but not searched for elsewhere (searching for "IT" would mask every "IT" of a page).
//! A masked message's XML signature no longer verifies, by construction: verify before
//! redacting.

use std::collections::BTreeMap;

use base64::Engine;
use serde_json::Value;

use super::exchange::{form_encode, Capture, Pair};
use super::messages::extract;
use super::CaptureError;
use crate::saml::binding::{decode_message, Layer};
use crate::saml::ns;
use crate::xml::dsig::DSIG_NS;
use crate::xml::escape::markup;
use crate::xml::{Document, Limits, NodeKind};

/// Values shorter than this are not searched for outside the messages they were found in.
pub const MIN_SEARCHED_LEN: usize = 3;

/// Header names dropped from a redacted capture (any case).
pub const DROPPED_HEADERS: [&str; 4] = [
    "cookie",
    "set-cookie",
    "authorization",
    "proxy-authorization",
];

/// Form-field names (lowercase substrings) whose values are masked wherever they appear.
const SENSITIVE_FIELDS: [&str; 11] = [
    "user", "login", "email", "mail", "name", "pass", "pwd", "secret", "otp", "token", "code",
];

/// What kind of mask a value gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MaskKind {
    Value,
    Signature,
}

/// Masks values consistently; see the module documentation.
#[derive(Debug, Clone)]
pub struct Redactor {
    key: [u8; 32],
    /// Every value masked so far, and its mask.
    known: BTreeMap<String, String>,
}

impl Default for Redactor {
    fn default() -> Self {
        Self::new()
    }
}

impl Redactor {
    /// A redactor with a fresh random key.
    pub fn new() -> Redactor {
        let mut key = [0u8; 32];
        if openssl::rand::rand_bytes(&mut key).is_err() {
            // No randomness is no reason to leak: fall back to the clock and the address
            // space, still unknown to whoever reads the output.
            let seed = format!("{:?}{:p}", std::time::SystemTime::now(), &key as *const _);
            key = openssl::sha::sha256(seed.as_bytes());
        }
        Redactor {
            key,
            known: BTreeMap::new(),
        }
    }

    /// A redactor with a fixed key (tests, reproducible output).
    pub fn with_key(key: &[u8]) -> Redactor {
        Redactor {
            key: openssl::sha::sha256(key),
            known: BTreeMap::new(),
        }
    }

    /// Every original value masked so far (for tests proving none survives).
    pub fn originals(&self) -> impl Iterator<Item = &str> {
        self.known.keys().map(String::as_str)
    }

    fn digest(&self, value: &str) -> String {
        let mut input = Vec::with_capacity(32 + value.len());
        input.extend_from_slice(&self.key);
        input.extend_from_slice(value.as_bytes());
        openssl::sha::sha256(&input)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The mask of `value` (remembered, so it is masked everywhere else too).
    pub fn mask(&mut self, value: &str) -> String {
        self.mask_as(value, MaskKind::Value)
    }

    /// The mask of a signature or digest value: base64-shaped.
    pub fn mask_signature(&mut self, value: &str) -> String {
        self.mask_as(value, MaskKind::Signature)
    }

    fn mask_as(&mut self, value: &str, kind: MaskKind) -> String {
        let value = value.trim();
        if value.is_empty() {
            return String::new();
        }
        if let Some(m) = self.known.get(value) {
            return m.clone();
        }
        if self.known.values().any(|m| m == value) {
            return value.to_string(); // already a mask
        }
        // Emails by their lowercase form, as `scrub` finds them in any text.
        let h = if kind == MaskKind::Value && is_email(value) {
            self.digest(&value.to_ascii_lowercase())
        } else {
            self.digest(value)
        };
        let mask = match kind {
            MaskKind::Signature => format!("REDACTED{}", &h[..16]),
            MaskKind::Value if is_email(value) => format!("user-{}@redacted.example", &h[..8]),
            MaskKind::Value => format!("redacted-{}", &h[..8]),
        };
        self.known.insert(value.to_string(), mask.clone());
        mask
    }

    /// The XML message with its personal data and signature values masked. Fails only when
    /// `xml` is not well-formed.
    pub fn redact_xml(&mut self, xml: &[u8]) -> Result<Vec<u8>, crate::xml::XmlError> {
        let doc = Document::parse_bytes(xml, Limits::MESSAGE)?;
        let source = doc.source();
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for node in doc.elements() {
            let Some(el) = doc.element(node) else {
                continue;
            };
            let kind = match (el.namespace(), el.local()) {
                (Some(ns::ASSERTION), "NameID" | "AttributeValue") => MaskKind::Value,
                (Some(DSIG_NS), "SignatureValue" | "DigestValue") => MaskKind::Signature,
                _ => continue,
            };
            let children = doc.children(node);
            let (Some(first), Some(last)) = (children.first(), children.last()) else {
                continue;
            };
            // Only text content; an AttributeValue holding elements is masked through its
            // text descendants' values elsewhere (their emails, or known values).
            if !children
                .iter()
                .all(|c| matches!(doc.kind(*c), NodeKind::Text(_)))
            {
                continue;
            }
            let text = doc.text(node);
            if text.trim().is_empty() {
                continue;
            }
            let mask = self.mask_as(&text, kind);
            edits.push((doc.node(*first).offset..doc.node(*last).end, markup(&mask)));
        }
        edits.sort_by_key(|(r, _)| r.start);
        let mut out = String::with_capacity(source.len());
        let mut at = 0;
        for (range, text) in edits {
            if range.start < at {
                continue;
            }
            out.push_str(&source[at..range.start]);
            out.push_str(&text);
            at = range.end;
        }
        out.push_str(&source[at..]);
        // Values known from elsewhere and emails, wherever they stand; kept only if the
        // result is still the same well-formed message.
        let scrubbed = self.scrub(&out);
        if scrubbed != out && Document::parse(&scrubbed, Limits::MESSAGE).is_ok() {
            out = scrubbed;
        }
        Ok(out.into_bytes())
    }

    /// Learns the sensitive values of a capture (its messages, its Redirect signatures, its
    /// identity and credential form fields) so that [`Redactor::scrub`] masks them anywhere.
    pub fn learn(&mut self, capture: &Capture) {
        for m in extract(capture) {
            if let Ok(d) = &m.decoded {
                let _ = self.redact_xml(&d.xml);
            }
            if let Some(sig) = &m.signature {
                let decoded = Pair::new("", sig.as_str()).decoded();
                let mask = self.mask_signature(&decoded);
                self.known.entry(sig.clone()).or_insert(mask);
            }
        }
        for e in &capture.exchanges {
            for p in e.form.iter().chain(&e.query) {
                let name = p.name.to_ascii_lowercase();
                if SENSITIVE_FIELDS.iter().any(|f| name.contains(f))
                    && !name.starts_with("saml")
                    && name != "relaystate"
                {
                    let value = p.decoded();
                    if !value.trim().is_empty() {
                        self.mask(&value);
                    }
                }
            }
        }
    }

    /// `text` with every known value (plain, XML-escaped, URL-encoded) and every email address
    /// masked.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        // Longest first, so "Jane Doe" goes before "Jane".
        let mut known: Vec<(&String, &String)> = self
            .known
            .iter()
            .filter(|(k, _)| k.chars().count() >= MIN_SEARCHED_LEN)
            .collect();
        known.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        for (original, mask) in known {
            for (from, to) in encodings(original, mask) {
                if !from.is_empty() && out.contains(&from) {
                    out = out.replace(&from, &to);
                }
            }
        }
        mask_emails(&out, |email| {
            let h = self.digest(email);
            format!("user-{}@redacted.example", &h[..8])
        })
    }

    /// A string from a capture: SAML messages in it re-encoded masked, the rest scrubbed.
    pub fn redact_text(&mut self, text: &str) -> String {
        let trimmed = text.trim_start();
        if trimmed.starts_with('<') && text.contains("urn:oasis:names:tc:SAML:2.0") {
            if let Ok(x) = self.redact_xml(text.as_bytes()) {
                return String::from_utf8_lossy(&x).into_owned();
            }
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = 0;
        for (start, end) in tokens(text) {
            let token = &text[start..end];
            let Some(replacement) = self.redact_token(token) else {
                continue;
            };
            out.push_str(&self.scrub(&text[rest..start]));
            out.push_str(&replacement);
            rest = end;
        }
        out.push_str(&self.scrub(&text[rest..]));
        out
    }

    /// A base64 (maybe DEFLATEd, maybe URL-encoded) SAML message re-encoded from its masked
    /// XML; `None` when the token is not one.
    fn redact_token(&mut self, token: &str) -> Option<String> {
        let decoded = decode_message(token.as_bytes()).ok()?;
        let head =
            String::from_utf8_lossy(&decoded.xml[..decoded.xml.len().min(2048)]).into_owned();
        if !head.contains("urn:oasis:names:tc:SAML") {
            return None;
        }
        let xml = self.redact_xml(&decoded.xml).ok()?;
        let bytes = if decoded.layers.contains(&Layer::Deflate) {
            use std::io::Write;
            let mut enc =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(&xml).ok()?;
            enc.finish().ok()?
        } else {
            xml
        };
        let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        Some(if decoded.layers.contains(&Layer::UrlDecoding) {
            form_encode(&b64)
        } else {
            b64
        })
    }

    /// The capture with every exchange's values redacted and cookies and credentials dropped
    /// (what a timeline of a redacted run is built from).
    pub fn redact_capture(&mut self, capture: &Capture) -> Capture {
        self.learn(capture);
        let mut out = capture.clone();
        for e in &mut out.exchanges {
            e.url = self.redact_text(&e.url);
            e.raw_query = self.redact_text(&e.raw_query);
            if let Some(l) = &e.location {
                e.location = Some(self.redact_text(l));
            }
            if let Some(b) = &e.body {
                e.body = Some(self.redact_text(b));
            }
            for p in e.query.iter_mut().chain(e.form.iter_mut()) {
                p.value = self.redact_text(&p.value);
            }
            for headers in [&mut e.request_headers, &mut e.response_headers] {
                headers
                    .retain(|h| !DROPPED_HEADERS.contains(&h.name.to_ascii_lowercase().as_str()));
                for h in headers.iter_mut() {
                    h.value = self.redact_text(&h.value);
                }
            }
        }
        out
    }

    /// A redacted copy of a HAR file or SAML-tracer export, as JSON bytes.
    pub fn redact_file(&mut self, bytes: &[u8]) -> Result<Vec<u8>, CaptureError> {
        let mut doc = super::parse_json(bytes)?;
        let capture = super::read_value(&doc)?;
        self.learn(&capture);
        // SAML-tracer's decoded copies of the messages.
        if let Some(requests) = doc.get("requests").and_then(Value::as_array) {
            let xmls: Vec<String> = requests
                .iter()
                .filter_map(|r| r.get("saml").and_then(Value::as_str).map(str::to_string))
                .collect();
            for x in xmls {
                let _ = self.redact_xml(x.as_bytes());
            }
        }
        self.redact_value(&mut doc);
        let mut out = serde_json::to_vec_pretty(&doc).map_err(|e| CaptureError::Json {
            message: e.to_string(),
            line: 0,
            column: 0,
        })?;
        out.push(b'\n');
        Ok(out)
    }

    fn redact_value(&mut self, v: &mut Value) {
        match v {
            Value::String(s) => *s = self.redact_text(s),
            Value::Array(items) => {
                items.retain(|item| !is_dropped_header(item));
                for item in items {
                    self.redact_value(item);
                }
            }
            Value::Object(map) => {
                for key in ["cookies"] {
                    if let Some(c) = map.get_mut(key) {
                        *c = Value::Array(Vec::new());
                    }
                }
                // A HAR body in base64: redacted inside.
                if map.get("encoding").and_then(Value::as_str) == Some("base64") {
                    if let Some(Value::String(text)) = map.get("text") {
                        if let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(text) {
                            if let Ok(plain) = String::from_utf8(raw) {
                                let red = self.redact_text(&plain);
                                map.insert(
                                    "text".into(),
                                    Value::String(
                                        base64::engine::general_purpose::STANDARD.encode(red),
                                    ),
                                );
                            } else {
                                map.insert("text".into(), Value::String(String::new()));
                            }
                        }
                        return;
                    }
                }
                for (_, item) in map.iter_mut() {
                    self.redact_value(item);
                }
            }
            _ => {}
        }
    }
}

fn is_dropped_header(item: &Value) -> bool {
    let name = match item {
        Value::Object(o) => o.get("name").and_then(Value::as_str),
        Value::Array(a) if a.len() == 2 => a[0].as_str(),
        _ => None,
    };
    name.is_some_and(|n| DROPPED_HEADERS.contains(&n.to_ascii_lowercase().as_str()))
}

/// The forms a value takes in text, each with its mask in the same form.
fn encodings(original: &str, mask: &str) -> Vec<(String, String)> {
    let mut v = vec![
        (original.to_string(), mask.to_string()),
        (markup(original), markup(mask)),
        (form_encode(original), form_encode(mask)),
        (
            form_encode(original).replace("%20", "+"),
            form_encode(mask).replace("%20", "+"),
        ),
        (html_escape_numeric(original), markup(mask)),
    ];
    v.dedup();
    v
}

fn html_escape_numeric(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// Runs of base64 / URL-encoded characters long enough to be a SAML message, with their
/// trailing padding.
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let body = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'%' | b'_' | b'-');
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !body(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && body(b[i]) {
            i += 1;
        }
        while i < b.len() && b[i] == b'=' {
            i += 1;
        }
        if i - start >= 40 {
            out.push((start, i));
        }
    }
    out
}

fn is_email(value: &str) -> bool {
    let v = value.trim();
    !v.contains(char::is_whitespace) && find_emails(v).first() == Some(&(0, v.len()))
}

/// Byte ranges of email addresses in `text`, the `@` written as `@` or `%40`.
fn find_emails(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let local = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
    let domain = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-');
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let at_len = if b[i] == b'@' {
            1
        } else if b[i..].starts_with(b"%40") {
            3
        } else {
            i += 1;
            continue;
        };
        let mut s = i;
        while s > 0 && local(b[s - 1]) {
            s -= 1;
        }
        let mut e = i + at_len;
        while e < b.len() && domain(b[e]) {
            e += 1;
        }
        while e > i + at_len && b[e - 1] == b'.' {
            e -= 1;
        }
        let dom = &text[i + at_len..e];
        let tld_ok = dom
            .rsplit('.')
            .next()
            .is_some_and(|t| t.len() >= 2 && t.bytes().all(|c| c.is_ascii_alphabetic()));
        if s < i && dom.contains('.') && tld_ok && out.last().is_none_or(|l| l.1 <= s) {
            out.push((s, e));
            i = e;
        } else {
            i += at_len;
        }
    }
    out
}

fn mask_emails(text: &str, mut mask: impl FnMut(&str) -> String) -> String {
    let found = find_emails(text);
    if found.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (s, e) in found {
        let email = &text[s..e];
        if email.ends_with("@redacted.example") || email.ends_with("%40redacted.example") {
            continue;
        }
        out.push_str(&text[at..s]);
        let encoded = email.contains("%40");
        let plain = email.replace("%40", "@");
        let m = mask(&plain.to_ascii_lowercase());
        out.push_str(&if encoded { m.replace('@', "%40") } else { m });
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_are_consistent_and_shaped() {
        let mut r = Redactor::with_key(b"k");
        let a = r.mask("jane.doe@acme.example");
        assert!(
            a.starts_with("user-") && a.ends_with("@redacted.example"),
            "{a}"
        );
        assert_eq!(r.mask("jane.doe@acme.example"), a);
        let n = r.mask("Jane");
        assert!(n.starts_with("redacted-"));
        assert_ne!(n, a);
        let s = r.mask_signature("c2lnbmF0dXJl");
        assert_eq!(s.len(), 24);
        assert!(base64::engine::general_purpose::STANDARD.decode(&s).is_ok());
        // Another key, other masks.
        assert_ne!(Redactor::with_key(b"other").mask("Jane"), n);
    }

    #[test]
    fn emails_found_plain_and_encoded() {
        assert_eq!(find_emails("to jane.doe@acme.example."), vec![(3, 24)]);
        assert_eq!(find_emails("user=jane%40acme.example&x=1").len(), 1);
        assert!(find_emails("@handle and a@b").is_empty());
        let r = Redactor::with_key(b"k");
        let out = r.scrub("login=jane%40acme.example, mail jane@acme.example");
        assert!(!out.contains("jane"), "{out}");
        assert!(out.contains("%40redacted.example"), "{out}");
    }

    #[test]
    fn xml_values_masked_structure_kept() {
        let xml = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" ID="_r"><ds:Signature><ds:SignedInfo><ds:Reference><ds:DigestValue>ZGlnZXN0</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>
c2lnbmF0dXJl
</ds:SignatureValue></ds:Signature><saml:Assertion><saml:Subject><saml:NameID>jane.doe@acme.example</saml:NameID></saml:Subject><saml:AttributeStatement><saml:Attribute Name="firstName"><saml:AttributeValue>O&apos;Brien</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>"#;
        let mut r = Redactor::with_key(b"k");
        let out = String::from_utf8(r.redact_xml(xml.as_bytes()).unwrap()).unwrap();
        for gone in ["jane.doe", "O&apos;Brien", "c2lnbmF0dXJl", "ZGlnZXN0"] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
        assert!(out.contains("ID=\"_r\"") && out.contains("Name=\"firstName\""));
        Document::parse(&out, Limits::MESSAGE).unwrap();
        // The ACS page elsewhere is scrubbed of the same values.
        let page = r.scrub("<p>Welcome O&#39;Brien (jane.doe@acme.example)</p>");
        assert!(!page.contains("Brien") && !page.contains("jane"), "{page}");
    }
}
