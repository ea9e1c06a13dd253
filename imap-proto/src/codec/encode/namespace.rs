//! Encoders of the NAMESPACE response.

use super::list::put_delimiter;
use super::{paren_list, EncodeContext, EncodeInto};
use crate::namespace::{Namespace, NamespaceData, NamespaceExtension};

impl EncodeInto for NamespaceExtension {
    /// ` name (values)`, leading SP included.
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put_u8(b' ');
        self.name.encode_into(ctx);
        ctx.put_u8(b' ');
        paren_list(ctx, self.values.iter());
    }
}

impl EncodeInto for Namespace {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put_u8(b'(');
        self.prefix.encode_into(ctx);
        ctx.put_u8(b' ');
        put_delimiter(ctx, self.delimiter);
        for extension in &self.extensions {
            extension.encode_into(ctx);
        }
        ctx.put_u8(b')');
    }
}

/// Writes `nil / "(" 1*namespace-descr ")"`.
fn put_namespaces(ctx: &mut EncodeContext, namespaces: &[Namespace]) {
    if namespaces.is_empty() {
        ctx.put(b"NIL");
        return;
    }
    ctx.put_u8(b'(');
    for namespace in namespaces {
        namespace.encode_into(ctx);
    }
    ctx.put_u8(b')');
}

impl EncodeInto for NamespaceData {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(b"NAMESPACE ");
        put_namespaces(ctx, &self.personal);
        ctx.put_u8(b' ');
        put_namespaces(ctx, &self.other_users);
        ctx.put_u8(b' ');
        put_namespaces(ctx, &self.shared);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::codec::decode::namespace::namespace_data;
    use crate::testing::namespace::arb_namespace_data;
    use crate::testing::status::{assert_data_round_trip, kat_data};

    #[test]
    fn known_answers() {
        kat_data(
            namespace_data,
            b"namespace ((\"\" \"/\")) nil NIL",
            b"NAMESPACE ((\"\" \"/\")) NIL NIL",
        );
        kat_data(
            namespace_data,
            b"NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\")(\"#public/\" \"/\")(\"#ftp/\" \"/\")(\"#news.\" \".\"))",
            b"NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\")(\"#public/\" \"/\")(\"#ftp/\" \"/\")(\"#news.\" \".\"))",
        );
        kat_data(
            namespace_data,
            b"NAMESPACE ((\"\" NIL \"X-PARAM\" (\"FLAG1\" \"FLAG2\"))) NIL ((\"\\\\\" \"\\\\\"))",
            b"NAMESPACE ((\"\" NIL \"X-PARAM\" (\"FLAG1\" \"FLAG2\"))) NIL ((\"\\\\\" \"\\\\\"))",
        );
    }

    proptest! {
        #[test]
        fn namespace_data_round_trips(value in arb_namespace_data()) {
            assert_data_round_trip(namespace_data, &value);
        }
    }
}
