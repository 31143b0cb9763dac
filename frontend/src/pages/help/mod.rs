//! Neighbourly help: asking for help (`/help/ask`) and one's own requests (`/help`),
//! a volunteer's offer (`/help/offer`) and board (`/help/volunteer`), and the
//! managers' help desk (`/manager/help`). Each page is a lazy route of its own
//! (`pages/lazy.rs`); what they share is here.

mod ask;
mod desk;
mod hub;
mod notes;
mod offer;
pub mod texts;
mod volunteer;

use ask::HelpAskPage;
pub use desk::HelpDeskPage;
use hub::HelpPage;
pub use notes::Notifications;
use offer::OfferPage;
pub(crate) use texts::category_key;
use volunteer::VolunteerBoardPage;

use leptos::{prelude::*, task::spawn_local};
use shared::{
    ErrorCode, Language,
    help::{HelpAction, HelpRequestDto, HelpStatus, HelpWindow, SuggestionReason},
};

use crate::{
    api::{self, ApiError},
    auth::use_auth,
    i18n::fill,
    prefs::{use_prefs, use_texts},
};

/// A new random key for a request, so that sending it again stores it once.
fn new_id() -> shared::accounts::Uuid {
    crate::pages::survey::new_key().unwrap_or_else(|| {
        // Without `crypto.randomUUID` (an old browser): two random halves.
        let half = || (js_sys::Math::random() * 9_007_199_254_740_992.0) as u128;
        shared::accounts::Uuid::from_u128((half() << 64) | half())
    })
}

/// The residents' and volunteers' help pages, by address: one lazy route for the four
/// (`pages/lazy.rs` says why).
#[component]
pub fn HelpPages() -> impl IntoView {
    let pathname = leptos_router::hooks::use_location().pathname;
    move || match pathname.get().trim_end_matches('/') {
        "/help/ask" => view! { <HelpAskPage /> }.into_any(),
        "/help/offer" => view! { <OfferPage /> }.into_any(),
        "/help/volunteer" => view! { <VolunteerBoardPage /> }.into_any(),
        _ => view! { <HelpPage /> }.into_any(),
    }
}

/// How often the same help: once, or every week for a number of weeks.
fn weeks_options(t: &'static crate::i18n::Texts) -> Vec<(String, String)> {
    let mut options = vec![("1".to_owned(), t.help.repeat_once.to_owned())];
    for weeks in [2u8, 4, 8, 12] {
        let text = fill(t.help.repeat_weeks, &[("weeks", &weeks.to_string())]);
        options.push((weeks.to_string(), text));
    }
    options
}

/// `600` → "10:00".
fn clock(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// "2026-12-03" → "Donnerstag, 3. Dezember" / "Thursday 3 December", in the reader's
/// language; an unreadable day as it is.
fn day(text: &str, language: Language) -> String {
    let Some(date) = shared::help::parse_day(text) else {
        return text.to_owned();
    };
    let js = js_sys::Date::new_with_year_month_day(
        u32::try_from(date.year()).unwrap_or(1970),
        i32::from(u8::from(date.month())) - 1,
        i32::from(date.day()),
    );
    let options = js_sys::Object::new();
    // Setting a property on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(&options, &"weekday".into(), &"long".into());
    let _ = js_sys::Reflect::set(&options, &"day".into(), &"numeric".into());
    let _ = js_sys::Reflect::set(&options, &"month".into(), &"long".into());
    let locale = match language {
        Language::De => "de-DE",
        Language::En => "en-GB",
    };
    js.to_locale_date_string(locale, &options).into()
}

/// When help is wanted, in words.
fn when_text(when: &HelpWindow, t: &'static texts::HelpTexts, language: Language) -> String {
    match when {
        HelpWindow::At {
            date,
            from_minute,
            to_minute,
        } => fill(
            t.when_at,
            &[
                ("date", &day(date, language)),
                ("from", &clock(*from_minute)),
                ("to", &clock(*to_minute)),
            ],
        ),
        HelpWindow::Flexible { from, days } => fill(
            t.when_flexible,
            &[("date", &day(from, language)), ("days", &days.to_string())],
        ),
    }
}

/// One of the matcher's reasons, in words.
fn reason_text(
    reason: &SuggestionReason,
    t: &'static texts::HelpTexts,
    language: Language,
) -> String {
    match reason {
        SuggestionReason::AvailableAt {
            date,
            weekday,
            from_minute,
            to_minute,
        } => fill(
            t.reason_available,
            &[
                ("weekday", t.weekday(*weekday)),
                ("date", &day(date, language)),
                ("from", &clock(*from_minute)),
                ("to", &clock(*to_minute)),
            ],
        ),
        SuggestionReason::SameQuarter => t.reason_same_quarter.to_owned(),
        SuggestionReason::TasksThisWeek { tasks } => {
            fill(t.reason_tasks, &[("tasks", &tasks.to_string())])
        }
        SuggestionReason::HelpedBefore { times } => {
            fill(t.reason_helped, &[("times", &times.to_string())])
        }
        SuggestionReason::Reliability { percent } => {
            fill(t.reason_reliability, &[("percent", &percent.to_string())])
        }
    }
}

/// The reasons as one line: "free on Tuesday … · lives in the same neighbourhood".
#[component]
fn Reasons(reasons: Vec<SuggestionReason>) -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    (!reasons.is_empty()).then(|| {
        let line = move || {
            let language = prefs.language.get();
            reasons
                .iter()
                .map(|r| reason_text(r, &t().help, language))
                .collect::<Vec<_>>()
                .join(" · ")
        };
        view! {
            <p class="reasons" data-testid="reasons">
                <strong>{move || t().help.reasons_label}": "</strong>
                {line}
            </p>
        }
    })
}

