//! `/manager/surveys/:id/entry`: staff type in paper questionnaires and answers taken
//! on the telephone, one after the other, with the keyboard only. All questions are on
//! one page in the paper's order and numbering; Enter moves to the next field (the
//! form is sent from its button), show-if conditions hide what the paper skips, and
//! after each save the form is empty again with the focus on its first field.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use shared::{
    AgeBand, Language,
    accounts::Uuid,
    surveys::{Answers, Channel, EnteredResponseRequest, RespondentProfile, SurveyDefinition},
};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent};

use super::{
    super::{
        QuestionField,
        question::{control_id, problem_text},
        saved::new_response_key,
    },
    ERROR_SUMMARY, ErrorSummary, InlineError, Loaded, OfficeFrame, Problems, channel_label,
    focus_by_id, problem_for,
};
use crate::{
    api::{self, ApiError},
    auth::use_auth,
    i18n::{Texts, fill},
    prefs::{use_prefs, use_texts},
};

#[component]
pub fn SurveyEntryPage() -> impl IntoView {
    view! { <OfficeFrame title=|t| t.office.entry_title content=entry /> }
}

fn entry(loaded: Loaded) -> AnyView {
    view! { <Entry loaded /> }.into_any()
}

/// The channels staff enter; `online` is for respondents themselves.
const CHANNELS: [Channel; 3] = [Channel::Paper, Channel::Phone, Channel::Assisted];
const QUARTER: &str = "entry-quarter";
const AGE_BAND: &str = "entry-age-band";

/// What is wrong with the answers, in the order of the questions, by the DOM id of
/// each question's first control. Numbers that could not be read count as wrong.
fn check(
    texts: &'static Texts,
    definition: &SurveyDefinition,
    answers: &Answers,
    unreadable: &[String],
    lang: Language,
) -> Problems {
    let answers = definition.prune_hidden(answers);
    let visible = definition.visible(&answers);
    let problems = definition.answer_problems(&answers);
    definition
        .questions()
        .filter(|q| visible.contains(&q.id))
        .filter_map(|q| {
            let code = if unreadable.contains(&q.id) {
                "not_a_number"
            } else {
                let field = format!("answers.{}", q.id);
                problems.iter().find(|p| p.field == field)?.code.as_str()
            };
            Some((
                control_id(&q.id),
                problem_text(&texts.answer, q, code, lang),
            ))
        })
        .collect()
}

/// The server's refusal, next to the fields it names (the same places as ours).
fn refused(
    texts: &'static Texts,
    definition: &SurveyDefinition,
    error: &ApiError,
    lang: Language,
) -> Problems {
    let fields = error.field_errors();
    if fields.is_empty() {
        return vec![(String::new(), error.message(texts))];
    }
    fields
        .iter()
        .map(|f| {
            let question = f
                .field
                .strip_prefix("answers.")
                .and_then(|key| definition.question(key));
            match (f.field.as_str(), question) {
                (_, Some(q)) => (
                    control_id(&q.id),
                    problem_text(&texts.answer, q, &f.code, lang),
                ),
                ("profile.quarter_id", _) if f.code == "required" => {
                    (QUARTER.into(), texts.office.codes_quarter_required.into())
                }
                ("profile.quarter_id", _) => (QUARTER.into(), texts.answer.problem_invalid.into()),
                ("profile.age_band", _) => (AGE_BAND.into(), texts.answer.problem_invalid.into()),
                _ => (String::new(), error.message(texts)),
            }
        })
        .collect()
}

