//! IdP products: which one published a metadata document ([`detect`], from its entityID and
//! endpoint URLs), and what each one's admin console calls the SP settings ([`VENDORS`]), so
//! a fix can say which field to change.

mod detect;

pub use detect::{detect, detect_urls, Detection, Evidence, EvidenceSource};

/// An IdP product samlcheck knows by its metadata and its console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Vendor {
    Okta,
    Entra,
    Google,
    OneLogin,
    Auth0,
    JumpCloud,
    Authentik,
    Keycloak,
    Adfs,
    PingFederate,
    PingOne,
    Rippling,
    Shibboleth,
    SimpleSamlPhp,
}

/// One setting of the IdP's application for the SP, by what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsoleField {
    /// Where the IdP posts responses (the SP's ACS URL).
    Acs,
    /// The SP entity ID the IdP puts in the Audience.
    Audience,
    /// The SP's single logout URL.
    Sls,
    /// Where the attributes sent to the SP are named.
    AttributeMapping,
}

/// What one product calls things, as an admin sees them in its console.
#[derive(Debug, PartialEq, Eq)]
pub struct VendorInfo {
    pub vendor: Vendor,
    /// Stable lowercase id (JSON, `--preset`).
    pub slug: &'static str,
    /// The product's name as its admins know it.
    pub name: &'static str,
    /// The attribute preset that fits it (see [`crate::sp::presets`]).
    pub preset: &'static str,
    /// Where the SAML application's settings are.
    pub settings: &'static str,
    pub acs: &'static str,
    pub audience: &'static str,
    /// `None` when the console has no field for the SP's logout URL.
    pub sls: Option<&'static str>,
    pub attribute_mapping: &'static str,
}

impl Vendor {
    pub const ALL: [Vendor; 14] = [
        Vendor::Okta,
        Vendor::Entra,
        Vendor::Google,
        Vendor::OneLogin,
        Vendor::Auth0,
        Vendor::JumpCloud,
        Vendor::Authentik,
        Vendor::Keycloak,
        Vendor::Adfs,
        Vendor::PingFederate,
        Vendor::PingOne,
        Vendor::Rippling,
        Vendor::Shibboleth,
        Vendor::SimpleSamlPhp,
    ];

    /// This product's row of [`VENDORS`].
    pub fn info(self) -> &'static VendorInfo {
        // The table has one row per variant, in declaration order (checked by a test).
        &VENDORS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn slug(self) -> &'static str {
        self.info().slug
    }

    /// The vendor named by a slug or a common alias (`azure`, `azure-ad`, `ping`...), any case.
    pub fn from_name(name: &str) -> Option<Vendor> {
        let name = name.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        let alias = match name.as_str() {
            "entra-id" | "azure" | "azure-ad" | "azuread" | "aad" | "microsoft" => "entra",
            "google-workspace" | "gsuite" | "g-suite" => "google",
            "ad-fs" | "active-directory" => "adfs",
            "ping" | "ping-federate" => "pingfederate",
            "ping-one" => "pingone",
            "shibboleth-idp" | "shib" => "shibboleth",
            "simplesaml" | "ssp" => "simplesamlphp",
            other => other,
        };
        Vendor::ALL.into_iter().find(|v| v.slug() == alias)
    }

    /// The console's name for `field`, prefixed with the product ("Okta: Single sign-on URL");
    /// `None` when the console has no such field.
    pub fn console_field(self, field: ConsoleField) -> Option<String> {
        let info = self.info();
        let label = match field {
            ConsoleField::Acs => Some(info.acs),
            ConsoleField::Audience => Some(info.audience),
            ConsoleField::Sls => info.sls,
            ConsoleField::AttributeMapping => Some(info.attribute_mapping),
        }?;
        Some(format!("{}: {label}", info.name))
    }
}

impl std::fmt::Display for Vendor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for Vendor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.slug())
    }
}

