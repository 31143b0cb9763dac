//! Accounts: signing up and in, the own profile, and the staff pages about people
//! (managers, residents, the audit log). Same noun as `backend/src/accounts/`.

mod audit;
mod invitation;
mod login;
mod managers;
mod my_data;
mod profile;
mod register;
mod reset_password;
mod residents;

pub use audit::AuditPage;
pub use invitation::InvitationPage;
pub use login::LoginPage;
pub use managers::ManagersPage;
pub use my_data::MyDataPage;
pub use profile::ProfilePage;
pub use register::RegisterPage;
pub use reset_password::ResetPasswordPage;
pub use residents::ResidentsPage;

use leptos::prelude::*;
use shared::{accounts::Uuid, quarters::QuarterDto};
use wasm_bindgen::JsCast;

use crate::components::form::dom_id;

/// Where a field of a first paint's form goes in the app's form.
enum Carried {
    Text(RwSignal<String>),
    Checked(RwSignal<bool>),
}

/// On a first visit the sign-in or registration page's first paint (`index.html`, a
/// form that `boot.js`'s `formBeforeTheApp` makes usable) stood in while the app
/// arrived: what was typed and chosen there, and where the cursor was, carry over into
/// the app's form, and a press of its button sends it. `fields` are the first paint's
/// field ids, each with the app's field (its test id) and where its value goes.
fn carry_first_paint(
    form: &'static str,
    fields: Vec<(&'static str, &'static str, Carried)>,
    send: impl Fn() + 'static,
) {
    crate::when_first_paint_ends(move || {
        let document = document();
        let Some(paint) = document.get_element_by_id(form) else {
            return;
        };
        let pressed = paint.has_attribute("data-pressed");
        let active = document.active_element();
        let mut focus = None;
        for (id, app_field, carried) in fields {
            let Some(field) = document.get_element_by_id(id) else {
                continue;
            };
            let property = |name: &str| js_sys::Reflect::get(&field, &name.into()).ok();
            match carried {
                Carried::Text(value) => {
                    if let Some(typed) = property("value").and_then(|v| v.as_string()) {
                        value.set(typed);
                    }
                }
                Carried::Checked(checked) => {
                    checked.set(property("checked").and_then(|v| v.as_bool()) == Some(true));
                }
            }
            if active.as_ref() == Some(&field) {
                focus = Some(dom_id(app_field));
            }
        }
        // Once the app's form is on screen in its place.
        request_animation_frame(move || {
            if pressed {
                send();
            } else if let Some(field) = focus
                .and_then(|id| document.get_element_by_id(&id))
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = field.focus();
            }
        });
    });
    // Once this page is on screen, the first paint may end.
    Effect::new(move || request_animation_frame(crate::first_paint_done));
}

/// Options for a quarter `<select>`: "not stated" first, then every quarter.
fn quarter_options(none: &str, quarters: &[QuarterDto]) -> Vec<(String, String)> {
    std::iter::once((String::new(), none.to_owned()))
        .chain(quarters.iter().map(|q| (q.id.to_string(), q.name.clone())))
        .collect()
}

/// The name of a quarter, if it is in the list.
fn quarter_name(quarters: &[QuarterDto], id: Uuid) -> Option<String> {
    quarters.iter().find(|q| q.id == id).map(|q| q.name.clone())
}

/// A quarter's id from a `<select>` value; empty means none.
fn parse_quarter(value: &str) -> Option<Uuid> {
    Uuid::parse_str(value.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_choice_is_no_quarter() {
        assert_eq!(parse_quarter(""), None);
        let id = Uuid::from_u128(7);
        assert_eq!(parse_quarter(&id.to_string()), Some(id));
    }
}
