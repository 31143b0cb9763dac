//! `/manager/help`: the help desk. Take a request on the telephone by keyboard in
//! under a minute, see the requests of one's quarters with the volunteers who fit
//! and propose one in a click, share out all open requests at once (the matcher's batch
//! proposal), and confirm new volunteers.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use shared::{
    Role,
    accounts::Uuid,
    help::{
        CallerDto, HelpAction, HelpRequestRequest, HelpStatus, HelpWindow, PhonedHelpRequest,
        ProposalPair, VerifyVolunteerRequest, VolunteerOfferDto,
    },
    quarters::QuarterDto,
};

use super::{
    Reasons, RequestCard, Viewer, category_from_key, category_key, category_options, new_id,
    parse_clock, today, urgency_from_key, urgency_options,
};
use crate::{
    api::{self, ApiError},
    auth::{Auth, use_auth},
    components::{
        ErrorNotice, PageTitle, RequireRole,
        form::{Checks, FormFeedback, FormState, SelectField, SubmitButton, TextField},
    },
    i18n::fill,
    pages::survey::authoring::managed_quarters,
    prefs::use_texts,
};

#[component]
pub fn HelpDeskPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <PageTitle text=move || t().help.desk_title />
        <RequireRole any_of=&[Role::Manager, Role::Admin]>
            <Desk />
        </RequireRole>
    }
}

