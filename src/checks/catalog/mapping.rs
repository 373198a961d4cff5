//! Rules about the attribute mapping: which attributes the SP reads the user's ID, email and
//! name from, checked against the IdP's metadata and against a captured response.

use super::Rule;
use crate::checks::finding::Severity;

super::rules! {
    MAPPING_MISSING_REQUIRED = "mapping/missing-required", Error,
        "The IdP User ID or the User Email is mapped to no attribute.",
        "The SP builds each user's identity from two attributes of the assertion: the IdP User ID, which links the SSO identity to the member at every login, and the User Email. With either one unmapped every login fails (Sentry answers \"Failed to map SAML attributes\"). First Name and Last Name are optional. When the response or the metadata has a likely attribute, or the IdP's preset names one, the finding suggests it.",
        "Map both fields to attributes the IdP sends: start from the IdP's preset (--preset) or name them (--map user-id=ATTR --map email=ATTR), and enter the same names in the SP's SAML attribute mapping.";
    MAPPING_ATTRIBUTE_NOT_FOUND = "mapping/attribute-not-found", Error,
        "A mapped attribute is not in the response, or not among those the IdP advertises.",
        "The SP looks attributes up by their exact Name, letter case included, and ignores FriendlyName. A captured response shows what the IdP really sends; metadata (saml:Attribute in the IDPSSODescriptor, or the fed:ClaimTypesOffered of Entra ID and AD FS) only lists what it can send, so a name missing there is a warning. When the value is there under another name the finding names it: a claim URI such as http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress where `email` was mapped (Entra ID's console shows only the short name), another letter case (`FirstName` for `firstName`), or a FriendlyName typed where the Name belongs (`mail` for urn:oid:0.9.2342.19200300.100.1.3). A missing user ID or email is an error; a missing first or last name is a warning.",
        "Map the field to the attribute the finding suggests, exactly as the IdP sends it, or rename the attribute in the IdP's attribute mapping to the name the SP expects.";
    MAPPING_UNSTABLE_USER_ID = "mapping/unstable-user-id", Error,
        "The IdP User ID would change from one login to the next.",
        "The SP links the SSO identity to a member by the IdP User ID. A transient NameID (urn:oasis:names:tc:SAML:2.0:nameid-format:transient) is a fresh random value at every login, and so are per-session values such as the SessionIndex, the assertion ID or the authentication instant. Used as the user ID, such a value creates a new identity at every login: members are asked to link their account again, and once \"Require SSO\" is on they can be locked out.",
        "Map the IdP User ID to an immutable per-user attribute (Entra ID: objectidentifier; Okta: user.id; OneLogin: PersonImmutableID; authentik: uid), and keep transient NameIDs out of it.";
    MAPPING_MULTI_VALUED = "mapping/multi-valued", Warning,
        "A mapped attribute carries several values where one is expected.",
        "The SP keeps only the first value of an attribute, and the order of values is the IdP's choice. An email attribute holding the primary and the alias addresses, or a name split over two values, gives unpredictable results; for the IdP User ID it can link the wrong identity, so it is an error there. An attribute repeated under the same Name is reported too (python3-saml rejects such a response unless allowRepeatAttributeName is set).",
        "Send a single-valued source in the IdP (the primary email, not every address), or map the field to another attribute.";
    MAPPING_INVALID_EMAIL = "mapping/invalid-email", Error,
        "The attribute mapped to User Email does not hold an email address.",
        "The SP uses the User Email to find or invite the member and to write to them. A value that is not an address (an object ID, a username, a display name) matches no member and creates a broken account. Usually the email field is mapped to the wrong attribute, or the IdP fills the attribute from another directory field.",
        "Map User Email to the attribute that carries the user's address (the finding names one when the response has it), or fix the source of the attribute in the IdP.";
    MAPPING_EMPTY_VALUE = "mapping/empty-value", Error,
        "A mapped attribute is present but empty.",
        "An attribute without an AttributeValue, or with an empty one, counts as missing for the SP: an empty user ID or email fails the login (\"Failed to map SAML attributes\"), an empty name leaves the member unnamed. The IdP sends it empty when the directory field it reads is not filled in for this user.",
        "Fill the source field in the IdP's directory for every user, or map the field to another attribute.";
}
