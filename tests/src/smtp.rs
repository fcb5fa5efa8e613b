//! A real SMTP listener on 127.0.0.1 for tests: it speaks enough of RFC 5321
//! for a client such as `lettre` (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT),
//! keeps what it receives, and can refuse on demand.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One message handed over with DATA, accepted or not.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    /// The raw message (headers and body), dot-stuffing undone.
    pub data: String,
    /// Whether the listener answered 250 to it.
    pub accepted: bool,
}

impl ReceivedMail {
    /// The value of the first header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_lowercase());
        self.data
            .lines()
            .take_while(|line| !line.is_empty())
            .find(|line| line.to_lowercase().starts_with(&prefix))
            .map(|line| line[prefix.len()..].trim().to_owned())
    }

    /// The message as text, quoted-printable soft breaks and escapes undone,
    /// so that a link can be searched for.
    pub fn decoded(&self) -> String {
        let unfolded = self.data.replace("=\r\n", "");
        let bytes = unfolded.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let escaped = (bytes[i] == b'=' && i + 2 < bytes.len())
                .then(|| std::str::from_utf8(&bytes[i + 1..i + 3]).ok())
                .flatten()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok());
            if let Some(byte) = escaped {
                out.push(byte);
                i += 3;
                continue;
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

#[derive(Default)]
struct Shared {
    received: Mutex<Vec<ReceivedMail>>,
    /// DATA commands still to answer with a transient 451.
    refuse_next: AtomicUsize,
}

/// A running listener; it stops with the test's runtime.
pub struct SmtpServer {
    /// `smtp://127.0.0.1:<port>`, for `TREMPLIN_SMTP_URL`.
    pub url: String,
    shared: Arc<Shared>,
}

/// Recipients containing this are refused for good (550), as a relay refuses
/// an unknown mailbox.
pub const REFUSED_RECIPIENT_MARK: &str = "refused";

impl SmtpServer {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("smtp://{}", listener.local_addr().unwrap());
        let shared = Arc::new(Shared::default());
        let accepting = shared.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, accepting.clone()));
            }
        });
        SmtpServer { url, shared }
    }

    /// Answers the next `count` messages with `451` (try again later).
    pub fn refuse_next(&self, count: usize) {
        self.shared.refuse_next.store(count, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<ReceivedMail> {
        self.shared.received.lock().unwrap().clone()
    }

    /// The accepted messages, once there are at least `count` (panics after 10 s).
    pub async fn wait_for_accepted(&self, count: usize) -> Vec<ReceivedMail> {
        for _ in 0..200 {
            let accepted: Vec<_> = self.received().into_iter().filter(|m| m.accepted).collect();
            if accepted.len() >= count {
                return accepted;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the SMTP listener did not receive {count} messages in time: {:?}", self.received());
    }
}

async fn session(stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 tremplin-test ESMTP\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let verb = command.split_whitespace().next().unwrap_or("").to_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250-tremplin-test\r\n250 8BITMIME\r\n",
            "MAIL" => {
                from = address_of(&command);
                to.clear();
                b"250 OK\r\n"
            }
            "RCPT" => {
                let recipient = address_of(&command);
                if recipient.contains(REFUSED_RECIPIENT_MARK) {
                    b"550 5.1.1 no such mailbox\r\n"
                } else {
                    to.push(recipient);
                    b"250 OK\r\n"
                }
            }
            "DATA" => {
                write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                let refuse = shared
                    .refuse_next
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
                let mail = ReceivedMail { from: from.clone(), to: to.clone(), data, accepted: !refuse };
                shared.received.lock().unwrap().push(mail);
                if refuse { b"451 4.3.0 try again later\r\n" } else { b"250 OK queued\r\n" }
            }
            "RSET" | "NOOP" => b"250 OK\r\n",
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 command not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}

/// `MAIL FROM:<a@b> SIZE=12` → `a@b`.
fn address_of(command: &str) -> String {
    let start = command.find('<').map_or(0, |i| i + 1);
    let end = command[start..].find('>').map_or(command.len(), |i| start + i);
    command[start..end].to_owned()
}
