use leptos::prelude::*;

use crate::{api::ApiError, prefs::use_texts};

/// Says in plain words what failed, and offers to try again.
#[component]
pub fn ErrorNotice<R>(error: ApiError, on_retry: R) -> impl IntoView
where
    R: Fn() + Send + Sync + 'static,
{
    let t = use_texts();
    view! {
        <div class="notice notice--error" role="alert">
            <p>{move || error.message(t())}</p>
            <button type="button" class="button" on:click=move |_| on_retry()>
                {move || t().errors.retry}
            </button>
        </div>
    }
}
