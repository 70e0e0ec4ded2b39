//! Images for the webview, straight from the database bytes (never base64 in JSON):
//! `photo://localhost/<id>` is an employee's photo, `photo://localhost/<id>/thumb` a small PNG
//! made once and kept in a bounded cache, and `photo://localhost/cell/<hex>[/thumb]` an image
//! stored in a bytes cell of an explored table (`<hex>`: the hex of a JSON [`CellRef`]).
//! Anything but those shapes is refused before the database is asked.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use serde_json::{Map, Value as Json};
use tauri::http::{header, Response, StatusCode};
use whodis_core::ops::{cell_bytes, directory};
use whodis_core::Error;

use crate::app::AppState;

pub const SCHEME: &str = "photo";
const THUMBNAIL_SIZE: u32 = 160;
/// About 160 × 160 PNGs of a few KiB each: a few MiB at most.
const CACHED_THUMBNAILS: usize = 1024;
/// A cell reference is a table, a column and a key: a few hundred bytes, never kilobytes.
const MAX_CELL_REF_HEX: usize = 8192;

#[derive(Debug, PartialEq, Eq)]
pub enum PhotoRequest {
    Full(i64),
    Thumbnail(i64),
    Cell { cell: CellRef, thumbnail: bool },
}

/// One bytes cell of an explored table, as the window names it.
#[derive(Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellRef {
    pub table: String,
    pub column: String,
    pub key: Map<String, Json>,
}

/// `/<id>` or `/<id>/thumb`, the id a positive integer, or `/cell/<hex>` or `/cell/<hex>/thumb`;
/// nothing else.
pub fn parse(path: &str) -> Option<PhotoRequest> {
    let mut parts = path.strip_prefix('/')?.split('/');
    let first = parts.next()?;
    if first == "cell" {
        let cell = cell_ref(parts.next()?)?;
        return match (parts.next(), parts.next()) {
            (None, _) => Some(PhotoRequest::Cell {
                cell,
                thumbnail: false,
            }),
            (Some("thumb"), None) => Some(PhotoRequest::Cell {
                cell,
                thumbnail: true,
            }),
            _ => None,
        };
    }
    if first.is_empty() || first.len() > 18 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let id: i64 = first.parse().ok().filter(|n| *n > 0)?;
    match (parts.next(), parts.next()) {
        (None, _) => Some(PhotoRequest::Full(id)),
        (Some("thumb"), None) => Some(PhotoRequest::Thumbnail(id)),
        _ => None,
    }
}

/// Lowercase hex of a JSON [`CellRef`].
fn cell_ref(hex: &str) -> Option<CellRef> {
    if hex.is_empty() || hex.len() > MAX_CELL_REF_HEX || !hex.len().is_multiple_of(2) {
        return None;
    }
    let digit = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    let bytes: Option<Vec<u8>> = hex
        .as_bytes()
        .chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect();
    serde_json::from_slice(&bytes?).ok()
}

type Image = Arc<(Vec<u8>, &'static str)>;

/// A made thumbnail, or why the stored photo cannot make one: a photo that failed to decode is
/// not decoded again on every request of a grid (until it changes).
type Thumbnail = Result<Image, Arc<str>>;

/// Thumbnails of the most recently shown photos.
#[derive(Default)]
pub struct ThumbnailCache {
    inner: Mutex<(HashMap<i64, Thumbnail>, VecDeque<i64>)>,
}

impl ThumbnailCache {
    fn get(&self, id: i64) -> Option<Thumbnail> {
        self.inner.lock().ok()?.0.get(&id).cloned()
    }

    fn put(&self, id: i64, image: Thumbnail) {
        let Ok(mut guard) = self.inner.lock() else {
            return;
        };
        let (map, order) = &mut *guard;
        if map.insert(id, image).is_none() {
            order.push_back(id);
        }
        while order.len() > CACHED_THUMBNAILS {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }

    /// Forgets every thumbnail (another database was opened).
    pub fn clear(&self) {
        if let Ok(mut guard) = self.inner.lock() {
            guard.0.clear();
            guard.1.clear();
        }
    }

    /// Forgets a photo's thumbnail (after the photo changed).
    pub fn forget(&self, id: i64) {
        if let Ok(mut guard) = self.inner.lock() {
            guard.0.remove(&id);
            guard.1.retain(|x| *x != id);
        }
    }
}

fn status(code: StatusCode, text: &str) -> Response<Vec<u8>> {
    let mut response = Response::new(text.as_bytes().to_vec());
    *response.status_mut() = code;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain"),
    );
    response
}

fn image(image: &Image) -> Response<Vec<u8>> {
    let mut response = Response::new(image.0.clone());
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(image.1),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, max-age=60"),
    );
    response
}

