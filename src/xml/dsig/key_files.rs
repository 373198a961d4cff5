//! Key and certificate files as people have them: PEM, or DER (`openssl ... -outform der`, a
//! Windows `.cer`, a Java keystore export). The signing, decryption and request-signing code
//! reads PEM; these functions hand it PEM whichever form the file came in.

use std::borrow::Cow;

use openssl::pkey::PKey;
use openssl::x509::X509;

/// Why a file is neither form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyFileError {
    #[error("not a PEM certificate (no -----BEGIN CERTIFICATE----- line) and not DER")]
    CertificateNotPemOrDer,
    #[error("not a PEM private key (no -----BEGIN ... PRIVATE KEY----- line) and not DER")]
    PrivateKeyNotPemOrDer,
    #[error("cannot write the key as PEM: {0}")]
    Pem(String),
}

/// A certificate file as PEM: the file itself when it holds a PEM certificate, a DER
/// certificate converted.
pub fn certificate_pem(bytes: &[u8]) -> Result<Cow<'_, [u8]>, KeyFileError> {
    if contains(bytes, b"-----BEGIN CERTIFICATE-----") {
        return Ok(Cow::Borrowed(bytes));
    }
    // DER starts with a SEQUENCE; anything else is not worth a parser's error.
    if bytes.first() != Some(&0x30) {
        return Err(KeyFileError::CertificateNotPemOrDer);
    }
    let cert = X509::from_der(bytes).map_err(|_| KeyFileError::CertificateNotPemOrDer)?;
    cert.to_pem()
        .map(Cow::Owned)
        .map_err(|e| KeyFileError::Pem(e.to_string()))
}

/// A private-key file as PEM: the file itself when it holds a PEM private key (a certificate
/// may follow it), a DER key (PKCS#8, PKCS#1 RSA or SEC1 EC) converted to PKCS#8 PEM.
pub fn private_key_pem(bytes: &[u8]) -> Result<Cow<'_, [u8]>, KeyFileError> {
    if contains(bytes, b"-----BEGIN") && contains(bytes, b"PRIVATE KEY-----") {
        return Ok(Cow::Borrowed(bytes));
    }
    if bytes.first() != Some(&0x30) {
        return Err(KeyFileError::PrivateKeyNotPemOrDer);
    }
    let key = PKey::private_key_from_der(bytes).map_err(|_| KeyFileError::PrivateKeyNotPemOrDer)?;
    key.private_key_to_pem_pkcs8()
        .map(Cow::Owned)
        .map_err(|e| KeyFileError::Pem(e.to_string()))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(path: &str) -> Vec<u8> {
        std::fs::read(format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn pem_passes_through_and_der_becomes_the_same_certificate() {
        let pem = fixture("keys/idp-rsa.crt");
        assert!(matches!(certificate_pem(&pem), Ok(Cow::Borrowed(_))));
        let der = X509::from_pem(&pem).unwrap().to_der().unwrap();
        let converted = certificate_pem(&der).unwrap();
        assert_eq!(X509::from_pem(&converted).unwrap().to_der().unwrap(), der);
    }

    #[test]
    fn der_keys_of_each_encoding_become_the_same_key() {
        for name in ["keys/idp-rsa.key", "keys/idp-ec.key"] {
            let pem = fixture(name);
            assert!(
                matches!(private_key_pem(&pem), Ok(Cow::Borrowed(_))),
                "{name}"
            );
            let key = PKey::private_key_from_pem(&pem).unwrap();
            let mut encodings = vec![key.private_key_to_pkcs8().unwrap()];
            if let Ok(rsa) = key.rsa() {
                encodings.push(rsa.private_key_to_der().unwrap());
            }
            if let Ok(ec) = key.ec_key() {
                encodings.push(ec.private_key_to_der().unwrap());
            }
            for der in encodings {
                let converted = private_key_pem(&der).unwrap();
                let back = PKey::private_key_from_pem(&converted).unwrap();
                assert!(back.public_eq(&key), "{name}");
            }
        }
    }

    #[test]
    fn anything_else_is_refused_by_name() {
        let readme = b"# Not a key\n".as_slice();
        assert_eq!(
            certificate_pem(readme).unwrap_err(),
            KeyFileError::CertificateNotPemOrDer
        );
        assert_eq!(
            private_key_pem(readme).unwrap_err(),
            KeyFileError::PrivateKeyNotPemOrDer
        );
        // A key is no certificate, a certificate no key, in either form.
        let key = fixture("keys/idp-rsa.key");
        let cert = fixture("keys/idp-rsa.crt");
        assert_eq!(
            certificate_pem(&key).unwrap_err(),
            KeyFileError::CertificateNotPemOrDer
        );
        assert_eq!(
            private_key_pem(&cert).unwrap_err(),
            KeyFileError::PrivateKeyNotPemOrDer
        );
        let cert_der = X509::from_pem(&cert).unwrap().to_der().unwrap();
        assert_eq!(
            private_key_pem(&cert_der).unwrap_err(),
            KeyFileError::PrivateKeyNotPemOrDer
        );
        let key_der = PKey::private_key_from_pem(&key)
            .unwrap()
            .private_key_to_pkcs8()
            .unwrap();
        assert_eq!(
            certificate_pem(&key_der).unwrap_err(),
            KeyFileError::CertificateNotPemOrDer
        );
        // A truncated DER certificate is not half read.
        assert_eq!(
            certificate_pem(&cert_der[..cert_der.len() / 2]).unwrap_err(),
            KeyFileError::CertificateNotPemOrDer
        );
    }
}
