//! Typed settings, read once from the environment (and `.env`, loaded by `main`).
//!
//! Every variable has a default that works on a laptop with nothing installed;
//! an invalid value stops start-up with one line naming the variable.

use std::net::SocketAddr;
use std::time::Duration;

use ipnet::IpNet;

/// One invalid configuration value: `TREMPLIN_BIND="x": expected host:port`.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {var}={value:?}: {reason}")]
pub struct ConfigError {
    pub var: &'static str,
    pub value: String,
    pub reason: String,
}

/// Where the service runs; production refuses unsafe defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Clone)]
pub struct DatabaseSettings {
    pub url: String,
    pub max_connections: u32,
    pub min_connections: u32,
    pub connect_timeout: Duration,
    pub acquire_timeout: Duration,
    /// SQLite only: how long a connection waits for a lock before SQLITE_BUSY.
    pub sqlite_busy_timeout: Duration,
}

/// Outgoing mail (see `crate::mail`).
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `TREMPLIN_SMTP_URL`; `None` means mail is not configured: messages wait
    /// in the outbox and nothing is sent.
    pub smtp_url: Option<SmtpUrl>,
    /// `TREMPLIN_MAIL_FROM`, e.g. `Tremplin <no-reply@example.org>`.
    pub from: lettre::message::Mailbox,
    /// `TREMPLIN_APP_URL`: the partner front-end's base URL, where the links
    /// of mails lead (`<base>/password-reset?token=...`).
    pub app_url: String,
    /// How often the sender looks for due messages.
    pub poll_interval: Duration,
}

/// Webhook deliveries (see `crate::webhooks`).
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// `TREMPLIN_WEBHOOKS_ALLOW_PRIVATE=true` lets endpoints be plain `http`
    /// and private, loopback or link-local addresses: for development and
    /// tests only — in production it lets anyone who registers a webhook make
    /// the service call its internal network.
    pub allow_private: bool,
    /// How often the dispatcher looks for due deliveries (`TREMPLIN_WEBHOOKS_POLL_INTERVAL_MS`).
    pub poll_interval: Duration,
    /// The wait after the first failed try, growing fourfold after each
    /// (`TREMPLIN_WEBHOOKS_FIRST_RETRY_MS`, default 5 s: ten tries span about a day).
    pub first_retry: Duration,
    /// Tries before a delivery is `failed` (`TREMPLIN_WEBHOOKS_MAX_ATTEMPTS`, default 10).
    pub max_attempts: i16,
}

/// The Open Badges issuer (see `crate::credentials`).
#[derive(Debug, Clone)]
pub struct CredentialSettings {
    /// `TREMPLIN_PUBLIC_URL`: where this API is reached from outside (no
    /// trailing slash). The issuer's id, the achievements' and the status
    /// lists' URLs are under it, so it must stay stable once credentials
    /// are issued.
    pub public_url: String,
    /// `TREMPLIN_CREDENTIAL_KEY`: the PEM RSA private key credentials are
    /// signed with; `None` means a development key generated once and kept
    /// in the database.
    pub key: Option<CredentialKeyPem>,
}

/// A PEM RSA private key (PKCS#1 or PKCS#8), checked when the configuration
/// is read and kept as PKCS#1 DER, the form the JWT signer takes; it never
/// shows in `Debug`.
#[derive(Clone)]
pub struct CredentialKeyPem(Vec<u8>);

impl CredentialKeyPem {
    pub fn parse(value: &str) -> Result<Self, String> {
        // Environment variables often carry the line breaks as a literal `\n`.
        rsa_der(&value.replace("\\n", "\n"))
            .map(CredentialKeyPem)
            .ok_or_else(|| "expected a PEM RSA private key (PKCS#1 or PKCS#8)".into())
    }

    /// The key as PKCS#1 DER.
    pub fn der(&self) -> &[u8] {
        &self.0
    }
}

/// An RSA private key in PEM (PKCS#1 or PKCS#8) as PKCS#1 DER.
pub fn rsa_der(pem: &str) -> Option<Vec<u8>> {
    use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
    use rsa::pkcs8::DecodePrivateKey;
    let key = rsa::PrivateKey::from_pkcs1_pem(pem).or_else(|_| rsa::PrivateKey::from_pkcs8_pem(pem)).ok()?;
    Some(key.to_pkcs1_der().ok()?.as_bytes().to_vec())
}

