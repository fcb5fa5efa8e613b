//! A real HTTP receiver of webhooks on 127.0.0.1 for tests: it keeps every
//! request (headers and body), answers with the status codes it is told
//! (then 200), and verifies Standard Webhooks signatures with an HMAC-SHA256
//! written here from RFC 2104 (not the service's code).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::http::StatusCode;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Delivered {
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Delivered {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or_default()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    /// Whether one of the `webhook-signature` signatures is that of `secret`.
    pub fn signed_by(&self, secret: &str) -> bool {
        let expected = sign(secret, self.header("webhook-id"), self.header("webhook-timestamp"), &self.body);
        self.header("webhook-signature").split(' ').any(|signature| signature == expected)
    }
}

#[derive(Default)]
struct Shared {
    received: Mutex<Vec<Delivered>>,
    answers: Mutex<VecDeque<u16>>,
}

pub struct Receiver {
    /// The URL to register, `http://127.0.0.1:<port>/hook`.
    pub url: String,
    shared: Arc<Shared>,
    handle: ServerHandle,
}

async fn receive(request: HttpRequest, body: web::Bytes, shared: web::Data<Shared>) -> HttpResponse {
    let headers = request
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_lowercase(), value.to_str().unwrap_or_default().to_owned()))
        .collect();
    shared.received.lock().unwrap().push(Delivered { headers, body: body.to_vec() });
    let status = shared.answers.lock().unwrap().pop_front().unwrap_or(200);
    HttpResponse::build(StatusCode::from_u16(status).unwrap()).body("ok")
}

impl Receiver {
    pub async fn start() -> Self {
        let shared = Arc::new(Shared::default());
        let data = web::Data::from(shared.clone());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = HttpServer::new(move || {
            App::new().app_data(data.clone()).route("/hook", web::post().to(receive))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Receiver { url: format!("http://127.0.0.1:{port}/hook"), shared, handle }
    }

    /// The next requests get these status codes, in order; later ones 200.
    pub fn answer_with(&self, statuses: &[u16]) {
        self.shared.answers.lock().unwrap().extend(statuses);
    }

    pub fn received(&self) -> Vec<Delivered> {
        self.shared.received.lock().unwrap().clone()
    }

    /// Waits (up to 10 s) until at least `count` requests came; returns them all.
    pub async fn wait_for(&self, count: usize) -> Vec<Delivered> {
        self.wait_for_within(count, Duration::from_secs(10)).await
    }

    /// Waits up to `limit` until at least `count` requests came; returns them all.
    pub async fn wait_for_within(&self, count: usize, limit: Duration) -> Vec<Delivered> {
        let deadline = tokio::time::Instant::now() + limit;
        while tokio::time::Instant::now() < deadline {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("the receiver got {} requests, not {count}", self.received().len())
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

/// `v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>`, the key being the
/// base64 after `whsec_`.
pub fn sign(secret: &str, id: &str, timestamp: &str, body: &[u8]) -> String {
    let key = STANDARD.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
    let mut message = format!("{id}.{timestamp}.").into_bytes();
    message.extend_from_slice(body);
    format!("v1,{}", STANDARD.encode(hmac_sha256(&key, &message)))
}

/// HMAC (RFC 2104) over SHA-256, whose block is 64 bytes.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|k| k ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(message).finalize();
    Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test vector of the Standard Webhooks reference libraries.
    #[test]
    fn this_hmac_signs_the_standard_webhooks_test_vector() {
        let signature = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            "1614265330",
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }
}
