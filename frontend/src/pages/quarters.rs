//! `/admin/quarters`: the quarters with their population figures. Admins add and
//! change them; a manager changes the figures of the quarters they look after.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use shared::{
    AgeBand, ErrorCode, Role,
    quarters::{Population, QuarterDto, QuarterRequest},
};

use crate::{
    api,
    auth::use_auth,
    components::{
        ErrorNotice, PageTitle, RequireRole,
        form::{
            Checks, FormFeedback, FormState, SubmitButton, TextField, conflict_on, focus_input,
        },
    },
    format::number,
    i18n::{Text, fill},
    prefs::{use_prefs, use_texts},
};

#[component]
pub fn QuartersPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <PageTitle text=move || t().quarters.title />
        <RequireRole any_of=&[Role::Admin, Role::Manager]>
            <Quarters />
        </RequireRole>
    }
}

/// The text inputs of the population, in the order of [`Population`]'s fields:
/// `(field name for errors, data-testid)`.
const COUNT_FIELDS: [(&str, &str); 6] = [
    ("population.total", "population-total"),
    ("population.under_50", "population-under-50"),
    ("population.from_50_to_64", "population-50-64"),
    ("population.from_65_to_74", "population-65-74"),
    ("population.from_75_to_84", "population-75-84"),
    ("population.from_85", "population-85"),
];

/// A count typed by a person: digits (spaces and dots as thousands separators
/// allowed, as people write "12.500"); empty is 0.
fn parse_count(text: &str) -> Option<u32> {
    let digits: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | ',' | '\''))
        .collect();
    if digits.is_empty() {
        return Some(0);
    }
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The population from the six inputs, or the inputs that are not numbers.
fn population_from(texts: &[String; 6]) -> Result<Population, Vec<&'static str>> {
    let counts: Vec<Option<u32>> = texts.iter().map(|t| parse_count(t)).collect();
    let bad: Vec<&'static str> = counts
        .iter()
        .zip(COUNT_FIELDS)
        .filter(|(count, _)| count.is_none())
        .map(|(_, (field, _))| field)
        .collect();
    if !bad.is_empty() {
        return Err(bad);
    }
    let n = |i: usize| counts[i].unwrap_or_default();
    Ok(Population {
        total: n(0),
        under_50: n(1),
        from_50_to_64: n(2),
        from_65_to_74: n(3),
        from_75_to_84: n(4),
        from_85: n(5),
    })
}

fn counts_of(p: &Population) -> [u32; 6] {
    [
        p.total,
        p.under_50,
        p.from_50_to_64,
        p.from_65_to_74,
        p.from_75_to_84,
        p.from_85,
    ]
}

