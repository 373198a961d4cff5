#!/usr/bin/env python3
"""Write a realistic SAML metadata aggregate, shaped like an eduGAIN / national-federation feed.

    python3 benches/make_aggregate.py -o aggregate.xml                 # 20,000 entities, ~98 MB
    python3 benches/make_aggregate.py -n 500 --seed 7 -o small.xml
    python3 benches/make_aggregate.py --signature-template -o tmpl.xml  # for `xmlsec1 --sign`

The root is an md:EntitiesDescriptor (ID, Name, validUntil, cacheDuration, mdrpi:PublicationInfo)
holding a mix of identity providers and service providers as federations publish them:

* every entity: mdrpi:RegistrationInfo (one of a dozen registrars), often mdattr:EntityAttributes
  (entity categories, SIRTFI), md:Organization and md:ContactPerson (technical, support, REFEDS
  security contacts), names in English plus the registrar's language (de, fr, es, it, nl, sv, fi,
  pl, pt, nb, da, cs, hu, el);
* IdPs (Shibboleth, SimpleSAMLphp and ADFS shapes): shibmd:Scope, mdui:UIInfo (DisplayName,
  Description, InformationURL, PrivacyStatementURL, Logo), mdui:DiscoHints, one to three
  KeyDescriptors (rollover, back-channel, encryption), SOAP ArtifactResolutionService,
  SingleLogoutService, NameIDFormats, SAML 2.0 (and sometimes SAML 1.1) SingleSignOnService,
  sometimes an AttributeAuthorityDescriptor;
* SPs: mdui:UIInfo, Shibboleth SP RequestInitiator / DiscoveryResponse extensions,
  KeyDescriptors, indexed AssertionConsumerServices (HTTP-POST, HTTP-Artifact, PAOS), and an
  AttributeConsumingService with RequestedAttributes (eduPerson, SCHAC, subject-id...).

Everything is https, indexes are unique, entityIDs are unique: linted, the aggregate has warnings
(transient-only IdPs, as real feeds do) and infos, but no error-level finding.

Certificates: a handful of real RSA-2048 self-signed certificates are made once with openssl
(10 years from the day they are made) into --cert-dir and reused; they are rotated over the
entities. The output is deterministic for a given --seed, -n and --cert-dir contents.

Python 3 standard library only (plus the openssl command the first time).
"""

import argparse
import os
import pathlib
import random
import subprocess
import sys
import tempfile
from xml.sax.saxutils import escape, quoteattr

# --------------------------------------------------------------------------------------------
# Namespaces

NAMESPACES = [
    ("md", "urn:oasis:names:tc:SAML:2.0:metadata"),
    ("ds", "http://www.w3.org/2000/09/xmldsig#"),
    ("saml", "urn:oasis:names:tc:SAML:2.0:assertion"),
    ("mdui", "urn:oasis:names:tc:SAML:metadata:ui"),
    ("mdrpi", "urn:oasis:names:tc:SAML:metadata:rpi"),
    ("mdattr", "urn:oasis:names:tc:SAML:metadata:attribute"),
    ("shibmd", "urn:mace:shibboleth:metadata:1.0"),
    ("init", "urn:oasis:names:tc:SAML:profiles:SSO:request-init"),
    ("idpdisc", "urn:oasis:names:tc:SAML:profiles:SSO:idp-discovery-protocol"),
    ("remd", "http://refeds.org/metadata"),
]

SAML2_PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML11_PROTOCOL = "urn:oasis:names:tc:SAML:1.1:protocol"
SHIB1_PROTOCOL = "urn:mace:shibboleth:1.0"
B = "urn:oasis:names:tc:SAML:2.0:bindings:"
REDIRECT, POST, SIMPLESIGN, ARTIFACT, SOAP, PAOS = (
    B + "HTTP-Redirect", B + "HTTP-POST", B + "HTTP-POST-SimpleSign", B + "HTTP-Artifact", B + "SOAP", B + "PAOS")
SAML1_SOAP = "urn:oasis:names:tc:SAML:1.0:bindings:SOAP-binding"
SHIB1_AUTHN = "urn:mace:shibboleth:1.0:profiles:AuthnRequest"
SAML1_POST = "urn:oasis:names:tc:SAML:1.0:profiles:browser-post"
SAML1_ARTIFACT = "urn:oasis:names:tc:SAML:1.0:profiles:artifact-01"
TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
URI_FORMAT = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"

# --------------------------------------------------------------------------------------------
# Vocabulary

