//! Encoders of QUOTA arguments and responses.

use super::{paren_list, EncodeContext, EncodeInto};
use crate::quota::{
    GetQuota, GetQuotaRoot, QuotaData, QuotaLimit, QuotaResource, QuotaRootData, Resource, SetQuota,
};

impl EncodeInto for Resource {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(self.as_str().as_bytes());
    }
}

impl EncodeInto for GetQuota {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.root.encode_into(ctx);
    }
}

impl EncodeInto for GetQuotaRoot {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.mailbox.encode_into(ctx);
    }
}

impl EncodeInto for QuotaLimit {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.resource.encode_into(ctx);
        ctx.put_u8(b' ');
        ctx.put_num(self.limit);
    }
}

impl EncodeInto for SetQuota {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.root.encode_into(ctx);
        ctx.put_u8(b' ');
        paren_list(ctx, &self.limits);
    }
}

impl EncodeInto for QuotaResource {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.resource.encode_into(ctx);
        ctx.put_u8(b' ');
        ctx.put_num(self.usage);
        ctx.put_u8(b' ');
        ctx.put_num(self.limit);
    }
}

impl EncodeInto for QuotaData {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(b"QUOTA ");
        self.root.encode_into(ctx);
        ctx.put_u8(b' ');
        paren_list(ctx, self.resources.iter());
    }
}

impl EncodeInto for QuotaRootData {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(b"QUOTAROOT ");
        self.mailbox.encode_into(ctx);
        for root in &self.roots {
            ctx.put_u8(b' ');
            root.encode_into(ctx);
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::codec::decode::quota::{
        getquota_args, getquotaroot_args, quota_data, quotaroot_data, setquota_args,
    };
    use crate::testing::quota::{
        arb_get_quota, arb_get_quota_root, arb_quota_data, arb_quota_root_data, arb_set_quota,
    };
    use crate::testing::status::{
        assert_args_round_trip, assert_data_round_trip, kat_args, kat_data,
    };

    #[test]
    fn known_answers() {
        kat_args(getquota_args, b"\"\"", b"\"\"");
        kat_args(
            getquota_args,
            b"\"!partition/sda4\"",
            b"\"!partition/sda4\"",
        );
        kat_args(getquotaroot_args, b"inbox", b"INBOX");
        kat_args(
            setquota_args,
            b"\"\" (storage 512 message 1000)",
            b"\"\" (STORAGE 512 MESSAGE 1000)",
        );
        kat_args(
            setquota_args,
            b"INBOX (Mailbox 1 annotation-storage 9223372036854775807 X-Foo 0)",
            b"INBOX (MAILBOX 1 ANNOTATION-STORAGE 9223372036854775807 X-Foo 0)",
        );
        kat_args(setquota_args, b"INBOX ()", b"INBOX ()");
        kat_data(
            quota_data,
            b"quota \"\" (storage 10 512)",
            b"QUOTA \"\" (STORAGE 10 512)",
        );
        kat_data(
            quota_data,
            b"QUOTA \"#user/alice\" (MESSAGE 42 1000 STORAGE 104 10923847)",
            b"QUOTA \"#user/alice\" (MESSAGE 42 1000 STORAGE 104 10923847)",
        );
        kat_data(
            quotaroot_data,
            b"QUOTAROOT INBOX \"\"",
            b"QUOTAROOT INBOX \"\"",
        );
        kat_data(
            quotaroot_data,
            b"quotaroot comp.mail.mime",
            b"QUOTAROOT comp.mail.mime",
        );
    }

    proptest! {
        #[test]
        fn get_quota_round_trips(value in arb_get_quota()) {
            assert_args_round_trip(getquota_args, &value);
        }

        #[test]
        fn get_quota_root_round_trips(value in arb_get_quota_root()) {
            assert_args_round_trip(getquotaroot_args, &value);
        }

        #[test]
        fn set_quota_round_trips(value in arb_set_quota()) {
            assert_args_round_trip(setquota_args, &value);
        }

        #[test]
        fn quota_data_round_trips(value in arb_quota_data()) {
            assert_data_round_trip(quota_data, &value);
        }

        #[test]
        fn quota_root_data_round_trips(value in arb_quota_root_data()) {
            assert_data_round_trip(quotaroot_data, &value);
        }
    }
}
