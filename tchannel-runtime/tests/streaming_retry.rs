//! A streamed call is retried on another peer only before anything of it is sent: when its
//! peer cannot be connected to. Once sent, an error (Busy included) is the call's.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tchannel_runtime::chooser::{CallInfo, PeerChooser, PeerView};
use tchannel_runtime::{HandlerError, RetryOn, TChannel};

/// The first peer added that may take the call: a primary, then its fallbacks.
struct InOrder;
impl PeerChooser for InOrder {
    fn choose(&self, _call: &CallInfo<'_>, _peers: &[PeerView<'_>]) -> Option<usize> {
        Some(0)
    }
}

/// A `host:port` nobody listens on (bound, then let go).
async fn dead_port() -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    l.local_addr().unwrap().to_string()
}

/// A server whose streaming `echo` counts its runs; `busy` makes it answer Busy.
async fn server(busy: bool) -> (TChannel, String, Arc<AtomicUsize>) {
    let server = TChannel::new("files");
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = runs.clone();
    server.register_streaming("echo", move |mut req, mut res| {
        counted.fetch_add(1, Ordering::SeqCst);
        async move {
            if busy {
                return Err(HandlerError::busy("full"));
            }
            res.write_arg3(req.args.read_arg3().await?).await?;
            res.finish().await?;
            Ok(())
        }
    });
    let addr = server.listen("127.0.0.1:0").await.unwrap().to_string();
    (server, addr, runs)
}

async fn echo(
    client: &TChannel,
    retry_on: RetryOn,
) -> Result<bytes::Bytes, tchannel_runtime::Error> {
    let (mut req, res) = client
        .stream("files", "echo")
        .retry_on(retry_on)
        .start()
        .await?;
    req.write_arg3("hello").await?;
    req.finish().await?;
    res.await?.args.read_arg3().await
}

#[tokio::test]
async fn a_peer_that_cannot_be_connected_to_is_passed_over_for_the_next() {
    let (server, live, runs) = server(false).await;
    let dead = dead_port().await;
    let client = TChannel::builder("client")
        .known_peers([dead, live])
        .peer_chooser(InOrder)
        .build();
    assert_eq!(
        echo(&client, RetryOn::ConnectionError).await.unwrap(),
        "hello"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    server.close().await;
}

#[tokio::test]
async fn no_retry_when_retry_on_is_never_the_limit_is_0_or_the_hostport_is_fixed() {
    let (server, live, runs) = server(false).await;
    let dead = dead_port().await;
    let client = TChannel::builder("client")
        .known_peers([dead.clone(), live])
        .peer_chooser(InOrder)
        .build();
    let e = echo(&client, RetryOn::Never).await.unwrap_err();
    assert!(e.is_network(), "{e:?}");
    let e = client
        .stream("files", "echo")
        .retry_limit(0)
        .start()
        .await
        .unwrap_err();
    assert!(e.is_network(), "{e:?}");
    let e = client
        .stream("files", "echo")
        .hostport(&*dead)
        .start()
        .await
        .unwrap_err();
    assert_eq!(e.peer(), Some(dead.as_str()), "{e:?}");
    assert_eq!(runs.load(Ordering::SeqCst), 0);
    server.close().await;
}

#[tokio::test]
async fn once_sent_a_stream_is_not_retried_even_on_busy() {
    let (busy, busy_addr, busy_runs) = server(true).await;
    let (live, live_addr, live_runs) = server(false).await;
    let client = TChannel::builder("client")
        .known_peers([busy_addr, live_addr])
        .peer_chooser(InOrder)
        .build();
    let e = echo(&client, RetryOn::ConnectionError).await.unwrap_err();
    assert!(e.is_busy(), "{e:?}");
    assert_eq!(busy_runs.load(Ordering::SeqCst), 1);
    assert_eq!(
        live_runs.load(Ordering::SeqCst),
        0,
        "never replayed elsewhere"
    );
    busy.close().await;
    live.close().await;
}
