//! One question as a person answers it: the right control for its kind, its help
//! text and, when something is wrong, a plain-language message linked to it.
//!
//! Used by the answering page, the manager's preview (the same component, so the
//! preview is exactly what residents see) and the paper entry form.

use leptos::prelude::*;
use shared::{
    Language,
    surveys::{Answer, Answers, OTHER, Question, QuestionKind, RatingStyle, Text},
};

use crate::{
    format::{TYPED_PLACES, decimal},
    i18n::{fill, tr},
    prefs::{use_prefs, use_texts},
};

use super::texts::AnswerTexts;

/// A survey's own text in the reader's language (German where no translation
/// exists), for a view. One closure type for every use, like [`crate::i18n::tr`].
pub fn localized(text: Text) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let prefs = use_prefs();
    move || text.get(prefs.language.get()).to_owned()
}

/// The DOM id of a question's first control, for links from an error summary.
pub fn control_id(question: &str) -> String {
    format!("q-{question}")
}

/// Faces for a 1–5 rating, worst first. Always shown with their word.
const FACES: [&str; 5] = ["😞", "🙁", "😐", "🙂", "😀"];

/// The message for one of `shared`'s answer problem codes.
pub fn problem_text(
    texts: &AnswerTexts,
    question: &Question,
    code: &str,
    lang: Language,
) -> String {
    let (min, max) = match &question.kind {
        QuestionKind::MultipleChoice { min, max, .. } => {
            (min.map(|m| m.to_string()), max.map(|m| m.to_string()))
        }
        QuestionKind::Number { min, max, .. } => (
            min.map(|n| decimal(n, TYPED_PLACES, lang)),
            max.map(|n| decimal(n, TYPED_PLACES, lang)),
        ),
        QuestionKind::FreeText { max_length } => (None, Some(max_length.to_string())),
        _ => (None, None),
    };
    let args = [
        ("min", min.as_deref().unwrap_or("1")),
        ("max", max.as_deref().unwrap_or("")),
    ];
    let text = match code {
        "required" | "empty" => texts.problem_required,
        "too_few" => texts.problem_too_few,
        "too_many" => texts.problem_too_many,
        "other_text_required" => texts.problem_other_text,
        "not_a_number" => texts.problem_not_a_number,
        "not_integer" => texts.problem_not_integer,
        "too_small" => texts.problem_too_small,
        "too_large" => texts.problem_too_large,
        "too_long" => texts.problem_too_long,
        "invalid_date" => texts.problem_invalid_date,
        "incomplete" => texts.problem_incomplete,
        _ => texts.problem_invalid,
    };
    fill(text, &args)
}

/// Reads a number as people type it: a decimal comma is fine, spaces are ignored.
pub fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    cleaned.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// The answer to `question` in words, for the summary and the paper entry check.
pub fn answer_in_words(
    texts: &AnswerTexts,
    question: &Question,
    answer: &Answer,
    lang: Language,
) -> String {
    let option_text = |options: &[shared::surveys::Choice], key: &str, other: &Option<String>| {
        if key == OTHER {
            format!("{}: {}", texts.other, other.as_deref().unwrap_or_default())
        } else {
            options
                .iter()
                .find(|o| o.id == key)
                .map(|o| o.text.get(lang).to_owned())
                .unwrap_or_else(|| key.to_owned())
        }
    };
    match (&question.kind, answer) {
        (QuestionKind::SingleChoice { options, .. }, Answer::Choice { option, other_text }) => {
            option_text(options, option, other_text)
        }
        (
            QuestionKind::MultipleChoice { options, .. },
            Answer::Choices {
                options: chosen,
                other_text,
            },
        ) => chosen
            .iter()
            .map(|c| option_text(options, c, other_text))
            .collect::<Vec<_>>()
            .join(", "),
        (QuestionKind::Rating { labels, .. }, Answer::Rating { value }) => labels
            .get(usize::from(*value).saturating_sub(1))
            .map(|l| format!("{value} – {}", l.get(lang)))
            .unwrap_or_else(|| value.to_string()),
        (_, Answer::YesNo { value }) => (if *value { texts.yes } else { texts.no }).to_owned(),
        (QuestionKind::Number { unit, .. }, Answer::Number { value }) => {
            format!("{} {}", decimal(*value, TYPED_PLACES, lang), unit.get(lang))
                .trim()
                .to_owned()
        }
        (_, Answer::Text { value }) | (_, Answer::Date { value }) => value.clone(),
        (QuestionKind::Matrix { statements, scale }, Answer::Matrix { rows }) => statements
            .iter()
            .filter_map(|s| {
                let point = rows.get(&s.id)?;
                let point = scale.iter().find(|p| &p.id == point)?;
                Some(format!("{}: {}", s.text.get(lang), point.text.get(lang)))
            })
            .collect::<Vec<_>>()
            .join("; "),
        _ => String::new(),
    }
}

