use leptos::{prelude::*, task::spawn_local};
use shared::Role;
use wasm_bindgen::{JsCast, closure::Closure};

use super::SettingsPanel;
use crate::{
    auth::use_auth,
    i18n::fill,
    nav::{Link, pathname, use_go},
    prefs::{use_prefs, use_texts},
};

/// First thing a keyboard reaches: jumps over the header to the content.
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

/// After a navigation: the page from its top (header and heading in view, not the
/// previous page's scroll position), and the keyboard focus on `<main>` without
/// scrolling down to it.
pub fn focus_main_at_top() {
    window().scroll_to_with_x_and_y(0.0, 0.0);
    if let Some(main) = document()
        .get_element_by_id("main")
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = main.focus_with_options(&options);
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

/// The header: the app's name, the navigation and one settings control, kept to one
/// row so that every page's own heading is on the first screen.
///
/// The navigation is shown as a row when it fits in one (measured: `fit_navigation`,
/// again whenever the header's size, the language, text size or session changes),
/// else behind a menu button, a disclosure (`aria-expanded`) that Escape closes.
/// Language, text size and contrast sit behind a second such button
/// ([`SettingsPanel`]). Signed out: sign in and register; signed in: the account and
/// sign out, and for the neighbourhood office the staff pages.
#[component]
pub fn Header() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let prefs = use_prefs();
    let go = use_go();
    let menu_open = RwSignal::new(false);
    let settings_open = RwSignal::new(false);
    let inner: NodeRef<leptos::html::Div> = NodeRef::new();
    let menu_button: NodeRef<leptos::html::Button> = NodeRef::new();
    let settings_button: NodeRef<leptos::html::Button> = NodeRef::new();

    // A new page closes the menu (the focus moves to <main>, see app.rs).
    let pathname = pathname();
    Effect::new(move |_| {
        pathname.track();
        menu_open.set(false);
    });
    // Whether the row fits depends on the words and their size: measure again when
    // they change. Not at the start: the observer below measures then, after the
    // browser's own layout, where measuring here would force one more layout in the
    // middle of the app's start (a slow phone's longest wait).
    Effect::new(move |started: Option<()>| {
        prefs.language.track();
        prefs.text_size.track();
        auth.user();
        if started.is_none() {
            return;
        }
        if let Some(inner) = inner.get_untracked() {
            fit_navigation(&inner);
        }
    });
    // ... and whenever the header changes size (window width, browser text size),
    // first when it appears.
    Effect::new(move |_| {
        let Some(el) = inner.get() else { return };
        let observed = el.clone();
        let on_resize = Closure::<dyn Fn()>::new(move || fit_navigation(&observed));
        if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&el);
            // The header lives as long as the app: both are kept on purpose.
            std::mem::forget(observer);
        }
        on_resize.forget();
    });

    let toggle_menu = move |_| {
        settings_open.set(false);
        menu_open.update(|open| *open = !*open);
    };
    let toggle_settings = move |_| {
        menu_open.set(false);
        settings_open.update(|open| *open = !*open);
    };
    // Escape closes what is open and gives the focus back to its button.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() != "Escape" {
            return;
        }
        let button = if settings_open.get_untracked() {
            settings_open.set(false);
            settings_button.get_untracked()
        } else if menu_open.get_untracked() {
            menu_open.set(false);
            menu_button.get_untracked()
        } else {
            None
        };
        if let Some(button) = button {
            ev.prevent_default();
            let _ = button.focus();
        }
    };

    let sign_out = move |_| {
        let go = go.clone();
        spawn_local(async move {
            auth.sign_out().await;
            auth.notify("/", |t| t.nav.signed_out);
            go("/");
        });
    };
    let account_links = move || {
        if auth.is_signed_in() {
            view! {
                <li>
                    <Link href="/help" attr:data-testid="nav-help">
                        {move || t().nav.help}
                    </Link>
                </li>
                <li>
                    <Link href="/profile" attr:data-testid="nav-profile">
                        {move || t().nav.profile}
                    </Link>
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
                    <Link href="/login" attr:data-testid="nav-login">
                        {move || t().nav.login}
                    </Link>
                </li>
                <li>
                    <Link href="/register" attr:data-testid="nav-register">
                        {move || t().nav.register}
                    </Link>
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
    let expanded = |open: RwSignal<bool>| move || if open.get() { "true" } else { "false" };
    view! {
        <header class="site-header" on:keydown=on_keydown>
            <div class="site-header__inner site-header__inner--narrow" node_ref=inner>
                <a class="brand" href="/">
                    <img class="brand__icon" src="/icon.svg" alt="" width="40" height="40" />
                    <span class="brand__name">{move || t().app.name}</span>
                </a>
                <button
                    type="button"
                    class="header-button header-button--menu"
                    aria-expanded=expanded(menu_open)
                    aria-controls="site-menu"
                    data-testid="menu-button"
                    node_ref=menu_button
                    on:click=toggle_menu
                >
                    <span class="header-button__icon header-button__icon--menu" aria-hidden="true"></span>
                    <span>{move || t().nav.menu}</span>
                </button>
                <div
                    id="site-menu"
                    class=move || if menu_open.get() { "site-menu site-menu--open" } else { "site-menu" }
                    data-testid="site-menu"
                >
                    {signed_in_as}
                    <nav class="site-nav" aria-label=move || t().nav.label>
                        <ul class="site-nav__list">
                            <li>
                                <Link href="/" exact=true attr:data-testid="nav-home">
                                    {move || t().nav.home}
                                </Link>
                            </li>
                            <li>
                                <Link href="/about" attr:data-testid="nav-about">
                                    {move || t().nav.about}
                                </Link>
                            </li>
                            {account_links}
                        </ul>
                    </nav>
                    {staff_nav()}
                </div>
                <button
                    type="button"
                    class="header-button"
                    aria-expanded=expanded(settings_open)
                    aria-controls="settings"
                    data-testid="settings-button"
                    node_ref=settings_button
                    on:click=toggle_settings
                >
                    <span class="header-button__icon" aria-hidden="true">"Aa"</span>
                    <span>{move || t().settings.button}</span>
                </button>
            </div>
            <SettingsPanel open=settings_open />
        </header>
    }
}

/// Lays the navigation out as one row, and if that row is wider than the header,
/// switches to the menu button. Done in one go, so nothing flickers: the browser
/// paints only the end result.
fn fit_navigation(inner: &web_sys::HtmlDivElement) {
    let classes = inner.class_list();
    let _ = classes.remove_1("site-header__inner--narrow");
    let overflows = inner.scroll_width() > inner.client_width();
    if overflows {
        let _ = classes.add_1("site-header__inner--narrow");
    }
}

/// The staff pages' navigation: none in the answering app, whose build has no staff
/// pages (a letter's reader is rarely staff, and a link there loads the whole app).
fn staff_nav() -> impl IntoView {
    #[cfg(not(feature = "answer-app"))]
    let nav = view! { <StaffNav /> };
    #[cfg(feature = "answer-app")]
    let nav = ();
    nav
}

/// The staff pages, by role. The server checks again on every call.
#[cfg(not(feature = "answer-app"))]
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
                            <Link href="/manager/surveys" attr:data-testid="nav-manager-surveys">
                                {move || t().authoring.nav}
                            </Link>
                        </li>
                        <li>
                            <Link href="/manager/help" attr:data-testid="nav-manager-help">
                                {move || t().help.desk_nav}
                            </Link>
                        </li>
                        <li>
                            <Link href="/manager/residents" attr:data-testid="nav-manager-residents">
                                {move || t().nav.manager_residents}
                            </Link>
                        </li>
                        <li>
                            <Link href="/admin/quarters" attr:data-testid="nav-admin-quarters">
                                {move || t().nav.admin_quarters}
                            </Link>
                        </li>
                        {admin.then(|| view! {
                            <li>
                                <Link href="/admin/managers" attr:data-testid="nav-admin-managers">
                                    {move || t().nav.admin_managers}
                                </Link>
                            </li>
                            <li>
                                <Link href="/admin/audit" attr:data-testid="nav-admin-audit">
                                    {move || t().nav.admin_audit}
                                </Link>
                            </li>
                            <li>
                                <Link href="/admin/office" attr:data-testid="nav-admin-office">
                                    {move || t().contact.nav}
                                </Link>
                            </li>
                        })}
                    </ul>
                </nav>
            }
        })
    }
}
