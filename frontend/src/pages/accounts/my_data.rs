//! `/profile/data`: everything Quartier stores about the reader, as a page to read and
//! print (the JSON file of the same export is offered beside it on `/profile`).

use leptos::prelude::*;
use leptos_router::components::A;
use shared::accounts::{MyDataExport, Timestamp};

use super::quarter_name;
use crate::{
    api,
    auth::use_auth,
    components::{ErrorNotice, PageTitle, RequireRole},
    format::date_time,
    i18n::{fill, language_name},
    prefs::{use_prefs, use_texts},
};

#[component]
pub fn MyDataPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <PageTitle text=move || t().my_data.title />
        <RequireRole>
            <MyData />
        </RequireRole>
    }
}

#[component]
fn MyData() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let data = LocalResource::new(move || api::my_data(auth));
    let quarters = LocalResource::new(api::quarters);
    let shown = move || {
        Suspend::new(async move {
            match data.await {
                Ok(data) => {
                    let quarters = quarters.await.unwrap_or_default();
                    let quarter = data
                        .account
                        .home_quarter_id
                        .map(|id| quarter_name(&quarters, id).unwrap_or_else(|| id.to_string()));
                    view! { <DataView data quarter /> }.into_any()
                }
                Err(error) => {
                    view! { <ErrorNotice error on_retry=move || data.refetch() /> }.into_any()
                }
            }
        })
    };
    view! {
        <p class="actions no-print">
            <A href="/profile" attr:data-testid="my-data-back">{move || t().my_data.back}</A>
        </p>
        <Transition fallback=move || view! { <p class="loading" role="status">{move || t().forms.loading}</p> }>
            {shown}
        </Transition>
    }
}

