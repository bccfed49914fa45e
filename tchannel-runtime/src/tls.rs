//! TLS for TChannel connections (the `tls` feature), with [rustls] through `tokio-rustls`
//! and the `ring` crypto provider.
//!
//! A channel listens over TLS when built with [`ChannelBuilder::tls_server`], and connects
//! over TLS when built with [`ChannelBuilder::tls_client`]: then **every** connection it
//! makes is TLS (to every peer, Hyperbahn included); there is no per-peer choice. The name
//! checked against the server's certificate is the host of the peer's `host:port` (an IP
//! address or a DNS name), or the one set with [`ChannelBuilder::tls_server_name`]. Client
//! certificates (mutual TLS) are configured in rustls: `with_client_auth_cert` on the
//! client's config, a client certificate verifier on the server's. The TLS handshake runs
//! within the channel's `init_timeout`, before the TChannel init handshake; a peer that
//! fails it (a plain-TCP client, a certificate that does not verify) gets its connection
//! closed, and a caller gets a network error ([`Error::is_network`]) naming the cause.
//!
//! rustls is re-exported as [`rustls`], so the configs are built with the same version.
//!
//! ```no_run
//! use std::sync::Arc;
//! use tchannel_runtime::tls::rustls;
//! use tchannel_runtime::{Raw, Response, TChannel};
//! use rustls::pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     // The CA that signed both sides' certificates.
//!     let mut roots = rustls::RootCertStore::empty();
//!     roots.add(CertificateDer::from_pem_file("ca.pem")?)?;
//!     let roots = Arc::new(roots);
//!
//!     // The server: its certificate (for 127.0.0.1) and key; it asks for a client certificate
//!     // signed by the CA (mutual TLS; `.with_no_client_auth()` asks for none).
//!     let verifier = rustls::server::WebPkiClientVerifier::builder(roots.clone()).build()?;
//!     let server_tls = rustls::ServerConfig::builder()
//!         .with_client_cert_verifier(verifier)
//!         .with_single_cert(
//!             CertificateDer::pem_file_iter("server.pem")?.collect::<Result<_, _>>()?,
//!             PrivateKeyDer::from_pem_file("server.key")?,
//!         )?;
//!     let server = TChannel::builder("echo").tls_server(Arc::new(server_tls)).build();
//!     server.register("echo", Raw, |req| async move { Ok(Response::new(req.body)) });
//!     let addr = server.listen("127.0.0.1:0").await?;
//!
//!     // The client: the CA it trusts, and its own certificate. Every connection it makes is TLS.
//!     let client_tls = rustls::ClientConfig::builder()
//!         .with_root_certificates(roots)
//!         .with_client_auth_cert(
//!             CertificateDer::pem_file_iter("client.pem")?.collect::<Result<_, _>>()?,
//!             PrivateKeyDer::from_pem_file("client.key")?,
//!         )?;
//!     let client = TChannel::builder("client").tls_client(Arc::new(client_tls)).build();
//!     let res = client.raw("echo", "echo").hostport(addr.to_string()).body("hi").await?;
//!     assert_eq!(res.body, "hi");
//!     Ok(())
//! }
//! ```
//!
//! [`ChannelBuilder::tls_server`]: crate::ChannelBuilder::tls_server
//! [`ChannelBuilder::tls_client`]: crate::ChannelBuilder::tls_client
//! [`ChannelBuilder::tls_server_name`]: crate::ChannelBuilder::tls_server_name
//! [`Error::is_network`]: crate::Error::is_network

use crate::connection::{BoxIo, Upgrade};
use crate::error::Error;
use std::sync::Arc;
use tokio::net::TcpStream;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::{TlsAcceptor, TlsConnector};

pub use tokio_rustls::rustls;

/// A channel's TLS settings: what it listens and connects with.
#[derive(Clone, Default)]
pub(crate) struct Tls {
    pub(crate) server: Option<Arc<rustls::ServerConfig>>,
    pub(crate) client: Option<Arc<rustls::ClientConfig>>,
    /// The name to check the server's certificate against, instead of the peer's host.
    pub(crate) server_name: Option<String>,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls")
            .field("server", &self.server.is_some())
            .field("client", &self.client.is_some())
            .field("server_name", &self.server_name)
            .finish()
    }
}

impl Tls {
    /// The TLS handshake of an accepted socket, if the channel listens over TLS.
    pub(crate) fn accept(&self) -> Option<Upgrade> {
        let acceptor = TlsAcceptor::from(self.server.clone()?);
        Some(Box::new(move |tcp: TcpStream| {
            Box::pin(async move {
                let addr = tcp.peer_addr().ok();
                match acceptor.accept(tcp).await {
                    Ok(s) => Ok(Box::new(s) as BoxIo),
                    Err(e) => Err(Error::network(format!(
                        "TLS handshake from {} failed: {e}",
                        addr.map_or_else(|| "?".into(), |a| a.to_string())
                    ))
                    .with_source(e)),
                }
            })
        }))
    }

    /// The TLS handshake of a socket connected to `host_port`, if the channel connects
    /// over TLS. Fails if the name to check is not a valid server name.
    pub(crate) fn connect(&self, host_port: &str) -> Result<Option<Upgrade>, Error> {
        let Some(config) = self.client.clone() else {
            return Ok(None);
        };
        let name = self
            .server_name
            .clone()
            .unwrap_or_else(|| host_of(host_port).to_owned());
        let server_name = ServerName::try_from(name.clone()).map_err(|e| {
            Error::bad_request(format!(
                "cannot connect to {host_port} over TLS: {name:?} is not a valid server name \
                 ({e})"
            ))
        })?;
        let connector = TlsConnector::from(config);
        let host_port = host_port.to_owned();
        Ok(Some(Box::new(move |tcp: TcpStream| {
            Box::pin(async move {
                match connector.connect(server_name, tcp).await {
                    Ok(s) => Ok(Box::new(s) as BoxIo),
                    Err(e) => Err(Error::network(format!(
                        "TLS handshake with {host_port} failed: {e}"
                    ))
                    .with_source(e)),
                }
            })
        })))
    }
}

/// The host of `host:port` (without the brackets of an IPv6 address).
fn host_of(host_port: &str) -> &str {
    let host = host_port.rsplit_once(':').map_or(host_port, |(h, _)| h);
    host.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_of_strips_the_port_and_ipv6_brackets() {
        assert_eq!(host_of("127.0.0.1:4040"), "127.0.0.1");
        assert_eq!(host_of("[::1]:4040"), "::1");
        assert_eq!(host_of("svc.example.com:4040"), "svc.example.com");
        assert_eq!(host_of("svc.example.com"), "svc.example.com");
    }

    #[test]
    fn an_invalid_server_name_is_a_bad_request() {
        let config = rustls::ClientConfig::builder()
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth();
        let tls = Tls {
            client: Some(Arc::new(config)),
            server_name: Some("not a name!".into()),
            ..Tls::default()
        };
        let e = tls.connect("127.0.0.1:1").err().expect("refused");
        assert!(e.is_bad_request(), "{e}");
        assert!(e.message().contains("not a valid server name"), "{e}");
    }
}