# (country code, language, registrar slug, federation display name)
REGISTRARS = [
    ("de", "de", "aai", "DFN-AAI-like"),
    ("fr", "fr", "renater", "Fédération Éducation-Recherche-like"),
    ("es", "es", "sir", "SIR-like"),
    ("it", "it", "idem", "IDEM-like"),
    ("nl", "nl", "surfconext", "SURFconext-like"),
    ("se", "sv", "swamid", "SWAMID-like"),
    ("fi", "fi", "haka", "Haka-like"),
    ("pl", "pl", "pionier", "PIONIER.Id-like"),
    ("pt", "pt", "rcts", "RCTSaai-like"),
    ("no", "nb", "feide", "Feide-like"),
    ("dk", "da", "wayf", "WAYF-like"),
    ("cz", "cs", "eduid", "eduID.cz-like"),
    ("hu", "hu", "eduid-hu", "eduID.hu-like"),
    ("gr", "el", "grnet", "GRNET-like"),
    ("uk", "en", "ukfed", "UK federation-like"),
    ("us", "en", "incommon", "InCommon-like"),
]

# Organisation names per language: university, institute of technology, research centre, library.
ORG_NAMES = {
    "en": ["University of {c}", "{c} Institute of Technology", "{c} Research Centre", "{c} City Library"],
    "de": ["Universität {c}", "Technische Hochschule {c}", "Forschungszentrum {c}", "Stadtbibliothek {c}"],
    "fr": ["Université de {c}", "Institut polytechnique de {c}", "Centre de recherche de {c}", "Bibliothèque municipale de {c}"],
    "es": ["Universidad de {c}", "Instituto Tecnológico de {c}", "Centro de Investigación de {c}", "Biblioteca Municipal de {c}"],
    "it": ["Università di {c}", "Politecnico di {c}", "Centro di Ricerca di {c}", "Biblioteca Civica di {c}"],
    "nl": ["Universiteit {c}", "Technische Universiteit {c}", "Onderzoekscentrum {c}", "Openbare Bibliotheek {c}"],
    "sv": ["{c} universitet", "Tekniska högskolan i {c}", "Forskningscentrum {c}", "{c} stadsbibliotek"],
    "fi": ["{c} yliopisto", "{c} teknillinen korkeakoulu", "{c} tutkimuskeskus", "{c} kaupunginkirjasto"],
    "pl": ["Uniwersytet {c}", "Politechnika {c}", "Centrum Badawcze {c}", "Biblioteka Miejska {c}"],
    "pt": ["Universidade de {c}", "Instituto Politécnico de {c}", "Centro de Investigação de {c}", "Biblioteca Municipal de {c}"],
    "nb": ["Universitetet i {c}", "Teknisk høgskole {c}", "Forskningssenter {c}", "{c} folkebibliotek"],
    "da": ["{c} Universitet", "{c} Tekniske Skole", "{c} Forskningscenter", "{c} Bibliotek"],
    "cs": ["Univerzita {c}", "Vysoké učení technické {c}", "Výzkumné centrum {c}", "Městská knihovna {c}"],
    "hu": ["{c}i Egyetem", "{c}i Műszaki Egyetem", "{c}i Kutatóközpont", "{c}i Városi Könyvtár"],
    "el": ["Πανεπιστήμιο {c}", "Πολυτεχνείο {c}", "Ερευνητικό Κέντρο {c}", "Δημοτική Βιβλιοθήκη {c}"],
}
ORG_SLUGS = ["uni", "tech", "research", "library"]

IDP_DESCRIPTIONS = {
    "en": "Identity provider for students and staff of {o}.",
    "de": "Identity Provider für Studierende und Beschäftigte der Einrichtung {o}.",
    "fr": "Fournisseur d'identité pour les étudiants et le personnel de {o}.",
    "es": "Proveedor de identidad para estudiantes y personal de {o}.",
    "it": "Identity provider per studenti e personale di {o}.",
    "nl": "Identity provider voor studenten en medewerkers van {o}.",
    "sv": "Identitetsutgivare för studenter och anställda vid {o}.",
    "fi": "Tunnistuspalvelu opiskelijoille ja henkilökunnalle: {o}.",
    "pl": "Dostawca tożsamości dla studentów i pracowników: {o}.",
    "pt": "Fornecedor de identidade para estudantes e funcionários de {o}.",
    "nb": "Innloggingstjeneste for studenter og ansatte ved {o}.",
    "da": "Login-tjeneste for studerende og ansatte ved {o}.",
    "cs": "Poskytovatel identity pro studenty a zaměstnance: {o}.",
    "hu": "Személyazonosság-szolgáltató hallgatóknak és munkatársaknak: {o}.",
    "el": "Πάροχος ταυτότητας για φοιτητές και προσωπικό: {o}.",
}

