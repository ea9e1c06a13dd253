//! Connections not yet logged in, counted per client address, so that one
//! address cannot hold every connection the server serves at once
//! ([`Limits::max_connections`]) with sessions that never log in
//! ([`Limits::max_unauthenticated_per_address`]).
//!
//! An IPv6 client usually owns a whole /64, so IPv6 addresses count by
//! their /64 prefix; an IPv4-mapped IPv6 address counts as its IPv4 one.
//!
//! [`Limits::max_connections`]: crate::config::Limits::max_connections
//! [`Limits::max_unauthenticated_per_address`]: crate::config::Limits::max_unauthenticated_per_address

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex, PoisonError};

/// The unauthenticated connections of every client address.
#[derive(Debug)]
pub(crate) struct Unauthenticated {
    limit: usize,
    counts: Mutex<HashMap<IpAddr, usize>>,
}

/// One unauthenticated connection's place in its address's count; the
/// place is freed when the slot is dropped (login, or the connection's end).
#[derive(Debug)]
pub(crate) struct Slot {
    owner: Arc<Unauthenticated>,
    address: IpAddr,
}

impl Unauthenticated {
    /// Counts for at most `limit` unauthenticated connections per address.
    pub(crate) fn new(limit: usize) -> Arc<Self> {
        Arc::new(Self {
            limit,
            counts: Mutex::new(HashMap::new()),
        })
    }

    /// A slot for a new connection from `address`, or `None` when that
    /// address already holds the limit.
    pub(crate) fn enter(self: &Arc<Self>, address: IpAddr) -> Option<Slot> {
        let address = counted_as(address);
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        let count = counts.entry(address).or_insert(0);
        if *count >= self.limit {
            if *count == 0 {
                counts.remove(&address);
            }
            return None;
        }
        *count += 1;
        Some(Slot {
            owner: Arc::clone(self),
            address,
        })
    }

    /// The number of addresses with unauthenticated connections.
    #[cfg(test)]
    fn addresses(&self) -> usize {
        self.counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self
            .owner
            .counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = counts.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.address);
            }
        }
    }
}

/// The address `address` is counted as: IPv4 as is, IPv6 by its /64.
fn counted_as(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(Ipv6Addr::from(prefix))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_holds_at_most_the_limit_and_dropped_slots_free_places() {
        let counts = Unauthenticated::new(2);
        let one: IpAddr = "192.0.2.1".parse().unwrap();
        let two: IpAddr = "192.0.2.2".parse().unwrap();
        let a = counts.enter(one).expect("first");
        let b = counts.enter(one).expect("second");
        assert!(counts.enter(one).is_none(), "third from the same address");
        assert!(counts.enter(two).is_some(), "another address");
        drop(a);
        let c = counts.enter(one).expect("a place was freed");
        drop((b, c));
        assert_eq!(counts.addresses(), 0, "no address is left behind");
        assert!(Unauthenticated::new(0).enter(one).is_none());
        assert_eq!(Unauthenticated::new(0).addresses(), 0);
    }

    #[test]
    fn ipv6_counts_by_its_64_prefix_and_mapped_ipv4_as_ipv4() {
        let counts = Unauthenticated::new(1);
        let _a = counts.enter("2001:db8:1:2::1".parse().unwrap()).unwrap();
        assert!(counts
            .enter("2001:db8:1:2:ffff::9".parse().unwrap())
            .is_none());
        assert!(counts.enter("2001:db8:1:3::1".parse().unwrap()).is_some());
        let _b = counts.enter("192.0.2.7".parse().unwrap()).unwrap();
        assert!(counts.enter("::ffff:192.0.2.7".parse().unwrap()).is_none());
    }
}
