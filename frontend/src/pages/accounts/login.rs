use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_query_map},
};
use shared::{ErrorCode, accounts::LoginRequest};

use super::{Carried, carry_first_paint};
use crate::{
    api,
    auth::use_auth,
    components::{
        OfficePhones, PageTitle,
        form::{Checks, FormFeedback, FormState, SubmitButton, TextField},
    },
    prefs::use_texts,
};

/// Sign in with email and password; then on to the page that asked for it.
#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let navigate = use_navigate();
    let query = use_query_map();
    let form = FormState::new();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());

    let send = move || {
        let mut checks = Checks::default();
        checks.required("email", &email.get_untracked());
        checks.required("password", &password.get_untracked());
        if !form.start(checks.into_vec()) {
            return;
        }
        let request = LoginRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        let next = after_login(query.with_untracked(|q| q.get("next")).as_deref()).to_owned();
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::login(&request).await {
                Ok(session) => {
                    form.done();
                    auth.sign_in(session);
                    navigate(&next, Default::default());
                }
                Err(error) if error.code() == Some(ErrorCode::Unauthenticated) => {
                    form.fail_text(|t| t.login.wrong_credentials);
                }
                Err(error) => form.fail(error),
            }
        });
    };
    carry_first_paint(
        "first-paint-login-form",
        vec![
            ("first-paint-email", "email", Carried::Text(email)),
            ("first-paint-password", "password", Carried::Text(password)),
        ],
        send.clone(),
    );
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        send();
    };

    view! {
        <PageTitle text=move || t().login.title />
        <form class="form" data-testid="login-form" novalidate on:submit=submit>
            <FormFeedback form />
            <TextField
                form
                testid="email"
                label=|t| t.login.email
                value=email
                input_type="email"
                autocomplete="email"
                inputmode="email"
                required=true
            />
            <TextField
                form
                testid="password"
                label=|t| t.login.password
                value=password
                input_type="password"
                autocomplete="current-password"
                required=true
            />
            <SubmitButton form label=|t| t.login.submit />
        </form>
        <p>
            {move || t().login.forgot}
            " "
            <A href="/reset-password">{move || t().login.forgot_link}</A>
        </p>
        <OfficePhones testid="login-office" />
        <p>
            {move || t().login.no_account}
            " "
            <A href="/register">{move || t().login.register_link}</A>
        </p>
        <p>
            <A href="/invitation" attr:data-testid="login-invitation">{move || t().login.invitation_link}</A>
        </p>
    }
}

/// Where to go after signing in: the `next` page, if it is one of ours; else the account.
fn after_login(next: Option<&str>) -> &str {
    match next {
        // "//host" and "/\host" would leave the site.
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path
        }
        _ => "/",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_own_pages_are_followed() {
        assert_eq!(after_login(Some("/admin/quarters")), "/admin/quarters");
        assert_eq!(after_login(None), "/");
        assert_eq!(after_login(Some("https://evil.example")), "/");
        assert_eq!(after_login(Some("//evil.example")), "/");
        assert_eq!(after_login(Some("/\\evil.example")), "/");
    }
}
