use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_navigate};
use shared::{
    AgeBand, ErrorCode, Role,
    accounts::{ChangePasswordRequest, DeleteAccountRequest, UpdateProfileRequest},
};

use super::{parse_quarter, quarter_options};
use crate::{
    api,
    auth::use_auth,
    components::{
        PageTitle, RequireRole,
        form::{Checks, FormFeedback, FormState, SelectField, SubmitButton, TextField},
    },
    prefs::use_texts,
};

/// The own account: details and preferences, password, download, deletion.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let t = use_texts();
    view! {
        <PageTitle text=move || t().profile.title />
        <RequireRole>
            <ProfileDetails />
            <VolunteerSection />
            <PasswordSection />
            <ExportSection />
            <DeleteSection />
        </RequireRole>
    }
}

#[component]
fn ProfileDetails() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let form = FormState::new();
    let user = auth.user_untracked();
    let initial = |f: fn(&shared::MeDto) -> String| user.as_ref().map(f).unwrap_or_default();
    let display_name = RwSignal::new(initial(|u| u.display_name.clone()));
    let home_quarter = RwSignal::new(initial(|u| {
        u.home_quarter_id
            .map(|id| id.to_string())
            .unwrap_or_default()
    }));
    let age_band = RwSignal::new(initial(|u| {
        u.age_band
            .map(|b| b.as_str().to_owned())
            .unwrap_or_default()
    }));
    let phone = RwSignal::new(initial(|u| u.phone.clone().unwrap_or_default()));
    let quarters = LocalResource::new(api::quarters);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut checks = Checks::default();
        checks.required("display_name", &display_name.get_untracked());
        if !form.start(checks.into_vec()) {
            return;
        }
        let phone = phone.get_untracked().trim().to_owned();
        let request = UpdateProfileRequest {
            display_name: Some(display_name.get_untracked().trim().to_owned()),
            // Language and text size are the header's settings, saved when chosen.
            language: None,
            text_size: None,
            home_quarter_id: Some(parse_quarter(&home_quarter.get_untracked())),
            age_band: Some(AgeBand::parse(&age_band.get_untracked())),
            phone: Some((!phone.is_empty()).then_some(phone)),
            volunteer: None,
        };
        spawn_local(async move {
            match api::update_me(auth, &request).await {
                Ok(user) => {
                    auth.set_user(user);
                    form.succeed(|t| t.profile.saved);
                }
                Err(error) => form.fail(error),
            }
        });
    };

    let email = user.as_ref().map(|u| u.email.clone()).unwrap_or_default();
    let roles = move || {
        auth.user()
            .map(|u| {
                u.roles
                    .iter()
                    .map(|g| t().roles.label(g.role))
                    .fold(Vec::<&str>::new(), |mut all, label| {
                        if !all.contains(&label) {
                            all.push(label);
                        }
                        all
                    })
                    .join(", ")
            })
            .unwrap_or_default()
    };
    let quarter_choices = move || {
        let none = t().forms.no_choice;
        quarters
            .get()
            .and_then(Result::ok)
            .map(|list| quarter_options(none, &list))
            .unwrap_or_else(|| {
                // Until the list is there, keep the current choice selectable.
                let mut options = quarter_options(none, &[]);
                let current = home_quarter.get_untracked();
                if !current.is_empty() {
                    options.push((current.clone(), current));
                }
                options
            })
    };
    let band_choices = move || {
        std::iter::once((String::new(), t().forms.no_choice.to_owned()))
            .chain(
                AgeBand::ALL
                    .into_iter()
                    .map(|b| (b.as_str().to_owned(), t().age_bands.label(b).to_owned())),
            )
            .collect()
    };

    view! {
        <section aria-labelledby="details-title">
            <h2 id="details-title">{move || t().profile.details_title}</h2>
            <dl class="facts">
                <div class="facts__row">
                    <dt>{move || t().profile.email}</dt>
                    <dd data-testid="profile-email">{email}</dd>
                </div>
                <div class="facts__row">
                    <dt>{move || t().profile.roles}</dt>
                    <dd data-testid="profile-roles">{roles}</dd>
                </div>
            </dl>
            <form class="form" data-testid="profile-form" novalidate on:submit=submit>
                <FormFeedback form />
                <TextField
                    form
                    testid="display-name"
                    label=|t| t.profile.display_name
                    value=display_name
                    autocomplete="name"
                    required=true
                />
                <SelectField
                    form
                    testid="home-quarter"
                    label=|t| t.profile.home_quarter
                    optional=true
                    value=home_quarter
                    on_change=move |v| home_quarter.set(v)
                    options=quarter_choices
                />
                <SelectField
                    form
                    testid="age-band"
                    label=|t| t.profile.age_band
                    hint=|t| t.profile.age_band_hint
                    optional=true
                    value=age_band
                    on_change=move |v| age_band.set(v)
                    options=band_choices
                />
                <TextField
                    form
                    testid="phone"
                    label=|t| t.profile.phone
                    hint=|t| t.profile.phone_hint
                    optional=true
                    value=phone
                    input_type="tel"
                    autocomplete="tel"
                    inputmode="tel"
                />
                <SubmitButton form label=|t| t.profile.save />
            </form>
        </section>
    }
}