/// Who looks at a request, for the steps offered on its card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Viewer {
    /// The person who asked.
    Resident,
    /// A volunteer: an open request on the board, or one of their tasks.
    Volunteer,
    /// The quarter's staff.
    Staff,
}

/// The steps `viewer` may take on a request in `status` (the server checks again).
fn steps(viewer: Viewer, status: HelpStatus) -> Vec<HelpAction> {
    use HelpStatus::*;
    match (viewer, status) {
        (Viewer::Resident | Viewer::Staff, Accepted) => {
            vec![HelpAction::Confirm, HelpAction::Cancel]
        }
        (Viewer::Resident | Viewer::Staff, Confirmed) => vec![HelpAction::Done, HelpAction::Cancel],
        (Viewer::Resident | Viewer::Staff, Open | Proposed) => vec![HelpAction::Cancel],
        (Viewer::Volunteer, Open) => vec![HelpAction::Accept],
        (Viewer::Volunteer, Proposed) => vec![HelpAction::Accept, HelpAction::Decline],
        (Viewer::Volunteer, Accepted) => vec![HelpAction::Decline],
        (Viewer::Volunteer, Confirmed) => vec![HelpAction::Done],
        _ => Vec::new(),
    }
}

fn step_label(action: &HelpAction, t: &'static texts::HelpTexts) -> &'static str {
    match action {
        HelpAction::Accept => t.act_accept,
        HelpAction::Decline => t.act_decline,
        HelpAction::Confirm => t.act_confirm,
        HelpAction::Done => t.act_done,
        HelpAction::Cancel => t.act_cancel,
        HelpAction::Propose { .. } => t.act_propose,
    }
}

fn step_testid(action: &HelpAction) -> &'static str {
    match action {
        HelpAction::Accept => "act-accept",
        HelpAction::Decline => "act-decline",
        HelpAction::Confirm => "act-confirm",
        HelpAction::Done => "act-done",
        HelpAction::Cancel => "act-cancel",
        HelpAction::Propose { .. } => "act-propose",
    }
}

/// Takes one step, then tells the page (which loads its list again). A 409 (someone
/// else was quicker) is said in words; the page's reload shows the new state.
fn take_step(
    request: shared::accounts::Uuid,
    action: HelpAction,
    busy: RwSignal<bool>,
    message: RwSignal<Option<Result<(), ApiError>>>,
    changed: Callback<()>,
) {
    let auth = use_auth();
    busy.set(true);
    spawn_local(async move {
        let result = api::help_action(auth, request, &action).await;
        busy.set(false);
        message.set(Some(result.map(|_| ())));
        changed.run(());
    });
}

