//! `/s/:id`: a resident answers a survey, one section per screen.
//!
//! The path from a letter: the link (or QR code) carries the survey and the access
//! code. A start screen says what this is and asks the optional profile questions;
//! then one screen per section with the questions that apply (show-if conditions are
//! `shared`'s, the same the server checks), a summary, and a thank-you. Progress is
//! kept on the phone at every step ([`super::saved`]); a response that cannot be
//! sent waits there and goes out when the connection returns.

use std::collections::{BTreeMap, BTreeSet};

use leptos::{ev, prelude::*, task::spawn_local};
use shared::{
    AgeBand, ErrorCode, FieldError,
    accounts::Uuid,
    help::HelpCategory,
    surveys::{
        Answers, PublicSurveyDto, RespondentProfile, Section, SubmitResponseRequest, SurveyStatus,
    },
};
use wasm_bindgen::JsCast;

use super::{
    question::{QuestionField, answer_in_words, control_id, localized, problem_text},
    saved::{self, Saved},
};
use crate::{
    api::{self, ApiError},
    auth::use_auth,
    components::ErrorNotice,
    format::date_time,
    i18n::{fill, tr},
    pages::help_texts::category_key,
    prefs::{Prefs, use_prefs, use_texts},
};

#[component]
pub fn SurveyAnswerPage() -> impl IntoView {
    let id = crate::nav::survey_param().and_then(|s| Uuid::parse_str(&s).ok());
    let code = crate::nav::query_now("code");
    let Some(id) = id else {
        return view! { <NotFound /> }.into_any();
    };
    // The survey from the page itself, else from the server; without a connection,
    // the copy kept on the phone.
    let survey = LocalResource::new(move || async move {
        if let Some(found) = embedded(id) {
            return Ok(found);
        }
        match api::public_survey(id).await {
            Ok(survey) => Ok(survey),
            Err(ApiError::Network) => saved::load(id)
                .and_then(|s| Some((s.survey()?, s.survey?)))
                .ok_or(ApiError::Network),
            Err(error) => Err(error),
        }
    });
    let content = move || {
        let code = code.clone();
        Suspend::new(async move {
            let loaded = survey.await;
            let page = match loaded {
                Ok((survey, json)) => {
                    view! { <Answering survey json code=code.unwrap_or_default() /> }.into_any()
                }
                Err(ApiError::Problem(p)) if p.code == ErrorCode::NotFound => {
                    view! { <NotFound /> }.into_any()
                }
                Err(error) => view! {
                    <h1 data-testid="page-title">{tr(|t| t.app.name)}</h1>
                    <ErrorNotice error on_retry=move || survey.refetch() />
                }
                .into_any(),
            };
            // Whatever it is (the survey, not found, an error), it takes the place of
            // the server's first paint now, and takes over what was filled in there.
            crate::first_paint_done();
            page
        })
    };
    view! {
        <Transition fallback=move || {
            view! { <p class="loading" role="status">{tr(|t| t.answer.loading)}</p> }
        }>{content}</Transition>
    }
    .into_any()
}

/// The survey's document when the server wrote it into the page (`answer.html`, see
/// `backend/src/web.rs`), so the first screen needs no request. Read once and
/// removed: a later visit within the app asks the API again.
fn embedded(id: Uuid) -> Option<(PublicSurveyDto, String)> {
    let element = document().get_element_by_id("survey-data")?;
    element.remove();
    if element.get_attribute("data-id")? != id.to_string() {
        return None;
    }
    let json = element.text_content()?;
    let survey = serde_json::from_str(&json).ok()?;
    Some((survey, json))
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <h1 data-testid="page-title">{tr(|t| t.not_found.title)}</h1>
        <p class="notice" data-testid="survey-not-found">{tr(|t| t.answer.not_found)}</p>
    }
}

/// Where the person is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Screen {
    Start,
    /// A section, by its key.
    Section(String),
    Summary,
}

impl Screen {
    fn key(&self) -> String {
        match self {
            Screen::Start => "start".into(),
            Screen::Section(key) => key.clone(),
            Screen::Summary => "summary".into(),
        }
    }

    fn from_key(key: Option<&str>) -> Screen {
        match key {
            None | Some("start") => Screen::Start,
            Some("summary") => Screen::Summary,
            Some(section) => Screen::Section(section.to_owned()),
        }
    }
}

/// What happens with the finished response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Answering,
    Sending,
    /// Sent without an answer (offline): kept on the phone, sent again later.
    Queued,
    Done,
}

/// What stops a person from answering, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Barrier {
    NotYetOpen,
    Closed,
    SignInNeeded,
    AlreadyAnswered,
}

fn now_is_past(at: shared::accounts::Timestamp) -> bool {
    let now_ms = js_sys::Date::now();
    ((at.unix_timestamp_nanos() / 1_000_000) as f64) <= now_ms
}

