//! The mail outbox through a real SMTP listener: delivery, one Message-ID
//! across retries, backoff, permanent refusals, nothing sent without a relay,
//! two replicas sending each message exactly once, and the admin view.

use std::collections::BTreeMap;
use std::time::Duration;

use api::config::{Settings, SmtpUrl};
use api::mail::outbox::{self, Content};
use chrono::Utc;
use entity::Role;
use entity::outbound_message::{self, MessageStatus};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::Value;
use tests::smtp::{REFUSED_RECIPIENT_MARK, SmtpServer};
use tests::{TestApp, assert_problem, spawn_app, spawn_app_with};
use uuid::Uuid;

fn sending_to(smtp: &SmtpServer) -> impl FnOnce(&mut Settings) + use<> {
    let url = SmtpUrl::parse(&smtp.url).unwrap();
    move |settings: &mut Settings| {
        settings.mail.smtp_url = Some(url);
        settings.mail.poll_interval = Duration::from_millis(50);
    }
}

fn content(n: usize) -> Content {
    Content {
        subject: format!("Message {n}"),
        text: format!("Bonjour, voici le message {n}."),
        html: format!("<p>Bonjour, voici le message {n}.</p>"),
    }
}

async fn stored(app: &TestApp, id: Uuid) -> outbound_message::Model {
    outbound_message::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap()
}

