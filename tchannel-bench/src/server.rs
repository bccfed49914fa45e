//! The servers a load run is pointed at.

use crate::framing::{take_frame, TYPE_RESPONSE};
use bytes::{Bytes, BytesMut};
use std::net::SocketAddr;
use tchannel_runtime::{Raw, Request, Response, TChannel};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// Services the Rust TChannel server answers `echo` on: its own, and the interop peers'
/// (so the same load hits the node server and the Rust one with identical frames).
pub const SERVICES: [&str; 2] = ["bench", "interop"];

/// How the TChannel echo server is set up: its load shedding limits, and simulated work.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// `max_channel_inbound_calls`: inbound calls past it are answered Busy.
    pub max_channel_inbound_calls: Option<usize>,
    /// `max_service_inbound_calls`, for each of [`SERVICES`].
    pub max_service_inbound_calls: Option<usize>,
    /// Each call holds one of `workers` places for this long before it is answered (a
    /// server of capacity `workers / work` calls a second; calls past it queue). None:
    /// answered at once.
    pub work: Option<std::time::Duration>,
    /// Places for `work` (at least 1).
    pub workers: usize,
}

/// Starts a TChannel raw echo server listening on `listen` and returns the channel and
/// its address. Endpoint `echo` of each of [`SERVICES`] answers OK with arg2 and arg3
/// unchanged.
pub async fn start_tchannel(
    listen: &str,
) -> Result<(TChannel, SocketAddr), tchannel_runtime::Error> {
    start_tchannel_with(listen, &ServerOptions::default()).await
}

/// [`start_tchannel`] with limits and simulated work.
pub async fn start_tchannel_with(
    listen: &str,
    opts: &ServerOptions,
) -> Result<(TChannel, SocketAddr), tchannel_runtime::Error> {
    let mut b = TChannel::builder(SERVICES[0]);
    if let Some(n) = opts.max_channel_inbound_calls {
        b = b.max_channel_inbound_calls(n);
    }
    if let Some(n) = opts.max_service_inbound_calls {
        for service in SERVICES {
            b = b.max_service_inbound_calls(service, n);
        }
    }
    let ch = b.build();
    let workers = std::sync::Arc::new(tokio::sync::Semaphore::new(opts.workers.max(1)));
    for service in SERVICES {
        match opts.work {
            None => ch.register_for(service, "echo", Raw, |req: Request<Raw>| async move {
                Ok(Response::new(req.body).with_headers(req.headers))
            }),
            Some(work) => {
                let workers = workers.clone();
                ch.register_for(service, "echo", Raw, move |req: Request<Raw>| {
                    let workers = workers.clone();
                    async move {
                        let _place = workers.acquire().await;
                        tokio::time::sleep(work).await;
                        Ok(Response::new(req.body).with_headers(req.headers))
                    }
                })
            }
        }
    }
    let addr = ch.listen(listen).await?;
    Ok((ch, addr))
}

/// Starts the plain echo on `listen`: each frame read is answered with a frame of the same
/// size and id (type changed to call res, payload passed through). One reader and one
/// writer task per connection; the writer batches what is queued into one write.
pub async fn start_plain(listen: &str) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        loop {
            match listener.accept().await {
                Ok((stream, _)) => {
                    tokio::spawn(plain_connection(stream));
                }
                Err(e) => {
                    eprintln!("accept failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                }
            }
        }
    });
    Ok(addr)
}

async fn plain_connection(stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let (mut rd, wr) = stream.into_split();
    let (tx, rx) = mpsc::unbounded_channel::<Bytes>();
    tokio::spawn(write_batched(rx, wr));
    let mut buf = BytesMut::with_capacity(64 * 1024);
    loop {
        loop {
            match take_frame(&mut buf) {
                Ok(Some(mut frame)) => {
                    frame[2] = TYPE_RESPONSE;
                    if tx.send(frame.freeze()).is_err() {
                        return;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    eprintln!("plain echo: {e}; closing the connection");
                    return;
                }
            }
        }
        if buf.capacity() - buf.len() < 8 * 1024 {
            buf.reserve(64 * 1024);
        }
        match rd.read_buf(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

/// Writes what arrives on `rx`, gathering everything already queued into one buffer and
/// one `write_all`, as the runtime's writer does.
pub(crate) async fn write_batched(mut rx: mpsc::UnboundedReceiver<Bytes>, mut wr: OwnedWriteHalf) {
    const MAX_BATCH: usize = 256 * 1024;
    let mut buf = BytesMut::with_capacity(64 * 1024);
    while let Some(first) = rx.recv().await {
        buf.extend_from_slice(&first);
        while buf.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(b) => buf.extend_from_slice(&b),
                Err(_) => break,
            }
        }
        if wr.write_all(&buf).await.is_err() {
            return;
        }
        buf.clear();
    }
    let _ = wr.shutdown().await;
}

/// Resolves when the process should stop serving: Ctrl-C, SIGTERM, or (when
/// `exit_with_parent`) the parent process going away, so a crashed `compare` leaves no
/// server behind.
pub async fn shutdown_signal(exit_with_parent: bool) {
    let parent = std::os::unix::process::parent_id();
    let orphaned = async move {
        if !exit_with_parent {
            return std::future::pending().await;
        }
        loop {
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            if std::os::unix::process::parent_id() != parent {
                return;
            }
        }
    };
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
        _ = orphaned => {}
    }
}
