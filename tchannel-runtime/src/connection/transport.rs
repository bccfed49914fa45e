//! The byte stream under a connection: a TCP socket, read by readiness as before, or (with
//! the `tls` feature) any other stream, such as a TLS session over TCP, read by `read_buf`.
//! The plain-TCP path costs one match on an enum whose other variant does not exist without
//! the feature.

use bytes::BytesMut;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;

/// Any stream a connection can run over (a TLS session, say).
#[cfg(feature = "tls")]
pub(crate) trait AsyncIo: AsyncRead + AsyncWrite + Send + Unpin + 'static {}
#[cfg(feature = "tls")]
impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> AsyncIo for T {}

/// A stream other than plain TCP, boxed.
#[cfg(feature = "tls")]
pub(crate) type BoxIo = Box<dyn AsyncIo>;

/// Turns an accepted or connected TCP socket into the stream the connection runs over (a
/// TLS handshake, say), or fails with the reason.
#[cfg(feature = "tls")]
pub(crate) type Upgrade =
    Box<dyn FnOnce(TcpStream) -> super::BoxFuture<Result<BoxIo, crate::Error>> + Send + 'static>;

/// Without the `tls` feature there is no upgrade: a connection is plain TCP.
#[cfg(not(feature = "tls"))]
pub(crate) enum Upgrade {}

/// The reading half of a connection's stream.
pub(crate) enum ReadHalf {
    Tcp(OwnedReadHalf),
    #[cfg(feature = "tls")]
    Boxed(tokio::io::ReadHalf<BoxIo>),
}

/// The writing half of a connection's stream.
pub(crate) enum WriteHalf {
    Tcp(OwnedWriteHalf),
    /// The stream and the local address of the socket under it.
    #[cfg(feature = "tls")]
    Boxed(tokio::io::WriteHalf<BoxIo>, Option<SocketAddr>),
}

/// Splits `stream`, upgraded first if told.
pub(crate) async fn split(
    stream: TcpStream,
    upgrade: Option<Upgrade>,
) -> Result<(ReadHalf, WriteHalf), crate::Error> {
    match upgrade {
        None => Ok(split_tcp(stream)),
        #[cfg(feature = "tls")]
        Some(upgrade) => {
            let local = stream.local_addr().ok();
            Ok(split_boxed(upgrade(stream).await?, local))
        }
        #[cfg(not(feature = "tls"))]
        Some(never) => match never {},
    }
}

/// Splits a plain TCP socket.
pub(crate) fn split_tcp(stream: TcpStream) -> (ReadHalf, WriteHalf) {
    let (rd, wr) = stream.into_split();
    (ReadHalf::Tcp(rd), WriteHalf::Tcp(wr))
}

/// Splits another stream; `local` is the address of the socket under it.
#[cfg(feature = "tls")]
fn split_boxed(stream: BoxIo, local: Option<SocketAddr>) -> (ReadHalf, WriteHalf) {
    let (rd, wr) = tokio::io::split(stream);
    (ReadHalf::Boxed(rd), WriteHalf::Boxed(wr, local))
}

impl ReadHalf {
    /// One non-blocking read into `buf`; None if there is nothing to read now (and always
    /// for a stream that is not TCP: [`ReadHalf::wait`] reads it).
    #[inline]
    pub(crate) fn try_read(&mut self, buf: &mut BytesMut) -> Option<io::Result<usize>> {
        match self {
            ReadHalf::Tcp(rd) => match rd.try_read_buf(buf) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => None,
                r => Some(r),
            },
            #[cfg(feature = "tls")]
            ReadHalf::Boxed(_) => None,
        }
    }

    /// Waits until the stream can be read. A TCP socket is only waited for (None: read it
    /// with [`ReadHalf::try_read`], into a buffer taken only then); another stream is read
    /// into `buf` (reserving `chunk` bytes if it has less than `min` room), giving the
    /// count. Cancel-safe: nothing is read unless it returns.
    pub(crate) async fn wait(
        &mut self,
        buf: &mut BytesMut,
        min: usize,
        chunk: usize,
    ) -> io::Result<Option<usize>> {
        match self {
            ReadHalf::Tcp(rd) => {
                let _ = (buf, min, chunk);
                rd.readable().await.map(|()| None)
            }
            #[cfg(feature = "tls")]
            ReadHalf::Boxed(rd) => {
                use tokio::io::AsyncReadExt;
                if buf.capacity() - buf.len() < min {
                    buf.reserve(chunk);
                }
                rd.read_buf(buf).await.map(Some)
            }
        }
    }
}

impl AsyncRead for ReadHalf {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            ReadHalf::Tcp(rd) => Pin::new(rd).poll_read(cx, buf),
            #[cfg(feature = "tls")]
            ReadHalf::Boxed(rd) => Pin::new(rd).poll_read(cx, buf),
        }
    }
}

impl WriteHalf {
    /// The local address of the socket.
    pub(crate) fn local_addr(&self) -> io::Result<SocketAddr> {
        match self {
            WriteHalf::Tcp(wr) => wr.local_addr(),
            #[cfg(feature = "tls")]
            WriteHalf::Boxed(_, local) => {
                local.ok_or_else(|| io::Error::other("the stream has no local address"))
            }
        }
    }
}

impl WriteHalf {
    /// Writes all of `buf` and has it on its way to the peer: a TLS session is flushed (it
    /// may keep records it could not write yet), a TCP socket needs nothing more.
    pub(crate) async fn send_all(&mut self, buf: &[u8]) -> io::Result<()> {
        use tokio::io::AsyncWriteExt;
        match self {
            WriteHalf::Tcp(wr) => wr.write_all(buf).await,
            #[cfg(feature = "tls")]
            WriteHalf::Boxed(wr, _) => {
                wr.write_all(buf).await?;
                wr.flush().await
            }
        }
    }
}

impl AsyncWrite for WriteHalf {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            WriteHalf::Tcp(wr) => Pin::new(wr).poll_write(cx, buf),
            #[cfg(feature = "tls")]
            WriteHalf::Boxed(wr, _) => Pin::new(wr).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            WriteHalf::Tcp(wr) => Pin::new(wr).poll_flush(cx),
            #[cfg(feature = "tls")]
            WriteHalf::Boxed(wr, _) => Pin::new(wr).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            WriteHalf::Tcp(wr) => Pin::new(wr).poll_shutdown(cx),
            #[cfg(feature = "tls")]
            WriteHalf::Boxed(wr, _) => Pin::new(wr).poll_shutdown(cx),
        }
    }
}
