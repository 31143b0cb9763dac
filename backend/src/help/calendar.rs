//! An agreed appointment as an iCalendar file (RFC 5545), so the resident and the
//! volunteer can put it in their phone's calendar with one tap.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike};
use sea_orm::EntityTrait;
use shared::Language;
use shared::help::{HelpCategory, HelpStatus, HelpWindow};

use super::requests::{parse, status_of, stored_json};
use crate::auth::AuthUser;
use crate::entities::{help_request, user};
use crate::error::ApiError;
use crate::startup::AppState;

fn category_name(category: HelpCategory, language: Language) -> &'static str {
    use HelpCategory as C;
    match (language, category) {
        (Language::De, C::Shopping) => "Einkaufen",
        (Language::De, C::Accompany) => "Begleitung zu Terminen",
        (Language::De, C::TechHelp) => "Hilfe mit Technik",
        (Language::De, C::Paperwork) => "Hilfe mit Papierkram",
        (Language::De, C::Visit) => "Besuch und Gesellschaft",
        (Language::De, C::Repairs) => "Kleine Reparaturen",
        (Language::De, C::Garden) => "Garten",
        (Language::De, C::Transport) => "Fahrdienst",
        (Language::De, C::Other) => "Anderes",
        (Language::En, C::Shopping) => "Shopping",
        (Language::En, C::Accompany) => "Company to appointments",
        (Language::En, C::TechHelp) => "Help with technology",
        (Language::En, C::Paperwork) => "Help with paperwork",
        (Language::En, C::Visit) => "A visit and company",
        (Language::En, C::Repairs) => "Small repairs",
        (Language::En, C::Garden) => "Garden",
        (Language::En, C::Transport) => "A lift",
        (Language::En, C::Other) => "Other",
    }
}

fn local(date: NaiveDate, minute: u16) -> CalendarDateTime {
    let time = NaiveTime::from_hms_opt(u32::from(minute / 60), u32::from(minute % 60), 0)
        .unwrap_or(NaiveTime::MIN);
    CalendarDateTime::WithTimezone {
        date_time: NaiveDateTime::new(date, time),
        tzid: "Europe/Berlin".into(),
    }
}

fn chrono_date(day: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("unreadable day {day}: {e}")))
}

/// The appointment of a confirmed request, for its resident or its volunteer; 404 for
/// anyone else and before both sides agreed.
pub async fn appointment(
    state: &AppState,
    me: &AuthUser,
    id: uuid::Uuid,
) -> Result<String, ApiError> {
    let row = help_request::Entity::find_by_id(id)
        .one(state.db.conn())
        .await?
        .ok_or(ApiError::NotFound)?;
    let is_resident = row.resident_id == Some(me.id());
    let is_volunteer = row.volunteer_id == Some(me.id());
    if !(is_resident || is_volunteer) || status_of(&row)? != HelpStatus::Confirmed {
        return Err(ApiError::NotFound);
    }
    let other = if is_resident {
        row.volunteer_id
    } else {
        row.resident_id
    };
    let other = match other {
        Some(id) => user::Entity::find_by_id(id).one(state.db.conn()).await?,
        None => None,
    };
    let (name, phone) = match &other {
        Some(u) => (u.display_name.clone(), u.phone.clone().unwrap_or_default()),
        None => (
            row.caller_name.clone().unwrap_or_default(),
            row.caller_phone.clone().unwrap_or_default(),
        ),
    };
    let language = Language::from_tag(&me.user.language);
    let category: HelpCategory = parse("category", &row.category)?;
    let when: HelpWindow = stored_json("window", &row.window)?;
    let (title, with, tel) = match language {
        Language::De => ("Nachbarschaftshilfe", "Mit", "Telefon"),
        Language::En => ("Neighbourly help", "With", "Phone"),
    };
    let mut description = format!("{with}: {name}");
    if !phone.is_empty() {
        description.push_str(&format!("\n{tel}: {phone}"));
    }
    if !row.details.is_empty() {
        description.push_str(&format!("\n\n{}", row.details));
    }
    let mut event = Event::new();
    event
        .uid(&format!("{}@quartier", row.id))
        .summary(&format!("{title}: {}", category_name(category, language)))
        .description(&description);
    match &when {
        HelpWindow::At {
            date,
            from_minute,
            to_minute,
        } => {
            let day = chrono_date(date)?;
            event
                .starts(local(day, *from_minute))
                .ends(local(day, *to_minute));
        }
        HelpWindow::Flexible { from, days } => {
            // All day, over the days the resident left open (the end is exclusive).
            let first = chrono_date(from)?;
            let end = first + chrono::Days::new(u64::from((*days).max(1)));
            event.starts(first).ends(end);
        }
    }
    let calendar = Calendar::new().name("Quartier").push(event.done()).done();
    Ok(calendar.to_string())
}
