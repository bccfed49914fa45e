//! The load generator: C connections with N calls in flight on each, for a warmup and then
//! a measured window.
//!
//! A call counts when it started after the warmup and finished before the end of the
//! window; calls/s is that count over the window's length. Each connection (or each
//! TChannel caller task) keeps its own histogram, merged at the end, so recording takes
//! no lock.

use crate::framing::{frame_id, put_frame, take_frame, HEADER_LEN, MAX_PAYLOAD, TYPE_REQUEST};
use crate::stats::{Recorder, Report, Settings};
use bytes::{Bytes, BytesMut};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tchannel_runtime::{Name, TChannel};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// What the load is sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A TChannel server: raw calls made with `tchannel-runtime`'s client.
    Tchannel,
    /// The plain echo: bare frames matched by id.
    Plain,
    /// A TChannel server driven like the plain echo: after the init handshake, one
    /// pre-encoded call req frame (arg3 = the payload, crc32c) resent with new ids, each
    /// answer checked to be a one-frame OK call res. Measures the server without the
    /// cost of the Rust client.
    Frames,
}

impl Target {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Target::Tchannel => "tchannel",
            Target::Plain => "plain",
            Target::Frames => "frames",
        }
    }
}

/// One load run.
#[derive(Debug, Clone)]
pub struct LoadConfig {
    /// What kind of server.
    pub target: Target,
    /// Its `host:port`.
    pub hostport: String,
    /// TChannel service (ignored for plain).
    pub service: String,
    /// TChannel endpoint (ignored for plain).
    pub endpoint: String,
    /// Connections (TChannel: separate client channels, one connection each).
    pub connections: usize,
    /// Calls in flight on each connection.
    pub in_flight: usize,
    /// Payload bytes: arg3 for TChannel (arg2 is empty), the frame payload for plain.
    pub size: usize,
    /// Measured window.
    pub duration: Duration,
    /// Calls made before the window and not counted.
    pub warmup: Duration,
    /// Timeout of each call; also how long to wait for stragglers after the window.
    pub timeout: Duration,
    /// TChannel: the client channel's `max_pending_per_peer`, if set.
    pub max_pending_per_peer: Option<usize>,
}

impl LoadConfig {
    /// Defaults: one connection, 100 in flight, 100 bytes, 10 s after 2 s of warmup.
    pub fn new(target: Target, hostport: impl Into<String>) -> Self {
        LoadConfig {
            target,
            hostport: hostport.into(),
            service: "bench".into(),
            endpoint: "echo".into(),
            connections: 1,
            in_flight: 100,
            size: 100,
            duration: Duration::from_secs(10),
            warmup: Duration::from_secs(2),
            timeout: Duration::from_secs(5),
            max_pending_per_peer: None,
        }
    }

    fn settings(&self) -> Settings {
        Settings {
            target: self.target.name().into(),
            hostport: self.hostport.clone(),
            service: match self.target {
                Target::Tchannel | Target::Frames => self.service.clone(),
                Target::Plain => String::new(),
            },
            connections: self.connections,
            in_flight: self.in_flight,
            size: self.size,
        }
    }
}

/// Runs the load and reports. Fails when the server cannot be reached or the settings
/// are impossible; failed calls during the run are counted, not returned.
pub async fn run(cfg: &LoadConfig) -> Result<Report, String> {
    if cfg.connections == 0 || cfg.in_flight == 0 {
        return Err("--connections and --in-flight must be at least 1".into());
    }
    match cfg.target {
        Target::Tchannel => run_tchannel(cfg).await,
        Target::Plain | Target::Frames => run_framed(cfg).await,
    }
}

/// The measured window.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    end: Instant,
}

impl Window {
    fn after_warmup(cfg: &LoadConfig) -> Self {
        let start = Instant::now() + cfg.warmup;
        Window {
            start,
            end: start + cfg.duration,
        }
    }

