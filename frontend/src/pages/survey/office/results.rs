//! `/manager/surveys/:id/results`: how many answered (by quarter, age band, channel
//! and day) and what, per question, for the groups the filters select. Figures for
//! fewer than 5 people come from the server as `null` and are shown as "fewer than 5",
//! never as a number. Bars are decoration: every figure is also in the text.

use leptos::prelude::*;
use shared::{
    AgeBand,
    accounts::Uuid,
    surveys::{
        Channel, Count, OptionCountDto, Question, QuestionKind, QuestionResultDto, ResultsFilter,
        SurveyDefinition, SurveyResultsDto,
    },
};

use super::{Loaded, OfficeFrame, channel_label, count_text};
use crate::{
    api,
    auth::use_auth,
    components::ErrorNotice,
    format::decimal,
    i18n::{Texts, fill},
    prefs::{use_prefs, use_texts},
};
use shared::Language;

#[component]
pub fn SurveyResultsPage() -> impl IntoView {
    view! { <OfficeFrame title=|t| t.office.results_title content=results /> }
}

fn results(loaded: Loaded) -> AnyView {
    view! { <Results loaded /> }.into_any()
}

/// `part` of `whole` in whole percent, when both are known.
fn percent(part: Count, whole: Count) -> Option<u64> {
    match (part, whole) {
        (Some(p), Some(w)) if w > 0 => Some((p * 100 + w / 2) / w),
        _ => None,
    }
}

/// An option key of a result (option id, rating `1`–`5`, `yes`/`no`, `other`) in words.
fn option_label(
    texts: &'static Texts,
    question: Option<&Question>,
    key: &str,
    lang: Language,
) -> String {
    match (question.map(|q| &q.kind), key) {
        (_, "other") => texts.answer.other.to_owned(),
        (Some(QuestionKind::YesNo), "yes") => texts.answer.yes.to_owned(),
        (Some(QuestionKind::YesNo), "no") => texts.answer.no.to_owned(),
        (Some(QuestionKind::Rating { labels, .. }), _) => key
            .parse::<usize>()
            .ok()
            .and_then(|n| labels.get(n.checked_sub(1)?))
            .map_or_else(|| key.to_owned(), |l| format!("{key} – {}", l.get(lang))),
        (
            Some(
                QuestionKind::SingleChoice { options, .. }
                | QuestionKind::MultipleChoice { options, .. },
            ),
            _,
        ) => options
            .iter()
            .find(|o| o.id == key)
            .map_or_else(|| key.to_owned(), |o| o.text.get(lang).to_owned()),
        _ => key.to_owned(),
    }
}