SERVICES = [
    ("wiki", "Research Wiki", "Collaborative wiki for research groups"),
    ("journals", "Journal Archive", "Full-text access to licensed journals"),
    ("lms", "Learning Platform", "Courses, assignments and exams"),
    ("meet", "Video Conferencing", "Video meetings for teaching and research"),
    ("files", "File Sharing", "Sync and share for research data"),
    ("data", "Research Data Repository", "Long-term archive for research data with DOIs"),
    ("catalogue", "Library Catalogue", "Search and borrow from the library"),
    ("hpc", "HPC Portal", "Access to the high-performance computing cluster"),
    ("survey", "Survey Tool", "Online surveys for teaching evaluation"),
    ("events", "Conference Registration", "Registration and payment for conferences"),
    ("git", "Code Hosting", "Git hosting and continuous integration"),
    ("notebooks", "Notebook Service", "Hosted Jupyter notebooks"),
]
SERVICE_DESCRIPTIONS = {
    "en": "{s} for members of research and education institutions.",
    "de": "{s} für Angehörige von Hochschulen und Forschungseinrichtungen.",
    "fr": "{s} pour les membres des établissements d'enseignement et de recherche.",
    "es": "{s} para miembros de instituciones académicas y de investigación.",
    "it": "{s} per i membri delle istituzioni di ricerca e istruzione.",
    "nl": "{s} voor medewerkers en studenten van onderwijs- en onderzoeksinstellingen.",
    "sv": "{s} för medlemmar i universitet och forskningsinstitut.",
    "fi": "{s} korkeakoulujen ja tutkimuslaitosten käyttäjille.",
    "pl": "{s} dla członków instytucji naukowych i edukacyjnych.",
    "pt": "{s} para membros de instituições de ensino e investigação.",
    "nb": "{s} for medlemmer av universiteter og forskningsinstitusjoner.",
    "da": "{s} for medlemmer af uddannelses- og forskningsinstitutioner.",
    "cs": "{s} pro členy vzdělávacích a výzkumných institucí.",
    "hu": "{s} oktatási és kutatási intézmények tagjainak.",
    "el": "{s} για μέλη ακαδημαϊκών και ερευνητικών ιδρυμάτων.",
}

SYLLABLES = ["ber", "lin", "ham", "burg", "mün", "ster", "fel", "dorf", "ka", "ro", "vi", "lla", "san", "to",
             "mar", "len", "sto", "holm", "ös", "gra", "na", "da", "tor", "vik", "bo", "rå", "sel", "ak", "lu",
             "zen", "pra", "ha", "wa", "ri", "mon", "te", "ve", "ne", "gö", "tin", "gen", "ca", "sa", "brü"]

FIRST_NAMES = ["Anna", "Jonas", "Marie", "Lukas", "Sofia", "Mateo", "Elena", "Jan", "Ingrid", "Pekka", "Zofia",
               "João", "Sigrid", "Mads", "Tereza", "Bence", "Eleni", "Oliver", "Emma", "Noah", "Chiara", "Luuk"]
LAST_NAMES = ["Müller", "Dubois", "García", "Rossi", "de Vries", "Lindqvist", "Virtanen", "Nowak", "Silva",
              "Hansen", "Jensen", "Novák", "Nagy", "Papadopoulos", "Smith", "Johnson", "Schmidt", "Bianchi"]

REQUESTED_ATTRIBUTES = [
    ("eduPersonPrincipalName", "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"),
    ("mail", "urn:oid:0.9.2342.19200300.100.1.3"),
    ("displayName", "urn:oid:2.16.840.1.113730.3.1.241"),
    ("givenName", "urn:oid:2.5.4.42"),
    ("sn", "urn:oid:2.5.4.4"),
    ("cn", "urn:oid:2.5.4.3"),
    ("eduPersonScopedAffiliation", "urn:oid:1.3.6.1.4.1.5923.1.1.1.9"),
    ("eduPersonEntitlement", "urn:oid:1.3.6.1.4.1.5923.1.1.1.7"),
    ("eduPersonTargetedID", "urn:oid:1.3.6.1.4.1.5923.1.1.1.10"),
    ("eduPersonUniqueId", "urn:oid:1.3.6.1.4.1.5923.1.1.1.13"),
    ("eduPersonAssurance", "urn:oid:1.3.6.1.4.1.5923.1.1.1.11"),
    ("schacHomeOrganization", "urn:oid:1.3.6.1.4.1.25178.1.2.9"),
    ("o", "urn:oid:2.5.4.10"),
    ("subject-id", "urn:oasis:names:tc:SAML:attribute:subject-id"),
    ("pairwise-id", "urn:oasis:names:tc:SAML:attribute:pairwise-id"),
]

ENTITY_CATEGORIES_SP = [
    "http://refeds.org/category/research-and-scholarship",
    "https://refeds.org/category/code-of-conduct/v2",
    "https://refeds.org/category/personalized",
    "https://refeds.org/category/pseudonymous",
]


# --------------------------------------------------------------------------------------------
# Certificates


def default_cert_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "samlcheck", "aggregate-certs")


