//! A byte-level TChannel peer for tests: frames written by hand, frames read back raw.
#![allow(dead_code)]

use bytes::{Bytes, BytesMut};
use tchannel_runtime::checksum::{ChecksumType, RunningChecksum};
use tchannel_runtime::frame::{
    CallReq, Chunks, Decoded, Frame, FrameBody, FrameCodec, Init, TransportHeaders,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub struct RawPeer {
    pub stream: TcpStream,
    buf: BytesMut,
}

impl RawPeer {
    /// Connects and completes the handshake as a client.
    pub async fn connect(addr: std::net::SocketAddr) -> RawPeer {
        let stream = TcpStream::connect(addr).await.unwrap();
        let mut p = RawPeer {
            stream,
            buf: BytesMut::new(),
        };
        p.send(&Frame {
            id: 1,
            body: FrameBody::InitReq(Init {
                version: 2,
                headers: vec![
                    ("host_port".into(), "0.0.0.0:0".into()),
                    ("process_name".into(), "raw-peer".into()),
                ],
            }),
        })
        .await;
        let res = p.recv().await.expect("init res");
        assert!(matches!(res.body, FrameBody::InitRes(_)), "{res:?}");
        p
    }

    pub async fn send(&mut self, f: &Frame) {
        self.send_bytes(&f.to_bytes().unwrap()).await;
    }

    pub async fn send_bytes(&mut self, b: &[u8]) {
        self.stream.write_all(b).await.unwrap();
    }

    /// The next frame, or None at EOF.
    pub async fn recv(&mut self) -> Option<Frame> {
        loop {
            match FrameCodec::decode(&mut self.buf).unwrap() {
                Some(Decoded::Frame(f)) => return Some(f),
                Some(Decoded::Malformed { error, .. }) => panic!("peer sent malformed: {error}"),
                None => {}
            }
            self.buf.reserve(65536);
            if self.stream.read_buf(&mut self.buf).await.unwrap_or(0) == 0 {
                return None;
            }
        }
    }
}

/// A one-frame call req with a correct checksum of the given type.
pub fn call_req(
    id: u32,
    service: &str,
    scheme: &str,
    ttl: u32,
    args: [&[u8]; 3],
    csum: ChecksumType,
) -> Frame {
    let mut c = RunningChecksum::new(csum);
    let mut chunks = Chunks::new();
    for a in args {
        c.update(a);
        chunks.push(Bytes::copy_from_slice(a));
    }
    let mut headers = TransportHeaders::new();
    headers.insert("as", scheme.to_string());
    headers.insert("cn", "raw-peer");
    Frame {
        id,
        body: FrameBody::CallReq(CallReq {
            flags: 0,
            ttl,
            tracing: Default::default(),
            service: Bytes::copy_from_slice(service.as_bytes()),
            headers,
            checksum: c.frame_checksum(chunks.as_slice()),
            chunks,
        }),
    }
}

/// Binds `addr` again, trying for up to a second while a dropped channel's listener goes away
/// (its accept task is aborted, not joined); `None` if it is still bound.
pub async fn bind_again(addr: std::net::SocketAddr) -> Option<tokio::net::TcpListener> {
    for _ in 0..100 {
        if let Ok(l) = tokio::net::TcpListener::bind(addr).await {
            return Some(l);
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    None
}