#[component]
fn Entry(loaded: Loaded) -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    let auth = use_auth();
    let lang = move || prefs.language.get();
    let id = loaded.survey.id;
    let profile_questions = loaded.survey.profile_questions;
    let quarters = loaded.quarters.clone();
    let definition = StoredValue::new(loaded.survey.definition);

    // Chosen once for a pile of questionnaires.
    let channel = RwSignal::new(Channel::Paper);
    let quarter = RwSignal::new(String::new());
    let age_band = RwSignal::new(String::new());
    let answers = RwSignal::new(Answers::new());
    let unreadable = RwSignal::new(Vec::<String>::new());
    let problems = RwSignal::new(Problems::new());
    let saved = RwSignal::new(0u32);
    let sending = RwSignal::new(false);
    // The key of the questionnaire being saved, kept until the server has it: saving
    // again after a dropped connection stores it once.
    let key = StoredValue::new(None::<Uuid>);
    // Raised after each save, so the questions are drawn afresh and empty (a number
    // field keeps what was typed otherwise).
    let round = RwSignal::new(0u32);

    let visible = Memo::new(move |_| answers.with(|a| definition.with_value(|d| d.visible(a))));
    let first_field = if profile_questions {
        QUARTER.to_owned()
    } else {
        definition.with_value(|d| {
            d.questions()
                .next()
                .map(|q| control_id(&q.id))
                .unwrap_or_default()
        })
    };

    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let texts = t();
        let found = definition.with_value(|d| {
            let lang = prefs.shown_language();
            answers.with_untracked(|a| unreadable.with_untracked(|u| check(texts, d, a, u, lang)))
        });
        if !found.is_empty() {
            problems.set(found);
            focus_by_id(ERROR_SUMMARY);
            return;
        }
        let Some(response) = key.get_value().or_else(new_response_key) else {
            return;
        };
        key.set_value(Some(response));
        let request = EnteredResponseRequest {
            id: response,
            channel: channel.get_untracked(),
            answers: answers.with_untracked(|a| definition.with_value(|d| d.prune_hidden(a))),
            profile: RespondentProfile {
                quarter_id: Uuid::parse_str(&quarter.get_untracked()).ok(),
                age_band: AgeBand::parse(&age_band.get_untracked()),
            },
        };
        problems.set(Vec::new());
        sending.set(true);
        let first_field = first_field.clone();
        spawn_local(async move {
            let result = api::enter_response(auth, id, &request).await;
            sending.set(false);
            match result {
                Ok(_) => {
                    key.set_value(None);
                    saved.update(|n| *n += 1);
                    answers.set(Answers::new());
                    unreadable.set(Vec::new());
                    quarter.set(String::new());
                    age_band.set(String::new());
                    round.update(|n| *n += 1);
                    focus_by_id(&first_field);
                }
                Err(ApiError::Network) => {
                    problems.set(vec![(String::new(), t().office.entry_network.to_owned())]);
                    focus_by_id(ERROR_SUMMARY);
                }
                Err(error) => {
                    // Refused, so nothing was stored under the key.
                    if matches!(&error, ApiError::Problem(p) if p.status < 500) {
                        key.set_value(None);
                    }
                    let lang = prefs.shown_language();
                    problems.set(definition.with_value(|d| refused(t(), d, &error, lang)));
                    focus_by_id(ERROR_SUMMARY);
                }
            }
        });
    };

    let channels = CHANNELS
        .into_iter()
        .map(|c| {
            view! {
                <label class="option">
                    <input
                        type="radio"
                        name="entry-channel"
                        value=c.as_str()
                        data-testid=format!("entry-channel-{}", c.as_str())
                        prop:checked=move || channel.get() == c
                        on:change=move |_| channel.set(c)
                    />
                    <span>{move || channel_label(t(), c)}</span>
                </label>
            }
        })
        .collect_view();

    let profile = profile_questions.then(|| {
        let quarter_options = quarters
            .into_iter()
            .map(|q| (q.id.to_string(), q.name))
            .collect::<Vec<_>>();
        let described = move |dom_id: &'static str| {
            problem_for(problems, dom_id).map(|_| format!("{dom_id}-error"))
        };
        let quarter_options = quarter_options
            .into_iter()
            .map(|(value, name)| {
                let selected = {
                    let value = value.clone();
                    move || quarter.with(|q| *q == value)
                };
                view! { <option value=value prop:selected=selected>{name}</option> }
            })
            .collect_view();
        let band_options = AgeBand::ALL
            .into_iter()
            .map(|band| {
                view! {
                    <option value=band.as_str() prop:selected=move || age_band.with(|b| b == band.as_str())>
                        {move || t().age_bands.label(band)}
                    </option>
                }
            })
            .collect_view();
        view! {
            <fieldset class="fieldset">
                <legend>{move || t().office.entry_profile}</legend>
                <div class="field" class:field--invalid=move || described(QUARTER).is_some()>
                    <label class="field__label" for=QUARTER>{move || t().office.quarter}</label>
                    <InlineError problems dom_id=QUARTER />
                    <select id=QUARTER data-testid=QUARTER aria-describedby=move || described(QUARTER)
                        on:change=move |ev| quarter.set(event_target_value(&ev))>
                        <option value="" prop:selected=move || quarter.with(String::is_empty)>{move || t().answer.no_answer}</option>
                        {quarter_options}
                    </select>
                </div>
                <div class="field" class:field--invalid=move || described(AGE_BAND).is_some()>
                    <label class="field__label" for=AGE_BAND>{move || t().office.age_band}</label>
                    <InlineError problems dom_id=AGE_BAND />
                    <select id=AGE_BAND data-testid=AGE_BAND aria-describedby=move || described(AGE_BAND)
                        on:change=move |ev| age_band.set(event_target_value(&ev))>
                        <option value="" prop:selected=move || age_band.with(String::is_empty)>{move || t().answer.no_answer}</option>
                        {band_options}
                    </select>
                </div>
            </fieldset>
        }
    });

    let questions = move || {
        round.track();
        let mut number = 0;
        definition.with_value(|d| {
            d.sections
                .iter()
                .map(|section| {
                    let title = section.title.clone();
                    let fields = section
                        .questions
                        .iter()
                        .map(|q| {
                            number += 1;
                            let shown = {
                                let qid = q.id.clone();
                                move || visible.with(|v| v.contains(&qid))
                            };
                            let error = Signal::derive({
                                let dom_id = control_id(&q.id);
                                move || problem_for(problems, &dom_id)
                            });
                            let question = q.clone();
                            let number_label = number;
                            view! {
                                <Show when=shown>
                                    <QuestionField question=question.clone() answers unreadable error number_label />
                                </Show>
                            }
                        })
                        .collect_view();
                    view! {
                        <section class="entry__section">
                            <h2>{move || title.get(lang()).to_owned()}</h2>
                            {fields}
                        </section>
                    }
                })
                .collect_view()
        })
    };

    view! {
        <p class="lead">{move || t().office.entry_intro}</p>
        <form class="form entry" data-testid="entry-form" novalidate on:submit=save
            on:keydown=enter_moves_on>
            <ErrorSummary problems />
            <div role="status" class="form-status">
                {move || (saved.get() > 0).then(|| view! {
                    <p class="notice notice--success" data-testid="entry-saved">
                        {move || fill(t().office.entry_saved, &[("count", &saved.get().to_string())])}
                    </p>
                })}
            </div>
            <fieldset class="fieldset">
                <legend>{move || t().office.entry_channel}</legend>
                <p class="field__hint">{move || t().office.entry_channel_hint}</p>
                <div class="options">{channels}</div>
            </fieldset>
            {profile}
            {questions}
            <div class="actions">
                <button type="submit" class="button button--large" data-testid="entry-save" disabled=move || sending.get()>
                    {move || if sending.get() { t().forms.sending } else { t().office.entry_save }}
                </button>
            </div>
        </form>
    }
}

