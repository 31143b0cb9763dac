//! `/help`: asking for help, and the requests one has made, with who is coming.

use crate::nav::Link;
use leptos::prelude::*;
use shared::Role;

use super::{RequestList, Viewer};
use crate::{
    api,
    auth::use_auth,
    components::{ErrorNotice, PageTitle, RequireRole},
    prefs::use_texts,
};

#[component]
pub fn HelpPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <PageTitle text=move || t().help.hub_title />
        <RequireRole>
            <Hub />
        </RequireRole>
    }
}

#[component]
fn Hub() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let requests = LocalResource::new(move || api::my_help_requests(auth));
    let changed = Callback::new(move |()| requests.refetch());
    let volunteer = move || {
        auth.has_role(Role::Volunteer).then(|| {
            view! {
                <ul class="link-list" data-testid="volunteer-links">
                    <li><Link href="/help/volunteer" attr:data-testid="board-link">{move || t().help.board_link}</Link></li>
                    <li><Link href="/help/offer" attr:data-testid="offer-link">{move || t().help.offer_link}</Link></li>
                </ul>
            }
        })
    };
    let list = move || {
        Suspend::new(async move {
            match requests.await {
                Ok(list) => view! {
                    <RequestList requests=list viewer=Viewer::Resident changed testid="help-mine" empty=|t| t.help.mine_empty />
                }
                .into_any(),
                Err(error) => {
                    view! { <ErrorNotice error on_retry=move || requests.refetch() /> }.into_any()
                }
            }
        })
    };
    view! {
        <p class="lead">{move || t().help.hub_intro}</p>
        <p>
            <Link href="/help/ask" attr:class="button button--large" attr:data-testid="ask-link">
                {move || t().help.ask_link}
            </Link>
        </p>
        {volunteer}
        <section aria-labelledby="help-mine-title">
            <h2 id="help-mine-title">{move || t().help.mine_title}</h2>
            <Transition fallback=move || {
                view! { <p class="loading" role="status">{move || t().help.loading}</p> }
            }>{list}</Transition>
        </section>
    }
}
