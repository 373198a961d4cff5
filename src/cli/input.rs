//! Reading a captured message named on the command line: a file, `-` for stdin, or the value
//! itself (raw XML, a base64 `SAMLResponse`, a `SAMLResponse=...` form body).

use std::io::Read;
use std::path::Path;

use super::CliError;

/// The input's display name (`<stdin>`, `<argument>` or the path) and its bytes.
pub fn read_capture(arg: &str) -> Result<(String, Vec<u8>), CliError> {
    if arg == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|source| CliError::Io {
                path: "<stdin>".into(),
                source,
            })?;
        return Ok(("<stdin>".into(), buf));
    }
    let path = Path::new(arg);
    if path.is_file() {
        let bytes = std::fs::read(path).map_err(|source| CliError::Io {
            path: arg.into(),
            source,
        })?;
        return Ok((arg.to_string(), bytes));
    }
    let literal = arg.trim_start();
    let looks_literal = literal.starts_with('<')
        || literal.starts_with("SAMLResponse=")
        || (arg.len() > 64 && !arg.contains('/') || arg.len() > 200);
    if looks_literal {
        return Ok(("<argument>".into(), arg.as_bytes().to_vec()));
    }
    Err(CliError::Io {
        path: arg.into(),
        source: std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no such file (and it does not look like a SAMLResponse value)",
        ),
    })
}