/// One question with its control. `error` is the message to show, if any.
/// Number fields that hold something other than a number are listed in `unreadable`,
/// so the page can say so instead of silently dropping what was typed.
#[component]
pub fn QuestionField(
    question: Question,
    answers: RwSignal<Answers>,
    unreadable: RwSignal<Vec<String>>,
    #[prop(into)] error: Signal<Option<String>>,
    /// Numbers the question in the paper entry form.
    #[prop(optional)]
    number_label: Option<usize>,
) -> impl IntoView {
    let prefs = use_prefs();
    let lang = move || prefs.language.get();
    let q = question.clone();
    let id = control_id(&q.id);
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let has_help = !q.help.de.trim().is_empty();
    let described_by = {
        let (help_id, error_id) = (help_id.clone(), error_id.clone());
        move || {
            let ids: Vec<&str> = [
                has_help.then_some(help_id.as_str()),
                error.with(Option::is_some).then_some(error_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let title = {
        let text = q.text.clone();
        let required = q.required;
        move || {
            let prefix = number_label.map(|n| format!("{n}. ")).unwrap_or_default();
            view! {
                {prefix}
                {text.get(lang()).to_owned()}
                {(!required)
                    .then(|| view! { " " <span class="field__optional">{tr(|t| t.answer.optional)}</span> })}
            }
        }
    };
    let help = {
        let help = q.help.clone();
        has_help.then(|| {
            view! { <p class="field__hint" id=help_id.clone()>{localized(help)}</p> }
        })
    };
    let error_view = {
        let error_id = error_id.clone();
        let testid = format!("question-error-{}", q.id);
        move || {
            error.get().map(|message| {
                view! {
                    <p class="field__error" id=error_id.clone() data-testid=testid.clone()>
                        {message}
                    </p>
                }
            })
        }
    };
    let key = q.id.clone();
    let control = control(&question, answers, unreadable, id.clone(), described_by);
    // Text-like kinds have one control, labelled by a <label>; the others are a group.
    let single_control = matches!(
        q.kind,
        QuestionKind::Number { .. } | QuestionKind::FreeText { .. } | QuestionKind::Date
    );
    let invalid = move || error.with(Option::is_some);
    if single_control {
        view! {
            <div class="field question" class:field--invalid=invalid data-testid=format!("question-{key}")>
                <label class="field__label question__text" for=id>{title}</label>
                {help}
                {error_view}
                {control}
            </div>
        }
        .into_any()
    } else {
        view! {
            <fieldset class="fieldset question" class:field--invalid=invalid data-testid=format!("question-{key}")>
                <legend class="question__text">{title}</legend>
                {help}
                {error_view}
                {control}
            </fieldset>
        }
        .into_any()
    }
}

fn set_answer(answers: RwSignal<Answers>, key: &str, answer: Option<Answer>) {
    answers.update(|all| match answer {
        Some(answer) => {
            all.insert(key.to_owned(), answer);
        }
        None => {
            all.remove(key);
        }
    });
}

fn control<D>(
    question: &Question,
    answers: RwSignal<Answers>,
    unreadable: RwSignal<Vec<String>>,
    id: String,
    described_by: D,
) -> AnyView
where
    D: Fn() -> Option<String> + Clone + Send + Sync + 'static,
{
    let prefs = use_prefs();
    let t = use_texts();
    let lang = move || prefs.language.get();
    let key = question.id.clone();
    let current = {
        let key = key.clone();
        move || answers.with(|a| a.get(&key).cloned())
    };
    match &question.kind {
        QuestionKind::SingleChoice { options, other } => {
            let mut items: Vec<(String, Text)> = options
                .iter()
                .map(|o| (o.id.clone(), o.text.clone()))
                .collect();
            if *other {
                items.push((OTHER.to_owned(), Text::default()));
            }
            let other_text = {
                let current = current.clone();
                move || match current() {
                    Some(Answer::Choice { other_text, .. }) => other_text.unwrap_or_default(),
                    _ => String::new(),
                }
            };
            let list = items
                .into_iter()
                .enumerate()
                .map(|(i, (option, text))| {
                    let input_id = if i == 0 { id.clone() } else { format!("{id}-{i}") };
                    let checked = {
                        let (current, option) = (current.clone(), option.clone());
                        move || matches!(current(), Some(Answer::Choice { option: o, .. }) if o == option)
                    };
                    let pick = {
                        let (key, option, other_text) = (key.clone(), option.clone(), other_text.clone());
                        move |_| {
                            let other_text = (option == OTHER).then(&other_text);
                            set_answer(answers, &key, Some(Answer::Choice { option: option.clone(), other_text }));
                        }
                    };
                    let label = {
                        let is_other = option == OTHER;
                        move || if is_other { t().answer.other.to_owned() } else { text.get(lang()).to_owned() }
                    };
                    view! {
                        <label class="option">
                            <input
                                type="radio"
                                id=input_id
                                name=key.clone()
                                value=option.clone()
                                data-testid=format!("option-{key}-{option}")
                                prop:checked=checked
                                aria-describedby=described_by.clone()
                                on:change=pick
                            />
                            <span>{label}</span>
                        </label>
                    }
                })
                .collect_view();
            let other_field = other.then(|| {
                let chose_other = {
                    let current = current.clone();
                    move || matches!(current(), Some(Answer::Choice { option, .. }) if option == OTHER)
                };
                let key = key.clone();
                let other_id = format!("{id}-other-text");
                view! {
                    <Show when=chose_other.clone()>
                        <div class="field option__other">
                            <label class="field__label" for=other_id.clone()>{tr(|t| t.answer.other_describe)}</label>
                            <input
                                type="text"
                                id=other_id.clone()
                                data-testid=format!("other-{key}")
                                prop:value=other_text.clone()
                                on:input={
                                    let key = key.clone();
                                    move |ev| {
                                        let text = event_target_value(&ev);
                                        set_answer(answers, &key, Some(Answer::Choice { option: OTHER.to_owned(), other_text: Some(text) }));
                                    }
                                }
                            />
                        </div>
                    </Show>
                }
            });
            view! { <div class="options">{list}</div> {other_field} }.into_any()
        }
        QuestionKind::MultipleChoice { options, other, .. } => {
            let mut items: Vec<(String, Text)> = options
                .iter()
                .map(|o| (o.id.clone(), o.text.clone()))
                .collect();
            if *other {
                items.push((OTHER.to_owned(), Text::default()));
            }
            let chosen = {
                let current = current.clone();
                move || match current() {
                    Some(Answer::Choices {
                        options,
                        other_text,
                    }) => (options, other_text),
                    _ => (Vec::new(), None),
                }
            };
            let list = items
                .into_iter()
                .enumerate()
                .map(|(i, (option, text))| {
                    let input_id = if i == 0 {
                        id.clone()
                    } else {
                        format!("{id}-{i}")
                    };
                    let checked = {
                        let (chosen, option) = (chosen.clone(), option.clone());
                        move || chosen().0.contains(&option)
                    };
                    let toggle = {
                        let (key, option, chosen) = (key.clone(), option.clone(), chosen.clone());
                        move |ev: leptos::ev::Event| {
                            let on = event_target_checked(&ev);
                            let (mut list, mut other_text) = chosen();
                            list.retain(|o| o != &option);
                            if on {
                                list.push(option.clone());
                            }
                            if !list.iter().any(|o| o == OTHER) {
                                other_text = None;
                            } else if other_text.is_none() {
                                other_text = Some(String::new());
                            }
                            let answer = (!list.is_empty()).then_some(Answer::Choices {
                                options: list,
                                other_text,
                            });
                            set_answer(answers, &key, answer);
                        }
                    };
                    let label = {
                        let is_other = option == OTHER;
                        move || {
                            if is_other {
                                t().answer.other.to_owned()
                            } else {
                                text.get(lang()).to_owned()
                            }
                        }
                    };
                    view! {
                        <label class="option">
                            <input
                                type="checkbox"
                                id=input_id
                                name=key.clone()
                                value=option.clone()
                                data-testid=format!("option-{key}-{option}")
                                prop:checked=checked
                                aria-describedby=described_by.clone()
                                on:change=toggle
                            />
                            <span>{label}</span>
                        </label>
                    }
                })
                .collect_view();
            let other_field = other.then(|| {
                let chose_other = {
                    let chosen = chosen.clone();
                    move || chosen().0.iter().any(|o| o == OTHER)
                };
                let key = key.clone();
                let other_id = format!("{id}-other-text");
                let value = {
                    let chosen = chosen.clone();
                    move || chosen().1.unwrap_or_default()
                };
                view! {
                    <Show when=chose_other.clone()>
                        <div class="field option__other">
                            <label class="field__label" for=other_id.clone()>{tr(|t| t.answer.other_describe)}</label>
                            <input
                                type="text"
                                id=other_id.clone()
                                data-testid=format!("other-{key}")
                                prop:value=value.clone()
                                on:input={
                                    let (key, chosen) = (key.clone(), chosen.clone());
                                    move |ev| {
                                        let (list, _) = chosen();
                                        set_answer(answers, &key, Some(Answer::Choices { options: list, other_text: Some(event_target_value(&ev)) }));
                                    }
                                }
                            />
                        </div>
                    </Show>
                }
            });
            view! { <div class="options">{list}</div> {other_field} }.into_any()
        }
        QuestionKind::Rating { style, labels } => {
            let faces = *style == RatingStyle::Faces;
            let list = labels
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, label)| {
                    let value = u8::try_from(i + 1).unwrap_or(5);
                    let input_id = if i == 0 { id.clone() } else { format!("{id}-{i}") };
                    let checked = {
                        let current = current.clone();
                        move || matches!(current(), Some(Answer::Rating { value: v }) if v == value)
                    };
                    let key2 = key.clone();
                    view! {
                        <label class="option option--rating">
                            <input
                                type="radio"
                                id=input_id
                                name=key.clone()
                                value=value.to_string()
                                data-testid=format!("option-{key}-{value}")
                                prop:checked=checked
                                aria-describedby=described_by.clone()
                                on:change=move |_| set_answer(answers, &key2, Some(Answer::Rating { value }))
                            />
                            {faces.then(|| view! { <span class="option__face" aria-hidden="true">{FACES[i]}</span> })}
                            <span>{localized(label)}</span>
                        </label>
                    }
                })
                .collect_view();
            view! { <div class="options options--rating">{list}</div> }.into_any()
        }
        QuestionKind::YesNo => {
            let list = [(true, "yes"), (false, "no")]
                .into_iter()
                .map(|(value, name)| {
                    let input_id = if value { id.clone() } else { format!("{id}-no") };
                    let checked = {
                        let current = current.clone();
                        move || matches!(current(), Some(Answer::YesNo { value: v }) if v == value)
                    };
                    let key2 = key.clone();
                    view! {
                        <label class="option">
                            <input
                                type="radio"
                                id=input_id
                                name=key.clone()
                                value=name
                                data-testid=format!("option-{key}-{name}")
                                prop:checked=checked
                                aria-describedby=described_by.clone()
                                on:change=move |_| set_answer(answers, &key2, Some(Answer::YesNo { value }))
                            />
                            <span>{move || if value { t().answer.yes } else { t().answer.no }}</span>
                        </label>
                    }
                })
                .collect_view();
            view! { <div class="options options--yes-no">{list}</div> }.into_any()
        }
        QuestionKind::Number { unit, integer, .. } => {
            // What was typed stays as typed; the answer is the number read from it.
            let initial = match current() {
                Some(Answer::Number { value }) => {
                    decimal(value, TYPED_PLACES, prefs.shown_language())
                }
                _ => String::new(),
            };
            let typed = RwSignal::new(initial);
            let unit = unit.clone();
            let has_unit = !unit.de.trim().is_empty();
            let key2 = key.clone();
            let on_input = move |ev: leptos::ev::Event| {
                let text = event_target_value(&ev);
                typed.set(text.clone());
                let parsed = parse_number(&text);
                let unreadable_now = !text.trim().is_empty() && parsed.is_none();
                unreadable.update(|list| {
                    list.retain(|k| k != &key2);
                    if unreadable_now {
                        list.push(key2.clone());
                    }
                });
                set_answer(answers, &key2, parsed.map(|value| Answer::Number { value }));
            };
            view! {
                <div class="number-input">
                    <input
                        type="text"
                        id=id
                        inputmode=if *integer { "numeric" } else { "decimal" }
                        autocomplete="off"
                        data-testid=format!("number-{key}")
                        prop:value=move || typed.get()
                        aria-describedby=described_by
                        on:input=on_input
                    />
                    {has_unit.then(|| view! { <span class="number-input__unit">{localized(unit)}</span> })}
                </div>
            }
            .into_any()
        }
        QuestionKind::FreeText { max_length } => {
            let max = *max_length;
            let value = {
                let current = current.clone();
                move || match current() {
                    Some(Answer::Text { value }) => value,
                    _ => String::new(),
                }
            };
            let count = {
                let value = value.clone();
                move || {
                    fill(
                        t().answer.characters,
                        &[
                            ("count", &value().chars().count().to_string()),
                            ("max", &max.to_string()),
                        ],
                    )
                }
            };
            let key2 = key.clone();
            view! {
                <textarea
                    id=id
                    rows="4"
                    data-testid=format!("text-{key}")
                    prop:value=value
                    aria-describedby=described_by
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        let answer = (!text.trim().is_empty()).then_some(Answer::Text { value: text });
                        set_answer(answers, &key2, answer);
                    }
                ></textarea>
                <p class="field__hint question__count" aria-live="polite">{count}</p>
            }
            .into_any()
        }
        QuestionKind::Date => {
            let value = {
                let current = current.clone();
                move || match current() {
                    Some(Answer::Date { value }) => value,
                    _ => String::new(),
                }
            };
            let key2 = key.clone();
            view! {
                <input
                    type="date"
                    id=id
                    data-testid=format!("date-{key}")
                    prop:value=value
                    aria-describedby=described_by
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        let answer = (!text.is_empty()).then_some(Answer::Date { value: text });
                        set_answer(answers, &key2, answer);
                    }
                />
            }
            .into_any()
        }
        QuestionKind::Matrix { statements, scale } => {
            let rows = statements
                .iter()
                .cloned()
                .enumerate()
                .map(|(row, statement)| {
                    let points = scale
                        .iter()
                        .cloned()
                        .enumerate()
                        .map(|(i, point)| {
                            let input_id = if row == 0 && i == 0 {
                                id.clone()
                            } else {
                                format!("{id}-{row}-{i}")
                            };
                            let checked = {
                                let (current, s, p) = (current.clone(), statement.id.clone(), point.id.clone());
                                move || matches!(current(), Some(Answer::Matrix { rows }) if rows.get(&s) == Some(&p))
                            };
                            let pick = {
                                let (key, s, p, current) =
                                    (key.clone(), statement.id.clone(), point.id.clone(), current.clone());
                                move |_| {
                                    let mut rows = match current() {
                                        Some(Answer::Matrix { rows }) => rows,
                                        _ => Default::default(),
                                    };
                                    rows.insert(s.clone(), p.clone());
                                    set_answer(answers, &key, Some(Answer::Matrix { rows }));
                                }
                            };
                            view! {
                                <label class="option">
                                    <input
                                        type="radio"
                                        id=input_id
                                        name=format!("{key}-{}", statement.id)
                                        value=point.id.clone()
                                        data-testid=format!("option-{key}-{}-{}", statement.id, point.id)
                                        prop:checked=checked
                                        on:change=pick
                                    />
                                    <span>{move || point.text.get(lang()).to_owned()}</span>
                                </label>
                            }
                        })
                        .collect_view();
                    let text = statement.text.clone();
                    view! {
                        <fieldset class="fieldset fieldset--inner matrix__row">
                            <legend>{localized(text)}</legend>
                            <div class="options options--matrix">{points}</div>
                        </fieldset>
                    }
                })
                .collect_view();
            view! { <div class="matrix">{rows}</div> }.into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_answers_and_limits_are_written_in_the_readers_language() {
        let mut stairs = shared::surveys::template::age_friendly()
            .definition
            .question("housing_stairs")
            .cloned()
            .expect("the template asks for the stairs");
        let answer = Answer::Number { value: 2.5 };
        let de = &crate::i18n::DE.answer;
        assert_eq!(
            answer_in_words(de, &stairs, &answer, Language::De),
            "2,5 Stufen"
        );
        assert_eq!(
            answer_in_words(de, &stairs, &answer, Language::En),
            "2.5 steps"
        );
        if let QuestionKind::Number { min, .. } = &mut stairs.kind {
            *min = Some(0.5);
        }
        assert!(problem_text(de, &stairs, "too_small", Language::De).contains("0,5"));
    }

    #[test]
    fn numbers_are_read_as_people_type_them() {
        assert_eq!(parse_number("12"), Some(12.0));
        assert_eq!(parse_number(" 2,5 "), Some(2.5));
        assert_eq!(parse_number("1 000"), Some(1000.0));
        assert_eq!(parse_number("zwölf"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("inf"), None);
    }
}
