//! Where a webhook may be sent (SSRF protection): `https` to public
//! addresses only, unless `TREMPLIN_WEBHOOKS_ALLOW_PRIVATE` (development and
//! tests), which also allows plain `http` and private addresses. The URL is
//! checked when it is registered; the addresses its host resolves to are
//! checked again at every try and the request goes to those very addresses,
//! so a DNS answer that changes in between cannot point it inside.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::Url;

/// Longest URL accepted.
pub const MAX_URL_LENGTH: usize = 2048;

/// Why a URL is refused, as a catalogue id of a field message.
pub fn check_url(url: &str, allow_private: bool) -> Result<Url, &'static str> {
    if url.len() > MAX_URL_LENGTH {
        return Err("field.webhook_url_too_long");
    }
    let parsed = Url::parse(url).map_err(|_| "field.webhook_url_invalid")?;
    match parsed.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => return Err("field.webhook_url_https"),
    }
    if !parsed.username().is_empty() || parsed.password().is_some() || parsed.fragment().is_some() {
        return Err("field.webhook_url_invalid");
    }
    let host = parsed.host_str().ok_or("field.webhook_url_invalid")?;
    let literal = host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().ok();
    if literal.is_some_and(|ip| !allow_private && !is_public(ip)) {
        return Err("field.webhook_url_private");
    }
    Ok(parsed)
}

/// The addresses to send to: those the host resolves to, all of them public
/// unless private ones are allowed.
pub async fn resolve(url: &Url, allow_private: bool) -> Result<Vec<SocketAddr>, String> {
    let host = url.host_str().ok_or("no host")?;
    let port = url.port_or_known_default().ok_or("no port")?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|error| format!("cannot resolve {host}: {error}"))?
        .collect();
    if addresses.is_empty() {
        return Err(format!("{host} has no address"));
    }
    if !allow_private && let Some(private) = addresses.iter().find(|a| !is_public(a.ip())) {
        return Err(format!("{host} resolves to {}, which is not a public address", private.ip()));
    }
    Ok(addresses)
}

/// Whether an address is on the public internet (not loopback, private,
/// link-local, shared, documentation, multicast, unspecified or reserved).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => is_public_v4(ip),
        IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(ip),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier-grade NAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80 // link-local
        || first == 0x2001 && ip.segments()[1] == 0x0db8 // documentation
        || first == 0x0064 && ip.segments()[1] == 0xff9b) // NAT64, may reach private IPv4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_to_public_hosts_unless_private_is_allowed() {
        assert!(check_url("https://hooks.example.org/tremplin", false).is_ok());
        assert_eq!(check_url("http://hooks.example.org/", false).err(), Some("field.webhook_url_https"));
        assert_eq!(check_url("ftp://hooks.example.org/", true).err(), Some("field.webhook_url_https"));
        assert_eq!(check_url("https://127.0.0.1/", false).err(), Some("field.webhook_url_private"));
        assert_eq!(check_url("https://[::1]:8443/", false).err(), Some("field.webhook_url_private"));
        assert_eq!(check_url("https://169.254.169.254/", false).err(), Some("field.webhook_url_private"));
        assert_eq!(check_url("https://user:pw@example.org/", false).err(), Some("field.webhook_url_invalid"));
        assert_eq!(check_url("not a url", false).err(), Some("field.webhook_url_invalid"));
        assert!(check_url("http://127.0.0.1:9000/hook", true).is_ok());
    }

    #[test]
    fn private_and_special_addresses_are_not_public() {
        for ip in [
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "127.0.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "::",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[tokio::test]
    async fn names_resolving_to_loopback_are_refused_unless_allowed() {
        let url = Url::parse("https://localhost:9/").unwrap();
        assert!(resolve(&url, false).await.is_err());
        assert!(resolve(&url, true).await.is_ok());
    }
}