/// Waits until the message is in `status` with `attempts` tries (10 s at most).
async fn settled(app: &TestApp, id: Uuid, status: MessageStatus, attempts: i16) -> outbound_message::Model {
    for _ in 0..200 {
        let row = stored(app, id).await;
        if row.status == status && row.attempts == attempts && row.lease_until.is_none() {
            return row;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("message {id} never reached {status:?} after {attempts} tries: {:?}", stored(app, id).await);
}

#[tokio::test]
async fn a_mail_is_delivered_and_a_retry_is_the_same_message() {
    let smtp = SmtpServer::start().await;
    smtp.refuse_next(1);
    let app = spawn_app_with(sending_to(&smtp), |_| {}).await;
    let id = outbox::enqueue(&app.db, "test", None, "amina@example.org", content(1)).await.unwrap();

    // The relay says "try again later": the message waits for its backoff.
    let waiting = settled(&app, id, MessageStatus::Pending, 1).await;
    assert!(waiting.last_error.as_deref().unwrap_or_default().contains("451"), "{waiting:?}");
    let backoff = waiting.next_attempt_at - Utc::now();
    assert!(backoff > chrono::Duration::seconds(20) && backoff <= outbox::retry_after(1), "{backoff}");
    assert_eq!(waiting.body_text, "Bonjour, voici le message 1.", "kept for the next try");

    // Due now: the next try is accepted.
    let mut due: outbound_message::ActiveModel = waiting.into();
    due.next_attempt_at = Set(Utc::now());
    due.update(&app.db).await.unwrap();
    let sent = settled(&app, id, MessageStatus::Sent, 2).await;
    assert!(sent.sent_at.is_some());
    assert!(
        sent.body_text.is_empty() && sent.body_html.is_empty(),
        "single-use links are not kept once sent"
    );

    let tries = smtp.received();
    assert_eq!(tries.len(), 2, "{tries:?}");
    let expected_id = format!("<{id}@tremplin.localhost>");
    for mail in &tries {
        assert_eq!(mail.header("Message-ID").as_deref(), Some(expected_id.as_str()));
        assert_eq!(mail.to, ["amina@example.org"]);
        assert_eq!(mail.from, "no-reply@tremplin.localhost");
        assert_eq!(mail.header("Subject").as_deref(), Some("Message 1"));
        let decoded = mail.decoded();
        assert!(decoded.contains("Bonjour, voici le message 1.") && decoded.contains("<p>"), "{decoded}");
    }
    assert!(!tries[0].accepted && tries[1].accepted);
}

#[tokio::test]
async fn a_refused_mailbox_fails_at_once_and_nothing_is_retried() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(sending_to(&smtp), |_| {}).await;
    let recipient = format!("{REFUSED_RECIPIENT_MARK}@example.org");
    let id = outbox::enqueue(&app.db, "test", None, &recipient, content(1)).await.unwrap();
    let failed = settled(&app, id, MessageStatus::Failed, 1).await;
    assert!(failed.last_error.as_deref().unwrap_or_default().contains("550"), "{failed:?}");
    assert!(failed.body_text.is_empty());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(stored(&app, id).await.attempts, 1);
}

#[tokio::test]
async fn without_a_relay_mails_wait_in_the_outbox() {
    let app = spawn_app().await;
    let id = outbox::enqueue(&app.db, "test", None, "amina@example.org", content(1)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let row = stored(&app, id).await;
    assert_eq!((row.status, row.attempts), (MessageStatus::Pending, 0));
}

#[tokio::test]
async fn two_replicas_send_each_message_exactly_once() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(sending_to(&smtp), |_| {}).await;
    let replica = app.replica(sending_to(&smtp)).await;
    let mut ids = Vec::new();
    for n in 0..40 {
        ids.push(
            outbox::enqueue(&app.db, "test", None, &format!("m{n}@example.org"), content(n)).await.unwrap(),
        );
    }
    let accepted = smtp.wait_for_accepted(ids.len()).await;
    // Let any duplicate that was still on its way arrive.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut per_message: BTreeMap<String, usize> = BTreeMap::new();
    for mail in smtp.received() {
        *per_message.entry(mail.header("Message-ID").unwrap()).or_default() += 1;
    }
    assert_eq!(accepted.len(), ids.len());
    assert_eq!(per_message.len(), ids.len());
    assert!(per_message.values().all(|&n| n == 1), "a message was sent twice: {per_message:?}");
    for id in ids {
        let row = stored(&app, id).await;
        assert_eq!((row.status, row.attempts), (MessageStatus::Sent, 1));
    }
    drop(replica);
}

#[tokio::test]
async fn admins_follow_the_outbox_by_status_without_the_bodies() {
    let app = spawn_app().await;
    let admin = app.user_with_role("Admin", Role::Admin).await;
    let member = app.member("Amina").await;
    let pending = outbox::enqueue(&app.db, "test", Some(member.id), &member.email, content(1)).await.unwrap();
    let failed = outbox::enqueue(&app.db, "test", None, "x@example.org", content(2)).await.unwrap();
    let mut row: outbound_message::ActiveModel = stored(&app, failed).await.into();
    row.status = Set(MessageStatus::Failed);
    row.update(&app.db).await.unwrap();

    let all: Value = app.get_as(&admin, "/api/v1/admin/outbound-messages").await.json().await.unwrap();
    let ids: Vec<&str> = all["items"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    // Before them: the two accounts' email verifications.
    assert_eq!(ids[..2], [failed.to_string(), pending.to_string()], "newest first");
    assert_eq!(all["items"][2]["kind"], "email_verification");
    assert!(all["next_cursor"].is_null());
    let raw = all.to_string();
    assert!(!raw.contains("voici le message") && !raw.contains("body"), "bodies are never shown: {raw}");
    assert_eq!(all["items"][1]["user_id"], member.id.to_string());
    assert_eq!(all["items"][1]["status"], "pending");
    let pending_only: Value =
        app.get_as(&admin, "/api/v1/admin/outbound-messages?status=pending").await.json().await.unwrap();
    assert!(pending_only["items"].as_array().unwrap().iter().all(|m| m["status"] == "pending"));

    let only_failed: Value =
        app.get_as(&admin, "/api/v1/admin/outbound-messages?status=failed").await.json().await.unwrap();
    assert_eq!(only_failed["items"].as_array().unwrap().len(), 1);
    assert_eq!(only_failed["items"][0]["id"], failed.to_string());
    let paged: Value =
        app.get_as(&admin, "/api/v1/admin/outbound-messages?limit=1").await.json().await.unwrap();
    assert!(paged["next_cursor"].is_string());

    assert_problem(
        app.get_as(&member, "/api/v1/admin/outbound-messages").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get_as(&admin, "/api/v1/admin/outbound-messages?status=lost").await,
        StatusCode::BAD_REQUEST,
        "malformed_query",
    )
    .await;
}
