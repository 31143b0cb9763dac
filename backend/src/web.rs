//! The compiled web app: static files from `QUARTIER_WEB_DIR`, precompressed
//! variants (`.br`, `.gz`, written by `cargo xtask build-web`) when the browser
//! accepts them, and `index.html` for every client-side route.

use std::path::{Component, Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::header::{self, ContentEncoding, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::startup::AppState;

/// Hashed file names never change content: cache them for a year.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else (index.html, manifest) is revalidated on every load.
const REVALIDATE: &str = "no-cache";

/// Default service of the app: a file of the web app, or the app shell.
pub async fn serve(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let web_dir = &state.settings.web_dir;
    let Some(relative) = safe_relative(req.path()) else {
        return HttpResponse::NotFound().finish();
    };
    let file = web_dir.join(&relative);
    if !relative.as_os_str().is_empty() && file.is_file() {
        return send(&req, &file).await;
    }
    // A missing asset is a 404; any other path is a client-side route.
    if relative.extension().is_some() {
        return HttpResponse::NotFound().finish();
    }
    let index = web_dir.join("index.html");
    if index.is_file() {
        send(&req, &index).await
    } else {
        HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("The web app is not built. Run `cargo xtask run`, or set QUARTIER_WEB_DIR.\n")
    }
}

/// The request path as a relative file path, or `None` if it tries to leave the directory.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in Path::new(path.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

async fn send(req: &HttpRequest, file: &Path) -> HttpResponse {
    let mime = actix_files::file_extension_to_mime(
        file.extension().and_then(|e| e.to_str()).unwrap_or(""),
    );
    let accepted = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut chosen = (file.to_path_buf(), None);
    for (token, suffix, encoding) in [
        ("br", "br", ContentEncoding::Brotli),
        ("gzip", "gz", ContentEncoding::Gzip),
    ] {
        let variant = PathBuf::from(format!("{}.{suffix}", file.display()));
        if accepts(accepted, token) && variant.is_file() {
            chosen = (variant, Some(encoding));
            break;
        }
    }
    let (path, encoding) = chosen;
    let named = match NamedFile::open_async(&path).await {
        Ok(named) => named,
        Err(_) => return HttpResponse::NotFound().finish(),
    };
    let mut named = named
        .set_content_type(mime)
        .disable_content_disposition()
        .prefer_utf8(true);
    if let Some(encoding) = encoding {
        named = named.set_content_encoding(encoding);
    }
    let mut response = named.into_response(req);
    let cache = if req.path().starts_with("/assets/") {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    response
}

/// Whether an `Accept-Encoding` value accepts `token` (ignoring `q=0`).
pub(crate) fn accepts(header_value: &str, token: &str) -> bool {
    header_value.split(',').any(|part| {
        let mut pieces = part.split(';').map(str::trim);
        let name = pieces.next().unwrap_or("");
        let refused = pieces.any(|p| p.replace(' ', "") == "q=0");
        name.eq_ignore_ascii_case(token) && !refused
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_web_dir_are_refused() {
        assert_eq!(safe_relative("/../etc/passwd"), None);
        assert_eq!(safe_relative("/assets/../../x"), None);
        assert_eq!(
            safe_relative("/assets/app.js"),
            Some(PathBuf::from("assets/app.js"))
        );
        assert_eq!(safe_relative("/"), Some(PathBuf::new()));
    }

    #[test]
    fn accept_encoding_is_read_with_q_values() {
        assert!(accepts("gzip, deflate, br", "br"));
        assert!(accepts("br;q=1.0, gzip;q=0.8", "gzip"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("", "gzip"));
    }
}
