//! Signs SAML documents with the library's XML-DSig signer, for the fixtures and for interop tests.
//!
//! ```text
//! cargo run --example sign -- --key KEY.pem --cert CERT.pem --id ID [--id ID2 ...]
//!     [--alg rsa-sha256|rsa-sha1|rsa-sha384|rsa-sha512|ecdsa-sha256|ecdsa-sha384|ecdsa-sha512]
//!     [--digest sha1|sha256|sha384|sha512] [--c14n exc|inc] [--no-cert] < in.xml > out.xml
//! ```
//!
//! Each `--id` is signed in the order given, so `--id ASSERTION --id RESPONSE` signs the
//! assertion and then the response that encloses it (the "both signed" shape).

use std::io::{Read, Write};
use std::process::ExitCode;

use samlcheck::xml::c14n::Method;
use samlcheck::xml::dsig::{
    sign_element, Hash, KeyKind, SignOptions, SignatureAlgorithm, SigningKey,
};

const USAGE: &str = "usage: sign --key KEY.pem [--cert CERT.pem] --id ID [--id ID2 ...] \
[--alg rsa-sha256|rsa-sha1|rsa-sha384|rsa-sha512|ecdsa-sha256|ecdsa-sha384|ecdsa-sha512] \
[--digest sha1|sha256|sha384|sha512] [--c14n exc|inc] [--no-cert] < in.xml > out.xml

Signs each --id in order with an enveloped ds:Signature placed after the element's Issuer.
Defaults: --alg rsa-sha256, --digest the hash of --alg, --c14n exc, certificate in KeyInfo.";

struct Args {
    key: String,
    cert: Option<String>,
    ids: Vec<String>,
    options: SignOptions,
}

fn parse_hash(name: &str) -> Option<Hash> {
    match name {
        "sha1" => Some(Hash::Sha1),
        "sha256" => Some(Hash::Sha256),
        "sha384" => Some(Hash::Sha384),
        "sha512" => Some(Hash::Sha512),
        _ => None,
    }
}

fn parse_algorithm(name: &str) -> Option<SignatureAlgorithm> {
    let (key, hash) = name.split_once('-')?;
    let key = match key {
        "rsa" => KeyKind::Rsa,
        "ecdsa" => KeyKind::Ecdsa,
        _ => return None,
    };
    Some(SignatureAlgorithm {
        key,
        hash: parse_hash(hash)?,
    })
}

fn parse_args(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut key = None;
    let mut cert = None;
    let mut ids = Vec::new();
    let mut options = SignOptions::default();
    let mut digest_given = false;
    let mut alg_hash = None;
    while let Some(arg) = argv.next() {
        let mut value = |name: &str| argv.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--key" => key = Some(value("--key")?),
            "--cert" => cert = Some(value("--cert")?),
            "--id" => ids.push(value("--id")?),
            "--alg" => {
                let v = value("--alg")?;
                options.algorithm =
                    parse_algorithm(&v).ok_or_else(|| format!("unknown --alg {v:?}"))?;
                alg_hash = Some(options.algorithm.hash);
            }
            "--digest" => {
                let v = value("--digest")?;
                options.digest = parse_hash(&v).ok_or_else(|| format!("unknown --digest {v:?}"))?;
                digest_given = true;
            }
            "--c14n" => {
                let v = value("--c14n")?;
                options.c14n = match v.as_str() {
                    "exc" => Method::Exclusive {
                        comments: false,
                        prefixes: Vec::new(),
                    },
                    "inc" => Method::Inclusive { comments: false },
                    _ => return Err(format!("unknown --c14n {v:?} (exc or inc)")),
                };
            }
            "--no-cert" => options.include_certificate = false,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    // Without --digest, the digest follows the signature algorithm's hash (rsa-sha512 -> sha512).
    if let (false, Some(hash)) = (digest_given, alg_hash) {
        options.digest = hash;
    }
    let key = key.ok_or("--key is required")?;
    if ids.is_empty() {
        return Err("at least one --id is required".into());
    }
    Ok(Args {
        key,
        cert,
        ids,
        options,
    })
}

fn run(args: Args) -> Result<String, String> {
    let read = |path: &str| std::fs::read(path).map_err(|e| format!("{path}: {e}"));
    let key_pem = read(&args.key)?;
    let cert_pem = args.cert.as_deref().map(read).transpose()?;
    let key = SigningKey::from_pem(&key_pem, cert_pem.as_deref()).map_err(|e| e.to_string())?;
    let mut xml = String::new();
    std::io::stdin()
        .read_to_string(&mut xml)
        .map_err(|e| format!("stdin: {e}"))?;
    for id in &args.ids {
        xml = sign_element(&xml, id, &key, &args.options)
            .map_err(|e| format!("signing {id:?}: {e}"))?;
    }
    Ok(xml)
}

fn main() -> ExitCode {
    if std::env::args().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("sign: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
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
            eprintln!("sign: {message}");
            ExitCode::FAILURE
        }
    }
}
