//! The mock IdP's metadata: its entity ID, signing certificate, SSO endpoints for the
//! HTTP-Redirect and HTTP-POST bindings, NameID formats and the attributes it releases.

use super::keys::IdpKey;
use super::response::{NAMEID_EMAIL, NAMEID_TRANSIENT};
use crate::saml::ns;
use crate::sp::metadata::{BINDING_POST, BINDING_REDIRECT};
use crate::xml::dsig::DSIG_NS;
use crate::xml::escape::markup;

/// The metadata XML (UTF-8, with an XML declaration and a final newline).
pub fn idp_metadata(entity_id: &str, sso_url: &str, key: &IdpKey, attributes: &[&str]) -> String {
    let mut x = String::with_capacity(2048);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(&format!(
        "<md:EntityDescriptor xmlns:md=\"{}\" xmlns:ds=\"{DSIG_NS}\" xmlns:saml=\"{}\" entityID=\"{}\">\n",
        ns::METADATA,
        ns::ASSERTION,
        markup(entity_id)
    ));
    x.push_str(&format!(
        "  <md:IDPSSODescriptor WantAuthnRequestsSigned=\"false\" protocolSupportEnumeration=\"{}\">\n",
        ns::PROTOCOL
    ));
    x.push_str(&format!(
        "    <md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n",
        key.cert_base64()
    ));
    // Schema order: NameIDFormat, SingleSignOnService, then saml:Attribute.
    for format in [NAMEID_EMAIL, NAMEID_TRANSIENT] {
        x.push_str(&format!(
            "    <md:NameIDFormat>{format}</md:NameIDFormat>\n"
        ));
    }
    for binding in [BINDING_REDIRECT, BINDING_POST] {
        x.push_str(&format!(
            "    <md:SingleSignOnService Binding=\"{binding}\" Location=\"{}\"/>\n",
            markup(sso_url)
        ));
    }
    for name in attributes {
        x.push_str(&format!(
            "    <saml:Attribute Name=\"{}\" NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:basic\"/>\n",
            markup(name)
        ));
    }
    x.push_str("  </md:IDPSSODescriptor>\n</md:EntityDescriptor>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saml::metadata::IdpMetadata;

    #[test]
    fn parses_with_the_verifier_and_keeps_odd_values_inert() {
        let key = IdpKey::bundled_test_key().unwrap();
        let xml = idp_metadata(
            "http://127.0.0.1:1/metadata?a=1&b=\"2\"",
            "http://127.0.0.1:1/sso",
            &key,
            &["email", "a<b"],
        );
        let md = IdpMetadata::parse(xml.as_bytes(), None).unwrap();
        assert_eq!(md.entity_id, "http://127.0.0.1:1/metadata?a=1&b=\"2\"");
        assert_eq!(md.signing_keys.len(), 1);
        assert!(md.bad_certificates.is_empty());
    }
}