def ensure_certs(cert_dir, count):
    """Return the base64 bodies of `count` RSA-2048 certificates, making the missing ones with openssl."""
    d = pathlib.Path(cert_dir)
    d.mkdir(parents=True, exist_ok=True)
    bodies = []
    for k in range(count):
        crt = d / f"cert-{k:02d}.crt"
        if not crt.is_file() or crt.stat().st_size == 0:
            subject = f"/C=EU/O=Federation Member {k:02d}/CN=saml-signer-{k:02d}.federation.example"
            with tempfile.TemporaryDirectory() as tmp:
                key = os.path.join(tmp, "key.pem")
                try:
                    subprocess.run(
                        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "3650",
                         "-subj", subject, "-keyout", key, "-out", str(crt) + ".tmp"],
                        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                except FileNotFoundError:
                    sys.exit("make_aggregate.py: openssl is needed once, to make the certificates in " + str(d))
                except subprocess.CalledProcessError as e:
                    sys.exit("make_aggregate.py: openssl failed: " + e.stderr.decode(errors="replace"))
            os.replace(str(crt) + ".tmp", crt)
            print(f"make_aggregate.py: made {crt}", file=sys.stderr)
        lines = crt.read_text().strip().splitlines()
        bodies.append("".join(l for l in lines if not l.startswith("-----")))
    return bodies


def wrap64(b64):
    return "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64))


# --------------------------------------------------------------------------------------------
# Writer


