#!/usr/bin/env python3
"""Helper for benches/compare_python3_saml.sh.

    python3 python3_saml_verify.py template RESPONSE_ID ASSERTION_ID USER   > unsigned.xml
    python3 python3_saml_verify.py gen OUTDIR COUNT                         # OUTDIR/NNNNN.xml + OUTDIR/ids.tsv
    python3 python3_saml_verify.py verify METADATA FILE...                  # needs python3-saml

`template` and `gen` write the unsigned "typical ~8 KB" Response: the same text, byte for byte, as
`typical_response(Style::Compact, ...)` in benches/verify.rs (Okta's envelope, 15 attributes), or
with STYLE=claims in the environment as `typical_response(Style::ClaimUris, ...)` (the attributes
named by claim URI as Entra ID and ADFS name them, plus Entra's four built-in claims). They need
only the standard library. `gen` writes COUNT distinct responses (own Response ID, Assertion
ID, NameID and email each) and ids.tsv (`FILE<TAB>ASSERTION_ID<TAB>RESPONSE_ID` lines) for the
signer.

`verify` checks each file, in one process, the way a python3-saml SP does:
`OneLogin_Saml2_Response(settings, base64).is_valid(request_data)`, strict, with the SP of the
`acme` org on https://sentry.io and the IdP entityID and certificate from METADATA. The clock is
pinned at 2026-01-15T10:01:00Z (unix 1768471260) by replacing OneLogin_Saml2_Utils.now, the same
instant samlcheck is given with --now. It prints one JSON object: total, accepted, the seconds
spent in the loop (reading, base64, constructing and validating every response), the seconds
spent in setup (imports and settings) and the first few rejection reasons.
"""

import json
import os
import sys
import time

NOW_UNIX = 1768471260  # 2026-01-15T10:01:00Z
ORG_BASE = "https://sentry.io"
ORG = "acme"


WS_CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/"
MS_CLAIMS = "http://schemas.microsoft.com/identity/claims/"
CLAIM_URIS = {
    "email": WS_CLAIMS + "emailaddress",
    "firstName": WS_CLAIMS + "givenname",
    "lastName": WS_CLAIMS + "surname",
    "displayName": MS_CLAIMS + "displayname",
    "login": WS_CLAIMS + "name",
    "groups": "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
}


def attribute(name, values, style):
    if style == "claims":
        name = CLAIM_URIS.get(name, WS_CLAIMS + name.lower())
    out = '<saml2:Attribute Name="%s">' % name
    for value in values:
        out += "<saml2:AttributeValue>%s</saml2:AttributeValue>" % value
    return out + "</saml2:Attribute>"


def style_from_env():
    style = os.environ.get("STYLE", "compact")
    if style not in ("compact", "claims"):
        sys.exit("STYLE must be compact or claims")
    return style


def typical_response(response_id, assertion_id, user, style):
    """Mirror of typical_response(Style::Compact or Style::ClaimUris, ...) in benches/verify.rs."""
    email = "%s@acme.example" % user
    attrs = "".join(
        [
            attribute("email", [email], style),
            attribute("firstName", ["Jane"], style),
            attribute("lastName", ["Doe"], style),
            attribute("displayName", ["Jane Doe"], style),
            attribute("login", [email], style),
            attribute("department", ["Platform Engineering"], style),
            attribute("title", ["Staff Software Engineer"], style),
            attribute("employeeNumber", ["100482"], style),
            attribute("costCenter", ["CC-4410"], style),
            attribute("division", ["R&amp;D"], style),
            attribute("organization", ["Acme Corp"], style),
            attribute("manager", ["john.smith@acme.example"], style),
            attribute("locale", ["en_US"], style),
            attribute("timezone", ["America/Los_Angeles"], style),
            attribute(
                "groups", ["Everyone", "engineering", "sentry-admins", "oncall-platform"], style
            ),
        ]
    )
    if style == "claims":
        tenant = "8f3c1a52-6b0e-4d2a-9c71-3e5d2b7a4f10"
        for claim, value in [
            ("tenantid", tenant),
            ("objectidentifier", "c2d9e4b7-1f63-4a8e-b5d0-7a91e3c6f248"),
            ("identityprovider", "https://sts.windows.net/%s/" % tenant),
        ]:
            attrs += attribute(MS_CLAIMS + claim, [value], "compact")
        attrs += attribute(
            "http://schemas.microsoft.com/claims/authnmethodsreferences",
            [
                "http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password",
                "http://schemas.microsoft.com/claims/multipleauthn",
            ],
            "compact",
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" Destination="https://sentry.io/saml/acs/acme/" ID="{rid}" InResponseTo="_req-4f1c2a" IssueInstant="2026-01-15T10:00:00Z" Version="2.0">'
        '<saml2:Issuer xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">http://www.okta.com/exk1fcbhlwAcme5d7</saml2:Issuer>'
        '<saml2p:Status xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol"><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status>'
        '<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="{aid}" IssueInstant="2026-01-15T10:00:00Z" Version="2.0">'
        '<saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">http://www.okta.com/exk1fcbhlwAcme5d7</saml2:Issuer>'
        '<saml2:Subject xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"><saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{email}</saml2:NameID>'
        '<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml2:SubjectConfirmationData InResponseTo="_req-4f1c2a" NotOnOrAfter="2026-01-15T10:05:00Z" Recipient="https://sentry.io/saml/acs/acme/"/></saml2:SubjectConfirmation></saml2:Subject>'
        '<saml2:Conditions NotBefore="2026-01-15T09:59:30Z" NotOnOrAfter="2026-01-15T10:05:00Z" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"><saml2:AudienceRestriction><saml2:Audience>https://sentry.io/saml/metadata/acme/</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>'
        '<saml2:AuthnStatement AuthnInstant="2026-01-15T09:59:58Z" SessionIndex="id1768471200123.1458872915" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"><saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>'
        '<saml2:AttributeStatement xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">{attrs}</saml2:AttributeStatement>'
        "</saml2:Assertion></saml2p:Response>"
    ).format(rid=response_id, aid=assertion_id, email=email, attrs=attrs)


