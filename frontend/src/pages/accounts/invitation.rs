use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::{
    ErrorCode,
    accounts::{AcceptInvitationRequest, PRIVACY_NOTICE_VERSION},
};

use crate::{
    api,
    auth::use_auth,
    components::{
        PageTitle, PrivacyNotice,
        form::{CheckboxField, Checks, FormFeedback, FormState, SubmitButton, TextField},
    },
    prefs::use_texts,
};

/// A new manager, invited by an admin, sets a password and agrees to the privacy notice.
/// The code comes with the link (`/invitation/ABCD-EFGH`, filled in) or is typed in at
/// `/invitation`, as the admin read it out on the phone.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let navigate = use_navigate();
    let params = use_params_map();
    let form = FormState::new();
    let code = RwSignal::new(params.with_untracked(|p| p.get("code")).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let consent = RwSignal::new(false);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut checks = Checks::default();
        checks.required("code", &code.get_untracked());
        checks.new_password("password", &password.get_untracked());
        checks.add(
            "accept_privacy_notice",
            (!consent.get_untracked()).then_some("required"),
        );
        if !form.start(checks.into_vec()) {
            return;
        }
        let request = AcceptInvitationRequest {
            code: code.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            accept_privacy_notice: consent.get_untracked(),
            privacy_notice_version: PRIVACY_NOTICE_VERSION.to_owned(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::accept_invitation(&request).await {
                Ok(session) => {
                    form.done();
                    auth.start_new_account(session);
                    navigate("/", Default::default());
                }
                Err(error) if error.code() == Some(ErrorCode::Conflict) => {
                    form.fail_text(|t| t.invitation.email_taken);
                }
                Err(error) => form.fail(error),
            }
        });
    };

    view! {
        <PageTitle text=move || t().invitation.title />
        <p class="lead">{move || t().invitation.intro}</p>
        <form class="form" data-testid="invitation-form" novalidate on:submit=submit>
            <FormFeedback form />
            <TextField
                form
                testid="code"
                label=|t| t.invitation.code
                hint=|t| t.invitation.code_hint
                value=code
                autocomplete="one-time-code"
                required=true
            />
            <TextField
                form
                testid="password"
                label=|t| t.invitation.password
                hint=|t| t.register.password_hint
                value=password
                input_type="password"
                autocomplete="new-password"
                required=true
            />
            <PrivacyNotice />
            <CheckboxField
                form
                testid="consent"
                label=|t| t.privacy.consent
                checked=consent
                required=true
            />
            <SubmitButton form label=|t| t.invitation.submit />
        </form>
    }
}