    fn counts(&self, began: Instant, finished: Instant) -> bool {
        began >= self.start && finished <= self.end
    }
}

async fn run_tchannel(cfg: &LoadConfig) -> Result<Report, String> {
    let body = Bytes::from(vec![b'x'; cfg.size]);
    let mut channels = Vec::with_capacity(cfg.connections);
    for _ in 0..cfg.connections {
        let mut b = TChannel::builder("tchannel-bench").default_timeout(cfg.timeout);
        if let Some(n) = cfg.max_pending_per_peer {
            b = b.max_pending_per_peer(n);
        }
        let ch = b.build();
        // Connect (and check the endpoint answers) before the clock starts.
        let res = ch
            .raw(cfg.service.clone(), cfg.endpoint.clone())
            .hostport(&cfg.hostport)
            .body(body.clone())
            .await
            .map_err(|e| format!("first call to {} failed: {e}", cfg.hostport))?;
        if !res.ok || res.body.len() != cfg.size {
            return Err(format!(
                "first call to {} answered ok={} with {} bytes (sent {})",
                cfg.hostport,
                res.ok,
                res.body.len(),
                cfg.size
            ));
        }
        channels.push(ch);
    }
    let window = Window::after_warmup(cfg);
    // One histogram per connection, shared by its callers: one per caller would be
    // 100 x 200 KiB of counters at 100 in flight, and the cache misses showed in profiles.
    let recorders: Vec<_> = channels
        .iter()
        .map(|_| Arc::new(Mutex::new(Recorder::default())))
        .collect();
    let mut tasks = Vec::with_capacity(cfg.connections * cfg.in_flight);
    for (ch, rec) in channels.iter().zip(&recorders) {
        for _ in 0..cfg.in_flight {
            let ch = ch.clone();
            let body = body.clone();
            let cfg = cfg.clone();
            let rec = rec.clone();
            tasks.push(tokio::spawn(async move {
                tchannel_caller(ch, body, cfg, window, rec).await
            }));
        }
    }
    for t in tasks {
        t.await.map_err(|e| format!("a caller task failed: {e}"))?;
    }
    let mut total = Recorder::default();
    for rec in &recorders {
        total.merge(&rec.lock().unwrap_or_else(|p| p.into_inner()));
    }
    for ch in channels {
        ch.close().await;
    }
    Ok(total.report(cfg.settings(), cfg.duration))
}

