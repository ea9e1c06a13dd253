//! Encoders of LIST, LSUB and XLIST arguments and responses, and of the
//! CREATE-SPECIAL-USE parameter.

use super::{paren_list, EncodeContext, EncodeInto};
use crate::core::Quoted;
use crate::list::{
    ChildInfo, CreateParams, Delimiter, List, ListData, ListExtendedItem, ListKind,
    ListReturnOptions, ListSelectOptions, Lsub, MailboxAttribute, TaggedExtComp, TaggedExtVal,
};

/// Writes the words whose flag is set, separated by SP.
fn put_words(ctx: &mut EncodeContext, words: &[(bool, &[u8])]) -> bool {
    let mut any = false;
    for (set, word) in words {
        if *set {
            if any {
                ctx.put_u8(b' ');
            }
            ctx.put(word);
            any = true;
        }
    }
    any
}

impl EncodeInto for Delimiter {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        Quoted::unvalidated(self.as_char().to_string()).encode_into(ctx);
    }
}

/// Writes `DQUOTE QUOTED-CHAR DQUOTE / nil`.
pub(crate) fn put_delimiter(ctx: &mut EncodeContext, delimiter: Option<Delimiter>) {
    match delimiter {
        Some(delimiter) => delimiter.encode_into(ctx),
        None => ctx.put(b"NIL"),
    }
}

impl EncodeInto for MailboxAttribute {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put_u8(b'\\');
        ctx.put(self.name().as_bytes());
    }
}

impl EncodeInto for ListSelectOptions {
    /// `(` options `)`, all of them, even none.
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put_u8(b'(');
        put_words(
            ctx,
            &[
                (self.subscribed, b"SUBSCRIBED"),
                (self.remote, b"REMOTE"),
                (self.special_use, b"SPECIAL-USE"),
                (self.recursive_match, b"RECURSIVEMATCH"),
            ],
        );
        ctx.put_u8(b')');
    }
}

impl EncodeInto for ListReturnOptions {
    /// `RETURN (` options `)`, all of them, even none.
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(b"RETURN (");
        let any = put_words(
            ctx,
            &[
                (self.subscribed, b"SUBSCRIBED"),
                (self.children, b"CHILDREN"),
                (self.special_use, b"SPECIAL-USE"),
            ],
        );
        if let Some(items) = &self.status {
            if any {
                ctx.put_u8(b' ');
            }
            ctx.put(b"STATUS ");
            paren_list(ctx, items.iter());
        }
        ctx.put_u8(b')');
    }
}

impl EncodeInto for List {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        if !self.selection.is_empty() {
            self.selection.encode_into(ctx);
            ctx.put_u8(b' ');
        }
        self.reference.encode_into(ctx);
        ctx.put_u8(b' ');
        match self.patterns.as_slice() {
            [one] => one.encode_into(ctx),
            many => paren_list(ctx, many),
        }
        if !self.returns.is_empty() {
            ctx.put_u8(b' ');
            self.returns.encode_into(ctx);
        }
    }
}

impl EncodeInto for Lsub {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.reference.encode_into(ctx);
        ctx.put_u8(b' ');
        self.pattern.encode_into(ctx);
    }
}

impl EncodeInto for TaggedExtComp {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::AString(string) => string.encode_into(ctx),
            Self::List(items) => paren_list(ctx, items.iter()),
        }
    }
}

impl EncodeInto for TaggedExtVal {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Number(n) => ctx.put_num(*n),
            Self::SequenceSet(set) => set.encode_into(ctx),
            Self::Comp(items) => paren_list(ctx, items),
        }
    }
}

impl EncodeInto for ChildInfo {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::Subscribed => ctx.put(b"\"SUBSCRIBED\""),
            Self::Other(option) => option.encode_into(ctx),
        }
    }
}

impl EncodeInto for ListExtendedItem {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        match self {
            Self::ChildInfo(options) => {
                ctx.put(b"\"CHILDINFO\" ");
                paren_list(ctx, options.iter());
            }
            Self::OldName(mailbox) => {
                ctx.put(b"\"OLDNAME\" (");
                mailbox.encode_into(ctx);
                ctx.put_u8(b')');
            }
            Self::Other { tag, value } => {
                tag.encode_into(ctx);
                ctx.put_u8(b' ');
                value.encode_into(ctx);
            }
        }
    }
}

impl EncodeInto for ListKind {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(self.as_str().as_bytes());
    }
}

impl EncodeInto for ListData {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        self.kind.encode_into(ctx);
        ctx.put_u8(b' ');
        paren_list(ctx, &self.attributes);
        ctx.put_u8(b' ');
        put_delimiter(ctx, self.delimiter);
        ctx.put_u8(b' ');
        self.mailbox.encode_into(ctx);
        if !self.extended.is_empty() {
            ctx.put_u8(b' ');
            paren_list(ctx, &self.extended);
        }
    }
}

