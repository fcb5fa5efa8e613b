//! The client's address, for throttling and for `/metrics`: the TCP peer,
//! unless that peer is one of `TREMPLIN_TRUSTED_PROXIES`. Then the chain of
//! forwarding headers is read from the right (the hop nearest to us), past
//! the trusted proxies, and the first address that is not one of them is the
//! client: everything left of it may have been written by the client itself.
//!
//! `X-Forwarded-For` is read when present, else `Forwarded` (RFC 7239, its
//! `for=` parameters). A hop that cannot be read (garbage, `unknown`, an
//! obfuscated `_name`) ends the walk: the last trusted address before it
//! counts, so a forged or broken header never yields an address of the
//! sender's choosing.

use std::convert::Infallible;
use std::future::{Ready, ready};
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderMap, HeaderName};
use actix_web::{FromRequest, HttpRequest, web};
use ipnet::IpNet;

use crate::state::AppState;

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// The client address of a request, as an extractor (`None` without a peer).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Option<IpAddr>);

impl FromRequest for ClientAddress {
    type Error = Infallible;
    type Future = Ready<Result<Self, Infallible>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let trusted = req.app_data::<web::Data<AppState>>().map_or(&[][..], |s| &s.settings.trusted_proxies);
        ready(Ok(ClientAddress(client_address(req.peer_addr().map(|p| p.ip()), req.headers(), trusted))))
    }
}

/// The client address behind `peer`, trusting the forwarding headers only as
/// far as the hops are `trusted` proxies.
pub fn client_address(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> Option<IpAddr> {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let mut client = peer?.to_canonical();
    if !is_trusted(&client) {
        return Some(client);
    }
    for hop in forwarding_chain(headers).into_iter().rev() {
        match hop {
            Some(ip) if is_trusted(&ip) => client = ip,
            Some(ip) => return Some(ip),
            None => break,
        }
    }
    Some(client)
}

/// The hops of the forwarding header, client first; `None` for an unreadable hop.
fn forwarding_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let values = |name: &HeaderName| headers.get_all(name).map(|v| v.to_str().ok()).collect::<Vec<_>>();
    let forwarded_for = values(&X_FORWARDED_FOR);
    if !forwarded_for.is_empty() {
        return forwarded_for
            .into_iter()
            .flat_map(|value| match value {
                Some(value) => value.split(',').map(parse_node).collect(),
                None => vec![None],
            })
            .collect();
    }
    values(&header::FORWARDED)
        .into_iter()
        .flat_map(|value| match value {
            Some(value) => split_outside_quotes(value, ',').into_iter().map(forwarded_for_of).collect(),
            None => vec![None],
        })
        .collect()
}

/// The `for=` node of one `Forwarded` element (`for=1.2.3.4;proto=https`).
fn forwarded_for_of(element: &str) -> Option<IpAddr> {
    split_outside_quotes(element, ';').into_iter().find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.trim().eq_ignore_ascii_case("for").then(|| parse_node(&unquote(value.trim()))).flatten()
    })
}

/// An address, optionally with a port (`1.2.3.4:80`, `[2001:db8::1]:443`) or
/// in brackets (`[2001:db8::1]`).
fn parse_node(node: &str) -> Option<IpAddr> {
    let node = node.trim();
    let ip =
        node.parse::<IpAddr>().or_else(|_| node.parse::<SocketAddr>().map(|s| s.ip())).ok().or_else(
            || node.strip_prefix('[')?.strip_suffix(']')?.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
        )?;
    Some(ip.to_canonical())
}