/// One caller: a call at a time, until the window ends.
async fn tchannel_caller(
    ch: TChannel,
    body: Bytes,
    cfg: LoadConfig,
    window: Window,
    rec: Arc<Mutex<Recorder>>,
) {
    // The names once, shared by every call (a reference count each, no copy).
    let service = Name::from(cfg.service.clone());
    let endpoint = Name::from(cfg.endpoint.clone());
    let hostport = Name::from(cfg.hostport.clone());
    loop {
        let began = Instant::now();
        if began >= window.end {
            return;
        }
        let res = ch
            .raw(service.clone(), endpoint.clone())
            .hostport(hostport.clone())
            .body(body.clone())
            .await;
        let finished = Instant::now();
        let good = matches!(&res, Ok(r) if r.ok && r.body.len() == cfg.size);
        if window.counts(began, finished) {
            let mut rec = rec.lock().unwrap_or_else(|p| p.into_inner());
            if good {
                rec.ok(finished - began);
            } else {
                rec.error();
            }
        }
        if res.is_err() {
            // Do not spin on a dead server.
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
}

async fn run_framed(cfg: &LoadConfig) -> Result<Report, String> {
    let request = match cfg.target {
        Target::Frames => call_req_frame(cfg)?,
        _ => {
            if cfg.size > MAX_PAYLOAD {
                return Err(format!(
                    "plain frames carry at most {MAX_PAYLOAD} payload bytes, not {}",
                    cfg.size
                ));
            }
            let mut b = BytesMut::new();
            put_frame(&mut b, TYPE_REQUEST, 0, cfg.size);
            b.freeze()
        }
    };
    let mut streams = Vec::with_capacity(cfg.connections);
    for _ in 0..cfg.connections {
        let mut s = TcpStream::connect(&cfg.hostport)
            .await
            .map_err(|e| format!("cannot connect to {}: {e}", cfg.hostport))?;
        let _ = s.set_nodelay(true);
        if cfg.target == Target::Frames {
            handshake(&mut s, cfg).await?;
        }
        streams.push(s);
    }
    let window = Window::after_warmup(cfg);
    let tasks: Vec<_> = streams
        .into_iter()
        .map(|s| {
            let cfg = cfg.clone();
            let request = request.clone();
            tokio::spawn(async move { framed_connection(s, cfg, window, request).await })
        })
        .collect();
    let mut total = Recorder::default();
    for t in tasks {
        let rec = t
            .await
            .map_err(|e| format!("a connection task failed: {e}"))??;
        total.merge(&rec);
    }
    Ok(total.report(cfg.settings(), cfg.duration))
}

/// The call req every `frames` request is a copy of (id 0, patched per send).
fn call_req_frame(cfg: &LoadConfig) -> Result<Bytes, String> {
    use tchannel_runtime::checksum::{ChecksumType, RunningChecksum};
    use tchannel_runtime::frame::{CallReq, Chunks, Frame, FrameBody, TransportHeaders};
    let arg1 = Bytes::from(cfg.endpoint.clone());
    let arg3 = Bytes::from(vec![b'x'; cfg.size]);
    let mut sum = RunningChecksum::new(ChecksumType::Crc32c);
    sum.update(&arg1);
    sum.update(&arg3);
    let mut headers = TransportHeaders::new();
    headers.insert("as", "raw");
    headers.insert("cn", "tchannel-bench");
    headers.insert("re", "c");
    let mut chunks = Chunks::new();
    for arg in [arg1, Bytes::new(), arg3] {
        chunks.push(arg);
    }
    let frame = Frame {
        id: 0,
        body: FrameBody::CallReq(CallReq {
            ttl: cfg.timeout.as_millis().clamp(1, u32::MAX as u128) as u32,
            service: Bytes::from(cfg.service.clone()),
            headers,
            checksum: sum.checksum(),
            chunks,
            ..Default::default()
        }),
    }
    .to_bytes()
    .map_err(|e| format!("the call frame does not encode: {e}"))?;
    if frame.len() > crate::framing::MAX_FRAME {
        return Err(format!(
            "--target frames sends one frame per call: --size {} does not fit",
            cfg.size
        ));
    }
    Ok(frame)
}

/// The init handshake, as an ephemeral client.
async fn handshake(s: &mut TcpStream, cfg: &LoadConfig) -> Result<(), String> {
    use tchannel_runtime::frame::{Frame, FrameBody, Init};
    let headers = [
        ("host_port", "0.0.0.0:0"),
        ("process_name", "tchannel-bench"),
        ("tchannel_language", "rust"),
        ("tchannel_language_version", "1"),
        ("tchannel_version", env!("CARGO_PKG_VERSION")),
    ];
    let init = Frame {
        id: 1,
        body: FrameBody::InitReq(Init {
            version: tchannel_runtime::PROTOCOL_VERSION,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }),
    };
    let err = |e: std::io::Error| format!("handshake with {}: {e}", cfg.hostport);
    let init = init
        .to_bytes()
        .map_err(|e| format!("the init frame does not encode: {e}"))?;
    s.write_all(&init).await.map_err(err)?;
    let mut buf = BytesMut::with_capacity(1024);
    loop {
        if let Some(f) = take_frame(&mut buf).map_err(|e| e.to_string())? {
            if f[2] != 0x02 {
                return Err(format!(
                    "handshake with {}: got frame type {:#04x}, not init res",
                    cfg.hostport, f[2]
                ));
            }
            // Frames are answered in order, so nothing else can follow yet.
            return Ok(());
        }
        if s.read_buf(&mut buf).await.map_err(err)? == 0 {
            return Err(format!("{} closed during the handshake", cfg.hostport));
        }
    }
}

/// One connection of the frame-level targets: `in_flight` copies of `request`
/// outstanding (TChannel ids 2.., plain ids 0..), each resent as soon as its answer
/// arrives. This task reads; a writer task batches the sends.
async fn framed_connection(
    stream: TcpStream,
    cfg: LoadConfig,
    window: Window,
    request: Bytes,
) -> Result<Recorder, String> {
    let (mut rd, wr) = stream.into_split();
    let (tx, rx) = mpsc::unbounded_channel::<u32>();
    let writer = tokio::spawn(write_requests(rx, wr, request));
    let n = cfg.in_flight;
    // Id 1 was the handshake's; ids never reach 0xFFFFFFFF.
    let base: u32 = if cfg.target == Target::Frames { 2 } else { 0 };
    let good = |frame: &[u8]| match cfg.target {
        // call res, flags 0 (one frame), code 0 (OK)
        Target::Frames => {
            frame[2] == 0x04 && frame.get(16) == Some(&0) && frame.get(17) == Some(&0)
        }
        _ => frame.len() == HEADER_LEN + cfg.size,
    };
    let now = Instant::now();
    let mut sent_at = vec![now; n];
    for id in 0..n {
        let _ = tx.send(base + id as u32);
    }
    let mut outstanding = n;
    let mut rec = Recorder::default();
    let mut buf = BytesMut::with_capacity(64 * 1024);
    let give_up = window.end + cfg.timeout;
    'read: loop {
        loop {
            let frame = match take_frame(&mut buf) {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) => return Err(format!("{}: {e}", cfg.hostport)),
            };
            let finished = Instant::now();
            let id = frame_id(&frame).wrapping_sub(base) as usize;
            if id >= n {
                return Err(format!(
                    "{} answered a frame of type {:#04x} with unknown id {}",
                    cfg.hostport,
                    frame[2],
                    frame_id(&frame)
                ));
            }
            outstanding -= 1;
            if window.counts(sent_at[id], finished) {
                if good(&frame) {
                    rec.ok(finished - sent_at[id]);
                } else {
                    rec.error();
                }
            }
            if finished < window.end {
                sent_at[id] = finished;
                if tx.send(base + id as u32).is_err() {
                    break 'read;
                }
                outstanding += 1;
            }
        }
        if outstanding == 0 {
            break;
        }
        if buf.capacity() - buf.len() < 8 * 1024 {
            buf.reserve(64 * 1024);
        }
        match tokio::time::timeout_at(give_up, rd.read_buf(&mut buf)).await {
            Ok(Ok(0)) => return Err(format!("{} closed the connection", cfg.hostport)),
            Ok(Ok(_)) => {}
            Ok(Err(e)) => return Err(format!("reading from {}: {e}", cfg.hostport)),
            Err(_) => break, // stragglers past the window do not count anyway
        }
    }
    drop(tx);
    let _ = writer.await;
    Ok(rec)
}

async fn write_requests(
    mut rx: mpsc::UnboundedReceiver<u32>,
    mut wr: OwnedWriteHalf,
    request: Bytes,
) {
    let mut buf = BytesMut::with_capacity(64 * 1024);
    let put = |buf: &mut BytesMut, id: u32| {
        let at = buf.len();
        buf.extend_from_slice(&request);
        buf[at + 4..at + 8].copy_from_slice(&id.to_be_bytes());
    };
    while let Some(id) = rx.recv().await {
        put(&mut buf, id);
        while buf.len() < 256 * 1024 {
            match rx.try_recv() {
                Ok(id) => put(&mut buf, id),
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