/// The answering flow for a loaded survey. With `preview`, nothing is kept or sent:
/// the manager sees exactly what residents see.
#[component]
pub fn Answering(
    survey: PublicSurveyDto,
    /// The survey as the server sent it, kept on the phone with the progress.
    #[prop(optional)]
    json: String,
    /// The access code from the letter's link, if any.
    #[prop(optional)]
    code: String,
    #[prop(optional)] preview: bool,
) -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    let auth = use_auth();
    let lang = move || prefs.language.get();
    let id = survey.id;

    // What was kept on this phone; a new code from a letter starts afresh.
    let mut kept = if preview {
        Saved::default()
    } else {
        saved::load(id).unwrap_or_default()
    };
    if let Some(code) = Some(&code).filter(|c| !c.trim().is_empty())
        && kept.code.as_deref() != Some(code.as_str())
    {
        if kept.pending.is_none() {
            kept = Saved::default();
        }
        kept.code = Some(code.clone());
    }
    let resumed = !kept.is_fresh();
    let answers = RwSignal::new(kept.answers.clone());
    let profile = RwSignal::new(kept.profile);
    let screen = RwSignal::new(Screen::from_key(kept.screen.as_deref()));
    let code = RwSignal::new(kept.code.clone().unwrap_or_default());
    let pending = RwSignal::new(kept.pending);
    let phase = RwSignal::new(if kept.pending.is_some() {
        Phase::Queued
    } else {
        Phase::Answering
    });
    let unreadable = RwSignal::new(Vec::<String>::new());
    // Messages by question key (and `code`) for the current screen.
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let barrier = RwSignal::new(None::<Barrier>);
    let kept_ok = RwSignal::new(true);
    let online = RwSignal::new(web_sys::window().is_none_or(|w| w.navigator().on_line()));

    let survey = StoredValue::new(survey);

    // Barriers known before anyone answers.
    survey.with_value(|s| {
        let closed = s.status == SurveyStatus::Closed || s.closes_at.is_some_and(now_is_past);
        let not_yet = s.opens_at.is_some_and(|at| !now_is_past(at));
        if !preview && closed {
            barrier.set(Some(Barrier::Closed));
        } else if !preview && not_yet {
            barrier.set(Some(Barrier::NotYetOpen));
        }
    });
    let needs_code = move || {
        survey.with_value(|s| {
            let signed_in_counts = s.access.signed_in && auth.is_signed_in();
            s.access.codes && !s.access.public_link && !signed_in_counts
        })
    };
    let needs_sign_in = move || {
        survey.with_value(|s| s.access.signed_in && !s.access.codes && !s.access.public_link)
            && !auth.is_signed_in()
    };

    // Signed-in people start with their own quarter and age band.
    if !preview && kept.is_fresh() {
        Effect::new(move |_| {
            if let Some(user) = auth.user() {
                profile.update(|p| {
                    if p.quarter_id.is_none() {
                        p.quarter_id = user.home_quarter_id.filter(|q| {
                            survey.with_value(|s| s.quarters.iter().any(|c| c.id == *q))
                        });
                    }
                    if p.age_band.is_none() {
                        p.age_band = user.age_band;
                    }
                });
            }
        });
    }

    // Signed in and nothing on this phone: continue from the server's copy.
    if !preview && kept.is_fresh() {
        let asked = StoredValue::new(false);
        Effect::new(move |_| {
            if auth.is_restoring() || !auth.is_signed_in() || asked.get_value() {
                return;
            }
            asked.set_value(true);
            spawn_local(async move {
                if let Ok(draft) = api::survey_draft(auth, id).await
                    && answers.with_untracked(|a| a.is_empty())
                {
                    answers.set(draft.answers);
                    profile.set(draft.profile);
                }
            });
        });
    }

    // Keep everything on the phone at every change.
    if !preview {
        Effect::new(move |_| {
            let kept = Saved {
                survey: Some(json.clone()),
                answers: answers.get(),
                profile: profile.get(),
                screen: Some(screen.get().key()),
                code: Some(code.get()).filter(|c| !c.trim().is_empty()),
                pending: pending.get(),
            };
            if phase.get_untracked() != Phase::Done {
                kept_ok.set(saved::store(id, &kept));
            }
        });
        // A signed-in person's progress also goes to the server, at each new screen.
        Effect::new(move |previous: Option<Screen>| {
            let now = screen.get();
            if previous.is_some_and(|p| p != now)
                && auth.is_signed_in()
                && phase.get_untracked() == Phase::Answering
            {
                let draft = Saved {
                    answers: answers.get_untracked(),
                    profile: profile.get_untracked(),
                    ..Saved::default()
                }
                .to_draft(0);
                // A failure only means the other device is not up to date.
                spawn_local(async move {
                    let _ = api::save_survey_draft(auth, id, &draft).await;
                });
            }
            now
        });
        let on = window_event_listener(ev::online, move |_| online.set(true));
        let off = window_event_listener(ev::offline, move |_| online.set(false));
        on_cleanup(move || {
            on.remove();
            off.remove();
        });
    }

    // The questions and sections that apply, given the answers so far.
    let visible =
        Memo::new(move |_| answers.with(|a| survey.with_value(|s| s.definition.visible(a))));
    let sections = Memo::new(move |_| {
        let visible = visible.get();
        survey.with_value(|s| {
            s.definition
                .sections
                .iter()
                .filter(|section| section.questions.iter().any(|q| visible.contains(&q.id)))
                .map(|section| section.id.clone())
                .collect::<Vec<_>>()
        })
    });
    // Start + sections + summary.
    let position = move || match screen.get() {
        Screen::Start => 0,
        Screen::Section(key) => {
            sections.with(|s| s.iter().position(|k| *k == key).map_or(1, |i| i + 1))
        }
        Screen::Summary => sections.with(Vec::len) + 1,
    };
    let total = move || sections.with(Vec::len) + 2;

    let go = move |to: Screen| {
        errors.set(BTreeMap::new());
        screen.set(to);
        focus_heading();
    };

    // Problems with the answers to the questions of `section`, by question key.
    let section_problems = move |section: &Section| -> BTreeMap<String, String> {
        let all =
            answers.with_untracked(|a| survey.with_value(|s| s.definition.answer_problems(a)));
        let texts = &t().answer;
        let mut found = BTreeMap::new();
        for q in &section.questions {
            if unreadable.with_untracked(|u| u.contains(&q.id)) {
                found.insert(
                    q.id.clone(),
                    problem_text(texts, q, "not_a_number", prefs.shown_language()),
                );
                continue;
            }
            if let Some(problem) = all
                .iter()
                .find(|p| p.field == format!("answers.{}", q.id) && p.code != "not_shown")
            {
                found.insert(
                    q.id.clone(),
                    problem_text(texts, q, &problem.code, prefs.shown_language()),
                );
            }
        }
        found
    };

    let next = move || match screen.get_untracked() {
        Screen::Start => {
            if needs_code() && code.with_untracked(|c| c.trim().is_empty()) {
                errors.set(BTreeMap::from([(
                    "code".to_owned(),
                    t().answer.code_needed.to_owned(),
                )]));
                focus_error_summary();
                return;
            }
            match sections.with_untracked(|s| s.first().cloned()) {
                Some(first) => go(Screen::Section(first)),
                None => go(Screen::Summary),
            }
        }
        Screen::Section(key) => {
            let Some(section) =
                survey.with_value(|s| s.definition.sections.iter().find(|x| x.id == key).cloned())
            else {
                go(Screen::Start);
                return;
            };
            let problems = section_problems(&section);
            if !problems.is_empty() {
                errors.set(problems);
                focus_error_summary();
                return;
            }
            let following = sections.with_untracked(|s| {
                s.iter()
                    .position(|k| *k == key)
                    .and_then(|i| s.get(i + 1).cloned())
            });
            match following {
                Some(section) => go(Screen::Section(section)),
                None => go(Screen::Summary),
            }
        }
        Screen::Summary => {}
    };
    let back = move || match screen.get_untracked() {
        Screen::Start => {}
        Screen::Section(key) => {
            let before = sections.with_untracked(|s| {
                s.iter()
                    .position(|k| *k == key)
                    .and_then(|i| i.checked_sub(1))
                    .and_then(|i| s.get(i).cloned())
            });
            go(before.map_or(Screen::Start, Screen::Section));
        }
        Screen::Summary => {
            let last = sections.with_untracked(|s| s.last().cloned());
            go(last.map_or(Screen::Start, Screen::Section));
        }
    };

    // The start screen's form in the first paint (`boot.js`, `surveyStart`) was in use
    // while the app arrived: what was chosen and typed there goes on here, and a press
    // of its button goes on to the first section.
    if !preview && !resumed {
        crate::when_first_paint_ends(move || {
            let Some(start) = FirstPaintStart::read() else {
                return;
            };
            if let Some(typed) = start.code {
                code.set(typed);
            }
            if survey.with_value(|s| s.profile_questions) {
                let quarter = start
                    .quarter
                    .filter(|q| survey.with_value(|s| s.quarters.iter().any(|c| c.id == *q)));
                profile.set(RespondentProfile {
                    quarter_id: quarter,
                    age_band: start.age_band,
                });
            }
            // Once the app's start screen is on screen in its place.
            request_animation_frame(move || {
                if start.pressed {
                    next();
                } else if let Some(field) = start
                    .focused
                    .and_then(|selector| document().query_selector(&selector).ok().flatten())
                    .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = field.focus();
                }
            });
        });
    }

    // Sends the response (again, with the same key, when it was sent before).
    let send = move || {
        if preview || phase.get_untracked() == Phase::Sending {
            return;
        }
        let key = match pending.get_untracked().or_else(saved::new_response_key) {
            Some(key) => key,
            None => return,
        };
        pending.set(Some(key));
        phase.set(Phase::Sending);
        let request = SubmitResponseRequest {
            id: key,
            version: survey.with_value(|s| s.version),
            answers: answers
                .with_untracked(|a| survey.with_value(|s| s.definition.prune_hidden(a))),
            profile: profile.get_untracked(),
            code: Some(code.get_untracked()).filter(|c| !c.trim().is_empty()),
        };
        spawn_local(async move {
            match api::submit_response(auth, id, &request).await {
                Ok(_) => {
                    phase.set(Phase::Done);
                    saved::forget(id);
                    focus_heading();
                }
                Err(ApiError::Network | ApiError::RateLimited { .. })
                | Err(ApiError::UnexpectedResponse { .. }) => phase.set(Phase::Queued),
                Err(ApiError::Problem(p)) if p.status >= 500 => phase.set(Phase::Queued),
                Err(ApiError::Problem(p)) => {
                    // Refused: the key may be used for a corrected response.
                    pending.set(None);
                    phase.set(Phase::Answering);
                    refused(
                        prefs,
                        p,
                        &survey.get_value(),
                        auth.access_token().is_some(),
                        errors,
                        barrier,
                        screen,
                    );
                    focus_error_summary();
                }
            }
        });
    };

    // A queued response goes out when the connection returns, and every 20 s.
    if !preview {
        Effect::new(move |_| {
            if online.get() && phase.get_untracked() == Phase::Queued {
                send();
            }
        });
        if let Ok(handle) = set_interval_with_handle(
            move || {
                if phase.get_untracked() == Phase::Queued {
                    send();
                }
            },
            std::time::Duration::from_secs(20),
        ) {
            on_cleanup(move || handle.clear());
        }
    }

    let title = survey.with_value(|s| s.title.clone());
    let page_title = {
        let title = title.clone();
        move || title.get(lang()).to_owned()
    };
    Effect::new({
        let page_title = page_title.clone();
        move |_| document().set_title(&format!("{} · {}", page_title(), t().app.name))
    });

    // The screens after the start screen are a lazy part (see `section_screen`): it is
    // fetched now, while the person reads the start screen, and so is kept for use
    // without a connection.
    #[cfg(feature = "answer-app")]
    spawn_local(async {
        __preload_section_screen().await;
        __preload_summary_screen().await;
    });

    let body = move || {
        if let Some(barrier) = barrier.get() {
            return view! { <BarrierNotice barrier survey=survey.get_value() /> }.into_any();
        }
        match phase.get() {
            Phase::Done => {
                let (needs, anonymous) = survey.with_value(|s| {
                    (
                        answers.with_untracked(|a| s.definition.needs(a)),
                        s.anonymous,
                    )
                });
                // Only an identified survey answered signed in is named in the request.
                let from_survey = (!anonymous && auth.access_token().is_some()).then_some(id);
                return view! { <Thanks needs anonymous from_survey /> }.into_any();
            }
            Phase::Queued => {
                return view! {
                    <section class="notice notice--info queued" data-testid="survey-queued" aria-labelledby="step-heading">
                        <h2 id="step-heading" tabindex="-1">{tr(|t| t.answer.queued_title)}</h2>
                        <p>{tr(|t| t.answer.queued_text)}</p>
                        <button type="button" class="button" data-testid="survey-send-now" on:click=move |_| send()>
                            {tr(|t| t.answer.send_now)}
                        </button>
                    </section>
                }
                .into_any();
            }
            _ => {}
        }
        if needs_sign_in() {
            return view! { <BarrierNotice barrier=Barrier::SignInNeeded survey=survey.get_value() /> }.into_any();
        }
        match screen.get() {
            Screen::Start => view! {
                <StartScreen survey=survey.get_value() answers profile code errors resumed needs_code=needs_code() on_next=next />
            }
            .into_any(),
            Screen::Section(key) => {
                let section = survey.with_value(|s| {
                    s.definition.sections.iter().find(|x| x.id == key).cloned()
                });
                match section {
                    Some(section) => lazily(move || {
                        section_screen(
                            section.clone(),
                            answers,
                            visible,
                            unreadable,
                            errors,
                            Callback::new(move |()| next()),
                            Callback::new(move |()| back()),
                        )
                    }),
                    None => view! { <StartScreen survey=survey.get_value() answers profile code errors resumed needs_code=needs_code() on_next=next /> }.into_any(),
                }
            }
            Screen::Summary => lazily(move || {
                summary_screen(
                    survey.get_value(),
                    answers,
                    visible,
                    phase,
                    preview,
                    errors,
                    Callback::new(move |()| send()),
                    Callback::new(move |()| back()),
                    Callback::new(go),
                )
            }),
        }
    };

    view! {
        <article class="survey" data-testid="survey">
            <h1 data-testid="page-title">{page_title}</h1>
            {preview.then(|| view! { <p class="notice notice--info" data-testid="survey-preview-note">{tr(|t| t.answer.preview)}</p> })}
            <Show when=move || !online.get() && !preview>
                <p class="notice notice--info" role="status" data-testid="survey-offline">{tr(|t| t.answer.offline)}</p>
            </Show>
            <Show when=move || !kept_ok.get() && !preview>
                <p class="notice" data-testid="survey-not-kept">{tr(|t| t.answer.not_kept)}</p>
            </Show>
            <Show when=move || phase.get() != Phase::Done && barrier.get().is_none()>
                <div class="survey__progress">
                    <p data-testid="survey-step">
                        {move || fill(t().answer.step, &[("current", &position().saturating_add(1).to_string()), ("total", &total().to_string())])}
                    </p>
                    <progress max=move || total().to_string() value=move || (position() + 1).to_string() aria-hidden="true"></progress>
                </div>
            </Show>
            {body}
        </article>
    }
}

