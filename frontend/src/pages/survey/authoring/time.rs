//! Opening and closing times as managers type them: `datetime-local` values in German
//! time (Europe/Berlin), whatever the browser's time zone. The EU's rule (summer time
//! from the last Sunday of March to the last Sunday of October, changing at 01:00
//! UTC) is a few lines; a time-zone database would be a large download.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

fn last_sunday(year: i32, month: Month) -> Option<Date> {
    let last = Date::from_calendar_date(year, month, month.length(year)).ok()?;
    let back = last.weekday().number_days_from_sunday();
    last.checked_sub(time::Duration::days(i64::from(back)))
}

fn summer_time(at: OffsetDateTime) -> bool {
    let utc = at.to_offset(UtcOffset::UTC);
    let year = utc.year();
    let change = |month| {
        last_sunday(year, month)
            .map(|d| PrimitiveDateTime::new(d, Time::MIDNIGHT + time::Duration::HOUR).assume_utc())
    };
    match (change(Month::March), change(Month::October)) {
        (Some(start), Some(end)) => utc >= start && utc < end,
        _ => false,
    }
}

fn offset(hours: i8) -> UtcOffset {
    UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC)
}

fn berlin_offset(at: OffsetDateTime) -> UtcOffset {
    offset(if summer_time(at) { 2 } else { 1 })
}

/// `2026-12-01T09:30` in German time.
pub fn to_local(at: OffsetDateTime) -> String {
    let l = at.to_offset(berlin_offset(at));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        l.year(),
        u8::from(l.month()),
        l.day(),
        l.hour(),
        l.minute()
    )
}

/// The instant a `datetime-local` value means in German time; `None` when it is
/// not a complete date and time.
pub fn from_local(value: &str) -> Option<OffsetDateTime> {
    let (date, clock) = value.trim().split_once('T')?;
    let mut d = date.splitn(3, '-').map(str::parse::<i32>);
    let (year, month, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let mut c = clock.splitn(3, ':');
    let hour: u8 = c.next()?.parse().ok()?;
    let minute: u8 = c.next()?.parse().ok()?;
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date = Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()?;
    let local = PrimitiveDateTime::new(date, Time::from_hms(hour, minute, 0).ok()?);
    let winter = local.assume_offset(offset(1));
    Some(if summer_time(winter) {
        local.assume_offset(offset(2))
    } else {
        winter
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_time_follows_summer_time() {
        let winter = from_local("2026-12-01T09:30").map(|t| t.to_offset(UtcOffset::UTC));
        assert_eq!(winter.map(|t| (t.hour(), t.minute())), Some((8, 30)));
        let summer = from_local("2026-07-01T09:30").map(|t| t.to_offset(UtcOffset::UTC));
        assert_eq!(summer.map(|t| t.hour()), Some(7));
        for value in ["2026-12-01T09:30", "2026-07-01T23:59", "2026-03-29T03:00"] {
            assert_eq!(from_local(value).map(to_local).as_deref(), Some(value));
        }
        assert_eq!(from_local("2026-12-01"), None);
        assert_eq!(from_local("2026-13-01T10:00"), None);
    }
}
