//! The SSRF guard's policy: which destinations a webhook may reach. Checked by the API when an
//! endpoint is configured and by the webhook sender (`labrador-http`) before every request and
//! at every connection (its resolver drops forbidden addresses, so a DNS answer that changed
//! since the check cannot reach inside). Pure policy over `url` and the resolver: no HTTP
//! client, so the API Lambdas that only check URLs link none.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use url::Url;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuardPolicy {
    /// Allow `http://` and loopback destinations: local and development mode only.
    pub allow_loopback: bool,
}

impl GuardPolicy {
    pub const PRODUCTION: GuardPolicy = GuardPolicy {
        allow_loopback: false,
    };
    pub const LOCAL: GuardPolicy = GuardPolicy {
        allow_loopback: true,
    };

    pub fn allows(&self, ip: IpAddr) -> bool {
        if is_loopback(ip) {
            return self.allow_loopback;
        }
        !is_forbidden_ip(ip)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UrlRejected(pub String);

fn v4_forbidden(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    ip.is_unspecified()
        || o[0] == 0 // 0.0.0.0/8 "this network"
        || ip.is_loopback()
        || ip.is_private() // 10/8, 172.16/12, 192.168/16
        || ip.is_link_local() // 169.254/16, incl. 169.254.169.254
        || (o[0] == 100 && (o[1] & 0xC0) == 64) // 100.64/10 CGNAT
        || (o[0] == 192 && o[1] == 0 && o[2] == 0) // 192.0.0/24 IETF
        || (o[0] == 192 && o[1] == 0 && o[2] == 2) // TEST-NET-1
        || (o[0] == 198 && o[1] == 51 && o[2] == 100) // TEST-NET-2
        || (o[0] == 203 && o[1] == 0 && o[2] == 113) // TEST-NET-3
        || (o[0] == 198 && (o[1] & 0xFE) == 18) // 198.18/15 benchmarking
        || (o[0] == 192 && o[1] == 88 && o[2] == 99) // 6to4 relay anycast
        || ip.is_multicast() // 224/4
        || o[0] >= 240 // 240/4 reserved and broadcast
}

fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    // 64:ff9b::/96 NAT64
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6].iter().all(|&x| x == 0) {
        return Some(tail);
    }
    // 2002::/16 6to4 carries the v4 address in bits 16..48.
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

fn v6_forbidden(ip: Ipv6Addr) -> bool {
    if let Some(v4) = embedded_v4(ip) {
        return v4_forbidden(v4);
    }
    let s = ip.segments();
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast() // ff00::/8
        || (s[0] & 0xfe00) == 0xfc00 // fc00::/7 ULA
        || (s[0] & 0xffc0) == 0xfe80 // fe80::/10 link-local
        || (s[0] & 0xffc0) == 0xfec0 // fec0::/10 site-local (deprecated)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // 2001:db8::/32 documentation
        || (s[0] == 0x2001 && s[1] < 0x0200) // 2001::/23 IETF (Teredo, ORCHID, …)
        || (s[0] == 0x0100 && s[1..4].iter().all(|&x| x == 0)) // 100::/64 discard
        || s[0..6].iter().all(|&x| x == 0) // ::/96 IPv4-compatible (deprecated)
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// Whether a webhook must never reach `ip`: loopback, private, link-local, CGNAT, ULA,
/// multicast, unspecified, documentation and other reserved ranges (also inside IPv6).
pub fn is_forbidden_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4_forbidden(v4),
        IpAddr::V6(v6) => v6_forbidden(v6),
    }
}

/// Parses and checks a webhook URL: scheme (https; http only when loopback is allowed), no
/// credentials, a host whose every address is allowed. Resolves the host.
pub async fn check_url(url: &str, policy: GuardPolicy) -> Result<Url, UrlRejected> {
    let parsed = Url::parse(url).map_err(|e| UrlRejected(format!("not a valid URL: {e}")))?;
    match parsed.scheme() {
        "https" => {}
        "http" if policy.allow_loopback => {}
        _ => return Err(UrlRejected("the URL must use https".into())),
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(UrlRejected("the URL must not carry credentials".into()));
    }
    let host = parsed
        .host_str()
        .ok_or_else(|| UrlRejected("the URL has no host".into()))?;
    let port = parsed.port_or_known_default().unwrap_or(443);
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<IpAddr> = match bare.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => tokio::net::lookup_host((bare, port))
            .await
            .map_err(|_| UrlRejected("the host does not resolve".into()))?
            .map(|a| a.ip())
            .collect(),
    };
    if addrs.is_empty() {
        return Err(UrlRejected("the host does not resolve".into()));
    }
    if let Some(bad) = addrs.iter().find(|ip| !policy.allows(**ip)) {
        return Err(UrlRejected(format!(
            "the host resolves to a forbidden address ({})",
            if is_loopback(*bad) {
                "loopback"
            } else {
                "private or reserved range"
            }
        )));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forbidden_ranges() {
        for s in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "0.1.2.3",
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "192.0.2.10",
            "198.51.100.1",
            "203.0.113.5",
            "198.18.0.1",
            "::",
            "::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "2001:db8::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "2002:a00:1::1",
            "::127.0.0.1",
        ] {
            assert!(is_forbidden_ip(ip(s)), "{s} should be forbidden");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for s in [
            "8.8.8.8",
            "1.1.1.1",
            "172.32.0.1",
            "100.128.0.1",
            "192.169.0.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert!(!is_forbidden_ip(ip(s)), "{s} should pass");
        }
    }

    #[test]
    fn loopback_only_in_local_mode() {
        assert!(!GuardPolicy::PRODUCTION.allows(ip("127.0.0.1")));
        assert!(GuardPolicy::LOCAL.allows(ip("127.0.0.1")));
        assert!(GuardPolicy::LOCAL.allows(ip("::1")));
        assert!(!GuardPolicy::LOCAL.allows(ip("10.0.0.1")));
        assert!(!GuardPolicy::LOCAL.allows(ip("169.254.169.254")));
    }

    #[tokio::test]
    async fn urls() {
        let p = GuardPolicy::PRODUCTION;
        assert!(check_url("http://8.8.8.8/hook", p).await.is_err());
        assert!(check_url("https://127.0.0.1/hook", p).await.is_err());
        assert!(check_url("https://[::1]/hook", p).await.is_err());
        assert!(
            check_url("https://169.254.169.254/latest", p)
                .await
                .is_err()
        );
        assert!(check_url("https://localhost/hook", p).await.is_err());
        assert!(check_url("https://user:pw@8.8.8.8/", p).await.is_err());
        assert!(check_url("ftp://8.8.8.8/", p).await.is_err());
        assert!(check_url("not a url", p).await.is_err());
        assert!(check_url("https://8.8.8.8/hook", p).await.is_ok());
        assert!(
            check_url("http://127.0.0.1:9/hook", GuardPolicy::LOCAL)
                .await
                .is_ok()
        );
        assert!(
            check_url("http://10.0.0.1/hook", GuardPolicy::LOCAL)
                .await
                .is_err()
        );
    }
}