#[component]
fn Results(loaded: Loaded) -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let id = loaded.survey.id;
    let loaded = StoredValue::new(loaded);
    let quarter = RwSignal::new(String::new());
    let band = RwSignal::new(String::new());
    let channel = RwSignal::new(String::new());
    let data = LocalResource::new(move || {
        let filter = ResultsFilter {
            quarter_id: Uuid::parse_str(&quarter.get()).ok(),
            age_band: AgeBand::parse(&band.get()),
            channel: Channel::parse(&channel.get()),
        };
        api::survey_results(auth, id, filter)
    });

    let quarter_options = move || {
        loaded.with_value(|l| {
            l.quarters
                .iter()
                .map(|q| (q.id.to_string(), q.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let band_options = move || {
        AgeBand::ALL
            .into_iter()
            .map(|b| (b.as_str().to_owned(), t().age_bands.label(b).to_owned()))
            .collect::<Vec<_>>()
    };
    let channel_options = move || {
        Channel::ALL
            .into_iter()
            .map(|c| (c.as_str().to_owned(), channel_label(t(), c).to_owned()))
            .collect::<Vec<_>>()
    };

    let body = move || {
        Suspend::new(async move {
            match data.await {
                Ok(results) => {
                    let definition = loaded.with_value(|l| l.survey.definition.clone());
                    view! { <ResultsView results definition loaded /> }.into_any()
                }
                Err(error) => {
                    view! { <ErrorNotice error on_retry=move || data.refetch() /> }.into_any()
                }
            }
        })
    };

    view! {
        <form class="filters" data-testid="results-filters" on:submit=|ev| ev.prevent_default()>
            <fieldset class="fieldset">
                <legend>{move || t().office.results_filters}</legend>
                <Filter id="results-quarter" label=|t| t.office.quarter value=quarter options=quarter_options />
                <Filter id="results-age-band" label=|t| t.office.age_band value=band options=band_options />
                <Filter id="results-channel" label=|t| t.office.channel value=channel options=channel_options />
            </fieldset>
        </form>
        <p class="field__hint">{move || t().office.results_suppression_note}</p>
        <Transition fallback=move || view! { <p class="loading" role="status">{move || t().forms.loading}</p> }>
            {body}
        </Transition>
    }
}

/// A `<select>` that reloads the results when changed; "all" is the empty value.
#[component]
fn Filter(
    id: &'static str,
    label: crate::i18n::Text,
    value: RwSignal<String>,
    options: impl Fn() -> Vec<(String, String)> + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_texts();
    let options = move || {
        options()
            .into_iter()
            .map(|(option, text)| {
                let selected = {
                    let option = option.clone();
                    move || value.with(|v| *v == option)
                };
                view! { <option value=option prop:selected=selected>{text}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="field">
            <label class="field__label" for=id>{move || label(t())}</label>
            <select id=id data-testid=id on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="" prop:selected=move || value.with(String::is_empty)>{move || t().office.results_all}</option>
                {options}
            </select>
        </div>
    }
}

#[component]
fn ResultsView(
    results: SurveyResultsDto,
    definition: SurveyDefinition,
    loaded: StoredValue<Loaded>,
) -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    let total = results.responses;
    let by_quarter = results
        .by_quarter
        .iter()
        .map(|g| {
            let name = Uuid::parse_str(&g.key)
                .ok()
                .map(|q| loaded.with_value(|l| l.quarter_name(q)));
            (name, g.count)
        })
        .collect::<Vec<_>>();
    let by_band = results
        .by_age_band
        .iter()
        .map(|g| {
            (
                AgeBand::parse(&g.key).map(|b| t().age_bands.label(b).to_owned()),
                g.count,
            )
        })
        .collect::<Vec<_>>();
    let by_channel = results
        .by_channel
        .iter()
        .map(|g| {
            (
                Channel::parse(&g.key).map(|c| channel_label(t(), c).to_owned()),
                g.count,
            )
        })
        .collect::<Vec<_>>();
    let by_day = results
        .by_day
        .iter()
        .map(|d| (Some(d.day.clone()), d.count))
        .collect::<Vec<_>>();

    let questions = (!results.suppressed && total != Some(0)).then(|| {
        let mut number_of = 0;
        let numbers: Vec<(String, usize)> = definition
            .questions()
            .map(|q| {
                number_of += 1;
                (q.id.clone(), number_of)
            })
            .collect();
        let list = results
            .questions
            .into_iter()
            .map(|r| {
                let question = definition.question(&r.question).cloned();
                let n = numbers
                    .iter()
                    .find(|(id, _)| *id == r.question)
                    .map(|(_, n)| *n);
                view! { <QuestionResult result=r question number=n /> }
            })
            .collect_view();
        view! {
            <section aria-labelledby="results-questions-title">
                <h2 id="results-questions-title">{move || t().office.results_questions}</h2>
                {list}
            </section>
        }
    });

    view! {
        <section aria-labelledby="results-total-title" data-testid="results">
            <h2 id="results-total-title">
                {move || t().office.results_responses} ": "
                <span data-testid="results-total">{move || count_text(t(), total, prefs.language.get())}</span>
            </h2>
            {(total == Some(0)).then(|| view! { <p class="notice">{move || t().office.results_none}</p> })}
            {results.suppressed.then(|| view! { <p class="notice" data-testid="results-suppressed">{move || t().office.results_suppressed}</p> })}
            <div class="results__groups">
                <GroupTable caption=|t| t.office.results_by_quarter head=|t| t.office.results_group rows=by_quarter total testid="results-by-quarter" />
                <GroupTable caption=|t| t.office.results_by_age_band head=|t| t.office.results_group rows=by_band total testid="results-by-age-band" />
                <GroupTable caption=|t| t.office.results_by_channel head=|t| t.office.results_group rows=by_channel total testid="results-by-channel" />
                <GroupTable caption=|t| t.office.results_by_day head=|t| t.office.results_day rows=by_day total testid="results-by-day" />
            </div>
        </section>
        {questions}
    }
}

/// Counts by group, with their share of `total` as text and as a bar. A group without a
/// name (`None`) is "not stated".
#[component]
fn GroupTable(
    caption: crate::i18n::Text,
    head: crate::i18n::Text,
    rows: Vec<(Option<String>, Count)>,
    total: Count,
    testid: &'static str,
) -> impl IntoView {
    let t = use_texts();
    let rows = rows
        .into_iter()
        .map(|(name, count)| {
            let label = move || {
                name.clone()
                    .unwrap_or_else(|| t().office.not_given.to_owned())
            };
            view! { <CountRow label=Signal::derive(label) count whole=total /> }
        })
        .collect_view();
    view! {
        <table class="table results__table" data-testid=testid>
            <caption>{move || caption(t())}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || head(t())}</th>
                    <th scope="col">{move || t().office.results_count}</th>
                    <th scope="col">{move || t().office.results_share}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// One row: name, count (or "fewer than 5"), share in percent with a bar.
#[component]
fn CountRow(#[prop(into)] label: Signal<String>, count: Count, whole: Count) -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    let share = percent(count, whole);
    view! {
        <tr>
            <th scope="row">{label}</th>
            <td data-label=move || t().office.results_count data-testid="count">{move || count_text(t(), count, prefs.language.get())}</td>
            <td data-label=move || t().office.results_share>
                {share.map(|p| view! {
                    <span class="bar">
                        <span class="bar__text">{format!("{p} %")}</span>
                        <span class="bar__track" aria-hidden="true">
                            <span class="bar__fill" style:width=format!("{}%", p.min(100))></span>
                        </span>
                    </span>
                })}
            </td>
        </tr>
    }
}

#[component]
fn QuestionResult(
    result: QuestionResultDto,
    question: Option<Question>,
    number: Option<usize>,
) -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    let lang = move || prefs.language.get();
    let answered = result.answered;
    let title = {
        let question = question.clone();
        let key = result.question.clone();
        move || {
            let text = question
                .as_ref()
                .map_or_else(|| key.clone(), |q| q.text.get(lang()).to_owned());
            match number {
                Some(n) => format!("{n}. {text}"),
                None => text,
            }
        }
    };
    let q = StoredValue::new(question);
    let options_table = move |options: Vec<OptionCountDto>, caption: Option<String>| {
        let rows = options
            .into_iter()
            .map(|o| {
                let label = move || q.with_value(|q| option_label(t(), q.as_ref(), &o.key, lang()));
                view! { <CountRow label=Signal::derive(label) count=o.count whole=answered /> }
            })
            .collect_view();
        view! {
            <table class="table results__table">
                {caption.map(|c| view! { <caption>{c}</caption> })}
                <thead>
                    <tr>
                        <th scope="col">{move || t().office.results_answer}</th>
                        <th scope="col">{move || t().office.results_count}</th>
                        <th scope="col">{move || t().office.results_share}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
    };
    let options = (!result.options.is_empty()).then(|| options_table(result.options.clone(), None));
    let rows = result
        .rows
        .iter()
        .map(|row| {
            // Matrix: each statement with its own scale.
            let (statement, scale) = q.with_value(|q| match q.as_ref().map(|q| &q.kind) {
                Some(QuestionKind::Matrix { statements, scale }) => (
                    statements
                        .iter()
                        .find(|s| s.id == row.statement)
                        .map_or_else(
                            || row.statement.clone(),
                            |s| s.text.get(prefs.language.get_untracked()).to_owned(),
                        ),
                    scale.clone(),
                ),
                _ => (row.statement.clone(), Vec::new()),
            });
            let options = row
                .options
                .iter()
                .map(|o| OptionCountDto {
                    key: scale.iter().find(|p| p.id == o.key).map_or_else(
                        || o.key.clone(),
                        |p| p.text.get(prefs.language.get_untracked()).to_owned(),
                    ),
                    count: o.count,
                })
                .collect();
            options_table(options, Some(statement))
        })
        .collect_view();
    let unit = q.with_value(|q| match q.as_ref().map(|q| &q.kind) {
        Some(QuestionKind::Number { unit, .. }) => unit.clone(),
        _ => Default::default(),
    });
    let numbers = result.number.clone().map(|n| {
        let figure = move |value: f64| {
            let unit = unit.clone();
            move || {
                format!("{} {}", decimal(value, 1, lang()), unit.get(lang()))
                    .trim()
                    .to_owned()
            }
        };
        view! {
            <dl class="facts facts--compact">
                <div class="facts__row facts__row--compact">
                    <dt>{move || t().office.results_mean}</dt>
                    <dd data-testid="results-mean">{figure(n.mean)}</dd>
                </div>
                <div class="facts__row facts__row--compact">
                    <dt>{move || t().office.results_min}</dt>
                    <dd>{figure(n.min)}</dd>
                </div>
                <div class="facts__row facts__row--compact">
                    <dt>{move || t().office.results_max}</dt>
                    <dd>{figure(n.max)}</dd>
                </div>
            </dl>
        }
    });
    let texts = (!result.texts.is_empty()).then(|| {
        let items = result
            .texts
            .iter()
            .map(|text| view! { <li>{text.clone()}</li> })
            .collect_view();
        view! {
            <h4>{move || t().office.results_texts}</h4>
            <ul class="results__texts" data-testid="results-texts">{items}</ul>
        }
    });
    let nothing = (result.options.is_empty()
        && result.rows.is_empty()
        && result.number.is_none()
        && result.texts.is_empty())
    .then(|| view! { <p class="field__hint">{move || t().office.results_no_figures}</p> });
    view! {
        <section class="card results__question" data-testid=format!("result-{}", result.question)>
            <h3>{title}</h3>
            <p>{move || fill(t().office.results_answered, &[("count", &count_text(t(), answered, lang()))])}</p>
            {options}
            {rows}
            {numbers}
            {texts}
            {nothing}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::surveys::template;

    #[test]
    fn shares_need_both_figures() {
        assert_eq!(percent(Some(1), Some(3)), Some(33));
        assert_eq!(percent(Some(2), Some(3)), Some(67));
        assert_eq!(percent(None, Some(30)), None);
        assert_eq!(percent(Some(3), None), None);
        assert_eq!(percent(Some(0), Some(0)), None);
    }

    #[test]
    fn options_are_named_in_the_readers_language() {
        let definition = template::age_friendly().definition;
        let lift = definition.question("housing_lift");
        assert_eq!(
            option_label(&crate::i18n::DE, lift, "yes", Language::De),
            "Ja"
        );
        let lonely = definition.question("social_lonely");
        assert_eq!(
            option_label(&crate::i18n::EN, lonely, "often", Language::En),
            "often"
        );
        assert_eq!(
            option_label(&crate::i18n::DE, lonely, "often", Language::De),
            "oft"
        );
        let fit = definition.question("housing_fit");
        assert!(option_label(&crate::i18n::DE, fit, "5", Language::De).starts_with("5 – "));
    }
}
