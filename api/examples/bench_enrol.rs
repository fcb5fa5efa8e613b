//! Measures enrolments per second against a running Tremplin (see
//! `bench/extra.sh`): real enrolments, each one a new (member, session) pair,
//! which a fixed-body load generator cannot send. An admin enrols the seeded
//! bench members (`{"member_id": ...}`), which takes the same seat lock and
//! writes the same rows as a member enrolling themself.
//!
//! BENCH_MODE=one: every request goes to one fresh session of 20 seats (20
//! confirmed, then an ever longer waiting list): all writers contend for one
//! lock. BENCH_MODE=many: requests spread over the seeded first-module
//! sessions. Prints one markdown row for the benchmark table:
//! `| db | name | req/s | p50 ms | p99 ms | non-2xx | peak RSS MiB |`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use api::accounts::domain::{DisplayName, Email, Password};
use api::config::Settings;
use chrono::Utc;
use entity::workshop::{self, WorkshopStatus};
use entity::{Role, program_module, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

const ADMIN_EMAIL: &str = "bench-admin@example.org";
const ADMIN_PASSWORD: &str = "bench admin password";
const CONTENDED_LOCATION: &str = "Banc d'essai";

fn var(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let db = api::startup::migrated_database(&settings).await?;
    let base = var("BENCH_BASE_URL", "http://127.0.0.1:8080");
    let mode = var("BENCH_MODE", "one");
    let seconds: f64 = var("BENCH_DURATION", "10s").trim_end_matches('s').parse()?;
    let concurrency: usize = var("BENCH_CONCURRENCY", "16").parse()?;

    if user::Entity::find().filter(user::Column::Email.eq(ADMIN_EMAIL)).one(&db).await?.is_none() {
        let admin = api::accounts::service::NewUser {
            email: Some(Email::parse(ADMIN_EMAIL).map_err(|e| anyhow::anyhow!("{e:?}"))?),
            phone: None,
            temporary: false,
            password: Password::parse(ADMIN_PASSWORD.into()).map_err(|e| anyhow::anyhow!("{e:?}"))?,
            display_name: DisplayName::parse("Admin du banc").map_err(|e| anyhow::anyhow!("{e:?}"))?,
            role: Role::Admin,
            locale: None,
        };
        api::accounts::service::create_user(&db, &settings.mail, admin)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    api::webhooks::dispatcher::install_tls_provider();
    let client = reqwest::Client::new();
    let login: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let token = login["access_token"].as_str().ok_or_else(|| anyhow::anyhow!("no token"))?.to_owned();

    let members: Vec<Uuid> = user::Entity::find()
        .filter(user::Column::Email.starts_with("bench-member-"))
        .order_by_asc(user::Column::Id)
        .all(&db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let first = program_module::Entity::find()
        .order_by_asc(program_module::Column::Position)
        .one(&db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the programme is not seeded"))?;
    let workshops: Vec<Uuid> = if mode == "one" {
        let admin = user::Entity::find()
            .filter(user::Column::Email.eq(ADMIN_EMAIL))
            .one(&db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no admin"))?;
        let now = Utc::now();
        let starts_at = now + chrono::Duration::days(30);
        let session = workshop::ActiveModel {
            id: Set(Uuid::now_v7()),
            module_id: Set(first.id),
            facilitator_id: Set(admin.id),
            title: Set("Séance disputée".into()),
            description: Set(None),
            starts_at: Set(starts_at),
            ends_at: Set(starts_at + chrono::Duration::hours(2)),
            location: Set(CONTENDED_LOCATION.into()),
            place_id: Set(None),
            capacity: Set(20),
            cancellation_deadline_hours: Set(24),
            status: Set(WorkshopStatus::Scheduled),
            sequence: Set(0),
            cancelled_at: Set(None),
            cancel_reason: Set(None),
            created_by: Set(admin.id),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&db)
        .await?;
        vec![session.id]
    } else {
        workshop::Entity::find()
            .filter(workshop::Column::ModuleId.eq(first.id))
            .filter(workshop::Column::StartsAt.gt(Utc::now()))
            .filter(workshop::Column::Status.eq(WorkshopStatus::Scheduled))
            // Not the contended sessions of earlier `one` runs: their members
            // would be enrolled twice.
            .filter(workshop::Column::Location.ne(CONTENDED_LOCATION))
            .all(&db)
            .await?
            .into_iter()
            .map(|w| w.id)
            .collect()
    };
    db.close().await?;
    anyhow::ensure!(!members.is_empty() && !workshops.is_empty(), "run bench_seed first");

    // Pair n is (member n, session n mod W): all pairs differ until the
    // members run out (one session) or far later (many sessions).
    let limit = if workshops.len() == 1 { members.len() } else { usize::MAX };
    let next = Arc::new(AtomicUsize::new(0));
    let members = Arc::new(members);
    let workshops = Arc::new(workshops);
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, token, base) = (client.clone(), token.clone(), base.clone());
            let (next, members, workshops) = (next.clone(), members.clone(), workshops.clone());
            tokio::spawn(async move {
                let mut samples: Vec<(u16, Duration)> = Vec::new();
                while Instant::now() < deadline {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= limit {
                        break;
                    }
                    let member = members[n % members.len()];
                    let session = workshops[n % workshops.len()];
                    let sent = Instant::now();
                    let status = client
                        .post(format!("{base}/api/v1/workshops/{session}/enrolments"))
                        .bearer_auth(&token)
                        .json(&serde_json::json!({"member_id": member}))
                        .send()
                        .await
                        .map(|r| r.status().as_u16())
                        .unwrap_or(0);
                    samples.push((status, sent.elapsed()));
                }
                samples
            })
        })
        .collect();
    let mut samples = Vec::new();
    for task in tasks {
        samples.extend(task.await?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut latencies: Vec<Duration> = samples.iter().map(|(_, d)| *d).collect();
    latencies.sort();
    let percentile = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let created = samples.iter().filter(|(s, _)| *s == 201).count();
    let other = samples.len() - created;
    let rss = std::env::var("BENCH_SERVER_PID")
        .ok()
        .and_then(|pid| std::fs::read_to_string(format!("/proc/{pid}/status")).ok())
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(String::new(), |kib| format!("{:.1}", kib / 1024.0));
    let name = if mode == "one" { "enrol_one_session" } else { "enrol_many_sessions" };
    let mut statuses: std::collections::BTreeMap<u16, usize> = std::collections::BTreeMap::new();
    for (status, _) in &samples {
        *statuses.entry(*status).or_default() += 1;
    }
    eprintln!(
        "bench_enrol: {mode}: {} enrolments in {elapsed:.1}s over {} session(s), statuses {statuses:?} (0: transport error)",
        samples.len(),
        workshops.len()
    );
    println!(
        "| {} | {name} | {:.1} | {:.2} | {:.2} | {other} | {rss} |",
        var("BENCH_DB", "?"),
        samples.len() as f64 / elapsed,
        percentile(0.5),
        percentile(0.99),
    );
    Ok(())
}
