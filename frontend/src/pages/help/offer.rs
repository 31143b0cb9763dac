//! `/help/offer`: a volunteer says what they help with, when, where and how often,
//! can pause, and sees whether the neighbourhood office has confirmed them.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use shared::{
    Role,
    accounts::Uuid,
    help::{
        AvailabilitySlot, HelpCategory, MAX_ABOUT, MAX_SLOTS, MAX_TASKS_PER_WEEK,
        VolunteerOfferDto, VolunteerOfferRequest, Weekday,
    },
};

use super::{category_key, clock, parse_clock};
use crate::{
    api::{self, ApiError},
    auth::use_auth,
    components::{
        ErrorNotice, PageTitle, RequireRole,
        form::{
            CheckboxField, Checks, FormFeedback, FormState, GroupError, SubmitButton, TextField,
        },
    },
    i18n::fill,
    prefs::use_texts,
};

const WEEKDAYS: [(Weekday, &str); 7] = [
    (Weekday::Monday, "monday"),
    (Weekday::Tuesday, "tuesday"),
    (Weekday::Wednesday, "wednesday"),
    (Weekday::Thursday, "thursday"),
    (Weekday::Friday, "friday"),
    (Weekday::Saturday, "saturday"),
    (Weekday::Sunday, "sunday"),
];

#[component]
pub fn OfferPage() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    view! {
        <PageTitle text=move || t().help.offer_title />
        <RequireRole>
            {move || if auth.has_role(Role::Volunteer) {
                view! { <LoadOffer /> }.into_any()
            } else {
                view! { <p class="notice notice--info" data-testid="not-volunteer">{move || t().help.no_volunteer}</p> }.into_any()
            }}
        </RequireRole>
    }
}

#[component]
fn LoadOffer() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let offer = LocalResource::new(move || api::my_offer(auth));
    let quarters = LocalResource::new(api::quarters);
    let content = move || {
        Suspend::new(async move {
            let quarters = quarters.await.unwrap_or_default();
            match offer.await {
                Ok(saved) => view! { <OfferForm saved=Some(saved) quarters /> }.into_any(),
                Err(ApiError::Problem(p)) if p.status == 404 => {
                    view! { <OfferForm saved=None quarters /> }.into_any()
                }
                Err(error) => {
                    view! { <ErrorNotice error on_retry=move || offer.refetch() /> }.into_any()
                }
            }
        })
    };
    view! {
        <Transition fallback=move || view! { <p class="loading" role="status">{move || t().help.loading}</p> }>
            {content}
        </Transition>
    }
}

/// One weekly time while it is edited.
#[derive(Debug, Clone)]
struct Slot {
    key: u32,
    weekday: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
}