class Gen:
    def __init__(self, rng, certs):
        self.rng = rng
        self.certs = [wrap64(c) for c in certs]
        self.hosts = set()
        self.out = []

    def w(self, indent, text):
        self.out.append(" " * indent + text + "\n")

    # -- building blocks -----------------------------------------------------------------------

    def city(self):
        r = self.rng
        name = "".join(r.choice(SYLLABLES) for _ in range(r.randint(2, 3)))
        return name[0].upper() + name[1:]

    def host(self, stem, cc):
        base = f"{stem}.{cc}.example"
        h, n = base, 1
        while h in self.hosts:
            n += 1
            h = f"{stem}{n}.{cc}.example"
        self.hosts.add(h)
        return h

    def langs(self, lang):
        r = self.rng
        out = ["en"] if lang == "en" or r.random() < 0.5 else ["en", lang]
        if r.random() < 0.05:
            extra = r.choice(["de", "fr", "es", "it"])
            if extra not in out:
                out.append(extra)
        return out

    def key_descriptor(self, ind, use, cert):
        attr = f' use="{use}"' if use else ""
        self.w(ind, f"<md:KeyDescriptor{attr}>")
        self.w(ind + 1, "<ds:KeyInfo>")
        if self.rng.random() < 0.1:
            self.w(ind + 2, f"<ds:KeyName>{escape(self.current_host)}</ds:KeyName>")
        self.w(ind + 2, "<ds:X509Data>")
        self.out.append(" " * (ind + 3) + "<ds:X509Certificate>\n" + cert + "\n" + " " * (ind + 3) + "</ds:X509Certificate>\n")
        self.w(ind + 2, "</ds:X509Data>")
        self.w(ind + 1, "</ds:KeyInfo>")
        if use == "encryption" and self.rng.random() < 0.5:
            self.w(ind + 1, '<md:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#aes128-gcm"/>')
            self.w(ind + 1, '<md:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#rsa-oaep"/>')
        self.w(ind, "</md:KeyDescriptor>")

    def registration(self, ind, registrar):
        r = self.rng
        cc, lang, slug, _ = registrar
        year = r.randint(2008, 2025)
        instant = f"{year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}Z"
        self.w(ind, f'<mdrpi:RegistrationInfo registrationAuthority="https://{slug}.registrar.{cc}.example/" registrationInstant="{instant}">')
        self.w(ind + 1, f'<mdrpi:RegistrationPolicy xml:lang="en">https://{slug}.registrar.{cc}.example/mrps-en</mdrpi:RegistrationPolicy>')
        if lang != "en" and r.random() < 0.2:
            self.w(ind + 1, f'<mdrpi:RegistrationPolicy xml:lang="{lang}">https://{slug}.registrar.{cc}.example/mrps-{lang}</mdrpi:RegistrationPolicy>')
        self.w(ind, "</mdrpi:RegistrationInfo>")

    def entity_attributes(self, ind, pairs):
        self.w(ind, "<mdattr:EntityAttributes>")
        for name, values in pairs:
            self.w(ind + 1, f'<saml:Attribute Name="{name}" NameFormat="{URI_FORMAT}">')
            for v in values:
                self.w(ind + 2, f"<saml:AttributeValue>{escape(v)}</saml:AttributeValue>")
            self.w(ind + 1, "</saml:Attribute>")
        self.w(ind, "</mdattr:EntityAttributes>")

    def ui_info(self, ind, names, descriptions, host, langs):
        r = self.rng
        self.w(ind, "<mdui:UIInfo>")
        for l in langs:
            self.w(ind + 1, f'<mdui:DisplayName xml:lang="{l}">{escape(names[l])}</mdui:DisplayName>')
        for l in (langs if descriptions else []):
            self.w(ind + 1, f'<mdui:Description xml:lang="{l}">{escape(descriptions[l])}</mdui:Description>')
        url_langs = langs if r.random() < 0.3 else langs[:1]
        for l in (url_langs if r.random() < 0.7 else []):
            self.w(ind + 1, f'<mdui:InformationURL xml:lang="{l}">https://www.{host}/{l}/about</mdui:InformationURL>')
        for l in url_langs:
            self.w(ind + 1, f'<mdui:PrivacyStatementURL xml:lang="{l}">https://www.{host}/{l}/privacy</mdui:PrivacyStatementURL>')
        self.w(ind + 1, f'<mdui:Logo height="60" width="80">https://www.{host}/static/logo-80x60.png</mdui:Logo>')
        if r.random() < 0.25:
            self.w(ind + 1, f'<mdui:Logo height="16" width="16">https://www.{host}/favicon.ico</mdui:Logo>')
        self.w(ind, "</mdui:UIInfo>")

    def organization(self, ind, names, host, langs):
        self.w(ind, "<md:Organization>")
        for l in langs:
            self.w(ind + 1, f'<md:OrganizationName xml:lang="{l}">{escape(names[l])}</md:OrganizationName>')
        for l in langs[:1]:
            self.w(ind + 1, f'<md:OrganizationDisplayName xml:lang="{l}">{escape(names[l])}</md:OrganizationDisplayName>')
        self.w(ind + 1, f'<md:OrganizationURL xml:lang="en">https://www.{host}/</md:OrganizationURL>')
        self.w(ind, "</md:Organization>")

    def contacts(self, ind, host):
        r = self.rng
        kinds = ["technical"] + (["support"] if r.random() < 0.3 else []) + (["administrative"] if r.random() < 0.1 else [])
        for kind in kinds:
            self.w(ind, f'<md:ContactPerson contactType="{kind}">')
            if r.random() < 0.1:
                self.w(ind + 1, f"<md:Company>{escape(host)}</md:Company>")
            self.w(ind + 1, f"<md:GivenName>{escape(r.choice(FIRST_NAMES))}</md:GivenName>")
            if r.random() < 0.5:
                self.w(ind + 1, f"<md:SurName>{escape(r.choice(LAST_NAMES))}</md:SurName>")
            self.w(ind + 1, f"<md:EmailAddress>mailto:{kind}-saml@{host}</md:EmailAddress>")
            self.w(ind, "</md:ContactPerson>")
        if r.random() < 0.25:
            self.w(ind, '<md:ContactPerson contactType="other" remd:contactType="http://refeds.org/metadata/contactType/security">')
            self.w(ind + 1, "<md:GivenName>Security Team</md:GivenName>")
            self.w(ind + 1, f"<md:EmailAddress>mailto:cert@{host}</md:EmailAddress>")
            self.w(ind, "</md:ContactPerson>")

    # -- entities ------------------------------------------------------------------------------

    def idp(self, registrar):
        r = self.rng
        cc, lang, _, _ = registrar
        kind = r.randrange(len(ORG_SLUGS))
        city = self.city()
        org_host = self.host(f"{ORG_SLUGS[kind]}-{city.lower().replace('ö', 'o').replace('ü', 'u').replace('å', 'a')}", cc)
        self.current_host = org_host
        langs = self.langs(lang)
        names = {l: ORG_NAMES[l][kind].format(c=city) for l in set(langs) | {lang}}
        descriptions = {l: IDP_DESCRIPTIONS[l].format(o=names[l]) for l in names}
        flavour = r.random()
        if flavour < 0.7:
            software, entity_id, idp_base = "shib", f"https://idp.{org_host}/idp/shibboleth", f"https://idp.{org_host}/idp/profile"
        elif flavour < 0.9:
            software, entity_id, idp_base = "ssp", f"https://login.{org_host}/simplesaml/saml2/idp/metadata.php", f"https://login.{org_host}/simplesaml/saml2/idp"
        else:
            software, entity_id, idp_base = "adfs", f"http://fs.{org_host}/adfs/services/trust", f"https://fs.{org_host}/adfs/ls"
        saml1 = software == "shib" and r.random() < 0.35

        self.w(1, f"<md:EntityDescriptor entityID={quoteattr(entity_id)}>")
        self.w(2, "<md:Extensions>")
        self.registration(3, registrar)
        if r.random() < 0.4:
            pairs = [("http://macedir.org/entity-category-support", ["http://refeds.org/category/research-and-scholarship"])]
            if r.random() < 0.6:
                pairs.append(("urn:oasis:names:tc:SAML:attribute:assurance-certification", ["https://refeds.org/sirtfi"]))
            self.entity_attributes(3, pairs)
        self.w(2, "</md:Extensions>")

        protocols = SAML2_PROTOCOL + (f" {SAML11_PROTOCOL} {SHIB1_PROTOCOL}" if saml1 else "")
        self.w(2, f'<md:IDPSSODescriptor protocolSupportEnumeration="{protocols}">')
        self.w(3, "<md:Extensions>")
        if software == "shib" or r.random() < 0.3:
            self.w(4, f'<shibmd:Scope regexp="false">{org_host}</shibmd:Scope>')
        self.ui_info(4, names, descriptions, org_host, langs)
        if r.random() < 0.2:
            self.w(4, "<mdui:DiscoHints>")
            self.w(5, f"<mdui:DomainHint>{org_host}</mdui:DomainHint>")
            self.w(5, f"<mdui:GeolocationHint>geo:{r.uniform(35, 70):.4f},{r.uniform(-10, 30):.4f}</mdui:GeolocationHint>")
            self.w(4, "</mdui:DiscoHints>")
        self.w(3, "</md:Extensions>")

        certs = r.sample(self.certs, 3)
        if software == "shib":
            if r.random() < 0.1:
                self.key_descriptor(3, "signing", certs[0])  # back-channel certificate
            self.key_descriptor(3, "signing", certs[1])
            if r.random() < 0.1:
                self.key_descriptor(3, "encryption", certs[2])
        elif software == "ssp":
            self.key_descriptor(3, "signing", certs[0])
            if r.random() < 0.1:
                self.key_descriptor(3, "signing", certs[1])  # rollover in progress
        else:
            if r.random() < 0.2:
                self.key_descriptor(3, "encryption", certs[2])
            self.key_descriptor(3, "signing", certs[1])

        if software == "shib":
            index = 1
            if saml1:
                self.w(3, f'<md:ArtifactResolutionService Binding="{SAML1_SOAP}" Location="https://idp.{org_host}:8443/idp/profile/SAML1/SOAP/ArtifactResolution" index="{index}"/>')
                index += 1
            if saml1 or r.random() < 0.6:
                self.w(3, f'<md:ArtifactResolutionService Binding="{SOAP}" Location="https://idp.{org_host}:8443/idp/profile/SAML2/SOAP/ArtifactResolution" index="{index}"/>')
            if r.random() < 0.3:
                self.w(3, f'<md:SingleLogoutService Binding="{REDIRECT}" Location="{idp_base}/SAML2/Redirect/SLO"/>')
                self.w(3, f'<md:SingleLogoutService Binding="{POST}" Location="{idp_base}/SAML2/POST/SLO"/>')
        elif software == "ssp":
            self.w(3, f'<md:SingleLogoutService Binding="{REDIRECT}" Location="{idp_base}/SingleLogoutService.php"/>')
        else:
            self.w(3, f'<md:SingleLogoutService Binding="{REDIRECT}" Location="{idp_base}/"/>')
            self.w(3, f'<md:SingleLogoutService Binding="{POST}" Location="{idp_base}/"/>')

        formats = r.choice([[TRANSIENT, PERSISTENT], [TRANSIENT, PERSISTENT], [TRANSIENT], [PERSISTENT], [EMAIL, PERSISTENT, TRANSIENT]])
        for f in formats:
            self.w(3, f"<md:NameIDFormat>{f}</md:NameIDFormat>")

        if software == "shib":
            if saml1:
                self.w(3, f'<md:SingleSignOnService Binding="{SHIB1_AUTHN}" Location="https://idp.{org_host}/idp/profile/Shibboleth/SSO"/>')
            self.w(3, f'<md:SingleSignOnService Binding="{POST}" Location="{idp_base}/SAML2/POST/SSO"/>')
            if r.random() < 0.3:
                self.w(3, f'<md:SingleSignOnService Binding="{SIMPLESIGN}" Location="{idp_base}/SAML2/POST-SimpleSign/SSO"/>')
            self.w(3, f'<md:SingleSignOnService Binding="{REDIRECT}" Location="{idp_base}/SAML2/Redirect/SSO"/>')
        elif software == "ssp":
            self.w(3, f'<md:SingleSignOnService Binding="{REDIRECT}" Location="{idp_base}/SSOService.php"/>')
            self.w(3, f'<md:SingleSignOnService Binding="{POST}" Location="{idp_base}/SSOService.php"/>')
        else:
            self.w(3, f'<md:SingleSignOnService Binding="{REDIRECT}" Location="{idp_base}/"/>')
            self.w(3, f'<md:SingleSignOnService Binding="{POST}" Location="{idp_base}/"/>')
        self.w(2, "</md:IDPSSODescriptor>")

        if software == "shib" and r.random() < 0.3:
            self.w(2, f'<md:AttributeAuthorityDescriptor protocolSupportEnumeration="{SAML2_PROTOCOL}">')
            self.w(3, "<md:Extensions>")
            self.w(4, f'<shibmd:Scope regexp="false">{org_host}</shibmd:Scope>')
            self.w(3, "</md:Extensions>")
            self.key_descriptor(3, "signing", certs[1])
            self.w(3, f'<md:AttributeService Binding="{SOAP}" Location="https://idp.{org_host}:8443/idp/profile/SAML2/SOAP/AttributeQuery"/>')
            self.w(2, "</md:AttributeAuthorityDescriptor>")

        self.organization(2, names, org_host, langs)
        self.contacts(2, org_host)
        self.w(1, "</md:EntityDescriptor>")

    def sp(self, registrar):
        r = self.rng
        cc, lang, _, _ = registrar
        slug, service, service_desc = r.choice(SERVICES)
        city = self.city()
        org_host = self.host(f"{slug}-{city.lower().replace('ö', 'o').replace('ü', 'u').replace('å', 'a')}", cc)
        self.current_host = org_host
        langs = self.langs(lang)
        names = {l: f"{service} {city}" for l in set(langs) | {lang}}
        descriptions = {l: SERVICE_DESCRIPTIONS[l].format(s=service_desc) for l in names}
        flavour = r.random()
        if flavour < 0.65:
            software, entity_id = "shibsp", f"https://{org_host}/shibboleth"
        elif flavour < 0.8:
            software, entity_id = "ssp", f"https://{org_host}/simplesaml/module.php/saml/sp/metadata.php/default-sp"
        else:
            software, entity_id = "other", f"https://{org_host}/saml2/metadata"

        self.w(1, f"<md:EntityDescriptor entityID={quoteattr(entity_id)}>")
        self.w(2, "<md:Extensions>")
        self.registration(3, registrar)
        if r.random() < 0.4:
            cats = r.sample(ENTITY_CATEGORIES_SP, r.randint(1, 2))
            pairs = [("http://macedir.org/entity-category", cats)]
            if r.random() < 0.4:
                pairs.append(("urn:oasis:names:tc:SAML:attribute:assurance-certification", ["https://refeds.org/sirtfi"]))
            self.entity_attributes(3, pairs)
        self.w(2, "</md:Extensions>")

        signed = "true" if r.random() < 0.3 else "false"
        self.w(2, f'<md:SPSSODescriptor AuthnRequestsSigned="{signed}" WantAssertionsSigned="true" protocolSupportEnumeration="{SAML2_PROTOCOL}">')
        self.w(3, "<md:Extensions>")
        lean = r.random() < 0.35  # a bare-bones registration: no description, no requested attributes
        self.ui_info(4, names, None if lean else descriptions, org_host, langs)
        if software == "shibsp" and r.random() < 0.5:
            self.w(4, f'<init:RequestInitiator Binding="urn:oasis:names:tc:SAML:profiles:SSO:request-init" Location="https://{org_host}/Shibboleth.sso/Login"/>')
            self.w(4, f'<idpdisc:DiscoveryResponse Binding="urn:oasis:names:tc:SAML:profiles:SSO:idp-discovery-protocol" Location="https://{org_host}/Shibboleth.sso/Login" index="1"/>')
        self.w(3, "</md:Extensions>")

        certs = r.sample(self.certs, 2)
        if r.random() < 0.95:
            self.key_descriptor(3, None, certs[0])
        else:
            self.key_descriptor(3, "signing", certs[0])
            self.key_descriptor(3, "encryption", certs[1])

        if software == "shibsp":
            if r.random() < 0.35:
                self.w(3, f'<md:SingleLogoutService Binding="{REDIRECT}" Location="https://{org_host}/Shibboleth.sso/SLO/Redirect"/>')
                self.w(3, f'<md:SingleLogoutService Binding="{POST}" Location="https://{org_host}/Shibboleth.sso/SLO/POST"/>')
            self.w(3, f"<md:NameIDFormat>{r.choice([TRANSIENT, PERSISTENT])}</md:NameIDFormat>")
            self.w(3, f'<md:AssertionConsumerService Binding="{POST}" Location="https://{org_host}/Shibboleth.sso/SAML2/POST" index="1" isDefault="true"/>')
            if r.random() < 0.35:
                self.w(3, f'<md:AssertionConsumerService Binding="{SIMPLESIGN}" Location="https://{org_host}/Shibboleth.sso/SAML2/POST-SimpleSign" index="2"/>')
                self.w(3, f'<md:AssertionConsumerService Binding="{ARTIFACT}" Location="https://{org_host}/Shibboleth.sso/SAML2/Artifact" index="3"/>')
            if r.random() < 0.25:
                self.w(3, f'<md:AssertionConsumerService Binding="{PAOS}" Location="https://{org_host}/Shibboleth.sso/SAML2/ECP" index="4"/>')
            if r.random() < 0.1:
                self.w(3, f'<md:AssertionConsumerService Binding="{SAML1_POST}" Location="https://{org_host}/Shibboleth.sso/SAML/POST" index="5"/>')
                self.w(3, f'<md:AssertionConsumerService Binding="{SAML1_ARTIFACT}" Location="https://{org_host}/Shibboleth.sso/SAML/Artifact" index="6"/>')
        elif software == "ssp":
            self.w(3, f'<md:SingleLogoutService Binding="{REDIRECT}" Location="https://{org_host}/simplesaml/module.php/saml/sp/saml2-logout.php/default-sp"/>')
            self.w(3, f'<md:AssertionConsumerService Binding="{POST}" Location="https://{org_host}/simplesaml/module.php/saml/sp/saml2-acs.php/default-sp" index="0"/>')
            self.w(3, f'<md:AssertionConsumerService Binding="{ARTIFACT}" Location="https://{org_host}/simplesaml/module.php/saml/sp/saml2-acs.php/default-sp" index="1"/>')
        else:
            self.w(3, f'<md:AssertionConsumerService Binding="{POST}" Location="https://{org_host}/saml2/acs" index="0" isDefault="true"/>')

        if not lean:
            self.w(3, '<md:AttributeConsumingService index="1">')
            for l in (langs if r.random() < 0.4 else langs[:1]):
                self.w(4, f'<md:ServiceName xml:lang="{l}">{escape(names[l])}</md:ServiceName>')
            if r.random() < 0.3:
                self.w(4, f'<md:ServiceDescription xml:lang="en">{escape(descriptions["en"])}</md:ServiceDescription>')
            for friendly, oid in r.sample(REQUESTED_ATTRIBUTES, r.randint(2, 4)):
                required = "true" if r.random() < 0.4 else "false"
                self.w(4, f'<md:RequestedAttribute FriendlyName="{friendly}" Name="{oid}" NameFormat="{URI_FORMAT}" isRequired="{required}"/>')
            self.w(3, "</md:AttributeConsumingService>")
        self.w(2, "</md:SPSSODescriptor>")

        if r.random() < 0.6:
            org = {l: ORG_NAMES[l][0].format(c=city) for l in names}
            self.organization(2, org, org_host, langs)
        self.contacts(2, org_host)
        self.w(1, "</md:EntityDescriptor>")


