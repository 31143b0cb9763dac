//! Neighbourly help after the first steps: who is told of each step, the appointment
//! for the calendar, the sweep that expires and flags requests (run by two server
//! instances at once), and the batch proposal.

use quartier::db::Db;
use quartier::entities::{help_event, help_request, notification};
use quartier::help::jobs;
use reqwest::Method;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use shared::help::{
    ApplyBatchDto, Audience, BatchProposalDto, HelpEvent, HelpRequestDto, NotificationsDto,
};
use uuid::Uuid;

use crate::fixtures::{World, person, world};
use crate::help::{call, next_week, offer, request, second_volunteer, step};
use crate::helpers::{TestApp, spawn_app};

async fn notes(app: &TestApp, token: &str) -> NotificationsDto {
    let response = call(app, Method::GET, "/api/v1/me/notifications", token, None).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn events(n: &NotificationsDto) -> Vec<(HelpEvent, Audience)> {
    n.items.iter().map(|i| (i.event, i.audience)).collect()
}

async fn ask(app: &TestApp, w: &World, date: &str) -> Uuid {
    let id = Uuid::new_v4();
    let response = call(
        app,
        Method::POST,
        "/api/v1/help/requests",
        &w.tokens.resident,
        Some(request(id, date)),
    )
    .await;
    assert_eq!(response.status(), 200);
    id
}

fn ok(expected: u16) -> impl Fn(reqwest::StatusCode) {
    move |status| assert_eq!(status.as_u16(), expected)
}

#[tokio::test]
async fn every_step_tells_the_others_once_and_never_the_one_who_took_it() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (date, _) = next_week();
    let v2 = second_volunteer(&app, &w).await;
    let v2_id = quartier::auth::jwt::JwtKeys::new("test-secret-test-secret-test-secret-0123")
        .verify(&v2)
        .unwrap();
    let r = &w.tokens.resident;
    let m = &w.tokens.manager;
    let id = ask(&app, &w, &date).await;
    // Asking tells nobody: the request is on the boards.
    assert!(notes(&app, r).await.items.is_empty());
    assert!(notes(&app, m).await.items.is_empty());

    ok(200)(
        step(
            &app,
            id,
            m,
            json!({"action": "propose", "volunteer_id": v2_id}),
        )
        .await
        .status(),
    );
    assert_eq!(
        events(&notes(&app, &v2).await),
        vec![(HelpEvent::Proposed, Audience::Volunteer)]
    );
    assert_eq!(
        events(&notes(&app, r).await),
        vec![(HelpEvent::Proposed, Audience::Resident)]
    );
    assert!(
        notes(&app, m).await.items.is_empty(),
        "the manager took the step"
    );

    // No appointment before both agreed, and never for anyone else.
    let ics = |token: String| {
        let app = &app;
        async move {
            call(
                app,
                Method::GET,
                &format!("/api/v1/help/requests/{id}/appointment.ics"),
                &token,
                None,
            )
            .await
        }
    };
    ok(404)(ics(r.clone()).await.status());
    ok(200)(
        step(&app, id, &v2, json!({"action": "accept"}))
            .await
            .status(),
    );
    ok(404)(ics(v2.clone()).await.status());
    ok(200)(
        step(&app, id, r, json!({"action": "confirm"}))
            .await
            .status(),
    );
    for stranger in [&w.tokens.volunteer, m, &w.tokens.admin_b] {
        ok(404)(ics(stranger.clone()).await.status());
    }
    let file = ics(r.clone()).await;
    ok(200)(file.status());
    assert!(
        file.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let text = file.text().await.unwrap();
    let compact = date.replace('-', "");
    for expected in [
        "BEGIN:VEVENT",
        &format!("DTSTART;TZID=Europe/Berlin:{compact}T100000"),
        &format!("DTEND;TZID=Europe/Berlin:{compact}T110000"),
        "SUMMARY:Nachbarschaftshilfe: Einkaufen",
        "Mit: v2",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    // The volunteer's file names the resident.
    let theirs = ics(v2.clone()).await.text().await.unwrap();
    assert!(theirs.contains("Mit: r1"), "{theirs}");

    ok(200)(
        step(&app, id, &v2, json!({"action": "done"}))
            .await
            .status(),
    );
    let resident = notes(&app, r).await;
    assert_eq!(
        events(&resident),
        vec![
            (HelpEvent::Done, Audience::Resident),
            (HelpEvent::Accepted, Audience::Resident),
            (HelpEvent::Proposed, Audience::Resident),
        ],
        "newest first, and not the resident's own confirmation"
    );
    assert_eq!(resident.unread, 3);
    assert!(resident.items.iter().all(|n| n.request_id == id));
    assert_eq!(
        events(&notes(&app, &v2).await),
        vec![
            (HelpEvent::Confirmed, Audience::Volunteer),
            (HelpEvent::Proposed, Audience::Volunteer),
        ]
    );
    // Nobody else hears of it.
    for other in [&w.tokens.volunteer, &w.tokens.admin_b, m] {
        assert!(notes(&app, other).await.items.is_empty());
    }

    // Reading: only one's own notifications, and only those named.
    let theirs: Vec<Uuid> = resident.items.iter().map(|n| n.id).collect();
    let read = |token: String, ids: Vec<Uuid>| {
        let app = &app;
        async move {
            call(
                app,
                Method::POST,
                "/api/v1/me/notifications/read",
                &token,
                Some(json!({ "ids": ids })),
            )
            .await
            .status()
        }
    };
    ok(204)(read(v2.clone(), theirs.clone()).await);
    assert_eq!(
        notes(&app, r).await.unread,
        3,
        "another's ids change nothing"
    );
    ok(204)(read(r.clone(), theirs[..2].to_vec()).await);
    let after = notes(&app, r).await;
    assert_eq!(after.unread, 1);
    assert_eq!(
        after.items.iter().map(|n| n.read).collect::<Vec<_>>(),
        vec![true, true, false]
    );
    ok(400)(read(r.clone(), (0..201).map(|_| Uuid::new_v4()).collect()).await);
    assert_eq!(
        notes(&app, r).await.unread,
        1,
        "a refused call changes nothing"
    );
    let anonymous = app
        .client
        .get(app.url("/api/v1/me/notifications"))
        .send()
        .await
        .unwrap();
    ok(401)(anonymous.status());
}

/// Moves requests' windows to yesterday (the API refuses days in the past).
async fn into_the_past(app: &TestApp, ids: &[Uuid]) {
    let yesterday = (time::OffsetDateTime::now_utc().date() - time::Duration::days(1)).to_string();
    let window = json!({"kind": "at", "date": yesterday, "from_minute": 600, "to_minute": 660});
    help_request::Entity::update_many()
        .col_expr(help_request::Column::LastDay, Expr::value(yesterday))
        .col_expr(
            help_request::Column::Window,
            Expr::value(window.to_string()),
        )
        .filter(help_request::Column::Id.is_in(ids.iter().copied()))
        .exec(app.db.conn())
        .await
        .unwrap();
}

async fn count_events(app: &TestApp, event: HelpEvent) -> u64 {
    help_event::Entity::find()
        .filter(help_event::Column::Event.eq(event.as_str()))
        .count(app.db.conn())
        .await
        .unwrap()
}

async fn count_notes(app: &TestApp, event: HelpEvent, user: Uuid) -> u64 {
    notification::Entity::find()
        .filter(notification::Column::Event.eq(event.as_str()))
        .filter(notification::Column::UserId.eq(user))
        .count(app.db.conn())
        .await
        .unwrap()
}

#[tokio::test]
async fn two_instances_sweeping_at_once_expire_and_flag_each_request_once() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (date, _) = next_week();
    let v2 = second_volunteer(&app, &w).await;
    let v2_id = quartier::auth::jwt::JwtKeys::new("test-secret-test-secret-test-secret-0123")
        .verify(&v2)
        .unwrap();
    // Twelve requests whose day has passed unmatched; one of them was proposed.
    let mut passed = Vec::new();
    for _ in 0..12 {
        passed.push(ask(&app, &w, &date).await);
    }
    ok(200)(
        step(
            &app,
            passed[0],
            &w.tokens.manager,
            json!({"action": "propose", "volunteer_id": v2_id}),
        )
        .await
        .status(),
    );
    into_the_past(&app, &passed).await;
    // One waiting for three days, one agreed on (its day passed too: not expired).
    let waiting = ask(&app, &w, &date).await;
    let agreed = ask(&app, &w, &date).await;
    ok(200)(
        step(&app, agreed, &v2, json!({"action": "accept"}))
            .await
            .status(),
    );
    into_the_past(&app, &[agreed]).await;
    let three_days_ago = time::OffsetDateTime::now_utc() - time::Duration::days(3);
    help_request::Entity::update_many()
        .col_expr(help_request::Column::CreatedAt, Expr::value(three_days_ago))
        .filter(help_request::Column::Id.is_in([waiting, passed[1]]))
        .exec(app.db.conn())
        .await
        .unwrap();

    // A second server instance: its own connections to the same database.
    let other = Db::connect(&app.database_url).await.unwrap();
    let now = time::OffsetDateTime::now_utc();
    let flag_after = time::Duration::hours(48);
    let (a, b) = tokio::join!(
        jobs::sweep(&app.db, now, flag_after),
        jobs::sweep(&other, now, flag_after)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.expired + b.expired, 12, "{a:?} {b:?}");
    // `passed[1]` waited long too, but it expired: only `waiting` is flagged.
    assert_eq!(a.flagged + b.flagged, 1, "{a:?} {b:?}");
    assert_eq!(count_events(&app, HelpEvent::Expired).await, 12);
    assert_eq!(count_events(&app, HelpEvent::Flagged).await, 1);
    assert_eq!(
        count_notes(&app, HelpEvent::Expired, w.resident_q1).await,
        12
    );
    assert_eq!(count_notes(&app, HelpEvent::Flagged, w.manager_a).await, 1);
    let proposed_one = notification::Entity::find()
        .filter(notification::Column::Event.eq(HelpEvent::Expired.as_str()))
        .filter(notification::Column::RequestId.eq(passed[0]))
        .count(app.db.conn())
        .await
        .unwrap();
    assert_eq!(proposed_one, 2, "the resident and the proposed volunteer");

    // What people see.
    let mine: Vec<HelpRequestDto> = call(
        &app,
        Method::GET,
        "/api/v1/me/help-requests",
        &w.tokens.resident,
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let status = |id: Uuid| mine.iter().find(|r| r.id == id).unwrap().status;
    assert_eq!(status(passed[5]), shared::help::HelpStatus::Expired);
    assert_eq!(status(agreed), shared::help::HelpStatus::Accepted);
    assert_eq!(status(waiting), shared::help::HelpStatus::Open);
    let manager = notes(&app, &w.tokens.manager).await;
    assert_eq!(
        manager
            .items
            .iter()
            .map(|n| (n.event, n.audience, n.request_id))
            .collect::<Vec<_>>(),
        vec![(HelpEvent::Flagged, Audience::Staff, waiting)]
    );

    // A second sweep finds nothing left to do.
    let again = jobs::sweep(&other, now, flag_after).await.unwrap();
    assert_eq!(again, jobs::Swept::default());
    assert_eq!(count_events(&app, HelpEvent::Expired).await, 12);
}

#[tokio::test]
async fn a_callers_number_is_erased_thirty_days_after_their_request_ended() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (date, _) = next_week();
    let m = &w.tokens.manager;
    let mut ids = Vec::new();
    for _ in 0..2 {
        let id = Uuid::new_v4();
        let mut body = json!({ "request": request(id, &date), "caller": {"name": "Frau Berger", "phone": "0351 123456"} });
        body["request"]["quarter_id"] = json!(w.q1);
        ok(200)(
            call(
                &app,
                Method::POST,
                "/api/v1/manager/help-requests",
                m,
                Some(body),
            )
            .await
            .status(),
        );
        ok(200)(
            step(&app, id, m, json!({"action": "cancel"}))
                .await
                .status(),
        );
        ids.push(id);
    }
    // One ended 31 days ago, the other 29.
    for (id, days) in [(ids[0], 31), (ids[1], 29)] {
        help_request::Entity::update_many()
            .col_expr(
                help_request::Column::UpdatedAt,
                Expr::value(time::OffsetDateTime::now_utc() - time::Duration::days(days)),
            )
            .filter(help_request::Column::Id.eq(id))
            .exec(app.db.conn())
            .await
            .unwrap();
    }
    let swept = jobs::sweep(
        &app.db,
        time::OffsetDateTime::now_utc(),
        time::Duration::hours(48),
    )
    .await
    .unwrap();
    assert_eq!(swept.phones_erased, 1);
    let board: Vec<HelpRequestDto> =
        call(&app, Method::GET, "/api/v1/manager/help-requests", m, None)
            .await
            .json()
            .await
            .unwrap();
    let caller = |id: Uuid| board.iter().find(|r| r.id == id).unwrap().caller.clone();
    assert!(caller(ids[0]).is_none(), "erased after 30 days");
    assert_eq!(caller(ids[1]).unwrap().phone, "0351 123456");
}

/// A verified volunteer with their own offer.
async fn volunteer(
    app: &TestApp,
    w: &World,
    email: &str,
    home: Uuid,
    body: Value,
) -> (Uuid, String) {
    let id = person(
        app,
        email,
        Some(home),
        &[(shared::Role::Volunteer, None, None)],
    )
    .await;
    let token = quartier::auth::jwt::JwtKeys::new("test-secret-test-secret-test-secret-0123")
        .issue(id)
        .unwrap();
    ok(200)(
        call(app, Method::PUT, "/api/v1/me/offer", &token, Some(body))
            .await
            .status(),
    );
    ok(200)(
        call(
            app,
            Method::PUT,
            &format!("/api/v1/manager/volunteers/{id}/verification"),
            &w.tokens.manager,
            Some(json!({})),
        )
        .await
        .status(),
    );
    (id, token)
}

#[tokio::test]
async fn the_batch_proposal_beats_greedy_and_proposes_each_pair_once() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let day1 = time::OffsetDateTime::now_utc().date() + time::Duration::days(7);
    let day2 = day1 + time::Duration::days(1);
    let weekday = |d: time::Date| d.weekday().to_string().to_lowercase();
    // Anna lives in the quarter and can do both, but only one task a week; Bernd lives
    // in the next quarter and only shops.
    let mut anna = offer(&[w.q1]);
    anna["max_tasks_per_week"] = json!(1);
    anna["availability"] = json!([
        {"weekday": weekday(day1), "from_minute": 540, "to_minute": 720},
        {"weekday": weekday(day2), "from_minute": 540, "to_minute": 720}
    ]);
    let (anna, _) = volunteer(&app, &w, "anna@example.de", w.q1, anna).await;
    let mut bernd = offer(&[w.q1]);
    bernd["categories"] = json!(["shopping"]);
    bernd["availability"] =
        json!([{"weekday": weekday(day1), "from_minute": 540, "to_minute": 720}]);
    let (bernd, _) = volunteer(&app, &w, "bernd@example.de", w.q2, bernd).await;
    // Shopping on day 1 (first in line), a visit on day 2.
    let shopping = ask(&app, &w, &day1.to_string()).await;
    let visit = Uuid::new_v4();
    let mut body = request(visit, &day2.to_string());
    body["category"] = json!("visit");
    ok(200)(
        call(
            &app,
            Method::POST,
            "/api/v1/help/requests",
            &w.tokens.resident,
            Some(body),
        )
        .await
        .status(),
    );

    let response = call(
        &app,
        Method::GET,
        "/api/v1/manager/help-requests/batch",
        &w.tokens.manager,
        None,
    )
    .await;
    ok(200)(response.status());
    let proposal: BatchProposalDto = response.json().await.unwrap();
    // Greedy gives the shopping to Anna, the best for it, and the visit finds nobody.
    assert_eq!(proposal.greedy_pairs, 1);
    let pairs: Vec<(Uuid, Uuid)> = proposal
        .pairs
        .iter()
        .map(|p| (p.request.id, p.volunteer_id))
        .collect();
    assert_eq!(pairs.len(), 2, "{pairs:?}");
    assert!(pairs.contains(&(shopping, bernd)) && pairs.contains(&(visit, anna)));
    assert!(
        proposal.total_score > proposal.greedy_score,
        "{} vs greedy {}",
        proposal.total_score,
        proposal.greedy_score
    );
    assert!(proposal.unmatched.is_empty());
    assert!(proposal.pairs.iter().all(|p| !p.reasons.is_empty()));

    // Another organisation's admin, a resident and a volunteer get nothing of it.
    ok(404)(
        call(
            &app,
            Method::GET,
            &format!("/api/v1/manager/help-requests/batch?quarter_id={}", w.q1),
            &w.tokens.admin_b,
            None,
        )
        .await
        .status(),
    );
    let theirs: BatchProposalDto = call(
        &app,
        Method::GET,
        "/api/v1/manager/help-requests/batch",
        &w.tokens.admin_b,
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(theirs.pairs.is_empty() && theirs.unmatched.is_empty());
    for token in [&w.tokens.resident, &w.tokens.volunteer] {
        ok(403)(
            call(
                &app,
                Method::GET,
                "/api/v1/manager/help-requests/batch",
                token,
                None,
            )
            .await
            .status(),
        );
    }

    let apply = json!({"pairs": pairs.iter().map(|(r, v)| json!({"request_id": r, "volunteer_id": v})).collect::<Vec<_>>()});
    let response = call(
        &app,
        Method::POST,
        "/api/v1/manager/help-requests/batch",
        &w.tokens.admin_b,
        Some(apply.clone()),
    )
    .await;
    ok(200)(response.status());
    let foreign: ApplyBatchDto = response.json().await.unwrap();
    assert!(
        foreign.proposed.is_empty(),
        "not their quarter: {foreign:?}"
    );
    let response = call(
        &app,
        Method::POST,
        "/api/v1/manager/help-requests/batch",
        &w.tokens.manager,
        Some(apply.clone()),
    )
    .await;
    ok(200)(response.status());
    let applied: ApplyBatchDto = response.json().await.unwrap();
    assert_eq!(applied.proposed.len(), 2);
    assert!(applied.skipped.is_empty());
    let again: ApplyBatchDto = call(
        &app,
        Method::POST,
        "/api/v1/manager/help-requests/batch",
        &w.tokens.manager,
        Some(apply),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(again.skipped.len(), 2, "proposed once: {again:?}");
    let board: Vec<HelpRequestDto> = call(
        &app,
        Method::GET,
        "/api/v1/manager/help-requests",
        &w.tokens.manager,
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let helper = |id: Uuid| {
        board
            .iter()
            .find(|r| r.id == id)
            .unwrap()
            .volunteer
            .clone()
            .unwrap()
            .user_id
    };
    assert_eq!((helper(shopping), helper(visit)), (bernd, anna));
}

async fn my_requests(app: &TestApp, token: &str) -> Vec<HelpRequestDto> {
    call(app, Method::GET, "/api/v1/me/help-requests", token, None)
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn weekly_shopping_is_asked_once_and_stored_as_one_request_a_week() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (date, _) = next_week();
    let r = &w.tokens.resident;
    let id = Uuid::new_v4();
    let mut body = request(id, &date);
    body["weeks"] = json!(4);
    for _ in 0..2 {
        // Sent twice (a lost answer): stored once.
        let response = call(
            &app,
            Method::POST,
            "/api/v1/help/requests",
            r,
            Some(body.clone()),
        )
        .await;
        ok(200)(response.status());
        let first: HelpRequestDto = response.json().await.unwrap();
        assert_eq!(first.id, id);
        assert_eq!(
            first.series,
            Some(shared::help::SeriesDto { week: 1, weeks: 4 })
        );
    }
    let mut list = my_requests(&app, r).await;
    list.sort_by_key(|r| r.series.map(|s| s.week));
    assert_eq!(list.len(), 4);
    let first =
        time::Date::parse(&date, &time::format_description::well_known::Iso8601::DATE).unwrap();
    for (n, request) in list.iter().enumerate() {
        let n8 = u8::try_from(n).unwrap();
        assert_eq!(
            request.series,
            Some(shared::help::SeriesDto {
                week: n8 + 1,
                weeks: 4
            })
        );
        let expected = (first + time::Duration::weeks(i64::from(n8))).to_string();
        assert!(
            matches!(&request.when, shared::help::HelpWindow::At { date, from_minute: 600, to_minute: 660 } if *date == expected),
            "week {}: {:?}",
            n + 1,
            request.when
        );
    }

    // Each week stands alone: withdrawing the second leaves the others open.
    ok(200)(
        step(&app, list[1].id, r, json!({"action": "cancel"}))
            .await
            .status(),
    );
    let statuses: Vec<_> = {
        let mut list = my_requests(&app, r).await;
        list.sort_by_key(|r| r.series.map(|s| s.week));
        list.into_iter().map(|r| r.status).collect()
    };
    use shared::help::HelpStatus::{Cancelled, Open};
    assert_eq!(statuses, vec![Open, Cancelled, Open, Open]);

    // Out of range: refused, nothing stored.
    for weeks in [0, 13] {
        let mut body = request(Uuid::new_v4(), &date);
        body["weeks"] = json!(weeks);
        let response = call(&app, Method::POST, "/api/v1/help/requests", r, Some(body)).await;
        ok(400)(response.status());
        let problem = crate::helpers::problem(response).await;
        assert_eq!(problem.errors[0].field, "weeks");
    }
    assert_eq!(my_requests(&app, r).await.len(), 4);
}
