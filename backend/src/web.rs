//! The compiled web app: static files from `QUARTIER_WEB_DIR`, precompressed
//! variants (`.br`, `.gz`, written by `cargo xtask build-web`) when the browser
//! accepts them, and `index.html` for every client-side route but the two a letter
//! leads to (`/s/{id}` and `/code`), which get the answering app's `answer.html`.

use std::path::{Component, Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::header::{self, ContentEncoding, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use shared::surveys::Text;
use uuid::Uuid;

use crate::startup::AppState;
use crate::surveys::FirstPaint;

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
    if req.path() == CODE_FORM_ACTION {
        return code_form(&req, &state).await;
    }
    // A letter leads to these two: the answering app's own page, not the whole app's.
    let answering = answering_page(req.path());
    if answering.is_some() || is_code_page(req.path()) {
        let page = web_dir.join(ANSWER_PAGE);
        if let Ok(html) = tokio::fs::read_to_string(&page).await {
            let html = match answering {
                Some(id) => {
                    let survey = crate::surveys::first_paint(&state, id).await;
                    with_first_paint(&html, id, survey.as_ref())
                }
                None => code_page(&html),
            };
            return HttpResponse::Ok()
                .content_type("text/html; charset=utf-8")
                .insert_header((header::CACHE_CONTROL, REVALIDATE))
                .body(html);
        }
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

/// Where the code form of `/code`'s first paint (`index.html`) sends a typed code: a
/// plain HTML form, so someone with a letter gets to their survey before the app has
/// arrived, or without it.
const CODE_FORM_ACTION: &str = "/code/go";

/// Sends a typed code on to its survey's answering page, as the app's code page does
/// (`frontend/src/pages/survey/code.rs`), or back to `/code` saying what was wrong
/// (`problem=required|unknown|used|error`, shown by `boot.js`). Redeems nothing.
async fn code_form(req: &HttpRequest, state: &AppState) -> HttpResponse {
    let code =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.get("code").cloned())
            .unwrap_or_default();
    // What was typed goes back into the field to be corrected, as far as it can be a
    // code (letters, digits, dashes), so it needs no escaping in the address.
    let typed: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(24)
        .collect();
    let back = |problem: &str| format!("/code?problem={problem}&code={typed}");
    let location = if code.trim().is_empty() {
        back("required")
    } else {
        match crate::surveys::lookup_code(state, &code).await {
            Ok(found) if found.redeemed => back("used"),
            Ok(found) => format!("/s/{}?code={}", found.survey_id, found.code),
            Err(crate::error::ApiError::NotFound) => back("unknown"),
            Err(error) => {
                tracing::warn!(%error, "looking up a code typed without the app");
                back("error")
            }
        }
    };
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

/// The page for `/s/{id}` and `/code`, written by `cargo xtask build-web`: `index.html`
/// loading the answering app, with the code page's first paint and a mark where a
/// survey's first paint goes.
const ANSWER_PAGE: &str = "answer.html";
/// Where `answer.html` takes the survey's first paint.
const FIRST_PAINT_MARK: &str = "<!--survey-first-paint-->";

/// The survey id of an answering page's path (`/s/{id}`, the app's `SurveyAnswerRoute`).
fn answering_page(path: &str) -> Option<Uuid> {
    path.strip_prefix("/s/")
        .map(|id| id.trim_end_matches('/'))
        .and_then(|id| Uuid::parse_str(id).ok())
}

/// `/code`, where a letter sends those who cannot scan its QR code.
fn is_code_page(path: &str) -> bool {
    matches!(path, "/code" | "/code/")
}

/// `answer.html` for `/code`: no survey, so the code page's own first paint shows
/// (`boot.js` keeps it on `/code` alone), under the code page's title.
fn code_page(html: &str) -> String {
    html.replacen(FIRST_PAINT_MARK, "", 1).replacen(
        "<title>Quartier</title>",
        "<title>Zugangscode eingeben · Quartier</title>",
        1,
    )
}

/// `answer.html` with the survey's title and introduction where the start page's first
/// paint is in `index.html`, as the app's start screen shows them (`answer.rs`), in
/// German with the English in `data-en` for boot.js, which puts it in when English is
/// chosen (a missing translation stays German, as in the app). Someone landing from a
/// letter reads what the survey is about while the app is still on its way. Beside it,
/// outside `#app` (which the app empties when it starts), the survey's document as a
/// JSON data block that the app reads instead of asking the API: a data block is not a
/// script, so the CSP (`script-src 'self'`) has nothing to allow. Without a survey
/// (unknown, a draft) only the loading line shows, as on other pages.
fn with_first_paint(html: &str, id: Uuid, survey: Option<&FirstPaint>) -> String {
    let Some(survey) = survey else {
        return html.replacen(FIRST_PAINT_MARK, "", 1);
    };
    let text = |tag: &str, class: &str, text: &Text| {
        let en = if text.en.trim().is_empty() {
            String::new()
        } else {
            format!(" data-en=\"{}\"", escape(&text.en))
        };
        format!("<{tag}{class}{en}>{}</{tag}>", escape(&text.de))
    };
    let mut paint = format!(
        "<div id=\"first-paint-survey\" data-id=\"{id}\" data-steps=\"{}\"><article class=\"survey\">",
        survey.steps
    );
    // The app's heading has the same test id: e2e finds the page's title either way.
    paint.push_str(&text("h1", " data-testid=\"page-title\"", &survey.title));
    // boot.js adds the start screen's form here (index.html's "first-paint-start").
    paint.push_str("<section class=\"survey__screen\">");
    if !survey.intro.de.trim().is_empty() {
        paint.push_str(&text("p", " class=\"lead\"", &survey.intro));
    }
    paint.push_str("</section></article></div>");
    // `<` only occurs inside JSON strings, where `\u003c` means the same: the data
    // block cannot be ended (`</script>`) or commented out by a survey's text.
    let json = String::from_utf8_lossy(&survey.document.json).replace('<', "\\u003c");
    let data = format!(
        "<script type=\"application/json\" id=\"survey-data\" data-id=\"{id}\">{json}</script>\n"
    );
    let page = html.replacen(FIRST_PAINT_MARK, &paint, 1).replacen(
        "<title>Quartier</title>",
        &format!("<title>{} · Quartier</title>", escape(&survey.title.de)),
        1,
    );
    match page.rsplit_once("</body>") {
        Some((before, after)) => format!("{before}{data}</body>{after}"),
        None => page,
    }
}

/// Text for HTML content and quoted attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
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
    fn the_answering_page_is_found_by_its_path() {
        let id = Uuid::new_v4();
        assert_eq!(answering_page(&format!("/s/{id}")), Some(id));
        assert_eq!(answering_page(&format!("/s/{id}/")), Some(id));
        assert_eq!(answering_page("/s/not-an-id"), None);
        assert_eq!(answering_page(&format!("/manager/surveys/{id}")), None);
    }

    #[test]
    fn the_code_page_is_the_answering_apps_under_its_own_title() {
        assert!(is_code_page("/code") && is_code_page("/code/"));
        assert!(!is_code_page("/code/go") && !is_code_page("/codes"));
        let html = "<title>Quartier</title><main><!--survey-first-paint--><div id=\"first-paint-code\"></div></main>";
        assert_eq!(
            code_page(html),
            "<title>Zugangscode eingeben · Quartier</title><main><div id=\"first-paint-code\"></div></main>"
        );
    }

    #[test]
    fn the_first_paint_shows_the_survey_escaped_in_both_languages() {
        use crate::surveys::PublicBody;
        let html =
            "<title>Quartier</title><main><!--survey-first-paint--><p>x</p></main>\n</body></html>";
        let id = Uuid::new_v4();
        let survey = FirstPaint {
            title: Text::new("Bänke & <Wege>", "Benches & paths"),
            // No English: the German stays, as in the app.
            intro: Text::new("Was \"fehlt\"?", ""),
            steps: 4,
            document: std::sync::Arc::new(PublicBody {
                status: shared::surveys::SurveyStatus::Open,
                json: r#"{"title":{"de":"</script><!--"}}"#.into(),
                brotli: Default::default(),
            }),
        };
        let page = with_first_paint(html, id, Some(&survey));
        assert!(
            page.contains("<title>Bänke &amp; &lt;Wege&gt; · Quartier</title>"),
            "{page}"
        );
        assert!(
            page.contains(
                r#"<h1 data-testid="page-title" data-en="Benches &amp; paths">Bänke &amp; &lt;Wege&gt;</h1>"#
            ),
            "{page}"
        );
        assert!(
            page.contains(r#"<p class="lead">Was &quot;fehlt&quot;?</p>"#),
            "{page}"
        );
        // Where boot.js puts the start screen's form, with the steps it counts.
        assert!(
            page.contains(&format!(
                r#"<div id="first-paint-survey" data-id="{id}" data-steps="4">"#
            )),
            "{page}"
        );
        assert!(!page.contains("<!--survey-first-paint-->"));
        // The document outside the first paint, unable to end its own element.
        let data = format!(
            r#"<script type="application/json" id="survey-data" data-id="{id}">{{"title":{{"de":"\u003c/script>\u003c!--"}}}}</script>"#
        );
        assert!(
            page.contains(&format!("</main>\n{data}\n</body></html>")),
            "{page}"
        );
        let without = with_first_paint(html, id, None);
        assert_eq!(without, html.replace("<!--survey-first-paint-->", ""));
    }

    #[test]
    fn accept_encoding_is_read_with_q_values() {
        assert!(accepts("gzip, deflate, br", "br"));
        assert!(accepts("br;q=1.0, gzip;q=0.8", "gzip"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("", "gzip"));
    }
}