/// Puts an answer the server refused where the person can fix it.
fn refused(
    prefs: Prefs,
    problem: shared::Problem,
    survey: &PublicSurveyDto,
    signed_in: bool,
    errors: RwSignal<BTreeMap<String, String>>,
    barrier: RwSignal<Option<Barrier>>,
    screen: RwSignal<Screen>,
) {
    let (texts, lang) = (&prefs.texts().answer, prefs.shown_language());
    match problem.code {
        ErrorCode::Conflict => barrier.set(Some(if signed_in && survey.access.signed_in {
            Barrier::AlreadyAnswered
        } else {
            Barrier::Closed
        })),
        ErrorCode::NotFound => barrier.set(Some(Barrier::Closed)),
        ErrorCode::ValidationFailed => {
            let mut found = BTreeMap::new();
            let mut first_section = None;
            for FieldError { field, code } in &problem.errors {
                if field == "code" {
                    let text = if code == "already_used" {
                        texts.code_used
                    } else {
                        texts.code_invalid
                    };
                    found.insert("code".to_owned(), text.to_owned());
                    first_section.get_or_insert(Screen::Start);
                } else if let Some(key) = field.strip_prefix("answers.") {
                    if let Some(section) = survey
                        .definition
                        .sections
                        .iter()
                        .find(|s| s.questions.iter().any(|q| q.id == key))
                    {
                        let q = section.questions.iter().find(|q| q.id == key);
                        if let Some(q) = q {
                            found.insert(key.to_owned(), problem_text(texts, q, code, lang));
                        }
                        first_section.get_or_insert(Screen::Section(section.id.clone()));
                    }
                } else {
                    found.insert(field.clone(), texts.changed.to_owned());
                }
            }
            if let Some(to) = first_section {
                screen.set(to);
            }
            errors.set(found);
        }
        _ => {
            errors.set(BTreeMap::from([(
                "send".to_owned(),
                texts.changed.to_owned(),
            )]));
        }
    }
}

