//! Neighbourly help at phone size (issue 15): a volunteer signs up and offers help,
//! a manager confirms them, a resident asks for shopping help in three steps, the
//! volunteer sees why it fits and says yes, the resident confirms, both then see how
//! to reach each other (not before), the task is done, and a manager takes a phoned
//! request and proposes the volunteer, then shares out a second one with the batch
//! proposal. On the way: the resident's start page tells her of the volunteer's yes, and
//! the agreed appointment is offered as a calendar file. axe-core checks every page
//! visited (`goto`) and the states that appear on them.

use anyhow::{Context, ensure};
use e2e::{PHONE, Page, run};
use serde_json::json;

const DEMO_PASSWORD: &str = "quartier-demo";
const MANAGER: &str = "manager@demo.quartier.example";
const RESIDENT: &str = "erna@demo.quartier.example";
const VOLUNTEER: &str = "paul@example.de";
const VOLUNTEER_PASSWORD: &str = "Gießkanne-Lindenhof-42";

async fn sign_in(page: &Page, email: &str, password: &str) -> anyhow::Result<()> {
    page.goto("/login").await?;
    page.fill("login-form", "email", email).await?;
    page.fill("login-form", "password", password).await?;
    page.click_in("login-form", "submit").await?;
    page.by_test_id("signed-in-as").await?;
    Ok(())
}

async fn sign_out(page: &Page) -> anyhow::Result<()> {
    page.click_nav("logout").await?;
    page.by_test_id("nav-login").await?;
    Ok(())
}

/// Chooses the option of a `<select>` whose text contains `text`.
async fn choose(page: &Page, test_id: &str, text: &str) -> anyhow::Result<()> {
    let value: Option<String> = page
        .script_with(
            "const s = document.querySelector(`[data-testid='${arguments[0]}']`);
             const o = s && [...s.options].find(o => o.text.includes(arguments[1]));
             return o ? o.value : null;",
            vec![json!(test_id), json!(text)],
        )
        .await?;
    let value = value.with_context(|| format!("no option {text:?} in {test_id}"))?;
    page.set_value(&format!("[data-testid='{test_id}']"), &value)
        .await
}

/// Tomorrow as `YYYY-MM-DD` and its weekday as the offer form's value (`monday`, …).
fn tomorrow() -> (String, String) {
    let day = time::OffsetDateTime::now_utc().date() + time::Duration::days(1);
    (day.to_string(), day.weekday().to_string().to_lowercase())
}

/// The first request card (inside `list`) whose text contains `text`: its status.
async fn card_status(page: &Page, list: &str, text: &str) -> anyhow::Result<Option<String>> {
    page.script_with(
        "const cards = [...document.querySelectorAll(`[data-testid='${arguments[0]}'] [data-testid=help-request]`)];
         const card = cards.find(c => c.innerText.includes(arguments[1]));
         return card ? card.dataset.status : null;",
        vec![json!(list), json!(text)],
    )
    .await
}

async fn wait_status(page: &Page, list: &str, text: &str, status: &str) -> anyhow::Result<()> {
    page.wait_for(&format!("the request in {list} to be {status}"), || async {
        Ok((card_status(page, list, text).await?.as_deref() == Some(status)).then_some(()))
    })
    .await
}

/// Clicks `button` on the request card in `list` that contains `text`.
async fn click_on_card(page: &Page, list: &str, text: &str, button: &str) -> anyhow::Result<()> {
    let clicked: bool = page
        .script_with(
            "const cards = [...document.querySelectorAll(`[data-testid='${arguments[0]}'] [data-testid=help-request]`)];
             const card = cards.find(c => c.innerText.includes(arguments[1]));
             const b = card && card.querySelector(`[data-testid='${arguments[2]}']`);
             if (!b) return false;
             b.scrollIntoView({block: 'center'});
             b.click();
             return true;",
            vec![json!(list), json!(text), json!(button)],
        )
        .await?;
    ensure!(clicked, "no {button} on the request {text:?} in {list}");
    Ok(())
}

