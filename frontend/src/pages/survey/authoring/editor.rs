//! `/manager/surveys/:id` (`new` for a survey not stored yet): the survey editor,
//! its lifecycle actions and the preview.
//!
//! Everything is checked here with `SurveyRequest::problems` before it is sent, and
//! the server's field errors (the same codes and paths) are shown the same way.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_params_map},
};
use shared::{
    ErrorCode, FieldError, Role,
    accounts::Uuid,
    quarters::QuarterDto,
    surveys::{PublicSurveyDto, QuarterChoiceDto, SurveyDto, SurveyRequest, SurveyStatus},
};

use super::{
    fields::{At, BiText, Editor, ErrorSummary, InlineErrors, focus_id},
    managed_quarters,
    questions::{Check, Sections, blank_request},
    time::{from_local, to_local},
    ui,
};
use crate::{
    api::{self, ApiError},
    auth::use_auth,
    components::{ErrorNotice, PageTitle, RequireRole},
    i18n::{Text, fill},
    pages::survey::Answering,
    prefs::use_texts,
};

#[component]
pub fn SurveyEditorPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let t = use_texts();
    let title = move || {
        let a = &t().authoring;
        if id.with(|id| id == "new") {
            a.new_title
        } else {
            a.edit_title
        }
    };
    view! {
        <PageTitle text=title />
        <RequireRole any_of=&[Role::Admin, Role::Manager]>
            <p><A href="/manager/surveys" attr:data-testid="back-to-list">{ui(|a| a.back_to_list)}</A></p>
            {move || view! { <EditorLoader id=id.get() /> }}
        </RequireRole>
    }
}

fn request_of(s: &SurveyDto) -> SurveyRequest {
    SurveyRequest {
        title: s.title.clone(),
        intro: s.intro.clone(),
        quarter_ids: s.quarter_ids.clone(),
        opens_at: s.opens_at,
        closes_at: s.closes_at,
        anonymous: s.anonymous,
        access: s.access,
        profile_questions: s.profile_questions,
        definition: s.definition.clone(),
    }
}

#[component]
fn EditorLoader(id: String) -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let survey_id = Uuid::parse_str(&id).ok();
    let data = LocalResource::new(move || async move {
        let quarters = managed_quarters(auth, api::quarters().await?);
        let survey = match survey_id {
            Some(id) => Some(api::survey(auth, id).await?),
            None => None,
        };
        Ok::<_, ApiError>((quarters, survey))
    });
    let new = id == "new";
    let content = move || {
        Suspend::new(async move {
            match data.await {
                Ok((quarters, Some(survey))) => {
                    view! { <SurveyEditor quarters survey=Some(survey) /> }.into_any()
                }
                Ok((quarters, None)) if new => {
                    view! { <SurveyEditor quarters survey=None /> }.into_any()
                }
                Ok(_) => view! { <p class="notice">{move || t().errors.not_found}</p> }.into_any(),
                Err(error) => {
                    view! { <ErrorNotice error on_retry=move || data.refetch() /> }.into_any()
                }
            }
        })
    };
    view! {
        <Transition fallback=move || view! { <p class="loading" role="status">{move || t().forms.loading}</p> }>
            {content}
        </Transition>
    }
}

/// A lifecycle step that asks first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Status(SurveyStatus),
    Delete,
}

/// What the last save or action said, besides field errors.
#[derive(Clone, Copy)]
struct Outcome {
    success: RwSignal<Option<Text>>,
    failure: RwSignal<Option<ApiError>>,
    /// A 409: the server's reason, shown after our plain words.
    conflict: RwSignal<Option<String>>,
    pending: RwSignal<bool>,
}

impl Outcome {
    fn clear(&self) {
        self.success.set(None);
        self.failure.set(None);
        self.conflict.set(None);
    }

    fn show(&self, editor: Editor, error: ApiError) {
        self.pending.set(false);
        match error {
            ApiError::Problem(p) if !p.errors.is_empty() => editor.fail(p.errors),
            ApiError::Problem(p) if p.code == ErrorCode::Conflict => {
                self.conflict.set(Some(p.detail.unwrap_or_default()));
                focus_later("editor-conflict");
            }
            other => {
                self.failure.set(Some(other));
                focus_later("editor-failure");
            }
        }
    }
}

