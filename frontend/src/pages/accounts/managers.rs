use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use shared::{
    Role,
    accounts::{CreateInvitationRequest, InvitationDto, PersonDto, Uuid},
    quarters::QuarterDto,
};
use wasm_bindgen_futures::JsFuture;

use super::quarter_name;
use crate::{
    api,
    auth::use_auth,
    components::{
        ErrorNotice, PageTitle, RequireRole,
        form::{Checks, FormFeedback, FormState, GroupError, SubmitButton, TextField},
    },
    format::date_time,
    i18n::fill,
    prefs::{use_prefs, use_texts},
};

/// The managers of the admin's organisation, and inviting new ones.
#[component]
pub fn ManagersPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <PageTitle text=move || t().managers.title />
        <RequireRole any_of=&[Role::Admin]>
            <Managers />
        </RequireRole>
    }
}

#[component]
fn Managers() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let managers = LocalResource::new(move || api::managers(auth));
    let quarters = LocalResource::new(api::quarters);
    let list = move || {
        Suspend::new(async move {
            let all_quarters = quarters.await.unwrap_or_default();
            match managers.await {
                Ok(people) if people.is_empty() => {
                    view! { <p>{move || t().managers.empty}</p> }.into_any()
                }
                Ok(people) => view! {
                    <ul class="cards">
                        {people
                            .into_iter()
                            .map(|person| {
                                let names = managed_quarters(&person, &all_quarters);
                                view! { <ManagerRow person names /> }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
                Err(error) => {
                    view! { <ErrorNotice error on_retry=move || managers.refetch() /> }.into_any()
                }
            }
        })
    };
    view! {
        <p class="lead">{move || t().managers.intro}</p>
        <section aria-labelledby="managers-title">
            <h2 id="managers-title">{move || t().managers.list_title}</h2>
            <Transition fallback=move || {
                view! { <p class="loading" role="status">{move || t().forms.loading}</p> }
            }>{list}</Transition>
        </section>
        <InviteForm quarters />
    }
}

/// Names of the quarters a person manages.
fn managed_quarters(person: &PersonDto, quarters: &[QuarterDto]) -> Vec<String> {
    person
        .roles
        .iter()
        .filter(|g| g.role == Role::Manager)
        .filter_map(|g| g.quarter_id)
        .map(|id| quarter_name(quarters, id).unwrap_or_else(|| id.to_string()))
        .collect()
}

#[component]
fn ManagerRow(person: PersonDto, names: Vec<String>) -> impl IntoView {
    let t = use_texts();
    view! {
        <li class="card" data-testid="manager-row">
            <h3>{person.display_name}</h3>
            <p class="mono">{person.email}</p>
            <p>
                <strong>{move || t().managers.quarters}</strong>
                ": "
                {names.join(", ")}
            </p>
        </li>
    }
}

#[component]
fn InviteForm(quarters: LocalResource<Result<Vec<QuarterDto>, api::ApiError>>) -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let form = FormState::new();
    let email = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<Uuid>::new());
    let created = RwSignal::new(None::<InvitationDto>);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut checks = Checks::default();
        checks.email("email", &email.get_untracked());
        checks.required("display_name", &display_name.get_untracked());
        checks.add(
            "quarter_ids",
            chosen.with_untracked(Vec::is_empty).then_some("required"),
        );
        if !form.start(checks.into_vec()) {
            return;
        }
        created.set(None);
        let request = CreateInvitationRequest {
            email: email.get_untracked().trim().to_owned(),
            display_name: display_name.get_untracked().trim().to_owned(),
            quarter_ids: chosen.get_untracked(),
        };
        spawn_local(async move {
            match api::invite_manager(auth, &request).await {
                Ok(invitation) => {
                    email.set(String::new());
                    display_name.set(String::new());
                    chosen.set(Vec::new());
                    created.set(Some(invitation));
                    // The result below the form says so and takes the focus.
                    form.done();
                }
                Err(error) => form.fail(error),
            }
        });
    };

    // Only quarters of the organisations this admin administers can be given.
    let own_quarters = move || {
        let list = quarters.get().and_then(Result::ok).unwrap_or_default();
        list.into_iter()
            .filter(|q| auth.may_edit_quarter(q.id, q.organisation_id))
            .collect::<Vec<_>>()
    };
    let checkboxes = move || {
        let list = own_quarters();
        if list.is_empty() {
            return view! { <p>{move || t().managers.no_quarters}</p> }.into_any();
        }
        list.into_iter()
            .map(|quarter| {
                let id = quarter.id;
                let dom_id = format!("invite-quarter-{id}");
                view! {
                    <div class="checkbox">
                        <input
                            type="checkbox"
                            id=dom_id.clone()
                            value=id.to_string()
                            data-testid="invite-quarter"
                            prop:checked=move || chosen.with(|c| c.contains(&id))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| {
                                    c.retain(|q| *q != id);
                                    if on {
                                        c.push(id);
                                    }
                                });
                            }
                        />
                        <label for=dom_id>{quarter.name}</label>
                    </div>
                }
            })
            .collect_view()
            .into_any()
    };

    view! {
        <section aria-labelledby="invite-title">
            <h2 id="invite-title">{move || t().managers.invite_title}</h2>
            <p>{move || t().managers.invite_intro}</p>
            <form class="form" data-testid="invite-form" novalidate on:submit=submit>
                <FormFeedback form />
                <TextField
                    form
                    testid="email"
                    label=|t| t.managers.email
                    value=email
                    input_type="email"
                    autocomplete="off"
                    inputmode="email"
                    required=true
                />
                <TextField
                    form
                    testid="display-name"
                    label=|t| t.managers.display_name
                    value=display_name
                    autocomplete="off"
                    required=true
                />
                <fieldset
                    class="fieldset"
                    id="field-quarters"
                    tabindex="-1"
                    aria-describedby="field-quarters-error"
                >
                    <legend>{move || t().managers.quarters_legend}</legend>
                    <GroupError form testid="quarters" />
                    {checkboxes}
                </fieldset>
                <SubmitButton form label=|t| t.managers.submit />
            </form>
            {move || created.get().map(|invitation| view! { <InvitationResult invitation /> })}
        </section>
    }
}