#[component]
fn Quarters() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let quarters = LocalResource::new(api::quarters);
    let editing = RwSignal::new(None::<QuarterDto>);
    let is_admin = move || auth.has_role(Role::Admin);

    let list = move || {
        Suspend::new(async move {
            match quarters.await {
                Ok(list) if list.is_empty() => {
                    view! { <p>{move || t().quarters.empty}</p> }.into_any()
                }
                Ok(list) => view! {
                    <ul class="cards" data-testid="quarter-list">
                        {list
                            .into_iter()
                            .map(|quarter| view! { <QuarterRow quarter editing /> })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
                Err(error) => {
                    view! { <ErrorNotice error on_retry=move || quarters.refetch() /> }.into_any()
                }
            }
        })
    };
    let show_form = move || is_admin() || editing.with(Option::is_some);

    view! {
        <p class="lead">{move || t().quarters.intro}</p>
        <section aria-labelledby="quarter-list-title">
            <h2 id="quarter-list-title">{move || t().quarters.list_title}</h2>
            <Transition fallback=move || {
                view! { <p class="loading" role="status">{move || t().forms.loading}</p> }
            }>{list}</Transition>
        </section>
        <Show when=show_form>
            <QuarterForm editing on_saved=move || quarters.refetch() />
        </Show>
    }
}

#[component]
fn QuarterRow(quarter: QuarterDto, editing: RwSignal<Option<QuarterDto>>) -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let prefs = use_prefs();
    let may_edit = auth.may_edit_quarter(quarter.id, quarter.organisation_id);
    let p = quarter.population;
    let bands = AgeBand::ALL
        .into_iter()
        .zip(counts_of(&p).into_iter().skip(1))
        .map(|(band, count)| {
            view! {
                <div class="facts__row facts__row--compact">
                    <dt>{move || t().age_bands.label(band)}</dt>
                    <dd>{move || number(count, prefs.language.get())}</dd>
                </div>
            }
        })
        .collect_view();
    let name = quarter.name.clone();
    let edit_button = may_edit.then(|| {
        let quarter = quarter.clone();
        let quarter_name = quarter.name.clone();
        let label = move || fill(t().quarters.edit, &[("name", &quarter_name)]);
        view! {
            <button
                type="button"
                class="button button--secondary"
                data-testid="quarter-edit"
                on:click=move |_| {
                    editing.set(Some(quarter.clone()));
                    focus_input("quarter-name");
                }
            >
                {label}
            </button>
        }
    });
    view! {
        <li class="card" data-testid="quarter-row">
            <h3>{name}</h3>
            {(!quarter.description.is_empty()).then(|| view! { <p>{quarter.description.clone()}</p> })}
            <dl class="facts facts--compact">
                <div class="facts__row facts__row--compact">
                    <dt>{move || t().quarters.population_total}</dt>
                    <dd data-testid="quarter-population">{move || number(p.total, prefs.language.get())}</dd>
                </div>
                {bands}
            </dl>
            {edit_button}
        </li>
    }
}

