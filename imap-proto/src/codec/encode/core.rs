//! Encoders of the string kinds and numbers.

use super::{EncodeContext, EncodeInto};
use crate::core::{
    AString, Atom, AtomExt, Charset, IString, Literal, Literal8, NString, Quoted, Tag, Text, Vec1,
};

macro_rules! encode_as_str {
    ($($name:ident),*) => {
        $(impl EncodeInto for $name {
            fn encode_into(&self, ctx: &mut EncodeContext) {
                ctx.put(self.as_str().as_bytes());
            }
        })*
    };
}

encode_as_str!(Tag, Atom, AtomExt, Text);

impl EncodeInto for Quoted {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put_u8(b'"');
        for &b in self.as_str().as_bytes() {
            if b == b'"' || b == b'\\' {
                ctx.put_u8(b'\\');
            }
            ctx.put_u8(b);
        }
        ctx.put_u8(b'"');
    }
}

impl EncodeInto for Literal {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put_literal(self.data(), self.mode(), false);
    }
}

impl EncodeInto for Literal8 {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put_literal(&self.data, self.mode, true);
    }
}

impl EncodeInto for IString {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Literal(literal) => literal.encode_into(ctx),
            Self::Quoted(quoted) => quoted.encode_into(ctx),
        }
    }
}

impl EncodeInto for NString {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match &self.0 {
            Some(string) => string.encode_into(ctx),
            None => ctx.put(b"NIL"),
        }
    }
}

impl EncodeInto for AString {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Atom(atom) => atom.encode_into(ctx),
            Self::String(string) => string.encode_into(ctx),
        }
    }
}

impl EncodeInto for Charset {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Atom(atom) => atom.encode_into(ctx),
            Self::Quoted(quoted) => quoted.encode_into(ctx),
        }
    }
}

impl EncodeInto for u32 {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put_num(*self);
    }
}

impl EncodeInto for u64 {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put_num(*self);
    }
}

impl<T: EncodeInto> EncodeInto for Vec1<T> {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        super::join(ctx, self.iter(), b" ");
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;
    use crate::codec::encode::Fragment;
    use crate::core::LiteralMode;

    fn dump(value: &impl EncodeInto) -> Vec<u8> {
        let mut ctx = EncodeContext::default();
        value.encode_into(&mut ctx);
        ctx.finish().dump()
    }

    #[test]
    fn quoted_escapes_specials() {
        assert_eq!(dump(&Quoted::unvalidated("a\"b\\c")), b"\"a\\\"b\\\\c\"");
    }

    #[test]
    fn literal_is_its_own_fragment() {
        let literal = Literal::unvalidated(Bytes::from_static(b"hello"), LiteralMode::NonSync);
        let mut ctx = EncodeContext::default();
        ctx.put(b"A APPEND x ");
        literal.encode_into(&mut ctx);
        ctx.put(b"\r\n");
        let encoded = ctx.finish();
        assert_eq!(
            encoded.fragments(),
            &[
                Fragment::Line {
                    data: Bytes::from_static(b"A APPEND x {5+}\r\n")
                },
                Fragment::Literal {
                    data: Bytes::from_static(b"hello"),
                    mode: LiteralMode::NonSync
                },
                Fragment::Line {
                    data: Bytes::from_static(b"\r\n")
                },
            ]
        );
    }

    #[test]
    fn server_literals_never_carry_plus() {
        let literal = Literal::unvalidated(Bytes::from_static(b"hi"), LiteralMode::NonSync);
        let mut ctx = EncodeContext::server();
        literal.encode_into(&mut ctx);
        assert_eq!(ctx.finish().dump(), b"{2}\r\nhi");
    }

    #[test]
    fn nstring_nil() {
        assert_eq!(dump(&NString::NIL), b"NIL");
    }
}
