//! The staff pages of one survey: access codes and letters (`/manager/surveys/:id/codes`),
//! typing in paper and telephone responses (`…/entry`) and the results (`…/results`).
//! Each is a lazy route of its own (`pages/lazy.rs`).

mod codes;
mod entry;
mod results;
pub mod texts;

pub use codes::SurveyCodesPage;
pub use entry::SurveyEntryPage;
pub use results::SurveyResultsPage;
pub use texts::OfficeTexts;

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};
use shared::{
    Language, Role,
    accounts::Uuid,
    surveys::{Channel, Count, QuarterChoiceDto, SurveyDto},
};
use wasm_bindgen::{JsCast, JsValue};

use crate::{
    api::{self, ApiError},
    auth::use_auth,
    components::{ErrorNotice, PageTitle, RequireRole},
    i18n::{Text, Texts},
    prefs::{use_prefs, use_texts},
};

/// What every page of a survey needs: the survey, and its quarters with their names.
#[derive(Debug, Clone)]
struct Loaded {
    survey: SurveyDto,
    quarters: Vec<QuarterChoiceDto>,
}

impl Loaded {
    fn quarter_name(&self, id: Uuid) -> String {
        self.quarters
            .iter()
            .find(|q| q.id == id)
            .map_or_else(|| id.to_string(), |q| q.name.clone())
    }
}

/// Title, role check, the survey loaded, links between the three pages, then `content`.
/// `content` is a plain function, so the three pages share this code in the wasm.
#[component]
fn OfficeFrame(title: Text, content: fn(Loaded) -> AnyView) -> impl IntoView {
    let t = use_texts();
    view! {
        <div class="no-print">
            <PageTitle text=move || title(t()) />
        </div>
        <RequireRole any_of=&[Role::Manager, Role::Admin]>
            <Load content />
        </RequireRole>
    }
}

#[component]
fn Load(content: fn(Loaded) -> AnyView) -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let prefs = use_prefs();
    let id = use_params_map()
        .with_untracked(|p| p.get("id"))
        .and_then(|s| Uuid::parse_str(&s).ok());
    let Some(id) = id else {
        return view! { <p class="notice" data-testid="survey-not-found">{move || t().office.not_found}</p> }
            .into_any();
    };
    let data = LocalResource::new(move || async move {
        let survey = api::survey(auth, id).await?;
        // Names only; a survey without them still works with the ids.
        let all = api::quarters().await.unwrap_or_default();
        let quarters = survey
            .quarter_ids
            .iter()
            .map(|q| QuarterChoiceDto {
                id: *q,
                name: all
                    .iter()
                    .find(|x| x.id == *q)
                    .map_or_else(|| q.to_string(), |x| x.name.clone()),
            })
            .collect();
        Ok::<_, ApiError>(Loaded { survey, quarters })
    });
    let body = move || {
        Suspend::new(async move {
            match data.await {
                Ok(loaded) => {
                    let title = loaded.survey.title.clone();
                    view! {
                        <p class="lead no-print" data-testid="survey-title">
                            {move || title.get(prefs.language.get()).to_owned()}
                        </p>
                        <OfficeNav id />
                        {content(loaded)}
                    }
                    .into_any()
                }
                Err(ApiError::Problem(p)) if p.status == 404 => {
                    view! { <p class="notice" data-testid="survey-not-found">{move || t().office.not_found}</p> }
                        .into_any()
                }
                Err(error) => {
                    view! { <ErrorNotice error on_retry=move || data.refetch() /> }.into_any()
                }
            }
        })
    };
    view! {
        <Transition fallback=move || {
            view! { <p class="loading" role="status">{move || t().office.loading}</p> }
        }>{body}</Transition>
    }
    .into_any()
}

#[component]
fn OfficeNav(id: Uuid) -> impl IntoView {
    let t = use_texts();
    // `<A>` marks the current page with `aria-current`.
    let link = move |path: &str, label: Text| {
        view! {
            <li>
                <A href=format!("/manager/surveys/{id}/{path}")>{move || label(t())}</A>
            </li>
        }
    };
    view! {
        <nav class="office-nav no-print" aria-label=move || t().office.nav_label>
            <ul>
                {link("codes", |t| t.office.nav_codes)}
                {link("entry", |t| t.office.nav_entry)}
                {link("results", |t| t.office.nav_results)}
            </ul>
        </nav>
    }
}

