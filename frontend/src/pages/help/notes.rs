//! What happened to the requests a person takes part in, on their start page: each
//! notification a sentence that leads to the page where they act on it.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::components::A;
use shared::help::{Audience, NotificationDto};

use super::when_text;
use crate::{
    api,
    auth::use_auth,
    components::ErrorNotice,
    format::date_time,
    i18n::fill,
    prefs::{use_prefs, use_texts},
};

fn page(audience: Audience) -> &'static str {
    match audience {
        Audience::Resident => "/help",
        Audience::Volunteer => "/help/volunteer",
        Audience::Staff => "/manager/help",
    }
}

/// The newest notifications, unread ones marked, with a button that marks them read.
/// Nothing at all while there is none.
#[component]
pub fn Notifications() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let notes = LocalResource::new(move || api::notifications(auth));
    let busy = RwSignal::new(false);
    let list = move || {
        Suspend::new(async move {
            match notes.await {
                Ok(all) if all.items.is_empty() => ().into_any(),
                Ok(all) => {
                    let unread: Vec<_> =
                        all.items.iter().filter(|n| !n.read).map(|n| n.id).collect();
                    let read_all = (!unread.is_empty()).then(|| {
                        let mark = move |_| {
                            let ids = unread.clone();
                            busy.set(true);
                            spawn_local(async move {
                                // A failure leaves them unread; the list says so.
                                let _ = api::read_notifications(auth, ids).await;
                                busy.set(false);
                                notes.refetch();
                            });
                        };
                        view! {
                            <button type="button" class="button button--secondary" data-testid="news-read"
                                disabled=move || busy.get() on:click=mark>
                                {move || t().help.news_read_all}
                            </button>
                        }
                    });
                    view! {
                        <section aria-labelledby="news-title" data-testid="news">
                            <h2 id="news-title">{move || t().help.news_title}</h2>
                            <ul class="link-list link-list--rows">
                                {all.items.into_iter().map(|note| view! { <Note note /> }).collect_view()}
                            </ul>
                            {read_all}
                        </section>
                    }
                    .into_any()
                }
                Err(error) => {
                    view! { <ErrorNotice error on_retry=move || notes.refetch() /> }.into_any()
                }
            }
        })
    };
    view! { <Transition fallback=|| ()>{list}</Transition> }
}

#[component]
fn Note(note: NotificationDto) -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    let sentence = move || {
        let t = &t().help;
        let what = format!(
            "{}, {}",
            t.category(note.category),
            when_text(&note.when, t, prefs.language.get())
        );
        fill(t.note(note.event, note.audience), &[("what", &what)])
    };
    let at = note.created_at;
    let unread = !note.read;
    view! {
        <li data-testid="news-item" data-event=note.event.as_str() data-unread=unread.to_string()>
            <A href=page(note.audience)>{sentence}</A>
            <p class="link-list__note">
                {unread.then(|| view! { <strong class="news__new">{move || t().help.news_new}" · "</strong> })}
                {move || date_time(at, prefs.language.get())}
            </p>
        </li>
    }
}
