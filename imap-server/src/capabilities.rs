//! The CAPABILITY list, which depends on the state and the transport.
//!
//! Only what the engine implements is advertised; a capability that needs
//! the backend's help (CONDSTORE needs persistent modseqs) is advertised
//! only when the backend says it can.

use imapkit_proto::capability::Capability;
use imapkit_proto::core::{Atom, Vec1};

use crate::config::PlaintextAuth;
use crate::connection::{Connection, State};

/// Whether LOGIN and plaintext SASL mechanisms are allowed on this connection.
pub(crate) fn plaintext_auth_allowed(conn: &Connection) -> bool {
    match conn.shared.plaintext_auth {
        _ if conn.info.tls => true,
        PlaintextAuth::Always => true,
        PlaintextAuth::Never => false,
        PlaintextAuth::Loopback => conn.info.peer.is_some_and(|peer| peer.ip().is_loopback()),
    }
}

/// The capabilities to announce now.
pub(crate) fn list(conn: &Connection) -> Vec1<Capability> {
    let mut caps = vec![Capability::Imap4Rev1];
    match &conn.state {
        State::NotAuthenticated => {
            if conn.shared.tls.is_some() && !conn.info.tls {
                caps.push(Capability::StartTls);
            }
            let plaintext = plaintext_auth_allowed(conn);
            if !plaintext {
                caps.push(Capability::LoginDisabled);
            }
            for mechanism in &conn.shared.mechanisms {
                if plaintext || !mechanism.is_plaintext() {
                    caps.push(Capability::Auth(Atom::unvalidated(mechanism.name())));
                }
            }
            caps.push(Capability::SaslIr);
        }
        State::Authenticated(session) | State::Selected(session, _) => {
            caps.extend([
                Capability::Idle,
                Capability::ESearch,
                Capability::SearchRes,
                Capability::Within,
                Capability::Sort,
                Capability::SortDisplay,
                Capability::ESort,
                Capability::Thread(Atom::unvalidated("ORDEREDSUBJECT")),
                Capability::Thread(Atom::unvalidated("REFERENCES")),
                Capability::Namespace,
                Capability::Unselect,
                Capability::Children,
                Capability::ListExtended,
                Capability::ListStatus,
                Capability::SpecialUse,
                Capability::CreateSpecialUse,
                Capability::MultiAppend,
                Capability::UidPlus,
                Capability::Move,
                Capability::StatusSize,
                Capability::XList,
                Capability::Binary,
            ]);
            let limit = session
                .append_limit()
                .map(|n| u32::try_from(n).unwrap_or(u32::MAX));
            caps.push(Capability::AppendLimit(limit));
            if session.supports_modseq() {
                caps.extend([Capability::CondStore, Capability::QResync]);
            }
        }
    }
    caps.extend([Capability::Id, Capability::Enable, Capability::LiteralPlus]);
    Vec1::try_from(caps).expect("IMAP4rev1 is always there")
}