/// What was filled in on the start screen's form in the first paint (`boot.js`,
/// `surveyStart`; `index.html`, `first-paint-start`).
struct FirstPaintStart {
    /// The code field's value, where it has one.
    code: Option<String>,
    quarter: Option<Uuid>,
    age_band: Option<AgeBand>,
    /// Its button was pressed.
    pressed: bool,
    /// The app's element (a CSS selector) in place of the one that has the focus.
    focused: Option<String>,
}

impl FirstPaintStart {
    fn read() -> Option<FirstPaintStart> {
        let form = document()
            .get_element_by_id("first-paint-start-form")?
            .dyn_into::<web_sys::HtmlFormElement>()
            .ok()?;
        let input = |selector: &str| {
            form.query_selector(selector)
                .ok()
                .flatten()
                .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
        };
        let chosen = |name: &str| input(&format!("input[name={name}]:checked")).map(|i| i.value());
        let focused = document().active_element().and_then(|active| {
            if !form.contains(Some(&active)) {
                return None;
            }
            let input = active.dyn_into::<web_sys::HtmlInputElement>().ok();
            let (name, value) = input.map(|i| (i.name(), i.value())).unwrap_or_default();
            let none = |value: &str| {
                if value.is_empty() {
                    "none".to_owned()
                } else {
                    value.to_owned()
                }
            };
            let test_id = match name.as_str() {
                "code" => "survey-code".to_owned(),
                "quarter" => format!("profile-quarter-{}", none(&value)),
                "age" => format!("profile-age-{}", none(&value)),
                _ => "survey-start".to_owned(),
            };
            Some(format!("#app [data-testid='{test_id}']"))
        });
        Some(FirstPaintStart {
            code: input("input[name=code]").map(|i| i.value()),
            quarter: chosen("quarter").and_then(|q| Uuid::parse_str(&q).ok()),
            age_band: chosen("age").and_then(|a| AgeBand::parse(&a)),
            pressed: form.has_attribute("data-start"),
            focused,
        })
    }
}

