//! xs:dateTime as SAML uses it: UTC instants such as `2026-01-15T10:00:00Z`.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Parses a SAML instant. Fractional seconds are allowed; a timezone is required (SAML
/// mandates UTC, but an explicit offset is read correctly rather than refused).
pub fn parse_instant(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text.trim(), &Rfc3339).ok()
}

/// Formats an instant as RFC 3339 (UTC).
pub fn format_instant(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// "2 min 5 s" style duration for messages.
pub fn human_seconds(seconds: i64) -> String {
    let s = seconds.unsigned_abs();
    match s {
        0..=119 => format!("{s} s"),
        120..=7199 => format!("{} min {} s", s / 60, s % 60),
        7200..=172_799 => format!("{} h {} min", s / 3600, (s % 3600) / 60),
        _ => format!("{} days", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_saml_instants() {
        let t = parse_instant("2026-01-15T10:00:00Z").unwrap();
        assert_eq!(t.unix_timestamp(), 1_768_471_200);
        assert_eq!(
            parse_instant("2026-01-15T10:00:00.123456Z")
                .unwrap()
                .unix_timestamp(),
            1_768_471_200
        );
        assert_eq!(parse_instant("2026-01-15T11:00:00+01:00").unwrap(), t);
        assert!(parse_instant("2026-01-15T10:00:00").is_none());
        assert!(parse_instant("yesterday").is_none());
        assert_eq!(human_seconds(42), "42 s");
        assert_eq!(human_seconds(-150), "2 min 30 s");
    }
}
