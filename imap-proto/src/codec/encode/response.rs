//! Encoders of server responses, as a server writes them.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;

use super::search::encode_search_data;
use super::{encode_server, paren_list, Encode, EncodeContext, EncodeInto, Encoded};
use crate::response::{
    Code, CodeText, ContinueRequest, Data, RespText, Response, Status, StatusKind,
};

impl Encode for Response {
    /// Encodes the response in the server context: literals are `{n}` and
    /// their data (a FETCH body) is a [`Fragment::Literal`](super::Fragment)
    /// sharing the value's `Bytes`.
    fn encode(&self) -> Encoded {
        encode_server(self)
    }
}

impl EncodeInto for Response {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Status(status) => status.encode_into(ctx),
            Self::Data(data) => {
                ctx.put(b"* ");
                data.encode_into(ctx);
                ctx.put(b"\r\n");
            }
            Self::ContinueRequest(request) => request.encode_into(ctx),
        }
    }
}

impl EncodeInto for StatusKind {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(match self {
            Self::Ok => b"OK",
            Self::No => b"NO",
            Self::Bad => b"BAD",
        });
    }
}

impl EncodeInto for Status {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Tagged { tag, kind, body } => {
                tag.encode_into(ctx);
                ctx.put_u8(b' ');
                kind.encode_into(ctx);
                ctx.put_u8(b' ');
                body.encode_into(ctx);
            }
            Self::Untagged { kind, body } => {
                ctx.put(b"* ");
                kind.encode_into(ctx);
                ctx.put_u8(b' ');
                body.encode_into(ctx);
            }
            Self::PreAuth(body) => {
                ctx.put(b"* PREAUTH ");
                body.encode_into(ctx);
            }
            Self::Bye(body) => {
                ctx.put(b"* BYE ");
                body.encode_into(ctx);
            }
        }
        ctx.put(b"\r\n");
    }
}

impl EncodeInto for RespText {
    /// `["[" resp-text-code "]" SP] [text]`: the SP after `]` is written
    /// even without a text, as RFC 9051 has it.
    fn encode_into(&self, ctx: &mut EncodeContext) {
        if let Some(code) = &self.code {
            ctx.put_u8(b'[');
            code.encode_into(ctx);
            ctx.put(b"] ");
        }
        if let Some(text) = &self.text {
            text.encode_into(ctx);
        }
    }
}

impl EncodeInto for ContinueRequest {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(b"+ ");
        match self {
            Self::Text(body) => body.encode_into(ctx),
            Self::Base64(data) => ctx.put(BASE64.encode(data).as_bytes()),
        }
        ctx.put(b"\r\n");
    }
}

impl EncodeInto for CodeText {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(self.as_str().as_bytes());
    }
}

impl EncodeInto for Code {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::BadCharset(charsets) => {
                ctx.put(b"BADCHARSET");
                if !charsets.is_empty() {
                    ctx.put_u8(b' ');
                    paren_list(ctx, charsets);
                }
            }
            Self::Capability(capabilities) => {
                ctx.put(b"CAPABILITY ");
                capabilities.encode_into(ctx);
            }
            Self::PermanentFlags(flags) => {
                ctx.put(b"PERMANENTFLAGS ");
                paren_list(ctx, flags);
            }
            Self::UidNext(n) => {
                ctx.put(b"UIDNEXT ");
                ctx.put_num(n.get());
            }
            Self::UidValidity(n) => {
                ctx.put(b"UIDVALIDITY ");
                ctx.put_num(n.get());
            }
            Self::Unseen(n) => {
                ctx.put(b"UNSEEN ");
                ctx.put_num(n.get());
            }
            Self::AppendUid { uid_validity, uids } => {
                ctx.put(b"APPENDUID ");
                ctx.put_num(uid_validity.get());
                ctx.put_u8(b' ');
                uids.encode_into(ctx);
            }
            Self::CopyUid {
                uid_validity,
                source,
                destination,
            } => {
                ctx.put(b"COPYUID ");
                ctx.put_num(uid_validity.get());
                ctx.put_u8(b' ');
                source.encode_into(ctx);
                ctx.put_u8(b' ');
                destination.encode_into(ctx);
            }
            Self::HighestModSeq(modseq) => {
                ctx.put(b"HIGHESTMODSEQ ");
                ctx.put_num(modseq.get());
            }
            Self::Modified(set) => {
                ctx.put(b"MODIFIED ");
                set.encode_into(ctx);
            }
            Self::Other(name, text) => {
                name.encode_into(ctx);
                if let Some(text) = text {
                    ctx.put_u8(b' ');
                    text.encode_into(ctx);
                }
            }
            simple => ctx.put(
                simple
                    .simple_name()
                    .expect("every other code has no arguments")
                    .as_bytes(),
            ),
        }
    }
}

impl EncodeInto for Data {
    /// From the keyword on, without `* ` and CRLF.
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Capability(capabilities) => {
                ctx.put(b"CAPABILITY ");
                capabilities.encode_into(ctx);
            }
            Self::Enabled(capabilities) => {
                ctx.put(b"ENABLED");
                for capability in capabilities {
                    ctx.put_u8(b' ');
                    capability.encode_into(ctx);
                }
            }
            Self::Flags(flags) => {
                ctx.put(b"FLAGS ");
                paren_list(ctx, flags);
            }
            Self::Exists(n) => {
                ctx.put_num(*n);
                ctx.put(b" EXISTS");
            }
            Self::Recent(n) => {
                ctx.put_num(*n);
                ctx.put(b" RECENT");
            }
            Self::Expunge(n) => {
                ctx.put_num(n.get());
                ctx.put(b" EXPUNGE");
            }
            Self::Vanished { earlier, uids } => {
                ctx.put(b"VANISHED ");
                if *earlier {
                    ctx.put(b"(EARLIER) ");
                }
                uids.encode_into(ctx);
            }
            Self::Fetch(data) => data.encode_into(ctx),
            Self::Search(data) => encode_search_data(ctx, b"SEARCH", data),
            Self::ESearch(data) => data.encode_into(ctx),
            Self::Sort(data) => encode_search_data(ctx, b"SORT", data),
            Self::Thread(data) => data.encode_into(ctx),
            Self::Status(data) => data.encode_into(ctx),
            Self::List(data) => data.encode_into(ctx),
            Self::Namespace(data) => data.encode_into(ctx),
            Self::Id(data) => data.encode_into(ctx),
            Self::Quota(data) => data.encode_into(ctx),
            Self::QuotaRoot(data) => data.encode_into(ctx),
            Self::Acl(data) => data.encode_into(ctx),
            Self::ListRights(data) => data.encode_into(ctx),
            Self::MyRights(data) => data.encode_into(ctx),
        }
    }
}