/// The text of `part` on the card in `list` that contains `text` (None: not there).
async fn card_part(
    page: &Page,
    list: &str,
    text: &str,
    part: &str,
) -> anyhow::Result<Option<String>> {
    page.script_with(
        "const cards = [...document.querySelectorAll(`[data-testid='${arguments[0]}'] [data-testid=help-request]`)];
         const card = cards.find(c => c.innerText.includes(arguments[1]));
         const p = card && card.querySelector(`[data-testid='${arguments[2]}']`);
         return p ? p.innerText : null;",
        vec![json!(list), json!(text), json!(part)],
    )
    .await
}

const SHOPPING: &str = "Wocheneinkauf beim Supermarkt, zwei Taschen";
const PHONED: &str = "Rezept aus der Apotheke abholen";
const PHONED_TOO: &str = "Getränkekisten in den dritten Stock";

#[tokio::test]
async fn neighbours_help_from_offer_to_done_and_a_phoned_request_is_proposed() -> anyhow::Result<()>
{
    run(
        "neighbours_help_from_offer_to_done_and_a_phoned_request_is_proposed",
        PHONE,
        |page| async move {
            let (day, weekday) = tomorrow();

            // A volunteer signs up, living in Gartenstadt.
            page.goto("/register").await?;
            page.fill("register-form", "email", VOLUNTEER).await?;
            page.fill("register-form", "password", VOLUNTEER_PASSWORD).await?;
            page.fill("register-form", "display-name", "Paul Pohl").await?;
            choose(&page, "home-quarter", "Gartenstadt").await?;
            page.click_in("register-form", "volunteer").await?;
            page.click_in("register-form", "consent").await?;
            page.click_in("register-form", "submit").await?;
            page.by_test_id("signed-in-as").await?;

            // Their offer: shopping, tomorrow's weekday 10–12, their own quarter.
            page.goto("/help/offer").await?;
            page.by_test_id("offer-not-verified").await?;
            // Nothing chosen yet: the form says what is missing and changes nothing.
            page.click_in("offer-form", "submit").await?;
            page.by_test_id("field-error-categories").await?;
            page.check_a11y("offer with an error").await?;
            page.click_in("offer-form", "category-shopping").await?;
            page.click_in("offer-form", "add-slot").await?;
            page.set_value("[data-testid=slot-day]", &weekday).await?;
            // Three tasks a week: the story gives him three.
            page.fill("offer-form", "max-tasks", "3").await?;
            page.click_in("offer-form", "submit").await?;
            page.wait_for("the offer to be saved", || async {
                let saved: bool = page
                    .script("return !!document.querySelector('.notice--success')")
                    .await?;
                Ok(saved.then_some(()))
            })
            .await?;
            page.check_a11y("offer saved").await?;
            page.assert_no_horizontal_scroll().await?;

            // Not confirmed yet: counts only.
            page.goto("/help/volunteer").await?;
            page.by_test_id("board-not-verified").await?;
            sign_out(&page).await?;

            // The manager confirms Paul at the help desk.
            sign_in(&page, MANAGER, DEMO_PASSWORD).await?;
            page.goto("/manager/help").await?;
            page.wait_for("Paul among the volunteers to confirm", || async {
                let found: bool = page
                    .script(
                        "const rows = [...document.querySelectorAll('[data-testid=volunteer]')];
                         const row = rows.find(r => r.innerText.includes('Paul Pohl'));
                         if (!row) return false;
                         row.querySelector('[data-testid=verify]').click();
                         return true;",
                    )
                    .await?;
                Ok(found.then_some(()))
            })
            .await?;
            page.wait_for("Paul to be confirmed", || async {
                let waiting: bool = page
                    .script("return document.body.innerText.includes('Paul Pohl')")
                    .await?;
                Ok((!waiting).then_some(()))
            })
            .await?;
            sign_out(&page).await?;

            // Erna asks for shopping help in three steps.
            sign_in(&page, RESIDENT, DEMO_PASSWORD).await?;
            page.goto("/help").await?;
            page.click("ask-link").await?;
            page.by_test_id("ask-form").await?;
            ensure!(page.text("ask-step").await?.contains("1 von 3"), "not on step 1");
            // Next without a choice: an error, still step 1.
            page.click_in("ask-form", "next").await?;
            page.by_test_id("field-error-category").await?;
            page.check_a11y("asking, step 1 with an error").await?;
            page.click_in("ask-form", "category-shopping").await?;
            page.click_in("ask-form", "next").await?;
            page.fill("ask-form", "details", SHOPPING).await?;
            page.click_in("ask-form", "next").await?;
            ensure!(page.text("ask-step").await?.contains("3 von 3"), "not on step 3");
            page.set_value("[data-testid=date]", &day).await?;
            page.check_a11y("asking, step 3").await?;
            page.assert_no_horizontal_scroll().await?;
            page.click_in("ask-form", "submit").await?;
            page.by_test_id("page-notice").await?;
            wait_status(&page, "help-mine", SHOPPING, "open").await?;
            page.check_a11y("my requests").await?;
            sign_out(&page).await?;

            // Paul sees it with the reasons why it fits, and says yes.
            sign_in(&page, VOLUNTEER, VOLUNTEER_PASSWORD).await?;
            page.goto("/help/volunteer").await?;
            wait_status(&page, "fitting", SHOPPING, "open").await?;
            let reasons = card_part(&page, "fitting", SHOPPING, "reasons")
                .await?
                .unwrap_or_default();
            ensure!(
                reasons.contains("kann am") && reasons.contains("10:00 bis 12:00"),
                "the reasons do not say when it fits: {reasons:?}"
            );
            ensure!(
                card_part(&page, "fitting", SHOPPING, "help-contact").await?.is_none(),
                "an open request shows a contact"
            );
            click_on_card(&page, "fitting", SHOPPING, "act-accept").await?;
            wait_status(&page, "tasks", SHOPPING, "accepted").await?;
            // Not agreed by both yet: no contact.
            ensure!(
                card_part(&page, "tasks", SHOPPING, "help-contact").await?.is_none(),
                "the volunteer sees the contact before the resident agreed"
            );
            page.check_a11y("volunteer's task, accepted").await?;
            sign_out(&page).await?;

            // Erna's start page says so, until she marks it read.
            sign_in(&page, RESIDENT, DEMO_PASSWORD).await?;
            page.goto("/").await?;
            page.by_test_id("news").await?;
            let news: String = page
                .script("return document.querySelector('[data-testid=news-item][data-unread=true]')?.innerText ?? ''")
                .await?;
            ensure!(
                news.contains("Jemand hat zugesagt") && news.contains("Einkaufen"),
                "the news of Paul's yes: {news:?}"
            );
            page.check_a11y("start page with news").await?;
            page.assert_no_horizontal_scroll().await?;
            page.click("news-read").await?;
            page.wait_for("the news to be read", || async {
                let unread: bool = page
                    .script("return !!document.querySelector('[data-testid=news-item][data-unread=true]')")
                    .await?;
                Ok((!unread).then_some(()))
            })
            .await?;

            // Erna sees who is coming, confirms, and then sees how to reach Paul.
            page.goto("/help").await?;
            wait_status(&page, "help-mine", SHOPPING, "accepted").await?;
            let coming = card_part(&page, "help-mine", SHOPPING, "help-volunteer")
                .await?
                .unwrap_or_default();
            ensure!(coming.contains("Paul Pohl"), "who is coming: {coming:?}");
            ensure!(
                card_part(&page, "help-mine", SHOPPING, "help-contact").await?.is_none(),
                "the resident sees the contact before confirming"
            );
            click_on_card(&page, "help-mine", SHOPPING, "act-confirm").await?;
            wait_status(&page, "help-mine", SHOPPING, "confirmed").await?;
            let contact = card_part(&page, "help-mine", SHOPPING, "help-contact")
                .await?
                .unwrap_or_default();
            ensure!(contact.contains("Paul Pohl"), "the resident's contact: {contact:?}");
            page.check_a11y("my request, confirmed").await?;
            // The appointment goes into her phone's calendar: the file the button offers.
            page.capture_downloads().await?;
            click_on_card(&page, "help-mine", SHOPPING, "help-calendar").await?;
            let saved = page.downloaded("the calendar file").await?;
            ensure!(
                saved.contains("BEGIN:VEVENT")
                    && saved.contains("SUMMARY:Nachbarschaftshilfe: Einkaufen")
                    && saved.contains("DTSTART;TZID=Europe/Berlin:")
                    && saved.contains("Paul Pohl"),
                "the calendar file: {saved}"
            );
            sign_out(&page).await?;

            // Paul sees Erna's contact, and marks the task done.
            sign_in(&page, VOLUNTEER, VOLUNTEER_PASSWORD).await?;
            page.goto("/help/volunteer").await?;
            wait_status(&page, "tasks", SHOPPING, "confirmed").await?;
            let contact = card_part(&page, "tasks", SHOPPING, "help-contact")
                .await?
                .unwrap_or_default();
            ensure!(contact.contains("Erna Schmidt"), "the volunteer's contact: {contact:?}");
            click_on_card(&page, "tasks", SHOPPING, "act-done").await?;
            wait_status(&page, "tasks", SHOPPING, "done").await?;
            sign_out(&page).await?;

            // A manager takes a call and proposes Paul.
            sign_in(&page, MANAGER, DEMO_PASSWORD).await?;
            page.goto("/manager/help").await?;
            page.fill("phone-form", "caller-name", "Herr Albers").await?;
            page.fill("phone-form", "caller-phone", "0421 123456").await?;
            page.fill("phone-form", "details", PHONED).await?;
            page.set_value("[data-testid=phone-form] [data-testid=date]", &day).await?;
            choose(&page, "quarter", "Gartenstadt").await?;
            page.click_in("phone-form", "submit").await?;
            wait_status(&page, "desk-requests", PHONED, "open").await?;
            let caller = card_part(&page, "desk-requests", PHONED, "help-caller")
                .await?
                .unwrap_or_default();
            ensure!(caller.contains("Herr Albers"), "the caller: {caller:?}");
            click_on_card(&page, "desk-requests", PHONED, "show-suggestions").await?;
            page.wait_for("Paul among the suggestions", || async {
                let found: bool = page
                    .script_with(
                        "const cards = [...document.querySelectorAll('[data-testid=desk-requests] [data-testid=help-request]')];
                         const card = cards.find(c => c.innerText.includes(arguments[0]));
                         const s = card && [...card.querySelectorAll('[data-testid=suggestion]')]
                             .find(s => s.innerText.includes('Paul Pohl'));
                         return !!s && s.innerText.includes('kann am');",
                        vec![json!(PHONED)],
                    )
                    .await?;
                Ok(found.then_some(()))
            })
            .await?;
            page.check_a11y("help desk with suggestions").await?;
            click_on_card(&page, "desk-requests", PHONED, "propose").await?;
            wait_status(&page, "desk-requests", PHONED, "proposed").await?;
            page.assert_no_horizontal_scroll().await?;

            // A second call, shared out with all open requests at once.
            page.fill("phone-form", "caller-name", "Frau Kuhn").await?;
            page.fill("phone-form", "caller-phone", "0421 654321").await?;
            page.fill("phone-form", "details", PHONED_TOO).await?;
            page.set_value("[data-testid=phone-form] [data-testid=date]", &day).await?;
            choose(&page, "quarter", "Gartenstadt").await?;
            page.click_in("phone-form", "submit").await?;
            wait_status(&page, "desk-requests", PHONED_TOO, "open").await?;
            page.click("batch-compute").await?;
            page.wait_for("Paul for Frau Kuhn in the batch", || async {
                let found: bool = page
                    .script(
                        "return [...document.querySelectorAll('[data-testid=batch-pair]')]
                             .some(p => p.innerText.includes('Frau Kuhn') && p.innerText.includes('Paul Pohl'));",
                    )
                    .await?;
                Ok(found.then_some(()))
            })
            .await?;
            let summary = page.text("batch-summary").await?;
            ensure!(summary.contains("Der Reihe nach"), "the batch's comparison: {summary:?}");
            page.check_a11y("help desk with the batch proposal").await?;
            page.assert_no_horizontal_scroll().await?;
            page.click("batch-apply").await?;
            let applied = page.text("batch-applied").await?;
            ensure!(applied.contains("1 vorgeschlagen"), "after proposing all: {applied:?}");
            wait_status(&page, "desk-requests", PHONED_TOO, "proposed").await?;
            Ok(())
        },
    )
    .await
}
