//! The app's frame: it starts, speaks German first, adapts to the reader, and is accessible.

use anyhow::{Context, ensure};
use e2e::{DESKTOP, PHONE, run};
use shared::{HealthDto, TextSize, Theme};

const TITLE_DE: &str = "Willkommen in Ihrem Quartier";
const TITLE_EN: &str = "Welcome to your neighbourhood";

#[tokio::test]
async fn home_page_renders_in_german_on_a_phone() -> anyhow::Result<()> {
    run(
        "home_page_renders_in_german_on_a_phone",
        PHONE,
        |page| async move {
            page.goto("/").await?;
            page.wait_text("page-title", TITLE_DE).await?;
            ensure!(
                page.html_attr("lang").await?.as_deref() == Some("de"),
                "<html lang> is not de"
            );
            page.assert_no_horizontal_scroll().await
        },
    )
    .await
}

#[tokio::test]
async fn home_page_renders_on_a_desktop() -> anyhow::Result<()> {
    run(
        "home_page_renders_on_a_desktop",
        DESKTOP,
        |page| async move {
            page.goto("/").await?;
            page.wait_text("page-title", TITLE_DE).await?;
            page.assert_no_horizontal_scroll().await
        },
    )
    .await
}

#[tokio::test]
async fn english_is_one_click_away_and_remembered() -> anyhow::Result<()> {
    run(
        "english_is_one_click_away_and_remembered",
        PHONE,
        |page| async move {
            page.goto("/").await?;
            page.choose_setting("lang-en").await?;
            page.wait_text("page-title", TITLE_EN).await?;
            page.wait_html_attr("lang", "en").await?;
            page.check_a11y("home in English").await?;

            page.reload().await?;
            page.wait_text("page-title", TITLE_EN).await?;
            page.wait_html_attr("lang", "en").await?;

            page.choose_setting("lang-de").await?;
            page.wait_text("page-title", TITLE_DE).await?;
            page.wait_html_attr("lang", "de").await
        },
    )
    .await
}

#[tokio::test]
async fn larger_text_enlarges_the_text_and_is_remembered() -> anyhow::Result<()> {
    run(
        "larger_text_enlarges_the_text_and_is_remembered",
        PHONE,
        |page| async move {
            page.goto("/").await?;
            page.wait_html_attr("data-text-size", TextSize::Normal.as_str())
                .await?;
            let normal = page.font_size_px("page-title").await?;

            page.choose_setting(&format!("text-size-{}", TextSize::Large.as_str()))
                .await?;
            page.wait_html_attr("data-text-size", TextSize::Large.as_str())
                .await?;
            let large = page.font_size_px("page-title").await?;
            ensure!(
                large > normal,
                "large text: heading {large} px, not larger than {normal} px"
            );

            page.choose_setting(&format!("text-size-{}", TextSize::ExtraLarge.as_str()))
                .await?;
            page.wait_html_attr("data-text-size", TextSize::ExtraLarge.as_str())
                .await?;
            let extra_large = page.font_size_px("page-title").await?;
            ensure!(
                extra_large > large,
                "extra large text: heading {extra_large} px, not larger than {large} px"
            );
            page.check_a11y("home with extra large text").await?;
            page.assert_no_horizontal_scroll().await?;

            page.reload().await?;
            page.wait_html_attr("data-text-size", TextSize::ExtraLarge.as_str())
                .await?;
            let after_reload = page.font_size_px("page-title").await?;
            ensure!(
                (after_reload - extra_large).abs() < 0.5,
                "after a reload the heading is {after_reload} px instead of {extra_large} px"
            );
            Ok(())
        },
    )
    .await
}

#[tokio::test]
async fn text_at_200_percent_needs_no_sideways_scrolling() -> anyhow::Result<()> {
    run(
        "text_at_200_percent_needs_no_sideways_scrolling",
        PHONE,
        |page| async move {
            page.goto("/").await?;
            let before = page.font_size_px("page-title").await?;
            page.set_text_zoom(200).await?;
            let after = page.font_size_px("page-title").await?;
            // The heading must follow the reader's text size (rem, not px), if not exactly.
            ensure!(
                after >= before * 1.5,
                "at 200 % text the heading grew only from {before} px to {after} px"
            );
            page.assert_no_horizontal_scroll().await?;
            page.check_a11y("home with text at 200 %").await
        },
    )
    .await
}

