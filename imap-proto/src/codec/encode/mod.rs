//! Encoding: values into wire bytes, as lines and literals.
//!
//! Every type implements the crate-private `EncodeInto`; the public entry
//! point is [`Encode::encode`], which yields an [`Encoded`]: a sequence of
//! [`Fragment`]s, so that a client knows where to wait for a continuation
//! request and a server can send a message body as a shared [`Bytes`]
//! without copying it.

mod acl;
mod body;
mod capability;
mod command;
mod common;
mod core;
mod fetch;
mod id;
mod list;
mod namespace;
mod quota;
mod response;
mod search;
mod sort;
mod status;

use bytes::{BufMut, Bytes, BytesMut};

use crate::core::LiteralMode;

/// One piece of encoded output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fragment {
    /// Protocol text; when a literal follows, it ends with the literal's
    /// announcement (`{n}` CRLF).
    Line {
        /// The bytes.
        data: Bytes,
    },
    /// The data of a literal announced by the previous line.
    Literal {
        /// The bytes (shared, not copied).
        data: Bytes,
        /// How it was announced: after a [`LiteralMode::Sync`] literal a
        /// client waits for a continuation request.
        mode: LiteralMode,
    },
    /// The data of a literal announced by the previous line, which the
    /// sender writes itself: exactly `len` octets (a server streaming a
    /// message body, [`MessageDataItem::Streamed`](crate::fetch::MessageDataItem::Streamed)).
    Streamed {
        /// The number of octets announced.
        len: u64,
    },
}

/// The encoding of one command or response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Encoded {
    fragments: Vec<Fragment>,
}

impl Encoded {
    /// The fragments, in order.
    pub fn fragments(&self) -> &[Fragment] {
        &self.fragments
    }

    /// All bytes concatenated (copies literals; for tests and small values).
    /// A [`Fragment::Streamed`] adds nothing: its octets are not here.
    pub fn dump(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for fragment in &self.fragments {
            match fragment {
                Fragment::Line { data } | Fragment::Literal { data, .. } => {
                    out.extend_from_slice(data)
                }
                Fragment::Streamed { .. } => {}
            }
        }
        out
    }
}

impl IntoIterator for Encoded {
    type Item = Fragment;
    type IntoIter = std::vec::IntoIter<Fragment>;

    fn into_iter(self) -> Self::IntoIter {
        self.fragments.into_iter()
    }
}

/// Values that can be written to the wire: commands and responses.
pub trait Encode {
    /// Encodes `self` as lines and literals.
    fn encode(&self) -> Encoded;
}

/// Encodes `value` as a client writes it (literals `{n}` or `{n+}`).
pub(crate) fn encode_client(value: &impl EncodeInto) -> Encoded {
    let mut ctx = EncodeContext::default();
    value.encode_into(&mut ctx);
    ctx.finish()
}

/// Encodes `value` as a server writes it (literals always `{n}`).
pub(crate) fn encode_server(value: &impl EncodeInto) -> Encoded {
    let mut ctx = EncodeContext::server();
    value.encode_into(&mut ctx);
    ctx.finish()
}

/// Whether literals are announced as a client (`{n}` / `{n+}`) or a server
/// (always `{n}`, servers never wait).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Side {
    /// Encoding a command.
    #[default]
    Client,
    /// Encoding a response.
    Server,
}

/// The buffer encoders write into.
#[derive(Debug, Default)]
pub(crate) struct EncodeContext {
    line: BytesMut,
    fragments: Vec<Fragment>,
    side: Side,
}

impl EncodeContext {
    /// A context for encoding a response.
    pub(crate) fn server() -> Self {
        Self {
            side: Side::Server,
            ..Self::default()
        }
    }

    /// Appends protocol text.
    pub(crate) fn put(&mut self, bytes: &[u8]) {
        self.line.extend_from_slice(bytes);
    }

    /// Appends one byte of protocol text.
    pub(crate) fn put_u8(&mut self, byte: u8) {
        self.line.put_u8(byte);
    }

    /// Appends a number in decimal.
    pub(crate) fn put_num(&mut self, n: impl itoa::Integer) {
        let mut buf = itoa::Buffer::new();
        self.line.extend_from_slice(buf.format(n).as_bytes());
    }

    /// Appends a literal: its announcement ends the current line, its data
    /// becomes a fragment of its own.
    pub(crate) fn put_literal(&mut self, data: &Bytes, mode: LiteralMode, binary: bool) {
        if binary {
            self.put_u8(b'~');
        }
        self.put_u8(b'{');
        self.put_num(data.len());
        if mode == LiteralMode::NonSync && self.side == Side::Client {
            self.put_u8(b'+');
        }
        self.put(b"}\r\n");
        self.flush_line();
        let mode = if self.side == Side::Server {
            LiteralMode::NonSync
        } else {
            mode
        };
        self.fragments.push(Fragment::Literal {
            data: data.clone(),
            mode,
        });
    }

    /// Appends the announcement of a literal of `len` octets that the
    /// sender writes itself (a server's `{len}`): it ends the current line,
    /// and a [`Fragment::Streamed`] stands for the data.
    pub(crate) fn put_streamed_literal(&mut self, len: u64) {
        self.put_u8(b'{');
        self.put_num(len);
        self.put(b"}\r\n");
        self.flush_line();
        self.fragments.push(Fragment::Streamed { len });
    }

    fn flush_line(&mut self) {
        if !self.line.is_empty() {
            let data = self.line.split().freeze();
            self.fragments.push(Fragment::Line { data });
        }
    }

    /// Ends encoding.
    pub(crate) fn finish(mut self) -> Encoded {
        self.flush_line();
        Encoded {
            fragments: self.fragments,
        }
    }
}

/// Writing a value's wire form into an [`EncodeContext`].
pub(crate) trait EncodeInto {
    /// Writes `self`.
    fn encode_into(&self, ctx: &mut EncodeContext);
}

impl<T: EncodeInto + ?Sized> EncodeInto for &T {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        (**self).encode_into(ctx)
    }
}

/// Writes `items` separated by `sep`.
pub(crate) fn join<T: EncodeInto>(
    ctx: &mut EncodeContext,
    items: impl IntoIterator<Item = T>,
    sep: &[u8],
) {
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            ctx.put(sep);
        }
        item.encode_into(ctx);
    }
}

/// Writes `(` items separated by SP `)`.
pub(crate) fn paren_list<T: EncodeInto>(
    ctx: &mut EncodeContext,
    items: impl IntoIterator<Item = T>,
) {
    ctx.put_u8(b'(');
    join(ctx, items, b" ");
    ctx.put_u8(b')');
}
