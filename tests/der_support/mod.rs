//! DER copies of the PEM fixtures, for the tests that check every key and certificate flag
//! reads DER as it reads PEM.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Writes the certificate of PEM file `pem` as DER to `dir/name`; returns the path and the DER.
pub fn der_certificate(dir: &Path, pem: &Path, name: &str) -> (PathBuf, Vec<u8>) {
    let der = openssl::x509::X509::from_pem(&std::fs::read(pem).unwrap())
        .unwrap()
        .to_der()
        .unwrap();
    let path = dir.join(name);
    std::fs::write(&path, &der).unwrap();
    (path, der)
}

/// Writes the private key of PEM file `pem` as PKCS#8 DER to `dir/name`.
pub fn der_private_key(dir: &Path, pem: &Path, name: &str) -> PathBuf {
    let der = openssl::pkey::PKey::private_key_from_pem(&std::fs::read(pem).unwrap())
        .unwrap()
        .private_key_to_pkcs8()
        .unwrap();
    let path = dir.join(name);
    std::fs::write(&path, der).unwrap();
    path
}