fn focus_by_id(id: &str) {
    let id = id.to_owned();
    // After the new screen is in the DOM.
    request_animation_frame(move || {
        if let Some(el) = document()
            .get_element_by_id(&id)
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

fn focus_heading() {
    focus_by_id("step-heading");
    window().scroll_to_with_x_and_y(0.0, 0.0);
}

fn focus_error_summary() {
    focus_by_id("survey-errors");
}

/// The messages of the current screen, at its top, each linking to its question.
#[component]
fn ErrorSummary(errors: RwSignal<BTreeMap<String, String>>) -> impl IntoView {
    move || {
        let list = errors.get();
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .map(|(key, message)| {
                    let target = if key == "code" {
                        "field-survey-code".to_owned()
                    } else {
                        control_id(&key)
                    };
                    let href = format!("#{target}");
                    view! {
                        <li>
                            <a href=href on:click=move |ev| {
                                ev.prevent_default();
                                focus_by_id(&target);
                            }>{message}</a>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="notice notice--error error-summary" role="alert" tabindex="-1" id="survey-errors" data-testid="survey-errors">
                    <p class="error-summary__title">{tr(|t| t.forms.error_title)}</p>
                    <ul class="error-summary__list">{items}</ul>
                </div>
            }
        })
    }
}

#[component]
fn StartScreen<N>(
    survey: PublicSurveyDto,
    answers: RwSignal<Answers>,
    profile: RwSignal<RespondentProfile>,
    code: RwSignal<String>,
    errors: RwSignal<BTreeMap<String, String>>,
    resumed: bool,
    needs_code: bool,
    on_next: N,
) -> impl IntoView
where
    N: Fn() + Copy + Send + Sync + 'static,
{
    let t = use_texts();
    let intro = survey.intro.clone();
    let started = move || resumed || answers.with(|a| !a.is_empty());
    let code_error = move || errors.with(|e| e.get("code").cloned());
    let code_field = (needs_code || survey.access.codes && !code.get_untracked().is_empty()).then(|| {
        view! {
            <div class="field" class:field--invalid=move || code_error().is_some()>
                <label class="field__label" for="field-survey-code">{tr(|t| t.answer.code_label)}</label>
                <p class="field__hint" id="field-survey-code-hint">{tr(|t| t.answer.code_hint)}</p>
                {move || code_error().map(|m| view! { <p class="field__error" id="field-survey-code-error" data-testid="survey-code-error">{m}</p> })}
                <input
                    type="text"
                    id="field-survey-code"
                    data-testid="survey-code"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    aria-describedby=move || if code_error().is_some() { "field-survey-code-hint field-survey-code-error" } else { "field-survey-code-hint" }
                    prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev))
                />
            </div>
        }
    });
    let profile_questions = survey.profile_questions.then(|| {
        let quarters = survey.quarters.clone();
        let quarter_options = quarters
            .into_iter()
            .map(|q| {
                let value = q.id;
                view! {
                    <label class="option">
                        <input
                            type="radio"
                            name="profile-quarter"
                            data-testid=format!("profile-quarter-{value}")
                            prop:checked=move || profile.with(|p| p.quarter_id == Some(value))
                            on:change=move |_| profile.update(|p| p.quarter_id = Some(value))
                        />
                        <span>{q.name}</span>
                    </label>
                }
            })
            .collect_view();
        let band_options = AgeBand::ALL
            .into_iter()
            .map(|band| {
                view! {
                    <label class="option">
                        <input
                            type="radio"
                            name="profile-age"
                            data-testid=format!("profile-age-{}", band.as_str())
                            prop:checked=move || profile.with(|p| p.age_band == Some(band))
                            on:change=move |_| profile.update(|p| p.age_band = Some(band))
                        />
                        <span>{move || t().age_bands.label(band)}</span>
                    </label>
                }
            })
            .collect_view();
        view! {
            <section class="survey__profile" aria-labelledby="profile-title">
                <h3 id="profile-title">{tr(|t| t.answer.profile_title)}</h3>
                <p>{tr(|t| t.answer.profile_intro)}</p>
                <fieldset class="fieldset question">
                    <legend class="question__text">{tr(|t| t.answer.quarter)} " " <span class="field__optional">{tr(|t| t.answer.optional)}</span></legend>
                    <div class="options">
                        {quarter_options}
                        <label class="option">
                            <input type="radio" name="profile-quarter" data-testid="profile-quarter-none"
                                prop:checked=move || profile.with(|p| p.quarter_id.is_none())
                                on:change=move |_| profile.update(|p| p.quarter_id = None) />
                            <span>{tr(|t| t.answer.no_answer)}</span>
                        </label>
                    </div>
                </fieldset>
                <fieldset class="fieldset question">
                    <legend class="question__text">{tr(|t| t.answer.age_band)} " " <span class="field__optional">{tr(|t| t.answer.optional)}</span></legend>
                    <div class="options">
                        {band_options}
                        <label class="option">
                            <input type="radio" name="profile-age" data-testid="profile-age-none"
                                prop:checked=move || profile.with(|p| p.age_band.is_none())
                                on:change=move |_| profile.update(|p| p.age_band = None) />
                            <span>{tr(|t| t.answer.no_answer)}</span>
                        </label>
                    </div>
                </fieldset>
            </section>
        }
    });
    let anonymous = survey.anonymous;
    view! {
        <section class="survey__screen" aria-labelledby="step-heading">
            <h2 id="step-heading" tabindex="-1" class="visually-hidden">{tr(|t| t.answer.start)}</h2>
            <ErrorSummary errors />
            <Show when=started>
                <p class="notice notice--success" data-testid="survey-resumed">{tr(|t| t.answer.resumed)}</p>
            </Show>
            {(!intro.de.trim().is_empty()).then(|| view! { <p class="lead">{localized(intro)}</p> })}
            <ul class="survey__facts">
                <li>{move || if anonymous { t().answer.anonymous } else { t().answer.identified }}</li>
                <li>{tr(|t| t.answer.kept_here)}</li>
            </ul>
            {code_field}
            {profile_questions}
            <div class="survey__nav">
                <button type="button" class="button button--large" data-testid="survey-start" on:click=move |_| on_next()>
                    {move || if started() { t().answer.resume } else { t().answer.start }}
                </button>
            </div>
        </section>
    }
}

/// A screen from a lazy part. Fetched while the start screen shows, it is there when
/// asked for; should it still be on its way, the screen shows once it has arrived.
#[cfg(feature = "answer-app")]
fn lazily<F>(screen: impl Fn() -> F + Send + Sync + 'static) -> AnyView
where
    F: std::future::Future<Output = AnyView> + 'static,
{
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(leptos::__reexports::send_wrapper::SendWrapper::new(screen()))}
        </Suspense>
    }
    .into_any()
}

