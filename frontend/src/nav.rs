//! Where the page is, and going elsewhere.
//!
//! The whole app moves between its pages with `leptos_router`. The answering app
//! (feature `answer-app`, what a letter's link opens) has two pages and never moves
//! between them inside the app: the code page loads its survey's own page, and every
//! other address belongs to the whole app, which the server sends. So there the
//! address is read once from the browser, a link is a plain `<a>` and going elsewhere
//! is a page load, and the router's code (matching, history, nested views: ~9 % of the
//! answering app's wasm) stays out of a letter's download.
//!
//! Pages use these instead of the router's hooks, so that the same page works in both.

use leptos::prelude::*;

#[cfg(not(feature = "answer-app"))]
pub use leptos_router::components::A as Link;

/// A link to another page of the app. In the answering app every such page is the
/// whole app's: a plain link, loaded from the server. (`exact` is the router's: whether
/// only this very address counts as the current page. No page of the whole app is
/// current in the answering app.)
#[cfg(feature = "answer-app")]
#[component]
pub fn Link(
    #[prop(into)] href: String,
    #[prop(optional)] exact: bool,
    children: Children,
) -> impl IntoView {
    let _ = exact;
    view! { <a href=href>{children()}</a> }
}

/// The page's path (`/s/…`), following the app's navigation.
pub fn pathname() -> Signal<String> {
    #[cfg(not(feature = "answer-app"))]
    {
        leptos_router::hooks::use_location().pathname.into()
    }
    #[cfg(feature = "answer-app")]
    {
        Signal::stored(path_now())
    }
}

/// The page's query without its `?`, now.
pub fn search_now() -> String {
    #[cfg(not(feature = "answer-app"))]
    {
        leptos_router::hooks::use_location().search.get_untracked()
    }
    #[cfg(feature = "answer-app")]
    {
        let search = window().location().search().unwrap_or_default();
        search.strip_prefix('?').unwrap_or(&search).to_owned()
    }
}

/// The page's path, now.
pub fn path_now() -> String {
    #[cfg(not(feature = "answer-app"))]
    {
        leptos_router::hooks::use_location()
            .pathname
            .get_untracked()
    }
    #[cfg(feature = "answer-app")]
    {
        window().location().pathname().unwrap_or_default()
    }
}

/// One value of the page's query (`?code=…`), now.
pub fn query_now(name: &str) -> Option<String> {
    #[cfg(not(feature = "answer-app"))]
    {
        leptos_router::hooks::use_query_map().with_untracked(|q| q.get(name))
    }
    #[cfg(feature = "answer-app")]
    {
        web_sys::UrlSearchParams::new_with_str(&search_now())
            .ok()?
            .get(name)
    }
}

/// The survey of an answering address, `/s/{id}`: its id as written, if it is one.
pub fn survey_param() -> Option<String> {
    #[cfg(not(feature = "answer-app"))]
    {
        leptos_router::hooks::use_params_map().with_untracked(|p| p.get("id"))
    }
    #[cfg(feature = "answer-app")]
    {
        survey_of(&path_now())
    }
}

/// `/s/{id}` → `{id}`; any other path → none.
#[cfg_attr(not(feature = "answer-app"), allow(dead_code))]
fn survey_of(path: &str) -> Option<String> {
    let id = path.strip_prefix("/s/")?.trim_end_matches('/');
    (!id.is_empty() && !id.contains('/')).then(|| id.to_owned())
}

/// Goes to another address of the app: a navigation of the router in the whole app,
/// a page load in the answering app. Take it while the component is built.
pub fn use_go() -> impl Fn(&str) + Clone + 'static {
    #[cfg(not(feature = "answer-app"))]
    {
        let navigate = leptos_router::hooks::use_navigate();
        move |to: &str| navigate(to, Default::default())
    }
    #[cfg(feature = "answer-app")]
    {
        |to: &str| {
            let _ = window().location().assign(to);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::survey_of;

    #[test]
    fn an_answering_address_names_its_survey() {
        assert_eq!(survey_of("/s/abc").as_deref(), Some("abc"));
        assert_eq!(survey_of("/s/abc/").as_deref(), Some("abc"));
        assert_eq!(survey_of("/s/"), None);
        assert_eq!(survey_of("/s/abc/more"), None);
        assert_eq!(survey_of("/code"), None);
    }
}
