//! The staff pages of a survey at phone size: access codes with their CSV and the
//! letters to print, a paper questionnaire typed in with the keyboard only, and the
//! results it changes. axe-core checks every page visited (in `goto`).

use anyhow::{Context, ensure};
use e2e::{PHONE, Page, run};
use shared::{
    SessionDto,
    accounts::{LoginRequest, Uuid},
    surveys::{SurveyStatus, SurveySummaryDto},
};
use thirtyfour::{Key, TypingData};

const MANAGER: &str = "manager@demo.quartier.example";
const DEMO_PASSWORD: &str = "quartier-demo";

async fn sign_in(page: &Page) -> anyhow::Result<()> {
    page.goto("/login").await?;
    page.fill("login-form", "email", MANAGER).await?;
    page.fill("login-form", "password", DEMO_PASSWORD).await?;
    page.click_in("login-form", "submit").await?;
    page.by_test_id("signed-in-as").await?;
    Ok(())
}

/// The demo's open survey, found through the API as the manager.
async fn open_survey(page: &Page) -> anyhow::Result<Uuid> {
    let client = reqwest::Client::new();
    let session: SessionDto = client
        .post(page.url("/api/v1/auth/login"))
        .json(&LoginRequest {
            email: MANAGER.into(),
            password: DEMO_PASSWORD.into(),
        })
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let surveys: Vec<SurveySummaryDto> = client
        .get(page.url("/api/v1/surveys"))
        .bearer_auth(&session.access_token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    surveys
        .into_iter()
        .find(|s| s.status == SurveyStatus::Open)
        .map(|s| s.id)
        .context("the demo has no open survey")
}

/// Presses keys on whatever has the focus, as a person at the keyboard does.
async fn keys(page: &Page, keys: impl Into<TypingData>) -> anyhow::Result<()> {
    page.driver()
        .action_chain()
        .send_keys(keys)
        .perform()
        .await
        .context("pressing keys")
}

/// `data-testid` (or else `id`) of the focused element.
async fn focused_id(page: &Page) -> anyhow::Result<String> {
    page.script(
        "const e = document.activeElement;
         return e.getAttribute('data-testid') || e.id || e.tagName.toLowerCase();",
    )
    .await
}

#[tokio::test]
async fn a_manager_makes_access_codes_and_prints_letters() -> anyhow::Result<()> {
    run(
        "a_manager_makes_access_codes_and_prints_letters",
        PHONE,
        |page| async move {
            let survey = open_survey(&page).await?;
            sign_in(&page).await?;
            page.goto(&format!("/manager/surveys/{survey}/codes")).await?;

            // The first quarter is chosen; the demo has 4 unused codes there.
            let quarter: String = page
                .script("return document.querySelector('[data-testid=codes-quarter]').value")
                .await?;
            let row = format!("code-counts-{quarter}");
            page.by_test_id(&row).await?;
            let before: u64 = page.within(&row, "generated").await?.text().await?.parse()?;

            // A count out of range is explained next to the field.
            page.fill("codes-form", "codes-count", "0").await?;
            page.click_in("codes-form", "codes-submit").await?;
            page.by_test_id("field-error-codes-count").await?;
            page.check_a11y("codes form with an error").await?;

            page.fill("codes-form", "codes-count", "3").await?;
            page.click_in("codes-form", "codes-submit").await?;
            page.by_test_id("codes-result").await?;
            ensure!(
                page.text("codes-once").await?.contains("nur jetzt"),
                "the page does not say that the codes are shown only once"
            );

            // Three letters, each with its code in large letters, a QR image and the URL.
            let letters: Vec<(String, String)> = page
                .script(
                    "return [...document.querySelectorAll('[data-testid=letter]')].map(l => [
                        l.querySelector('[data-testid=letter-code]').innerText.trim(),
                        l.querySelector('[data-testid=letter-url]').innerText.trim()])",
                )
                .await?;
            ensure!(letters.len() == 3, "{} letters", letters.len());
            for (code, url) in &letters {
                let plain = code.replace('-', "");
                ensure!(
                    code.len() == 9 && plain.chars().all(|c| c.is_ascii_alphanumeric()),
                    "code {code:?}"
                );
                ensure!(
                    url.contains(&format!("/s/{survey}")) && url.contains(code.as_str()),
                    "url {url:?} of {code}"
                );
            }
            page.wait_for("the QR codes to show", || async {
                let shown: bool = page
                    .script(
                        "const imgs = [...document.querySelectorAll('[data-testid=letter-qr]')];
                         return imgs.length === 3 && imgs.every(i => i.complete && i.naturalWidth > 0
                             && i.src.startsWith('data:image/svg+xml') && i.alt.length > 0)",
                    )
                    .await?;
                Ok(shown.then_some(()))
            })
            .await?;
            page.check_a11y("codes with letters").await?;
            page.assert_no_horizontal_scroll().await?;

            // The CSV for the mail merge: a download named after survey and quarter.
            let link = page.by_test_id("codes-csv").await?;
            let name = link.attr("download").await?.unwrap_or_default();
            ensure!(
                name.starts_with("zugangscodes-gut-aelter-werden") && name.ends_with(".csv"),
                "file name {name:?}"
            );
            // The page's CSP (`connect-src 'self'`) keeps scripts from reading a `blob:`
            // URL, so the test checks the link; the CSV's text is the server's (API tests).
            let href = link.attr("href").await?.unwrap_or_default();
            ensure!(href.starts_with("blob:"), "the CSV is not offered as a file: {href:?}");

            // The counts now include the new codes.
            page.wait_for("the counts to include the new codes", || async {
                let now: u64 = page.within(&row, "generated").await?.text().await?.parse()?;
                Ok((now == before + 3).then_some(()))
            })
            .await?;

            // Printed, each letter is a sheet of its own and the page around them is left out.
            let print_rules: Vec<String> = page
                .script(
                    "return [...document.styleSheets].flatMap(s => [...s.cssRules])
                        .filter(r => r.media && r.media.mediaText === 'print')
                        .flatMap(r => [...r.cssRules])
                        .filter(r => r.style.breakAfter === 'page' || r.style.display === 'none')
                        .map(r => r.selectorText)",
                )
                .await?;
            ensure!(
                print_rules.iter().any(|r| r == ".letter")
                    && print_rules.iter().any(|r| r.contains(".site-header")),
                "print rules {print_rules:?}"
            );
            Ok(())
        },
    )
    .await
}