#[component]
fn Desk() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let quarters = LocalResource::new(api::quarters);
    let filter = RwSignal::new(String::new());
    let requests = LocalResource::new(move || {
        let quarter = Uuid::parse_str(&filter.get()).ok();
        api::help_board(auth, quarter)
    });
    let changed = Callback::new(move |()| requests.refetch());
    let mine = move || {
        managed_quarters(
            auth,
            quarters.get().and_then(Result::ok).unwrap_or_default(),
        )
    };
    let list = move || {
        Suspend::new(async move {
            match requests.await {
                Ok(list) if list.is_empty() => {
                    view! { <p data-testid="requests-empty">{move || t().help.requests_empty}</p> }
                        .into_any()
                }
                Ok(list) => view! {
                    <ul class="cards" data-testid="desk-requests">
                        {list
                            .into_iter()
                            .map(|request| {
                                let open = request.status == HelpStatus::Open;
                                let id = request.id;
                                view! {
                                    <RequestCard request viewer=Viewer::Staff changed>
                                        {open.then(|| view! { <Suggestions request=id changed /> })}
                                    </RequestCard>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
                Err(error) => {
                    view! { <ErrorNotice error on_retry=move || requests.refetch() /> }.into_any()
                }
            }
        })
    };
    let filter_options = move || {
        let mut options = vec![(String::new(), t().help.all_quarters.to_owned())];
        options.extend(mine().into_iter().map(|q| (q.id.to_string(), q.name)));
        options
    };
    let filter_form = FormState::new();
    view! {
        <p class="lead">{move || t().help.desk_intro}</p>
        <PhoneForm quarters=Signal::derive(mine) changed />
        <section aria-labelledby="desk-requests-title">
            <h2 id="desk-requests-title">{move || t().help.requests_title}</h2>
            <SelectField
                form=filter_form
                testid="board-quarter"
                label=|t| t.help.board_quarter
                value=filter
                on_change=Callback::new(move |v| filter.set(v))
                options=filter_options
            />
            <Transition fallback=move || view! { <p class="loading" role="status">{move || t().help.loading}</p> }>
                {list}
            </Transition>
        </section>
        <Batch changed />
        <Volunteers />
    }
}

/// A call taken on the telephone: who called, and the request as the resident's form
/// has it, in one form for the keyboard.
#[component]
fn PhoneForm(quarters: Signal<Vec<QuarterDto>>, changed: Callback<()>) -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let form = FormState::new();
    let id = RwSignal::new(new_id());
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let category = RwSignal::new(category_key(shared::help::HelpCategory::Shopping).to_owned());
    let details = RwSignal::new(String::new());
    let date = RwSignal::new(today());
    let from = RwSignal::new("10:00".to_owned());
    let to = RwSignal::new("12:00".to_owned());
    let urgency = RwSignal::new("normal".to_owned());
    let quarter = RwSignal::new(String::new());
    let accessibility = RwSignal::new(String::new());
    let weeks = RwSignal::new("1".to_owned());
    // The first of the manager's quarters, once they are known.
    Effect::new(move |_| {
        if quarter.with_untracked(String::is_empty)
            && let Some(first) = quarters.get().first()
        {
            quarter.set(first.id.to_string());
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut checks = Checks::default();
        checks.required("caller.name", &name.get_untracked());
        checks.required("caller.phone", &phone.get_untracked());
        checks.required("details", &details.get_untracked());
        checks.required("when.date", &date.get_untracked());
        let range = parse_clock(&from.get_untracked()).zip(parse_clock(&to.get_untracked()));
        checks.add(
            "when",
            range
                .is_none_or(|(f, t)| f >= t)
                .then_some("invalid_time_range"),
        );
        checks.required("quarter_id", &quarter.get_untracked());
        if !form.start(checks.into_vec()) {
            return;
        }
        let (from_minute, to_minute) = range.unwrap_or_default();
        let request = PhonedHelpRequest {
            request: HelpRequestRequest {
                id: id.get_untracked(),
                category: category_from_key(&category.get_untracked())
                    .unwrap_or(shared::help::HelpCategory::Other),
                details: details.get_untracked(),
                when: HelpWindow::At {
                    date: date.get_untracked(),
                    from_minute,
                    to_minute,
                },
                quarter_id: Uuid::parse_str(&quarter.get_untracked()).ok(),
                urgency: urgency_from_key(&urgency.get_untracked()),
                accessibility: accessibility.get_untracked(),
                weeks: weeks.get_untracked().parse().unwrap_or(1),
                from_survey: None,
            },
            caller: CallerDto {
                name: name.get_untracked(),
                phone: phone.get_untracked(),
            },
        };
        spawn_local(async move {
            match api::phoned_help_request(auth, &request).await {
                Ok(_) => {
                    form.succeed(|t| t.help.phone_saved);
                    // Ready for the next call.
                    id.set(new_id());
                    name.set(String::new());
                    phone.set(String::new());
                    details.set(String::new());
                    accessibility.set(String::new());
                    weeks.set("1".to_owned());
                    changed.run(());
                }
                Err(error) => form.fail(error),
            }
        });
    };
    let options = |list: fn(&'static crate::i18n::Texts) -> Vec<(&'static str, &'static str)>| {
        move || {
            list(t())
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect::<Vec<_>>()
        }
    };
    let quarter_options = move || {
        quarters
            .get()
            .into_iter()
            .map(|q| (q.id.to_string(), q.name))
            .collect::<Vec<_>>()
    };
    view! {
        <section aria-labelledby="phone-title">
            <h2 id="phone-title">{move || t().help.phone_title}</h2>
            <form class="form" data-testid="phone-form" novalidate on:submit=submit>
                <FormFeedback form />
                <TextField form testid="caller-name" label=|t| t.help.caller_name value=name autocomplete="off" required=true />
                <TextField form testid="caller-phone" label=|t| t.help.caller_phone value=phone input_type="tel" autocomplete="off" required=true />
                <SelectField form testid="category" label=|t| t.help.category value=category on_change=Callback::new(move |v| category.set(v)) options=options(category_options) />
                <TextField form testid="details" label=|t| t.help.details value=details multiline=true required=true />
                <TextField form testid="date" label=|t| t.help.date value=date input_type="date" required=true />
                <TextField form testid="from-time" label=|t| t.help.from_time value=from input_type="time" required=true />
                <TextField form testid="to-time" label=|t| t.help.to_time value=to input_type="time" required=true />
                <SelectField form testid="weeks" label=|t| t.help.repeat value=weeks on_change=Callback::new(move |v| weeks.set(v)) options=move || super::weeks_options(t()) />
                <SelectField form testid="urgency" label=|t| t.help.urgency value=urgency on_change=Callback::new(move |v| urgency.set(v)) options=options(urgency_options) />
                <SelectField form testid="quarter" label=|t| t.help.quarter value=quarter on_change=Callback::new(move |v| quarter.set(v)) options=quarter_options />
                <TextField form testid="accessibility" label=|t| t.help.accessibility value=accessibility optional=true />
                <SubmitButton form label=|t| t.help.phone_submit />
            </form>
        </section>
    }
}

/// The volunteers who fit an open request, shown on demand, each with its reasons
/// and a button to propose them.
#[component]
fn Suggestions(request: Uuid, changed: Callback<()>) -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let shown = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let suggestions = LocalResource::new(move || async move {
        if shown.get() {
            Some(api::help_suggestions(auth, request).await)
        } else {
            None
        }
    });
    let propose = move |volunteer_id: Uuid| {
        busy.set(true);
        spawn_local(async move {
            let result =
                api::help_action(auth, request, &HelpAction::Propose { volunteer_id }).await;
            busy.set(false);
            match result {
                Ok(_) => changed.run(()),
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let list = move || {
        Suspend::new(async move {
            match suggestions.await {
                None => ().into_any(),
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p data-testid="suggestions-empty">{move || t().help.suggestions_empty}</p> }.into_any()
                }
                Some(Ok(list)) => view! {
                    <h4>{move || t().help.suggestions_title}</h4>
                    <ul class="suggestions" data-testid="suggestions">
                        {list
                            .into_iter()
                            .map(|s| {
                                let volunteer = s.volunteer_id;
                                let score = s.score;
                                view! {
                                    <li class="suggestion" data-testid="suggestion">
                                        <p>
                                            <strong data-testid="suggestion-name">{s.display_name}</strong>
                                            " · "
                                            {move || fill(t().help.score, &[("score", &score.to_string())])}
                                        </p>
                                        <Reasons reasons=s.reasons />
                                        <button
                                            type="button"
                                            class="button"
                                            data-testid="propose"
                                            disabled=move || busy.get()
                                            on:click=move |_| propose(volunteer)
                                        >
                                            {move || t().help.act_propose}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
                Some(Err(error)) => view! { <p class="notice">{error.message(t())}</p> }.into_any(),
            }
        })
    };
    view! {
        <Show when=move || !shown.get()>
            <button type="button" class="button button--secondary" data-testid="show-suggestions" on:click=move |_| shown.set(true)>
                {move || t().help.show_suggestions}
            </button>
        </Show>
        <Transition fallback=move || view! { <p class="loading" role="status">{move || t().help.loading}</p> }>
            {list}
        </Transition>
        {move || failure.get().map(|error| view! { <p class="notice" role="alert">{error.message(t())}</p> })}
    }
}

/// All open requests at once: the matcher's best sharing under everyone's weekly limit,
/// beside what handing them out one after the other would reach, and one button that
/// proposes every pair.
#[component]
fn Batch(changed: Callback<()>) -> impl IntoView {
    let t = use_texts();
    let prefs = crate::prefs::use_prefs();
    let auth = use_auth();
    let shown = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<(usize, usize), ApiError>>);
    let proposal = LocalResource::new(move || async move {
        if shown.get() {
            Some(api::batch_proposal(auth).await)
        } else {
            None
        }
    });
    let apply = move |pairs: Vec<ProposalPair>| {
        busy.set(true);
        spawn_local(async move {
            let result = api::apply_batch(auth, pairs).await;
            busy.set(false);
            outcome.set(Some(
                result.map(|done| (done.proposed.len(), done.skipped.len())),
            ));
            shown.set(false);
            changed.run(());
        });
    };
    let list = move || {
        Suspend::new(async move {
            match proposal.await {
                None => ().into_any(),
                Some(Ok(p)) if p.pairs.is_empty() => {
                    view! { <p data-testid="batch-empty">{move || t().help.batch_empty}</p> }
                        .into_any()
                }
                Some(Ok(p)) => {
                    let summary = {
                        let values = [
                            p.pairs.len().to_string(),
                            p.total_score.to_string(),
                            p.greedy_pairs.to_string(),
                            p.greedy_score.to_string(),
                        ];
                        move || {
                            fill(
                                t().help.batch_summary,
                                &[
                                    ("pairs", &values[0]),
                                    ("score", &values[1]),
                                    ("greedy_pairs", &values[2]),
                                    ("greedy", &values[3]),
                                ],
                            )
                        }
                    };
                    let unmatched = p.unmatched.len();
                    let pairs: Vec<ProposalPair> = p
                        .pairs
                        .iter()
                        .map(|pair| ProposalPair {
                            request_id: pair.request.id,
                            volunteer_id: pair.volunteer_id,
                        })
                        .collect();
                    view! {
                        <p data-testid="batch-summary">{summary}</p>
                        <ul class="suggestions" data-testid="batch-pairs">
                            {p.pairs
                                .into_iter()
                                .map(|pair| {
                                    let category = pair.request.category;
                                    let when = pair.request.when.clone();
                                    let when = move || super::when_text(&when, &t().help, prefs.language.get());
                                    let for_name = pair.request.for_name;
                                    view! {
                                        <li class="suggestion" data-testid="batch-pair">
                                            <p>
                                                <strong>{move || t().help.category(category)}</strong>
                                                ", " {when} ", " {for_name}
                                            </p>
                                            <p>
                                                "→ " <strong data-testid="batch-volunteer">{pair.display_name}</strong>
                                            </p>
                                            <Reasons reasons=pair.reasons />
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                        {(unmatched > 0).then(|| view! {
                            <p data-testid="batch-unmatched">
                                {move || fill(t().help.batch_unmatched, &[("count", &unmatched.to_string())])}
                            </p>
                        })}
                        <button type="button" class="button" data-testid="batch-apply"
                            disabled=move || busy.get() on:click=move |_| apply(pairs.clone())>
                            {move || t().help.batch_apply}
                        </button>
                    }
                    .into_any()
                }
                Some(Err(error)) => view! { <p class="notice">{error.message(t())}</p> }.into_any(),
            }
        })
    };
    let said = move || {
        outcome.get().map(|result| match result {
            Ok((proposed, skipped)) => view! {
                <p class="notice notice--success" data-testid="batch-applied">
                    {move || fill(
                        t().help.batch_applied,
                        &[("proposed", &proposed.to_string()), ("skipped", &skipped.to_string())],
                    )}
                </p>
            }
            .into_any(),
            Err(error) => view! { <p class="notice">{error.message(t())}</p> }.into_any(),
        })
    };
    view! {
        <section aria-labelledby="batch-title" data-testid="batch">
            <h2 id="batch-title">{move || t().help.batch_title}</h2>
            <p>{move || t().help.batch_intro}</p>
            <div role="status">{said}</div>
            <Show when=move || !shown.get()>
                <button type="button" class="button button--secondary" data-testid="batch-compute"
                    on:click=move |_| { outcome.set(None); shown.set(true); }>
                    {move || t().help.batch_compute}
                </button>
            </Show>
            <Transition fallback=move || view! { <p class="loading" role="status">{move || t().help.loading}</p> }>
                {list}
            </Transition>
        </section>
    }
}

/// Volunteers of the manager's quarters; those not yet confirmed first, each with a
/// way to confirm them (and note the day a certificate of conduct was seen).
#[component]
fn Volunteers() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let volunteers = LocalResource::new(move || api::volunteers(auth));
    let list = move || {
        Suspend::new(async move {
            match volunteers.await {
                Ok(list) => {
                    let waiting: Vec<_> = list
                        .into_iter()
                        .filter(|v| v.verification.is_none())
                        .collect();
                    if waiting.is_empty() {
                        view! { <p data-testid="volunteers-empty">{move || t().help.volunteers_empty}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="cards" data-testid="volunteers">
                                {waiting
                                    .into_iter()
                                    .map(|offer| view! { <VolunteerRow offer auth done=Callback::new(move |()| volunteers.refetch()) /> })
                                    .collect_view()}
                            </ul>
                        }
                        .into_any()
                    }
                }
                Err(error) => {
                    view! { <ErrorNotice error on_retry=move || volunteers.refetch() /> }.into_any()
                }
            }
        })
    };
    view! {
        <section aria-labelledby="volunteers-title">
            <h2 id="volunteers-title">{move || t().help.volunteers_title}</h2>
            <Transition fallback=move || view! { <p class="loading" role="status">{move || t().help.loading}</p> }>
                {list}
            </Transition>
        </section>
    }
}

#[component]
fn VolunteerRow(offer: VolunteerOfferDto, auth: Auth, done: Callback<()>) -> impl IntoView {
    let t = use_texts();
    let form = FormState::new();
    let seen = RwSignal::new(String::new());
    let user = offer.user_id;
    let categories = offer.categories.clone();
    let categories = move || {
        categories
            .iter()
            .map(|c| t().help.category(*c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !form.start(Vec::new()) {
            return;
        }
        let day = seen.get_untracked().trim().to_owned();
        let request = VerifyVolunteerRequest {
            certificate_seen_on: (!day.is_empty()).then_some(day),
        };
        spawn_local(async move {
            match api::verify_volunteer(auth, user, &request).await {
                Ok(_) => {
                    form.succeed(|t| t.help.verified_done);
                    done.run(());
                }
                Err(error) => form.fail(error),
            }
        });
    };
    view! {
        <li class="card" data-testid="volunteer">
            <h3 data-testid="volunteer-name">{offer.display_name}</h3>
            <p>{categories}</p>
            {(!offer.about.is_empty()).then(|| view! { <p class="hint">{offer.about}</p> })}
            <form class="form" data-testid="verify-form" novalidate on:submit=submit>
                <FormFeedback form />
                // One per volunteer on the page, so ids of their own (errors show in the summary).
                <div class="field">
                    <label class="field__label" for=format!("certificate-{user}")>
                        {move || t().help.certificate} " "
                        <span class="field__optional">{move || t().forms.optional}</span>
                    </label>
                    <p class="field__hint" id=format!("certificate-{user}-hint")>{move || t().help.certificate_hint}</p>
                    <input
                        id=format!("certificate-{user}")
                        type="date"
                        data-testid="certificate"
                        aria-describedby=format!("certificate-{user}-hint")
                        bind:value=seen
                    />
                </div>
                <SubmitButton form label=|t| t.help.verify testid="verify" />
            </form>
        </li>
    }
}
