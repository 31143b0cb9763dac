//! `/manager/surveys/:id/codes`: single-use access codes for letters to one quarter.
//! The server stores only their hashes, so the codes are shown once, right after they
//! are made: as a CSV for a mail merge and as letters to print, one per A4 page.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use shared::{
    accounts::Uuid,
    surveys::{GenerateCodesRequest, GeneratedCodesDto, MAX_CODES_PER_REQUEST},
};

use super::{
    ERROR_SUMMARY, ErrorSummary, InlineError, Loaded, OfficeFrame, Problems, blob_url, focus_by_id,
    slug,
};
use crate::{
    api::{self, ApiError},
    auth::use_auth,
    components::ErrorNotice,
    i18n::{Texts, fill},
    prefs::{use_prefs, use_texts},
};

#[component]
pub fn SurveyCodesPage() -> impl IntoView {
    view! { <OfficeFrame title=|t| t.office.codes_title content=codes /> }
}

fn codes(loaded: Loaded) -> AnyView {
    view! { <Codes loaded /> }.into_any()
}

/// Codes just made, with their CSV as a download.
#[derive(Debug, Clone)]
struct Generated {
    codes: GeneratedCodesDto,
    quarter: String,
    /// `blob:` URL of the CSV; revoked when the next codes come or the page goes.
    csv_url: Option<String>,
    file_name: String,
}

/// How many codes to make, as typed: a whole number from 1 to the most allowed.
fn parse_count(text: &str) -> Option<u32> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_CODES_PER_REQUEST).contains(n))
}

/// The server's refusal, next to the field it concerns.
fn refused(texts: &'static Texts, error: &ApiError) -> Problems {
    let fields = error.field_errors();
    if fields.is_empty() {
        return vec![(String::new(), error.message(texts))];
    }
    fields
        .iter()
        .map(|f| match f.field.as_str() {
            "count" => (
                "codes-count".to_owned(),
                texts.office.codes_count_invalid.to_owned(),
            ),
            "quarter_id" => (
                "codes-quarter".to_owned(),
                texts.office.codes_quarter_required.to_owned(),
            ),
            _ => (String::new(), error.message(texts)),
        })
        .collect()
}