/// Answers one request of the `photo:` scheme.
pub async fn serve(state: &AppState, path: &str) -> Response<Vec<u8>> {
    let Some(request) = parse(path) else {
        return status(
            StatusCode::BAD_REQUEST,
            "only photo ids and cells are served",
        );
    };
    let id = match request {
        PhotoRequest::Full(id) | PhotoRequest::Thumbnail(id) => id,
        PhotoRequest::Cell { cell, thumbnail } => return serve_cell(state, &cell, thumbnail).await,
    };
    if let PhotoRequest::Thumbnail(_) = request {
        if let Some(cached) = state.thumbnails.get(id) {
            // the permission check still runs for every request
            if let Err(e) = directory::authorize_photos(&state.ctx()).await {
                return refused(&e);
            }
            return match cached {
                Ok(cached) => image(&cached),
                Err(reason) => status(StatusCode::UNPROCESSABLE_ENTITY, &reason),
            };
        }
    }
    let photo = match directory::photo(&state.ctx(), id).await {
        Ok(Some(photo)) => photo,
        Ok(None) => return status(StatusCode::NOT_FOUND, "this profile has no photo"),
        Err(e) => return refused(&e),
    };
    match request {
        PhotoRequest::Thumbnail(_) => match make_thumbnail(photo.bytes).await {
            Ok(thumb) => {
                let thumb = Arc::new(thumb);
                state.thumbnails.put(id, Ok(Arc::clone(&thumb)));
                image(&thumb)
            }
            Err(e) => {
                // the bytes cannot make a thumbnail: remembered; anything else may pass
                if let Error::Invalid { .. } = e {
                    state.thumbnails.put(id, Err(e.to_string().into()));
                }
                refused(&e)
            }
        },
        _ => image(&Arc::new((photo.bytes, photo.content_type))),
    }
}

/// A thumbnail of `bytes`, decoded off the async runtime (CPU work) so other requests go on.
async fn make_thumbnail(bytes: Vec<u8>) -> Result<(Vec<u8>, &'static str), Error> {
    tokio::task::spawn_blocking(move || whodis_core::photo::thumbnail(&bytes, THUMBNAIL_SIZE))
        .await
        .unwrap_or_else(|_| Err(Error::invalid("image", "the thumbnail could not be made")))
}

/// An image stored in a bytes cell, or its thumbnail (made per request: the drawer shows one
/// cell at a time, and a cell can change behind the app's back). Bytes that are not an image
/// are never served, so the webview does not guess what they are.
async fn serve_cell(state: &AppState, cell: &CellRef, thumbnail: bool) -> Response<Vec<u8>> {
    let bytes = match cell_bytes::load(&state.ctx(), &cell.table, &cell.column, &cell.key).await {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return status(StatusCode::NOT_FOUND, "the cell is empty"),
        Err(e) => return refused(&e),
    };
    let Some(content_type) = whodis_core::photo::sniff_content_type(&bytes) else {
        return status(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the cell's bytes are not an image",
        );
    };
    if !thumbnail {
        return image(&Arc::new((bytes, content_type)));
    }
    match make_thumbnail(bytes).await {
        Ok(thumb) => image(&Arc::new(thumb)),
        Err(e) => refused(&e),
    }
}