/// The name of a channel, in words.
fn channel_label(texts: &'static Texts, channel: Channel) -> &'static str {
    match channel {
        Channel::Online => texts.office.channel_online,
        Channel::Paper => texts.office.channel_paper,
        Channel::Phone => texts.office.channel_phone,
        Channel::Assisted => texts.office.channel_assisted,
    }
}

/// A count as people may see it: 1–4 people are "fewer than 5", never a number.
fn count_text(texts: &'static Texts, count: Count, language: Language) -> String {
    match count {
        Some(n) => crate::format::number(i64::try_from(n).unwrap_or(i64::MAX), language),
        None => texts.office.fewer_than_5.to_owned(),
    }
}

/// Errors of a form, in the order of its fields: `(DOM id of the field, message)`.
type Problems = Vec<(String, String)>;

/// The message for the field with this DOM id, if any.
fn problem_for(problems: RwSignal<Problems>, dom_id: &str) -> Option<String> {
    problems.with(|p| {
        p.iter()
            .find(|(id, _)| id == dom_id)
            .map(|(_, m)| m.clone())
    })
}

/// The error summary at the top of a form: each message links to its field. Takes the
/// focus when it appears ([`focus_by_id`] with [`ERROR_SUMMARY`]).
#[component]
fn ErrorSummary(problems: RwSignal<Problems>) -> impl IntoView {
    let t = use_texts();
    move || {
        let list = problems.get();
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .map(|(target, message)| {
                    if target.is_empty() {
                        return view! { <li>{message}</li> }.into_any();
                    }
                    let href = format!("#{target}");
                    view! {
                        <li>
                            <a href=href on:click=move |ev| {
                                ev.prevent_default();
                                focus_by_id(&target);
                            }>{message}</a>
                        </li>
                    }
                    .into_any()
                })
                .collect_view();
            view! {
                <div class="notice notice--error error-summary" role="alert" tabindex="-1"
                    id=ERROR_SUMMARY data-testid="form-error">
                    <p class="error-summary__title">{move || t().forms.error_title}</p>
                    <ul class="error-summary__list">{items}</ul>
                </div>
            }
        })
    }
}

/// DOM id of [`ErrorSummary`].
const ERROR_SUMMARY: &str = "office-errors";

/// The inline error of a field, linked from its `aria-describedby` as `<id>-error`.
#[component]
fn InlineError(problems: RwSignal<Problems>, dom_id: &'static str) -> impl IntoView {
    move || {
        problem_for(problems, dom_id).map(|message| {
            view! {
                <p class="field__error" id=format!("{dom_id}-error") data-testid=format!("field-error-{dom_id}")>
                    {message}
                </p>
            }
        })
    }
}

/// Moves the focus to the element with this id once the DOM has caught up.
fn focus_by_id(id: &str) {
    let id = id.to_owned();
    request_animation_frame(move || {
        if let Some(el) = document()
            .get_element_by_id(&id)
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// A `blob:` URL for `text`, to put on an `<a download>` (a navigation, so the CSP's
/// `connect-src` does not apply). Revoke it with `web_sys::Url::revoke_object_url`.
fn blob_url(text: &str, mime: &str) -> Result<String, JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    web_sys::Url::create_object_url_with_blob(&blob)
}

/// A part of a file name: lower case, `a-z0-9` and single dashes (`Altstadt-Nord` →
/// `altstadt-nord`, `Gut älter werden` → `gut-aelter-werden`).
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let part = match c {
            'ä' => "ae",
            'ö' => "oe",
            'ü' => "ue",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        if part == "-" {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push_str(part);
        }
    }
    let trimmed = out.trim_end_matches('-');
    trimmed
        .chars()
        .take(40)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_plain() {
        assert_eq!(slug("Altstadt-Nord"), "altstadt-nord");
        assert_eq!(
            slug("Gut älter werden im Quartier"),
            "gut-aelter-werden-im-quartier"
        );
        assert_eq!(slug("  Straße / Weg!  "), "strasse-weg");
        assert_eq!(slug("„Bänke“"), "baenke");
    }

    #[test]
    fn small_groups_are_words_not_numbers() {
        assert_eq!(
            count_text(&crate::i18n::DE, None, Language::De),
            "weniger als 5"
        );
        assert_eq!(
            count_text(&crate::i18n::EN, None, Language::En),
            "fewer than 5"
        );
        assert_eq!(count_text(&crate::i18n::DE, Some(7), Language::De), "7");
        assert_eq!(count_text(&crate::i18n::DE, Some(0), Language::De), "0");
        assert_eq!(
            count_text(&crate::i18n::DE, Some(1340), Language::De),
            "1.340"
        );
        assert_eq!(
            count_text(&crate::i18n::EN, Some(1340), Language::En),
            "1,340"
        );
    }
}