impl EncodeInto for CreateParams {
    /// ` (USE (attributes))`, leading SP included.
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(b" (USE ");
        paren_list(ctx, &self.special_use);
        ctx.put_u8(b')');
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::codec::decode::list::{create_params, list_args, list_data, lsub_args};
    use crate::testing::list::{arb_create_params, arb_list, arb_list_data, arb_lsub};
    use crate::testing::status::{
        assert_args_round_trip, assert_data_round_trip, kat_args, kat_data,
    };

    #[test]
    fn list_args_known_answers() {
        kat_args(list_args, b"\"\" \"\"", b"\"\" \"\"");
        kat_args(list_args, b"~/Mail/ %", b"~/Mail/ %");
        kat_args(list_args, b"inbox *", b"INBOX *");
        kat_args(
            list_args,
            b"(recursivematch subscribed) \"\" \"%\" return (children)",
            b"(SUBSCRIBED RECURSIVEMATCH) \"\" \"%\" RETURN (CHILDREN)",
        );
        kat_args(
            list_args,
            b"(SPECIAL-USE REMOTE SUBSCRIBED) \"\" (\"INBOX\" Sent/%)",
            b"(SUBSCRIBED REMOTE SPECIAL-USE) \"\" (\"INBOX\" Sent/%)",
        );
        kat_args(list_args, b"() \"\" (%) RETURN ()", b"\"\" %");
        kat_args(
            list_args,
            b"\"\" % RETURN (STATUS (MESSAGES UNSEEN) SPECIAL-USE SUBSCRIBED children)",
            b"\"\" % RETURN (SUBSCRIBED CHILDREN SPECIAL-USE STATUS (MESSAGES UNSEEN))",
        );
        kat_args(
            list_args,
            b"\"\" % RETURN (STATUS (SIZE))",
            b"\"\" % RETURN (STATUS (SIZE))",
        );
        kat_args(
            lsub_args,
            b"\"#news.\" \"comp.mail.*\"",
            b"\"#news.\" \"comp.mail.*\"",
        );
    }

    #[test]
    fn list_data_known_answers() {
        kat_data(
            list_data,
            b"LIST (\\hasnochildren) \"/\" inbox",
            b"LIST (\\HasNoChildren) \"/\" INBOX",
        );
        kat_data(list_data, b"LIST () NIL foo", b"LIST () NIL foo");
        kat_data(
            list_data,
            b"lsub (\\NOSELECT) \".\" #news",
            b"LSUB (\\Noselect) \".\" #news",
        );
        kat_data(
            list_data,
            b"XLIST (\\Inbox \\HasNoChildren) \"/\" INBOX",
            b"XLIST (\\Inbox \\HasNoChildren) \"/\" INBOX",
        );
        kat_data(
            list_data,
            b"LIST (\\Marked \\NonExistent \\Subscribed \\Remote \\X-Custom) \"\\\\\" \"a b\"",
            b"LIST (\\Marked \\NonExistent \\Subscribed \\Remote \\X-Custom) \"\\\\\" \"a b\"",
        );
        kat_data(
            list_data,
            b"LIST () \"/\" \"Foo\" (childinfo (\"subscribed\"))",
            b"LIST () \"/\" \"Foo\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
        );
        kat_data(
            list_data,
            b"LIST () \"/\" NewName (\"OLDNAME\" (\"oldname\"))",
            b"LIST () \"/\" NewName (\"OLDNAME\" (\"oldname\"))",
        );
        kat_data(
            list_data,
            b"LIST () \"/\" a (X-N 42 \"X-S\" 1:* X-C (a (b \"c d\")) X-E ())",
            b"LIST () \"/\" a (X-N 42 \"X-S\" 1:* X-C (a (b \"c d\")) X-E ())",
        );
        kat_data(list_data, b"LIST () \"/\" a ()", b"LIST () \"/\" a");
        kat_data(
            list_data,
            b"LIST (\\All \\Archive \\Drafts \\Flagged \\Junk \\Sent \\Trash \\Important) \"/\" x",
            b"LIST (\\All \\Archive \\Drafts \\Flagged \\Junk \\Sent \\Trash \\Important) \"/\" x",
        );
        kat_data(
            list_data,
            b"XLIST (\\allmail \\spam \\starred \\noinferiors \\unmarked) \"/\" x",
            b"XLIST (\\AllMail \\Spam \\Starred \\Noinferiors \\Unmarked) \"/\" x",
        );
    }

    #[test]
    fn create_params_known_answers() {
        kat_args(create_params, b" (use (\\sent))", b" (USE (\\Sent))");
        kat_args(create_params, b" (USE ())", b" (USE ())");
        kat_args(
            create_params,
            b" (USE (\\Drafts \\X-Foo))",
            b" (USE (\\Drafts \\X-Foo))",
        );
    }

    proptest! {
        #[test]
        fn list_round_trips(value in arb_list()) {
            assert_args_round_trip(list_args, &value);
        }

        #[test]
        fn lsub_round_trips(value in arb_lsub()) {
            assert_args_round_trip(lsub_args, &value);
        }

        #[test]
        fn list_data_round_trips(value in arb_list_data()) {
            assert_data_round_trip(list_data, &value);
        }

        #[test]
        fn create_params_round_trip(value in arb_create_params()) {
            assert_args_round_trip(create_params, &value);
        }
    }
}
