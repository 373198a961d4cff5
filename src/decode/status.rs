//! IdP error statuses explained: the SAML status codes, and the vendor codes IdPs put in
//! StatusMessage (Microsoft Entra ID's AADSTS numbers above all), each mapped to the setting
//! that fixes it.

use super::report::StatusSummary;
use crate::checks::catalog::RESPONSE_IDP_ERROR;
use crate::checks::Finding;
use crate::saml::ns;

/// The rule id of an explained error status.
pub const RULE: &str = "response/idp-error";

const STATUS_PREFIX: &str = "urn:oasis:names:tc:SAML:2.0:status:";

/// What a SAML status code means and what usually fixes it.
fn saml_code(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "Requester" => (
            "the IdP blames the request (the SP's AuthnRequest, or the SP as configured in the IdP)",
            "Compare the SP's entity ID and ACS URL with the IdP application's settings.",
        ),
        "Responder" => (
            "the IdP could not or would not answer (its own configuration, a policy, or an internal error)",
            "Read the StatusMessage and the IdP's sign-in logs for this attempt.",
        ),
        "VersionMismatch" => (
            "the IdP does not speak the SAML version of the request",
            "Configure the IdP application for SAML 2.0.",
        ),
        "AuthnFailed" => (
            "the IdP could not authenticate the user (wrong credentials, cancelled, or a failed second factor)",
            "Have the user sign in at the IdP directly; check the IdP's sign-in logs.",
        ),
        "InvalidNameIDPolicy" => (
            "the IdP cannot issue a NameID in the format the SP's NameIDPolicy asks for",
            "Set the IdP application's Name ID format to what the SP requests (samlcheck's SP asks for unspecified, which every IdP can meet), or give the user a value for that format.",
        ),
        "NoPassive" => (
            "the SP asked for passive login (IsPassive) but the user has no session at the IdP",
            "Start the login without IsPassive, or sign in at the IdP first.",
        ),
        "RequestDenied" => (
            "the IdP chose not to answer: usually the user is not assigned to the application, or a policy blocked it",
            "Assign the user (or their group) to the application in the IdP and check its access policies.",
        ),
        "NoAuthnContext" => (
            "the IdP cannot authenticate the user with the method the request's RequestedAuthnContext demands",
            "Stop the SP from requesting a specific AuthnContext, or enable that method at the IdP.",
        ),
        "UnknownPrincipal" => (
            "the IdP does not know the user named in the request",
            "Check that the user exists in the IdP and that the NameID value matches.",
        ),
        "RequestUnsupported" | "UnsupportedBinding" => (
            "the IdP does not support what the request asks for (a binding, or a feature)",
            "Use a binding the IdP's metadata lists (HTTP-POST for the response).",
        ),
        "NoAvailableIDP" | "NoSupportedIDP" | "ProxyCountExceeded" => (
            "the IdP was asked to proxy the login to another IdP and could not",
            "Remove the Scoping from the request, or fix the proxied IdP.",
        ),
        "InvalidAttrNameOrValue" | "UnknownAttrProfile" => (
            "an attribute in the request was not understood",
            "Remove requested attributes the IdP does not know.",
        ),
        "RequestVersionTooHigh" | "RequestVersionTooLow" | "RequestVersionDeprecated" => (
            "the IdP refuses the SAML version of the request",
            "Use SAML 2.0.",
        ),
        "ResourceNotRecognized" | "TooManyResponses" | "PartialLogout" => (
            "the IdP could not complete the request in full",
            "Read the StatusMessage and the IdP's logs.",
        ),
        _ => return None,
    })
}

/// One vendor error code: where it comes from, what it means, and the fix in that console.
struct VendorCode {
    code: &'static str,
    vendor: &'static str,
    meaning: &'static str,
    fix: &'static str,
}

const ENTRA_APP: &str = "Microsoft Entra admin center > Enterprise applications > (the app)";

