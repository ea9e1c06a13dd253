//! Encoders of the types shared by many commands and responses.

use super::{join, EncodeContext, EncodeInto};
use crate::datetime::{DateTime, NaiveDate, MONTHS};
use crate::flag::{Flag, FlagFetch, FlagPerm};
use crate::mailbox::{ListMailbox, Mailbox};
use crate::sequence::{SeqOrUid, Sequence, SequenceSet};

impl EncodeInto for SeqOrUid {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Value(n) => ctx.put_num(n.get()),
            Self::Asterisk => ctx.put_u8(b'*'),
        }
    }
}

impl EncodeInto for Sequence {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Single(n) => n.encode_into(ctx),
            Self::Range(a, b) => {
                a.encode_into(ctx);
                ctx.put_u8(b':');
                b.encode_into(ctx);
            }
        }
    }
}

impl EncodeInto for SequenceSet {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Set(items) => join(ctx, items.iter(), b","),
            Self::Saved => ctx.put_u8(b'$'),
        }
    }
}

impl EncodeInto for Flag {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(self.to_string().as_bytes());
    }
}

impl EncodeInto for FlagFetch {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Flag(flag) => flag.encode_into(ctx),
            Self::Recent => ctx.put(b"\\Recent"),
        }
    }
}

impl EncodeInto for FlagPerm {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Flag(flag) => flag.encode_into(ctx),
            Self::Asterisk => ctx.put(b"\\*"),
        }
    }
}

fn put_2digits(ctx: &mut EncodeContext, n: u8) {
    ctx.put(&[b'0' + n / 10, b'0' + n % 10]);
}

impl EncodeInto for NaiveDate {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put_num(self.day());
        ctx.put_u8(b'-');
        ctx.put(MONTHS[usize::from(self.month() - 1)].as_bytes());
        ctx.put_u8(b'-');
        ctx.put(format!("{:04}", self.year()).as_bytes());
    }
}

impl EncodeInto for DateTime {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        let date = self.date();
        let (h, m, s) = self.time();
        ctx.put_u8(b'"');
        if date.day() < 10 {
            ctx.put_u8(b' ');
        }
        date.encode_into(ctx);
        ctx.put_u8(b' ');
        for (i, n) in [h, m, s].into_iter().enumerate() {
            if i > 0 {
                ctx.put_u8(b':');
            }
            put_2digits(ctx, n);
        }
        let zone = self.zone_minutes();
        ctx.put(if zone < 0 { b" -" } else { b" +" });
        let zone = zone.unsigned_abs();
        put_2digits(ctx, (zone / 60) as u8);
        put_2digits(ctx, (zone % 60) as u8);
        ctx.put_u8(b'"');
    }
}

impl EncodeInto for Mailbox {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Inbox => ctx.put(b"INBOX"),
            Self::Other(name) => name.encode_into(ctx),
        }
    }
}

impl EncodeInto for ListMailbox {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Token(token) => ctx.put(token.as_bytes()),
            Self::String(string) => string.encode_into(ctx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::decode::common::{date, date_time, sequence_set};

    fn dump(value: &impl EncodeInto) -> Vec<u8> {
        let mut ctx = EncodeContext::default();
        value.encode_into(&mut ctx);
        ctx.finish().dump()
    }

    #[test]
    fn round_trips() {
        for raw in [&b"1:*"[..], b"1,3:5,*", b"$", b"4294967295"] {
            assert_eq!(dump(&sequence_set(raw).unwrap().1), raw);
        }
        for raw in [
            &b"\"17-Jul-1996 02:44:25 -0700\""[..],
            b"\" 1-Jan-2000 00:00:00 +0130\"",
        ] {
            assert_eq!(dump(&date_time(raw).unwrap().1), raw);
        }
        assert_eq!(dump(&date(b"1-Feb-1994").unwrap().1), b"1-Feb-1994");
    }
}
