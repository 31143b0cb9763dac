//! The web app: files, precompressed variants, client-side routes.

use crate::helpers::spawn_app;

fn write(dir: &std::path::Path, name: &str, contents: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

#[tokio::test]
async fn client_routes_get_the_app_shell_and_assets_are_cached_forever() {
    let app = spawn_app().await;
    let dir = app.web_dir.path();
    write(dir, "index.html", b"<!doctype html><title>Quartier</title>");
    write(dir, "assets/app-0123456789abcdef.js", b"console.log('x')");

    let shell = app.get("/umfragen/42").await;
    assert_eq!(shell.status(), 200);
    assert_eq!(shell.headers()["cache-control"], "no-cache");
    assert!(
        shell
            .text()
            .await
            .unwrap()
            .contains("<title>Quartier</title>")
    );

    let asset = app.get("/assets/app-0123456789abcdef.js").await;
    assert_eq!(asset.status(), 200);
    assert!(
        asset.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    assert!(
        asset.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );

    // A missing asset is a 404, not the shell: a stale page must not run HTML as script.
    assert_eq!(app.get("/assets/gone-0000.js").await.status(), 404);
}

#[tokio::test]
async fn precompressed_brotli_is_served_when_accepted() {
    let app = spawn_app().await;
    let dir = app.web_dir.path();
    let raw = b"(module)".repeat(100);
    write(dir, "assets/app.wasm", &raw);
    let mut compressed = Vec::new();
    {
        use std::io::Write;
        let mut w = brotli::CompressorWriter::new(&mut compressed, 4096, 11, 22);
        w.write_all(&raw).unwrap();
    }
    write(dir, "assets/app.wasm.br", &compressed);

    let client = reqwest::Client::builder().no_brotli().build().unwrap();
    let response = client
        .get(app.url("/assets/app.wasm"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(response.headers()["content-type"], "application/wasm");
    assert_eq!(response.bytes().await.unwrap().len(), compressed.len());

    let plain = client
        .get(app.url("/assets/app.wasm"))
        .header("accept-encoding", "identity")
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().len(), raw.len());
}

#[tokio::test]
async fn paths_outside_the_web_dir_are_not_served() {
    let app = spawn_app().await;
    write(app.web_dir.path(), "index.html", b"shell");
    let response = app.get("/..%2f..%2fetc%2fpasswd").await;
    assert_ne!(response.status(), 200);

    // A real file just outside the web directory, asked for with a literal `..` — sent
    // raw, because HTTP clients (reqwest included) remove dot segments before sending.
    let outside = app
        .web_dir
        .path()
        .parent()
        .unwrap()
        .join(format!("outside-{}.txt", uuid::Uuid::new_v4().simple()));
    std::fs::write(&outside, b"not for the web").unwrap();
    let name = outside.file_name().unwrap().to_str().unwrap().to_owned();
    let head = raw_get(&app, &format!("/../{name}")).await;
    std::fs::remove_file(&outside).unwrap();
    assert!(!head.contains("not for the web"), "{head}");
    assert!(head.starts_with("HTTP/1.1 404"), "{head}");
}

/// A GET with the path exactly as given; returns the whole answer as text.
async fn raw_get(app: &crate::helpers::TestApp, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

/// Someone landing from a letter sees what the survey is about before the app runs,
/// and the app gets the survey without a request; a draft shows nothing of itself.
#[tokio::test]
async fn the_answering_page_carries_its_open_survey_and_nothing_of_a_draft() {
    use crate::fixtures::world;
    use crate::surveys::{create, open_survey, public_and_codes, template_request};
    use shared::surveys::SurveyDto;

    let app = spawn_app().await;
    let w = world(&app).await;
    write(
        app.web_dir.path(),
        "answer.html",
        b"<!doctype html><title>Quartier</title><main><!--survey-first-paint--><p>Wird geladen</p></main>\n</body></html>",
    );
    let survey = open_survey(&app, &w, true).await;

    let page = app.get(&format!("/s/{}", survey.id)).await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-cache");
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&format!("<title>{} · Quartier</title>", survey.title.de)),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            r#"<h1 data-testid="page-title" data-en="{}">{}</h1>"#,
            survey.title.en, survey.title.de
        )),
        "{html}"
    );
    // The embedded document is the API's, so the app can use it as it is.
    let data = html
        .split_once(r#"id="survey-data""#)
        .and_then(|(_, rest)| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split_once("</script>"))
        .map(|(json, _)| json)
        .expect("a survey-data block");
    let embedded: serde_json::Value = serde_json::from_str(data).unwrap();
    let from_api: serde_json::Value = app
        .get(&format!("/api/v1/public/surveys/{}", survey.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(embedded, from_api);

    let draft: SurveyDto = create(
        &app,
        &w.tokens.manager,
        &template_request(vec![w.q1], public_and_codes(), true),
    )
    .await
    .json()
    .await
    .unwrap();
    let html = app
        .get(&format!("/s/{}", draft.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains(&draft.title.de), "{html}");
    assert!(!html.contains("survey-data"), "{html}");
    assert!(
        html.contains("<title>Quartier</title><main><p>Wird geladen</p>"),
        "{html}"
    );
}

/// `/code` works before (and without) the app: its first paint's plain form sends the
/// typed code to the server, which answers with the survey's page or with `/code` and
/// what was wrong, the typed code kept as far as it can be one.
#[tokio::test]
async fn a_code_typed_without_the_app_leads_to_its_survey_or_back_with_the_reason() {
    use crate::fixtures::world;
    use crate::surveys::{answers, generate_codes, open_survey, submission};

    let app = spawn_app().await;
    let w = world(&app).await;
    let survey = open_survey(&app, &w, true).await;
    let generated = generate_codes(&app, &w, survey.id, 1).await;
    let code = generated.codes[0].code.clone();
    let app_ref = &app;
    let go = |typed: &str| {
        let path = format!("/code/go?code={typed}");
        async move { app_ref.get(&path).await }
    };
    let location = |response: reqwest::Response| {
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["cache-control"], "no-store");
        response.headers()["location"].to_str().unwrap().to_owned()
    };
    // Typed in small letters without the dash, as people do.
    let typed = code.replace('-', "").to_lowercase();
    let to_survey = format!("/s/{}?code={code}", survey.id);
    assert_eq!(location(go(&typed).await), to_survey);
    // Looking up redeems nothing: the same code leads there again.
    assert_eq!(location(go(&code).await), to_survey);
    assert_eq!(
        location(go("QQQQ-QQQQ").await),
        "/code?problem=unknown&code=QQQQ-QQQQ"
    );
    assert_eq!(location(go("").await), "/code?problem=required&code=");
    // Only what can be part of a code goes back into the address.
    assert_eq!(
        location(go("%3Cscript%3E%22x").await),
        "/code?problem=unknown&code=scriptx"
    );

    let mut used = submission(&survey, answers(true, 3));
    used.code = Some(code.clone());
    let stored = app
        .post_json(
            &format!("/api/v1/public/surveys/{}/responses", survey.id),
            &used,
        )
        .await;
    assert_eq!(stored.status(), 201);
    assert_eq!(
        location(go(&code).await),
        format!("/code?problem=used&code={code}")
    );
}