#[component]
fn OfferForm(
    saved: Option<VolunteerOfferDto>,
    quarters: Vec<shared::quarters::QuarterDto>,
) -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let form = FormState::new();
    let verification = RwSignal::new(saved.as_ref().and_then(|o| o.verification.clone()));
    let home = auth.user_untracked().and_then(|me| me.home_quarter_id);
    let categories = RwSignal::new(
        saved
            .as_ref()
            .map(|o| o.categories.clone())
            .unwrap_or_default(),
    );
    let chosen_quarters: RwSignal<Vec<Uuid>> = RwSignal::new(
        saved
            .as_ref()
            .map(|o| o.quarter_ids.clone())
            .unwrap_or_else(|| home.into_iter().collect()),
    );
    let next_key = StoredValue::new(0u32);
    let new_slot = move |weekday: &str, from: u16, to: u16| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        Slot {
            key,
            weekday: RwSignal::new(weekday.to_owned()),
            from: RwSignal::new(clock(from)),
            to: RwSignal::new(clock(to)),
        }
    };
    let slots = RwSignal::new(
        saved
            .as_ref()
            .map(|o| {
                o.availability
                    .iter()
                    .map(|s| {
                        let day = WEEKDAYS
                            .iter()
                            .find(|(d, _)| *d == s.weekday)
                            .map_or("monday", |(_, k)| *k);
                        new_slot(day, s.from_minute, s.to_minute)
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default(),
    );
    let max_tasks = RwSignal::new(
        saved
            .as_ref()
            .map_or(2, |o| o.max_tasks_per_week)
            .to_string(),
    );
    let paused = RwSignal::new(saved.as_ref().is_some_and(|o| o.paused));
    let about = RwSignal::new(saved.as_ref().map(|o| o.about.clone()).unwrap_or_default());

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut checks = Checks::default();
        checks.add(
            "categories",
            categories
                .with_untracked(Vec::is_empty)
                .then_some("required"),
        );
        checks.add(
            "quarter_ids",
            chosen_quarters
                .with_untracked(Vec::is_empty)
                .then_some("required"),
        );
        let max: Option<u8> = max_tasks.get_untracked().trim().parse().ok();
        checks.add(
            "max_tasks_per_week",
            (!max.is_some_and(|m| (1..=MAX_TASKS_PER_WEEK).contains(&m))).then_some("out_of_range"),
        );
        checks.add(
            "about",
            (about.with_untracked(|a| a.chars().count()) > MAX_ABOUT).then_some("too_long"),
        );
        let mut availability = Vec::new();
        for slot in slots.get_untracked() {
            let weekday = WEEKDAYS
                .iter()
                .find(|(_, k)| *k == slot.weekday.get_untracked())
                .map(|(d, _)| *d);
            match (
                weekday,
                parse_clock(&slot.from.get_untracked()),
                parse_clock(&slot.to.get_untracked()),
            ) {
                (Some(weekday), Some(from), Some(to)) if from < to => {
                    availability.push(AvailabilitySlot {
                        weekday,
                        from_minute: from,
                        to_minute: to,
                    })
                }
                _ => checks.add("availability", Some("invalid_time_range")),
            }
        }
        if !form.start(checks.into_vec()) {
            return;
        }
        let request = VolunteerOfferRequest {
            categories: categories.get_untracked(),
            availability,
            quarter_ids: chosen_quarters.get_untracked(),
            max_tasks_per_week: max.unwrap_or(1),
            paused: paused.get_untracked(),
            about: about.get_untracked(),
        };
        spawn_local(async move {
            match api::save_offer(auth, &request).await {
                Ok(offer) => {
                    verification.set(offer.verification);
                    form.succeed(|t| t.help.offer_saved);
                }
                Err(error) => form.fail(error),
            }
        });
    };

    let status = move || {
        match verification.get() {
        Some(v) => {
            let day = v.verified_at.get(..10).unwrap_or_default().to_owned();
            view! {
                <p class="notice notice--success" data-testid="offer-verified">
                    {move || fill(t().help.verified_on, &[("date", &day)])}
                </p>
            }
            .into_any()
        }
        None => view! {
            <p class="notice notice--info" data-testid="offer-not-verified">{move || t().help.not_verified}</p>
        }
        .into_any(),
    }
    };
    let category_boxes = move || {
        HelpCategory::ALL
            .into_iter()
            .map(|c| {
                let key = category_key(c);
                view! {
                    <label class="option">
                        <input
                            type="checkbox"
                            name="categories"
                            value=key
                            data-testid=format!("category-{key}")
                            prop:checked=move || categories.with(|list| list.contains(&c))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                categories.update(|list| {
                                    list.retain(|x| *x != c);
                                    if on {
                                        list.push(c);
                                    }
                                });
                            }
                        />
                        <span>{move || t().help.category(c)}</span>
                    </label>
                }
            })
            .collect_view()
    };
    let quarter_boxes = quarters
        .into_iter()
        .map(|q| {
            let id = q.id;
            view! {
                <label class="option">
                    <input
                        type="checkbox"
                        name="quarters"
                        value=id.to_string()
                        data-testid=format!("quarter-{id}")
                        prop:checked=move || chosen_quarters.with(|list| list.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen_quarters.update(|list| {
                                list.retain(|x| *x != id);
                                if on {
                                    list.push(id);
                                }
                            });
                        }
                    />
                    <span>{q.name}</span>
                </label>
            }
        })
        .collect_view();
    let slot_rows = move || {
        let list = slots.get();
        if list.is_empty() {
            return view! { <p class="hint">{move || t().help.no_slots}</p> }.into_any();
        }
        list.into_iter()
            .enumerate()
            .map(|(i, slot)| view! { <SlotRow entry=slot number=i + 1 slots /> })
            .collect_view()
            .into_any()
    };
    let add_slot = move |_| {
        if slots.with_untracked(Vec::len) < MAX_SLOTS {
            let slot = new_slot("monday", 600, 720);
            slots.update(|list| list.push(slot));
        }
    };
    view! {
        <p class="lead">{move || t().help.offer_intro}</p>
        {status}
        <form class="form" data-testid="offer-form" novalidate on:submit=submit>
            <FormFeedback form />
            <fieldset class="fieldset" id="field-categories" tabindex="-1" aria-describedby="field-categories-error">
                <legend>{move || t().help.categories_legend}</legend>
                <GroupError form testid="categories" />
                <div class="options">{category_boxes}</div>
            </fieldset>
            <fieldset class="fieldset" id="field-availability" tabindex="-1" aria-describedby="field-availability-hint field-availability-error">
                <legend>{move || t().help.availability_legend}</legend>
                <p class="field__hint" id="field-availability-hint">{move || t().help.availability_hint}</p>
                <GroupError form testid="availability" />
                {slot_rows}
                <button type="button" class="button button--secondary" data-testid="add-slot" on:click=add_slot>
                    {move || t().help.add_slot}
                </button>
            </fieldset>
            <fieldset class="fieldset" id="field-quarters" tabindex="-1" aria-describedby="field-quarters-error">
                <legend>{move || t().help.quarters_legend}</legend>
                <GroupError form testid="quarters" />
                <div class="options">{quarter_boxes}</div>
            </fieldset>
            <TextField form testid="max-tasks" label=|t| t.help.max_tasks hint=|t| t.help.max_tasks_hint value=max_tasks inputmode="numeric" required=true />
            <CheckboxField form testid="paused" label=|t| t.help.paused hint=|t| t.help.paused_hint checked=paused />
            <TextField form testid="about" label=|t| t.help.about hint=|t| t.help.about_hint value=about multiline=true optional=true />
            <SubmitButton form label=|t| t.help.save_offer />
        </form>
    }
}

/// One weekly time: weekday, from, until, and a button to remove it.
#[component]
fn SlotRow(entry: Slot, number: usize, slots: RwSignal<Vec<Slot>>) -> impl IntoView {
    let t = use_texts();
    let slot = entry;
    let key = slot.key;
    let id = |part: &str| format!("slot-{key}-{part}");
    let weekday = slot.weekday;
    let day_options = move || {
        WEEKDAYS
            .iter()
            .map(|(d, k)| {
                let k = *k;
                view! { <option value=k prop:selected=move || weekday.with(|w| w == k)>{t().help.weekday(*d)}</option> }
            })
            .collect_view()
    };
    let described = move || {
        fill(
            t().help.remove_slot,
            &[(
                "slot",
                &format!(
                    "{number}: {} {}–{}",
                    slot.weekday.get(),
                    slot.from.get(),
                    slot.to.get()
                ),
            )],
        )
    };
    view! {
        <div class="slot" data-testid="slot">
            <div class="field">
                <label class="field__label" for=id("day")>{move || t().help.weekday}</label>
                <select id=id("day") data-testid="slot-day" on:change=move |ev| weekday.set(event_target_value(&ev))>
                    {day_options}
                </select>
            </div>
            <div class="field">
                <label class="field__label" for=id("from")>{move || t().help.from_time}</label>
                <input id=id("from") type="time" data-testid="slot-from" bind:value=slot.from />
            </div>
            <div class="field">
                <label class="field__label" for=id("to")>{move || t().help.to_time}</label>
                <input id=id("to") type="time" data-testid="slot-to" bind:value=slot.to />
            </div>
            <button
                type="button"
                class="button button--secondary"
                data-testid="remove-slot"
                aria-label=described
                on:click=move |_| slots.update(|list| list.retain(|s| s.key != key))
            >
                "×"
            </button>
        </div>
    }
}
