use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_navigate};
use shared::accounts::{PRIVACY_NOTICE_VERSION, RegisterRequest};

use super::{Carried, carry_first_paint, parse_quarter, quarter_options};
use crate::{
    api,
    auth::use_auth,
    components::{
        PageTitle, PrivacyNotice,
        form::{
            CheckboxField, Checks, FormFeedback, FormState, SelectField, SubmitButton, TextField,
            conflict_on,
        },
    },
    prefs::{use_prefs, use_texts},
};

/// Residents (and volunteers) sign up themselves, agreeing to the privacy notice.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let prefs = use_prefs();
    let navigate = use_navigate();
    let form = FormState::new();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let home_quarter = RwSignal::new(String::new());
    let volunteer = RwSignal::new(false);
    let consent = RwSignal::new(false);
    let quarters = LocalResource::new(api::quarters);

    let send = move || {
        let mut checks = Checks::default();
        checks.email("email", &email.get_untracked());
        checks.new_password("password", &password.get_untracked());
        checks.required("display_name", &display_name.get_untracked());
        checks.add(
            "accept_privacy_notice",
            (!consent.get_untracked()).then_some("required"),
        );
        if !form.start(checks.into_vec()) {
            return;
        }
        let request = RegisterRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            display_name: display_name.get_untracked().trim().to_owned(),
            language: prefs.language.get_untracked(),
            home_quarter_id: parse_quarter(&home_quarter.get_untracked()),
            volunteer: volunteer.get_untracked(),
            accept_privacy_notice: consent.get_untracked(),
            privacy_notice_version: PRIVACY_NOTICE_VERSION.to_owned(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::register(&request).await {
                Ok(session) => {
                    form.done();
                    auth.start_new_account(session);
                    navigate("/", Default::default());
                }
                Err(error) => form.fail(conflict_on(error, "email")),
            }
        });
    };
    carry_first_paint(
        "first-paint-register-form",
        vec![
            ("first-paint-new-email", "email", Carried::Text(email)),
            ("first-paint-new-password", "password", Carried::Text(password)),
            ("first-paint-display-name", "display-name", Carried::Text(display_name)),
            ("first-paint-home-quarter", "home-quarter", Carried::Text(home_quarter)),
            ("first-paint-volunteer", "volunteer", Carried::Checked(volunteer)),
            ("first-paint-consent", "consent", Carried::Checked(consent)),
        ],
        send.clone(),
    );
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        send();
    };

    let options = move || {
        let none = t().forms.no_choice;
        quarters
            .get()
            .and_then(Result::ok)
            .map(|list| quarter_options(none, &list))
            .unwrap_or_else(|| quarter_options(none, &[]))
    };

    view! {
        <PageTitle text=move || t().register.title />
        <p class="lead">{move || t().register.intro}</p>
        <form class="form" data-testid="register-form" novalidate on:submit=submit>
            <FormFeedback form />
            <TextField
                form
                testid="email"
                label=|t| t.register.email
                hint=|t| t.register.email_hint
                value=email
                input_type="email"
                autocomplete="email"
                inputmode="email"
                required=true
            />
            <TextField
                form
                testid="password"
                label=|t| t.register.password
                hint=|t| t.register.password_hint
                value=password
                input_type="password"
                autocomplete="new-password"
                required=true
            />
            <TextField
                form
                testid="display-name"
                label=|t| t.register.display_name
                hint=|t| t.register.display_name_hint
                value=display_name
                autocomplete="name"
                required=true
            />
            <SelectField
                form
                testid="home-quarter"
                label=|t| t.register.home_quarter
                hint=|t| t.register.home_quarter_hint
                optional=true
                value=home_quarter
                on_change=move |v| home_quarter.set(v)
                options
            />
            <CheckboxField
                form
                testid="volunteer"
                label=|t| t.register.volunteer
                hint=|t| t.register.volunteer_hint
                checked=volunteer
            />
            <PrivacyNotice />
            <CheckboxField
                form
                testid="consent"
                label=|t| t.privacy.consent
                checked=consent
                required=true
            />
            <SubmitButton form label=|t| t.register.submit />
        </form>
        <p>
            {move || t().register.have_account}
            " "
            <A href="/login">{move || t().register.login_link}</A>
        </p>
    }
}
