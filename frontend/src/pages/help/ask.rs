//! `/help/ask`: a resident asks for help in three steps at phone size — what kind of
//! help, what exactly, and when (with how urgent and where).

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::{
    accounts::Uuid,
    help::{HelpRequestRequest, HelpWindow, MAX_ACCESSIBILITY, MAX_DETAILS, MAX_FLEXIBLE_DAYS},
};

use super::{
    RadioGroup, category_from_key, category_options, parse_clock, today, urgency_from_key,
    urgency_options,
};
use crate::{
    api,
    auth::use_auth,
    components::{
        PageTitle, RequireRole,
        form::{Checks, FormFeedback, FormState, SelectField, SubmitButton, TextField},
    },
    i18n::fill,
    prefs::use_texts,
};

const STEPS: u8 = 3;

#[component]
pub fn HelpAskPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <PageTitle text=move || t().help.ask_title />
        <RequireRole>
            <AskForm />
        </RequireRole>
    }
}

/// Which step a field the server refused belongs to.
fn step_of(field: &str) -> u8 {
    match field {
        "category" => 1,
        "details" | "accessibility" => 2,
        _ => 3,
    }
}

#[component]
fn AskForm() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let navigate = use_navigate();
    let form = FormState::new();
    // One key for this request: sending again after a lost answer stores it once.
    let id = super::new_id();
    // Opened from a survey's thank-you page: the kind of help is chosen and described,
    // and (an identified survey) the survey is named; the person starts at step 2.
    let query = use_query_map();
    let prefill = query
        .with_untracked(|q| q.get("category"))
        .and_then(|key| category_from_key(&key));
    let from_survey = RwSignal::new(
        prefill
            .and(query.with_untracked(|q| q.get("from_survey")))
            .and_then(|s| Uuid::parse_str(&s).ok()),
    );
    let step = RwSignal::new(if prefill.is_some() { 2u8 } else { 1 });
    let category = RwSignal::new(
        prefill
            .map(|c| super::category_key(c).to_owned())
            .unwrap_or_default(),
    );
    let details = RwSignal::new(
        prefill
            .map(|c| {
                fill(
                    t().help.ask_prefilled_details,
                    &[("category", t().help.category(c))],
                )
            })
            .unwrap_or_default(),
    );
    let accessibility = RwSignal::new(String::new());
    let kind = RwSignal::new("at".to_owned());
    let date = RwSignal::new(today());
    let from = RwSignal::new("10:00".to_owned());
    let to = RwSignal::new("12:00".to_owned());
    let days = RwSignal::new("7".to_owned());
    let urgency = RwSignal::new("normal".to_owned());
    let weeks = RwSignal::new("1".to_owned());
    let home = auth.user_untracked().and_then(|me| me.home_quarter_id);
    let quarter = RwSignal::new(home.map(|q| q.to_string()).unwrap_or_default());
    let quarters = LocalResource::new(api::quarters);
    let heading = NodeRef::<leptos::html::H2>::new();

    let checks_for = move |current: u8| {
        let mut checks = Checks::default();
        match current {
            1 => checks.add(
                "category",
                category
                    .with_untracked(String::is_empty)
                    .then_some("required"),
            ),
            2 => {
                checks.required("details", &details.get_untracked());
                checks.add(
                    "details",
                    (details.with_untracked(|d| d.chars().count()) > MAX_DETAILS)
                        .then_some("too_long"),
                );
                checks.add(
                    "accessibility",
                    (accessibility.with_untracked(|d| d.chars().count()) > MAX_ACCESSIBILITY)
                        .then_some("too_long"),
                );
            }
            _ => {
                checks.required("when.date", &date.get_untracked());
                if kind.get_untracked() == "at" {
                    let range =
                        parse_clock(&from.get_untracked()).zip(parse_clock(&to.get_untracked()));
                    checks.add(
                        "when",
                        range
                            .is_none_or(|(f, t)| f >= t)
                            .then_some("invalid_time_range"),
                    );
                } else {
                    let ok = days
                        .get_untracked()
                        .trim()
                        .parse::<u8>()
                        .is_ok_and(|d| (1..=MAX_FLEXIBLE_DAYS).contains(&d));
                    checks.add("when.days", (!ok).then_some("out_of_range"));
                }
                checks.required("quarter_id", &quarter.get_untracked());
            }
        }
        checks.into_vec()
    };
    let go_to = move |next: u8| {
        step.set(next);
        request_animation_frame(move || {
            if let Some(h) = heading.get_untracked() {
                let _ = h.focus();
            }
        });
    };
    let back = move |_| go_to(step.get_untracked().saturating_sub(1).max(1));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let current = step.get_untracked();
        if !form.start(checks_for(current)) {
            return;
        }
        if current < STEPS {
            form.done();
            go_to(current + 1);
            return;
        }
        let when = if kind.get_untracked() == "at" {
            HelpWindow::At {
                date: date.get_untracked(),
                from_minute: parse_clock(&from.get_untracked()).unwrap_or(0),
                to_minute: parse_clock(&to.get_untracked()).unwrap_or(0),
            }
        } else {
            HelpWindow::Flexible {
                from: date.get_untracked(),
                days: days.get_untracked().trim().parse().unwrap_or(0),
            }
        };
        let Some(category) = category_from_key(&category.get_untracked()) else {
            go_to(1);
            return;
        };
        let request = HelpRequestRequest {
            id,
            category,
            details: details.get_untracked(),
            when,
            quarter_id: Uuid::parse_str(&quarter.get_untracked()).ok(),
            urgency: urgency_from_key(&urgency.get_untracked()),
            accessibility: accessibility.get_untracked(),
            weeks: weeks.get_untracked().parse().unwrap_or(1),
            from_survey: from_survey.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            let mut sent = api::ask_for_help(auth, &request).await;
            // The survey could not be named (say, answered before signing in): the request
            // the person agreed to goes out without it.
            if let Err(error) = &sent
                && request.from_survey.is_some()
                && error
                    .field_errors()
                    .iter()
                    .any(|e| e.field == "from_survey")
            {
                from_survey.set(None);
                let request = HelpRequestRequest {
                    from_survey: None,
                    ..request
                };
                sent = api::ask_for_help(auth, &request).await;
            }
            match sent {
                Ok(_) => {
                    form.done();
                    auth.notify("/help", |t| t.help.sent);
                    navigate("/help", Default::default());
                }
                Err(error) => {
                    if let Some(first) = error.field_errors().first() {
                        step.set(step_of(&first.field));
                    }
                    form.fail(error);
                }
            }
        });
    };

    let progress = move || {
        fill(
            t().help.step,
            &[
                ("current", &step.get().to_string()),
                ("total", &STEPS.to_string()),
            ],
        )
    };
    let step_title = move || match step.get() {
        1 => t().help.step_category,
        2 => t().help.step_details,
        _ => t().help.step_when,
    };
    let quarter_options = move || {
        let mut list = vec![(String::new(), "–".to_owned())];
        if let Some(Ok(all)) = quarters.get() {
            list.extend(all.into_iter().map(|q| (q.id.to_string(), q.name)));
        }
        list
    };
    let body = move || {
        match step.get() {
        1 => view! {
            <RadioGroup form testid="category" legend=|t| t.help.step_category value=category options=category_options />
        }
        .into_any(),
        2 => view! {
            <TextField form testid="details" label=|t| t.help.details hint=|t| t.help.details_hint value=details multiline=true required=true />
            <TextField form testid="accessibility" label=|t| t.help.accessibility hint=|t| t.help.accessibility_hint value=accessibility multiline=true optional=true />
        }
        .into_any(),
        _ => view! {
            <RadioGroup
                form
                testid="when-kind"
                legend=|t| t.help.when_kind
                value=kind
                options=|t| vec![("at", t.help.when_kind_at), ("flexible", t.help.when_kind_flexible)]
            />
            {move || if kind.get() == "at" {
                view! {
                    <TextField form testid="date" label=|t| t.help.date value=date input_type="date" required=true />
                    <TextField form testid="from-time" label=|t| t.help.from_time value=from input_type="time" required=true />
                    <TextField form testid="to-time" label=|t| t.help.to_time value=to input_type="time" required=true />
                }
                .into_any()
            } else {
                view! {
                    <TextField form testid="date" label=|t| t.help.start_date value=date input_type="date" required=true />
                    <TextField form testid="days" label=|t| t.help.days hint=|t| t.help.days_hint value=days inputmode="numeric" required=true />
                }
                .into_any()
            }}
            <SelectField
                form
                testid="weeks"
                label=|t| t.help.repeat
                value=weeks
                on_change=Callback::new(move |v| weeks.set(v))
                options=move || super::weeks_options(t())
            />
            <RadioGroup form testid="urgency" legend=|t| t.help.urgency value=urgency options=urgency_options />
            <SelectField
                form
                testid="quarter"
                label=|t| t.help.quarter
                value=quarter
                on_change=Callback::new(move |v| quarter.set(v))
                options=quarter_options
            />
        }
        .into_any(),
    }
    };
    view! {
        <p class="lead">{move || t().help.ask_intro}</p>
        {prefill.map(|_| view! { <p class="notice notice--info" data-testid="ask-prefilled">{move || t().help.ask_prefilled}</p> })}
        <form class="form" data-testid="ask-form" novalidate on:submit=submit>
            <p class="step-progress" data-testid="ask-step">{progress}</p>
            <h2 tabindex="-1" node_ref=heading>{step_title}</h2>
            <FormFeedback form />
            {body}
            <div class="actions">
                <Show when=move || { step.get() > 1 }>
                    <button type="button" class="button button--secondary" data-testid="back" on:click=back>
                        {move || t().help.back}
                    </button>
                </Show>
                {move || if step.get() < STEPS {
                    view! {
                        <button type="submit" class="button" data-testid="next">{move || t().help.next}</button>
                    }
                    .into_any()
                } else {
                    view! { <SubmitButton form label=|t| t.help.send /> }.into_any()
                }}
            </div>
        </form>
    }
}
