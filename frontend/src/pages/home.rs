use leptos::{__reexports::send_wrapper::SendWrapper, prelude::*};
use leptos_router::components::A;
use shared::{Language, MeDto, Role, surveys::MySurveyDto};

use crate::{
    api,
    auth::use_auth,
    components::{ErrorNotice, PageTitle},
    format::date_time,
    i18n::fill,
    prefs::{use_prefs, use_texts},
};

/// `/`: signed out, what Quartier is and how to take part; signed in, the start page
/// (where sign-in and registration lead).
#[component]
pub fn HomePage() -> impl IntoView {
    let auth = use_auth();
    let t = use_texts();
    move || match auth.user() {
        Some(user) => view! {
            <Suspense fallback=|| ()>
                // The chunk's loader is not `Send`; in the browser there is one thread.
                {Suspend::new(SendWrapper::new(start_page(user)))}
            </Suspense>
        }
        .into_any(),
        // Someone was signed in here: wait for the session rather than flash the
        // signed-out welcome (the first paint shows the same loading line).
        None if auth.expects_session() => view! {
            <p class="loading" role="status" data-testid="home-restoring">
                {move || t().forms.loading}
            </p>
        }
        .into_any(),
        None => view! { <Welcome /> }.into_any(),
    }
}

/// The start page is a wasm chunk of its own (`#[lazy]`): the first visit and the
/// sign-in page, which must load fast on an old phone, do not carry it.
#[leptos::lazy]
fn start_page(user: MeDto) -> AnyView {
    view! { <StartPage user /> }.into_any()
}

/// The news of one's help requests: a chunk of its own, loaded once the start page shows,
/// so the greeting and the surveys do not wait for the help texts and types it needs.
#[leptos::lazy]
fn news() -> AnyView {
    view! { <crate::pages::help::Notifications /> }.into_any()
}

/// What Quartier is and what it offers, with the ways to sign in or up.
#[component]
fn Welcome() -> impl IntoView {
    let t = use_texts();
    view! {
        <PageTitle text=move || t().home.title />
        <p class="lead">{move || t().home.intro}</p>
        <section aria-labelledby="surveys-title">
            <h2 id="surveys-title">{move || t().home.surveys_title}</h2>
            <p>{move || t().home.surveys_text}</p>
            <p><A href="/code" attr:data-testid="home-code-link">{move || t().home.code_link}</A></p>
            <p>{move || t().home.account_text}</p>
            <ul class="link-list">
                <li><A href="/login" attr:data-testid="home-login">{move || t().nav.login}</A></li>
                <li><A href="/register" attr:data-testid="home-register">{move || t().nav.register}</A></li>
            </ul>
        </section>
        <HelpSection signed_in=false />
        <p class="hint">{move || t().home.settings_hint}</p>
    }
}

/// Neighbourly help: what it is, and for the signed-in the ways in.
#[component]
fn HelpSection(signed_in: bool) -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let links = signed_in.then(|| {
        view! {
            <ul class="link-list">
                <li><A href="/help/ask" attr:data-testid="home-help-ask">{move || t().help.ask_link}</A></li>
                <li><A href="/help" attr:data-testid="home-help-mine">{move || t().help.mine_title}</A></li>
                {move || auth.has_role(Role::Volunteer).then(|| view! {
                    <li><A href="/help/volunteer" attr:data-testid="home-help-board">{move || t().help.board_link}</A></li>
                })}
            </ul>
        }
    });
    view! {
        <section aria-labelledby="help-title" data-testid="home-help">
            <h2 id="help-title">{move || t().home.help_title}</h2>
            <p>{move || t().home.help_text}</p>
            {links}
        </section>
    }
}

/// The signed-in person's start: a greeting by name and what they can do now.
#[component]
fn StartPage(user: MeDto) -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let name = user.display_name.clone();
    Effect::new(move |_| {
        document().set_title(&format!("{} · {}", t().nav.home, t().app.name));
    });
    let has_quarter = user.home_quarter_id.is_some();
    view! {
        <h1 data-testid="page-title">{move || fill(t().home.greeting, &[("name", &name)])}</h1>
        <p class="lead">{move || t().home.start_intro}</p>
        <Suspense fallback=|| ()>
            {Suspend::new(SendWrapper::new(news()))}
        </Suspense>
        <section aria-labelledby="my-surveys-title" data-testid="my-surveys">
            <h2 id="my-surveys-title">{move || t().home.my_surveys_title}</h2>
            {if has_quarter {
                view! { <MySurveys /> }.into_any()
            } else {
                view! { <p data-testid="my-surveys-no-quarter">{move || t().home.no_quarter}</p> }.into_any()
            }}
            <p><A href="/code" attr:data-testid="home-code-link">{move || t().home.code_link}</A></p>
        </section>
        <HelpSection signed_in=true />
        {move || auth.is_staff().then(|| view! {
            <section aria-labelledby="staff-title">
                <h2 id="staff-title">{move || t().home.staff_title}</h2>
                <ul class="link-list">
                    <li><A href="/manager/surveys" attr:data-testid="home-staff-surveys">{move || t().authoring.nav}</A></li>
                    <li><A href="/manager/residents">{move || t().nav.manager_residents}</A></li>
                    <li><A href="/admin/quarters">{move || t().nav.admin_quarters}</A></li>
                </ul>
            </section>
        })}
        <section aria-labelledby="account-title">
            <h2 id="account-title">{move || t().home.account_title}</h2>
            <ul class="link-list">
                <li><A href="/profile" attr:data-testid="home-profile-link">{move || t().home.profile_link}</A></li>
            </ul>
        </section>
    }
}

#[component]
fn MySurveys() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let surveys = LocalResource::new(move || api::my_surveys(auth));
    let list = move || {
        Suspend::new(async move {
            match surveys.await {
                Ok(list) if list.is_empty() => {
                    view! { <p data-testid="my-surveys-none">{move || t().home.my_surveys_none}</p> }
                        .into_any()
                }
                Ok(list) => view! {
                    <ul class="link-list link-list--rows">
                        {list.into_iter().map(|survey| view! { <MySurvey survey /> }).collect_view()}
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
        <Transition fallback=move || view! { <p class="loading" role="status">{move || t().forms.loading}</p> }>
            {list}
        </Transition>
    }
}

#[component]
fn MySurvey(survey: MySurveyDto) -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    let title = survey.title;
    let title = move || match prefs.language.get() {
        Language::En if !title.en.trim().is_empty() => title.en.clone(),
        _ => title.de.clone(),
    };
    let closes_at = survey.closes_at;
    let status = move || {
        let t = t();
        if survey.answered {
            t.home.survey_answered.to_owned()
        } else if survey.needs_code {
            t.home.survey_needs_code.to_owned()
        } else if let Some(at) = closes_at {
            let date = date_time(at, prefs.language.get());
            fill(t.home.survey_open_until, &[("date", &date)])
        } else {
            t.home.survey_open.to_owned()
        }
    };
    let href = if survey.needs_code {
        "/code".to_owned()
    } else {
        format!("/s/{}", survey.id)
    };
    view! {
        <li data-testid="my-survey">
            <A href=href>{title}</A>
            <p class="link-list__note" data-testid="my-survey-status">{status}</p>
        </li>
    }
}
