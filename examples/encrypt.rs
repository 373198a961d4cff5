//! Encrypts a Response's assertion with the library's XML Encryption, for the fixtures and for
//! interop tests.
//!
//! ```text
//! cargo run --example encrypt -- --cert SP.crt [--transport rsa-oaep-mgf1p|rsa-oaep|rsa-1_5]
//!     [--digest sha1|sha256|sha384|sha512] [--mgf sha1|sha256|sha384|sha512]
//!     [--content aes128-cbc|aes192-cbc|aes256-cbc|aes128-gcm|aes192-gcm|aes256-gcm]
//!     [--sibling] [--no-cert] < response.xml > encrypted.xml
//! cargo run --example encrypt -- --decrypt --key SP.key < encrypted.xml > assertion.xml
//! ```

use std::io::{Read, Write};
use std::process::ExitCode;

use samlcheck::xml::dsig::Hash;
use samlcheck::xml::enc::{
    decrypt_assertion, encrypt_assertion, ContentAlgorithm, DecryptionKey, EncryptOptions,
    EncryptionCert, KeyPlacement, KeyTransport,
};
use samlcheck::xml::{Document, Limits};

const ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";

const USAGE: &str = "usage: encrypt --cert SP.crt [--transport rsa-oaep-mgf1p|rsa-oaep|rsa-1_5] \
[--digest sha1|sha256|sha384|sha512] [--mgf sha1|sha256|sha384|sha512] \
[--content aes128-cbc|aes192-cbc|aes256-cbc|aes128-gcm|aes192-gcm|aes256-gcm] [--sibling] [--no-cert] \
< response.xml > encrypted.xml

Replaces the Response's saml:Assertion by a saml:EncryptedAssertion for the certificate.
Defaults: --transport rsa-oaep-mgf1p --digest sha1 --mgf sha1 --content aes256-gcm, the
EncryptedKey inside the EncryptedData's KeyInfo (--sibling: beside it, named by a
RetrievalMethod), the certificate in the EncryptedKey's KeyInfo.

   or: encrypt --decrypt --key SP.key < encrypted.xml > assertion.xml
prints the decrypted assertion of a Response's EncryptedAssertion.";

fn parse_hash(name: &str) -> Option<Hash> {
    match name {
        "sha1" => Some(Hash::Sha1),
        "sha256" => Some(Hash::Sha256),
        "sha384" => Some(Hash::Sha384),
        "sha512" => Some(Hash::Sha512),
        _ => None,
    }
}

fn parse_args(mut argv: impl Iterator<Item = String>) -> Result<(String, EncryptOptions), String> {
    let mut cert = None;
    let mut options = EncryptOptions::default();
    let mut transport = "rsa-oaep-mgf1p".to_string();
    let mut digest = Hash::Sha1;
    let mut mgf = Hash::Sha1;
    while let Some(arg) = argv.next() {
        let mut value = |name: &str| argv.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--cert" => cert = Some(value("--cert")?),
            "--transport" => transport = value("--transport")?,
            "--digest" => {
                let v = value("--digest")?;
                digest = parse_hash(&v).ok_or_else(|| format!("unknown --digest {v:?}"))?;
            }
            "--mgf" => {
                let v = value("--mgf")?;
                mgf = parse_hash(&v).ok_or_else(|| format!("unknown --mgf {v:?}"))?;
            }
            "--content" => {
                let v = value("--content")?;
                let uri = if v.ends_with("gcm") {
                    format!("http://www.w3.org/2009/xmlenc11#{v}")
                } else {
                    format!("http://www.w3.org/2001/04/xmlenc#{v}")
                };
                options.content = ContentAlgorithm::from_uri(&uri)
                    .ok_or_else(|| format!("unknown --content {v:?}"))?;
            }
            "--sibling" => options.key_placement = KeyPlacement::Sibling,
            "--no-cert" => options.include_certificate = false,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    options.key_transport = match transport.as_str() {
        "rsa-oaep-mgf1p" => KeyTransport::RsaOaepMgf1p { digest },
        "rsa-oaep" => KeyTransport::RsaOaep { digest, mgf },
        "rsa-1_5" => KeyTransport::Rsa15,
        other => return Err(format!("unknown --transport {other:?}")),
    };
    Ok((cert.ok_or("--cert is required")?, options))
}

fn run(cert: &str, options: &EncryptOptions) -> Result<String, String> {
    let pem = std::fs::read(cert).map_err(|e| format!("{cert}: {e}"))?;
    let cert = EncryptionCert::from_pem(&pem).map_err(|e| e.to_string())?;
    let mut xml = String::new();
    std::io::stdin()
        .read_to_string(&mut xml)
        .map_err(|e| format!("stdin: {e}"))?;
    encrypt_assertion(&xml, &cert, options).map_err(|e| e.to_string())
}

fn decrypt(key: &str) -> Result<String, String> {
    let pem = std::fs::read(key).map_err(|e| format!("{key}: {e}"))?;
    let key = DecryptionKey::from_pem(&pem).map_err(|e| e.to_string())?;
    let mut xml = String::new();
    std::io::stdin()
        .read_to_string(&mut xml)
        .map_err(|e| format!("stdin: {e}"))?;
    let doc = Document::parse(&xml, Limits::MESSAGE).map_err(|e| e.to_string())?;
    let encrypted = doc
        .elements()
        .find(|&n| {
            doc.element(n)
                .is_some_and(|e| e.is(ASSERTION_NS, "EncryptedAssertion"))
        })
        .ok_or("no saml:EncryptedAssertion")?;
    let decrypted = decrypt_assertion(&doc, encrypted, &key, None, Limits::MESSAGE)
        .map_err(|e| format!("{e} {:?}", e.diagnosis()))?;
    Ok(decrypted.plaintext().to_string())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let result = if let [flag, key_flag, key] = args.as_slice() {
        if flag != "--decrypt" || key_flag != "--key" {
            eprintln!("encrypt: unknown arguments\n{USAGE}");
            return ExitCode::from(2);
        }
        decrypt(key)
    } else {
        match parse_args(args.into_iter()) {
            Ok((cert, options)) => run(&cert, &options),
            Err(message) => {
                eprintln!("encrypt: {message}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    };
    match result {
        Ok(xml) => {
            let mut stdout = std::io::stdout().lock();
            if stdout
                .write_all(xml.as_bytes())
                .and_then(|()| stdout.flush())
                .is_err()
            {
                return ExitCode::from(2);
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("encrypt: {message}");
            ExitCode::FAILURE
        }
    }
}
