//! Files a user chose to read (a photo, a Genesys export): read whole, but only if they are
//! regular files of a bounded size.

use std::path::Path;

use crate::error::{Error, Result};

/// Reads a file the user chose: a regular file (a FIFO or a device such as `/dev/zero` has no
/// meaningful size and could be read forever) of at most `max` bytes, whatever its size said
/// (a file can grow while it is read). `field` names the request field in errors.
pub fn read_regular_file(
    path: &Path,
    max: u64,
    field: &str,
    too_big: impl Fn(u64) -> Error,
) -> Result<Vec<u8>> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| Error::file("read", path, &e);
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(Error::invalid(
            field,
            format!("{} is not a regular file", path.display()),
        ));
    }
    if meta.len() > max {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(max + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > max {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}