/// Splits at `separator` except inside quoted strings (with `\` escapes).
fn split_outside_quotes(text: &str, separator: char) -> Vec<&str> {
    let (mut parts, mut start, mut quoted, mut escaped) = (Vec::new(), 0, false, false);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == separator && !quoted => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// The content of a quoted string, escapes resolved; other values as they are.
fn unquote(value: &str) -> String {
    let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
        return value.to_owned();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        out.extend(if c == '\\' { chars.next() } else { Some(c) });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(HeaderName::from_static(name), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    /// Behind the proxy 10.0.0.1, with 10.0.0.0/8 and 2001:db8:ffff::/48 trusted.
    fn behind_proxy(pairs: &[(&'static str, &str)]) -> Option<IpAddr> {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap(), "2001:db8:ffff::/48".parse().unwrap()];
        client_address(Some(ip("10.0.0.1")), &headers(pairs), &trusted)
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let forged = headers(&[("x-forwarded-for", "203.0.113.7"), ("forwarded", "for=203.0.113.8")]);
        assert_eq!(client_address(Some(ip("198.51.100.1")), &forged, &[]), Some(ip("198.51.100.1")));
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        assert_eq!(client_address(Some(ip("198.51.100.1")), &forged, &trusted), Some(ip("198.51.100.1")));
        assert_eq!(client_address(None, &forged, &trusted), None);
    }

    #[test]
    fn the_right_most_untrusted_hop_of_the_chain_counts() {
        assert_eq!(behind_proxy(&[]), Some(ip("10.0.0.1")), "no header: the peer");
        assert_eq!(behind_proxy(&[("x-forwarded-for", "203.0.113.7")]), Some(ip("203.0.113.7")));
        // The client wrote the left part itself; our proxies appended the rest.
        let chain = "198.51.100.66, 203.0.113.7, 10.0.0.9";
        assert_eq!(behind_proxy(&[("x-forwarded-for", chain)]), Some(ip("203.0.113.7")));
        // Several header lines form one list, in order.
        let lines = [("x-forwarded-for", "198.51.100.66"), ("x-forwarded-for", "203.0.113.7,10.0.0.9")];
        assert_eq!(behind_proxy(&lines), Some(ip("203.0.113.7")));
        // A chain of trusted hops only: the farthest one is the client.
        assert_eq!(behind_proxy(&[("x-forwarded-for", "10.1.2.3, 10.0.0.9")]), Some(ip("10.1.2.3")));
    }

    #[test]
    fn ipv6_and_ports_are_read() {
        let cases = [
            ("2001:db8::1", "2001:db8::1"),
            ("[2001:db8::1]", "2001:db8::1"),
            ("[2001:db8::1]:443", "2001:db8::1"),
            ("203.0.113.7:51234", "203.0.113.7"),
            ("::ffff:203.0.113.7", "203.0.113.7"),
            ("203.0.113.7, 2001:db8:ffff::2", "203.0.113.7"),
        ];
        for (value, client) in cases {
            assert_eq!(behind_proxy(&[("x-forwarded-for", value)]), Some(ip(client)), "{value}");
        }
        let trusted: Vec<IpNet> = vec!["127.0.0.0/8".parse().unwrap()];
        let mapped_peer = client_address(
            Some(ip("::ffff:127.0.0.1")),
            &headers(&[("x-forwarded-for", "203.0.113.7")]),
            &trusted,
        );
        assert_eq!(mapped_peer, Some(ip("203.0.113.7")), "an IPv4 peer seen through an IPv6 socket");
    }

    #[test]
    fn forwarded_elements_parameters_and_quoting_are_read() {
        let cases = [
            ("for=203.0.113.7", "203.0.113.7"),
            ("For=203.0.113.7;proto=https;by=10.0.0.1", "203.0.113.7"),
            ("proto=https; for=203.0.113.7", "203.0.113.7"),
            (r#"for="[2001:db8:cafe::17]:4711""#, "2001:db8:cafe::17"),
            (r#"for="203.0.113.7:8080""#, "203.0.113.7"),
            ("for=198.51.100.66, for=203.0.113.7, for=10.0.0.9", "203.0.113.7"),
            // A quoted comma or semicolon does not split.
            (r#"for=203.0.113.7;ext="a,b;c", for=10.0.0.9"#, "203.0.113.7"),
            (r#"for="203.0.113.\7""#, "203.0.113.7"),
        ];
        for (value, client) in cases {
            assert_eq!(behind_proxy(&[("forwarded", value)]), Some(ip(client)), "{value}");
        }
        // X-Forwarded-For wins when both are present.
        let both = [("forwarded", "for=198.51.100.66"), ("x-forwarded-for", "203.0.113.7")];
        assert_eq!(behind_proxy(&both), Some(ip("203.0.113.7")));
    }

    #[test]
    fn garbage_never_yields_an_address_of_the_senders_choosing() {
        let proxy = Some(ip("10.0.0.1"));
        let cases = [
            ("x-forwarded-for", "not-an-address"),
            ("x-forwarded-for", ""),
            ("x-forwarded-for", "203.0.113.7, garbage"),
            ("x-forwarded-for", "203.0.113.7,,"),
            ("x-forwarded-for", "203.0.113.7/24"),
            ("forwarded", "for=unknown"),
            ("forwarded", "for=_hidden"),
            ("forwarded", "proto=https"),
            ("forwarded", r#"for="[2001:db8::1"#),
            ("forwarded", "for=203.0.113.7, ;;"),
        ];
        for (name, value) in cases {
            assert_eq!(behind_proxy(&[(name, value)]), proxy, "{name}: {value}");
        }
        // Garbage left of a readable hop is never reached.
        assert_eq!(behind_proxy(&[("x-forwarded-for", "garbage, 203.0.113.7")]), Some(ip("203.0.113.7")));
        // Behind garbage, the nearest trusted hop counts.
        assert_eq!(behind_proxy(&[("x-forwarded-for", "garbage, 10.0.0.9")]), Some(ip("10.0.0.9")));
        let mut map = HeaderMap::new();
        map.insert(X_FORWARDED_FOR, HeaderValue::from_bytes(b"203.0.113.\xff").unwrap());
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        assert_eq!(client_address(proxy, &map, &trusted), proxy, "not UTF-8");
    }
}
