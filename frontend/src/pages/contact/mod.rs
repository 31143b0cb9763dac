//! `/admin/office`: an organisation's admins keep the office's contact details that
//! everyone sees (about page, footer, next to "call your office"). A lazy route, so
//! residents never download the form.

pub mod texts;

pub use texts::ContactTexts;

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use leptos_router::components::A;
use shared::{
    Role,
    contact::{OfficeContactDto, OfficeContactRequest},
    surveys::Text as LocalText,
};

use crate::{
    api,
    auth::use_auth,
    components::{
        ErrorNotice, PageTitle, RequireRole,
        form::{Checks, FormFeedback, FormState, SubmitButton, TextField},
        use_offices,
    },
    prefs::use_texts,
};

#[component]
pub fn OfficeContactPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <PageTitle text=move || t().contact.edit_title />
        <RequireRole any_of=&[Role::Admin]>
            <OfficeContact />
        </RequireRole>
    }
}

/// The office of the (first) organisation the admin administers.
#[component]
fn OfficeContact() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let offices = use_offices();
    let administered = move || {
        auth.user()
            .map(|me| {
                me.roles
                    .iter()
                    .filter(|g| g.role == Role::Admin)
                    .filter_map(|g| g.organisation_id)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    // Which office the form is for, as a memo: reloading the offices after saving
    // must not build the form again (and lose its "saved" message).
    let target = Memo::new(move |_| {
        offices.state().map(|state| {
            state.map(|list| {
                let mine = administered();
                list.into_iter()
                    .find(|o| mine.contains(&o.organisation_id))
                    .map(|o| o.organisation_id)
            })
        })
    });
    let office = move || match target.get() {
        None => {
            view! { <p class="loading" role="status">{move || t().forms.loading}</p> }.into_any()
        }
        Some(Err(error)) => {
            view! { <ErrorNotice error on_retry=move || offices.refetch() /> }.into_any()
        }
        Some(Ok(None)) => view! { <p>{move || t().contact.no_organisation}</p> }.into_any(),
        Some(Ok(Some(organisation))) => {
            let office = offices
                .untracked()
                .into_iter()
                .find(|o| o.organisation_id == organisation);
            office
                .map(|office| view! { <OfficeForm office /> })
                .into_any()
        }
    };
    view! {
        <p class="lead">{move || t().contact.edit_intro}</p>
        {office}
    }
}

#[component]
fn OfficeForm(office: OfficeContactDto) -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let offices = use_offices();
    let form = FormState::new();
    let organisation = office.organisation_id;
    let office_name = RwSignal::new(office.office_name);
    let street = RwSignal::new(office.street);
    let address_extra = RwSignal::new(office.address_extra);
    let postcode = RwSignal::new(office.postcode);
    let city = RwSignal::new(office.city);
    let phone = RwSignal::new(office.phone);
    let email = RwSignal::new(office.email.unwrap_or_default());
    let hours_de = RwSignal::new(office.opening_hours.de);
    let hours_en = RwSignal::new(office.opening_hours.en);
    let legal_notice = RwSignal::new(office.legal_notice);
    let legal_notice_url = RwSignal::new(office.legal_notice_url.unwrap_or_default());

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let optional = |s: String| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        let request = OfficeContactRequest {
            office_name: office_name.get_untracked(),
            street: street.get_untracked(),
            address_extra: address_extra.get_untracked(),
            postcode: postcode.get_untracked(),
            city: city.get_untracked(),
            phone: phone.get_untracked(),
            email: optional(email.get_untracked()),
            opening_hours: LocalText {
                de: hours_de.get_untracked(),
                en: hours_en.get_untracked(),
            },
            legal_notice: legal_notice.get_untracked(),
            legal_notice_url: optional(legal_notice_url.get_untracked()),
        };
        // The same checks as the server's, so mistakes show before sending.
        let mut checks = Checks::default();
        for (field, code) in request.problems() {
            checks.add(field, Some(code));
        }
        if !form.start(checks.into_vec()) {
            return;
        }
        spawn_local(async move {
            match api::save_contact(auth, organisation, &request).await {
                Ok(_) => {
                    form.succeed(|t| t.contact.saved);
                    // The footer and the about page show the new details.
                    offices.refetch();
                }
                Err(error) => form.fail(error),
            }
        });
    };

    view! {
        <form class="form" data-testid="office-form" novalidate on:submit=submit>
            <FormFeedback form />
            <TextField
                form
                testid="office-name"
                label=|t| t.contact.office_name
                hint=|t| t.contact.office_name_hint
                value=office_name
                autocomplete="organization"
                required=true
            />
            <TextField
                form
                testid="phone"
                label=|t| t.contact.phone_label
                hint=|t| t.contact.phone_hint
                value=phone
                input_type="tel"
                autocomplete="tel"
                required=true
            />
            <TextField
                form
                testid="street"
                label=|t| t.contact.street
                value=street
                autocomplete="address-line1"
                optional=true
            />
            <TextField
                form
                testid="address-extra"
                label=|t| t.contact.address_extra
                hint=|t| t.contact.address_extra_hint
                value=address_extra
                autocomplete="address-line2"
                optional=true
            />
            <TextField
                form
                testid="postcode"
                label=|t| t.contact.postcode
                value=postcode
                inputmode="numeric"
                autocomplete="postal-code"
                optional=true
            />
            <TextField
                form
                testid="city"
                label=|t| t.contact.city
                value=city
                autocomplete="address-level2"
                optional=true
            />
            <TextField
                form
                testid="email"
                label=|t| t.contact.email_label
                value=email
                input_type="email"
                autocomplete="email"
                optional=true
            />
            <TextField
                form
                testid="opening-hours-de"
                label=|t| t.contact.opening_hours_de
                hint=|t| t.contact.opening_hours_hint
                value=hours_de
                optional=true
                multiline=true
            />
            <TextField
                form
                testid="opening-hours-en"
                label=|t| t.contact.opening_hours_en
                hint=|t| t.contact.opening_hours_en_hint
                value=hours_en
                optional=true
                multiline=true
            />
            <TextField
                form
                testid="legal-notice"
                label=|t| t.contact.legal_notice_label
                hint=|t| t.contact.legal_notice_hint
                value=legal_notice
                optional=true
                multiline=true
            />
            <TextField
                form
                testid="legal-notice-url"
                label=|t| t.contact.legal_notice_url
                hint=|t| t.contact.legal_notice_url_hint
                value=legal_notice_url
                input_type="url"
                autocomplete="url"
                optional=true
            />
            <div class="actions">
                <SubmitButton form label=|t| t.contact.save />
            </div>
        </form>
        <p>
            <A href="/about" attr:data-testid="office-see-about">{move || t().contact.see_about}</A>
        </p>
    }
}