/// Enter moves to the next field instead of sending the form: a paper questionnaire
/// is typed in as fast as a spreadsheet. On a button Enter still presses it; in a
/// text box, Shift and Enter start a new line.
fn enter_moves_on(ev: KeyboardEvent) {
    if ev.key() != "Enter" || ev.is_composing() || ev.ctrl_key() || ev.alt_key() || ev.meta_key() {
        return;
    }
    let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    let tag = target.tag_name().to_ascii_lowercase();
    if tag == "button" || tag == "a" || (tag == "textarea" && ev.shift_key()) {
        return;
    }
    let Some(form) = target.closest("form").ok().flatten() else {
        return;
    };
    ev.prevent_default();
    if let Some(next) = next_field(&form, &target) {
        let _ = next.focus();
    }
}

/// The control after `from`'s group, as Tab would reach it: the chosen option of a
/// group of radio buttons, else its first.
fn next_field(form: &Element, from: &Element) -> Option<HtmlElement> {
    let list = form
        .query_selector_all("input, select, textarea, button")
        .ok()?;
    let controls: Vec<Element> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .filter(|e| {
            !e.has_attribute("disabled") && e.get_attribute("type").as_deref() != Some("hidden")
        })
        .collect();
    let here = controls.iter().position(|e| e.is_same_node(Some(from)))?;
    let group = group_of(from);
    let rest = &controls[here + 1..];
    let start = rest
        .iter()
        .position(|e| !group.is_same_node(Some(&group_of(e))))?;
    let next_group = group_of(&rest[start]);
    let chosen = rest[start..]
        .iter()
        .take_while(|e| next_group.is_same_node(Some(&group_of(e))))
        .find(|e| {
            e.dyn_ref::<HtmlInputElement>()
                .is_some_and(|i| i.type_() == "radio" && i.checked())
        });
    chosen
        .unwrap_or(&rest[start])
        .clone()
        .dyn_into::<HtmlElement>()
        .ok()
}

/// What Enter steps over as one: the options of a question (or of a matrix row), or a
/// single control.
fn group_of(el: &Element) -> Element {
    let is_option = matches!(
        el.get_attribute("type").as_deref(),
        Some("radio" | "checkbox")
    );
    if is_option && let Ok(Some(options)) = el.closest(".options") {
        return options;
    }
    el.clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::surveys::{Answer, template};

    #[test]
    fn problems_follow_the_questions_and_their_conditions() {
        let definition = template::age_friendly().definition;
        let mut answers = Answers::new();
        // Both required questions are missing.
        let found = check(&crate::i18n::DE, &definition, &answers, &[], Language::De);
        let ids: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["q-housing_lift", "q-transport_used"]);
        answers.insert("housing_lift".into(), Answer::YesNo { value: false });
        answers.insert(
            "transport_used".into(),
            Answer::Choices {
                options: vec!["walk".into()],
                other_text: None,
            },
        );
        // An answer to a question the conditions hide is dropped, not an error.
        answers.insert("housing_lift_works".into(), Answer::YesNo { value: true });
        assert!(check(&crate::i18n::DE, &definition, &answers, &[], Language::De).is_empty());
        let unreadable = ["housing_stairs".to_owned()];
        let found = check(
            &crate::i18n::DE,
            &definition,
            &answers,
            &unreadable,
            Language::De,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "q-housing_stairs");
    }
}