fn refused(e: &Error) -> Response<Vec<u8>> {
    let code = match e {
        Error::NotFound { .. } => StatusCode::NOT_FOUND,
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    status(code, &e.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_photo_ids_are_accepted() {
        assert_eq!(parse("/42"), Some(PhotoRequest::Full(42)));
        assert_eq!(parse("/42/thumb"), Some(PhotoRequest::Thumbnail(42)));
        for bad in [
            "",
            "/",
            "42",
            "/0",
            "/-1",
            "/4a",
            "/42/",
            "/42/full",
            "/42/thumb/x",
            "/../etc/passwd",
            "/%34%32",
            "/99999999999999999999",
            "/1.5",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    fn hex(text: &str) -> String {
        text.bytes().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn cells_are_named_by_the_hex_of_a_table_column_and_key() {
        let json = r#"{"table":"files","column":"content","key":{"id":7}}"#;
        let expected = CellRef {
            table: "files".into(),
            column: "content".into(),
            key: serde_json::json!({"id": 7}).as_object().unwrap().clone(),
        };
        match parse(&format!("/cell/{}/thumb", hex(json))) {
            Some(PhotoRequest::Cell { cell, thumbnail }) => {
                assert_eq!(cell, expected);
                assert!(thumbnail);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse(&format!("/cell/{}", hex(json))),
            Some(PhotoRequest::Cell {
                thumbnail: false,
                ..
            })
        ));
        let extra = r#"{"table":"files","column":"content","key":{"id":7},"sql":"x"}"#;
        for bad in [
            "/cell".to_owned(),
            "/cell/".to_owned(),
            format!("/cell/{}/full", hex(json)),
            format!("/cell/{}/thumb/x", hex(json)),
            format!("/cell/{}", hex(json).to_uppercase()),
            format!("/cell/{}0", hex(json)),
            format!("/cell/{}", hex(extra)),
            format!("/cell/{}", hex(r#"{"table":"files"}"#)),
            format!("/cell/{}", hex("not json")),
            format!("/cell/{}", "ab".repeat(MAX_CELL_REF_HEX)),
        ] {
            assert_eq!(parse(&bad), None, "{bad}");
        }
    }

    #[test]
    fn the_cache_keeps_only_the_most_recent_thumbnails() {
        let cache = ThumbnailCache::default();
        for id in 0..(CACHED_THUMBNAILS as i64 + 10) {
            cache.put(id, Ok(Arc::new((vec![1], "image/png"))));
        }
        assert!(cache.get(0).is_none());
        assert!(cache.get(9).is_none());
        assert!(cache.get(10).is_some());
        cache.forget(10);
        assert!(cache.get(10).is_none());
    }

    /// A PNG of `side` × `side` pixels.
    fn png(side: u32) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(side, side, image::Rgb([40, 90, 160]))
            .write_to(&mut out, image::ImageFormat::Png)
            .expect("encode");
        out.into_inner()
    }

    async fn code(state: &AppState, path: &str) -> StatusCode {
        serve(state, path).await.status()
    }

    // The scheme checks the operator's permission on every request, cached or not; a photo that
    // cannot make a thumbnail is refused from the cache until it changes.
    crate::both_backends!(
        the_photo_scheme_checks_permission_and_caches_failures,
        |db| {
            use whodis_core::models::EmployeeProfile;
            use whodis_core::ops::UnknownOperator;
            let admin = "photo.admin@corp.example";
            let ctx = crate::common::ctx(&db, admin);
            whodis_core::ops::users::bootstrap_admin(&ctx, admin)
                .await
                .unwrap();
            let mut c = db.conn().await.unwrap();
            let mut good = EmployeeProfile {
                email: "ada@corp.example".into(),
                photo_data: Some(png(400)),
                photo_content_type: Some("image/png".into()),
                ..Default::default()
            };
            good.save(&mut c).await.unwrap();
            let mut broken = EmployeeProfile {
                email: "bob@corp.example".into(),
                // a PNG signature and nothing a decoder can read
                photo_data: Some(b"\x89PNG\r\n\x1a\n not really".to_vec()),
                photo_content_type: Some("image/png".into()),
                ..Default::default()
            };
            broken.save(&mut c).await.unwrap();
            let (good_id, broken_id) = (good.id, broken.id);

            let state = AppState::new(ctx, None, UnknownOperator::Refuse);
            let thumb = format!("/{good_id}/thumb");
            assert_eq!(code(&state, &thumb).await, StatusCode::OK);
            assert!(state.thumbnails.get(good_id).is_some_and(|t| t.is_ok()));
            let bad_thumb = format!("/{broken_id}/thumb");
            assert_eq!(
                code(&state, &bad_thumb).await,
                StatusCode::UNPROCESSABLE_ENTITY
            );

            // the broken photo is fixed behind the app's back: the remembered failure still answers
            // (no decode per request), until the app forgets it as it does after a photo change
            broken.photo_data = Some(png(300));
            broken.save(&mut c).await.unwrap();
            assert_eq!(
                code(&state, &bad_thumb).await,
                StatusCode::UNPROCESSABLE_ENTITY
            );
            state.thumbnails.forget(broken_id);
            assert_eq!(code(&state, &bad_thumb).await, StatusCode::OK);

            // someone the database does not know, under "refuse": nothing, cached or not
            let stranger = crate::common::ctx(&db, "stranger@corp.example")
                .with_unknown_operator(UnknownOperator::Refuse);
            state.switch(stranger, None);
            state
                .thumbnails
                .put(good_id, Ok(Arc::new((png(10), "image/png"))));
            for path in [thumb.clone(), format!("/{good_id}")] {
                assert_eq!(code(&state, &path).await, StatusCode::FORBIDDEN, "{path}");
            }
            assert_eq!(
                code(&state, "/../etc/passwd").await,
                StatusCode::BAD_REQUEST
            );
        }
    );

    fn cell_path(table: &str, column: &str, id: i64, thumb: bool) -> String {
        let json = serde_json::json!({ "table": table, "column": column, "key": { "id": id } });
        let suffix = if thumb { "/thumb" } else { "" };
        format!("/cell/{}{suffix}", hex(&json.to_string()))
    }

    // A bytes cell of an explored table: an image and its thumbnail are served as PNG, bytes
    // that are not an image never are, and a secret or WhoDis's own photo column is refused.
    crate::both_backends!(the_photo_scheme_serves_images_from_explored_cells, |db| {
        let admin = "cell.admin@corp.example";
        let ctx = crate::common::ctx(&db, admin);
        whodis_core::ops::users::bootstrap_admin(&ctx, admin)
            .await
            .unwrap();
        let ddl = match db.backend() {
            whodis_core::Backend::Sqlite => {
                "CREATE TABLE scans (id INTEGER PRIMARY KEY, content BLOB, api_secret BLOB)"
            }
            whodis_core::Backend::Postgres => {
                "CREATE TABLE scans (id SERIAL PRIMARY KEY, content BYTEA, api_secret BYTEA)"
            }
        };
        let mut c = db.conn().await.unwrap();
        whodis_core::exec::execute_planned(&mut c, ddl)
            .await
            .unwrap();
        // bytes literals: X'…' on SQLite, '\x…' on PostgreSQL
        let literal = |bytes: &[u8]| {
            let digits: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            match db.backend() {
                whodis_core::Backend::Sqlite => format!("X'{digits}'"),
                whodis_core::Backend::Postgres => format!("'\\x{digits}'::bytea"),
            }
        };
        for content in [png(400), b"%PDF-1.7 not an image".to_vec()] {
            let insert = format!(
                "INSERT INTO scans (content, api_secret) VALUES ({}, {})",
                literal(&content),
                literal(&png(8))
            );
            whodis_core::exec::execute_planned(&mut c, &insert)
                .await
                .unwrap();
        }
        drop(c);
        db.refresh_shape().await.unwrap();

        let state = AppState::new(ctx, None, whodis_core::ops::UnknownOperator::Refuse);
        let thumb = serve(&state, &cell_path("scans", "content", 1, true)).await;
        assert_eq!(thumb.status(), StatusCode::OK);
        assert_eq!(thumb.headers()[header::CONTENT_TYPE], "image/png");
        let decoded = image::load_from_memory(thumb.body()).unwrap();
        assert!(decoded.width() <= THUMBNAIL_SIZE && decoded.height() <= THUMBNAIL_SIZE);
        let full = serve(&state, &cell_path("scans", "content", 1, false)).await;
        assert_eq!(full.status(), StatusCode::OK);
        assert_eq!(full.body(), &png(400));
        for (path, expected) in [
            (
                cell_path("scans", "content", 2, false),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ),
            (
                cell_path("scans", "content", 2, true),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ),
            (
                cell_path("scans", "content", 9, true),
                StatusCode::NOT_FOUND,
            ),
            (
                cell_path("scans", "api_secret", 1, false),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                cell_path("employee_profiles", "photo_data", 1, false),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
        ] {
            assert_eq!(code(&state, &path).await, expected, "{path}");
        }
    });
}
