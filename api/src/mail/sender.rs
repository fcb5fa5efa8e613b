//! The sender task: claims due messages from the outbox and delivers them
//! over SMTP with `lettre`, in every replica.

use std::time::Duration;

use entity::outbound_message;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::{DatabaseConnection, DbErr};

use super::outbox::{self, Delivery};
use crate::config::{MailSettings, mask_password};

/// One SMTP delivery (connect, TLS, send) gives up after this long.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// Messages claimed at once by one sender.
const BATCH: u64 = 20;

/// A configured relay and the sender address.
pub struct Sender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Sender {
    /// The sender of these settings, or `None` when mail is not configured.
    pub fn new(settings: &MailSettings) -> anyhow::Result<Option<Self>> {
        let Some(url) = &settings.smtp_url else { return Ok(None) };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
            .map_err(|error| anyhow::anyhow!("TREMPLIN_SMTP_URL={}: {error}", mask_password(url.expose())))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Some(Sender { transport, from: settings.from.clone() }))
    }

    /// The mail of an outbox row. Its `Message-ID` comes from the row's id, so
    /// every try of one message is the same message to the recipient's server.
    fn message(&self, row: &outbound_message::Model) -> Result<Message, String> {
        let to: Mailbox =
            row.recipient.parse().map_err(|_| format!("invalid recipient {:?}", row.recipient))?;
        Message::builder()
            .message_id(Some(format!("<{}@{}>", row.id, self.from.email.domain())))
            .from(self.from.clone())
            .to(to)
            .subject(row.subject.clone())
            .multipart(MultiPart::alternative_plain_html(row.body_text.clone(), row.body_html.clone()))
            .map_err(|error| error.to_string())
    }

    async fn deliver(&self, row: &outbound_message::Model) -> Delivery {
        let message = match self.message(row) {
            Ok(message) => message,
            Err(error) => return Delivery::Permanent(error),
        };
        match self.transport.send(message).await {
            Ok(_) => Delivery::Sent,
            Err(error) if error.is_permanent() => Delivery::Permanent(error.to_string()),
            Err(error) => Delivery::Transient(error.to_string()),
        }
    }
}

/// Delivers what is due now; returns how many messages were tried.
pub async fn deliver_due(db: &DatabaseConnection, sender: &Sender) -> Result<usize, DbErr> {
    let claimed = outbox::claim(db, BATCH).await?;
    for row in &claimed {
        let delivery = sender.deliver(row).await;
        if let Delivery::Transient(error) | Delivery::Permanent(error) = &delivery {
            tracing::warn!(message_id = %row.id, attempts = row.attempts, %error, "mail delivery failed");
        }
        outbox::record(db, row, delivery).await?;
    }
    Ok(claimed.len())
}

/// Starts the sender task when mail is configured; says once when it is not.
pub fn start(db: DatabaseConnection, settings: &MailSettings) -> anyhow::Result<()> {
    match Sender::new(settings)? {
        None => {
            tracing::info!("mail is not configured (TREMPLIN_SMTP_URL is not set): mails wait in the outbox")
        }
        Some(sender) => {
            tokio::spawn(run_periodically(db, sender, settings.poll_interval));
        }
    }
    Ok(())
}

async fn run_periodically(db: DatabaseConnection, sender: Sender, every: Duration) {
    crate::periodic::every("mail sender", Duration::ZERO, every, || async {
        // A full batch means more may be due: go on at once.
        let mut tried = 0;
        loop {
            let batch = deliver_due(&db, &sender).await?;
            tried += batch;
            if batch as u64 != BATCH {
                return Ok::<usize, DbErr>(tried);
            }
        }
    })
    .await
}