impl std::fmt::Debug for CredentialKeyPem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CredentialKeyPem(***)")
    }
}

/// An SMTP URL (`smtp://host:port`, `smtps://user:pass@host`,
/// `smtp://host?tls=required`); its password never shows in `Debug`.
#[derive(Clone)]
pub struct SmtpUrl(String);

impl SmtpUrl {
    pub fn parse(value: &str) -> Result<Self, String> {
        if value.starts_with("smtp://") || value.starts_with("smtps://") {
            Ok(SmtpUrl(value.to_owned()))
        } else {
            Err("expected an smtp:// or smtps:// URL".into())
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&mask_password(&self.0))
    }
}

/// The URL without its password: settings may end up in a log line.
impl std::fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &mask_password(&self.url))
            .field("max_connections", &self.max_connections)
            .field("min_connections", &self.min_connections)
            .field("connect_timeout", &self.connect_timeout)
            .field("acquire_timeout", &self.acquire_timeout)
            .field("sqlite_busy_timeout", &self.sqlite_busy_timeout)
            .finish()
    }
}

/// `postgres://user:secret@host/db?password=x` → `postgres://user:***@host/db?password=***`:
/// what may be printed of a URL (database, SMTP), in a log line or an error.
pub fn mask_password(url: &str) -> String {
    const MASK: &str = "***";
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[authority_start..].find('/').map_or(base.len(), |i| authority_start + i);
    let authority = &base[authority_start..authority_end];
    let mut out = base[..authority_start].to_owned();
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            let masked = if userinfo.contains(':') { format!("{user}:{MASK}") } else { user.to_owned() };
            out.push_str(&format!("{masked}@{host}"));
        }
        None => out.push_str(authority),
    }
    out.push_str(&base[authority_end..]);
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}={MASK}"),
                _ => pair.to_owned(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    out
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub environment: Environment,
    pub bind: SocketAddr,
    pub database: DatabaseSettings,
    /// HMAC secret for access tokens; `None` in development means "generate one
    /// at start", so tokens do not survive a restart.
    pub jwt_secret: Option<String>,
    pub cors_origins: Vec<String>,
    pub log_format: LogFormat,
    /// `tracing` filter; `None` lets each command choose (the service logs `info`,
    /// one-shot commands only warnings).
    pub log_filter: Option<String>,
    /// Client networks allowed to read `/metrics`.
    pub metrics_allow: Vec<IpNet>,
    /// Reverse proxies whose `X-Forwarded-For` / `Forwarded` are believed
    /// (`TREMPLIN_TRUSTED_PROXIES`, default none: the TCP peer is the client).
    pub trusted_proxies: Vec<IpNet>,
    pub max_body_bytes: usize,
    pub shutdown_timeout: Duration,
    /// HTTP worker threads; 0 means one per core.
    pub workers: usize,
    /// Failed logins allowed per account within `login_window` (4× per client address).
    pub login_max_failures: u32,
    pub login_window: Duration,
    /// Registrations accepted per client address per hour (`TREMPLIN_REGISTER_PER_HOUR`).
    pub register_per_hour: u32,
    /// Accounts inactive for longer are erased by `tremplin purge`.
    pub retention: Duration,
    /// K of the impact figures: none is computed from fewer people (`TREMPLIN_IMPACT_MIN_GROUP`).
    pub impact_min_group: u32,
    /// A match request the mentor leaves unanswered expires after this long
    /// (`TREMPLIN_MATCH_REQUEST_TTL_DAYS`, default 14).
    pub match_request_ttl: Duration,
    pub mail: MailSettings,
    pub webhooks: WebhookSettings,
    pub credentials: CredentialSettings,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://tremplin.db?mode=rwc";
const MIN_JWT_SECRET_BYTES: usize = 32;

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests can supply their own variables.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env(&lookup);
        let environment = env.parse_with("TREMPLIN_ENV", Environment::Development, |v| match v {
            "development" | "dev" => Ok(Environment::Development),
            "production" | "prod" => Ok(Environment::Production),
            _ => Err("expected development or production".into()),
        })?;
        let jwt_secret = env.get("TREMPLIN_JWT_SECRET");
        match (&jwt_secret, environment) {
            (Some(secret), _) if secret.len() < MIN_JWT_SECRET_BYTES => {
                return Err(ConfigError {
                    var: "TREMPLIN_JWT_SECRET",
                    value: "<hidden>".into(),
                    reason: format!("must be at least {MIN_JWT_SECRET_BYTES} bytes long"),
                });
            }
            (None, Environment::Production) => {
                return Err(ConfigError {
                    var: "TREMPLIN_JWT_SECRET",
                    value: String::new(),
                    reason: "is required when TREMPLIN_ENV=production".into(),
                });
            }
            _ => {}
        }
        let database_url = env.get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(ConfigError {
                var: "DATABASE_URL",
                value: mask_password(&database_url),
                reason: "expected a sqlite:// or postgres:// URL".into(),
            });
        }
        let default_pool = if database_url.starts_with("sqlite:") { 8 } else { 10 };
        let max_connections = env.parse_with("TREMPLIN_DB_MAX_CONNECTIONS", default_pool, at_least_one)?;
        let min_connections =
            env.parse_with("TREMPLIN_DB_MIN_CONNECTIONS", 1, |v| match v.parse::<u32>() {
                Ok(n) if n <= max_connections => Ok(n),
                _ => Err(format!("expected a whole number no greater than the maximum ({max_connections})")),
            })?;
        Ok(Settings {
            environment,
            bind: env.parse("TREMPLIN_BIND", SocketAddr::from(([127, 0, 0, 1], 8080)))?,
            database: DatabaseSettings {
                url: database_url,
                max_connections,
                min_connections,
                connect_timeout: env.seconds("TREMPLIN_DB_CONNECT_TIMEOUT_SECS", 5)?,
                acquire_timeout: env.seconds("TREMPLIN_DB_ACQUIRE_TIMEOUT_SECS", 5)?,
                sqlite_busy_timeout: Duration::from_millis(
                    env.parse("TREMPLIN_SQLITE_BUSY_TIMEOUT_MS", 5_000)?,
                ),
            },
            jwt_secret,
            cors_origins: env.list("TREMPLIN_CORS_ORIGINS", |origin| {
                if origin.starts_with("http://") || origin.starts_with("https://") {
                    Ok(origin.trim_end_matches('/').to_owned())
                } else {
                    Err("each origin must start with http:// or https://".into())
                }
            })?,
            log_format: env.parse_with("TREMPLIN_LOG_FORMAT", LogFormat::Pretty, |v| match v {
                "pretty" => Ok(LogFormat::Pretty),
                "json" => Ok(LogFormat::Json),
                _ => Err("expected pretty or json".into()),
            })?,
            log_filter: log_filter(&env)?,
            metrics_allow: match env.get("TREMPLIN_METRICS_ALLOW") {
                Some(_) => env.list("TREMPLIN_METRICS_ALLOW", parse_network)?,
                None => loopback_networks(),
            },
            trusted_proxies: env.list("TREMPLIN_TRUSTED_PROXIES", parse_network)?,
            max_body_bytes: env.parse("TREMPLIN_MAX_BODY_BYTES", 256 * 1024)?,
            shutdown_timeout: env.seconds("TREMPLIN_SHUTDOWN_TIMEOUT_SECS", 30)?,
            workers: env.parse("TREMPLIN_WORKERS", 0)?,
            login_max_failures: env.parse_with("TREMPLIN_LOGIN_MAX_FAILURES", 5, at_least_one)?,
            login_window: env.seconds("TREMPLIN_LOGIN_WINDOW_SECS", 15 * 60)?,
            register_per_hour: env.parse_with("TREMPLIN_REGISTER_PER_HOUR", 10, at_least_one)?,
            retention: Duration::from_secs(
                env.parse_with("TREMPLIN_RETENTION_DAYS", 3 * 365, at_least_one)? * 86_400,
            ),
            impact_min_group: env.parse_with("TREMPLIN_IMPACT_MIN_GROUP", 5, at_least_one)?,
            match_request_ttl: Duration::from_secs(
                env.parse_with("TREMPLIN_MATCH_REQUEST_TTL_DAYS", 14, at_least_one)? * 86_400,
            ),
            mail: MailSettings {
                smtp_url: env
                    .parse_with("TREMPLIN_SMTP_URL", None, |v| SmtpUrl::parse(v).map(Some))
                    .map_err(|error| ConfigError { value: mask_password(&error.value), ..error })?,
                from: env.parse_with("TREMPLIN_MAIL_FROM", default_mail_from(), |v| {
                    v.parse()
                        .map_err(|_| "expected an address such as `Tremplin <no-reply@example.org>`".into())
                })?,
                app_url: env.parse_with("TREMPLIN_APP_URL", "http://127.0.0.1:8080".to_owned(), http_url)?,
                poll_interval: Duration::from_millis(env.parse_with(
                    "TREMPLIN_MAIL_POLL_INTERVAL_MS",
                    2_000,
                    at_least_one,
                )?),
            },
            webhooks: WebhookSettings {
                allow_private: env.parse_with("TREMPLIN_WEBHOOKS_ALLOW_PRIVATE", false, |v| match v {
                    "true" => Ok(true),
                    "false" => Ok(false),
                    _ => Err("expected true or false".into()),
                })?,
                poll_interval: Duration::from_millis(env.parse_with(
                    "TREMPLIN_WEBHOOKS_POLL_INTERVAL_MS",
                    1_000,
                    at_least_one,
                )?),
                first_retry: Duration::from_millis(env.parse_with(
                    "TREMPLIN_WEBHOOKS_FIRST_RETRY_MS",
                    5_000,
                    at_least_one,
                )?),
                max_attempts: env.parse_with("TREMPLIN_WEBHOOKS_MAX_ATTEMPTS", 10, at_least_one)?,
            },
            credentials: CredentialSettings {
                public_url: env.parse_with(
                    "TREMPLIN_PUBLIC_URL",
                    "http://127.0.0.1:8080".to_owned(),
                    http_url,
                )?,
                key: env
                    .parse_with("TREMPLIN_CREDENTIAL_KEY", None, |v| CredentialKeyPem::parse(v).map(Some))
                    .map_err(|error| ConfigError { value: "***".into(), ..error })?,
            },
        })
    }

    pub fn is_sqlite(&self) -> bool {
        self.database.url.starts_with("sqlite:")
    }
}

