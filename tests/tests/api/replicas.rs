//! Several replicas of the service sharing one database.

use std::time::{Duration, Instant};

use api::cache::Stale;
use entity::Role;
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, TransactionTrait};
use serde_json::{Value, json};
use tests::{TestApp, TestUser, spawn_app, spawn_replicas_together, testing_postgres};

use crate::lessons::published_lesson;

/// Two replicas started at once on an empty database both come up and serve,
/// and the reference data is loaded once: the migrations and the seed of the
/// reference data run under one lock. Several rounds, because a race shows
/// only some of the time. PostgreSQL only: replicas share a PostgreSQL
/// database, while an embedded SQLite file belongs to one process.
#[tokio::test]
async fn two_replicas_started_together_on_an_empty_database_both_serve() {
    if !testing_postgres() {
        return;
    }
    for round in 0..4 {
        let mut started = spawn_replicas_together(2).await;
        let failures: Vec<String> =
            started.iter().filter_map(|r| r.as_ref().err()).map(|e| format!("{e:#}")).collect();
        assert!(failures.is_empty(), "round {round}: a replica did not start: {failures:?}");
        let apps: Vec<_> = started.drain(..).map(Result::unwrap).collect();
        let mut totals = Vec::new();
        for app in &apps {
            assert_eq!(app.health_ready().await.status(), StatusCode::OK, "round {round}");
            let lessons: Value = app.get("/api/v1/lessons?limit=100").await.json().await.unwrap();
            let items = lessons["items"].as_array().expect("a list of lessons");
            let mut slugs: Vec<&str> = items.iter().filter_map(|l| l["slug"].as_str()).collect();
            slugs.sort_unstable();
            let count = slugs.len();
            slugs.dedup();
            assert_eq!(slugs.len(), count, "round {round}: a starter lesson was loaded twice");
            totals.push(count);
        }
        assert!(totals[0] > 0, "round {round}: the starter lessons are missing");
        assert_eq!(totals[0], totals[1], "round {round}: the replicas disagree");
        // The owner of the database goes last.
        let mut apps = apps;
        let owner = apps.remove(0);
        drop(apps);
        drop(owner);
    }
}

/// Two replicas on one PostgreSQL database, both listening for the other's
/// stale-cache notices (`None` on SQLite, whose file belongs to one process).
async fn two_listening_replicas() -> Option<(TestApp, TestApp)> {
    if !testing_postgres() {
        return None;
    }
    let a = spawn_app().await;
    let b = a.replica(|_| {}).await;
    listeners_connected(&a, 2).await;
    Some((a, b))
}

/// Waits (at most 5 s) until `count` stale-cache listeners are connected to the database.
async fn listeners_connected(app: &TestApp, count: i64) {
    let query = Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
         AND application_name = $1 AND query ILIKE 'LISTEN%'",
        [api::cache_listener::APPLICATION_NAME.into()],
    );
    for _ in 0..100 {
        let row = app.db.query_one_raw(query.clone()).await.unwrap().unwrap();
        if row.try_get::<i64>("", "n").unwrap() == count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{count} stale-cache listeners did not connect");
}

/// How long `check` takes to hold, polled every 20 ms; `None` after `limit`.
async fn time_until<F: Future<Output = bool>>(
    limit: Duration,
    mut check: impl FnMut() -> F,
) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if check().await {
            return Some(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

async fn status_of_me(app: &TestApp, member: &TestUser) -> StatusCode {
    app.get_as(member, "/api/v1/me").await.status()
}

/// Disables an account in the database without going through the service,
/// so no replica hears of it.
async fn disable_silently(app: &TestApp, member: &TestUser) {
    app.db
        .execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "UPDATE users SET disabled_at = now() WHERE id = $1",
            [member.id.into()],
        ))
        .await
        .unwrap();
}

/// An admin disables an account through replica A; replica B, which had the
/// account cached (and would keep it `USER_CACHE_TTL`, 5 s), refuses its
/// token within 1 s.
#[tokio::test]
async fn an_account_disabled_through_one_replica_is_refused_by_the_other_within_a_second() {
    let Some((a, b)) = two_listening_replicas().await else { return };
    let admin = a.user_with_role("Admin", Role::Admin).await;
    let member = a.member("Nadia").await;
    assert_eq!(status_of_me(&b, &member).await, StatusCode::OK, "B caches the account");

    let disabled = a
        .send_as(
            &admin,
            Method::PATCH,
            &format!("/api/v1/users/{}", member.id),
            Some(&json!({"disabled": true})),
        )
        .await;
    assert_eq!(disabled.status(), StatusCode::OK);

    let refused = time_until(Duration::from_secs(1), || async {
        status_of_me(&b, &member).await == StatusCode::UNAUTHORIZED
    })
    .await;
    assert!(refused.is_some(), "replica B still accepts the disabled account after 1 s");
    drop(b);
}