/// In the whole app the screens are part of the answering route's own lazy part.
#[cfg(not(feature = "answer-app"))]
fn lazily(screen: impl Fn() -> AnyView) -> AnyView {
    screen()
}

/// The section screens and the summary, with the question fields and the answers in
/// words, are a lazy part of the answering app: the start screen shows without them,
/// so a person landing from a letter waits for less before the page can be used. In
/// the whole app the answering page is a lazy route already: there they are plain
/// functions (splitting them again cost every page ~1.2 KB of loading code, and the
/// answering route 2.4 KB).
#[cfg_attr(feature = "answer-app", leptos::lazy)]
fn section_screen(
    section: Section,
    answers: RwSignal<Answers>,
    visible: Memo<BTreeSet<String>>,
    unreadable: RwSignal<Vec<String>>,
    errors: RwSignal<BTreeMap<String, String>>,
    on_next: Callback<()>,
    on_back: Callback<()>,
) -> AnyView {
    view! {
        <SectionScreen section answers visible unreadable errors
            on_next=move || on_next.run(()) on_back=move || on_back.run(()) />
    }
    .into_any()
}

#[cfg_attr(feature = "answer-app", leptos::lazy)]
#[allow(clippy::too_many_arguments)]
fn summary_screen(
    survey: PublicSurveyDto,
    answers: RwSignal<Answers>,
    visible: Memo<BTreeSet<String>>,
    phase: RwSignal<Phase>,
    preview: bool,
    errors: RwSignal<BTreeMap<String, String>>,
    on_send: Callback<()>,
    on_back: Callback<()>,
    go: Callback<Screen>,
) -> AnyView {
    view! {
        <SummaryScreen survey answers visible phase preview errors
            on_send=move || on_send.run(()) on_back=move || on_back.run(()) go=move |to| go.run(to) />
    }
    .into_any()
}

