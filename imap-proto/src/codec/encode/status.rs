//! Encoders of STATUS arguments and responses.

use super::{paren_list, EncodeContext, EncodeInto};
use crate::status::{Status, StatusData, StatusItem, StatusItemName};

impl EncodeInto for StatusItemName {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(self.as_str().as_bytes());
    }
}

impl EncodeInto for StatusItem {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.name().encode_into(ctx);
        ctx.put_u8(b' ');
        match *self {
            Self::Messages(n)
            | Self::Recent(n)
            | Self::Unseen(n)
            | Self::Deleted(n)
            | Self::AppendLimit(Some(n)) => ctx.put_num(n),
            Self::UidNext(n) | Self::UidValidity(n) => ctx.put_num(n.get()),
            Self::Size(n) | Self::HighestModSeq(n) => ctx.put_num(n),
            Self::AppendLimit(None) => ctx.put(b"NIL"),
        }
    }
}

impl EncodeInto for Status {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.mailbox.encode_into(ctx);
        ctx.put_u8(b' ');
        paren_list(ctx, self.items.iter());
    }
}

impl EncodeInto for StatusData {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(b"STATUS ");
        self.mailbox.encode_into(ctx);
        ctx.put_u8(b' ');
        paren_list(ctx, &self.items);
    }
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU32;

    use proptest::prelude::*;

    use crate::codec::decode::status::{status_args, status_data};
    use crate::core::Vec1;
    use crate::mailbox::Mailbox;
    use crate::status::{Status, StatusData, StatusItem, StatusItemName};
    use crate::testing::status::{
        arb_status, arb_status_data, assert_args_round_trip, assert_data_round_trip, kat_args,
        kat_data, server_bytes,
    };

    #[test]
    fn known_answers() {
        kat_args(
            status_args,
            b"blurdybloop (uidnext messages)",
            b"blurdybloop (UIDNEXT MESSAGES)",
        );
        kat_args(
            status_args,
            b"\"a b\" (SIZE HIGHESTMODSEQ DELETED APPENDLIMIT RECENT UNSEEN UIDVALIDITY)",
            b"\"a b\" (SIZE HIGHESTMODSEQ DELETED APPENDLIMIT RECENT UNSEEN UIDVALIDITY)",
        );
        kat_data(
            status_data,
            b"STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)",
            b"STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)",
        );
        kat_data(
            status_data,
            b"status inbox (appendlimit nil highestmodseq 7011231777)",
            b"STATUS INBOX (APPENDLIMIT NIL HIGHESTMODSEQ 7011231777)",
        );
        kat_data(status_data, b"STATUS INBOX ()", b"STATUS INBOX ()");
    }

    #[test]
    fn encodes_every_value_kind() {
        let data = StatusData {
            mailbox: Mailbox::Inbox,
            items: vec![
                StatusItem::UidValidity(NonZeroU32::MAX),
                StatusItem::Size(i64::MAX as u64),
                StatusItem::AppendLimit(Some(0)),
            ],
        };
        assert_eq!(
            server_bytes(&data),
            b"STATUS INBOX (UIDVALIDITY 4294967295 SIZE 9223372036854775807 APPENDLIMIT 0)"
        );
        let args = Status {
            mailbox: Mailbox::Inbox,
            items: Vec1::try_from(StatusItemName::ALL.to_vec()).unwrap(),
        };
        assert_eq!(
            crate::testing::status::client_bytes(&args),
            b"INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE HIGHESTMODSEQ APPENDLIMIT)"
        );
    }

    proptest! {
        #[test]
        fn status_round_trips(value in arb_status()) {
            assert_args_round_trip(status_args, &value);
        }

        #[test]
        fn status_data_round_trips(value in arb_status_data()) {
            assert_data_round_trip(status_data, &value);
        }
    }
}