/// Offering neighbourly help, or no longer: the choice registration promised could be
/// changed later. For residents; staff accounts do not see it.
#[component]
fn VolunteerSection() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let form = FormState::new();
    let is_volunteer = move || auth.has_role(Role::Volunteer);
    let switch = move |_| {
        if !form.start(Vec::new()) {
            return;
        }
        let start = !auth.has_role(Role::Volunteer);
        let request = UpdateProfileRequest {
            volunteer: Some(start),
            ..Default::default()
        };
        spawn_local(async move {
            match api::update_me(auth, &request).await {
                Ok(user) => {
                    auth.set_user(user);
                    if start {
                        form.succeed(|t| t.profile.volunteer_started);
                    } else {
                        form.succeed(|t| t.profile.volunteer_stopped);
                    }
                }
                Err(error) => form.fail(error),
            }
        });
    };
    // A memo: a changed role list re-renders the section only if residency changes,
    // so the switch keeps the keyboard focus when it is pressed.
    let resident = Memo::new(move |_| auth.has_role(Role::Resident));
    move || {
        resident.get().then(|| {
            view! {
                <section aria-labelledby="volunteer-title" data-testid="volunteer-section">
                    <h2 id="volunteer-title">{move || t().profile.volunteer_title}</h2>
                    <FormFeedback form />
                    <p data-testid="volunteer-status">
                        {move || if is_volunteer() { t().profile.volunteer_on } else { t().profile.volunteer_off }}
                    </p>
                    {move || is_volunteer().then(|| view! {
                        <p><A href="/help/offer" attr:data-testid="volunteer-offer-link">{move || t().profile.volunteer_offer_link}</A></p>
                        <p class="field__hint">{move || t().profile.volunteer_stop_hint}</p>
                    })}
                    <button
                        type="button"
                        class="button button--secondary"
                        data-testid="volunteer-switch"
                        disabled=move || form.is_pending()
                        on:click=switch
                    >
                        {move || if is_volunteer() { t().profile.volunteer_stop } else { t().profile.volunteer_start }}
                    </button>
                </section>
            }
        })
    }
}

#[component]
fn PasswordSection() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let form = FormState::new();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut checks = Checks::default();
        checks.required("current_password", &current.get_untracked());
        checks.new_password("new_password", &new.get_untracked());
        if !form.start(checks.into_vec()) {
            return;
        }
        let request = ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        spawn_local(async move {
            match api::change_password(auth, &request).await {
                Ok(session) => {
                    // Every session ended with the change; this is the new one.
                    auth.renew(session);
                    current.set(String::new());
                    new.set(String::new());
                    form.succeed(|t| t.profile.password_changed);
                }
                Err(error) => form.fail(error),
            }
        });
    };
    view! {
        <section aria-labelledby="password-title">
            <h2 id="password-title">{move || t().profile.password_title}</h2>
            <form class="form" data-testid="password-form" novalidate on:submit=submit>
                <FormFeedback form />
                <TextField
                    form
                    testid="current-password"
                    label=|t| t.profile.current_password
                    value=current
                    input_type="password"
                    autocomplete="current-password"
                    required=true
                />
                <TextField
                    form
                    testid="new-password"
                    label=|t| t.profile.new_password
                    hint=|t| t.register.password_hint
                    value=new
                    input_type="password"
                    autocomplete="new-password"
                    required=true
                />
                <SubmitButton form label=|t| t.profile.password_submit />
            </form>
        </section>
    }
}