#[component]
fn SectionScreen<N, B>(
    section: Section,
    answers: RwSignal<Answers>,
    visible: Memo<BTreeSet<String>>,
    unreadable: RwSignal<Vec<String>>,
    errors: RwSignal<BTreeMap<String, String>>,
    on_next: N,
    on_back: B,
) -> impl IntoView
where
    N: Fn() + Copy + Send + Sync + 'static,
    B: Fn() + Copy + Send + Sync + 'static,
{
    let title = section.title.clone();
    let key = section.id.clone();
    let questions = section
        .questions
        .into_iter()
        .map(|q| {
            let shown = {
                let qid = q.id.clone();
                move || visible.with(|v| v.contains(&qid))
            };
            let error = Signal::derive({
                let qid = q.id.clone();
                move || errors.with(|e| e.get(&qid).cloned())
            });
            view! {
                <Show when=shown>
                    <QuestionField question=q.clone() answers unreadable error />
                </Show>
            }
        })
        .collect_view();
    view! {
        <section class="survey__screen" aria-labelledby="step-heading" data-testid=format!("section-{key}")>
            <h2 id="step-heading" tabindex="-1">{localized(title)}</h2>
            <ErrorSummary errors />
            <form novalidate on:submit=move |ev| { ev.prevent_default(); on_next(); }>
                {questions}
                <div class="survey__nav">
                    <button type="submit" class="button button--large" data-testid="survey-next">
                        {tr(|t| t.answer.next)}
                    </button>
                    <button type="button" class="button button--secondary" data-testid="survey-back" on:click=move |_| on_back()>
                        {tr(|t| t.answer.back)}
                    </button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn SummaryScreen<S, B, G>(
    survey: PublicSurveyDto,
    answers: RwSignal<Answers>,
    visible: Memo<BTreeSet<String>>,
    phase: RwSignal<Phase>,
    preview: bool,
    errors: RwSignal<BTreeMap<String, String>>,
    on_send: S,
    on_back: B,
    go: G,
) -> impl IntoView
where
    S: Fn() + Copy + Send + Sync + 'static,
    B: Fn() + Copy + Send + Sync + 'static,
    G: Fn(Screen) + Copy + Send + Sync + 'static,
{
    let t = use_texts();
    let prefs = use_prefs();
    let lang = move || prefs.language.get();
    // Built once: answers do not change while the summary is shown.
    let shown = visible.get_untracked();
    let sections = survey
        .definition
        .sections
        .into_iter()
        .filter(|section| section.questions.iter().any(|q| shown.contains(&q.id)))
        .map(|section| {
            let title = section.title.clone();
            let section_key = section.id.clone();
            let rows = section
                .questions
                .into_iter()
                .filter(|q| shown.contains(&q.id))
                .map(|q| {
                    let question_text = q.text.clone();
                    let change_name = {
                        let text = q.text.clone();
                        move || fill(t().answer.change_label, &[("question", text.get(lang()))])
                    };
                    let answer = {
                        let q = q.clone();
                        move || {
                            answers
                                .with(|a| a.get(&q.id).map(|a| answer_in_words(&t().answer, &q, a, lang())))
                                .unwrap_or_else(|| t().answer.not_answered.to_owned())
                        }
                    };
                    let (target, qid) = (section_key.clone(), q.id.clone());
                    view! {
                        <div class="facts__row summary__row" data-testid=format!("summary-{}", q.id)>
                            <dt>{localized(question_text)}</dt>
                            <dd>{answer}</dd>
                            <dd>
                                <button type="button" class="button button--link" aria-label=change_name
                                    on:click=move |_| {
                                        go(Screen::Section(target.clone()));
                                        focus_by_id(&control_id(&qid));
                                    }>
                                    {tr(|t| t.answer.change)}
                                </button>
                            </dd>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <h3>{localized(title)}</h3>
                <dl class="facts summary">{rows}</dl>
            }
        })
        .collect_view();
    let sending = move || phase.get() == Phase::Sending;
    view! {
        <section class="survey__screen" aria-labelledby="step-heading" data-testid="survey-summary">
            <h2 id="step-heading" tabindex="-1">{tr(|t| t.answer.summary_title)}</h2>
            <ErrorSummary errors />
            <p>{tr(|t| t.answer.summary_intro)}</p>
            {sections}
            <div class="survey__nav">
                <button type="button" class="button button--large" data-testid="survey-send"
                    disabled=move || preview || sending()
                    on:click=move |_| on_send()>
                    {move || if sending() { t().answer.sending } else { t().answer.send }}
                </button>
                <button type="button" class="button button--secondary" data-testid="survey-back" on:click=move |_| on_back()>
                    {tr(|t| t.answer.back)}
                </button>
            </div>
        </section>
    }
}

#[component]
fn Thanks(needs: Vec<HelpCategory>, anonymous: bool, from_survey: Option<Uuid>) -> impl IntoView {
    // Its own chunk: only people who said a need load it, after they have sent.
    let offer = (!needs.is_empty()).then(|| {
        view! {
            <Suspense fallback=|| ()>
                {Suspend::new(leptos::__reexports::send_wrapper::SendWrapper::new(help_offer(needs, anonymous, from_survey)))}
            </Suspense>
        }
    });
    view! {
        <section class="notice notice--success survey__thanks" aria-labelledby="step-heading" data-testid="survey-thanks">
            <h2 id="step-heading" tabindex="-1">{tr(|t| t.answer.thanks_title)}</h2>
            <p>{tr(|t| t.answer.thanks_text)}</p>
            <p><a href="/" class="button button--secondary">{tr(|t| t.answer.thanks_home)}</a></p>
        </section>
        {offer}
    }
}

#[leptos::lazy]
fn help_offer(needs: Vec<HelpCategory>, anonymous: bool, from_survey: Option<Uuid>) -> AnyView {
    view! { <HelpOffer needs anonymous from_survey /> }.into_any()
}

/// From a survey to help: the needs the person said, a consent of its own, and one tap
/// to a request already filled in. Nothing is sent from here; the request page sends
/// only what the person sends there.
#[component]
fn HelpOffer(
    needs: Vec<HelpCategory>,
    anonymous: bool,
    from_survey: Option<Uuid>,
) -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    let auth = use_auth();
    let go = crate::nav::use_go();
    let consent = RwSignal::new(false);
    let missing = RwSignal::new(false);
    let names = {
        let needs = needs.clone();
        move || {
            needs
                .iter()
                .map(|c| need_name(prefs, *c))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let buttons = needs
        .into_iter()
        .map(|need| {
            let key = category_key(need);
            let go = go.clone();
            let go = move |_| {
                if !consent.get_untracked() {
                    missing.set(true);
                    focus_by_id("help-consent");
                    return;
                }
                let mut to = format!("/help/ask?category={key}");
                if let Some(survey) = from_survey {
                    to.push_str(&format!("&from_survey={survey}"));
                }
                go(&to);
            };
            view! {
                <button type="button" class="button button--large" data-testid=format!("survey-help-ask-{key}") on:click=go>
                    {move || fill(t().answer.help_offer_ask, &[("need", need_name(prefs, need))])}
                </button>
            }
        })
        .collect_view();
    view! {
        <section class="card survey__help-offer" aria-labelledby="help-offer-title" data-testid="survey-help-offer">
            <h2 id="help-offer-title">{tr(|t| t.answer.help_offer_title)}</h2>
            <p>{move || fill(t().answer.help_offer_needs, &[("needs", &names())])}</p>
            <p>{move || if anonymous { t().answer.help_offer_anonymous } else { t().answer.help_offer_identified }}</p>
            <p>{tr(|t| t.answer.help_offer_what)}</p>
            <Show when=move || !auth.is_signed_in()>
                <p data-testid="survey-help-sign-in">{tr(|t| t.answer.help_offer_sign_in)}</p>
                <crate::components::OfficePhones testid="survey-help-office" />
            </Show>
            <div class="field field--checkbox">
                <div class="checkbox">
                    <input type="checkbox" id="help-consent" data-testid="survey-help-consent"
                        aria-describedby=move || missing.get().then_some("help-consent-missing")
                        aria-invalid=move || missing.get().then_some("true")
                        prop:checked=move || consent.get()
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            consent.set(on);
                            if on {
                                missing.set(false);
                            }
                        } />
                    <label for="help-consent">{tr(|t| t.answer.help_offer_consent)}</label>
                </div>
                <Show when=move || missing.get()>
                    <p class="field__error" id="help-consent-missing" role="alert" data-testid="survey-help-consent-missing">
                        {tr(|t| t.answer.help_offer_consent_missing)}
                    </p>
                </Show>
            </div>
            <div class="actions">{buttons}</div>
        </section>
    }
}

/// A need's name, in the language shown. The answering app shows no help page, so its
/// [`Texts`](crate::i18n::Texts) have no help texts: there the help offer, a lazy part,
/// carries the categories' names itself, and they arrive with it.
fn need_name(prefs: Prefs, need: HelpCategory) -> &'static str {
    #[cfg(not(feature = "answer-app"))]
    let name = prefs.texts().help.category(need);
    #[cfg(feature = "answer-app")]
    let name = crate::pages::help_texts::category_name(need, prefs.shown_language());
    name
}

#[component]
fn BarrierNotice(barrier: Barrier, survey: PublicSurveyDto) -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    let opens = survey.opens_at;
    let text = move || match barrier {
        Barrier::Closed => t().answer.closed.to_owned(),
        Barrier::AlreadyAnswered => t().answer.already_answered.to_owned(),
        Barrier::SignInNeeded => t().answer.sign_in_needed.to_owned(),
        Barrier::NotYetOpen => fill(
            t().answer.not_yet_open,
            &[(
                "date",
                &opens
                    .map(|at| date_time(at, prefs.language.get()))
                    .unwrap_or_default(),
            )],
        ),
    };
    let sign_in = (barrier == Barrier::SignInNeeded).then(|| {
        view! { <p><a href="/login" class="button">{tr(|t| t.gate.sign_in_link)}</a></p> }
    });
    view! {
        <div class="notice" data-testid="survey-barrier">
            <p>{text}</p>
            {sign_in}
        </div>
    }
}
