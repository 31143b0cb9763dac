//! A manager builds a survey at phone size: from the template, with a show-if
//! condition, an invalid edit explained, saved, previewed as residents see it, and
//! opened. axe-core checks every page visited (in `goto`) and the editor's states.

use anyhow::ensure;
use e2e::{PHONE, Page, run};
use thirtyfour::prelude::*;

const DEMO_PASSWORD: &str = "quartier-demo";
const TITLE: &str = "Gut älter werden in der Nordstadt";

async fn sign_in(page: &Page, email: &str) -> anyhow::Result<()> {
    page.goto("/login").await?;
    page.fill("login-form", "email", email).await?;
    page.fill("login-form", "password", DEMO_PASSWORD).await?;
    page.click_in("login-form", "submit").await?;
    page.by_test_id("signed-in-as").await?;
    Ok(())
}

/// Picks the option with `value` in the `<select>` with this test id, as a person
/// would with the keyboard or a tap.
async fn choose(page: &Page, select: &str, value: &str) -> anyhow::Result<()> {
    let element = page.by_test_id(select).await?;
    element.scroll_into_view().await?;
    element
        .find(By::Css(format!("option[value='{value}']")))
        .await?
        .click()
        .await?;
    page.wait_for(&format!("{select} = {value}"), || async {
        let now = page.by_test_id(select).await?.prop("value").await?;
        Ok((now.as_deref() == Some(value)).then_some(()))
    })
    .await
}

#[tokio::test]
async fn a_manager_builds_previews_and_opens_a_survey() -> anyhow::Result<()> {
    run(
        "a_manager_builds_previews_and_opens_a_survey",
        PHONE,
        |page| async move {
            sign_in(&page, "manager@demo.quartier.example").await?;
            page.by_test_id("nav-manager-surveys").await?;
            page.goto("/manager/surveys").await?;
            page.click("new-from-age_friendly").await?;
            page.by_test_id("survey-form").await?;
            ensure!(
                page.text("page-notice").await?.contains("angelegt"),
                "no word that the survey was created"
            );
            page.check_a11y("survey editor").await?;

            // The stairs question (section 1, question 4) is shown only without a lift.
            page.click("s0-q3-show_if-add").await?;
            choose(&page, "f-s0-q3-show_if-rules-0", "housing_lift").await?;
            choose(&page, "f-s0-q3-show_if-rules-0-op", "equals").await?;
            choose(&page, "f-s0-q3-show_if-rules-0-value", "no").await?;

            // A survey without a title is refused here, before anything is sent, and
            // the error is next to the field and in the summary.
            page.fill("survey-form", "title-de", "").await?;
            page.click_in("survey-form", "save").await?;
            page.by_test_id("form-error").await?;
            page.by_test_id("error-title").await?;
            let invalid = page.by_test_id("title-de").await?.attr("aria-invalid").await?;
            ensure!(invalid.as_deref() == Some("true"), "title not marked invalid");
            let focused: bool = page
                .script("return document.activeElement?.dataset.testid === 'form-error'")
                .await?;
            ensure!(focused, "the error summary did not take the focus");
            page.check_a11y("survey editor with an error").await?;

            page.fill("survey-form", "title-de", TITLE).await?;
            page.click_in("survey-form", "save").await?;
            page.by_test_id("form-success").await?;
            ensure!(!page.exists("form-error").await?, "errors after a good save");

            // The preview is the answering page: the first section as residents see
            // it, with the new condition at work.
            page.click("preview-open").await?;
            page.click_in("preview", "survey-start").await?;
            page.within("preview", "section-housing").await?;
            page.within("preview", "question-housing_lift").await?;
            ensure!(
                !page.exists("question-housing_stairs").await?,
                "the stairs question shows before the lift is answered"
            );
            page.click_in("preview", "option-housing_lift-no").await?;
            page.within("preview", "question-housing_stairs").await?;
            page.check_a11y("survey preview").await?;
            page.assert_no_horizontal_scroll().await?;
            page.click("preview-back").await?;

            page.click("status-open").await?;
            page.click_in("confirm", "confirm-yes").await?;
            page.wait_text("editor-status", "Läuft").await?;

            // Stored: the condition is there after a reload.
            page.reload().await?;
            let question = page
                .by_test_id("f-s0-q3-show_if-rules-0")
                .await?
                .prop("value")
                .await?;
            ensure!(
                question.as_deref() == Some("housing_lift"),
                "condition not stored: {question:?}"
            );

            page.goto("/manager/surveys").await?;
            // The list shows once the session is checked and the surveys have come.
            let status: String = page
                .wait_for("the survey in the list", || async {
                    page.script_with(
                        "const row = [...document.querySelectorAll('[data-testid=survey-row]')]
                            .find(r => r.querySelector('[data-testid=survey-link]').textContent.trim() === arguments[0]);
                         return row ? row.querySelector('[data-testid=survey-status]').textContent.trim() : null",
                        vec![serde_json::json!(TITLE)],
                    )
                    .await
                })
                .await?;
            ensure!(status == "Läuft", "survey list shows {status:?}");
            Ok(())
        },
    )
    .await
}
