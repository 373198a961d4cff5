//! Attribute presets: the names each IdP sends by default, or that its SAML documentation (or
//! its ready-made app for the SP) tells admins to use. `--preset NAME` starts the mapping here.

use crate::sp::mapping::{AttributeMapping, Field};
use crate::sp::vendor::Vendor;

/// One IdP's usual attribute names.
#[derive(Debug, PartialEq, Eq)]
pub struct Preset {
    /// The `--preset` value.
    pub name: &'static str,
    /// The products it is for.
    pub vendors: &'static [Vendor],
    pub user_id: &'static str,
    pub email: &'static str,
    pub first_name: Option<&'static str>,
    pub last_name: Option<&'static str>,
    /// What the admin must do on the IdP so that it really sends these names.
    pub setup: &'static str,
}

impl Preset {
    pub fn mapping(&self) -> AttributeMapping {
        AttributeMapping {
            user_id: Some(self.user_id.to_string()),
            email: Some(self.email.to_string()),
            first_name: self.first_name.map(str::to_string),
            last_name: self.last_name.map(str::to_string),
        }
    }

    pub fn get(&self, field: Field) -> Option<&'static str> {
        match field {
            Field::UserId => Some(self.user_id),
            Field::Email => Some(self.email),
            Field::FirstName => self.first_name,
            Field::LastName => self.last_name,
        }
    }
}

/// The presets, in the order `--preset` lists them.
pub static PRESETS: &[Preset] = &[
    Preset {
        name: "okta",
        vendors: &[Vendor::Okta],
        user_id: "identifier",
        email: "email",
        first_name: Some("firstName"),
        last_name: Some("lastName"),
        setup: "Okta sends only the app's Attribute Statements: identifier = user.id, email = user.email, firstName = user.firstName, lastName = user.lastName (the Sentry app in the Okta Integration Network defines them).",
    },
    Preset {
        name: "entra",
        vendors: &[Vendor::Entra],
        user_id: "http://schemas.microsoft.com/identity/claims/objectidentifier",
        email: claim::EMAIL,
        first_name: Some(claim::GIVEN_NAME),
        last_name: Some(claim::SURNAME),
        setup: "Entra ID sends these claim URIs by default (Attributes & Claims); the object ID is the user's immutable ID. The short names shown in the console (emailaddress, givenname...) are not the attribute names: the full URIs are.",
    },
    Preset {
        name: "google",
        vendors: &[Vendor::Google],
        user_id: "email",
        email: "email",
        first_name: Some("firstName"),
        last_name: Some("lastName"),
        setup: "Google Workspace sends no attributes until they are added under SAML attribute mapping: Primary email -> email, First name -> firstName, Last name -> lastName. It offers no immutable user ID there, so the primary email doubles as the IdP User ID.",
    },
    Preset {
        name: "onelogin",
        vendors: &[Vendor::OneLogin],
        user_id: "PersonImmutableID",
        email: "User.email",
        first_name: Some("User.FirstName"),
        last_name: Some("User.LastName"),
        setup: "The names OneLogin's ready-made connectors send. With the SAML Custom Connector, add them under Parameters with \"Include in SAML assertion\" checked.",
    },
    Preset {
        name: "auth0",
        vendors: &[Vendor::Auth0],
        user_id: claim::NAME_IDENTIFIER,
        email: claim::EMAIL,
        first_name: Some(claim::GIVEN_NAME),
        last_name: Some(claim::SURNAME),
        setup: "The SAML2 Web App addon's default mappings: user_id -> nameidentifier, email -> emailaddress, given_name -> givenname, family_name -> surname (claim URIs). A \"mappings\" object in the addon's Settings replaces them.",
    },
    Preset {
        name: "jumpcloud",
        vendors: &[Vendor::JumpCloud],
        user_id: "email",
        email: "email",
        first_name: Some("firstname"),
        last_name: Some("lastname"),
        setup: "JumpCloud sends only the app's User Attribute Mapping: add email, firstname and lastname (Service Provider Attribute Name = JumpCloud Attribute Name). It has no immutable user ID to map, so the email doubles as the IdP User ID.",
    },
    Preset {
        name: "authentik",
        vendors: &[Vendor::Authentik],
        user_id: "http://schemas.goauthentik.io/2021/02/saml/uid",
        email: claim::EMAIL,
        first_name: Some(claim::NAME),
        last_name: None,
        setup: "authentik's default SAML property mappings (select them under Property mappings): User ID, Email, and Name, the full name, which serves as First Name; none carries the last name.",
    },
    Preset {
        name: "keycloak",
        vendors: &[Vendor::Keycloak],
        user_id: "urn:oid:1.2.840.113549.1.9.1",
        email: "urn:oid:1.2.840.113549.1.9.1",
        first_name: Some("urn:oid:2.5.4.42"),
        last_name: Some("urn:oid:2.5.4.4"),
        setup: "Keycloak's predefined X500 mappers (client's dedicated scope > Add predefined mapper): X500 email, X500 givenName, X500 surname, named by OID. No predefined mapper carries the user's ID, so the email doubles as the IdP User ID; a User Property mapper for id gives an immutable one.",
    },
    Preset {
        name: "adfs",
        vendors: &[Vendor::Adfs],
        user_id: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
        email: claim::EMAIL,
        first_name: Some(claim::GIVEN_NAME),
        last_name: Some(claim::SURNAME),
        setup: "A \"Send LDAP Attributes as Claims\" rule in the Claim Issuance Policy: User-Principal-Name -> UPN, E-Mail-Addresses -> E-Mail Address, Given-Name -> Given Name, Surname -> Surname.",
    },
    Preset {
        name: "ping",
        vendors: &[Vendor::PingFederate, Vendor::PingOne],
        user_id: "uid",
        email: "email",
        first_name: Some("firstName"),
        last_name: Some("lastName"),
        setup: "Ping sends what the connection defines: PingFederate's Attribute Contract (SP connection > Assertion Creation) or PingOne's Attribute Mappings. Add uid, email, firstName and lastName there.",
    },
    Preset {
        name: "rippling",
        vendors: &[Vendor::Rippling],
        user_id: "user_id",
        email: "urn:oid:1.2.840.113549.1.9.1.1",
        first_name: Some("first_name"),
        last_name: Some("last_name"),
        setup: "The names Rippling's ready-made Sentry app sends.",
    },
    Preset {
        name: "shibboleth",
        vendors: &[Vendor::Shibboleth],
        user_id: "urn:oasis:names:tc:SAML:attribute:subject-id",
        email: "urn:oid:0.9.2342.19200300.100.1.3",
        first_name: Some("urn:oid:2.5.4.42"),
        last_name: Some("urn:oid:2.5.4.4"),
        setup: "The Shibboleth IdP's standard SAML 2 names (conf/attributes/): subject-id, mail, givenName and sn. Release them to the SP in conf/attribute-filter.xml.",
    },
    Preset {
        name: "simplesamlphp",
        vendors: &[Vendor::SimpleSamlPhp],
        user_id: "uid",
        email: "mail",
        first_name: Some("givenName"),
        last_name: Some("sn"),
        setup: "SimpleSAMLphp sends the authentication source's attributes under their own names (an LDAP source: uid, mail, givenName, sn) unless an authproc filter renames them.",
    },
];

