//! `/code`: a person types the access code from a letter and lands on its survey.
//! For those who cannot scan the letter's QR code; the letter names this address, and
//! the server sends the answering app there (`answer.html`). The whole app has it too,
//! as a lazy route, for the start page's link.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use wasm_bindgen::JsCast;

use crate::{
    api::{self, ApiError},
    components::{
        PageTitle,
        form::{Checks, FormFeedback, FormState, SubmitButton, TextField, dom_id},
    },
    i18n::tr,
    prefs::use_texts,
};

#[component]
pub fn CodeEntryPage() -> impl IntoView {
    let t = use_texts();
    let form = FormState::new();
    // In the answering app, the page's first paint (a form that works without the app)
    // stood in while this page's code arrived (`lib.rs`, `keep_first_paint`): what was
    // typed into it, and where the cursor was, carry over.
    let (typed, typing) = crate::first_paint_input("first-paint-code-input").unwrap_or_default();
    let code = RwSignal::new(typed);
    // Once this page is on screen (a `<Suspense>` mounts it after its effects first run).
    Effect::new(move || {
        request_animation_frame(move || {
            crate::first_paint_done();
            if typing && let Some(field) = document().get_element_by_id(&dom_id("code")) {
                let _ = field.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        })
    });
    let go = crate::nav::use_go();

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut checks = Checks::default();
        checks.required("code", &code.get_untracked());
        if !form.start(checks.into_vec()) {
            return;
        }
        let typed = code.get_untracked();
        let go = go.clone();
        spawn_local(async move {
            match api::lookup_code(&typed).await {
                Ok(found) if found.redeemed => form.fail_text(|t| t.answer.code_used),
                Ok(found) => {
                    form.done();
                    let survey = format!("/s/{}?code={}", found.survey_id, found.code);
                    if cfg!(feature = "answer-app") {
                        // The answering app loads the survey's own page, as the form
                        // without the app does: its first paint and document come with
                        // it, and the service worker keeps that page, so it reloads
                        // offline. (In the whole app, `/code` was reached from the start
                        // page, which the worker keeps; its answering route follows.)
                        let _ = window().location().assign(&survey);
                    } else {
                        go(&survey);
                    }
                }
                Err(ApiError::Problem(p)) if p.status == 404 => {
                    form.fail_text(|t| t.answer.code_invalid)
                }
                Err(error) => form.fail(error),
            }
        });
    };

    view! {
        <PageTitle text=move || t().answer.code_page_title />
        <p class="lead">{tr(|t| t.answer.code_page_intro)}</p>
        <form class="form" data-testid="code-form" novalidate on:submit=submit>
            <FormFeedback form />
            <TextField
                form
                testid="code"
                label=|t| t.answer.code_label
                hint=|t| t.answer.code_hint
                value=code
                autocomplete="off"
                required=true
            />
            <SubmitButton form label=|t| t.answer.code_submit />
        </form>
    }
}

/// The answering app's code page, a wasm chunk of its own: most of a letter's readers
/// follow its link and never see this page, and its form code (~22 KB brotli) would
/// otherwise be in their download. (The whole app has it on a lazy route.)
#[cfg(feature = "answer-app")]
#[component]
pub fn LazyCodeEntryPage() -> impl IntoView {
    view! {
        <Suspense fallback=|| {
            view! { <p class="loading" role="status">{tr(|t| t.forms.loading)}</p> }
        }>
            {Suspend::new(leptos::__reexports::send_wrapper::SendWrapper::new(code_entry_page()))}
        </Suspense>
    }
}

#[cfg(feature = "answer-app")]
#[leptos::lazy]
fn code_entry_page() -> AnyView {
    view! { <CodeEntryPage /> }.into_any()
}