#[component]
fn QuarterForm<F>(editing: RwSignal<Option<QuarterDto>>, on_saved: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let t = use_texts();
    let prefs = use_prefs();
    let auth = use_auth();
    let form = FormState::new();
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let counts: [RwSignal<String>; 6] = std::array::from_fn(|_| RwSignal::new(String::new()));

    // Picking a quarter to edit (or going back to a new one) fills the form.
    Effect::new(move |_| {
        let quarter = editing.get();
        name.set(quarter.as_ref().map(|q| q.name.clone()).unwrap_or_default());
        description.set(
            quarter
                .as_ref()
                .map(|q| q.description.clone())
                .unwrap_or_default(),
        );
        let values = quarter.map(|q| counts_of(&q.population));
        for (i, count) in counts.iter().enumerate() {
            count.set(values.map(|v| v[i].to_string()).unwrap_or_default());
        }
    });

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut checks = Checks::default();
        let texts = counts.map(|c| c.get_untracked());
        let (population, numbers_ok) = match population_from(&texts) {
            Ok(population) => (population, true),
            Err(bad) => {
                for field in bad {
                    checks.add(field, Some("not_a_number"));
                }
                (Population::default(), false)
            }
        };
        let request = QuarterRequest {
            name: name.get_untracked().trim().to_owned(),
            description: description.get_untracked().trim().to_owned(),
            population,
        };
        // The server's own checks (shared), so both refuse the same.
        for (field, code) in request.problems() {
            if field != "population" || numbers_ok {
                checks.add(field, Some(code));
            }
        }
        if !form.start(checks.into_vec()) {
            return;
        }
        let target = editing.get_untracked().map(|q| q.id);
        spawn_local(async move {
            let result = match target {
                Some(id) => api::update_quarter(auth, id, &request).await,
                None => api::create_quarter(auth, &request).await,
            };
            match result {
                Ok(_) => {
                    editing.set(None);
                    name.set(String::new());
                    description.set(String::new());
                    for count in counts {
                        count.set(String::new());
                    }
                    let saved: Text = |t| t.quarters.saved;
                    let created: Text = |t| t.quarters.created;
                    form.succeed(if target.is_some() { saved } else { created });
                    on_saved();
                }
                Err(error) if error.code() == Some(ErrorCode::Conflict) => {
                    form.fail(conflict_on(error, "name"));
                }
                Err(error) => form.fail(error),
            }
        });
    };

    let title = move || match editing.get() {
        Some(q) => fill(t().quarters.edit_title, &[("name", &q.name)]),
        None => t().quarters.create_title.to_owned(),
    };
    let sum = move || {
        let language = prefs.language.get();
        let texts = counts.map(|c| c.get());
        let parsed: Vec<u64> = texts[1..]
            .iter()
            .map(|t| u64::from(parse_count(t).unwrap_or(0)))
            .collect();
        let total = parse_count(&texts[0]).unwrap_or(0);
        fill(
            t().quarters.bands_sum,
            &[
                (
                    "sum",
                    &number(
                        i64::try_from(parsed.iter().sum::<u64>()).unwrap_or(i64::MAX),
                        language,
                    ),
                ),
                ("total", &number(total, language)),
            ],
        )
    };
    let count_field = move |i: usize, label: Text| {
        view! {
            <TextField
                form
                testid=COUNT_FIELDS[i].1
                label
                value=counts[i]
                inputmode="numeric"
                autocomplete="off"
            />
        }
    };
    let save_label: Text = |t| t.quarters.save;
    let create_label: Text = |t| t.quarters.create;
    let submit_button = move || {
        let label = if editing.with(Option::is_some) {
            save_label
        } else {
            create_label
        };
        view! { <SubmitButton form label /> }
    };

    view! {
        <section aria-labelledby="quarter-form-title">
            <h2 id="quarter-form-title">{title}</h2>
            <form class="form" data-testid="quarter-form" novalidate on:submit=submit>
                <FormFeedback form />
                <TextField
                    form
                    testid="quarter-name"
                    label=|t| t.quarters.name
                    value=name
                    autocomplete="off"
                    required=true
                />
                <TextField
                    form
                    testid="quarter-description"
                    label=|t| t.quarters.description
                    value=description
                    optional=true
                    multiline=true
                />
                <fieldset class="fieldset">
                    <legend>{move || t().quarters.population_title}</legend>
                    <p class="field__hint">{move || t().quarters.population_hint}</p>
                    {count_field(0, |t| t.quarters.total)}
                    <fieldset class="fieldset fieldset--inner">
                        <legend>{move || t().quarters.bands_title}</legend>
                        {count_field(1, |t| t.age_bands.under_50)}
                        {count_field(2, |t| t.age_bands.from_50_to_64)}
                        {count_field(3, |t| t.age_bands.from_65_to_74)}
                        {count_field(4, |t| t.age_bands.from_75_to_84)}
                        {count_field(5, |t| t.age_bands.from_85)}
                        <p class="field__hint" data-testid="population-sum">{sum}</p>
                    </fieldset>
                </fieldset>
                <div class="actions">
                    {submit_button}
                    <Show when=move || editing.with(Option::is_some)>
                        <button
                            type="button"
                            class="button button--secondary"
                            on:click=move |_| editing.set(None)
                        >
                            {move || t().quarters.cancel}
                        </button>
                    </Show>
                </div>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_read_as_people_write_them() {
        assert_eq!(parse_count(""), Some(0));
        assert_eq!(parse_count(" 1200 "), Some(1200));
        assert_eq!(parse_count("12.500"), Some(12_500));
        assert_eq!(parse_count("12 500"), Some(12_500));
        assert_eq!(parse_count("-3"), None);
        assert_eq!(parse_count("viele"), None);
        assert_eq!(parse_count("99999999999"), None);
    }

    #[test]
    fn bad_counts_are_named_by_field() {
        let texts = ["100", "x", "", "", "", "5"].map(str::to_owned);
        assert_eq!(population_from(&texts), Err(vec!["population.under_50"]));
        let texts = ["100", "50", "20", "", "", "5"].map(str::to_owned);
        let population = population_from(&texts).unwrap_or_default();
        assert_eq!(population.total, 100);
        assert_eq!(population.bands_sum(), 75);
        assert_eq!(population.problem(), None);
    }

    #[test]
    fn every_count_has_its_input() {
        for (field, testid) in COUNT_FIELDS {
            assert_eq!(crate::components::form::input_for(field), Some(testid));
        }
    }
}