static VENDOR_CODES: &[VendorCode] = &[
    VendorCode {
        code: "AADSTS50105",
        vendor: "Microsoft Entra ID",
        meaning: "the signed-in user is not assigned to the application (assignment is required and neither the user nor a group of theirs has it)",
        fix: "In Microsoft Entra admin center > Enterprise applications > (the app) > Users and groups, add the user or their group; or under Properties set \"Assignment required?\" to No.",
    },
    VendorCode {
        code: "AADSTS50011",
        vendor: "Microsoft Entra ID",
        meaning: "the reply URL (ACS URL) the request names is not one of the application's Reply URLs",
        fix: "In Microsoft Entra admin center > Enterprise applications > (the app) > Single sign-on > Basic SAML Configuration, add the SP's ACS URL to Reply URL (Assertion Consumer Service URL) exactly, trailing slash included.",
    },
    VendorCode {
        code: "AADSTS700016",
        vendor: "Microsoft Entra ID",
        meaning: "no application in the tenant has the Issuer of the request as its Identifier (Entity ID): the identifier differs, or the app is in another tenant",
        fix: "In Microsoft Entra admin center > Enterprise applications > (the app) > Single sign-on > Basic SAML Configuration, set Identifier (Entity ID) to the SP entity ID exactly, and use the SSO URL of the tenant that holds the app.",
    },
    VendorCode {
        code: "AADSTS75011",
        vendor: "Microsoft Entra ID",
        meaning: "the way the user signed in does not match the authentication method the request demands (RequestedAuthnContext, e.g. PasswordProtectedTransport while the session came from Windows integrated or passwordless sign-in)",
        fix: "Make the SP stop sending RequestedAuthnContext (or allow any method), or have the user sign in with the requested method.",
    },
    VendorCode {
        code: "AADSTS75005",
        vendor: "Microsoft Entra ID",
        meaning: "the request is not a valid SAML 2.0 protocol message",
        fix: "Decode the AuthnRequest with samlcheck decode and fix what it reports; send it by HTTP-Redirect or HTTP-POST as the metadata lists.",
    },
    VendorCode {
        code: "AADSTS750054",
        vendor: "Microsoft Entra ID",
        meaning: "SAMLRequest or SAMLResponse was not where the binding puts it (the query of an HTTP-Redirect, the body of an HTTP-POST)",
        fix: "Send the AuthnRequest to the Login URL from the app's Single sign-on page, by HTTP-Redirect or HTTP-POST, with the message in the SAMLRequest parameter.",
    },
    VendorCode {
        code: "AADSTS7500529",
        vendor: "Microsoft Entra ID",
        meaning: "the request's ID is not a valid SAML ID (it must not start with a digit)",
        fix: "Make the SP generate IDs that start with a letter or '_'.",
    },
    VendorCode {
        code: "AADSTS75008",
        vendor: "Microsoft Entra ID",
        meaning: "the request's Destination is not the tenant's SAML endpoint",
        fix: "Set the SP's IdP SSO URL to the Login URL shown in the app's Single sign-on page.",
    },
    VendorCode {
        code: "AADSTS50107",
        vendor: "Microsoft Entra ID",
        meaning: "the federation realm object named in the message does not exist: the Issuer a federated IdP sent is not the issuer URI Entra ID has for that domain or external IdP",
        fix: "Make the Issuer the federated IdP sends equal the issuer URI configured in Entra ID for the domain (or the external identity provider), or correct that setting.",
    },
    VendorCode {
        code: "AADSTS900236",
        vendor: "Microsoft Entra ID",
        meaning: "the AuthnRequest carries a property Entra ID does not support (the message names it, e.g. AssertionConsumerServiceIndex or ProviderName)",
        fix: "Remove that property from the SP's AuthnRequest; Entra ID expects a plain request (Issuer, NameIDPolicy, optionally RequestedAuthnContext).",
    },
    VendorCode {
        code: "AADSTS50020",
        vendor: "Microsoft Entra ID",
        meaning: "the user's account is from another identity provider or tenant and is not a guest in this one",
        fix: "Invite the user as a guest in the tenant that holds the application, or have them sign in with an account of that tenant.",
    },
    VendorCode {
        code: "AADSTS50034",
        vendor: "Microsoft Entra ID",
        meaning: "the user account does not exist in the directory",
        fix: "Check the username, or create the user in the tenant that holds the application.",
    },
    VendorCode {
        code: "AADSTS50076",
        vendor: "Microsoft Entra ID",
        meaning: "multi-factor authentication is required and was not done",
        fix: "Have the user complete MFA; if the SP requested passive login, start it interactively.",
    },
    VendorCode {
        code: "AADSTS50079",
        vendor: "Microsoft Entra ID",
        meaning: "the user must register for multi-factor authentication first",
        fix: "Have the user register an MFA method at the IdP, then sign in again.",
    },
    VendorCode {
        code: "AADSTS53003",
        vendor: "Microsoft Entra ID",
        meaning: "a Conditional Access policy blocked the sign-in",
        fix: "In Microsoft Entra admin center > Sign-in logs, open the attempt's Conditional Access tab to see which policy blocked it, and adjust the policy or the user's situation.",
    },
    VendorCode {
        code: "AADSTS50126",
        vendor: "Microsoft Entra ID",
        meaning: "the username or password is wrong",
        fix: "Have the user sign in again with the right credentials (or reset the password).",
    },
    VendorCode {
        code: "AADSTS50058",
        vendor: "Microsoft Entra ID",
        meaning: "passive (silent) sign-in was requested but the user has no session",
        fix: "Start the login without IsPassive so the user can sign in.",
    },
    VendorCode {
        code: "app_not_configured_for_user",
        vendor: "Google Workspace",
        meaning: "no SAML app in the Google Workspace account matches the request: its Entity ID (or ACS URL) differs from the request's Issuer",
        fix: "In Google Admin console > Apps > Web and mobile apps > (the app) > Service provider details, set Entity ID and ACS URL to the SP's values exactly.",
    },
    VendorCode {
        code: "app_not_enabled_for_user",
        vendor: "Google Workspace",
        meaning: "the SAML app is off for the user's organizational unit or group",
        fix: "In Google Admin console > Apps > Web and mobile apps > (the app) > User access, turn the app ON for the user's organizational unit or group.",
    },
    VendorCode {
        code: "MSIS7012",
        vendor: "AD FS",
        meaning: "AD FS could not authorize the request (an issuance authorization rule denied it, or the relying party trust is not found for the Issuer)",
        fix: "In AD FS Management > Relying Party Trusts, check that a trust has the SP entity ID as identifier and that its access control policy permits the user.",
    },
];