#[component]
fn ExportSection() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let form = FormState::new();
    let download = move |_| {
        if !form.start(Vec::new()) {
            return;
        }
        spawn_local(async move {
            match api::export_my_data(auth).await {
                Ok(json) => match crate::download::save_file(
                    "quartier-meine-daten.json",
                    &pretty(&json),
                    "application/json",
                ) {
                    Ok(()) => form.succeed(|t| t.profile.exported),
                    Err(_) => form.fail_text(|t| t.errors.unexpected_response),
                },
                Err(error) => form.fail(error),
            }
        });
    };
    view! {
        <section aria-labelledby="data-title">
            <h2 id="data-title">{move || t().profile.data_title}</h2>
            <p>{move || t().profile.data_text}</p>
            <p>
                <A href="/profile/data" attr:class="button" attr:data-testid="my-data-link">
                    {move || t().profile.data_view}
                </A>
            </p>
            <p>{move || t().profile.file_hint}</p>
            <FormFeedback form />
            <button
                type="button"
                class="button button--secondary"
                data-testid="export"
                disabled=move || form.is_pending()
                on:click=download
            >
                {move || {
                    if form.is_pending() { t().profile.exporting } else { t().profile.export }
                }}
            </button>
        </section>
    }
}

/// The export, indented for people who open it in a text editor.
fn pretty(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .and_then(|value| serde_json::to_string_pretty(&value))
        .unwrap_or_else(|_| json.to_owned())
}

#[component]
fn DeleteSection() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let navigate = use_navigate();
    let form = FormState::new();
    let password = RwSignal::new(String::new());
    // First a button that only asks; the password and the final button come after.
    let confirming = RwSignal::new(false);
    let start_button: NodeRef<leptos::html::Button> = NodeRef::new();
    let question: NodeRef<leptos::html::H3> = NodeRef::new();
    Effect::new(move |_| {
        if confirming.get()
            && let Some(question) = question.get()
        {
            let _ = question.focus();
        }
    });
    let cancel = move |_| {
        confirming.set(false);
        password.set(String::new());
        form.done();
        // The button comes back; the focus goes to it, where the reader was.
        request_animation_frame(move || {
            if let Some(button) = start_button.get_untracked() {
                let _ = button.focus();
            }
        });
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut checks = Checks::default();
        checks.required("password", &password.get_untracked());
        if !form.start(checks.into_vec()) {
            return;
        }
        let request = DeleteAccountRequest {
            password: password.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::delete_me(auth, &request).await {
                Ok(()) => {
                    form.done();
                    // The server ended every session and removed the cookie.
                    auth.sign_out_locally();
                    auth.notify("/", |t| t.profile.deleted);
                    navigate("/", Default::default());
                }
                Err(error) if error.code() == Some(ErrorCode::Conflict) => {
                    form.fail_text(|t| t.profile.last_admin);
                }
                Err(error) => form.fail(error),
            }
        });
    };
    view! {
        <section aria-labelledby="delete-title" class="danger-zone" data-testid="delete-section">
            <h2 id="delete-title">{move || t().profile.delete_title}</h2>
            <p>{move || t().profile.delete_text}</p>
            {move || {
                if !confirming.get() {
                    return view! {
                        <button
                            type="button"
                            class="button button--danger"
                            data-testid="delete-start"
                            node_ref=start_button
                            on:click=move |_| confirming.set(true)
                        >
                            {move || t().profile.delete_start}
                        </button>
                    }
                    .into_any();
                }
                view! {
                    <h3 tabindex="-1" node_ref=question data-testid="delete-question">
                        {move || t().profile.delete_question}
                    </h3>
                    <form class="form" data-testid="delete-form" novalidate on:submit=submit.clone()>
                        <FormFeedback form />
                        <TextField
                            form
                            testid="password"
                            label=|t| t.profile.delete_password
                            value=password
                            input_type="password"
                            autocomplete="current-password"
                            required=true
                        />
                        <div class="actions">
                            <SubmitButton form label=|t| t.profile.delete_confirm testid="delete-confirm" danger=true />
                            <button type="button" class="button button--secondary" data-testid="delete-cancel" on:click=cancel>
                                {move || t().profile.delete_cancel}
                            </button>
                        </div>
                    </form>
                }
                .into_any()
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_is_indented_and_kept_whole() {
        let text = pretty(r#"{"account":{"email":"e@x.de"},"future_field":1}"#);
        assert!(text.contains("\n  \"account\""));
        assert!(text.contains("future_field"));
        assert_eq!(pretty("not json"), "not json");
    }
}
