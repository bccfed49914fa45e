//! TLS (the `tls` feature): Rust to Rust calls over TLS with certificates made here by
//! rcgen, mutual TLS, and clean failures when one side speaks TLS and the other does not.
#![cfg(feature = "tls")]

use bytes::Bytes;
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use std::sync::Arc;
use std::time::Duration;
use tchannel_runtime::tls::rustls;
use tchannel_runtime::{ChannelBuilder, Error, Raw, Response, TChannel};

use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// A certificate authority, and certificates it signs.
struct Ca {
    issuer: Issuer<'static, KeyPair>,
    cert: CertificateDer<'static>,
}

impl Ca {
    fn new() -> Ca {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap().der().clone();
        Ca {
            issuer: Issuer::new(params, key),
            cert,
        }
    }

    /// A certificate for `names` (IP addresses or DNS names) and its key.
    fn issue(&self, names: &[&str]) -> (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>) {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let params = CertificateParams::new(names).unwrap();
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap().der().clone();
        (vec![cert], PrivateKeyDer::from(key))
    }

    fn roots(&self) -> rustls::RootCertStore {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(self.cert.clone()).unwrap();
        roots
    }
}

/// A server config for 127.0.0.1, asking no client certificate.
fn server_config(ca: &Ca) -> Arc<rustls::ServerConfig> {
    let (certs, key) = ca.issue(&["127.0.0.1"]);
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    Arc::new(config)
}

/// A client config trusting `ca`, without a client certificate.
fn client_config(ca: &Ca) -> Arc<rustls::ClientConfig> {
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(ca.roots())
        .with_no_client_auth();
    Arc::new(config)
}

/// A channel serving `echo` on 127.0.0.1 over TLS with `config`.
async fn tls_echo_server(config: Arc<rustls::ServerConfig>) -> (TChannel, String) {
    echo_server(TChannel::builder("echo").tls_server(config)).await
}

/// The channel `builder` makes, serving `echo` on 127.0.0.1, and its `host:port`.
async fn echo_server(builder: ChannelBuilder) -> (TChannel, String) {
    let server = builder.build();
    server.register(
        "echo",
        Raw,
        |req| async move { Ok(Response::new(req.body)) },
    );
    let addr = server.listen("127.0.0.1:0").await.unwrap();
    (server, addr.to_string())
}

async fn echo(client: &TChannel, hp: &str, body: &'static str) -> Result<Bytes, Error> {
    // Bounded, so that a hang fails the test (on the paused clock, at once).
    let call = client.raw("echo", "echo").hostport(hp).body(body);
    match tokio::time::timeout(Duration::from_secs(60), call).await {
        Ok(r) => r.map(|res| res.body),
        Err(_) => panic!("the call to {hp} hung"),
    }
}

#[tokio::test]
async fn a_call_goes_rust_to_rust_over_tls() {
    let ca = Ca::new();
    let (server, hp) = tls_echo_server(server_config(&ca)).await;
    let client = TChannel::builder("client")
        .tls_client(client_config(&ca))
        .build();
    assert_eq!(echo(&client, &hp, "hello").await.unwrap(), "hello");
    // A second call reuses the TLS connection; a larger body crosses many TLS records.
    let big: &'static str = Box::leak("x".repeat(200_000).into_boxed_str());
    assert_eq!(echo(&client, &hp, big).await.unwrap(), big);
    client.close().await;
    server.close().await;
}

#[tokio::test]
async fn a_certificate_for_another_name_is_refused() {
    let ca = Ca::new();
    let (server, hp) = tls_echo_server(server_config(&ca)).await;
    // The server's certificate names 127.0.0.1, not this.
    let client = TChannel::builder("client")
        .tls_client(client_config(&ca))
        .tls_server_name("kv.internal")
        .build();
    let e = echo(&client, &hp, "hello").await.unwrap_err();
    assert!(e.is_network(), "{e}");
    assert!(e.message().contains("TLS handshake"), "{e}");
    // The client trusting another CA fails the same way.
    let stranger = TChannel::builder("client")
        .tls_client(client_config(&Ca::new()))
        .build();
    let e = echo(&stranger, &hp, "hello").await.unwrap_err();
    assert!(
        e.is_network() && e.message().contains("TLS handshake"),
        "{e}"
    );
    server.close().await;
}

