//! Reading a captured message named on the command line: a file, `-` for stdin, or the value
//! itself (raw XML, a base64 `SAMLResponse`, a `SAMLResponse=...` form body).

use std::io::Read;
use std::path::Path;

use super::CliError;

/// The input's display name (`<stdin>`, `<argument>` or the path) and its bytes.
pub fn read_capture(arg: &str) -> Result<(String, Vec<u8>), CliError> {
    match read_capture_or_directory(arg)? {
        Capture::Read { name, bytes } => Ok((name, bytes)),
        Capture::Directory => Err(CliError::Io {
            path: arg.into(),
            source: std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "is a directory; give one response file",
            ),
        }),
    }
}

/// What a command-line argument turned out to be.
pub enum Capture {
    /// A message: the display name (`<stdin>`, `<argument>` or the path) and its bytes.
    Read { name: String, bytes: Vec<u8> },
    /// A directory, for the caller to list (verify reads every file in it).
    Directory,
}

/// Reads `arg` as `-` (stdin), a file, a pipe (`<(...)`), or the message itself; a directory
/// is said to be one, found with the same open that would read a file.
pub fn read_capture_or_directory(arg: &str) -> Result<Capture, CliError> {
    let io_error = |source| CliError::Io {
        path: arg.into(),
        source,
    };
    if arg == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|source| CliError::Io {
                path: "<stdin>".into(),
                source,
            })?;
        return Ok(Capture::Read {
            name: "<stdin>".into(),
            bytes: buf,
        });
    }
    match read_path(Path::new(arg)).map_err(io_error)? {
        OnDisk::File(bytes) => {
            return Ok(Capture::Read {
                name: arg.to_string(),
                bytes,
            })
        }
        OnDisk::Directory => return Ok(Capture::Directory),
        OnDisk::Nothing => {}
    }
    let literal = arg.trim_start();
    let looks_literal = literal.starts_with('<')
        || literal.starts_with("SAMLResponse=")
        || (arg.len() > 64 && !arg.contains('/') || arg.len() > 200);
    if looks_literal {
        return Ok(Capture::Read {
            name: "<argument>".into(),
            bytes: arg.as_bytes().to_vec(),
        });
    }
    Err(io_error(std::io::Error::new(
        std::io::ErrorKind::NotFound,
        "no such file (and it does not look like a SAMLResponse value)",
    )))
}

/// What a path names.
pub enum OnDisk {
    /// A regular file or a pipe, read to its end.
    File(Vec<u8>),
    Directory,
    /// Nothing by that name, or something not to read (a device, a socket).
    Nothing,
}

/// Reads what `path` names with one open, one `fstat` and one read for a regular file: a
/// `stat` first and then `fs::read` took eight system calls per file, and each costs
/// microseconds where a response takes tens to verify.
pub fn read_path(path: &Path) -> std::io::Result<OnDisk> {
    use std::os::unix::fs::FileTypeExt;
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
            return Ok(OnDisk::Nothing)
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    let kind = meta.file_type();
    if kind.is_file() {
        read_open_file(file, meta.len()).map(OnDisk::File)
    } else if kind.is_dir() {
        Ok(OnDisk::Directory)
    } else if kind.is_fifo() {
        read_open_file(file, 0).map(OnDisk::File)
    } else {
        Ok(OnDisk::Nothing)
    }
}

/// Reads `size` bytes, the size `fstat` gave, without asking again: `read_to_end` asked for
/// the size (fstat, lseek) and read once more to see the end. `take` stops at `size` without a
/// system call, and the buffer is filled from the file without being zeroed first. A file that
/// says size 0 but has content (/proc, a pipe) is read to its end.
fn read_open_file(file: std::fs::File, size: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if size == 0 {
        (&file).read_to_end(&mut bytes)?;
        return Ok(bytes);
    }
    bytes.reserve_exact(usize::try_from(size).unwrap_or(0));
    file.take(size).read_to_end(&mut bytes)?;
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
        let OnDisk::File(bytes) = read_path(Path::new("/proc/self/status")).unwrap() else {
            panic!("/proc/self/status is a file");
        };
        assert!(String::from_utf8(bytes).unwrap().contains("Pid:"));
        let empty = std::env::temp_dir().join(format!("samlcheck-empty-{}", std::process::id()));
        std::fs::write(&empty, b"").unwrap();
        assert!(matches!(read_path(&empty).unwrap(), OnDisk::File(b) if b.is_empty()));
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
    fn a_directory_is_said_to_be_one_and_a_path_through_a_file_is_no_such_file() {
        for (arg, kind) in [
            ("src", std::io::ErrorKind::IsADirectory),
            ("Cargo.toml/inside", std::io::ErrorKind::NotFound),
        ] {
            match read_capture(arg) {
                Err(CliError::Io { path, source }) => {
                    assert_eq!(path, arg);
                    assert_eq!(source.kind(), kind, "{arg}");
                }
                other => panic!("{arg}: {other:?}"),
            }
        }
        assert!(matches!(
            read_capture_or_directory("src"),
            Ok(Capture::Directory)
        ));
    }

    #[test]
    fn a_pipe_is_read_to_its_end() {
        let fifo = std::env::temp_dir().join(format!("samlcheck-fifo-{}", std::process::id()));
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::write(&fifo, b"<Response/>").unwrap())
        };
        let read = read_capture(fifo.to_str().unwrap());
        writer.join().unwrap();
        std::fs::remove_file(&fifo).unwrap();
        let (name, bytes) = read.unwrap();
        assert_eq!(name, fifo.to_str().unwrap());
        assert_eq!(bytes, b"<Response/>");
    }
}