#[tokio::test]
async fn a_manager_types_in_a_paper_questionnaire_with_the_keyboard() -> anyhow::Result<()> {
    run(
        "a_manager_types_in_a_paper_questionnaire_with_the_keyboard",
        PHONE,
        |page| async move {
            let survey = open_survey(&page).await?;
            sign_in(&page).await?;

            // The paper responses so far (the demo has several dozen): fewer than all.
            page.goto(&format!("/manager/surveys/{survey}/results"))
                .await?;
            let all: u64 = page.text("results-total").await?.parse()?;
            let paper_total = || async {
                let text = page.text("results-total").await?;
                anyhow::Ok(text.parse::<u64>().ok())
            };
            page.by_test_id("results-channel")
                .await?
                .send_keys("Papier")
                .await?;
            let before = page
                .wait_for("the paper total", || async {
                    Ok(paper_total().await?.filter(|n| *n < all))
                })
                .await?;
            ensure!(before >= 5, "the demo has only {before} paper responses");
            page.check_a11y("results for paper").await?;
            page.assert_no_horizontal_scroll().await?;

            page.goto(&format!("/manager/surveys/{survey}/entry"))
                .await?;
            page.by_test_id("entry-form").await?;
            ensure!(
                page.script::<bool>(
                    "return document.querySelector('[data-testid=entry-channel-paper]').checked"
                )
                .await?,
                "paper is not the channel to start with"
            );

            // Saving an empty questionnaire names the required questions.
            page.click("entry-save").await?;
            page.by_test_id("form-error").await?;
            page.by_test_id("question-error-housing_lift").await?;
            page.check_a11y("entry with errors").await?;

            // From here on only keys: a select takes the first letters of an option.
            page.by_test_id("entry-quarter")
                .await?
                .send_keys("Garten")
                .await?;
            keys(&page, Key::Enter).await?;
            ensure!(
                focused_id(&page).await? == "entry-age-band",
                "Enter did not move to the age band"
            );
            keys(&page, "85").await?;
            keys(&page, Key::Enter).await?;
            // 1. How well does your home suit you: the first radio, chosen with Space.
            ensure!(
                focused_id(&page).await? == "option-housing_fit-1",
                "at {}",
                focused_id(&page).await?
            );
            keys(&page, Key::Down).await?;
            keys(&page, Key::Down).await?;
            keys(&page, Key::Enter).await?;
            // 2. A lift: yes. The follow-up question appears and is next.
            keys(&page, " ").await?;
            keys(&page, Key::Enter).await?;
            ensure!(
                focused_id(&page).await? == "option-housing_lift_works-yes",
                "the follow-up question is not next: {}",
                focused_id(&page).await?
            );
            keys(&page, Key::Enter).await?;
            // 4. Steps: a number.
            ensure!(
                focused_id(&page).await? == "number-housing_stairs",
                "at {}",
                focused_id(&page).await?
            );
            keys(&page, "12").await?;
            keys(&page, Key::Enter).await?;
            // 5. How do you get around: on foot (a checkbox, Space).
            ensure!(
                focused_id(&page).await? == "option-transport_used-walk",
                "at {}",
                focused_id(&page).await?
            );
            keys(&page, " ").await?;
            // On through the optional questions to the free text.
            let mut steps = 0;
            loop {
                keys(&page, Key::Enter).await?;
                steps += 1;
                let at = focused_id(&page).await?;
                if at == "text-wish" {
                    break;
                }
                ensure!(
                    steps < 40 && at != "entry-save",
                    "Enter never reached the free text (at {at})"
                );
            }
            keys(&page, "Eine Bank vor der Apotheke am Lindenplatz").await?;
            keys(&page, Key::Enter).await?;
            ensure!(
                focused_id(&page).await? == "entry-save",
                "Enter did not reach the save button"
            );
            keys(&page, Key::Enter).await?;

            page.wait_text("entry-saved", "Gespeichert (1 in dieser Sitzung).")
                .await?;
            // Empty again, ready for the next questionnaire, the channel kept.
            page.wait_for("the focus on the first field", || async {
                Ok((focused_id(&page).await? == "entry-quarter").then_some(()))
            })
            .await?;
            let (stairs, wish, paper): (String, String, bool) = page
                .script(
                    "return [document.querySelector('[data-testid=number-housing_stairs]').value,
                             document.querySelector('[data-testid=text-wish]').value,
                             document.querySelector('[data-testid=entry-channel-paper]').checked]",
                )
                .await?;
            ensure!(
                stairs.is_empty() && wish.is_empty(),
                "the form was not cleared"
            );
            ensure!(paper, "the channel was not kept");
            ensure!(!page.exists("form-error").await?, "an error is still shown");

            // The results for paper count it, and show its words.
            page.goto(&format!("/manager/surveys/{survey}/results"))
                .await?;
            page.by_test_id("results-total").await?;
            page.by_test_id("results-channel")
                .await?
                .send_keys("Papier")
                .await?;
            page.wait_for("the new paper response in the results", || async {
                Ok((paper_total().await? == Some(before + 1)).then_some(()))
            })
            .await?;
            let texts = page.text("results-texts").await?;
            ensure!(
                texts.contains("Eine Bank vor der Apotheke am Lindenplatz"),
                "the free text is not listed: {texts:?}"
            );
            ensure!(
                !page.text("results-by-channel").await?.is_empty(),
                "no totals by channel"
            );
            Ok(())
        },
    )
    .await
}
