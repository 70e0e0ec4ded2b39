//! Photo bytes: the content type comes from the magic bytes, never from the caller.

use std::path::Path;

use crate::error::{Error, Result};

pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;

/// The image type the bytes really are, if it is one we accept.
pub fn sniff_content_type(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some("image/png"),
        [0xFF, 0xD8, 0xFF, ..] => Some("image/jpeg"),
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some("image/gif"),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some("image/webp"),
        _ => None,
    }
}

/// Checks a photo for storing and returns its real content type.
/// A content type as labels write it, in its registered form: `Image/JPG; q=1` → `image/jpeg`.
pub fn canonical_type(label: &str) -> String {
    let base = label
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match base.as_str() {
        "image/jpg" | "image/pjpeg" => "image/jpeg".to_owned(),
        _ => base,
    }
}

pub fn check_photo(bytes: &[u8]) -> Result<&'static str> {
    if bytes.is_empty() {
        return Err(Error::invalid("photo_data", "the photo is empty"));
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    sniff_content_type(bytes).ok_or_else(|| {
        Error::invalid(
            "photo_data",
            "not a PNG, JPEG, GIF or WebP image (checked by its content)",
        )
    })
}

/// Reads a photo file the user chose, refusing an oversized file before reading it, and checks
/// its content like any other photo.
pub fn read_photo_file(path: &Path) -> Result<Vec<u8>> {
    let bytes = crate::input_file::read_regular_file(
        path,
        MAX_PHOTO_BYTES as u64,
        "photo_data",
        too_large,
    )?;
    check_photo(&bytes)?;
    Ok(bytes)
}

fn too_large(size: u64) -> Error {
    Error::invalid(
        "photo_data",
        format!(
            "the photo is {:.1} MiB; the limit is 5 MiB",
            size as f64 / (1024.0 * 1024.0)
        ),
    )
}

/// The largest side, in pixels, a stored photo is decoded at for its thumbnail.
pub const MAX_DECODED_SIDE: u32 = 6000;
/// The most memory one thumbnail decode may take.
pub const MAX_DECODED_BYTES: u64 = 160 * 1024 * 1024;

/// A PNG of at most `max` pixels on its longer side, for grids of photos. GIF and WebP
/// (accepted, but without decoders here) and images already small enough come back as they are.
pub fn thumbnail(bytes: &[u8], max: u32) -> Result<(Vec<u8>, &'static str)> {
    let kind = sniff_content_type(bytes)
        .ok_or_else(|| Error::invalid("photo_data", "the stored bytes are not an image"))?;
    let format = match kind {
        "image/png" => image::ImageFormat::Png,
        "image/jpeg" => image::ImageFormat::Jpeg,
        _ => return Ok((bytes.to_vec(), kind)),
    };
    // a 5 MiB PNG can declare ~13k × 13k pixels (~500 MB decoded): refuse before decoding
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| {
        Error::invalid(
            "photo_data",
            format!("the stored image cannot be read: {e}"),
        )
    })?;
    if img.width() <= max && img.height() <= max {
        return Ok((bytes.to_vec(), kind));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    img.thumbnail(max, max)
        .write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| Error::invalid("photo_data", format!("cannot write the thumbnail: {e}")))?;
    Ok((out.into_inner(), "image/png"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_declaring_huge_dimensions_is_refused_before_decoding() {
        // a valid PNG header for 13,000 × 13,000 pixels, and no more
        let mut png = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(1, 1, image::Rgb([0, 0, 0]))
            .write_to(&mut png, image::ImageFormat::Png)
            .expect("encode");
        let mut bytes = png.into_inner();
        bytes[16..20].copy_from_slice(&13_000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&13_000u32.to_be_bytes());
        let err = thumbnail(&bytes, 100).expect_err("refused");
        assert_eq!(err.field(), Some("photo_data"), "{err}");
    }

    #[test]
    fn a_device_or_fifo_is_not_read_as_a_photo() {
        let err = read_photo_file(std::path::Path::new("/dev/zero")).expect_err("refused");
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    #[test]
    fn thumbnails_shrink_big_images_and_keep_small_ones() {
        let mut png = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(400, 200, image::Rgb([10, 20, 30]))
            .write_to(&mut png, image::ImageFormat::Png)
            .expect("encode");
        let png = png.into_inner();
        let (small, kind) = thumbnail(&png, 100).expect("thumbnail");
        assert_eq!(kind, "image/png");
        let img = image::load_from_memory(&small).expect("decode");
        assert_eq!((img.width(), img.height()), (100, 50));
        assert_eq!(thumbnail(&png, 400).expect("small enough").0, png);
        assert!(thumbnail(b"not an image", 100).is_err());
    }

    #[test]
    fn photo_files_are_checked_by_size_before_reading_and_then_by_content() {
        let dir = tempfile::tempdir().expect("tempdir");
        let png = dir.path().join("ok.png");
        std::fs::write(&png, b"\x89PNG\r\n\x1a\nrest").expect("write");
        assert_eq!(
            read_photo_file(&png).expect("a PNG"),
            b"\x89PNG\r\n\x1a\nrest"
        );

        let text = dir.path().join("notes.png");
        std::fs::write(&text, b"hello").expect("write");
        let err = read_photo_file(&text)
            .expect_err("not an image")
            .to_string();
        assert!(err.contains("not a PNG, JPEG, GIF or WebP"), "{err}");

        // a sparse 6 MiB file: refused from its size alone
        let big = dir.path().join("big.png");
        std::fs::File::create(&big)
            .and_then(|f| f.set_len(6 * 1024 * 1024))
            .expect("sparse file");
        let err = read_photo_file(&big).expect_err("too large").to_string();
        assert!(err.contains("6.0 MiB; the limit is 5 MiB"), "{err}");

        let err = read_photo_file(&dir.path().join("missing.png"))
            .expect_err("missing")
            .to_string();
        assert!(err.contains("cannot read"), "{err}");
    }

    #[test]
    fn sniffs_each_accepted_type_and_refuses_others() {
        assert_eq!(
            sniff_content_type(b"\x89PNG\r\n\x1a\nrest"),
            Some("image/png")
        );
        assert_eq!(
            sniff_content_type(b"\xff\xd8\xff\xe0rest"),
            Some("image/jpeg")
        );
        assert_eq!(sniff_content_type(b"GIF89a..."), Some("image/gif"));
        assert_eq!(
            sniff_content_type(b"RIFF\0\0\0\0WEBPVP8 "),
            Some("image/webp")
        );
        assert_eq!(sniff_content_type(b"<svg xmlns=...>"), None);
        assert_eq!(sniff_content_type(b"RIFF\0\0\0\0WAVE"), None);
    }

    #[test]
    fn refuses_empty_oversized_and_unknown() {
        assert!(check_photo(b"").is_err());
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(MAX_PHOTO_BYTES + 1, 0);
        let msg = check_photo(&big)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(msg.contains("5 MiB"), "{msg}");
        assert!(check_photo(b"hello").is_err());
    }
}