#[tokio::test]
async fn tls_server_name_is_the_name_checked_instead_of_the_peer_host() {
    let ca = Ca::new();
    let (certs, key) = ca.issue(&["kv.internal"]);
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let (server, hp) = tls_echo_server(Arc::new(config)).await;
    // Checked against 127.0.0.1, which the certificate does not name.
    let by_host = TChannel::builder("client")
        .tls_client(client_config(&ca))
        .build();
    let e = echo(&by_host, &hp, "hello").await.unwrap_err();
    assert!(
        e.is_network() && e.message().contains("not valid for name"),
        "{e}"
    );
    let by_name = TChannel::builder("client")
        .tls_client(client_config(&ca))
        .tls_server_name("kv.internal")
        .build();
    assert_eq!(echo(&by_name, &hp, "hello").await.unwrap(), "hello");
    server.close().await;
}

#[tokio::test]
async fn mutual_tls_accepts_a_client_certificate_and_refuses_a_client_without_one() {
    let ca = Ca::new();
    let (certs, key) = ca.issue(&["127.0.0.1"]);
    let verifier = rustls::server::WebPkiClientVerifier::builder(Arc::new(ca.roots()))
        .build()
        .unwrap();
    let config = rustls::ServerConfig::builder()
        .with_client_cert_verifier(verifier)
        .with_single_cert(certs, key)
        .unwrap();
    let (server, hp) = tls_echo_server(Arc::new(config)).await;

    let (client_certs, client_key) = ca.issue(&["client.internal"]);
    let with_cert = rustls::ClientConfig::builder()
        .with_root_certificates(ca.roots())
        .with_client_auth_cert(client_certs, client_key)
        .unwrap();
    let with_cert = Arc::new(with_cert);
    let client = TChannel::builder("client")
        .tls_client(with_cert.clone())
        .build();
    assert_eq!(echo(&client, &hp, "hello").await.unwrap(), "hello");

    let anonymous = TChannel::builder("anonymous")
        .tls_client(client_config(&ca))
        .build();
    let e = echo(&anonymous, &hp, "hello").await.unwrap_err();
    // (In TLS 1.3 the server checks the client's certificate after the client is done: the
    // client learns of it from the server's alert, reading the init res.)
    assert!(
        e.is_network() && e.message().contains("CertificateRequired"),
        "{e}"
    );

    // A client certificate from another CA is refused too.
    let other = Ca::new();
    let (certs, key) = other.issue(&["client.internal"]);
    let foreign = rustls::ClientConfig::builder()
        .with_root_certificates(ca.roots())
        .with_client_auth_cert(certs, key)
        .unwrap();
    let foreign = TChannel::builder("foreign")
        .tls_client(Arc::new(foreign))
        .build();
    let e = echo(&foreign, &hp, "hello").await.unwrap_err();
    assert!(e.is_network() && e.message().contains("alert"), "{e}");

    // The server still serves the client with a good certificate, on a new connection.
    let again = TChannel::builder("client").tls_client(with_cert).build();
    assert_eq!(echo(&again, &hp, "again").await.unwrap(), "again");
    server.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_plain_client_to_a_tls_listener_fails_cleanly_and_the_listener_goes_on() {
    let ca = Ca::new();
    let (server, hp) = tls_echo_server(server_config(&ca)).await;
    let plain = TChannel::new("plain");
    let e = echo(&plain, &hp, "hello").await.unwrap_err();
    // The server's TLS handshake fails on the init req and closes the connection.
    assert!(!e.is_timeout(), "failed at once, not by a timeout: {e}");
    assert!(e.is_network() && e.message().contains("closed"), "{e}");
    assert_eq!(e.peer(), Some(hp.as_str()), "{e}");

    // The listener still serves TLS clients.
    let client = TChannel::builder("client")
        .tls_client(client_config(&ca))
        .build();
    assert_eq!(echo(&client, &hp, "hello").await.unwrap(), "hello");
    server.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_tls_client_to_a_plain_listener_fails_cleanly() {
    let ca = Ca::new();
    // The plain server waits for the rest of what it takes for an init req (the client
    // hello's first bytes read as one) for its init timeout, then answers with an error
    // frame, which is not TLS.
    let (server, hp) =
        echo_server(TChannel::builder("echo").init_timeout(Duration::from_secs(1))).await;
    let client = TChannel::builder("client")
        .tls_client(client_config(&ca))
        .build();
    let e = echo(&client, &hp, "hello").await.unwrap_err();
    assert!(e.is_network(), "{e}");
    assert!(e.message().contains("TLS handshake"), "{e}");

    // The plain server still serves plain clients.
    let plain = TChannel::new("plain");
    assert_eq!(echo(&plain, &hp, "hello").await.unwrap(), "hello");
    server.close().await;
}