/// An author edits a published lesson through replica A; replica B, which
/// served (and cached for `LESSON_CACHE_TTL`, 10 s) the previous version,
/// serves the new one within 1 s.
#[tokio::test]
async fn a_lesson_edited_through_one_replica_is_served_new_by_the_other_within_a_second() {
    let Some((a, b)) = two_listening_replicas().await else { return };
    let author = a.user_with_role("Autrice", Role::Facilitator).await;
    let lesson = published_lesson(&a, &author).await;
    let title_on_b = || async {
        let detail: Value = b.get(&format!("/api/v1/lessons/{lesson}")).await.json().await.unwrap();
        detail["title"].as_str().unwrap_or_default().to_owned()
    };
    assert_eq!(title_on_b().await, "Les mots de passe", "B caches the published version");

    let edited = a
        .send_as(
            &author,
            Method::PATCH,
            &format!("/api/v1/lessons/{lesson}"),
            Some(&json!({"title": "Mots de passe solides"})),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);

    let served =
        time_until(Duration::from_secs(1), || async { title_on_b().await == "Mots de passe solides" }).await;
    assert!(served.is_some(), "replica B still serves the previous version after 1 s");
    drop(b);
}

/// A notice is sent in the transaction of the change: when the change rolls
/// back, no replica hears it; when it commits, they do. The account is
/// disabled behind the service's back first, so that B dropping its cached
/// copy shows as a refusal.
#[tokio::test]
async fn a_rolled_back_change_notifies_no_replica() {
    let Some((a, b)) = two_listening_replicas().await else { return };
    let member = a.member("Karim").await;
    assert_eq!(status_of_me(&b, &member).await, StatusCode::OK, "B caches the account");
    disable_silently(&a, &member).await;

    let txn = a.db.begin().await.unwrap();
    api::cache::announce(&txn, Stale::User(member.id)).await.unwrap();
    txn.rollback().await.unwrap();
    let heard = time_until(Duration::from_millis(700), || async {
        status_of_me(&b, &member).await != StatusCode::OK
    })
    .await;
    assert_eq!(heard, None, "a rolled-back change was heard by replica B");

    let txn = a.db.begin().await.unwrap();
    api::cache::announce(&txn, Stale::User(member.id)).await.unwrap();
    txn.commit().await.unwrap();
    let heard = time_until(Duration::from_secs(1), || async {
        status_of_me(&b, &member).await == StatusCode::UNAUTHORIZED
    })
    .await;
    assert!(heard.is_some(), "a committed change was not heard by replica B");
    drop(b);
}

/// When its listening connection is killed, a replica reconnects and drops
/// every cached copy (it may have missed notices meanwhile), then hears
/// notices again.
#[tokio::test]
async fn a_replica_whose_listener_is_killed_drops_its_caches_and_listens_again() {
    let Some((a, b)) = two_listening_replicas().await else { return };
    let admin = a.user_with_role("Admin", Role::Admin).await;
    let missed = a.member("Sofiane").await;
    assert_eq!(status_of_me(&b, &missed).await, StatusCode::OK, "B caches the account");
    disable_silently(&a, &missed).await;

    a.db.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = $1",
        [api::cache_listener::APPLICATION_NAME.into()],
    ))
    .await
    .unwrap();
    let dropped = time_until(Duration::from_secs(1), || async {
        status_of_me(&b, &missed).await == StatusCode::UNAUTHORIZED
    })
    .await;
    assert!(dropped.is_some(), "replica B kept its cached copies after losing its listener");

    listeners_connected(&a, 2).await;
    let member = a.member("Lina").await;
    assert_eq!(status_of_me(&b, &member).await, StatusCode::OK, "B caches the account");
    let disabled = a
        .send_as(
            &admin,
            Method::PATCH,
            &format!("/api/v1/users/{}", member.id),
            Some(&json!({"disabled": true})),
        )
        .await;
    assert_eq!(disabled.status(), StatusCode::OK);
    let refused = time_until(Duration::from_secs(1), || async {
        status_of_me(&b, &member).await == StatusCode::UNAUTHORIZED
    })
    .await;
    assert!(refused.is_some(), "replica B no longer hears notices after reconnecting");
    drop(b);
}
