//! Accounts as people use them, at phone size: sign up, sign in and out, the profile,
//! a manager's invitation, and a reset code read out on the phone. axe-core checks
//! every page visited (in `goto`) and the forms with their error messages shown.

use anyhow::ensure;
use e2e::{PHONE, Page, run};

const DEMO_PASSWORD: &str = "quartier-demo";

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

#[tokio::test]
async fn a_resident_signs_up_on_a_phone() -> anyhow::Result<()> {
    run("a_resident_signs_up_on_a_phone", PHONE, |page| async move {
        page.goto("/register").await?;
        // Sending the empty form shows errors next to the fields, announced and accessible.
        page.click_in("register-form", "submit").await?;
        page.by_test_id("form-error").await?;
        page.check_a11y("registration with errors").await?;

        page.fill("register-form", "email", "hilde@example.de").await?;
        page.fill("register-form", "password", "Sonnenblume-Kirchplatz-7").await?;
        page.fill("register-form", "display-name", "Hilde Krause").await?;
        page.click_in("register-form", "consent").await?;
        page.click_in("register-form", "submit").await?;
        let who = page.signed_in_as().await?;
        ensure!(who.contains("Hilde Krause"), "signed in as {who:?}");
        page.assert_no_horizontal_scroll().await?;

        // The session survives a reload (refresh cookie, no token in storage).
        page.reload().await?;
        page.by_test_id("signed-in-as").await?;
        let stored: bool = page
            .script("return Object.keys(localStorage).some(k => /token|refresh/i.test(k + localStorage.getItem(k)))")
            .await?;
        ensure!(!stored, "a token was put into localStorage");
        sign_out(&page).await?;
        page.reload().await?;
        ensure!(!page.exists("signed-in-as").await?, "still signed in after logout");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_wrong_password_is_explained_and_the_right_one_works() -> anyhow::Result<()> {
    run(
        "a_wrong_password_is_explained_and_the_right_one_works",
        PHONE,
        |page| async move {
            page.goto("/login").await?;
            page.fill("login-form", "email", "erna@demo.quartier.example")
                .await?;
            page.fill("login-form", "password", "falsches-passwort")
                .await?;
            page.click_in("login-form", "submit").await?;
            page.by_test_id("form-error").await?;
            page.check_a11y("login with error").await?;
            sign_in(&page, "erna@demo.quartier.example", DEMO_PASSWORD).await
        },
    )
    .await
}

#[tokio::test]
async fn a_resident_changes_the_profile_and_deletes_the_account() -> anyhow::Result<()> {
    run(
        "a_resident_changes_the_profile_and_deletes_the_account",
        PHONE,
        |page| async move {
            sign_in(&page, "resident@demo.quartier.example", DEMO_PASSWORD).await?;
            page.click_nav("nav-profile").await?;
            page.by_test_id("profile-form").await?;
            page.check_a11y("profile").await?;
            page.fill("profile-form", "display-name", "Ruth R.").await?;
            page.click_in("profile-form", "submit").await?;
            page.by_test_id("form-success").await?;
            page.reload().await?;
            page.wait_for("the new name", || async {
                Ok(page.signed_in_as().await?.contains("Ruth R.").then_some(()))
            })
            .await?;

            // The data download is the person's own data, with the name just saved.
            page.capture_downloads().await?;
            page.click("export").await?;
            let file = page.downloaded("the data file").await?;
            let data: serde_json::Value = serde_json::from_str(&file)?;
            ensure!(
                data["account"]["display_name"] == "Ruth R."
                    && data["account"]["email"] == "resident@demo.quartier.example",
                "the data file holds the person's profile: {file}"
            );

            // Registration promised the volunteer choice can be changed later.
            page.wait_text("volunteer-status", "Sie helfen im Moment nicht als Freiwillige oder Freiwilliger mit.").await?;
            page.click("volunteer-switch").await?;
            page.by_test_id("form-success").await?;
            page.wait_for("the volunteer role", || async {
                Ok(page.text("profile-roles").await?.contains("Hilft in der Nachbarschaft").then_some(()))
            })
            .await?;
            page.by_test_id("volunteer-offer-link").await?;
            page.check_a11y("profile, now a volunteer").await?;
            page.reload().await?;
            page.wait_text("volunteer-status", "Sie helfen anderen in der Nachbarschaft.").await?;
            page.click("volunteer-switch").await?;
            page.wait_text("volunteer-status", "Sie helfen im Moment nicht als Freiwillige oder Freiwilliger mit.").await?;
            ensure!(!page.text("profile-roles").await?.contains("Hilft"));

            // The own data as a page to read and print, beside the file.
            page.click("my-data-link").await?;
            page.wait_text("page-title", "Meine Daten").await?;
            page.wait_text("my-data-name", "Ruth R.").await?;
            let access = page.text("my-data-access-list").await?;
            ensure!(!access.contains('{'), "raw data on the page: {access}");
            page.by_test_id("my-data-print").await?;
            page.check_a11y("my data").await?;
            page.click("my-data-back").await?;
            page.by_test_id("delete-start").await?;

            // Deleting looks like what it is and asks first.
            ensure!(!page.exists("delete-form").await?, "the password field is there before asking");
            let colour: String = page
                .script("return getComputedStyle(document.querySelector('[data-testid=delete-start]')).backgroundColor")
                .await?;
            ensure!(colour == "rgb(179, 38, 30)", "the delete button is not red: {colour}");
            page.click("delete-start").await?;
            page.wait_for("the question to take the focus", || async {
                let focused: Option<String> = page
                    .script("return document.activeElement.getAttribute('data-testid')")
                    .await?;
                Ok((focused.as_deref() == Some("delete-question")).then_some(()))
            })
            .await?;
            page.check_a11y("delete: are you sure?").await?;
            page.click("delete-cancel").await?;
            ensure!(!page.exists("delete-form").await?, "cancel kept the form");
            page.click("delete-start").await?;
            page.fill("delete-form", "password", DEMO_PASSWORD).await?;
            page.click_in("delete-form", "delete-confirm").await?;
            page.by_test_id("nav-login").await?;

            // The account is gone: signing in fails.
            page.goto("/login").await?;
            page.fill("login-form", "email", "resident@demo.quartier.example")
                .await?;
            page.fill("login-form", "password", DEMO_PASSWORD).await?;
            page.click_in("login-form", "submit").await?;
            page.by_test_id("form-error").await?;
            Ok(())
        },
    )
    .await
}

#[tokio::test]
async fn an_admin_adds_a_quarter_and_invites_a_manager() -> anyhow::Result<()> {
    run("an_admin_adds_a_quarter_and_invites_a_manager", PHONE, |page| async move {
        sign_in(&page, "admin@demo.quartier.example", DEMO_PASSWORD).await?;
        page.goto("/admin/quarters").await?;
        page.fill("quarter-form", "quarter-name", "Hafenviertel").await?;
        page.fill("quarter-form", "population-total", "2000").await?;
        page.fill("quarter-form", "population-under-50", "1000").await?;
        page.fill("quarter-form", "population-50-64", "400").await?;
        page.fill("quarter-form", "population-65-74", "300").await?;
        page.fill("quarter-form", "population-75-84", "200").await?;
        page.fill("quarter-form", "population-85", "100").await?;
        page.click_in("quarter-form", "submit").await?;
        page.wait_for("the new quarter in the list", || async {
            let rows: Vec<String> = page
                .script("return [...document.querySelectorAll('[data-testid=quarter-row]')].map(e => e.textContent)")
                .await?;
            Ok(rows.iter().any(|r| r.contains("Hafenviertel")).then_some(()))
        })
        .await?;
        page.check_a11y("quarters with the new one").await?;
        // Figures as Germans write them, and the demo quarters described in German.
        let rows: Vec<String> = page
            .script("return [...document.querySelectorAll('[data-testid=quarter-row]')].map(e => e.innerText)")
            .await?;
        let row = |name: &str| rows.iter().find(|r| r.contains(name)).cloned().unwrap_or_default();
        ensure!(row("Hafenviertel").contains("2.000"), "{:?}", row("Hafenviertel"));
        let altstadt = row("Altstadt-Nord");
        ensure!(altstadt.contains("4.200") && altstadt.contains("Historische Altstadt"), "{altstadt:?}");
        page.choose_setting("lang-en").await?;
        page.wait_for("English figures: 4,200", || async {
            let populations: Vec<String> = page
                .script("return [...document.querySelectorAll('[data-testid=quarter-population]')].map(e => e.innerText)")
                .await?;
            Ok(populations.iter().any(|p| p == "4,200").then_some(()))
        })
        .await?;
        page.choose_setting("lang-de").await?;
        page.wait_html_attr("lang", "de").await?;

        page.goto("/admin/managers").await?;
        page.by_test_id("manager-row").await?;
        page.fill("invite-form", "email", "nina@example.de").await?;
        page.fill("invite-form", "display-name", "Nina Neu").await?;
        page.driver()
            .find(thirtyfour::By::Css("[data-testid='invite-form'] input[type=checkbox]"))
            .await?
            .click()
            .await?;
        page.click_in("invite-form", "submit").await?;
        let link = page.text("invitation-link").await?;
        ensure!(link.contains("/invitation/"), "invitation link {link:?}");
        // The code is shown where the admin is looking: it takes the focus.
        page.wait_for("the result to take the focus", || async {
            let focused: Option<String> = page
                .script("return document.activeElement.getAttribute('data-testid')")
                .await?;
            Ok((focused.as_deref() == Some("invitation-result-title")).then_some(()))
        })
        .await?;
        // A code to read out on the phone: ABCD-EFGH, no look-alikes.
        let code = page.text("invitation-code").await?;
        ensure!(
            code.len() == 9
                && code.chars().enumerate().all(|(i, c)| if i == 4 {
                    c == '-'
                } else {
                    "ACDEFGHJKMNPQRTUVWXY34679".contains(c)
                }),
            "invitation code {code:?}"
        );
        ensure!(link.ends_with(&code), "the link {link:?} carries the code {code:?}");
        page.check_a11y("invitation shown").await?;
        sign_out(&page).await?;

        // Told the code on the phone: from the sign-in page to the invitation page,
        // typed as heard. A wrong code first.
        page.goto("/login").await?;
        page.click("login-invitation").await?;
        page.wait_text("page-title", "Einladung annehmen").await?;
        page.fill("invitation-form", "code", "aaaa aaaa").await?;
        page.fill("invitation-form", "password", "Lavendel-Marktstrasse-19").await?;
        page.click_in("invitation-form", "consent").await?;
        page.click_in("invitation-form", "submit").await?;
        page.by_test_id("form-error").await?;
        page.check_a11y("invitation with a wrong code").await?;
        let typed = code.to_lowercase().replace('-', "");
        page.fill("invitation-form", "code", &typed).await?;
        page.click_in("invitation-form", "submit").await?;
        let who = page.signed_in_as().await?;
        ensure!(who.contains("Nina Neu"), "signed in as {who:?}");
        page.by_test_id("nav-manager-residents").await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_manager_gives_a_reset_code_that_lets_a_resident_back_in() -> anyhow::Result<()> {
    run(
        "a_manager_gives_a_reset_code_that_lets_a_resident_back_in",
        PHONE,
        |page| async move {
            sign_in(&page, "manager@demo.quartier.example", DEMO_PASSWORD).await?;
            page.goto("/manager/residents").await?;
            // Erna's row: the demo data puts every resident in Gartenstadt, a managed quarter.
            let row = page
                .wait_for("Erna in the list", || async {
                    let rows = page
                        .driver()
                        .find_all(thirtyfour::By::Css("[data-testid='resident-row']"))
                        .await?;
                    for row in rows {
                        if row.text().await?.contains("Erna") {
                            return Ok(Some(row));
                        }
                    }
                    Ok(None)
                })
                .await?;
            row.find(thirtyfour::By::Css("[data-testid='reset-code-button']"))
                .await?
                .click()
                .await?;
            let code = page.text("reset-code").await?;
            ensure!(code.len() >= 8, "reset code {code:?}");
            page.check_a11y("reset code shown").await?;
            sign_out(&page).await?;

            page.goto("/reset-password").await?;
            page.fill("reset-form", "email", "erna@demo.quartier.example")
                .await?;
            page.fill("reset-form", "code", &code).await?;
            page.fill("reset-form", "new-password", "Holunderbusch-Feldweg-3")
                .await?;
            page.click_in("reset-form", "submit").await?;
            page.by_test_id("form-success").await?;
            sign_in(
                &page,
                "erna@demo.quartier.example",
                "Holunderbusch-Feldweg-3",
            )
            .await
        },
    )
    .await
}
