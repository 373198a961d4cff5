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
    if let Some(bytes) = read_regular_file(path).map_err(|source| CliError::Io {
        path: arg.into(),
        source,
    })? {
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

/// The bytes of `path` when it names a regular file (symlinks followed); `None` when it names
/// nothing or something else, such as a directory. One open, one `fstat`, one read: `is_file`
/// then `fs::read` took eight system calls per file.
pub fn read_regular_file(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        // Not a file name: the caller then tries the argument as a value. A base64
        // SAMLResponse holds '/' and may be longer than a file name can be.
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound
                    | std::io::ErrorKind::NotADirectory
                    | std::io::ErrorKind::InvalidFilename
                    | std::io::ErrorKind::InvalidInput
            ) =>
        {
            return Ok(None)
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(None);
    }
    read_open_file(file, meta.len()).map(Some)
}

/// The bytes of the regular file `path`, whose size a `stat` just gave.
pub fn read_sized_file(path: &Path, size: u64) -> std::io::Result<Vec<u8>> {
    read_open_file(std::fs::File::open(path)?, size)
}

/// Reads `size` bytes, the size `stat` gave, without asking again: `read_to_end` asked for
/// the size (fstat, lseek) and read once more to see the end, three more system calls per
/// file where each costs microseconds (verify reads folders of small responses). A file
/// that says size 0 but has content (/proc) is read to its end; a directory put in the
/// file's place since the `stat` fails the read.
fn read_open_file(mut file: std::fs::File, size: u64) -> std::io::Result<Vec<u8>> {
    let size = usize::try_from(size).unwrap_or(0);
    if size == 0 {
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        return Ok(bytes);
    }
    let mut bytes = vec![0u8; size];
    let mut filled = 0;
    while filled < size {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read() {
        let (name, bytes) = read_capture("Cargo.toml").unwrap();
        assert_eq!(name, "Cargo.toml");
        assert_eq!(bytes, std::fs::read("Cargo.toml").unwrap());
    }

    #[test]
    fn a_file_that_says_size_zero_is_read_to_its_end() {
        let bytes = read_regular_file(Path::new("/proc/self/status"))
            .unwrap()
            .unwrap();
        assert!(String::from_utf8(bytes).unwrap().contains("Pid:"));
        let empty = std::env::temp_dir().join(format!("samlcheck-empty-{}", std::process::id()));
        std::fs::write(&empty, b"").unwrap();
        assert_eq!(read_regular_file(&empty).unwrap(), Some(Vec::new()));
        std::fs::remove_file(&empty).unwrap();
    }

    #[test]
    fn a_value_too_long_for_a_file_name_is_taken_as_the_value() {
        // base64 holds '/', and one "component" here is longer than NAME_MAX.
        let value = format!("PHNhbWxwOlJlc3BvbnNl/{}", "QUJD".repeat(100));
        let (name, bytes) = read_capture(&value).unwrap();
        assert_eq!(name, "<argument>");
        assert_eq!(bytes, value.as_bytes());
    }

    #[test]
    fn a_directory_or_a_path_through_a_file_is_no_such_file() {
        for arg in ["src", "Cargo.toml/inside"] {
            match read_capture(arg) {
                Err(CliError::Io { path, source }) => {
                    assert_eq!(path, arg);
                    assert_eq!(source.kind(), std::io::ErrorKind::NotFound, "{arg}");
                }
                other => panic!("{arg}: {other:?}"),
            }
        }
    }
}
