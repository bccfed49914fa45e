//! Addresses: what [`TChannel::add_peer`](crate::TChannel::add_peer),
//! [`CallOptions::hostport`](crate::CallOptions::hostport), `known_peers`, `routers` and
//! [`TChannel::listen_on`](crate::TChannel::listen_on) accept.
//!
//! A peer is known by its `host:port` string (what it sends in its init handshake, what
//! tchannel-node and -python use as its key), so every address is turned into one:
//! a string as it is, a [`SocketAddr`] as it prints (`127.0.0.1:4040`, `[::1]:4040`),
//! a `(host, port)` pair as `host:port` (an IPv6 host in brackets). Nothing is resolved
//! here: a host name is looked up when a connection is made.
//!
//! ```
//! use std::net::{Ipv4Addr, SocketAddr};
//! use tchannel_runtime::addr::IntoHostPort;
//! let a: SocketAddr = "127.0.0.1:4040".parse().unwrap();
//! assert_eq!(a.into_host_port(), "127.0.0.1:4040");
//! assert_eq!((Ipv4Addr::LOCALHOST, 4040).into_host_port(), "127.0.0.1:4040");
//! assert_eq!(("::1", 4040).into_host_port(), "[::1]:4040");
//! assert_eq!(("kv.local", 4040).into_host_port(), "kv.local:4040");
//! assert_eq!("10.0.0.1:4040".into_host_port(), "10.0.0.1:4040");
//! ```

use crate::name::Name;
use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

/// An address a peer is known by: a `host:port` string, a [`SocketAddr`], or a
/// `(host, port)` pair (see the [module docs](self)).
pub trait IntoHostPort {
    /// The `host:port` string.
    fn into_host_port(self) -> String;

    /// The `host:port` as a [`Name`], which calls carry (made from
    /// [`into_host_port`](Self::into_host_port) by default; a `Name` is itself, with no
    /// copy, which is why keeping a `Name` and cloning it per call is the fast path).
    fn into_name(self) -> Name
    where
        Self: Sized,
    {
        Name::from(self.into_host_port())
    }
}

impl IntoHostPort for Name {
    fn into_host_port(self) -> String {
        self.into()
    }
    fn into_name(self) -> Name {
        self
    }
}

impl IntoHostPort for &Name {
    fn into_host_port(self) -> String {
        self.as_str().to_owned()
    }
    fn into_name(self) -> Name {
        self.clone()
    }
}

macro_rules! by_display {
    ($($t:ty),*) => {$(
        impl IntoHostPort for $t {
            fn into_host_port(self) -> String {
                self.to_string()
            }
        }
    )*};
}
by_display!(
    &str,
    &String,
    Box<str>,
    Cow<'_, str>,
    SocketAddr,
    &SocketAddr,
    SocketAddrV4,
    SocketAddrV6
);

impl IntoHostPort for String {
    fn into_host_port(self) -> String {
        self
    }
}

impl IntoHostPort for (IpAddr, u16) {
    fn into_host_port(self) -> String {
        SocketAddr::from(self).to_string()
    }
}

impl IntoHostPort for (Ipv4Addr, u16) {
    fn into_host_port(self) -> String {
        SocketAddr::from(self).to_string()
    }
}

impl IntoHostPort for (Ipv6Addr, u16) {
    fn into_host_port(self) -> String {
        SocketAddr::from(self).to_string()
    }
}

impl IntoHostPort for (&str, u16) {
    fn into_host_port(self) -> String {
        match self.0.parse::<Ipv6Addr>() {
            Ok(ip) => (ip, self.1).into_host_port(),
            Err(_) => format!("{}:{}", self.0, self.1),
        }
    }
}

impl IntoHostPort for (String, u16) {
    fn into_host_port(self) -> String {
        (self.0.as_str(), self.1).into_host_port()
    }
}

/// A socket already bound that a channel can accept connections on:
/// [`TChannel::listen_on`](crate::TChannel::listen_on) takes tokio's
/// [`TcpListener`](tokio::net::TcpListener) or the standard library's (made non-blocking
/// here), such as one handed over by systemd socket activation.
pub trait IntoListener {
    /// The tokio listener. Must be called within a tokio runtime.
    fn into_listener(self) -> std::io::Result<tokio::net::TcpListener>;
}

impl IntoListener for tokio::net::TcpListener {
    fn into_listener(self) -> std::io::Result<tokio::net::TcpListener> {
        Ok(self)
    }
}

impl IntoListener for std::net::TcpListener {
    fn into_listener(self) -> std::io::Result<tokio::net::TcpListener> {
        self.set_nonblocking(true)?;
        tokio::net::TcpListener::from_std(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_gives_host_port() {
        let v6: SocketAddr = "[::1]:9".parse().unwrap();
        assert_eq!(v6.into_host_port(), "[::1]:9");
        assert_eq!((&v6).into_host_port(), "[::1]:9");
        assert_eq!((Ipv6Addr::LOCALHOST, 9).into_host_port(), "[::1]:9");
        assert_eq!(
            (IpAddr::from(Ipv4Addr::new(10, 0, 0, 1)), 9).into_host_port(),
            "10.0.0.1:9"
        );
        assert_eq!((String::from("h"), 9).into_host_port(), "h:9");
        assert_eq!((String::from("::1"), 9).into_host_port(), "[::1]:9");
        assert_eq!(String::from("h:9").into_host_port(), "h:9");
        assert_eq!((&String::from("h:9")).into_host_port(), "h:9");
        assert_eq!(Cow::Borrowed("h:9").into_host_port(), "h:9");
    }
}
