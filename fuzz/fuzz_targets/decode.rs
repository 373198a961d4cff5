//! The binding decoder (form body, URL-encoding, base64, DEFLATE) on arbitrary bytes: Ok or a
//! located error, never a panic, a hang or an inflate bomb past the message limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlcheck::saml::binding::decode_message;
use samlcheck::xml::Limits;

fuzz_target!(|data: &[u8]| {
    match decode_message(data) {
        Ok(decoded) => {
            assert!(
                decoded.xml.len() <= data.len().max(Limits::MESSAGE.max_bytes),
                "decoded {} bytes from {}",
                decoded.xml.len(),
                data.len()
            );
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
