//! `/manager/surveys`: the surveys of the manager's quarters, and the way to a new one.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_navigate};
use shared::{
    Role,
    quarters::QuarterDto,
    surveys::{SurveyAccess, SurveyRequest, SurveySummaryDto, SurveyTemplateDto},
};

use super::{lang_text, managed_quarters};
use crate::{
    api,
    auth::use_auth,
    components::{ErrorNotice, PageTitle, RequireRole},
    format::date_time,
    i18n::fill,
    prefs::{use_prefs, use_texts},
};

#[component]
pub fn SurveyListPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <PageTitle text=move || t().authoring.list_title />
        <RequireRole any_of=&[Role::Admin, Role::Manager]>
            <SurveyList />
        </RequireRole>
    }
}

#[component]
fn SurveyList() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let surveys = LocalResource::new(move || api::surveys(auth));
    let quarters = LocalResource::new(api::quarters);
    let list = move || {
        Suspend::new(async move {
            let all_quarters = quarters.await.unwrap_or_default();
            match surveys.await {
                Ok(list) if list.is_empty() => {
                    view! { <p data-testid="survey-list-empty">{move || t().authoring.empty}</p> }
                        .into_any()
                }
                Ok(list) => view! {
                    <ul class="cards" data-testid="survey-list">
                        {list
                            .into_iter()
                            .map(|survey| {
                                let quarters = all_quarters.clone();
                                view! { <SurveyRow survey quarters /> }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
                Err(error) => {
                    view! { <ErrorNotice error on_retry=move || surveys.refetch() /> }.into_any()
                }
            }
        })
    };
    view! {
        <p class="lead">{move || t().authoring.list_intro}</p>
        <NewSurvey />
        <section aria-labelledby="survey-list-title">
            <h2 id="survey-list-title">{move || t().authoring.list_title}</h2>
            <Transition fallback=move || {
                view! { <p class="loading" role="status">{move || t().forms.loading}</p> }
            }>{list}</Transition>
        </section>
    }
}

#[component]
fn SurveyRow(survey: SurveySummaryDto, quarters: Vec<QuarterDto>) -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    let names = survey
        .quarter_ids
        .iter()
        .map(|id| {
            quarters
                .iter()
                .find(|q| q.id == *id)
                .map_or_else(|| id.to_string(), |q| q.name.clone())
        })
        .collect::<Vec<_>>()
        .join(", ");
    let status = survey.status;
    let closes = survey.closes_at;
    let closes = move || match closes {
        Some(at) => date_time(at, prefs.language.get()),
        None => t().authoring.no_closing.to_owned(),
    };
    view! {
        <li class="card" data-testid="survey-row">
            <h3>
                <A href=format!("/manager/surveys/{}", survey.id) attr:data-testid="survey-link">
                    {lang_text(survey.title)}
                </A>
            </h3>
            <dl class="facts facts--compact">
                <div class="facts__row facts__row--compact">
                    <dt>{move || t().authoring.status}</dt>
                    <dd data-testid="survey-status">{move || t().authoring.status(status)}</dd>
                </div>
                <div class="facts__row facts__row--compact">
                    <dt>{move || t().authoring.quarters}</dt>
                    <dd>{names}</dd>
                </div>
                <div class="facts__row facts__row--compact">
                    <dt>{move || t().authoring.responses}</dt>
                    <dd data-testid="survey-responses">{survey.responses}</dd>
                </div>
                <div class="facts__row facts__row--compact">
                    <dt>{move || t().authoring.closes}</dt>
                    <dd>{closes}</dd>
                </div>
            </dl>
            <ul class="actions survey-row__links">
                <li><A href=format!("/manager/surveys/{}/codes", survey.id) attr:data-testid="survey-codes-link">{move || t().office.codes_title}</A></li>
                <li><A href=format!("/manager/surveys/{}/entry", survey.id) attr:data-testid="survey-entry-link">{move || t().office.entry_title}</A></li>
                <li><A href=format!("/manager/surveys/{}/results", survey.id) attr:data-testid="survey-results-link">{move || t().office.results_title}</A></li>
            </ul>
        </li>
    }
}

/// The two ways to a new survey: a copy of a template (stored at once, it is valid),
/// or an empty editor (stored on its first save).
#[component]
fn NewSurvey() -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    let auth = use_auth();
    let navigate = use_navigate();
    let templates = LocalResource::new(move || api::survey_templates(auth));
    let quarters = LocalResource::new(api::quarters);
    let failure = RwSignal::new(None::<api::ApiError>);
    let busy = RwSignal::new(false);
    let create = move |template: SurveyTemplateDto, quarter_ids| {
        let navigate = navigate.clone();
        let request = SurveyRequest {
            title: template.title,
            intro: template.intro,
            quarter_ids,
            opens_at: None,
            closes_at: None,
            anonymous: true,
            access: SurveyAccess {
                public_link: true,
                ..SurveyAccess::default()
            },
            profile_questions: true,
            definition: template.definition,
        };
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match api::create_survey(auth, &request).await {
                Ok(survey) => {
                    auth.notify(&format!("/manager/surveys/{}", survey.id), |t| {
                        t.authoring.created
                    });
                    navigate(
                        &format!("/manager/surveys/{}", survey.id),
                        Default::default(),
                    );
                }
                Err(error) => {
                    busy.set(false);
                    failure.set(Some(error));
                }
            }
        });
    };
    let buttons = move || {
        let create = create.clone();
        Suspend::new(async move {
            let mine = managed_quarters(auth, quarters.await.unwrap_or_default());
            let ids: Vec<_> = mine.iter().map(|q| q.id).collect();
            templates
                .await
                .unwrap_or_default()
                .into_iter()
                .map(|template| {
                    let create = create.clone();
                    let ids = ids.clone();
                    let name = template.title.clone();
                    let label = move || {
                        fill(
                            t().authoring.new_from_template,
                            &[("name", name.get(prefs.language.get()))],
                        )
                    };
                    view! {
                        <button
                            type="button"
                            class="button"
                            data-testid=format!("new-from-{}", template.key)
                            disabled=move || busy.get()
                            on:click=move |_| create(template.clone(), ids.clone())
                        >
                            {label}
                        </button>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="actions">
            <Transition>{buttons}</Transition>
            <A href="/manager/surveys/new" attr:class="button button--secondary" attr:data-testid="new-empty">
                {move || t().authoring.new_empty}
            </A>
        </div>
        <div role="status">
            <Show when=move || busy.get()>
                <p class="loading">{move || t().authoring.creating}</p>
            </Show>
        </div>
        {move || failure.get().map(|error| view! { <p class="notice" role="alert">{error.message(t())}</p> })}
    }
}
