use leptos::{prelude::*, task::spawn_local};
use shared::{
    Role,
    accounts::{PersonDto, ResetCodeDto},
    quarters::QuarterDto,
};

use super::{parse_quarter, quarter_name};
use crate::{
    api::{self, ApiError},
    auth::use_auth,
    components::{ErrorNotice, PageTitle, RequireRole},
    format::date_time,
    i18n::fill,
    prefs::{use_prefs, use_texts},
};

/// Residents of the manager's quarters, with one-time codes for forgotten passwords.
#[component]
pub fn ResidentsPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <PageTitle text=move || t().residents.title />
        <RequireRole any_of=&[Role::Manager, Role::Admin]>
            <Residents />
        </RequireRole>
    }
}

#[component]
fn Residents() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let filter = RwSignal::new(String::new());
    let quarters = LocalResource::new(api::quarters);
    let residents = LocalResource::new(move || {
        let quarter = parse_quarter(&filter.get());
        api::residents(auth, quarter)
    });
    // The quarters this person looks after, to narrow the list down.
    let mine = move || {
        quarters
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|q| auth.may_edit_quarter(q.id, q.organisation_id))
            .collect::<Vec<_>>()
    };
    let filter_options = move || {
        std::iter::once((String::new(), t().residents.filter_all.to_owned()))
            .chain(mine().into_iter().map(|q| (q.id.to_string(), q.name)))
            .map(|(value, label)| {
                let selected = {
                    let value = value.clone();
                    move || filter.with(|f| *f == value)
                };
                view! { <option value=value prop:selected=selected>{label}</option> }
            })
            .collect_view()
    };
    let list = move || {
        Suspend::new(async move {
            let all_quarters = quarters.await.unwrap_or_default();
            match residents.await {
                Ok(people) if people.is_empty() => {
                    view! { <p>{move || t().residents.empty}</p> }.into_any()
                }
                Ok(people) => view! {
                    <ul class="cards">
                        {people
                            .into_iter()
                            .map(|person| {
                                let quarter = home_quarter(&person, &all_quarters);
                                view! { <ResidentRow person quarter /> }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
                Err(error) => {
                    view! { <ErrorNotice error on_retry=move || residents.refetch() /> }.into_any()
                }
            }
        })
    };
    view! {
        <p class="lead">{move || t().residents.intro}</p>
        <div class="field">
            <label class="field__label" for="residents-filter">
                {move || t().residents.filter}
            </label>
            <select
                id="residents-filter"
                data-testid="residents-filter"
                on:change=move |ev| filter.set(event_target_value(&ev))
            >
                {filter_options}
            </select>
        </div>
        <Transition fallback=move || {
            view! { <p class="loading" role="status">{move || t().forms.loading}</p> }
        }>{list}</Transition>
    }
}

fn home_quarter(person: &PersonDto, quarters: &[QuarterDto]) -> Option<String> {
    person
        .home_quarter_id
        .map(|id| quarter_name(quarters, id).unwrap_or_else(|| id.to_string()))
}

#[component]
fn ResidentRow(person: PersonDto, quarter: Option<String>) -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let prefs = use_prefs();
    let staff = person
        .roles
        .iter()
        .any(|g| matches!(g.role, Role::Manager | Role::Admin));
    let roles: Vec<Role> = {
        let mut roles: Vec<Role> = person.roles.iter().map(|g| g.role).collect();
        roles.sort();
        roles.dedup();
        roles
    };
    let code = RwSignal::new(None::<ResetCodeDto>);
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let id = person.id;
    let issue = move || {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match api::issue_reset_code(auth, id).await {
                Ok(issued) => code.set(Some(issued)),
                Err(err) => error.set(Some(err)),
            }
            pending.set(false);
        });
    };
    let name = person.display_name.clone();
    let shown_code = move || {
        code.get().map(|issued| {
            let name = name.clone();
            let expires = issued.expires_at;
            view! {
                <div class="reset-code-box">
                    <p>{move || fill(t().residents.code_for, &[("name", &name)])}</p>
                    <p class="code-display" data-testid="reset-code">{issued.code}</p>
                    <p>
                        {move || {
                            fill(
                                t().residents.code_valid_until,
                                &[("date", &date_time(expires, prefs.language.get()))],
                            )
                        }}
                    </p>
                    <p class="field__hint">{move || t().residents.code_hint}</p>
                </div>
            }
        })
    };
    let action = if staff {
        view! { <p class="field__hint">{move || t().residents.staff}</p> }.into_any()
    } else {
        view! {
            <button
                type="button"
                class="button button--secondary"
                data-testid="reset-code-button"
                disabled=move || pending.get()
                on:click=move |_| issue()
            >
                {move || if pending.get() { t().forms.sending } else { t().residents.reset_button }}
            </button>
        }
        .into_any()
    };
    view! {
        <li class="card" data-testid="resident-row">
            <h3>{person.display_name.clone()}</h3>
            <p class="mono">{person.email.clone()}</p>
            <dl class="facts facts--compact">
                <div class="facts__row facts__row--compact">
                    <dt>{move || t().residents.quarter}</dt>
                    <dd>
                        {move || quarter.clone().unwrap_or_else(|| t().residents.no_quarter.to_owned())}
                    </dd>
                </div>
                <div class="facts__row facts__row--compact">
                    <dt>{move || t().residents.roles}</dt>
                    <dd>
                        {move || {
                            roles.iter().map(|r| t().roles.label(*r)).collect::<Vec<_>>().join(", ")
                        }}
                    </dd>
                </div>
            </dl>
            {action}
            <div role="status">{shown_code}</div>
            {move || {
                error.get().map(|error| view! { <ErrorNotice error on_retry=move || issue() /> })
            }}
        </li>
    }
}
