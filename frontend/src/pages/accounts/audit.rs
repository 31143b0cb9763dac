use leptos::prelude::*;
use shared::{Role, accounts::AuditEntryDto};

use super::quarter_name;
use crate::{
    api,
    auth::use_auth,
    components::{ErrorNotice, PageTitle, RequireRole},
    format::date_time,
    prefs::{use_prefs, use_texts},
};

/// Who accessed personal data, and when: the admin's view of the audit log.
#[component]
pub fn AuditPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <PageTitle text=move || t().audit.title />
        <RequireRole any_of=&[Role::Admin]>
            <AuditLog />
        </RequireRole>
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let t = use_texts();
    let auth = use_auth();
    let entries = LocalResource::new(move || api::audit_log(auth));
    let quarters = LocalResource::new(api::quarters);
    let table = move || {
        Suspend::new(async move {
            let all_quarters = quarters.await.unwrap_or_default();
            match entries.await {
                Ok(list) if list.is_empty() => {
                    view! { <p>{move || t().audit.empty}</p> }.into_any()
                }
                Ok(list) => view! {
                    <table class="table" data-testid="audit-table">
                        <thead>
                            <tr>
                                <th scope="col">{move || t().audit.when}</th>
                                <th scope="col">{move || t().audit.who}</th>
                                <th scope="col">{move || t().audit.action}</th>
                                <th scope="col">{move || t().audit.quarter}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list
                                .into_iter()
                                .map(|entry| {
                                    let quarter = entry
                                        .quarter_id
                                        .map(|id| quarter_name(&all_quarters, id).unwrap_or_else(|| id.to_string()));
                                    view! { <AuditRow entry quarter /> }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                .into_any(),
                Err(error) => {
                    view! { <ErrorNotice error on_retry=move || entries.refetch() /> }.into_any()
                }
            }
        })
    };
    view! {
        <p class="lead">{move || t().audit.intro}</p>
        <Transition fallback=move || {
            view! { <p class="loading" role="status">{move || t().forms.loading}</p> }
        }>{table}</Transition>
    }
}

#[component]
fn AuditRow(entry: AuditEntryDto, quarter: Option<String>) -> impl IntoView {
    let t = use_texts();
    let prefs = use_prefs();
    let at = entry.at;
    let action = entry.action.clone();
    let who = entry.actor_email.clone();
    view! {
        <tr data-testid="audit-row">
            <td data-label=move || t().audit.when>{move || date_time(at, prefs.language.get())}</td>
            <td data-label=move || t().audit.who class="mono">
                {move || who.clone().unwrap_or_else(|| t().audit.deleted_account.to_owned())}
            </td>
            <td data-label=move || t().audit.action>
                {move || t().audit.action(&action).map(str::to_owned).unwrap_or_else(|| action.clone())}
            </td>
            <td data-label=move || t().audit.quarter>
                {move || quarter.clone().unwrap_or_else(|| t().audit.all_quarters.to_owned())}
            </td>
        </tr>
    }
}
