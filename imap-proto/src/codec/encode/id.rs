//! Encoders of ID arguments and responses.

use super::{EncodeContext, EncodeInto};
use crate::id::{Id, IdData, IdParams};

impl EncodeInto for IdParams {
    /// `NIL` when empty, else `(field value ...)`.
    fn encode_into(&self, ctx: &mut EncodeContext) {
        if self.is_empty() {
            ctx.put(b"NIL");
            return;
        }
        ctx.put_u8(b'(');
        for (i, (field, value)) in self.as_slice().iter().enumerate() {
            if i > 0 {
                ctx.put_u8(b' ');
            }
            field.encode_into(ctx);
            ctx.put_u8(b' ');
            value.encode_into(ctx);
        }
        ctx.put_u8(b')');
    }
}

impl EncodeInto for Id {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.params.encode_into(ctx);
    }
}

impl EncodeInto for IdData {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(b"ID ");
        self.params.encode_into(ctx);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::codec::decode::id::{id_args, id_data};
    use crate::testing::id::{arb_id, arb_id_data};
    use crate::testing::status::{
        assert_args_round_trip, assert_data_round_trip, kat_args, kat_data,
    };

    #[test]
    fn known_answers() {
        kat_args(
            id_args,
            b"(\"name\" \"sodr\" \"version\" \"19.34\" \"vendor\" \"Pink Floyd Music Limited\")",
            b"(\"name\" \"sodr\" \"version\" \"19.34\" \"vendor\" \"Pink Floyd Music Limited\")",
        );
        kat_args(id_args, b"nil", b"NIL");
        kat_args(id_args, b"()", b"NIL");
        kat_args(id_args, b"(\"os\" nil)", b"(\"os\" NIL)");
        kat_data(
            id_data,
            b"id (\"name\" \"Cyrus\" \"version\" \"1.5\")",
            b"ID (\"name\" \"Cyrus\" \"version\" \"1.5\")",
        );
        kat_data(id_data, b"ID NIL", b"ID NIL");
        kat_data(
            id_data,
            b"ID (\"x\" {3}\r\na\nb)",
            b"ID (\"x\" {3}\r\na\nb)",
        );
    }

    proptest! {
        #[test]
        fn id_round_trips(value in arb_id()) {
            assert_args_round_trip(id_args, &value);
        }

        #[test]
        fn id_data_round_trips(value in arb_id_data()) {
            assert_data_round_trip(id_data, &value);
        }
    }
}
