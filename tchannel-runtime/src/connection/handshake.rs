//! The init handshake (protocol section 8.1): the connecting side sends init req and waits
//! for init res; the accepting side waits for init req and answers. Nothing else may be sent
//! before it completes.

use super::transport::{ReadHalf, WriteHalf};
use super::{PeerInfo, ReadBuf};
use crate::error::{Error, ErrorCode};
use crate::frame::types::{ERROR, INIT_REQ, INIT_RES};
use crate::frame::Decoded;
use crate::frame::{ErrorFrame, Frame, FrameBody, FrameCodec, Init, Tracing, HEADER_LEN, NO_ID};
use bytes::BytesMut;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::AsyncReadExt;

/// Protocol version spoken.
pub const PROTOCOL_VERSION: u16 = 2;

/// What this process tells a peer about itself in the handshake.
#[derive(Debug, Clone)]
pub(crate) struct LocalInfo {
    /// The address this process listens on, if it does.
    pub listen: Option<SocketAddr>,
    pub process_name: String,
}

impl LocalInfo {
    /// The `host_port` to send on a connection whose local end is `local`: the listening
    /// address, with an unspecified IP replaced by the one this connection uses, or
    /// `0.0.0.0:0` for an ephemeral client.
    pub(crate) fn host_port(&self, local: Option<SocketAddr>) -> String {
        match self.listen {
            Some(l) if l.ip().is_unspecified() => match local {
                Some(a) => SocketAddr::new(a.ip(), l.port()).to_string(),
                None => l.to_string(),
            },
            Some(l) => l.to_string(),
            None => "0.0.0.0:0".to_string(),
        }
    }

    fn init(&self, local: Option<SocketAddr>) -> Init {
        Init {
            version: PROTOCOL_VERSION,
            headers: vec![
                ("host_port".into(), self.host_port(local)),
                ("process_name".into(), self.process_name.clone()),
                ("tchannel_language".into(), "rust".into()),
                (
                    "tchannel_language_version".into(),
                    option_env!("CARGO_PKG_RUST_VERSION")
                        .unwrap_or("1")
                        .to_string(),
                ),
                (
                    "tchannel_version".into(),
                    env!("CARGO_PKG_VERSION").to_string(),
                ),
            ],
        }
    }
}

fn peer_info(init: &Init, addr: SocketAddr) -> Result<PeerInfo, Error> {
    if init.version != PROTOCOL_VERSION {
        return Err(Error::protocol(format!(
            "unsupported protocol version {}",
            init.version
        )));
    }
    let host_port = init
        .header("host_port")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::protocol("init is missing the host_port header"))?;
    let process_name = init
        .header("process_name")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::protocol("init is missing the process_name header"))?;
    Ok(PeerInfo::new(host_port, process_name, addr))
}

/// Reads the first frame of the handshake, which must be of one of the `expected` types.
/// A frame of another type is refused as soon as its 16-byte header is in, without waiting
/// for (or buffering) the payload it declares: an HTTP request, say, declares 18,245 bytes.
async fn read_frame(
    rd: &mut ReadHalf,
    buf: &mut BytesMut,
    expected: &[u8],
) -> Result<Frame, HandshakeError> {
    loop {
        if buf.len() >= HEADER_LEN && !expected.contains(&buf[2]) {
            let id = u32::from_be_bytes([buf[4], buf[5], buf[6], buf[7]]);
            return Err(HandshakeError::Refuse(
                id,
                Error::protocol(format!(
                    "expected {} as the first frame, got a frame of type {:#04x} (size {})",
                    expected_names(expected),
                    buf[2],
                    u16::from_be_bytes([buf[0], buf[1]])
                )),
            ));
        }
        match FrameCodec::decode(buf) {
            Ok(Some(Decoded::Frame(f))) => return Ok(f),
            Ok(Some(Decoded::Malformed { id, error, .. })) => {
                return Err(HandshakeError::Refuse(
                    id,
                    Error::protocol(format!("bad handshake frame: {error}")),
                ))
            }
            Err(e) => {
                return Err(HandshakeError::Refuse(
                    NO_ID,
                    Error::protocol(e.to_string()),
                ))
            }
            Ok(None) => {}
        }
        buf.reserve(4096);
        match rd.read_buf(buf).await {
            Ok(0) => {
                return Err(HandshakeError::Io(Error::network(
                    "connection closed during the init handshake",
                )))
            }
            Ok(_) => {}
            Err(e) => return Err(HandshakeError::Io(e.into())),
        }
    }
}

