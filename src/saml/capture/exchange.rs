//! The neutral model of a capture: the HTTP exchanges of a browser session, in order, whatever
//! tool recorded them (a HAR file, a SAML-tracer export). Values are kept as they were sent
//! (still URL-encoded), so a Redirect-binding signature can be checked over the exact bytes.

use time::OffsetDateTime;

/// Which tool wrote the capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaptureFormat {
    /// HAR 1.2 (Chrome, Firefox, Edge, Safari "Export HAR").
    Har,
    /// SAML-tracer's JSON export (Firefox and Chrome add-on).
    SamlTracer,
}

impl std::fmt::Display for CaptureFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CaptureFormat::Har => "HAR",
            CaptureFormat::SamlTracer => "SAML-tracer export",
        })
    }
}

/// A header or a parameter: a name and a value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Pair {
    pub name: String,
    /// For parameters: the value as sent (URL-encoded). For headers: the value.
    pub value: String,
}

impl Pair {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Pair {
        Pair {
            name: name.into(),
            value: value.into(),
        }
    }

    /// The parameter's value form-decoded (`%XX` and `+` for a space).
    pub fn decoded(&self) -> String {
        form_decode(&self.value)
    }
}

/// One request and its response.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Exchange {
    /// The entry's index in the file (`log.entries[i]`, `requests[i]`), for messages.
    pub index: usize,
    pub method: String,
    /// The full URL as requested.
    pub url: String,
    /// The query string as sent, without `?` (empty when none).
    pub raw_query: String,
    /// The query's parameters in order, values as sent.
    pub query: Vec<Pair>,
    /// The form-encoded body's parameters in order, values as sent.
    pub form: Vec<Pair>,
    /// The body as sent, when the capture has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub request_headers: Vec<Pair>,
    /// The response status (`None` when the capture has no response, e.g. a cancelled request).
    pub status: Option<u16>,
    pub response_headers: Vec<Pair>,
    /// Where a redirect sent the browser: the Location header (or HAR's redirectURL), made
    /// absolute against the request URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// When the browser started the request (HAR startedDateTime).
    #[serde(
        serialize_with = "super::exchange::ser_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub started: Option<OffsetDateTime>,
    /// The response's Date header (the server's clock, to the second).
    #[serde(
        serialize_with = "super::exchange::ser_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub response_date: Option<OffsetDateTime>,
}

impl Exchange {
    /// A GET of `url`, nothing else known: the base the readers fill in.
    pub fn new(index: usize, method: &str, url: &str) -> Exchange {
        let raw_query = url
            .split_once('?')
            .map(|(_, q)| q.split('#').next().unwrap_or(""))
            .unwrap_or("")
            .to_string();
        Exchange {
            index,
            method: method.to_ascii_uppercase(),
            url: url.to_string(),
            query: parse_form(&raw_query),
            raw_query,
            form: Vec::new(),
            body: None,
            request_headers: Vec::new(),
            status: None,
            response_headers: Vec::new(),
            location: None,
            started: None,
            response_date: None,
        }
    }

    /// The first request header named `name` (any case).
    pub fn request_header(&self, name: &str) -> Option<&str> {
        header(&self.request_headers, name)
    }

    /// The first response header named `name` (any case).
    pub fn response_header(&self, name: &str) -> Option<&str> {
        header(&self.response_headers, name)
    }

    /// The first query parameter named `name` (exact case, as SAML bindings name them).
    pub fn query_param(&self, name: &str) -> Option<&Pair> {
        self.query.iter().find(|p| p.name == name)
    }

    /// The first form parameter named `name`.
    pub fn form_param(&self, name: &str) -> Option<&Pair> {
        self.form.iter().find(|p| p.name == name)
    }

    /// Whether the response is a redirect (3xx with somewhere to go).
    pub fn is_redirect(&self) -> bool {
        matches!(self.status, Some(300..=399)) && self.location.is_some()
    }

    /// The URL without its query and fragment: where a form was posted, as an ACS compares it.
    pub fn url_without_query(&self) -> &str {
        let end = self.url.find(['?', '#']).unwrap_or(self.url.len());
        &self.url[..end]
    }

    /// The best time the capture gives for this exchange, and which clock it is.
    pub fn time(&self) -> Option<(OffsetDateTime, Clock)> {
        self.started
            .map(|t| (t, Clock::Browser))
            .or(self.response_date.map(|t| (t, Clock::ServerDate)))
    }

    /// Fills `location` from the Location header (made absolute), unless already known.
    pub(crate) fn resolve_location(&mut self) {
        let raw = self
            .location
            .clone()
            .filter(|l| !l.is_empty())
            .or_else(|| self.response_header("location").map(str::to_string));
        self.location = raw.map(|l| absolute(&self.url, &l));
    }