#[tokio::test]
async fn high_contrast_theme_is_accessible() -> anyhow::Result<()> {
    run(
        "high_contrast_theme_is_accessible",
        PHONE,
        |page| async move {
            page.goto("/").await?;
            page.choose_setting("theme-toggle").await?;
            page.wait_html_attr("data-theme", Theme::HighContrast.as_str())
                .await?;
            page.check_a11y("home in high contrast").await?;

            page.choose_setting("theme-toggle").await?;
            page.wait_html_attr("data-theme", Theme::Standard.as_str())
                .await
        },
    )
    .await
}

#[tokio::test]
async fn about_page_shows_the_server_status_to_admins() -> anyhow::Result<()> {
    run(
        "about_page_shows_the_server_status_to_admins",
        PHONE,
        |page| async move {
            let health: HealthDto = reqwest::get(page.url("/api/v1/health"))
                .await?
                .error_for_status()?
                .json()
                .await
                .context("reading /api/v1/health")?;

            page.goto("/login").await?;
            page.fill("login-form", "email", "admin@demo.quartier.example")
                .await?;
            page.fill("login-form", "password", "quartier-demo").await?;
            page.click_in("login-form", "submit").await?;
            page.by_test_id("signed-in-as").await?;
            page.click_nav("nav-about").await?;
            page.wait_for("the about page's server version", || async {
                let version = page.text("about-version").await?;
                Ok(version.contains(&health.version).then_some(()))
            })
            .await?;
            page.wait_text("about-status", "Alles in Ordnung").await?;
            page.wait_text("about-database", "SQLite").await?;
            ensure!(
                page.driver().current_url().await?.path() == "/about",
                "the about link did not lead to /about"
            );
            page.check_a11y("about page").await?;

            page.choose_setting("lang-en").await?;
            page.wait_text("about-status", "Everything is fine").await
        },
    )
    .await
}

#[tokio::test]
async fn unknown_path_shows_a_not_found_page() -> anyhow::Result<()> {
    run(
        "unknown_path_shows_a_not_found_page",
        PHONE,
        |page| async move {
            // The server answers every unknown path with the app, which then says "not found".
            let shell = reqwest::get(page.url("/"))
                .await?
                .error_for_status()?
                .text()
                .await?;
            let response = reqwest::get(page.url("/gibt-es-nicht")).await?;
            ensure!(
                response.status().is_success(),
                "/gibt-es-nicht answered {}",
                response.status()
            );
            let body = response.text().await?;
            ensure!(
                body == shell,
                "/gibt-es-nicht is not answered with the app's index.html"
            );

            page.goto("/gibt-es-nicht").await?;
            page.by_test_id("not-found").await?;
            page.wait_text("page-title", "Seite nicht gefunden").await
        },
    )
    .await
}

#[tokio::test]
async fn first_tab_reaches_the_skip_link() -> anyhow::Result<()> {
    run(
        "first_tab_reaches_the_skip_link",
        PHONE,
        |page| async move {
            page.goto("/").await?;
            page.press_tab().await?;
            let focused = page.focused().await?;
            ensure!(
                focused.tag == "a" && focused.href.as_deref().is_some_and(|h| h.starts_with('#')),
                "the first Tab focused {focused:?}, not the skip link"
            );
            ensure!(
                focused.visible,
                "the focused skip link is not visible: {focused:?}"
            );
            let target = focused.href.unwrap_or_default();
            let target_exists: bool = page
                .script_with(
                    "return !!document.getElementById(arguments[0])",
                    vec![serde_json::json!(target.trim_start_matches('#'))],
                )
                .await?;
            ensure!(
                target_exists,
                "the skip link points to {target}, which does not exist"
            );
            Ok(())
        },
    )
    .await
}
