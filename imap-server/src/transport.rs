//! One connection's byte stream: reading into the framer, writing encoded
//! responses with back-pressure, and the STARTTLS switch.

use std::io;

use bytes::{Bytes, BytesMut};
use imapkit_proto::codec::frame::{Framer, FramerLimits, FramerMode};
use imapkit_proto::codec::{Encoded, Fragment};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio_rustls::TlsAcceptor;

/// A byte stream a connection runs over: TCP, TLS over TCP, or an in-memory
/// duplex in tests.
pub trait Stream: AsyncRead + AsyncWrite + Unpin + Send + 'static {}

impl<T: AsyncRead + AsyncWrite + Unpin + Send + 'static> Stream for T {}

/// Output is gathered up to this many bytes before it is written; a literal
/// at least this large is written straight from its shared buffer.
const WRITE_CHUNK: usize = 16 * 1024;

/// Bytes read from the socket at a time.
const READ_CHUNK: usize = 8 * 1024;

/// The stream with its framer and output buffer.
pub(crate) struct Transport {
    stream: Box<dyn Stream>,
    /// Cuts incoming bytes into commands.
    pub(crate) framer: Framer,
    /// Encoded output not yet written.
    out: BytesMut,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("buffered_out", &self.out.len())
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// A transport over `stream`, framing commands within `limits`.
    pub(crate) fn new(stream: Box<dyn Stream>, limits: FramerLimits) -> Self {
        Self {
            stream,
            framer: Framer::new(FramerMode::Command, limits),
            out: BytesMut::new(),
        }
    }

    /// Reads what the client sent next into the framer; `Ok(0)` is EOF.
    ///
    /// Cancel safe: bytes are only ever appended to the framer's buffer.
    pub(crate) async fn read_more(&mut self) -> io::Result<usize> {
        let buffer = self.framer.buffer_mut();
        buffer.reserve(READ_CHUNK);
        self.stream.read_buf(buffer).await
    }

    /// Queues one encoded response; large literals are written at once from
    /// their shared buffers, so a body is never copied, and the call waits
    /// while the client does not read (back-pressure).
    ///
    /// # Errors
    /// Besides the stream's, `InvalidInput` for a
    /// [`Fragment::Streamed`]: its octets are not in `encoded`, so its
    /// sender writes them with [`Transport::write_data`] after sending the
    /// fragments before it with [`Transport::send_fragment`].
    pub(crate) async fn send(&mut self, encoded: Encoded) -> io::Result<()> {
        for fragment in encoded {
            self.send_fragment(fragment).await?;
        }
        Ok(())
    }

    /// Queues one fragment of an encoded response (see [`Transport::send`]).
    pub(crate) async fn send_fragment(&mut self, fragment: Fragment) -> io::Result<()> {
        match fragment {
            Fragment::Line { data } => {
                self.out.extend_from_slice(&data);
                if self.out.len() >= WRITE_CHUNK {
                    self.write_out().await?;
                }
                Ok(())
            }
            Fragment::Literal { data, .. } => self.write_data(data).await,
            Fragment::Streamed { .. } => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a streamed literal's octets are written by its sender",
            )),
        }
    }

    /// Queues octets of a literal, announced before: at least
    /// [`WRITE_CHUNK`] of them are written at once from their buffer
    /// (after what was queued), waiting while the client does not read.
    pub(crate) async fn write_data(&mut self, data: Bytes) -> io::Result<()> {
        if data.len() >= WRITE_CHUNK {
            self.write_out().await?;
            self.stream.write_all(&data).await?;
        } else {
            self.out.extend_from_slice(&data);
            if self.out.len() >= WRITE_CHUNK {
                self.write_out().await?;
            }
        }
        Ok(())
    }

    async fn write_out(&mut self) -> io::Result<()> {
        if !self.out.is_empty() {
            self.stream.write_all(&self.out).await?;
            self.out.clear();
        }
        Ok(())
    }

    /// Writes everything queued and flushes the stream.
    pub(crate) async fn flush(&mut self) -> io::Result<()> {
        self.write_out().await?;
        self.stream.flush().await
    }

    /// Switches to TLS after a STARTTLS answer was queued: writes it, drops
    /// every byte the client pipelined after the STARTTLS line (they were
    /// sent in the clear and must never run as commands: the STARTTLS
    /// command injection class, CVE-2011-0411 and kin), and does the handshake.
    pub(crate) async fn start_tls(&mut self, acceptor: &TlsAcceptor) -> io::Result<()> {
        self.flush().await?;
        let dropped = self.framer.discard_buffered();
        if dropped > 0 {
            tracing::warn!(dropped, "bytes pipelined after STARTTLS discarded");
        }
        let plain = std::mem::replace(&mut self.stream, Box::new(tokio::io::empty()));
        let tls = acceptor.accept(plain).await?;
        self.stream = Box::new(tls);
        Ok(())
    }

    /// Closes the write side after flushing.
    pub(crate) async fn shutdown(&mut self) -> io::Result<()> {
        self.flush().await?;
        self.stream.shutdown().await
    }
}
