//! `/help/volunteer`: the requests that fit a volunteer's offer, best first with the
//! reasons why, and their tasks. Unverified volunteers see counts only.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::help::VolunteerBoardDto;

use super::{RequestList, Viewer};
use crate::{
    api::{self, ApiError},
    auth::use_auth,
    components::{ErrorNotice, PageTitle, RequireRole},
    i18n::fill,
    prefs::use_texts,
};

#[component]
pub fn VolunteerBoardPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <PageTitle text=move || t().help.board_title />
        <RequireRole>
            <Board />
        </RequireRole>
    }
}

#[component]
fn Board() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let board = LocalResource::new(move || api::volunteer_board(auth));
    let changed = Callback::new(move |()| board.refetch());
    let content = move || {
        Suspend::new(async move {
            match board.await {
                Ok(board) => view! { <BoardView board changed /> }.into_any(),
                Err(ApiError::Problem(p)) if p.status == 404 => view! {
                    <p class="notice notice--info" data-testid="no-offer">{move || t().help.no_offer}</p>
                    <p><A href="/help/offer" attr:class="button" attr:data-testid="offer-link">{move || t().help.offer_link}</A></p>
                }
                .into_any(),
                Err(error) => view! { <ErrorNotice error on_retry=move || board.refetch() /> }.into_any(),
            }
        })
    };
    view! {
        <p class="lead">{move || t().help.board_intro}</p>
        <Transition fallback=move || view! { <p class="loading" role="status">{move || t().help.loading}</p> }>
            {content}
        </Transition>
    }
}

#[component]
fn BoardView(board: VolunteerBoardDto, changed: Callback<()>) -> impl IntoView {
    let t = use_texts();
    let counts = (!board.verified).then(|| {
        let rows = board
            .open_per_category
            .iter()
            .map(|c| {
                let (category, count) = (c.category, c.count);
                view! {
                    <li>{move || fill(t().help.open_count, &[("category", t().help.category(category)), ("count", &count.to_string())])}</li>
                }
            })
            .collect_view();
        view! {
            <p class="notice notice--info" data-testid="board-not-verified">{move || t().help.not_verified}</p>
            <ul data-testid="open-counts">{rows}</ul>
        }
    });
    let fitting = board.verified.then(|| {
        let list = view! {
            <RequestList requests=board.open viewer=Viewer::Volunteer changed testid="fitting" empty=|t| t.help.fitting_empty />
        };
        view! {
            <section aria-labelledby="fitting-title">
                <h2 id="fitting-title">{move || t().help.fitting_title}</h2>
                {list}
            </section>
        }
    });
    let tasks = view! {
        <RequestList requests=board.tasks viewer=Viewer::Volunteer changed testid="tasks" empty=|t| t.help.tasks_empty />
    };
    view! {
        {counts}
        <section aria-labelledby="tasks-title">
            <h2 id="tasks-title">{move || t().help.tasks_title}</h2>
            {tasks}
        </section>
        {fitting}
        <p><A href="/help/offer" attr:data-testid="offer-link">{move || t().help.offer_link}</A></p>
    }
}