/// A request as a card: what, when, where it stands, who comes, how to reach each
/// other (once both agreed), why it fits, and the steps `viewer` may take.
#[component]
fn RequestCard(
    request: HelpRequestDto,
    viewer: Viewer,
    /// Called after a step, so the page loads its list again.
    changed: Callback<()>,
    /// Extra content below the facts (the help desk's suggestions).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<Result<(), ApiError>>);
    let id = request.id;
    let status = request.status;
    let category = request.category;
    let urgency = request.urgency;
    let when = request.when.clone();
    let when = move || when_text(&when, &t().help, prefs.language.get());
    let title_id = format!("help-request-{id}");
    let labelled_by = title_id.clone();
    let row = |label: fn(&'static crate::i18n::Texts) -> &'static str,
               value: AnyView,
               testid: &'static str| {
        view! {
            <div class="facts__row facts__row--compact">
                <dt>{move || label(t())}</dt>
                <dd data-testid=testid>{value}</dd>
            </div>
        }
    };
    let details = request.details.clone();
    let accessibility = (!request.accessibility.is_empty()).then(|| {
        row(
            |t| t.help.accessibility,
            request.accessibility.clone().into_any(),
            "help-accessibility",
        )
    });
    let for_whom = (!request.for_name.is_empty() && viewer != Viewer::Resident).then(|| {
        row(
            |t| t.help.for_whom,
            request.for_name.clone().into_any(),
            "help-for",
        )
    });
    let caller = request.caller.clone().map(|c| {
        row(
            |t| t.help.caller,
            format!("{}, {}", c.name, c.phone).into_any(),
            "help-caller",
        )
    });
    let volunteer = request.volunteer.clone().map(|v| {
        let name = v.display_name;
        let text = move || {
            let template = if status == HelpStatus::Proposed {
                t().help.proposed_to
            } else {
                t().help.coming
            };
            fill(template, &[("name", &name)])
        };
        view! { <p data-testid="help-volunteer">{text}</p> }
    });
    let involved = matches!(
        status,
        HelpStatus::Accepted | HelpStatus::Confirmed | HelpStatus::Done
    ) && viewer != Viewer::Staff;
    // Once agreed, the appointment can go into the phone's calendar.
    let calendar = (status == HelpStatus::Confirmed && viewer != Viewer::Staff).then(|| {
        let auth = use_auth();
        let add = move |_| {
            busy.set(true);
            spawn_local(async move {
                let result = api::appointment(auth, id).await;
                busy.set(false);
                match result {
                    Ok(ics) => {
                        // Only a browser without downloads fails here; nothing to add.
                        let _ = crate::download::save_file(
                            "quartier-termin.ics",
                            &ics,
                            "text/calendar",
                        );
                    }
                    Err(error) => message.set(Some(Err(error))),
                }
            });
        };
        view! {
            <button type="button" class="button button--secondary" data-testid="help-calendar"
                disabled=move || busy.get() on:click=add>
                {move || t().help.add_to_calendar}
            </button>
        }
    });
    let contact = match request.contact.clone() {
        Some(c) => Some(
            view! {
                <div class="help-contact" data-testid="help-contact">
                    <h4>{move || t().help.contact_title}</h4>
                    <p>
                        {c.name}
                        <br />
                        {if c.phone.is_empty() {
                            view! { <span>{move || t().help.contact_no_phone}</span> }.into_any()
                        } else {
                            let href = format!("tel:{}", c.phone.replace(' ', ""));
                            view! { <a href=href data-testid="help-contact-phone">{c.phone}</a> }.into_any()
                        }}
                    </p>
                    {calendar}
                </div>
            }
            .into_any(),
        ),
        None if involved && status != HelpStatus::Done => Some(
            view! { <p class="hint" data-testid="help-contact-later">{move || t().help.contact_later}</p> }
                .into_any(),
        ),
        None => None,
    };
    let buttons = steps(viewer, status)
        .into_iter()
        .map(|action| {
            let testid = step_testid(&action);
            let label = {
                let action = action.clone();
                move || step_label(&action, &t().help)
            };
            let secondary = matches!(action, HelpAction::Cancel | HelpAction::Decline);
            view! {
                <button
                    type="button"
                    class=if secondary { "button button--secondary" } else { "button" }
                    data-testid=testid
                    disabled=move || busy.get()
                    on:click=move |_| take_step(id, action.clone(), busy, message, changed)
                >
                    {label}
                </button>
            }
        })
        .collect_view();
    let feedback = move || {
        message.get().map(|result| match result {
            Ok(()) => {
                view! { <p class="notice notice--success">{move || t().help.acted}</p> }.into_any()
            }
            Err(ApiError::Problem(p)) if p.code == ErrorCode::Conflict => {
                view! { <p class="notice">{move || t().help.act_conflict}</p> }.into_any()
            }
            Err(error) => view! { <p class="notice">{error.message(t())}</p> }.into_any(),
        })
    };
    view! {
        <li class="card help-request" data-testid="help-request" data-status=status.as_str() aria-labelledby=labelled_by>
            <h3 id=title_id>{move || t().help.category(category)}</h3>
            <p class="help-request__status" data-testid="help-status">
                <strong>{move || t().help.status(status)}</strong>
                {request.series.map(|s| {
                    let text = move || fill(
                        t().help.series,
                        &[("week", &s.week.to_string()), ("weeks", &s.weeks.to_string())],
                    );
                    view! { " · " <span data-testid="help-series">{text}</span> }
                })}
            </p>
            <dl class="facts facts--compact">
                {row(|t| t.help.when, view! { <span>{when}</span> }.into_any(), "help-when")}
                {row(|t| t.help.details, details.into_any(), "help-details")}
                {accessibility}
                {row(|t| t.help.urgency, view! { <span>{move || t().help.urgency(urgency)}</span> }.into_any(), "help-urgency")}
                {for_whom}
                {caller}
            </dl>
            {volunteer}
            {contact}
            <Reasons reasons=request.reasons.clone() />
            {children.map(|c| c())}
            <div role="status">{feedback}</div>
            <div class="actions help-request__actions">{buttons}</div>
        </li>
    }
}