/// Where mail comes from when `TREMPLIN_MAIL_FROM` is not set.
fn default_mail_from() -> lettre::message::Mailbox {
    let address = lettre::Address::new_dangerous("no-reply", "tremplin.localhost");
    lettre::message::Mailbox::new(Some("Tremplin".into()), address)
}

/// An http(s) base URL, without its trailing slash.
fn http_url(value: &str) -> Result<String, String> {
    if value.starts_with("http://") || value.starts_with("https://") {
        Ok(value.trim_end_matches('/').to_owned())
    } else {
        Err("expected an http:// or https:// URL".into())
    }
}

fn at_least_one<T: std::str::FromStr + PartialOrd + From<u8>>(value: &str) -> Result<T, String> {
    match value.parse::<T>() {
        Ok(n) if n >= T::from(1) => Ok(n),
        _ => Err("expected a whole number of at least 1".into()),
    }
}

fn loopback_networks() -> Vec<IpNet> {
    vec![
        ipnet::Ipv4Net::new_assert(std::net::Ipv4Addr::new(127, 0, 0, 0), 8).into(),
        ipnet::Ipv6Net::new_assert(std::net::Ipv6Addr::LOCALHOST, 128).into(),
    ]
}

/// `TREMPLIN_LOG_LEVEL`, else `RUST_LOG`, in `tracing` filter syntax (`info`,
/// `warn,tremplin::http=info`...).
fn log_filter<F: Fn(&str) -> Option<String>>(env: &Env<'_, F>) -> Result<Option<String>, ConfigError> {
    let var = if env.get("TREMPLIN_LOG_LEVEL").is_some() { "TREMPLIN_LOG_LEVEL" } else { "RUST_LOG" };
    env.parse_with(var, None, |v| {
        tracing_subscriber::EnvFilter::try_new(v).map(|_| Some(v.to_owned())).map_err(|e| e.to_string())
    })
}

