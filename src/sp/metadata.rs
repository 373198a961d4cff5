//! The SP metadata document an admin uploads to the IdP: entity ID, ACS (HTTP-POST), SLS
//! (HTTP-Redirect), the NameID formats the SP accepts, that assertions must be signed and,
//! when the SP has them, its certificates (the one IdPs encrypt assertions for, the one its
//! AuthnRequests are signed with). Written as text with every value escaped, so it needs
//! nothing from the XML parser.

use base64::Engine;

use super::chars::unseen;
use super::url::UrlParts;
use super::SpProfile;
use crate::checks::metadata::entity_id;
use crate::saml::ns;
use crate::xml::dsig::DSIG_NS;
use crate::xml::escape::markup as escape;

pub const BINDING_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
pub const BINDING_REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

/// The NameID formats listed, in order of preference. emailAddress first: it is what the SP
/// links accounts by when no attribute mapping says otherwise, and IdPs that pick the first
/// format they can serve (Shibboleth, ADFS) then send it. persistent is the stable opaque ID
/// Entra and others default to; unspecified lets an IdP send whatever it is configured for.
pub const NAME_ID_FORMATS: [&str; 3] = [
    "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
    "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
];

/// What a certificate in the SP metadata is for (`md:KeyDescriptor use`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateUse {
    /// IdPs encrypt assertions for it.
    Encryption,
    /// The SP signs AuthnRequests with its key.
    Signing,
}

impl CertificateUse {
    fn attribute(self) -> &'static str {
        match self {
            CertificateUse::Encryption => "encryption",
            CertificateUse::Signing => "signing",
        }
    }
}

/// A certificate (DER) to publish in the SP metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpCertificate {
    pub usage: CertificateUse,
    pub der: Vec<u8>,
}

/// Why metadata cannot be written for a profile: a value that would make it invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the SP {field} {value:?} cannot be used: {why}")]
pub struct SpMetadataError {
    /// `entity ID`, `ACS URL` or `SLS URL`.
    pub field: &'static str,
    pub value: String,
    pub why: String,
}

/// The SP metadata XML for `sp` (UTF-8, with an XML declaration and a final newline).
pub fn sp_metadata(sp: &SpProfile) -> Result<String, SpMetadataError> {
    sp_metadata_with_certificates(sp, &[])
}

/// The SP metadata XML for `sp` with a `md:KeyDescriptor` for each certificate, in order.
pub fn sp_metadata_with_certificates(
    sp: &SpProfile,
    certificates: &[SpCertificate],
) -> Result<String, SpMetadataError> {
    let bad = |field: &'static str, value: &str, why: String| SpMetadataError {
        field,
        value: value.to_string(),
        why,
    };
    if let Some(why) = entity_id::problem(&sp.entity_id).or_else(|| chars_problem(&sp.entity_id)) {
        return Err(bad("entity ID", &sp.entity_id, why));
    }
    endpoint_problem(&sp.acs).map_or(Ok(()), |why| Err(bad("ACS URL", &sp.acs, why)))?;
    if let Some(sls) = &sp.sls {
        endpoint_problem(sls).map_or(Ok(()), |why| Err(bad("SLS URL", sls, why)))?;
    }

    let mut out = String::with_capacity(1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<md:EntityDescriptor xmlns:md=\"{}\" entityID=\"{}\">\n",
        ns::METADATA,
        escape(&sp.entity_id)
    ));
    // Element order follows the schema: KeyDescriptor (RoleDescriptorType), then
    // SingleLogoutService, NameIDFormat (SSODescriptorType), then AssertionConsumerService.
    out.push_str(&format!(
        "  <md:SPSSODescriptor AuthnRequestsSigned=\"false\" WantAssertionsSigned=\"true\" protocolSupportEnumeration=\"{}\">\n",
        ns::PROTOCOL
    ));
    for cert in certificates {
        out.push_str(&format!(
            "    <md:KeyDescriptor use=\"{}\"><ds:KeyInfo xmlns:ds=\"{DSIG_NS}\"><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n",
            cert.usage.attribute(),
            base64::engine::general_purpose::STANDARD.encode(&cert.der)
        ));
    }
    if let Some(sls) = &sp.sls {
        out.push_str(&format!(
            "    <md:SingleLogoutService Binding=\"{BINDING_REDIRECT}\" Location=\"{}\"/>\n",
            escape(sls)
        ));
    }
    for format in NAME_ID_FORMATS {
        out.push_str(&format!(
            "    <md:NameIDFormat>{format}</md:NameIDFormat>\n"
        ));
    }
    out.push_str(&format!(
        "    <md:AssertionConsumerService Binding=\"{BINDING_POST}\" Location=\"{}\" index=\"0\" isDefault=\"true\"/>\n",
        escape(&sp.acs)
    ));
    out.push_str("  </md:SPSSODescriptor>\n</md:EntityDescriptor>\n");
    Ok(out)
}

