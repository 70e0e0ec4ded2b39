//! Employee photos for the webview, straight from the database bytes (never base64 in JSON):
//! `photo://localhost/<id>` is the photo, `photo://localhost/<id>/thumb` a small PNG made once
//! and kept in a bounded cache. Anything but that shape is refused before the database is asked.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use tauri::http::{header, Response, StatusCode};
use whodis_core::ops::directory;
use whodis_core::Error;

use crate::app::AppState;

pub const SCHEME: &str = "photo";
const THUMBNAIL_SIZE: u32 = 160;
/// About 160 × 160 PNGs of a few KiB each: a few MiB at most.
const CACHED_THUMBNAILS: usize = 1024;

#[derive(Debug, PartialEq, Eq)]
pub enum PhotoRequest {
    Full(i64),
    Thumbnail(i64),
}

/// `/<id>` or `/<id>/thumb`, the id a positive integer; nothing else.
pub fn parse(path: &str) -> Option<PhotoRequest> {
    let mut parts = path.strip_prefix('/')?.split('/');
    let id = parts.next()?;
    if id.is_empty() || id.len() > 18 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let id: i64 = id.parse().ok().filter(|n| *n > 0)?;
    match (parts.next(), parts.next()) {
        (None, _) => Some(PhotoRequest::Full(id)),
        (Some("thumb"), None) => Some(PhotoRequest::Thumbnail(id)),
        _ => None,
    }
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
        return status(StatusCode::BAD_REQUEST, "only photo ids are served");
    };
    let id = match request {
        PhotoRequest::Full(id) | PhotoRequest::Thumbnail(id) => id,
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
        PhotoRequest::Full(_) => image(&Arc::new((photo.bytes, photo.content_type))),
        PhotoRequest::Thumbnail(_) => {
            // decoding is CPU work: off the async runtime, so other requests keep going
            let decoded = tokio::task::spawn_blocking(move || {
                whodis_core::photo::thumbnail(&photo.bytes, THUMBNAIL_SIZE)
            })
            .await
            .unwrap_or_else(|_| {
                Err(Error::invalid(
                    "photo_data",
                    "the thumbnail could not be made",
                ))
            });
            match decoded {
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
            }
        }
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
}
