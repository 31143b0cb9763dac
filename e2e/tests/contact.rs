//! The neighbourhood office's contact details (issue 13, finding 7): anyone finds the
//! office's telephone number — on the about page, in the footer, next to "call your
//! office" — on a small phone with large text; the about page no longer shows server
//! internals to residents; an admin changes the opening hours and everyone sees them.
//! axe-core checks every page visited (in `goto`) and the form with its errors.

use anyhow::ensure;
use e2e::{LargeText, PHONE, Page, run};

const DEMO_PASSWORD: &str = "quartier-demo";
/// The demo office's number (`backend/src/demo.rs`), as shown and as dialled.
const PHONE_SHOWN: &str = "030 23125 456";
const PHONE_URI: &str = "tel:+493023125456";

/// 320 px and 390 px wide, normal and extra large app text.
const SIZES: [LargeText; 4] = [
    LargeText {
        name: "320×640, normal text",
        width: 320,
        height: 640,
        app_text_size: "normal",
        browser_font_px: 16,
    },
    LargeText {
        name: "320×640, extra large text",
        width: 320,
        height: 640,
        app_text_size: "extra_large",
        browser_font_px: 16,
    },
    LargeText {
        name: "390×844, normal text",
        width: 390,
        height: 844,
        app_text_size: "normal",
        browser_font_px: 16,
    },
    LargeText {
        name: "390×844, extra large text",
        width: 390,
        height: 844,
        app_text_size: "extra_large",
        browser_font_px: 16,
    },
];

/// The `tel:` link `test_id` shows the office's number, and at every size in [`SIZES`]
/// the page does not scroll sideways, its heading is on the first screen and the link
/// is inside the screen, tall enough to tap.
async fn check_phone_link(page: &Page, test_id: &str) -> anyhow::Result<()> {
    let link = page.by_test_id(test_id).await?;
    ensure!(
        link.attr("href").await?.as_deref() == Some(PHONE_URI),
        "{test_id} dials {:?}",
        link.attr("href").await?
    );
    let shown = page.text(test_id).await?;
    ensure!(shown == PHONE_SHOWN, "{test_id} shows {shown:?}");
    let mut failures = Vec::new();
    for size in &SIZES {
        let layout = page.layout_with(size).await?;
        failures.extend(
            layout
                .problems()
                .into_iter()
                .map(|p| format!("{}: {p}", size.name)),
        );
        let (right, height): (f64, f64) = page
            .script_with(
                "const r = document.querySelector(`[data-testid='${arguments[0]}']`).getBoundingClientRect();
                 return [r.right, r.height];",
                vec![serde_json::json!(test_id)],
            )
            .await?;
        if right > f64::from(size.width) + 0.5 {
            failures.push(format!(
                "{}: {test_id} ends at {right} px, off the screen",
                size.name
            ));
        }
        if height < 24.0 {
            failures.push(format!("{}: {test_id} is only {height} px tall", size.name));
        }
    }
    page.restore_layout().await?;
    ensure!(failures.is_empty(), "{}", failures.join("\n"));
    Ok(())
}

#[tokio::test]
async fn anyone_finds_the_office_and_its_number_on_a_phone() -> anyhow::Result<()> {
    run(
        "anyone_finds_the_office_and_its_number_on_a_phone",
        PHONE,
        |page| async move {
            page.goto("/about").await?;
            page.wait_text("office-name", "Quartiersbüro Musterstadt")
                .await?;
            let address = page.text("office-address").await?;
            ensure!(address.contains("12345 Musterstadt"), "address {address:?}");
            let hours = page.text("office-hours").await?;
            ensure!(
                hours.contains("Montag bis Donnerstag"),
                "opening hours {hours:?}"
            );
            ensure!(
                page.exists("office-legal").await?,
                "no legal notice (Impressum)"
            );
            check_phone_link(&page, "office-phone").await?;
            // Server internals are for admins (and /api/v1/health), not for residents.
            ensure!(
                !page.exists("about-system").await?,
                "the server's health is shown"
            );
            let text: String = page.script("return document.body.innerText").await?;
            ensure!(
                !text.contains("SQLite") && !text.contains("m2026"),
                "the about page shows server internals"
            );

            // The footer of every page, and the sign-in page's "call your office".
            check_phone_link(&page, "footer-office-link").await?;
            page.goto("/login").await?;
            check_phone_link(&page, "login-office-link").await?;

            // In English the office's opening hours are its English text.
            page.goto("/about").await?;
            page.choose_setting("lang-en").await?;
            page.wait_for("the English opening hours", || async {
                Ok(page
                    .text("office-hours")
                    .await?
                    .contains("Monday")
                    .then_some(()))
            })
            .await?;
            page.check_a11y("about page in English").await
        },
    )
    .await
}

#[tokio::test]
async fn an_admin_changes_the_opening_hours_and_everyone_sees_them() -> anyhow::Result<()> {
    run(
        "an_admin_changes_the_opening_hours_and_everyone_sees_them",
        PHONE,
        |page| async move {
            page.goto("/login").await?;
            page.fill("login-form", "email", "admin@demo.quartier.example")
                .await?;
            page.fill("login-form", "password", DEMO_PASSWORD).await?;
            page.click_in("login-form", "submit").await?;
            page.by_test_id("signed-in-as").await?;

            page.click_nav("nav-admin-office").await?;
            page.by_test_id("office-form").await?;
            page.check_a11y("the office's contact form").await?;

            // A wrong postcode: named next to its field, and nothing is saved.
            page.fill("office-form", "postcode", "1234").await?;
            page.fill(
                "office-form",
                "opening-hours-de",
                "Montag bis Freitag 8 bis 13 Uhr",
            )
            .await?;
            page.click_in("office-form", "submit").await?;
            page.by_test_id("form-error").await?;
            let invalid = page.within("office-form", "postcode").await?;
            ensure!(
                invalid.attr("aria-invalid").await?.as_deref() == Some("true"),
                "the postcode is not marked invalid"
            );
            page.check_a11y("the office's contact form with an error")
                .await?;

            page.fill("office-form", "postcode", "12345").await?;
            page.click_in("office-form", "submit").await?;
            page.by_test_id("form-success").await?;

            page.click("office-see-about").await?;
            page.wait_for("the new opening hours on the about page", || async {
                let hours = page.text("office-hours").await?;
                Ok(hours
                    .contains("Montag bis Freitag 8 bis 13 Uhr")
                    .then_some(()))
            })
            .await?;
            // Admins see the server's health here.
            page.by_test_id("about-status").await?;
            page.check_a11y("about page for an admin").await?;

            // And so does everyone else, without signing in.
            page.click_nav("logout").await?;
            page.by_test_id("nav-login").await?;
            page.goto("/about").await?;
            let hours = page.text("office-hours").await?;
            ensure!(
                hours.contains("Montag bis Freitag 8 bis 13 Uhr"),
                "hours {hours:?}"
            );
            Ok(())
        },
    )
    .await
}