/// Requests as cards, or `empty` when there are none (`<testid>-empty`).
#[component]
fn RequestList(
    requests: Vec<HelpRequestDto>,
    viewer: Viewer,
    changed: Callback<()>,
    testid: &'static str,
    empty: crate::i18n::Text,
) -> impl IntoView {
    let t = use_texts();
    if requests.is_empty() {
        return view! { <p data-testid=format!("{testid}-empty")>{move || empty(t())}</p> }
            .into_any();
    }
    view! {
        <ul class="cards" data-testid=testid>
            {requests
                .into_iter()
                .map(|request| view! { <RequestCard request viewer changed /> })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// A group of radio buttons, each a whole tappable row: `(value, label)` options, the
/// chosen value in `value`. Its error (server field `testid`) shows above the options.
#[component]
fn RadioGroup<O>(
    form: crate::components::form::FormState,
    testid: &'static str,
    legend: crate::i18n::Text,
    value: RwSignal<String>,
    options: O,
) -> impl IntoView
where
    O: Fn(&'static crate::i18n::Texts) -> Vec<(&'static str, &'static str)>
        + Copy
        + Send
        + Sync
        + 'static,
{
    let t = use_texts();
    let group = format!("field-{testid}");
    let rows = move || {
        options(t())
            .into_iter()
            .map(|(option, label)| {
                view! {
                    <label class="option">
                        <input
                            type="radio"
                            name=testid
                            value=option
                            data-testid=format!("{testid}-{option}")
                            prop:checked=move || value.with(|v| v == option)
                            on:change=move |_| value.set(option.to_owned())
                        />
                        <span>{label}</span>
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="fieldset" id=group tabindex="-1" aria-describedby=format!("field-{testid}-error")>
            <legend>{move || legend(t())}</legend>
            <crate::components::form::GroupError form testid />
            <div class="options">{rows}</div>
        </fieldset>
    }
}

pub(crate) fn category_options(
    t: &'static crate::i18n::Texts,
) -> Vec<(&'static str, &'static str)> {
    shared::help::HelpCategory::ALL
        .into_iter()
        .map(|c| (category_key(c), t.help.category(c)))
        .collect()
}

pub(crate) fn category_from_key(key: &str) -> Option<shared::help::HelpCategory> {
    shared::help::HelpCategory::ALL
        .into_iter()
        .find(|c| category_key(*c) == key)
}

fn urgency_options(t: &'static crate::i18n::Texts) -> Vec<(&'static str, &'static str)> {
    use shared::help::HelpUrgency::*;
    vec![
        ("low", t.help.urgency(Low)),
        ("normal", t.help.urgency(Normal)),
        ("high", t.help.urgency(High)),
    ]
}

fn urgency_from_key(key: &str) -> shared::help::HelpUrgency {
    use shared::help::HelpUrgency::*;
    match key {
        "low" => Low,
        "high" => High,
        _ => Normal,
    }
}

/// "10:30" → 630; anything else → `None`.
fn parse_clock(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Today in the browser's time zone, as `YYYY-MM-DD`.
fn today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_read_and_write_alike() {
        assert_eq!(clock(600), "10:00");
        assert_eq!(clock(605), "10:05");
        assert_eq!(parse_clock("10:05"), Some(605));
        assert_eq!(parse_clock("24:00"), None);
        assert_eq!(parse_clock("10"), None);
    }

    #[test]
    fn every_category_has_a_key_the_api_knows() {
        for c in shared::help::HelpCategory::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", category_key(c)));
            assert_eq!(category_from_key(category_key(c)), Some(c));
        }
    }

    #[test]
    fn the_category_names_alone_are_the_help_pages_names() {
        for c in shared::help::HelpCategory::ALL {
            assert_eq!(texts::category_name(c, Language::De), texts::DE.category(c));
            assert_eq!(texts::category_name(c, Language::En), texts::EN.category(c));
        }
    }

    #[test]
    fn each_side_gets_the_steps_that_are_theirs() {
        use HelpStatus::*;
        assert_eq!(steps(Viewer::Volunteer, Open), vec![HelpAction::Accept]);
        assert!(
            steps(Viewer::Resident, Open)
                .iter()
                .all(|a| *a == HelpAction::Cancel)
        );
        assert!(steps(Viewer::Resident, Accepted).contains(&HelpAction::Confirm));
        assert!(!steps(Viewer::Volunteer, Accepted).contains(&HelpAction::Confirm));
        assert!(steps(Viewer::Resident, Done).is_empty());
    }
}