    /// Fills `response_date` from the Date header.
    pub(crate) fn resolve_date(&mut self) {
        self.response_date = self.response_header("date").and_then(parse_http_date);
    }
}

/// Which clock a time came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Clock {
    /// The browser's own timestamp of the request.
    Browser,
    /// The responding server's Date header.
    ServerDate,
}

/// A whole capture: every exchange, in the order the browser made them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Capture {
    pub format: CaptureFormat,
    pub exchanges: Vec<Exchange>,
}

fn header<'a>(headers: &'a [Pair], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

/// `a=1&b=2` into pairs, values left as sent.
pub fn parse_form(text: &str) -> Vec<Pair> {
    text.split(['&', ';'])
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            Pair::new(form_decode(k), v)
        })
        .collect()
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte; a broken escape
/// is kept as written.
pub fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len()
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit() =>
            {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encoding of a form value: everything but unreserved characters.
pub fn form_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `location` made absolute against `base` (scheme-relative, path-absolute and relative forms).
pub fn absolute(base: &str, location: &str) -> String {
    if location.contains("://") {
        return location.to_string();
    }
    let Some((scheme, rest)) = base.split_once("://") else {
        return location.to_string();
    };
    if let Some(l) = location.strip_prefix("//") {
        return format!("{scheme}://{l}");
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = format!("{scheme}://{}", &rest[..authority_end]);
    if location.starts_with('/') {
        return format!("{origin}{location}");
    }
    let path = &rest[authority_end..];
    let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
    if location.starts_with('?') {
        return format!("{origin}{path}{location}");
    }
    let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    let dir = if dir.is_empty() { "/" } else { dir };
    format!("{origin}{dir}{location}")
}

/// An HTTP Date header (IMF-fixdate, `Thu, 15 Jan 2026 10:00:00 GMT`; RFC 850 and asctime
/// forms are not worth the code: every current server sends IMF-fixdate).
pub fn parse_http_date(text: &str) -> Option<OffsetDateTime> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, day, month, year, clock, zone] = parts.as_slice() else {
        return None;
    };
    if !matches!(*zone, "GMT" | "UTC" | "+0000") {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as u8 + 1;
    let month = time::Month::try_from(m).ok()?;
    let mut hms = clock.split(':').map(|p| p.parse::<u8>().ok());
    let (h, mi, s) = (hms.next()??, hms.next()??, hms.next()??);
    let date = time::Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()?;
    let t = time::Time::from_hms(h, mi, s).ok()?;
    Some(date.with_time(t).assume_utc())
}

/// Serializes an optional instant as RFC 3339 (for `#[serde(serialize_with)]`).
pub(crate) fn ser_time<S: serde::Serializer>(
    t: &Option<OffsetDateTime>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&crate::saml::time::format_instant(*t)),
        None => s.serialize_none(),
    }
}

/// A HAR/ISO 8601 timestamp (`2026-01-15T10:00:00.123Z`, `...+01:00`).
pub fn parse_timestamp(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_and_location() {
        let mut e = Exchange::new(0, "get", "http://sp/login?a=1&SAMLRequest=x%2By+z#frag");
        assert_eq!(e.raw_query, "a=1&SAMLRequest=x%2By+z");
        assert_eq!(e.query_param("SAMLRequest").unwrap().value, "x%2By+z");
        assert_eq!(e.query_param("SAMLRequest").unwrap().decoded(), "x+y z");
        assert_eq!(e.url_without_query(), "http://sp/login");
        e.response_headers.push(Pair::new("Location", "/acs/"));
        e.status = Some(302);
        e.resolve_location();
        assert_eq!(e.location.as_deref(), Some("http://sp/acs/"));
        assert!(e.is_redirect());
        assert_eq!(absolute("https://h/a/b?q", "c"), "https://h/a/c");
        assert_eq!(absolute("https://h/a/b", "//x/y"), "https://x/y");
        assert_eq!(absolute("https://h", "?q"), "https://h?q");
    }

    #[test]
    fn dates() {
        let d = parse_http_date("Thu, 15 Jan 2026 10:00:05 GMT").unwrap();
        assert_eq!(d, parse_timestamp("2026-01-15T10:00:05Z").unwrap());
        assert!(parse_http_date("yesterday").is_none());
        assert!(parse_timestamp("2026-01-15T11:00:00.500+01:00").is_some());
        assert_eq!(form_encode("a+b/c=d e"), "a%2Bb%2Fc%3Dd%20e");
    }
}