fn focus_later(id: &'static str) {
    request_animation_frame(move || {
        focus_id(id);
    });
}

/// Texts that have German but no English, title and intro included.
fn missing_translations(r: &SurveyRequest) -> usize {
    r.definition.missing_translations()
        + usize::from(r.title.lacks_english())
        + usize::from(r.intro.lacks_english())
}

#[component]
fn SurveyEditor(quarters: Vec<QuarterDto>, survey: Option<SurveyDto>) -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let navigate = use_navigate();
    let request = match &survey {
        Some(s) => request_of(s),
        None => blank_request(quarters.iter().map(|q| q.id).collect()),
    };
    let editor = Editor::new(request);
    let saved = RwSignal::new(survey);
    let outcome = Outcome {
        success: RwSignal::new(None),
        failure: RwSignal::new(None),
        conflict: RwSignal::new(None),
        pending: RwSignal::new(false),
    };
    let previewing = RwSignal::new(false);
    let confirming = RwSignal::new(None::<Action>);
    let quarters = StoredValue::new(quarters);

    // Checks, then stores; `then` runs with the stored survey.
    let store = {
        let navigate = navigate.clone();
        move |then: Option<Action>| {
            if outcome.pending.get_untracked() {
                return;
            }
            outcome.clear();
            let request = editor.draft.get_untracked();
            let problems = request.problems();
            if !problems.is_empty() {
                editor.fail(problems);
                return;
            }
            editor.errors.set(Vec::<FieldError>::new());
            outcome.pending.set(true);
            let id = saved.with_untracked(|s| s.as_ref().map(|s| s.id));
            let navigate = navigate.clone();
            spawn_local(async move {
                let result = match id {
                    Some(id) => api::update_survey(auth, id, &request).await,
                    None => api::create_survey(auth, &request).await,
                };
                match result {
                    Ok(dto) if id.is_none() => {
                        let path = format!("/manager/surveys/{}", dto.id);
                        auth.notify(&path, |t| t.authoring.created);
                        navigate(&path, Default::default());
                    }
                    Ok(dto) => {
                        editor.dirty.set(false);
                        saved.set(Some(dto));
                        match then {
                            Some(action) => {
                                run_action(auth, action, editor, saved, outcome, navigate)
                            }
                            None => {
                                outcome.pending.set(false);
                                outcome.success.set(Some(|t| t.authoring.saved));
                            }
                        }
                    }
                    Err(error) => outcome.show(editor, error),
                }
            });
        }
    };
    let submit = {
        let store = store.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            store(None);
        }
    };
    let confirm = {
        let navigate = navigate.clone();
        let store = store.clone();
        move |action: Action| {
            confirming.set(None);
            // Unsaved changes are stored first; a draft is deleted as it is.
            if editor.dirty.get_untracked() && action != Action::Delete {
                store(Some(action));
            } else {
                outcome.clear();
                outcome.pending.set(true);
                run_action(auth, action, editor, saved, outcome, navigate.clone());
            }
        }
    };
    let duplicate = {
        let navigate = navigate.clone();
        move |_| {
            let Some(id) = saved.with_untracked(|s| s.as_ref().map(|s| s.id)) else {
                return;
            };
            outcome.clear();
            let navigate = navigate.clone();
            spawn_local(async move {
                match api::duplicate_survey(auth, id).await {
                    Ok(copy) => {
                        let path = format!("/manager/surveys/{}", copy.id);
                        auth.notify(&path, |t| t.authoring.duplicated);
                        navigate(&path, Default::default());
                    }
                    Err(error) => outcome.show(editor, error),
                }
            });
        }
    };

    let preview = move || {
        let r = editor.draft.get_untracked();
        let chosen = quarters.with_value(|all| {
            all.iter()
                .filter(|q| r.quarter_ids.contains(&q.id))
                .map(|q| QuarterChoiceDto {
                    id: q.id,
                    name: q.name.clone(),
                })
                .collect()
        });
        let survey = PublicSurveyDto {
            id: saved.with_untracked(|s| s.as_ref().map_or(Uuid::nil(), |s| s.id)),
            title: r.title,
            intro: r.intro,
            version: saved.with_untracked(|s| s.as_ref().map_or(1, |s| s.version)),
            status: SurveyStatus::Open,
            anonymous: r.anonymous,
            access: r.access,
            profile_questions: r.profile_questions,
            quarters: chosen,
            opens_at: None,
            closes_at: None,
            definition: r.definition,
        };
        view! {
            <button type="button" class="button button--secondary" id="preview-back" data-testid="preview-back"
                on:click=move |_| { previewing.set(false); focus_later("preview-open"); }>
                {ui(|a| a.preview_back)}
            </button>
            <section class="author-preview" aria-label=ui(|a| a.preview) data-testid="preview">
                <Answering survey preview=true />
            </section>
        }
    };

    let status = move || saved.with(|s| s.as_ref().map(|s| s.status));
    let archived = move || status() == Some(SurveyStatus::Archived);
    let missing = move || editor.draft.with(missing_translations);
    let quarter_boxes = move || {
        quarters.with_value(|all| {
            all.iter().enumerate().map(|(n, quarter)| {
                let qid = quarter.id;
                let id = if n == 0 { "f-quarter_ids".to_owned() } else { format!("f-quarter_ids-{n}") };
                let checked = move || editor.draft.with(|r| r.quarter_ids.contains(&qid));
                let toggle = move |ev| {
                    let on = event_target_checked(&ev);
                    editor.edit(|r| {
                        r.quarter_ids.retain(|x| *x != qid);
                        if on { r.quarter_ids.push(qid); }
                    });
                };
                view! {
                    <div class="checkbox">
                        <input type="checkbox" id=id.clone() data-testid=format!("quarter-{qid}") prop:checked=checked on:change=toggle />
                        <label for=id>{quarter.name.clone()}</label>
                    </div>
                }
            }).collect_view()
        })
    };
    let time_field = move |id: &'static str,
                           label: fn(&'static super::AuthoringTexts) -> &'static str,
                           closes: bool| {
        let value = move || {
            editor
                .draft
                .with(|r| if closes { r.closes_at } else { r.opens_at })
                .map(to_local)
                .unwrap_or_default()
        };
        let set = move |ev| {
            let at = from_local(&event_target_value(&ev));
            editor.edit(|r| {
                if closes {
                    r.closes_at = at
                } else {
                    r.opens_at = at
                }
            });
        };
        view! {
            <div class="field">
                <label class="field__label" for=id>{ui(label)}</label>
                <InlineErrors editor path=id.trim_start_matches("f-").to_owned() exact=true />
                <input type="datetime-local" id=id data-testid=id aria-describedby="time-hint" prop:value=value on:change=set />
            </div>
        }
    };
    let access = move |id: &'static str,
                       label,
                       get: fn(&SurveyRequest) -> bool,
                       set: fn(&mut SurveyRequest, bool)| {
        view! {
            <Check id=id.to_owned() label checked=Signal::derive(move || editor.draft.with(get))
                on_change=Callback::new(move |on| editor.edit(|r| set(r, on))) />
        }
    };
    let anonymous = move |yes: bool| {
        let id = if yes { "f-anonymous" } else { "f-anonymous-no" };
        view! {
            <div class="checkbox">
                <input type="radio" name="anonymous" id=id data-testid=id
                    prop:checked=move || editor.draft.with(|r| r.anonymous == yes)
                    on:change=move |_| editor.edit(|r| r.anonymous = yes) />
                <label for=id>{if yes { ui(|a| a.anonymous_yes) } else { ui(|a| a.anonymous_no) }}</label>
            </div>
        }
    };

    let form = move || {
        let submit = submit.clone();
        view! {
            <form class="form author-form" data-testid="survey-form" novalidate on:submit=submit>
                <ErrorSummary editor />
                <Show when=archived>
                    <p class="notice">{ui(|a| a.archived_note)}</p>
                </Show>
                <section aria-labelledby="survey-settings-title">
                    <h2 id="survey-settings-title">{ui(|a| a.settings_title)}</h2>
                    <BiText editor at=At::Title label=|a| a.survey_title required=true />
                    <BiText editor at=At::Intro label=|a| a.intro multiline=true />
                    <fieldset class="fieldset">
                        <legend>{ui(|a| a.quarters_legend)}</legend>
                        <InlineErrors editor path="quarter_ids".to_owned() exact=true />
                        {quarter_boxes}
                        {quarters.with_value(Vec::is_empty).then(|| view! { <p>{ui(|a| a.no_quarters)}</p> })}
                    </fieldset>
                    <p class="field__hint" id="time-hint">{ui(|a| a.time_hint)}</p>
                    {time_field("f-opens_at", |a| a.opens_at, false)}
                    {time_field("f-closes_at", |a| a.closes_at, true)}
                    <fieldset class="fieldset">
                        <legend>{ui(|a| a.anonymous_legend)}</legend>
                        {anonymous(true)}
                        {anonymous(false)}
                    </fieldset>
                    <fieldset class="fieldset">
                        <legend>{ui(|a| a.access_legend)}</legend>
                        {access("f-access-public_link", (|a| a.access_public) as fn(&'static super::AuthoringTexts) -> &'static str, |r| r.access.public_link, |r, on| r.access.public_link = on)}
                        {access("f-access-codes", |a| a.access_codes, |r| r.access.codes, |r, on| r.access.codes = on)}
                        {access("f-access-signed_in", |a| a.access_signed_in, |r| r.access.signed_in, |r, on| r.access.signed_in = on)}
                    </fieldset>
                    <Check id="f-profile_questions".to_owned() label=|a| a.profile_questions hint=|a| a.profile_questions_hint
                        checked=Signal::derive(move || editor.draft.with(|r| r.profile_questions))
                        on_change=Callback::new(move |on| editor.edit(|r| r.profile_questions = on)) />
                </section>
                <section aria-labelledby="questions-title">
                    <h2 id="questions-title">{ui(|a| a.questions_title)}</h2>
                    <Sections editor />
                </section>
                <div class="author-bar">
                    <p class="field__hint" data-testid="missing-translations">
                        {move || (missing() > 0).then(|| fill(t().authoring.missing_translations, &[("count", &missing().to_string())]))}
                    </p>
                    <Show when=move || editor.dirty.get()>
                        <p class="field__hint" data-testid="unsaved">{ui(|a| a.unsaved)}</p>
                    </Show>
                    <div class="actions">
                        <button type="submit" class="button button--submit" data-testid="save" disabled=move || outcome.pending.get()>
                            {move || if outcome.pending.get() { t().authoring.saving } else { t().authoring.save }}
                        </button>
                        <button type="button" class="button button--secondary" id="preview-open" data-testid="preview-open"
                            on:click=move |_| { previewing.set(true); focus_later("preview-back"); }>
                            {ui(|a| a.preview)}
                        </button>
                    </div>
                </div>
            </form>
        }
    };

    let actions = move || {
        let current = status()?;
        let confirm = confirm.clone();
        let duplicate = duplicate.clone();
        let steps = SurveyStatus::ALL
            .into_iter()
            .filter(|to| current.can_become(*to))
            .map(|to| {
                let label = move || {
                    let a = &t().authoring;
                    match (current, to) {
                        (SurveyStatus::Closed, SurveyStatus::Open) => a.reopen,
                        (_, SurveyStatus::Open) => a.open,
                        (_, SurveyStatus::Closed) => a.close,
                        _ => a.archive,
                    }
                };
                view! {
                    <button type="button" class="button" data-testid=format!("status-{}", to.as_str())
                        on:click=move |_| { confirming.set(Some(Action::Status(to))); focus_later("confirm-text"); }>
                        {label}
                    </button>
                }
            })
            .collect_view();
        let confirm_box = move || {
            let confirm = confirm.clone();
            confirming.get().map(|action| {
                let text = move || {
                    let a = &t().authoring;
                    match action {
                        Action::Status(SurveyStatus::Open) if current == SurveyStatus::Closed => a.confirm_reopen,
                        Action::Status(SurveyStatus::Open) => a.confirm_open,
                        Action::Status(SurveyStatus::Closed) => a.confirm_close,
                        Action::Status(_) => a.confirm_archive,
                        Action::Delete => a.confirm_delete,
                    }
                };
                let yes = move || {
                    let a = &t().authoring;
                    match action {
                        Action::Status(SurveyStatus::Open) if current == SurveyStatus::Closed => a.reopen,
                        Action::Status(SurveyStatus::Open) => a.open,
                        Action::Status(SurveyStatus::Closed) => a.close,
                        Action::Status(_) => a.archive,
                        Action::Delete => a.delete,
                    }
                };
                let warn = matches!(action, Action::Status(SurveyStatus::Open)) && missing() > 0;
                view! {
                    <div class="notice author-confirm" role="group" aria-labelledby="confirm-text" data-testid="confirm">
                        <p id="confirm-text" tabindex="-1">{text}</p>
                        {warn.then(|| view! { <p>{move || fill(t().authoring.missing_translations, &[("count", &missing().to_string())])}</p> })}
                        <div class="actions">
                            <button type="button" class="button" data-testid="confirm-yes" on:click=move |_| confirm(action)>{yes}</button>
                            <button type="button" class="button button--secondary" data-testid="confirm-cancel"
                                on:click=move |_| confirming.set(None)>{ui(|a| a.cancel)}</button>
                        </div>
                    </div>
                }
            })
        };
        Some(view! {
            <section aria-labelledby="actions-title" class="author-actions">
                <h2 id="actions-title">{ui(|a| a.actions_title)}</h2>
                <p>{ui(|a| a.status)}": " <strong data-testid="editor-status">{move || t().authoring.status(current)}</strong></p>
                <div class="actions">
                    {steps}
                    <button type="button" class="button button--secondary" data-testid="duplicate" on:click=duplicate>
                        {ui(|a| a.duplicate)}
                    </button>
                    {(current == SurveyStatus::Draft).then(|| view! {
                        <button type="button" class="button button--secondary" data-testid="delete"
                            on:click=move |_| { confirming.set(Some(Action::Delete)); focus_later("confirm-text"); }>
                            {ui(|a| a.delete)}
                        </button>
                    })}
                </div>
                {confirm_box}
            </section>
        })
    };

    let feedback = move || {
        view! {
            {move || outcome.conflict.get().map(|detail| view! {
                <div class="notice notice--error" role="alert" tabindex="-1" id="editor-conflict" data-testid="editor-conflict">
                    <p>{ui(|a| a.conflict)}</p>
                    {(!detail.is_empty()).then(|| view! { <p lang="en">{detail}</p> })}
                </div>
            })}
            {move || outcome.failure.get().map(|error| view! {
                <p class="notice notice--error" role="alert" tabindex="-1" id="editor-failure" data-testid="editor-failure">
                    {error.message(t())}
                </p>
            })}
            <div role="status" class="form-status">
                {move || outcome.success.get().map(|text| view! {
                    <p class="notice notice--success" data-testid="form-success">{move || text(t())}</p>
                })}
            </div>
        }
    };

    view! {
        {feedback}
        {move || if previewing.get() { preview().into_any() } else { view! { {form()} {actions.clone()} }.into_any() }}
    }
}

/// Runs a confirmed action on the stored survey.
fn run_action(
    auth: crate::auth::Auth,
    action: Action,
    editor: Editor,
    saved: RwSignal<Option<SurveyDto>>,
    outcome: Outcome,
    navigate: impl Fn(&str, leptos_router::NavigateOptions) + 'static,
) {
    let Some(id) = saved.with_untracked(|s| s.as_ref().map(|s| s.id)) else {
        outcome.pending.set(false);
        return;
    };
    spawn_local(async move {
        match action {
            Action::Status(to) => match api::set_survey_status(auth, id, to).await {
                Ok(dto) => {
                    saved.set(Some(dto));
                    outcome.pending.set(false);
                    outcome.success.set(Some(|t| t.authoring.status_changed));
                }
                Err(error) => outcome.show(editor, error),
            },
            Action::Delete => match api::delete_survey(auth, id).await {
                Ok(()) => {
                    auth.notify("/manager/surveys", |t| t.authoring.deleted);
                    navigate("/manager/surveys", Default::default());
                }
                Err(error) => outcome.show(editor, error),
            },
        }
    });
}
