use leptos::{__reexports::send_wrapper::SendWrapper, either::Either, prelude::*};
use shared::{DatabaseKind, HealthDto, HealthStatus, Role, contact::OfficeContactDto};

use crate::{
    api,
    auth::use_auth,
    components::{ErrorNotice, OfficeDetails, PageTitle, use_offices},
    i18n::{Texts, fill},
    prefs::use_texts,
};

/// About Quartier: who runs it and how to reach them (the office's contact details).
/// The server's health (database, migrations) is for admins only; load balancers and
/// operators read it at `/api/v1/health`.
#[component]
pub fn AboutPage() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let offices = use_offices();
    let contact = move || match offices.state() {
        None => Either::Left(view! {
            <p class="loading" role="status">{move || t().forms.loading}</p>
        }),
        Some(Ok(list)) => Either::Right(Either::Left(view! {
            <Suspense fallback=|| ()>
                // The chunk's loader is not `Send`; in the browser there is one thread.
                {Suspend::new(SendWrapper::new(office_cards(list)))}
            </Suspense>
        })),
        Some(Err(error)) => Either::Right(Either::Right(view! {
            <ErrorNotice error on_retry=move || offices.refetch() />
        })),
    };
    view! {
        <PageTitle text=move || t().about.title />
        <p class="lead">{move || t().about.intro}</p>
        {contact}
        <Show when=move || auth.has_role(Role::Admin)>
            <Suspense fallback=|| ()>
                {Suspend::new(SendWrapper::new(server_health()))}
            </Suspense>
        </Show>
    }
}

/// The offices in full: a chunk of its own, so that the first visit to any other
/// page (the footer needs only the name and number) does not carry these views.
#[leptos::lazy]
fn office_cards(offices: Vec<OfficeContactDto>) -> AnyView {
    offices
        .into_iter()
        .enumerate()
        .map(|(index, office)| view! { <OfficeDetails office index /> })
        .collect_view()
        .into_any()
}

/// The server's health is for admins only, so residents do not download it.
#[leptos::lazy]
fn server_health() -> AnyView {
    view! { <ServerHealth /> }.into_any()
}

/// The server's health, for admins.
#[component]
fn ServerHealth() -> impl IntoView {
    let t = use_texts();
    let health = LocalResource::new(api::health);
    view! {
        <section aria-labelledby="system-title" data-testid="about-system">
            <h2 id="system-title">{move || t().about.system_title}</h2>
            <Suspense fallback=move || {
                view! {
                    <p class="loading" role="status">
                        {move || t().about.loading}
                    </p>
                }
            }>
                {move || Suspend::new(async move {
                    match health.await {
                        Ok(dto) => Either::Left(view! { <HealthDetails health=dto /> }),
                        Err(error) => {
                            Either::Right(
                                view! { <ErrorNotice error on_retry=move || health.refetch() /> },
                            )
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
fn status_text(texts: &'static Texts, status: HealthStatus) -> &'static str {
    match status {
        HealthStatus::Ok => texts.about.status_ok,
        HealthStatus::Degraded => texts.about.status_degraded,
    }
}

fn database_name(texts: &'static Texts, kind: DatabaseKind) -> &'static str {
    match kind {
        DatabaseKind::Sqlite => texts.about.database_sqlite,
        DatabaseKind::Postgres => texts.about.database_postgres,
    }
}

#[component]
fn HealthDetails(health: HealthDto) -> impl IntoView {
    let t = use_texts();
    let HealthDto {
        status,
        version,
        database,
        migration,
        migrations_applied,
        migrations_known,
    } = health;
    let applied = migrations_applied.to_string();
    let known = migrations_known.to_string();
    let count = move || {
        fill(
            t().about.migration_count,
            &[("applied", &applied), ("known", &known)],
        )
    };
    let migration = move || match migration.clone() {
        Some(name) => Either::Left(view! { <span class="mono">{name}</span> }),
        None => Either::Right(t().about.migration_none),
    };
    view! {
        <dl class="facts">
            <div class="facts__row">
                <dt>{move || t().about.status}</dt>
                <dd data-testid="about-status">{move || status_text(t(), status)}</dd>
            </div>
            <div class="facts__row">
                <dt>{move || t().about.version}</dt>
                <dd data-testid="about-version" class="mono">{version}</dd>
            </div>
            <div class="facts__row">
                <dt>{move || t().about.database}</dt>
                <dd data-testid="about-database">{move || database_name(t(), database)}</dd>
            </div>
            <div class="facts__row">
                <dt>{move || t().about.migration}</dt>
                <dd data-testid="about-migration">
                    <span class="facts__line">{migration}</span>
                    " "
                    <span class="facts__line">{count}</span>
                </dd>
            </div>
        </dl>
    }
}