/// The new invitation's code and link, shown once, right where the admin is looking:
/// it takes the focus (and so is scrolled into view and read out) when it appears.
#[component]
fn InvitationResult(invitation: InvitationDto) -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    let origin = window().location().origin().unwrap_or_default();
    let link = format!("{origin}{}", invitation.path);
    let page = format!("{origin}/invitation");
    let expires = invitation.expires_at;
    let valid_until = move || {
        fill(
            t().managers.valid_until,
            &[("date", &date_time(expires, prefs.language.get()))],
        )
    };
    let heading: NodeRef<leptos::html::H3> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(heading) = heading.get() {
            let _ = heading.focus();
        }
    });
    let copy_state = RwSignal::new(None::<bool>);
    let copy = {
        let link = link.clone();
        move |_| {
            let link = link.clone();
            spawn_local(async move {
                let copied = copy_text(&link).await;
                copy_state.set(Some(copied));
            });
        }
    };
    view! {
        <div class="card invitation" data-testid="invitation-result">
            <h3 tabindex="-1" node_ref=heading data-testid="invitation-result-title">
                {move || t().managers.result_title}
            </h3>
            <p>{move || t().managers.created}</p>
            <dl class="facts">
                <div class="facts__row">
                    <dt>{move || t().managers.code}</dt>
                    <dd class="mono code-display" data-testid="invitation-code">{invitation.code}</dd>
                </div>
                <div class="facts__row">
                    <dt>{move || t().managers.link}</dt>
                    <dd class="mono" data-testid="invitation-link">{link}</dd>
                </div>
            </dl>
            <p>{move || fill(t().managers.code_hint, &[("page", &page)])}</p>
            <p>{valid_until}</p>
            <p class="actions">
                <button type="button" class="button button--secondary" on:click=copy>
                    {move || t().forms.copy}
                </button>
            </p>
            <p role="status">
                {move || {
                    copy_state.get().map(|ok| if ok { t().forms.copied } else { t().forms.copy_failed })
                }}
            </p>
        </div>
    }
}

/// Copies to the clipboard; `false` where the browser does not allow it (e.g. not
/// on HTTPS), and the reader copies by hand.
async fn copy_text(text: &str) -> bool {
    let navigator = window().navigator();
    let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .map(|c| !c.is_undefined() && !c.is_null())
        .unwrap_or(false);
    if !has_clipboard {
        return false;
    }
    JsFuture::from(navigator.clipboard().write_text(text))
        .await
        .is_ok()
}