/// Every product's console vocabulary, one row per [`Vendor`] in declaration order.
pub static VENDORS: [VendorInfo; 14] = [
    VendorInfo {
        vendor: Vendor::Okta,
        slug: "okta",
        name: "Okta",
        preset: "okta",
        settings: "Admin Console > Applications > Applications > (the app) > General > SAML Settings > Edit",
        acs: "Single sign-on URL",
        audience: "Audience URI (SP Entity ID)",
        sls: Some("Single Logout URL (Show Advanced Settings > Enable Single Logout)"),
        attribute_mapping: "Attribute Statements",
    },
    VendorInfo {
        vendor: Vendor::Entra,
        slug: "entra",
        name: "Entra ID",
        preset: "entra",
        settings: "Microsoft Entra admin center > Enterprise applications > (the app) > Single sign-on",
        acs: "Reply URL (Assertion Consumer Service URL)",
        audience: "Identifier (Entity ID)",
        sls: Some("Logout Url"),
        attribute_mapping: "Attributes & Claims",
    },
    VendorInfo {
        vendor: Vendor::Google,
        slug: "google",
        name: "Google Workspace",
        preset: "google",
        settings: "Admin console > Apps > Web and mobile apps > (the app) > Service provider details",
        acs: "ACS URL",
        audience: "Entity ID",
        sls: None,
        attribute_mapping: "SAML attribute mapping",
    },
    VendorInfo {
        vendor: Vendor::OneLogin,
        slug: "onelogin",
        name: "OneLogin",
        preset: "onelogin",
        settings: "Administration > Applications > (the app) > Configuration",
        acs: "ACS (Consumer) URL",
        audience: "Audience (EntityID)",
        sls: Some("Single Logout URL"),
        attribute_mapping: "Parameters",
    },
    VendorInfo {
        vendor: Vendor::Auth0,
        slug: "auth0",
        name: "Auth0",
        preset: "auth0",
        settings: "Dashboard > Applications > (the app) > Addons > SAML2 Web App",
        acs: "Application Callback URL",
        audience: "\"audience\" in Settings",
        sls: Some("\"logout\": {\"callback\"} in Settings"),
        attribute_mapping: "\"mappings\" in Settings",
    },
    VendorInfo {
        vendor: Vendor::JumpCloud,
        slug: "jumpcloud",
        name: "JumpCloud",
        preset: "jumpcloud",
        settings: "Admin Portal > SSO Applications > (the app) > SSO",
        acs: "ACS URLs (Default URL)",
        audience: "SP Entity ID",
        sls: None,
        attribute_mapping: "Attributes > User Attribute Mapping (Service Provider Attribute Name)",
    },
    VendorInfo {
        vendor: Vendor::Authentik,
        slug: "authentik",
        name: "authentik",
        preset: "authentik",
        settings: "Admin interface > Applications > Providers > (the SAML provider)",
        acs: "ACS URL",
        audience: "Audience",
        sls: Some("SLS URL"),
        attribute_mapping: "Property mappings (Advanced protocol settings)",
    },
    VendorInfo {
        vendor: Vendor::Keycloak,
        slug: "keycloak",
        name: "Keycloak",
        preset: "keycloak",
        settings: "Admin Console > Clients > (the SAML client)",
        acs: "Assertion Consumer Service POST Binding URL (Advanced tab)",
        audience: "Client ID",
        sls: Some("Logout Service Redirect Binding URL (Advanced tab)"),
        attribute_mapping: "Client scopes > (the client)-dedicated > Mappers",
    },
    VendorInfo {
        vendor: Vendor::Adfs,
        slug: "adfs",
        name: "AD FS",
        preset: "adfs",
        settings: "AD FS Management > Relying Party Trusts > (the trust) > Properties",
        acs: "SAML Assertion Consumer Endpoints (Endpoints tab)",
        audience: "Relying party trust identifier (Identifiers tab)",
        sls: Some("SAML Logout Endpoints (Endpoints tab)"),
        attribute_mapping: "Claim Issuance Policy (Edit Claim Issuance Policy)",
    },
    VendorInfo {
        vendor: Vendor::PingFederate,
        slug: "pingfederate",
        name: "PingFederate",
        preset: "ping",
        settings: "Administrative console > Applications > SP Connections > (the connection)",
        acs: "Assertion Consumer Service URL (Protocol Settings)",
        audience: "Partner's Entity ID (Connection ID)",
        sls: Some("SLO Service URLs (Protocol Settings)"),
        attribute_mapping: "Attribute Contract (Assertion Creation)",
    },
    VendorInfo {
        vendor: Vendor::PingOne,
        slug: "pingone",
        name: "PingOne",
        preset: "ping",
        settings: "Admin console > Applications > (the SAML application) > Configuration",
        acs: "ACS URLs",
        audience: "Entity ID",
        sls: Some("SLO endpoint"),
        attribute_mapping: "Attribute Mappings",
    },
    VendorInfo {
        vendor: Vendor::Rippling,
        slug: "rippling",
        name: "Rippling",
        preset: "rippling",
        settings: "IT Management > Custom App > (the app) > Settings",
        acs: "Assertion Consumer Service URL (ACS URL)",
        audience: "Service Provider Entity ID",
        sls: None,
        attribute_mapping: "SAML attributes (app Settings)",
    },
    VendorInfo {
        vendor: Vendor::Shibboleth,
        slug: "shibboleth",
        name: "Shibboleth IdP",
        preset: "shibboleth",
        settings: "the SP metadata the IdP loads (conf/metadata-providers.xml)",
        acs: "AssertionConsumerService Location in the SP metadata",
        audience: "entityID of the SP metadata",
        sls: Some("SingleLogoutService Location in the SP metadata"),
        attribute_mapping: "conf/attribute-filter.xml (what is released) and conf/attributes/ (how it is named)",
    },
    VendorInfo {
        vendor: Vendor::SimpleSamlPhp,
        slug: "simplesamlphp",
        name: "SimpleSAMLphp",
        preset: "simplesamlphp",
        settings: "metadata/saml20-sp-remote.php on the IdP",
        acs: "'AssertionConsumerService' in saml20-sp-remote.php",
        audience: "the entry's key, $metadata['...'], in saml20-sp-remote.php",
        sls: Some("'SingleLogoutService' in saml20-sp-remote.php"),
        attribute_mapping: "'attributes' and 'authproc' in saml20-sp-remote.php",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_follow_the_enum() {
        for (i, v) in Vendor::ALL.into_iter().enumerate() {
            assert_eq!(v as usize, i);
            assert_eq!(VENDORS[i].vendor, v, "row {i}");
            assert_eq!(Vendor::from_name(v.slug()), Some(v));
            assert!(crate::sp::presets::preset(v.info().preset).is_some(), "{v}");
        }
    }

    #[test]
    fn names_fields_as_the_console_does() {
        assert_eq!(
            Vendor::Okta.console_field(ConsoleField::Acs).unwrap(),
            "Okta: Single sign-on URL"
        );
        assert_eq!(
            Vendor::Entra.console_field(ConsoleField::Acs).unwrap(),
            "Entra ID: Reply URL (Assertion Consumer Service URL)"
        );
        assert_eq!(
            Vendor::Entra.console_field(ConsoleField::Audience).unwrap(),
            "Entra ID: Identifier (Entity ID)"
        );
        assert_eq!(
            Vendor::Google.console_field(ConsoleField::Acs).unwrap(),
            "Google Workspace: ACS URL"
        );
        assert_eq!(Vendor::Google.console_field(ConsoleField::Sls), None);
        assert_eq!(
            Vendor::Authentik.console_field(ConsoleField::Sls).unwrap(),
            "authentik: SLS URL"
        );
    }

    #[test]
    fn aliases() {
        assert_eq!(Vendor::from_name("Azure AD"), Some(Vendor::Entra));
        assert_eq!(Vendor::from_name("ping"), Some(Vendor::PingFederate));
        assert_eq!(Vendor::from_name("AD_FS"), Some(Vendor::Adfs));
        assert_eq!(Vendor::from_name("okt"), None);
        assert_eq!(
            serde_json::to_string(&Vendor::SimpleSamlPhp).unwrap(),
            "\"simplesamlphp\""
        );
    }
}