#[component]
fn DataView(data: MyDataExport, quarter: Option<String>) -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    let lang = move || prefs.language.get();
    let when = move |at: Timestamp| date_time(at, lang());
    let a = data.account.clone();
    let not_given = move || t().my_data.not_given.to_owned();
    let optional = move |value: Option<String>| value.unwrap_or_else(not_given);
    let row = |label: fn(&'static crate::i18n::Texts) -> &'static str,
               value: Box<dyn Fn() -> String + Send + Sync>,
               testid: &'static str| {
        view! {
            <div class="facts__row">
                <dt>{move || label(t())}</dt>
                <dd data-testid=testid>{value}</dd>
            </div>
        }
    };
    let (exported, created, updated, consent_at) = (
        data.exported_at,
        data.created_at,
        data.updated_at,
        a.consent_at,
    );
    let consent_version = a.consent_version.clone();
    let language = a.language;
    let size = a.text_size;
    let band = a.age_band;
    let phone = a.phone.clone();
    let roles = data
        .role_grants
        .iter()
        .map(|g| {
            let (role, at) = (g.role, g.granted_at);
            view! {
                <li>{move || format!("{} – {}", t().roles.label(role), fill(t().my_data.since, &[("date", &when(at))]))}</li>
            }
        })
        .collect_view();
    let list_or_none = |items: Vec<AnyView>, testid: &'static str| {
        if items.is_empty() {
            view! { <p data-testid=testid>{move || t().my_data.none}</p> }.into_any()
        } else {
            view! { <ul data-testid=testid>{items}</ul> }.into_any()
        }
    };
    let sessions = data
        .sessions
        .iter()
        .map(|s| {
            let (at, until) = (s.created_at, s.expires_at);
            view! { <li>{move || fill(t().my_data.session, &[("date", &when(at)), ("until", &when(until))])}</li> }
                .into_any()
        })
        .collect::<Vec<_>>();
    let codes = data
        .reset_codes
        .iter()
        .map(|c| {
            let (at, used) = (c.issued_at, c.used_at);
            view! {
                <li>{move || {
                    let used = match used {
                        Some(u) => fill(t().my_data.code_used, &[("date", &when(u))]),
                        None => t().my_data.code_unused.to_owned(),
                    };
                    format!("{}, {used}", fill(t().my_data.code_issued, &[("date", &when(at))]))
                }}</li>
            }
            .into_any()
        })
        .collect::<Vec<_>>();
    let invitations = data
        .invitations
        .iter()
        .map(|i| {
            let (at, accepted) = (i.created_at, i.accepted_at);
            view! {
                <li>{move || {
                    let accepted = accepted.map_or_else(|| t().my_data.no.to_owned(), when);
                    fill(t().my_data.invitation, &[("date", &when(at)), ("accepted", &accepted)])
                }}</li>
            }
            .into_any()
        })
        .collect::<Vec<_>>();
    let access = data
        .access_log
        .iter()
        .map(|e| {
            let at = e.at;
            let who = e.actor_email.clone().unwrap_or_else(|| t().audit.deleted_account.to_owned());
            let action = e.action.clone();
            view! {
                <li>{move || {
                    let action = t().audit.action(&action).map_or_else(|| action.clone(), str::to_owned);
                    fill(t().my_data.access, &[("date", &when(at)), ("who", &who), ("action", &action)])
                }}</li>
            }
            .into_any()
        })
        .collect::<Vec<_>>();
    let print = move |_| {
        let _ = window().print();
    };
    view! {
        <div class="my-data" data-testid="my-data">
            <p class="lead">{move || fill(t().my_data.intro, &[("date", &when(exported))])}</p>
            <p class="actions no-print">
                <button type="button" class="button" data-testid="my-data-print" on:click=print>
                    {move || t().my_data.print}
                </button>
            </p>
            <section aria-labelledby="my-data-account">
                <h2 id="my-data-account">{move || t().my_data.account_title}</h2>
                <dl class="facts">
                    {row(|t| t.profile.display_name, Box::new({ let v = a.display_name.clone(); move || v.clone() }), "my-data-name")}
                    {row(|t| t.profile.email, Box::new({ let v = a.email.clone(); move || v.clone() }), "my-data-email")}
                    {row(|t| t.profile.home_quarter, Box::new(move || optional(quarter.clone())), "my-data-quarter")}
                    {row(|t| t.profile.age_band, Box::new(move || optional(band.map(|b| t().age_bands.label(b).to_owned()))), "my-data-age-band")}
                    {row(|t| t.profile.phone, Box::new(move || optional(phone.clone())), "my-data-phone")}
                    {row(|t| t.my_data.language, Box::new(move || language_name(language).to_owned()), "my-data-language")}
                    {row(|t| t.my_data.text_size, Box::new(move || t().settings.text_size_label(size).to_owned()), "my-data-text-size")}
                    {row(|t| t.my_data.consent, Box::new(move || fill(t().my_data.consent_value, &[("date", &when(consent_at)), ("version", &consent_version)])), "my-data-consent")}
                    {row(|t| t.my_data.created, Box::new(move || when(created)), "my-data-created")}
                    {row(|t| t.my_data.updated, Box::new(move || when(updated)), "my-data-updated")}
                </dl>
            </section>
            <section aria-labelledby="my-data-roles">
                <h2 id="my-data-roles">{move || t().my_data.roles_title}</h2>
                <ul data-testid="my-data-role-list">{roles}</ul>
            </section>
            <section aria-labelledby="my-data-sessions">
                <h2 id="my-data-sessions">{move || t().my_data.sessions_title}</h2>
                {list_or_none(sessions, "my-data-session-list")}
            </section>
            <section aria-labelledby="my-data-codes">
                <h2 id="my-data-codes">{move || t().my_data.codes_title}</h2>
                {list_or_none(codes, "my-data-code-list")}
            </section>
            <section aria-labelledby="my-data-invitations">
                <h2 id="my-data-invitations">{move || t().my_data.invitations_title}</h2>
                {list_or_none(invitations, "my-data-invitation-list")}
            </section>
            <section aria-labelledby="my-data-access">
                <h2 id="my-data-access">{move || t().my_data.access_title}</h2>
                {list_or_none(access, "my-data-access-list")}
            </section>
        </div>
    }
}
