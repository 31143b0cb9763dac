use leptos::{prelude::*, task::spawn_local};
use leptos_router::{components::A, hooks::use_navigate};
use shared::Role;
use wasm_bindgen::JsCast;

use crate::{auth::use_auth, i18n::fill, prefs::use_texts};

/// First thing a keyboard reaches: jumps over header and settings to the content.
#[component]
pub fn SkipLink() -> impl IntoView {
    let t = use_texts();
    // The router would take over a plain `#main` link and only scroll; moving the
    // focus is what keyboard and screen reader users need.
    let skip = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        focus_main();
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip>
            {move || t().app.skip_link}
        </a>
    }
}

/// Moves the keyboard focus to `<main>` (it has `tabindex="-1"` for this).
pub fn focus_main() {
    if let Some(main) = document()
        .get_element_by_id("main")
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}

/// App name and main navigation. `<A>` marks the current page with `aria-current="page"`.
/// Signed out: sign in and register; signed in: the account and sign out, and for
/// the neighbourhood office a second menu with the staff pages.
#[component]
pub fn Header() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            auth.sign_out().await;
            auth.notify("/", |t| t.nav.signed_out);
            navigate("/", Default::default());
        });
    };
    let account_links = move || {
        if auth.is_signed_in() {
            view! {
                <li>
                    <A href="/profile" attr:data-testid="nav-profile">
                        {move || t().nav.profile}
                    </A>
                </li>
                <li>
                    <button type="button" class="site-nav__button" data-testid="logout" on:click=sign_out.clone()>
                        {move || t().nav.logout}
                    </button>
                </li>
            }
            .into_any()
        } else {
            view! {
                <li>
                    <A href="/login" attr:data-testid="nav-login">
                        {move || t().nav.login}
                    </A>
                </li>
                <li>
                    <A href="/register" attr:data-testid="nav-register">
                        {move || t().nav.register}
                    </A>
                </li>
            }
            .into_any()
        }
    };
    let signed_in_as = move || {
        auth.user().map(|user| {
            view! {
                <p class="site-header__user" data-testid="signed-in-as">
                    {move || fill(t().nav.signed_in_as, &[("name", &user.display_name)])}
                </p>
            }
        })
    };
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    <img class="brand__icon" src="/icon.svg" alt="" width="40" height="40" />
                    <span class="brand__name">{move || t().app.name}</span>
                </a>
                <nav class="site-nav" aria-label=move || t().nav.label>
                    <ul class="site-nav__list">
                        <li>
                            <A href="/" exact=true attr:data-testid="nav-home">
                                {move || t().nav.home}
                            </A>
                        </li>
                        <li>
                            <A href="/about" attr:data-testid="nav-about">
                                {move || t().nav.about}
                            </A>
                        </li>
                        {account_links}
                    </ul>
                </nav>
                {signed_in_as}
                <StaffNav />
            </div>
        </header>
    }
}

/// The staff pages, by role. The server checks again on every call.
#[component]
fn StaffNav() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    move || {
        let admin = auth.has_role(Role::Admin);
        auth.is_staff().then(|| {
            view! {
                <nav class="site-nav site-nav--staff" aria-label=move || t().nav.admin_label>
                    <p class="site-nav__heading" aria-hidden="true">{move || t().nav.admin_label}</p>
                    <ul class="site-nav__list">
                        <li>
                            <A href="/manager/surveys" attr:data-testid="nav-manager-surveys">
                                {move || t().authoring.nav}
                            </A>
                        </li>
                        <li>
                            <A href="/manager/residents" attr:data-testid="nav-manager-residents">
                                {move || t().nav.manager_residents}
                            </A>
                        </li>
                        <li>
                            <A href="/admin/quarters" attr:data-testid="nav-admin-quarters">
                                {move || t().nav.admin_quarters}
                            </A>
                        </li>
                        {admin.then(|| view! {
                            <li>
                                <A href="/admin/managers" attr:data-testid="nav-admin-managers">
                                    {move || t().nav.admin_managers}
                                </A>
                            </li>
                            <li>
                                <A href="/admin/audit" attr:data-testid="nav-admin-audit">
                                    {move || t().nav.admin_audit}
                                </A>
                            </li>
                        })}
                    </ul>
                </nav>
            }
        })
    }
}
