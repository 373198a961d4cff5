//! Fix texts in the IdP console's own words: "In Okta: Single sign-on URL, set it to ...".

use crate::sp::url_match::UrlField;
use crate::sp::vendor::{ConsoleField, Vendor};

/// The IdP product the fixes are worded for; `None` for generic SAML names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Console {
    pub vendor: Option<Vendor>,
}

fn console_field(field: UrlField) -> ConsoleField {
    match field {
        UrlField::Acs => ConsoleField::Acs,
        UrlField::Audience => ConsoleField::Audience,
        UrlField::Sls => ConsoleField::Sls,
    }
}

impl Console {
    /// The console's name for `field`, prefixed with the product ("Okta: Single sign-on URL");
    /// `None` for an unknown product or a console without that field.
    pub fn field(&self, field: UrlField) -> Option<String> {
        self.vendor?.console_field(console_field(field))
    }

    /// The field's name for people: the console's, else the generic SAML one.
    pub fn field_or_label(&self, field: UrlField) -> String {
        self.field(field)
            .unwrap_or_else(|| format!("the IdP's {}", field.label()))
    }

    /// Where the application's SAML settings are in the console.
    pub fn settings(&self) -> Option<&'static str> {
        self.vendor.map(|v| v.info().settings)
    }

    /// The fix for a URL field that must hold `expected`; `None` when the console has no
    /// such field (the generic fix then stands).
    pub fn url_fix(&self, field: UrlField, expected: &str) -> Option<String> {
        let name = self.field(field)?;
        let mut fix = format!("In {name}, set it to {expected} exactly (copy and paste it).");
        if let Some(place) = self.settings() {
            fix.push_str(&format!(" It is under {place}."));
        }
        Some(fix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_console_field() {
        let okta = Console {
            vendor: Some(Vendor::Okta),
        };
        let fix = okta
            .url_fix(UrlField::Acs, "https://sentry.io/saml/acs/acme/")
            .unwrap();
        assert!(
            fix.starts_with(
                "In Okta: Single sign-on URL, set it to https://sentry.io/saml/acs/acme/ exactly"
            ),
            "{fix}"
        );
        let google = Console {
            vendor: Some(Vendor::Google),
        };
        assert_eq!(google.url_fix(UrlField::Sls, "x"), None);
        assert_eq!(
            Console::default().field_or_label(UrlField::Acs),
            "the IdP's ACS URL"
        );
    }
}
