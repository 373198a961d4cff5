//! Attribute mapping checks: the mapping the SP will use, against the attributes the IdP
//! advertises in its metadata and, strongest, against those of a captured assertion. One module
//! per rule; [`check_mapping`] runs them all.
//!
//! The SP model is python3-saml's (Sentry's): attributes are looked up by exact `Name`, the
//! first value is used, and the user ID and email must both be non-empty.

pub mod account;
pub mod advertised;
pub mod attribute_not_found;
pub mod empty_value;
pub mod invalid_email;
pub mod missing_required;
pub mod multi_valued;
pub mod suggest;
pub mod unstable_user_id;

pub use advertised::{Advertised, AdvertisedSource, IdpAttributes};

use crate::checks::{Finding, Location};
use crate::saml::response::{Assertion, Attribute};
use crate::sp::mapping::{AttributeMapping, Field};
use crate::sp::presets;
use crate::sp::vendor::{ConsoleField, Vendor};
use crate::xml::Document;

/// An assertion from a captured response, with its document (for locations).
#[derive(Debug, Clone, Copy)]
pub struct ObservedAssertion<'a> {
    pub doc: &'a Document,
    pub assertion: &'a Assertion,
}

impl<'a> ObservedAssertion<'a> {
    pub fn new(doc: &'a Document, assertion: &'a Assertion) -> Self {
        ObservedAssertion { doc, assertion }
    }

    /// Every attribute with exactly this Name, as the SP looks them up.
    pub fn named(&self, name: &str) -> Vec<&'a Attribute> {
        self.assertion
            .attributes
            .iter()
            .filter(|a| a.name == name)
            .collect()
    }

    /// The value the SP would take: the first value of the first attribute so named.
    pub fn first_value(&self, name: &str) -> Option<&'a str> {
        self.named(name)
            .first()
            .and_then(|a| a.values.first())
            .map(String::as_str)
    }

    pub fn location_of(&self, attribute: &Attribute) -> Location {
        Location::of_node(self.doc, attribute.node)
    }

    pub fn location(&self) -> Location {
        Location::of_node(self.doc, self.assertion.node)
    }
}

/// What every mapping rule looks at.
#[derive(Debug, Clone, Copy)]
pub struct MappingContext<'a> {
    pub mapping: &'a AttributeMapping,
    pub idp: &'a IdpAttributes,
    pub observed: Option<ObservedAssertion<'a>>,
}

impl MappingContext<'_> {
    /// Where the admin renames attributes on the IdP side, in its console's words.
    pub fn idp_mapping_place(&self) -> String {
        self.idp
            .vendor
            .and_then(|v| v.console_field(ConsoleField::AttributeMapping))
            .unwrap_or_else(|| "the IdP's attribute mapping".to_string())
    }

    /// The IdP's preset note when `name` is the name its preset uses for `field`: the admin
    /// probably followed the preset without setting the IdP up to match.
    pub fn preset_setup(&self, field: Field, name: &str) -> Option<&'static str> {
        let preset = presets::for_vendor(self.idp.vendor?)?;
        (preset.get(field) == Some(name)).then_some(preset.setup)
    }
}

/// Checks a mapping against what the IdP advertises and, when there is one, a captured
/// assertion (read with or without a verified signature; only names and values are used).
pub fn check_mapping(
    mapping: &AttributeMapping,
    idp: &IdpAttributes,
    observed: Option<ObservedAssertion<'_>>,
) -> Vec<Finding> {
    let ctx = MappingContext {
        mapping,
        idp,
        observed,
    };
    let mut findings = Vec::new();
    missing_required::check(&ctx, &mut findings);
    for field in Field::ALL {
        let Some(name) = mapping.get(field) else {
            continue;
        };
        let Some(obs) = observed else {
            attribute_not_found::check_advertised(&ctx, field, name, &mut findings);
            unstable_user_id::check(&ctx, field, name, &mut findings);
            continue;
        };
        let found = obs.named(name);
        if found.is_empty() {
            attribute_not_found::check_observed(&ctx, obs, field, name, &mut findings);
            continue;
        }
        if empty_value::check(obs, field, name, &found, &mut findings) {
            continue;
        }
        multi_valued::check(obs, field, name, &found, &mut findings);
        invalid_email::check(obs, field, name, &mut findings);
        unstable_user_id::check(&ctx, field, name, &mut findings);
    }
    findings
}

/// `vendor`'s name for the IdP side of a fix, for messages that need a noun.
pub fn idp_name(vendor: Option<Vendor>) -> &'static str {
    vendor.map_or("the IdP", Vendor::name)
}

/// The `--map` argument that maps `field` to `name`.
pub fn map_arg(field: Field, name: &str) -> String {
    if name.contains([' ', '"', '\'']) {
        format!("--map '{}={name}'", field.key())
    } else {
        format!("--map {}={name}", field.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saml::response::ResponseEnvelope;
    use crate::xml::Limits;

    fn observed_check(xml: &str, mapping: &AttributeMapping) -> Vec<Finding> {
        let doc = Document::parse(xml, Limits::MESSAGE).unwrap();
        let node = ResponseEnvelope::read(&doc).unwrap().assertions[0];
        let assertion = Assertion::read_unverified_for_diagnosis(&doc, node);
        check_mapping(
            mapping,
            &IdpAttributes::default(),
            Some(ObservedAssertion::new(&doc, &assertion)),
        )
    }

    #[test]
    fn nothing_mapped_and_nothing_known() {
        let f = check_mapping(
            &AttributeMapping::default(),
            &IdpAttributes::default(),
            None,
        );
        let rules: Vec<_> = f.iter().map(|f| f.rule).collect();
        assert_eq!(rules, ["mapping/missing-required"; 2]);
        assert!(f.iter().all(|f| f
            .expected
            .as_deref()
            .is_some_and(|e| e.starts_with("an attribute"))));
    }

    #[test]
    fn odd_input_gives_findings_not_panics() {
        let xml = r#"<p:Response xmlns:p="urn:oasis:names:tc:SAML:2.0:protocol"><a:Assertion xmlns:a="urn:oasis:names:tc:SAML:2.0:assertion"><a:Subject><a:NameID/></a:Subject><a:AttributeStatement><a:Attribute/><a:Attribute Name="" FriendlyName=""><a:AttributeValue>@</a:AttributeValue></a:Attribute><a:Attribute Name="e"><a:AttributeValue>ü@ü</a:AttributeValue><a:AttributeValue/></a:Attribute></a:AttributeStatement></a:Assertion></p:Response>"#;
        let mut m = AttributeMapping::default();
        for field in Field::ALL {
            m.set(field, Some(String::new()));
        }
        let f = observed_check(xml, &m);
        assert!(!f.is_empty());
        let f = observed_check(xml, &AttributeMapping::parse("user-id=e,email=e").unwrap());
        let rules: Vec<_> = f.iter().map(|f| f.rule).collect();
        assert_eq!(
            rules,
            [
                "mapping/multi-valued",
                "mapping/multi-valued",
                "mapping/invalid-email"
            ]
        );
    }
}