/// The WS-Federation claim URIs several presets share.
mod claim {
    pub const EMAIL: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";
    pub const GIVEN_NAME: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname";
    pub const SURNAME: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname";
    pub const NAME: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";
    pub const NAME_IDENTIFIER: &str =
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier";
}

/// The preset named `name`, or the one for the vendor it names (`azure` -> `entra`).
pub fn preset(name: &str) -> Option<&'static Preset> {
    let wanted = name.trim().to_ascii_lowercase();
    PRESETS
        .iter()
        .find(|p| p.name == wanted)
        .or_else(|| Vendor::from_name(&wanted).and_then(for_vendor))
}

/// The preset for a product.
pub fn for_vendor(vendor: Vendor) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.vendors.contains(&vendor))
}

/// The preset names, in order.
pub fn names() -> impl Iterator<Item = &'static str> {
    PRESETS.iter().map(|p| p.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vendor_has_its_preset() {
        for v in Vendor::ALL {
            let p = for_vendor(v).unwrap();
            assert_eq!(p.name, v.info().preset, "{v}");
        }
        assert_eq!(preset("Azure").unwrap().name, "entra");
        assert_eq!(preset("pingone").unwrap().name, "ping");
        assert!(preset("nope").is_none());
    }

    #[test]
    fn entra_uses_claim_uris() {
        let m = preset("entra").unwrap().mapping();
        assert_eq!(
            m.email.as_deref(),
            Some("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress")
        );
        assert_eq!(
            m.user_id.as_deref(),
            Some("http://schemas.microsoft.com/identity/claims/objectidentifier")
        );
    }
}