SIGNATURE_TEMPLATE = """ <ds:Signature>
  <ds:SignedInfo>
   <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
   <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
   <ds:Reference URI="#{id}">
    <ds:Transforms>
     <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
     <ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
    </ds:Transforms>
    <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
    <ds:DigestValue/>
   </ds:Reference>
  </ds:SignedInfo>
  <ds:SignatureValue/>
  <ds:KeyInfo>
   <ds:X509Data/>
  </ds:KeyInfo>
 </ds:Signature>
"""


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    p.add_argument("-n", "--entities", type=int, default=20000, help="number of entities (default 20000)")
    p.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    p.add_argument("--idp-share", type=float, default=0.4, help="share of IdPs among the entities (default 0.4)")
    p.add_argument("--cert-dir", default=default_cert_dir(), help="where the RSA-2048 certificates are kept (default %(default)s)")
    p.add_argument("--certs", type=int, default=6, help="how many certificates to rotate (default 6, at least 3)")
    p.add_argument("--id", default=None, help="ID of the EntitiesDescriptor (default _aggregate-SEED-N)")
    p.add_argument("--name", default="urn:mace:federation.example:interfederation", help="Name of the EntitiesDescriptor")
    p.add_argument("--valid-until", default="2027-06-30T12:00:00Z", help="validUntil of the aggregate (default %(default)s)")
    p.add_argument("--signature-template", action="store_true",
                   help="put an empty enveloped ds:Signature (exc-c14n, RSA-SHA256, SHA-256) first in the root, for xmlsec1 --sign")
    a = p.parse_args()
    if a.entities < 0 or a.certs < 3:
        p.error("-n must be >= 0 and --certs >= 3")

    rng = random.Random(a.seed)
    gen = Gen(rng, ensure_certs(a.cert_dir, a.certs))
    agg_id = a.id or f"_aggregate-{a.seed}-{a.entities}"
    decls = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES)

    out = sys.stdout if a.output == "-" else open(a.output, "w", encoding="utf-8", newline="\n")
    try:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(f'<md:EntitiesDescriptor {decls} ID="{agg_id}" Name="{a.name}" validUntil="{a.valid_until}" cacheDuration="PT6H">\n')
        if a.signature_template:
            out.write(SIGNATURE_TEMPLATE.format(id=agg_id))
        out.write(" <md:Extensions>\n")
        out.write('  <mdrpi:PublicationInfo creationInstant="2026-01-14T06:00:00Z" publisher="https://mds.federation.example/">\n')
        out.write('   <mdrpi:UsagePolicy xml:lang="en">https://mds.federation.example/policy/metadata-terms-of-use.html</mdrpi:UsagePolicy>\n')
        out.write("  </mdrpi:PublicationInfo>\n")
        out.write(" </md:Extensions>\n")
        for _ in range(a.entities):
            registrar = rng.choice(REGISTRARS)
            if rng.random() < a.idp_share:
                gen.idp(registrar)
            else:
                gen.sp(registrar)
            if len(gen.out) > 20000:
                out.write("".join(gen.out))
                gen.out.clear()
        out.write("".join(gen.out))
        out.write("</md:EntitiesDescriptor>\n")
    finally:
        if out is not sys.stdout:
            out.close()


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()
        sys.exit(1)
