//! A resident answers a survey from a letter, at phone size: the code's link opens
//! the survey, conditions show follow-up questions, the connection is lost halfway
//! (the server stops: page and service worker alike get nothing), the page is
//! reloaded and resumes, the response is finished and queued on the phone, and when
//! the server is back it arrives, once. A letter's link opens the answering app, which
//! reloads offline too. axe-core checks every screen.

use anyhow::{Context, ensure};
use e2e::{PHONE, Page, run_with_server};
use serde_json::{Value, json};

const CODE: &str = "TEE4-KAFE";
const MANAGER: &str = "manager@demo.quartier.example";
const DEMO_PASSWORD: &str = "quartier-demo";
const RESIDENT: &str = "erna@demo.quartier.example";

async fn api_get(page: &Page, path: &str, token: Option<&str>) -> anyhow::Result<Value> {
    let mut request = reqwest::Client::new().get(page.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request
        .send()
        .await
        .with_context(|| format!("GET {path}"))?;
    ensure!(
        response.status().is_success(),
        "GET {path}: {}",
        response.status()
    );
    Ok(response.json().await?)
}

async fn manager_token(page: &Page) -> anyhow::Result<String> {
    let session: Value = reqwest::Client::new()
        .post(page.url("/api/v1/auth/login"))
        .json(&json!({"email": MANAGER, "password": DEMO_PASSWORD}))
        .send()
        .await?
        .json()
        .await?;
    session["access_token"]
        .as_str()
        .map(str::to_owned)
        .context("no access token")
}

/// Stored responses of the survey, as the results API counts them.
async fn responses(page: &Page, survey: &str, token: &str) -> anyhow::Result<u64> {
    let results = api_get(
        page,
        &format!("/api/v1/surveys/{survey}/results"),
        Some(token),
    )
    .await?;
    results["responses"]
        .as_u64()
        .context("the response count is suppressed")
}

#[tokio::test]
async fn a_resident_answers_from_a_letter_offline_and_the_response_arrives_once()
-> anyhow::Result<()> {
    run_with_server(
        "a_resident_answers_from_a_letter_offline_and_the_response_arrives_once",
        PHONE,
        |page, server| async move {
            let lookup =
                api_get(&page, &format!("/api/v1/public/access-codes/{CODE}"), None).await?;
            let survey = lookup["survey_id"]
                .as_str()
                .context("no survey id")?
                .to_owned();
            let token = manager_token(&page).await?;
            let before = responses(&page, &survey, &token).await?;

            // No camera for the QR code: the code is typed, as people type it.
            page.goto("/").await?;
            page.click("home-code-link").await?;
            page.by_test_id("code-form").await?;
            page.check_a11y("the code page").await?;
            page.fill("code-form", "code", "tee4 kafe").await?;
            page.click_in("code-form", "submit").await?;
            page.by_test_id("survey-start").await?;
            page.check_a11y(&format!("/s/{survey}?code={CODE}")).await?;
            let url = page.driver().current_url().await?;
            ensure!(url.path() == format!("/s/{survey}"), "landed on {url}");
            let title = page.text("page-title").await?;
            ensure!(title == "Gut älter werden im Quartier", "title {title:?}");
            let code: String = page
                .script("return document.querySelector('[data-testid=survey-code]').value")
                .await?;
            ensure!(
                code == CODE,
                "the code from the link is filled in: {code:?}"
            );
            page.click("profile-age-from_75_to_84").await?;
            page.click("survey-start").await?;

            // A required question left out is explained, accessibly, and nothing moves on.
            page.by_test_id("section-housing").await?;
            page.click("survey-next").await?;
            page.by_test_id("survey-errors").await?;
            page.by_test_id("question-error-housing_lift").await?;
            page.check_a11y("a survey screen with an error").await?;
            page.assert_no_horizontal_scroll().await?;

            // "Yes, there is a lift" brings its follow-up question.
            ensure!(
                !page.exists("question-housing_lift_works").await?,
                "follow-up shown too early"
            );
            page.click("option-housing_lift-yes").await?;
            page.click("option-housing_lift_works-no").await?;
            page.click("survey-next").await?;
            page.by_test_id("section-transport").await?;
            page.check_a11y("the second section").await?;

            // Halfway, the connection is gone; the page is reloaded and carries on.
            page.wait_for("the service worker to keep the app", || async {
                let kept: bool = page
                    .script("return !!navigator.serviceWorker.controller")
                    .await?;
                Ok(kept.then_some(()))
            })
            .await?;
            server.lock().await.stop().await?;
            page.reload().await?;
            page.by_test_id("section-transport").await?;
            page.click("option-transport_used-bus").await?;
            page.by_test_id("question-transport_stop").await?;
            for _ in 0..10 {
                if page.exists("survey-summary").await? {
                    break;
                }
                // "Shopping" is marked in the template as a need for help.
                if page.exists("option-help_needs-shopping").await? {
                    page.click("option-help_needs-shopping").await?;
                }
                page.click("survey-next").await?;
            }
            page.by_test_id("survey-summary").await?;
            let lift = page.text("summary-housing_lift").await?;
            ensure!(
                lift.contains("Ja"),
                "the summary shows the earlier answer: {lift:?}"
            );
            page.check_a11y("the summary").await?;
            page.click("survey-send").await?;
            page.by_test_id("survey-queued").await?;
            page.check_a11y("a response kept on the phone").await?;
            let kept: Value = page
                .script(&format!(
                    "return JSON.parse(localStorage.getItem('quartier.survey.{survey}'))"
                ))
                .await?;
            let key = kept["pending"]
                .as_str()
                .context("no pending key kept")?
                .to_owned();

            // The connection returns: the response goes out by itself.
            server.lock().await.restart().await?;
            page.script::<Value>("window.dispatchEvent(new Event('online')); return null")
                .await?;
            page.by_test_id("survey-thanks").await?;
            page.check_a11y("thank-you").await?;
            let left: Value = page
                .script(&format!(
                    "return localStorage.getItem('quartier.survey.{survey}')"
                ))
                .await?;
            ensure!(
                left.is_null(),
                "answers stay on the phone after sending: {left}"
            );

            // The thank-you page offers help with what she needs, after a consent of its own.
            ensure!(
                page.text("survey-help-offer").await?.contains("Einkaufen"),
                "the offer names the need"
            );
            // Not signed in, the office's number is there to call instead.
            page.by_test_id("survey-help-office-link").await?;
            page.click("survey-help-ask-shopping").await?;
            page.by_test_id("survey-help-consent-missing").await?;
            page.check_a11y("thank-you with the help offer, consent missing").await?;
            page.assert_no_horizontal_scroll().await?;
            ensure!(
                page.exists("survey-help-offer").await?,
                "without the consent the page stays"
            );
            page.click("survey-help-consent").await?;
            page.click("survey-help-ask-shopping").await?;
            // Not signed in: signing in comes back to the request, filled in.
            page.by_test_id("sign-in-required").await?;
            page.click_in("sign-in-required", "sign-in-link").await?;
            page.fill("login-form", "email", RESIDENT).await?;
            page.fill("login-form", "password", DEMO_PASSWORD).await?;
            page.click_in("login-form", "submit").await?;
            page.by_test_id("ask-prefilled").await?;
            ensure!(
                page.text("ask-step").await?.contains("2 von 3"),
                "the kind of help is chosen already"
            );
            let details: String = page
                .script("return document.querySelector('[data-testid=ask-form] [data-testid=details]').value")
                .await?;
            ensure!(details.contains("Einkaufen"), "details {details:?}");
            page.check_a11y("a help request filled in from the survey").await?;
            page.click_in("ask-form", "next").await?;
            let day = (time::OffsetDateTime::now_utc().date() + time::Duration::days(7)).to_string();
            page.set_value("[data-testid=date]", &day).await?;
            page.click_in("ask-form", "submit").await?;
            page.by_test_id("page-notice").await?;
            let mine = page.text("help-mine").await?;
            ensure!(
                mine.contains(&details),
                "her request is among hers: {mine:?}"
            );

            let token = manager_token(&page).await?;
            let after = responses(&page, &survey, &token).await?;
            ensure!(after == before + 1, "responses {before} → {after}");
            let lookup =
                api_get(&page, &format!("/api/v1/public/access-codes/{CODE}"), None).await?;
            ensure!(lookup["redeemed"] == json!(true), "the code is redeemed");

            // A retry of the same submission (e.g. its answer was lost) is not counted again.
            let version = api_get(&page, &format!("/api/v1/public/surveys/{survey}"), None).await?
                ["version"]
                .clone();
            let retry = reqwest::Client::new()
                .post(page.url(&format!("/api/v1/public/surveys/{survey}/responses")))
                .json(&json!({
                    "id": key,
                    "version": version,
                    "answers": kept["answers"],
                    "profile": kept["profile"],
                    "code": CODE,
                }))
                .send()
                .await?;
            ensure!(
                retry.status() == 200,
                "a retry is answered as a duplicate: {}",
                retry.status()
            );
            let again = responses(&page, &survey, &token).await?;
            ensure!(again == after, "the retry was counted: {after} → {again}");
            Ok(())
        },
    )
    .await
}

/// Issue 12: a letter's link opens the answering app alone, not the whole app, and
/// it too reloads without a connection: the service worker keeps the answering page
/// itself, as the whole app it would otherwise fall back to was never downloaded.
/// Its links lead on into the whole app.
#[tokio::test]
async fn a_letters_link_opens_the_answering_app_which_reloads_offline() -> anyhow::Result<()> {
    run_with_server(
        "a_letters_link_opens_the_answering_app_which_reloads_offline",
        PHONE,
        |page, server| async move {
            let lookup =
                api_get(&page, &format!("/api/v1/public/access-codes/{CODE}"), None).await?;
            let survey = lookup["survey_id"]
                .as_str()
                .context("no survey id")?
                .to_owned();
            let link = format!("/s/{survey}?code={CODE}");
            page.goto(&link).await?;
            page.click("profile-age-from_75_to_84").await?;
            page.click("survey-start").await?;
            page.by_test_id("section-housing").await?;
            page.click("option-housing_lift-yes").await?;
            page.by_test_id("question-housing_lift_works").await?;
            // The section screen shows: its lazy part came while the start screen did.
            let (alone, fetched) = page.fetched_the_answering_app_alone().await?;
            ensure!(
                alone && fetched.iter().any(|f| f == "section_screen.wasm"),
                "a letter's link fetched {fetched:?}, not the answering app alone"
            );
            // The offices' telephone numbers in the footer: read by a lazy part of their
            // own once they have arrived, so that it is kept for use offline too.
            page.by_test_id("footer-office-link").await?;

            // The page and every file it fetched, the survey screens' part included.
            page.wait_for("the service worker to keep the page", || async {
                let kept: bool = page
                    .script(
                        "const files = performance.getEntriesByType('resource').map((e) => e.name)
                           .filter((n) => /\\/assets\\/.*\\.wasm$/.test(n));
                         return !!navigator.serviceWorker.controller && caches.open('quartier-app-v1')
                           .then((c) => Promise.all([c.match(location.href, { ignoreSearch: true }),
                             ...files.map((f) => c.match(f))]))
                           .then((hits) => hits.every((hit) => !!hit))",
                    )
                    .await?;
                Ok(kept.then_some(()))
            })
            .await?;
            server.lock().await.stop().await?;
            page.reload().await?;
            page.by_test_id("section-housing").await?;
            page.by_test_id("question-housing_lift_works").await?;
            // Whom to call, from the offices kept on the phone.
            page.by_test_id("footer-office-link").await?;
            page.check_a11y("the answering page, reloaded offline").await?;

            // Back online, the brand link leads to the whole app's start page, which
            // the server sends; Back returns to the survey.
            server.lock().await.restart().await?;
            page.script::<Value>("document.querySelector('a.brand').click(); return null")
                .await?;
            page.wait_for("the whole app's start page", || async {
                let home: bool = page
                    .script(
                        "return location.pathname === '/' && !!document.querySelector('[data-testid=menu-button]')
                           && performance.getEntriesByType('resource').some((e) => /frontend_bg-[0-9a-f]+\\.wasm$/.test(e.name))",
                    )
                    .await?;
                Ok(home.then_some(()))
            })
            .await?;
            page.check_a11y("the start page after the survey").await?;
            page.driver().back().await?;
            page.by_test_id("section-housing").await?;
            let url = page.driver().current_url().await?;
            ensure!(url.path() == format!("/s/{survey}"), "Back went to {url}");
            Ok(())
        },
    )
    .await
}