/// `10.0.0.0/8` or a single address (`192.168.1.4`).
fn parse_network(value: &str) -> Result<IpNet, String> {
    value
        .parse::<IpNet>()
        .or_else(|_| value.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| format!("`{value}` is not an IP address or CIDR network"))
}

/// Lookup helpers that turn a bad value into a [`ConfigError`] naming the variable.
struct Env<'a, F: Fn(&str) -> Option<String>>(&'a F);

impl<F: Fn(&str) -> Option<String>> Env<'_, F> {
    fn get(&self, var: &str) -> Option<String> {
        (self.0)(var).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    }

    fn parse_with<T>(
        &self,
        var: &'static str,
        default: T,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<T, ConfigError> {
        match self.get(var) {
            None => Ok(default),
            Some(value) => parse(&value).map_err(|reason| ConfigError { var, value, reason }),
        }
    }

    fn parse<T: std::str::FromStr>(&self, var: &'static str, default: T) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        self.parse_with(var, default, |v| v.parse::<T>().map_err(|e| e.to_string()))
    }

    fn seconds(&self, var: &'static str, default: u64) -> Result<Duration, ConfigError> {
        self.parse(var, default).map(Duration::from_secs)
    }

    fn list<T>(
        &self,
        var: &'static str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Vec<T>, ConfigError> {
        self.parse_with(var, Vec::new(), |v| {
            v.split(',').map(str::trim).filter(|item| !item.is_empty()).map(&parse).collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_need_no_configuration() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(s.database.url, DEFAULT_DATABASE_URL);
        assert!(s.is_sqlite());
        assert_eq!(s.log_format, LogFormat::Pretty);
        assert!(s.jwt_secret.is_none());
        assert!(
            s.metrics_allow.iter().any(|net| net.contains(&"127.0.0.1".parse::<std::net::IpAddr>().unwrap()))
        );
        assert!(s.trusted_proxies.is_empty(), "no forwarding header is believed by default");
        assert_eq!(s.register_per_hour, 10);
    }

    #[test]
    fn a_credential_key_that_is_no_pem_rsa_key_is_refused_without_printing_it() {
        let error =
            settings(&[("TREMPLIN_CREDENTIAL_KEY", "-----BEGIN PRIVATE KEY-----\nsecret")]).err().unwrap();
        assert_eq!((error.var, error.value.as_str()), ("TREMPLIN_CREDENTIAL_KEY", "***"));
        let s = settings(&[("TREMPLIN_PUBLIC_URL", "https://tremplin.example.org/")]).unwrap();
        assert_eq!(s.credentials.public_url, "https://tremplin.example.org");
        assert!(s.credentials.key.is_none());
        assert!(settings(&[("TREMPLIN_PUBLIC_URL", "tremplin.example.org")]).is_err());
    }

    #[test]
    fn database_passwords_are_never_printed() {
        let cases = [
            ("postgres://tremplin:s3cr3t@db:5432/tremplin", "postgres://tremplin:***@db:5432/tremplin"),
            ("postgresql://u:p%40ss@h/db?sslmode=require", "postgresql://u:***@h/db?sslmode=require"),
            (
                "postgres://u@h/db?password=s3cr3t&sslmode=disable",
                "postgres://u@h/db?password=***&sslmode=disable",
            ),
            ("postgres://u:a:b@c@h/db", "postgres://u:***@h/db"),
            ("sqlite://tremplin.db?mode=rwc", "sqlite://tremplin.db?mode=rwc"),
        ];
        for (url, shown) in cases {
            assert_eq!(mask_password(url), shown);
        }
        let err = settings(&[("DATABASE_URL", "mysql://root:s3cr3t@localhost/x")]).unwrap_err();
        assert_eq!(err.var, "DATABASE_URL");
        assert!(!err.to_string().contains("s3cr3t"), "{err}");
        let s = settings(&[("DATABASE_URL", "postgres://tremplin:s3cr3t@db/tremplin")]).unwrap();
        assert!(!format!("{s:?}").contains("s3cr3t"));
        assert_eq!(s.database.url, "postgres://tremplin:s3cr3t@db/tremplin", "the pool still gets it");
    }

    #[test]
    fn invalid_values_name_their_variable() {
        let cases = [
            ("TREMPLIN_BIND", "not-an-address"),
            ("TREMPLIN_LOG_FORMAT", "xml"),
            ("DATABASE_URL", "mysql://localhost/x"),
            ("TREMPLIN_CORS_ORIGINS", "example.org"),
            ("TREMPLIN_METRICS_ALLOW", "10.0.0.0/99"),
            ("TREMPLIN_TRUSTED_PROXIES", "10.0.0.1, proxy.internal"),
            ("TREMPLIN_REGISTER_PER_HOUR", "0"),
            ("TREMPLIN_DB_MAX_CONNECTIONS", "-3"),
            ("TREMPLIN_DB_MAX_CONNECTIONS", "0"),
            ("TREMPLIN_LOG_LEVEL", "info,=="),
            ("TREMPLIN_JWT_SECRET", "short"),
            ("TREMPLIN_LOGIN_MAX_FAILURES", "0"),
            ("TREMPLIN_RETENTION_DAYS", "zero"),
            ("TREMPLIN_IMPACT_MIN_GROUP", "0"),
            ("TREMPLIN_MATCH_REQUEST_TTL_DAYS", "0"),
            ("TREMPLIN_SMTP_URL", "mail.example.org:25"),
            ("TREMPLIN_MAIL_FROM", "not an address"),
            ("TREMPLIN_APP_URL", "app.example.org"),
            ("TREMPLIN_MAIL_POLL_INTERVAL_MS", "0"),
        ];
        for (var, value) in cases {
            let err = settings(&[(var, value)]).unwrap_err();
            assert_eq!(err.var, var);
            assert!(err.to_string().starts_with(&format!("invalid configuration: {var}=")));
            assert!(!err.to_string().contains('\n'));
        }
    }

    #[test]
    fn mail_settings_are_parsed_and_smtp_passwords_never_printed() {
        let s = settings(&[]).unwrap();
        assert!(s.mail.smtp_url.is_none());
        assert_eq!(s.mail.from.email.to_string(), "no-reply@tremplin.localhost");
        let s = settings(&[
            ("TREMPLIN_SMTP_URL", "smtps://mailer:s3cret@smtp.example.org:465"),
            ("TREMPLIN_MAIL_FROM", "Tremplin <bonjour@example.org>"),
            ("TREMPLIN_APP_URL", "https://app.example.org/"),
        ])
        .unwrap();
        assert_eq!(s.mail.app_url, "https://app.example.org");
        assert_eq!(s.mail.from.email.domain(), "example.org");
        let printed = format!("{s:?}");
        assert!(!printed.contains("s3cret"), "{printed}");
        assert!(printed.contains("smtps://mailer:***@smtp.example.org:465"), "{printed}");
        let err = settings(&[("TREMPLIN_SMTP_URL", "ftp://mailer:s3cret@example.org")]).unwrap_err();
        assert!(!err.to_string().contains("s3cret"), "{err}");
    }

    #[test]
    fn passwords_in_urls_are_masked() {
        assert_eq!(
            mask_password("postgres://app:pw@db:5432/tremplin?x=1"),
            "postgres://app:***@db:5432/tremplin?x=1"
        );
        assert_eq!(mask_password("postgres://app@db/tremplin"), "postgres://app@db/tremplin");
        assert_eq!(mask_password("smtp://127.0.0.1:25"), "smtp://127.0.0.1:25");
        assert_eq!(mask_password("smtps://u:p@ss@host"), "smtps://u:***@host");
        assert_eq!(mask_password("sqlite://tremplin.db?mode=rwc"), "sqlite://tremplin.db?mode=rwc");
    }

    #[test]
    fn the_pool_minimum_cannot_exceed_its_maximum() {
        let err = settings(&[("TREMPLIN_DB_MAX_CONNECTIONS", "4"), ("TREMPLIN_DB_MIN_CONNECTIONS", "5")])
            .unwrap_err();
        assert_eq!(err.var, "TREMPLIN_DB_MIN_CONNECTIONS");
    }

    #[test]
    fn production_requires_a_secret() {
        let err = settings(&[("TREMPLIN_ENV", "production")]).unwrap_err();
        assert_eq!(err.var, "TREMPLIN_JWT_SECRET");
        let secret = "s".repeat(32);
        assert!(settings(&[("TREMPLIN_ENV", "production"), ("TREMPLIN_JWT_SECRET", &secret)]).is_ok());
    }

    #[test]
    fn lists_are_split_and_trimmed() {
        let s = settings(&[
            ("TREMPLIN_CORS_ORIGINS", " https://a.example/ , http://b.example:3000 "),
            ("TREMPLIN_METRICS_ALLOW", "10.0.0.0/8, 192.168.1.4"),
            ("TREMPLIN_TRUSTED_PROXIES", "10.0.0.0/8, fd00::/8, 192.168.1.4"),
        ])
        .unwrap();
        assert_eq!(s.cors_origins, vec!["https://a.example", "http://b.example:3000"]);
        assert_eq!(s.metrics_allow.len(), 2);
        assert_eq!(s.trusted_proxies.len(), 3);
    }
}