fn expected_names(types: &[u8]) -> &'static str {
    if types.contains(&INIT_REQ) {
        "an init req (type 0x01)"
    } else {
        "an init res (type 0x02)"
    }
}

/// Why the first frame was not read: the peer sent something to refuse (answered with a
/// protocol error frame for that id by the accepting side), or the socket failed.
enum HandshakeError {
    Refuse(u32, Error),
    Io(Error),
}

impl HandshakeError {
    fn into_error(self) -> Error {
        match self {
            HandshakeError::Refuse(_, e) | HandshakeError::Io(e) => e,
        }
    }
}

async fn send(wr: &mut WriteHalf, frame: Frame) -> Result<(), Error> {
    wr.send_all(&frame.to_bytes()?).await?;
    Ok(())
}

async fn send_error(wr: &mut WriteHalf, id: u32, code: ErrorCode, msg: &str) {
    let frame = Frame {
        id,
        body: FrameBody::Error(ErrorFrame::new(code, Tracing::default(), msg)),
    };
    let _ = send(wr, frame).await;
}

/// Connecting side. Returns the peer and any bytes read past its init res.
pub(crate) async fn initiate(
    rd: &mut ReadHalf,
    wr: &mut WriteHalf,
    local: &LocalInfo,
    remote: SocketAddr,
    timeout: Duration,
) -> Result<(PeerInfo, ReadBuf), Error> {
    let local_addr = wr.local_addr().ok();
    let run = async {
        send(
            wr,
            Frame {
                id: 1,
                body: FrameBody::InitReq(local.init(local_addr)),
            },
        )
        .await?;
        let mut buf = BytesMut::with_capacity(4096);
        let frame = read_frame(rd, &mut buf, &[INIT_RES, ERROR])
            .await
            .map_err(HandshakeError::into_error)?;
        match frame.body {
            FrameBody::InitRes(init) if frame.id == 1 => Ok((peer_info(&init, remote)?, buf)),
            FrameBody::Error(e) => Err(Error::from_code(
                e.code,
                format!(
                    "peer refused the handshake: {}",
                    String::from_utf8_lossy(&e.message)
                ),
            )),
            other => Err(Error::protocol(format!(
                "expected init res with id 1, got {} with id {}",
                other.name(),
                frame.id
            ))),
        }
    };
    match tokio::time::timeout(timeout, run).await {
        Ok(r) => r,
        Err(_) => Err(Error::timeout(format!(
            "init handshake with {remote} did not finish within {}ms",
            timeout.as_millis()
        ))),
    }
}

/// Accepting side. Returns the peer and any bytes read past its init req.
pub(crate) async fn respond(
    rd: &mut ReadHalf,
    wr: &mut WriteHalf,
    local: &LocalInfo,
    remote: SocketAddr,
    timeout: Duration,
) -> Result<(PeerInfo, ReadBuf), Error> {
    let local_addr = wr.local_addr().ok();
    let mut buf = BytesMut::with_capacity(4096);
    let frame = match tokio::time::timeout(timeout, read_frame(rd, &mut buf, &[INIT_REQ])).await {
        Ok(Ok(f)) => f,
        Ok(Err(HandshakeError::Refuse(id, e))) => {
            send_error(wr, id, ErrorCode::Protocol, e.message()).await;
            return Err(e);
        }
        Ok(Err(HandshakeError::Io(e))) => return Err(e),
        Err(_) => {
            let msg = format!("no init req within {}ms", timeout.as_millis());
            send_error(wr, NO_ID, ErrorCode::Timeout, &msg).await;
            return Err(Error::timeout(msg));
        }
    };
    let init = match frame.body {
        FrameBody::InitReq(init) => init,
        other => {
            let msg = format!("expected init req, got {}", other.name());
            send_error(wr, frame.id, ErrorCode::Protocol, &msg).await;
            return Err(Error::protocol(msg));
        }
    };
    let peer = match peer_info(&init, remote) {
        Ok(p) => p,
        Err(e) => {
            send_error(wr, frame.id, ErrorCode::Protocol, e.message()).await;
            return Err(e);
        }
    };
    send(
        wr,
        Frame {
            id: frame.id,
            body: FrameBody::InitRes(local.init(local_addr)),
        },
    )
    .await?;
    Ok((peer, buf))
}
