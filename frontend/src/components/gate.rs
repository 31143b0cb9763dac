use leptos::prelude::*;
use shared::Role;

use crate::{
    auth::use_auth,
    nav::{Link, path_now, search_now},
    prefs::use_texts,
};

/// Who may see a page, as far as the web app knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// The session is still being restored.
    Checking,
    SignedOut,
    Forbidden,
    Allowed,
}

/// Shows `children` only to signed-in users with one of the roles `any_of` (any
/// signed-in user when empty); others get a sign-in prompt or a plain "not for
/// you". The server refuses them anyway; this only says so kindly.
#[component]
pub fn RequireRole(
    #[prop(optional)] any_of: &'static [Role],
    children: ChildrenFn,
) -> impl IntoView {
    let auth = use_auth();
    let t = use_texts();
    // A memo, so that a changed profile (same person, same roles) does not render
    // the page again and lose what is typed into it.
    let access = Memo::new(move |_| {
        if auth.is_restoring() {
            Access::Checking
        } else if !auth.is_signed_in() {
            Access::SignedOut
        } else if any_of.is_empty() || any_of.iter().any(|role| auth.has_role(*role)) {
            Access::Allowed
        } else {
            Access::Forbidden
        }
    });
    move || match access.get() {
        Access::Checking => view! {
            <p class="loading" role="status">
                {move || t().gate.checking}
            </p>
        }
        .into_any(),
        Access::SignedOut => view! { <SignInPrompt /> }.into_any(),
        Access::Forbidden => view! {
            <div class="notice" data-testid="not-allowed">
                <p>{move || t().gate.not_allowed}</p>
            </div>
        }
        .into_any(),
        Access::Allowed => children().into_any(),
    }
}

#[component]
fn SignInPrompt() -> impl IntoView {
    let t = use_texts();
    // The whole address, so a page opened with a prefill (`/help/ask?category=…`)
    // comes back filled in after signing in.
    let here = page_address(&path_now(), &search_now());
    let login = format!(
        "/login?next={}",
        String::from(js_sys::encode_uri_component(&here))
    );
    view! {
        <div class="notice" data-testid="sign-in-required">
            <p>{move || t().gate.sign_in_needed}</p>
            <p class="actions">
                <Link href=login attr:class="button" attr:data-testid="sign-in-link">
                    {move || t().gate.sign_in_link}
                </Link>
                <Link href="/register">{move || t().gate.register_link}</Link>
            </p>
        </div>
    }
}

/// A page's address from the router's parts: its `search` comes without the `?`.
fn page_address(path: &str, search: &str) -> String {
    if search.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{search}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_to_come_back_to_keeps_its_query() {
        assert_eq!(
            page_address("/help/ask", "category=shopping&from_survey=1"),
            "/help/ask?category=shopping&from_survey=1"
        );
        assert_eq!(page_address("/help", ""), "/help");
    }
}
