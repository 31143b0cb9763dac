use leptos::prelude::*;
use leptos_router::components::A;
use wasm_bindgen::JsCast;

use crate::prefs::use_texts;

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
#[component]
pub fn Header() -> impl IntoView {
    let t = use_texts();
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
                    </ul>
                </nav>
            </div>
        </header>
    }
}
