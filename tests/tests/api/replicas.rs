//! Several replicas of the service sharing one database.

use reqwest::StatusCode;
use serde_json::Value;
use tests::{spawn_replicas_together, testing_postgres};

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
