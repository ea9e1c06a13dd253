//! Encoders of capabilities.

use super::{EncodeContext, EncodeInto};
use crate::capability::Capability;

impl EncodeInto for Capability {
    fn encode_into(&self, ctx: &mut EncodeContext) {
        ctx.put(self.to_string().as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::codec::decode::capability::capability;
    use crate::testing::capability::arb_capability;

    fn dump(value: &impl EncodeInto) -> Vec<u8> {
        let mut ctx = EncodeContext::server();
        value.encode_into(&mut ctx);
        ctx.finish().dump()
    }

    #[test]
    fn canonical_names() {
        let (_, parsed) = capability(b"literal+").unwrap();
        assert_eq!(dump(&parsed), b"LITERAL+");
        let (_, parsed) = capability(b"Auth=Scram-Sha-256").unwrap();
        assert_eq!(dump(&parsed), b"AUTH=SCRAM-SHA-256");
    }

    proptest! {
        #[test]
        fn round_trip(value in arb_capability()) {
            let encoded = dump(&value);
            prop_assert_eq!(capability(&encoded), Ok((&b""[..], value)));
        }
    }
}