#[component]
fn Codes(loaded: Loaded) -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    let auth = use_auth();
    let id = loaded.survey.id;
    let enabled = loaded.survey.access.codes;
    let loaded = StoredValue::new(loaded);
    let counts = LocalResource::new(move || api::code_counts(auth, id));
    let first = loaded.with_value(|l| l.quarters.first().map(|q| q.id.to_string()));
    let quarter = RwSignal::new(first.unwrap_or_default());
    let count = RwSignal::new(String::new());
    let problems = RwSignal::new(Problems::new());
    let pending = RwSignal::new(false);
    let generated = RwSignal::new(None::<Generated>);

    let forget_csv = move || {
        // `try_`: on cleanup the signal may already be gone.
        let url = generated.try_with_untracked(|g| g.as_ref().and_then(|g| g.csv_url.clone()));
        if let Some(url) = url.flatten() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    };
    on_cleanup(forget_csv);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let texts = t();
        let quarter_id = Uuid::parse_str(&quarter.get_untracked()).ok();
        let n = parse_count(&count.get_untracked());
        let mut found = Problems::new();
        if quarter_id.is_none() {
            found.push((
                "codes-quarter".into(),
                texts.office.codes_quarter_required.into(),
            ));
        }
        if n.is_none() {
            found.push((
                "codes-count".into(),
                texts.office.codes_count_invalid.into(),
            ));
        }
        let (Some(quarter_id), Some(n)) = (quarter_id, n) else {
            problems.set(found);
            focus_by_id(ERROR_SUMMARY);
            return;
        };
        problems.set(Vec::new());
        pending.set(true);
        let request = GenerateCodesRequest {
            quarter_id,
            count: n,
        };
        spawn_local(async move {
            let result = api::generate_codes(auth, id, &request).await;
            pending.set(false);
            match result {
                Ok(codes) => {
                    forget_csv();
                    let (survey_title, quarter) = loaded.with_value(|l| {
                        (l.survey.title.de.clone(), l.quarter_name(codes.quarter_id))
                    });
                    let file_name = format!(
                        "{}-{}-{}.csv",
                        t().office.codes_file,
                        slug(&survey_title),
                        slug(&quarter)
                    );
                    // With a byte order mark, spreadsheet programs read the umlauts right.
                    let csv_url =
                        blob_url(&format!("\u{feff}{}", codes.csv), "text/csv;charset=utf-8").ok();
                    generated.set(Some(Generated {
                        codes,
                        quarter,
                        csv_url,
                        file_name,
                    }));
                    count.set(String::new());
                    counts.refetch();
                    focus_by_id("codes-done");
                }
                Err(error) => {
                    problems.set(refused(t(), &error));
                    focus_by_id(ERROR_SUMMARY);
                }
            }
        });
    };

    let quarter_options = loaded.with_value(|l| {
        l.quarters
            .iter()
            .map(|q| {
                let value = q.id.to_string();
                let selected = {
                    let value = value.clone();
                    move || quarter.with(|v| *v == value)
                };
                view! { <option value=value prop:selected=selected>{q.name.clone()}</option> }
            })
            .collect_view()
    });
    let described = move |id: &'static str, hint: bool| {
        let error = super::problem_for(problems, id).map(|_| format!("{id}-error"));
        let hint = hint.then(|| format!("{id}-hint"));
        let ids: Vec<String> = [hint, error].into_iter().flatten().collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let invalid = move |id: &'static str| super::problem_for(problems, id).map(|_| "true");

    let form = view! {
        <section aria-labelledby="codes-form-title" class="no-print">
            <h2 id="codes-form-title">{move || t().office.codes_form_title}</h2>
            <p>{move || t().office.codes_intro}</p>
            <form class="form" data-testid="codes-form" novalidate on:submit=submit>
                <ErrorSummary problems />
                <div class="field" class:field--invalid=move || invalid("codes-quarter").is_some()>
                    <label class="field__label" for="codes-quarter">{move || t().office.quarter}</label>
                    <InlineError problems dom_id="codes-quarter" />
                    <select
                        id="codes-quarter"
                        data-testid="codes-quarter"
                        aria-invalid=move || invalid("codes-quarter")
                        aria-describedby=move || described("codes-quarter", false)
                        on:change=move |ev| quarter.set(event_target_value(&ev))
                    >
                        {quarter_options}
                    </select>
                </div>
                <div class="field" class:field--invalid=move || invalid("codes-count").is_some()>
                    <label class="field__label" for="codes-count">{move || t().office.codes_count}</label>
                    <p class="field__hint" id="codes-count-hint">{move || t().office.codes_count_hint}</p>
                    <InlineError problems dom_id="codes-count" />
                    <input
                        type="text"
                        id="codes-count"
                        data-testid="codes-count"
                        inputmode="numeric"
                        autocomplete="off"
                        aria-invalid=move || invalid("codes-count")
                        aria-describedby=move || described("codes-count", true)
                        bind:value=count
                    />
                </div>
                <div class="actions">
                    <button type="submit" class="button button--submit" data-testid="codes-submit" disabled=move || pending.get()>
                        {move || if pending.get() { t().forms.sending } else { t().office.codes_submit }}
                    </button>
                </div>
            </form>
        </section>
    };

    let result = move || {
        generated.get().map(|g| {
            let title = loaded.with_value(|l| l.survey.title.clone());
            let quarter = g.quarter.clone();
            let done = {
                let (n, quarter) = (g.codes.codes.len().to_string(), quarter.clone());
                move || fill(t().office.codes_done, &[("count", &n), ("quarter", &quarter)])
            };
            let letters = g
                .codes
                .codes
                .into_iter()
                .map(|code| {
                    let intro = {
                        let (title, quarter) = (title.clone(), quarter.clone());
                        move || {
                            let lang = prefs.language.get();
                            fill(t().office.letter_intro, &[("quarter", &quarter), ("title", title.get(lang))])
                        }
                    };
                    // The server's SVG as an image, never as markup in our page.
                    let qr = format!(
                        "data:image/svg+xml;charset=utf-8,{}",
                        String::from(js_sys::encode_uri_component(&code.qr_svg))
                    );
                    view! {
                        <article class="letter" data-testid="letter">
                            <p class="letter__greeting">{move || t().office.letter_greeting}</p>
                            <p>{intro}</p>
                            <p class="letter__label">{move || t().office.letter_code_label}</p>
                            <p class="letter__code" data-testid="letter-code">{code.code.clone()}</p>
                            <img class="letter__qr" src=qr alt=move || t().office.letter_qr_alt data-testid="letter-qr" />
                            <p class="letter__label">{move || t().office.letter_how}</p>
                            <ol class="letter__steps">
                                <li>{move || t().office.letter_camera}</li>
                                <li>
                                    {move || t().office.letter_type}
                                    <span class="letter__url" data-testid="letter-url">{code.url.clone()}</span>
                                </li>
                            </ol>
                            <p>{move || t().office.letter_once}</p>
                            <p>{move || t().office.letter_thanks}</p>
                        </article>
                    }
                })
                .collect_view();
            let csv_link = g.csv_url.clone().map(|url| {
                view! {
                    <a class="button" href=url download=g.file_name.clone() data-testid="codes-csv">
                        {move || t().office.codes_csv}
                    </a>
                }
            });
            view! {
                <section aria-labelledby="codes-done" class="codes-result" data-testid="codes-result">
                    <div class="no-print">
                        <h2 id="codes-done" tabindex="-1">{done}</h2>
                        <p class="notice notice--info" data-testid="codes-once">{move || t().office.codes_once}</p>
                        <div class="actions">
                            {csv_link}
                            <button type="button" class="button" data-testid="codes-print"
                                on:click=move |_| { let _ = window().print(); }>
                                {move || t().office.codes_print}
                            </button>
                        </div>
                        <h3>{move || t().office.codes_letters_title}</h3>
                    </div>
                    <div class="letters" data-testid="letters">{letters}</div>
                </section>
            }
        })
    };

    let counts_view = move || {
        Suspend::new(async move {
            match counts.await {
                Ok(list) if list.is_empty() => {
                    view! { <p data-testid="code-counts-empty">{move || t().office.codes_counts_empty}</p> }.into_any()
                }
                Ok(list) => {
                    let rows = list
                        .into_iter()
                        .map(|c| {
                            let name = loaded.with_value(|l| l.quarter_name(c.quarter_id));
                            let unused = c.generated.saturating_sub(c.redeemed);
                            view! {
                                <tr data-testid=format!("code-counts-{}", c.quarter_id)>
                                    <th scope="row">{name}</th>
                                    <td data-label=move || t().office.codes_generated data-testid="generated">{c.generated}</td>
                                    <td data-label=move || t().office.codes_redeemed data-testid="redeemed">{c.redeemed}</td>
                                    <td data-label=move || t().office.codes_unused>{unused}</td>
                                </tr>
                            }
                        })
                        .collect_view();
                    view! {
                        <table class="table" data-testid="code-counts">
                            <thead>
                                <tr>
                                    <th scope="col">{move || t().office.quarter}</th>
                                    <th scope="col">{move || t().office.codes_generated}</th>
                                    <th scope="col">{move || t().office.codes_redeemed}</th>
                                    <th scope="col">{move || t().office.codes_unused}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }
                    .into_any()
                }
                Err(error) => view! { <ErrorNotice error on_retry=move || counts.refetch() /> }.into_any(),
            }
        })
    };

    view! {
        {(!enabled).then(|| view! { <p class="notice no-print" data-testid="codes-disabled">{move || t().office.codes_disabled}</p> })}
        {form}
        {result}
        <section aria-labelledby="code-counts-title" class="no-print">
            <h2 id="code-counts-title">{move || t().office.codes_counts_title}</h2>
            <Transition fallback=move || view! { <p class="loading" role="status">{move || t().forms.loading}</p> }>
                {counts_view}
            </Transition>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_whole_numbers_within_the_limit() {
        assert_eq!(parse_count(" 3 "), Some(3));
        assert_eq!(parse_count("500"), Some(500));
        assert_eq!(parse_count("501"), None);
        assert_eq!(parse_count("0"), None);
        assert_eq!(parse_count("drei"), None);
        assert_eq!(parse_count(""), None);
    }

    #[test]
    fn texts_name_the_real_limit() {
        let max = MAX_CODES_PER_REQUEST.to_string();
        for texts in [&crate::i18n::DE, &crate::i18n::EN] {
            assert!(texts.office.codes_count_hint.contains(&max));
            assert!(texts.office.codes_count_invalid.contains(&max));
        }
    }
}
