use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use leptos_router::components::A;
use shared::accounts::ResetPasswordRequest;

use crate::{
    api,
    components::{
        OfficePhones, PageTitle,
        form::{Checks, FormFeedback, FormState, SubmitButton, TextField},
    },
    prefs::use_texts,
};

/// A new password with the code the neighbourhood office read out on the phone.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let t = use_texts();
    let form = FormState::new();
    let email = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut checks = Checks::default();
        checks.email("email", &email.get_untracked());
        checks.required("code", &code.get_untracked());
        checks.new_password("new_password", &new_password.get_untracked());
        if !form.start(checks.into_vec()) {
            return;
        }
        let request = ResetPasswordRequest {
            email: email.get_untracked().trim().to_owned(),
            code: code.get_untracked().trim().to_owned(),
            new_password: new_password.get_untracked(),
        };
        spawn_local(async move {
            match api::reset_password(&request).await {
                Ok(()) => {
                    code.set(String::new());
                    new_password.set(String::new());
                    form.succeed(|t| t.reset.success);
                }
                Err(error) => form.fail(error),
            }
        });
    };

    view! {
        <PageTitle text=move || t().reset.title />
        <p class="lead">{move || t().reset.intro}</p>
        <OfficePhones testid="reset-office" />
        <form class="form" data-testid="reset-form" novalidate on:submit=submit>
            <FormFeedback form />
            <TextField
                form
                testid="email"
                label=|t| t.reset.email
                value=email
                input_type="email"
                autocomplete="email"
                inputmode="email"
                required=true
            />
            <TextField
                form
                testid="code"
                label=|t| t.reset.code
                hint=|t| t.reset.code_hint
                value=code
                autocomplete="one-time-code"
                required=true
            />
            <TextField
                form
                testid="new-password"
                label=|t| t.reset.new_password
                hint=|t| t.register.password_hint
                value=new_password
                input_type="password"
                autocomplete="new-password"
                required=true
            />
            <SubmitButton form label=|t| t.reset.submit />
        </form>
        <p>
            <A href="/login">{move || t().reset.login_link}</A>
        </p>
    }
}
