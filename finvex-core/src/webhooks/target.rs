//! Where webhooks may go (pure). Only http(s); by default never to private,
//! loopback, link-local or otherwise internal addresses (SSRF), checked on
//! the URL here and again on every resolved address at delivery time.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::Error;

pub const MAX_URL_LEN: usize = 2_048;

enum HostKind {
    Name(String),
    Ip(IpAddr),
}

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
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("it has no host or contains spaces"));
    }
    // The WHATWG parser is what HTTP clients use: it turns `0x7f000001`,
    // `2130706433` and `127.1` into 127.0.0.1, so the check below sees the
    // address that would really be dialled, whatever its spelling.
    let parsed = url::Url::parse(url).map_err(|e| bad(&e.to_string()))?;
    let host = match parsed.host() {
        Some(url::Host::Domain(domain)) => {
            HostKind::Name(domain.trim_end_matches('.').to_ascii_lowercase())
        }
        Some(url::Host::Ipv4(v4)) => HostKind::Ip(IpAddr::V4(v4)),
        Some(url::Host::Ipv6(v6)) => HostKind::Ip(IpAddr::V6(v6)),
        None => return Err(bad("it has no host or contains spaces")),
    };
    if !allow_private {
        match &host {
            HostKind::Ip(ip) if !is_public(*ip) => {
                return Err(bad(
                    "it points to a private, loopback or link-local address",
                ));
            }
            HostKind::Name(name)
                if name == "localhost"
                    || name.ends_with(".localhost")
                    || name.ends_with(".local")
                    || name.ends_with(".internal") =>
            {
                return Err(bad("it points to a local host name"));
            }
            _ => {}
        }
    }
    let lowered = match host {
        HostKind::Name(name) => name,
        HostKind::Ip(ip) => ip.to_string(),
    };
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
            if let Some(v4) = embedded_v4(v6) {
                return is_public_v4(v4);
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link-local
                || (first & 0xffc0) == 0xfec0 // site-local (deprecated, still routed inside some networks)
                || (first == 0x2001 && v6.segments()[1] == 0x0db8)) // documentation
        }
    }
}

/// The IPv4 address an IPv6 address carries, for the forms a router or
/// resolver turns back into IPv4: mapped `::ffff:a.b.c.d`, compatible
/// `::a.b.c.d`, NAT64 `64:ff9b::a.b.c.d` (RFC 6052) and 6to4 `2002:AABB:CCDD::`.
fn embedded_v4(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = v6.segments();
    let low = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    if let Some(v4) = v6.to_ipv4_mapped() {
        return Some(v4);
    }
    if s[..6] == [0, 0, 0, 0, 0, 0] && !(s[6] == 0 && s[7] <= 1) {
        return Some(low); // IPv4-compatible (:: and ::1 are themselves)
    }
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        return Some(low);
    }
    if s[0] == 0x2002 {
        return Some(Ipv4Addr::new(
            (s[1] >> 8) as u8,
            s[1] as u8,
            (s[2] >> 8) as u8,
            s[2] as u8,
        ));
    }
    None
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
        // Embedded public IPv4 addresses stay public.
        assert!(parse_url("http://[64:ff9b::808:808]/hook", false).is_ok());
        assert!(parse_url("http://[2002:808:808::1]/hook", false).is_ok());
        assert!(parse_url("http://[2606:4700::1111]/hook", false).is_ok());
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
            // Other spellings of loopback and the metadata address.
            "http://0x7f000001/x",
            "http://2130706433/x",
            "http://127.1/x",
            "http://[64:ff9b::a9fe:a9fe]/x",
            "http://[64:ff9b::127.0.0.1]/x",
            "http://[::127.0.0.1]/x",
            "http://[::a9fe:a9fe]/x",
            "http://[2002:7f00:1::]/x",
            "http://[2002:a9fe:a9fe::1]/x",
            "http://[fec0::1]/x",
            "http://LOCALHOST./x",
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
