//! Encoders of ACL arguments and responses.

use super::{EncodeContext, EncodeInto};
use crate::acl::{
    AclData, AclEntry, DeleteAcl, GetAcl, ListRights, ListRightsData, ModRights, ModRightsMode,
    MyRights, MyRightsData, Rights, SetAcl,
};

impl EncodeInto for Rights {
    /// An atom, or `""` when empty.
    fn encode_into(&self, ctx: &mut EncodeContext) {
        if self.is_empty() {
            ctx.put(b"\"\"");
        } else {
            ctx.put(self.as_str().as_bytes());
        }
    }
}

impl EncodeInto for ModRights {
    /// `+rights` / `-rights` as an atom (`+` and `-` are ATOM-CHARs), else
    /// like [`Rights`].
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self.mode {
            ModRightsMode::Replace => return self.rights.encode_into(ctx),
            ModRightsMode::Add => ctx.put_u8(b'+'),
            ModRightsMode::Remove => ctx.put_u8(b'-'),
        }
        ctx.put(self.rights.as_str().as_bytes());
    }
}

impl EncodeInto for SetAcl {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.mailbox.encode_into(ctx);
        ctx.put_u8(b' ');
        self.identifier.encode_into(ctx);
        ctx.put_u8(b' ');
        self.rights.encode_into(ctx);
    }
}

impl EncodeInto for DeleteAcl {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.mailbox.encode_into(ctx);
        ctx.put_u8(b' ');
        self.identifier.encode_into(ctx);
    }
}

impl EncodeInto for GetAcl {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.mailbox.encode_into(ctx);
    }
}

impl EncodeInto for ListRights {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.mailbox.encode_into(ctx);
        ctx.put_u8(b' ');
        self.identifier.encode_into(ctx);
    }
}

impl EncodeInto for MyRights {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.mailbox.encode_into(ctx);
    }
}

impl EncodeInto for AclEntry {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.identifier.encode_into(ctx);
        ctx.put_u8(b' ');
        self.rights.encode_into(ctx);
    }
}

impl EncodeInto for AclData {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(b"ACL ");
        self.mailbox.encode_into(ctx);
        for entry in &self.entries {
            ctx.put_u8(b' ');
            entry.encode_into(ctx);
        }
    }
}

impl EncodeInto for ListRightsData {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(b"LISTRIGHTS ");
        self.mailbox.encode_into(ctx);
        ctx.put_u8(b' ');
        self.identifier.encode_into(ctx);
        ctx.put_u8(b' ');
        self.required.encode_into(ctx);
        for rights in &self.optional {
            ctx.put_u8(b' ');
            rights.encode_into(ctx);
        }
    }
}

impl EncodeInto for MyRightsData {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(b"MYRIGHTS ");
        self.mailbox.encode_into(ctx);
        ctx.put_u8(b' ');
        self.rights.encode_into(ctx);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::codec::decode::acl::{
        acl_data, deleteacl_args, getacl_args, listrights_args, listrights_data, myrights_args,
        myrights_data, setacl_args,
    };
    use crate::testing::acl::{
        arb_acl_data, arb_delete_acl, arb_get_acl, arb_list_rights, arb_list_rights_data,
        arb_my_rights, arb_my_rights_data, arb_set_acl,
    };
    use crate::testing::status::{
        assert_args_round_trip, assert_data_round_trip, kat_args, kat_data,
    };

    #[test]
    fn known_answers() {
        kat_args(
            setacl_args,
            b"INBOX/Drafts Chris +cda",
            b"INBOX/Drafts Chris +cda",
        );
        kat_args(
            setacl_args,
            b"INBOX/Drafts John \"lrswicda\"",
            b"INBOX/Drafts John lrswicda",
        );
        kat_args(setacl_args, b"inbox -Fred \"-w\"", b"INBOX -Fred -w");
        kat_args(setacl_args, b"INBOX anyone \"\"", b"INBOX anyone \"\"");
        kat_args(setacl_args, b"INBOX anyone \"+\"", b"INBOX anyone +");
        kat_args(deleteacl_args, b"INBOX/Drafts Chris", b"INBOX/Drafts Chris");
        kat_args(getacl_args, b"INBOX", b"INBOX");
        kat_args(
            listrights_args,
            b"~/Mail/saved smith",
            b"~/Mail/saved smith",
        );
        kat_args(myrights_args, b"\"a b\"", b"\"a b\"");
        kat_data(
            acl_data,
            b"ACL INBOX Fred rwipsldexta",
            b"ACL INBOX Fred rwipsldexta",
        );
        kat_data(acl_data, b"acl foo", b"ACL foo");
        kat_data(
            acl_data,
            b"ACL INBOX/Drafts Fred \"rwipslxcetda\" -Chris \"\"",
            b"ACL INBOX/Drafts Fred rwipslxcetda -Chris \"\"",
        );
        kat_data(
            listrights_data,
            b"LISTRIGHTS ~/Mail/saved smith la r swicdkxte",
            b"LISTRIGHTS ~/Mail/saved smith la r swicdkxte",
        );
        kat_data(
            listrights_data,
            b"LISTRIGHTS archive/imap anyone \"\" l r s w i p k x t e c d a 0 1 2 3 4 5 6 7 8 9",
            b"LISTRIGHTS archive/imap anyone \"\" l r s w i p k x t e c d a 0 1 2 3 4 5 6 7 8 9",
        );
        kat_data(
            myrights_data,
            b"myrights INBOX rwiptsldaex",
            b"MYRIGHTS INBOX rwiptsldaex",
        );
    }

    proptest! {
        #[test]
        fn set_acl_round_trips(value in arb_set_acl()) {
            assert_args_round_trip(setacl_args, &value);
        }

        #[test]
        fn delete_acl_round_trips(value in arb_delete_acl()) {
            assert_args_round_trip(deleteacl_args, &value);
        }

        #[test]
        fn get_acl_round_trips(value in arb_get_acl()) {
            assert_args_round_trip(getacl_args, &value);
        }

        #[test]
        fn list_rights_round_trips(value in arb_list_rights()) {
            assert_args_round_trip(listrights_args, &value);
        }

        #[test]
        fn my_rights_round_trips(value in arb_my_rights()) {
            assert_args_round_trip(myrights_args, &value);
        }

        #[test]
        fn acl_data_round_trips(value in arb_acl_data()) {
            assert_data_round_trip(acl_data, &value);
        }

        #[test]
        fn list_rights_data_round_trips(value in arb_list_rights_data()) {
            assert_data_round_trip(listrights_data, &value);
        }

        #[test]
        fn my_rights_data_round_trips(value in arb_my_rights_data()) {
            assert_data_round_trip(myrights_data, &value);
        }
    }
}