/// The vendor codes in a StatusMessage (case-insensitive for the Google-style words).
fn vendor_codes(message: &str) -> Vec<&'static VendorCode> {
    let lower = message.to_ascii_lowercase();
    let mut found: Vec<&'static VendorCode> = Vec::new();
    for v in VENDOR_CODES {
        let code = v.code.to_ascii_lowercase();
        // AADSTS50011 must not match inside AADSTS500113: the code ends at a non-digit.
        let hit = lower.match_indices(&code).any(|(i, _)| {
            !lower[i + code.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        });
        if hit {
            found.push(v);
        }
    }
    found
}

/// The first `AADSTS` number in the message, even one not in the table.
fn aadsts_number(message: &str) -> Option<String> {
    let i = message.find("AADSTS")?;
    let digits: String = message[i + 6..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then(|| format!("AADSTS{digits}"))
}

fn short(code: &str) -> &str {
    code.strip_prefix(STATUS_PREFIX).unwrap_or(code)
}

/// The `response/idp-error` finding for a status that is not Success; `None` for Success or
/// no status at all.
pub fn explain(status: &StatusSummary) -> Option<Finding> {
    let code = status.code.as_deref()?;
    if code == ns::STATUS_SUCCESS {
        return None;
    }
    let mut codes = vec![short(code)];
    if let Some(sub) = &status.subcode {
        codes.push(short(sub));
    }
    let message = status.message.as_deref().unwrap_or("").trim();
    let vendors = vendor_codes(message);
    let top = codes.join(" / ");
    let mut text = format!("the IdP answered {top}");
    if !message.is_empty() {
        text.push_str(&format!(": {message:?}"));
    }
    let mut finding = Finding::new(&RESPONSE_IDP_ERROR, text).found(
        [Some(code.to_string()), status.subcode.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" / "),
    );
    // The most specific explanation first: the vendor's code, then the second-level code.
    for c in codes.iter().rev() {
        if let Some((meaning, fix)) = saml_code(c) {
            finding = finding.note(format!("{c}: {meaning}"));
            if vendors.is_empty() && *c == codes[codes.len() - 1] {
                finding = finding.fix(fix);
            }
        }
    }
    for v in &vendors {
        finding = finding
            .note(format!("{} {}: {}", v.vendor, v.code, v.meaning))
            .hint(v.code);
    }
    if let Some(v) = vendors.first() {
        finding = finding.fix(v.fix);
    } else if let Some(number) = aadsts_number(message) {
        finding = finding.note(format!(
            "Microsoft Entra ID {number}: look it up at https://login.microsoftonline.com/error?code={} and in {ENTRA_APP} > Sign-in logs",
            &number[6..]
        ));
    }
    Some(finding)
}

/// The vendor code a finding names, for JSON consumers (the first hint that is one).
pub fn vendor_code(finding: &Finding) -> Option<&'static str> {
    finding
        .hints
        .iter()
        .copied()
        .find(|h| VENDOR_CODES.iter().any(|v| v.code == *h))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: &str, sub: Option<&str>, message: Option<&str>) -> StatusSummary {
        StatusSummary {
            code: Some(format!("{STATUS_PREFIX}{code}")),
            subcode: sub.map(|s| format!("{STATUS_PREFIX}{s}")),
            message: message.map(str::to_string),
        }
    }

    #[test]
    fn success_is_not_an_error() {
        assert!(explain(&status("Success", None, None)).is_none());
    }

    #[test]
    fn entra_code_wins_the_fix() {
        let f = explain(&status(
            "Requester",
            Some("RequestDenied"),
            Some("AADSTS50105: The signed in user 'jane@acme.example' is not assigned to a role for the application."),
        ))
        .unwrap();
        assert_eq!(f.rule, "response/idp-error");
        assert_eq!(vendor_code(&f), Some("AADSTS50105"));
        assert!(f.fix.contains("Users and groups"), "{}", f.fix);
        assert!(f.notes.iter().any(|n| n.starts_with("RequestDenied")));
    }

    #[test]
    fn codes_end_at_a_non_digit_and_unknown_ones_get_a_link() {
        assert!(vendor_codes("AADSTS500113: x").is_empty());
        let f = explain(&status("Responder", None, Some("AADSTS123456: new"))).unwrap();
        assert!(f.notes.iter().any(|n| n.contains("error?code=123456")));
        let f = explain(&status("Responder", Some("NoPassive"), None)).unwrap();
        assert!(f.fix.contains("IsPassive"));
    }
}
