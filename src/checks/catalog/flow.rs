//! Rules about the flow of a captured login (a HAR or SAML-tracer export): which message
//! answered which, where the browser actually took it, and when.

use super::Rule;
use crate::checks::finding::Severity;

super::rules! {
    FLOW_UNANSWERED_REQUEST = "flow/unanswered-request", Error,
        "A request in the capture got no response.",
        "The SP sent an AuthnRequest (or a LogoutRequest) to the IdP, and no Response whose InResponseTo names its ID reached the SP in the capture. Either the IdP showed an error page (wrong SP entity ID, user not assigned, unknown ACS), the user gave up at the login page, or the response went to another URL or was lost on a redirect. The IdP's last page in the capture usually says which.",
        "Look at the IdP's page after the request (its error message, or the AADSTS code for Entra ID); make sure the SP entity ID and ACS URL in the IdP application are the SP's own, and that the recording covered the whole login.";
    FLOW_UNKNOWN_REQUEST = "flow/unknown-request", Warning,
        "A response answers a request that is not in the capture.",
        "The Response's InResponseTo names an ID that no AuthnRequest in the capture carries. Either the recording started after the request was sent, or the response answers an older login (a stale tab, the back button, a second login started in another tab): an SP that tracks its requests refuses it as unsolicited or replayed.",
        "Start the recording before clicking the SSO button and log in again from the SP's login page in one tab.";
    FLOW_POSTED_TO_WRONG_URL = "flow/posted-to-wrong-url", Error,
        "The response was posted to a URL other than the SP's ACS URL.",
        "The browser delivered the SAMLResponse to the URL the IdP's form named (the ACS URL configured in the IdP application). It is not the ACS URL the SP asked for in its AuthnRequest (AssertionConsumerServiceURL) or, when an SP profile is given, the SP's own ACS URL. The SP never sees the response there, or sees it on an endpoint that refuses it. The finding's hint names the near miss (trailing slash, http vs https, host, org slug).",
        "Set the IdP application's ACS / Reply / Single sign-on URL to the expected value exactly.";
    FLOW_POST_LOST_ON_REDIRECT = "flow/post-lost-on-redirect", Error,
        "A redirect dropped the SAML message on its way.",
        "The request that carried the SAML message was answered with a redirect (301, 302 or 303) and the browser followed it with a GET without the message: browsers turn a redirected POST into a GET and drop its body. The common cause is an ACS URL with http:// where the server redirects to https://, or a missing trailing slash the server adds with a redirect; a load balancer or a login wall in front of the ACS does the same. Only 307 and 308 keep a POST.",
        "Configure the exact final URL (https, trailing slash, host) as the ACS URL in the IdP application, so that no redirect stands between the IdP's form and the SP.";
    FLOW_CLOCK_SKEW = "flow/clock-skew", Warning,
        "A message's IssueInstant is far from the browser's time.",
        "The IssueInstant the IdP (or SP) wrote into the message differs from the time the browser recorded for the request that carried it by more than the allowed skew (300 seconds by default). The browser sees the message a moment after it is issued, so the difference is the issuer's clock error (or the browser machine's). Beyond a few minutes, SPs refuse assertions as not yet valid or expired. The measured difference is reported for every message, inside the skew or not.",
        "Synchronize the IdP server's clock (NTP); if the browser machine's clock is the wrong one, the measurement is off but logins are not affected.";
}