/// Characters an attribute value cannot carry: unseen ones (which also make the URL wrong) and
/// the two noncharacters XML 1.0 excludes.
fn chars_problem(value: &str) -> Option<String> {
    if let Some(name) = value.chars().find_map(unseen) {
        return Some(format!("it contains {name}"));
    }
    value
        .chars()
        .any(|c| c == '\u{FFFE}' || c == '\u{FFFF}')
        .then(|| "it contains a character XML does not allow".into())
}

fn endpoint_problem(url: &str) -> Option<String> {
    if let Some(why) = chars_problem(url) {
        return Some(why);
    }
    let Some(parts) = UrlParts::split(url) else {
        return Some("it is not an absolute http(s) URL".into());
    };
    if parts.scheme != "https" && parts.scheme != "http" {
        return Some(format!("the scheme is {:?}, not https", parts.scheme));
    }
    if parts.host.is_empty() {
        return Some("it has no host".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_org_profile() {
        let xml = sp_metadata(&SpProfile::for_org("https://sentry.io", "acme")).unwrap();
        assert_eq!(
            xml,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sentry.io/saml/metadata/acme/">
  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://sentry.io/saml/sls/acme/"/>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sentry.io/saml/acs/acme/" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
"#
        );
    }

    #[test]
    fn publishes_certificates_where_the_schema_puts_them() {
        let sp = SpProfile::for_org("https://sentry.io", "acme");
        assert_eq!(
            sp_metadata_with_certificates(&sp, &[]).unwrap(),
            sp_metadata(&sp).unwrap()
        );
        let der = |path: &str| {
            openssl::x509::X509::from_pem(&std::fs::read(path).unwrap())
                .unwrap()
                .to_der()
                .unwrap()
        };
        let certs = [
            SpCertificate {
                usage: CertificateUse::Encryption,
                der: der("fixtures/keys/sp-rsa.crt"),
            },
            SpCertificate {
                usage: CertificateUse::Signing,
                der: der("fixtures/keys/sp-rsa.crt"),
            },
        ];
        let xml = sp_metadata_with_certificates(&sp, &certs).unwrap();
        let doc = crate::xml::Document::parse(&xml, crate::xml::Limits::METADATA).unwrap();
        let entity = crate::saml::metadata::EntityDescriptor::read(&doc, doc.root()).unwrap();
        let role = entity.sp().unwrap();
        let uses: Vec<_> = role.keys.iter().map(|k| k.usage).collect();
        use crate::saml::metadata::KeyUse;
        assert_eq!(uses, [KeyUse::Encryption, KeyUse::Signing]);
        assert!(role.keys.iter().all(|k| k.certificates.len() == 1));
        // KeyDescriptor comes before the endpoints, as the schema orders them.
        assert!(xml.find("KeyDescriptor").unwrap() < xml.find("SingleLogoutService").unwrap());
    }

    #[test]
    fn escapes_values_and_omits_a_missing_sls() {
        let sp = SpProfile::explicit(
            "https://app.example/sp?a=1&b=\"2\"",
            "https://app.example/acs?x=<1>&y='2'",
            None,
        );
        let xml = sp_metadata(&sp).unwrap();
        assert!(xml.contains("entityID=\"https://app.example/sp?a=1&amp;b=&quot;2&quot;\""));
        assert!(
            xml.contains("Location=\"https://app.example/acs?x=&lt;1&gt;&amp;y=&apos;2&apos;\"")
        );
        assert!(!xml.contains("SingleLogoutService"));
    }

    #[test]
    fn refuses_values_that_would_break_the_metadata() {
        let err = |entity: &str, acs: &str, sls: Option<&str>| {
            sp_metadata(&SpProfile::explicit(entity, acs, sls)).unwrap_err()
        };
        let e = err(" https://app.example/sp", "https://app.example/acs", None);
        assert_eq!(e.field, "entity ID");
        let e = err(
            "https://app.example/sp\u{200B}",
            "https://app.example/acs",
            None,
        );
        assert!(e.why.contains("zero-width space"), "{e}");
        let e = err("urn:example:sp", "/acs", None);
        assert_eq!(e.field, "ACS URL");
        let e = err("urn:example:sp", "ftp://app.example/acs", None);
        assert!(e.why.contains("scheme"), "{e}");
        let e = err(
            "urn:example:sp",
            "https://app.example/acs",
            Some("https:///sls"),
        );
        assert_eq!(e.field, "SLS URL");
        let e = err("urn:example:sp", "https://app.example/a\u{FFFF}", None);
        assert!(e.why.contains("XML does not allow"), "{e}");
        assert!(sp_metadata(&SpProfile::explicit(
            "urn:example:sp",
            "http://localhost:9000/acs",
            None
        ))
        .is_ok());
    }
}