def cmd_template(args):
    response_id, assertion_id, user = args
    sys.stdout.write(typical_response(response_id, assertion_id, user, style_from_env()))


def cmd_gen(args):
    outdir, count = args[0], int(args[1])
    style = style_from_env()
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "ids.tsv"), "w") as ids:
        for i in range(count):
            # Same length as the bench's IDs (24 characters), distinct per response.
            rid = "id_bench_response_%06d" % i
            aid = "id_bench_assertion_%05d" % i
            user = "user%05d.doe" % i
            name = os.path.join(outdir, "%05d.xml" % i)
            with open(name, "w") as f:
                f.write(typical_response(rid, aid, user, style))
            ids.write("%s\t%s\t%s\n" % (name, aid, rid))


def cmd_verify(args):
    setup_start = time.perf_counter()
    import base64

    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser
    from onelogin.saml2.response import OneLogin_Saml2_Response
    from onelogin.saml2.settings import OneLogin_Saml2_Settings
    from onelogin.saml2.utils import OneLogin_Saml2_Utils

    # python3-saml reads the real clock; pin it at the instant samlcheck gets with --now.
    OneLogin_Saml2_Utils.now = staticmethod(lambda: NOW_UNIX)

    metadata, files = args[0], args[1:]
    with open(metadata) as f:
        idp = OneLogin_Saml2_IdPMetadataParser.parse(f.read())["idp"]
    settings = OneLogin_Saml2_Settings(
        {
            "strict": True,
            "debug": False,
            "sp": {
                "entityId": "%s/saml/metadata/%s/" % (ORG_BASE, ORG),
                "assertionConsumerService": {
                    "url": "%s/saml/acs/%s/" % (ORG_BASE, ORG),
                    "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
                },
                "NameIDFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
            },
            "idp": {
                "entityId": idp["entityId"],
                "singleSignOnService": idp["singleSignOnService"],
                "x509cert": idp["x509cert"],
            },
            "security": {
                # SIGNED=both (default): the responses sign both; require both, as samlcheck
                # verifies both. SIGNED=assertion: only the assertion is signed.
                "wantAssertionsSigned": True,
                "wantMessagesSigned": os.environ.get("SIGNED", "both") == "both",
                "rejectDeprecatedAlgorithm": True,
            },
        },
        sp_validation_only=True,
    )
    # The POST as the ACS receives it: https://sentry.io/saml/acs/acme/
    request_data = {
        "https": "on",
        "http_host": "sentry.io",
        "server_port": "443",
        "script_name": "/saml/acs/%s/" % ORG,
        "get_data": {},
        "post_data": {},
    }
    setup_seconds = time.perf_counter() - setup_start

    accepted = 0
    errors = []
    loop_start = time.perf_counter()
    for path in files:
        with open(path, "rb") as f:
            b64 = base64.b64encode(f.read()).decode("ascii")
        response = OneLogin_Saml2_Response(settings, b64)
        if response.is_valid(request_data):
            accepted += 1
        elif len(errors) < 5:
            errors.append("%s: %s" % (path, response.get_error()))
    loop_seconds = time.perf_counter() - loop_start

    json.dump(
        {
            "total": len(files),
            "accepted": accepted,
            "loop_seconds": loop_seconds,
            "setup_seconds": setup_seconds,
            "errors": errors,
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


def main():
    commands = {"template": cmd_template, "gen": cmd_gen, "verify": cmd_verify}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.stderr.write(__doc__)
        sys.exit(2)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
