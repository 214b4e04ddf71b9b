//! Where webhooks may go (pure). Only http(s); by default never to private,
//! loopback, link-local or otherwise internal addresses (SSRF), checked on
//! the URL here and again on every resolved address at delivery time.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::Error;

pub const MAX_URL_LEN: usize = 2_048;

/// A parsed webhook URL: scheme, host and the rest, as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl {
    pub url: String,
    pub host: String,
}

pub fn parse_url(raw: &str, allow_private: bool) -> Result<WebhookUrl, Error> {
    let bad =
        |why: &str| Error::validation("url", format!("{raw:?} is not a usable webhook URL: {why}"));
    let url = raw.trim();
    if url.len() > MAX_URL_LEN {
        return Err(bad("it is longer than 2048 characters"));
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| bad("only http:// and https:// URLs are allowed"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err(bad("credentials in the URL are not allowed"));
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or("").to_string()
    } else {
        authority
            .rsplit_once(':')
            .map_or(authority, |(h, _)| h)
            .to_string()
    };
    if host.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("it has no host or contains spaces"));
    }
    let lowered = host.to_ascii_lowercase();
    if !allow_private {
        if let Ok(ip) = lowered.parse::<IpAddr>() {
            if !is_public(ip) {
                return Err(bad(
                    "it points to a private, loopback or link-local address",
                ));
            }
        } else if lowered == "localhost"
            || lowered.ends_with(".localhost")
            || lowered.ends_with(".local")
            || lowered.ends_with(".internal")
        {
            return Err(bad("it points to a local host name"));
        }
    }
    Ok(WebhookUrl {
        url: url.to_string(),
        host: lowered,
    })
}

/// True for addresses on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link-local
                || v6 == Ipv6Addr::LOCALHOST)
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_https_urls_pass() {
        let url = parse_url("https://api.example.com:8443/hooks?x=1", false).unwrap();
        assert_eq!(url.host, "api.example.com");
        assert!(parse_url("http://8.8.8.8/hook", false).is_ok());
    }

    #[test]
    fn internal_targets_are_refused_unless_allowed() {
        for raw in [
            "http://127.0.0.1/x",
            "http://10.0.0.5/x",
            "http://192.168.1.1/x",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]:80/x",
            "http://[fd00::1]/x",
            "http://[::ffff:127.0.0.1]/x",
            "http://localhost:3000/x",
            "http://100.64.0.1/x",
        ] {
            assert_eq!(
                parse_url(raw, false).unwrap_err().field(),
                Some("url"),
                "{raw}"
            );
            assert!(parse_url(raw, true).is_ok(), "{raw} allowed in development");
        }
    }

    #[test]
    fn non_http_and_malformed_urls_are_refused() {
        for raw in [
            "ftp://example.com",
            "file:///etc/passwd",
            "https://",
            "https://user:pw@example.com/",
            "example.com",
            "https://exa mple.com",
        ] {
            assert!(parse_url(raw, true).is_err(), "{raw}");
        }
    }
}
