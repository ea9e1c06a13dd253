//! Sequence sets: message numbers and UIDs (RFC 9051 §9 `sequence-set`,
//! RFC 5182 `$`).
//!
//! ```abnf
//! sequence-set    = (seq-number / seq-range) ["," sequence-set]
//! seq-range       = seq-number ":" seq-number
//! seq-number      = nz-number / "*"
//! seq-last-command = "$"   ; RFC 5182 SEARCHRES
//! ```
//! A set is never materialised: [`SequenceSet::resolve`] turns it into sorted,
//! merged ranges, so `1:4294967295` costs one range, not four billion
//! numbers, and thousands of overlapping ranges collapse.

use std::num::NonZeroU32;
use std::ops::RangeInclusive;

use crate::core::Vec1;

/// `seq-number = nz-number / "*"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeqOrUid {
    /// A message number or UID.
    Value(NonZeroU32),
    /// `*`: the largest number in use.
    Asterisk,
}

impl SeqOrUid {
    /// The number this stands for when the largest in use is `largest`.
    pub fn resolve(self, largest: u32) -> u32 {
        match self {
            Self::Value(n) => n.get(),
            Self::Asterisk => largest,
        }
    }
}

impl From<NonZeroU32> for SeqOrUid {
    fn from(n: NonZeroU32) -> Self {
        Self::Value(n)
    }
}

/// One element of a sequence set: a number or a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sequence {
    /// `seq-number`.
    Single(SeqOrUid),
    /// `seq-number ":" seq-number`, in either order (RFC 9051: `2:4` and `4:2` are the same).
    Range(SeqOrUid, SeqOrUid),
}

impl Sequence {
    /// The inclusive range this stands for when the largest number in use is `largest`.
    pub fn resolve(self, largest: u32) -> RangeInclusive<u32> {
        match self {
            Self::Single(n) => {
                let n = n.resolve(largest);
                n..=n
            }
            Self::Range(a, b) => {
                let (a, b) = (a.resolve(largest), b.resolve(largest));
                a.min(b)..=a.max(b)
            }
        }
    }
}

/// `sequence-set`, or `$` (the saved result of the last SEARCH, RFC 5182).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SequenceSet {
    /// Numbers and ranges.
    Set(Vec1<Sequence>),
    /// `$`: the result saved by `SEARCH RETURN (SAVE)`.
    Saved,
}

impl SequenceSet {
    /// A set of one number.
    pub fn single(n: NonZeroU32) -> Self {
        Self::Set(Vec1::one(Sequence::Single(SeqOrUid::Value(n))))
    }

    /// `1:*`.
    pub fn all() -> Self {
        Self::Set(Vec1::one(Sequence::Range(
            SeqOrUid::Value(NonZeroU32::MIN),
            SeqOrUid::Asterisk,
        )))
    }

    /// Sorted, merged, non-overlapping ranges when the largest number in use
    /// is `largest`; `None` for `$`, which the caller resolves itself.
    ///
    /// Costs O(k log k) for k elements, whatever the ranges span. Ranges are
    /// not clipped to `largest`: a number past the end may stand in a range
    /// (RFC 9051 §6.4.8: `UID 5:*` matches the last message even when its
    /// UID is below 5), so the caller intersects with what exists.
    pub fn resolve(&self, largest: u32) -> Option<Vec<RangeInclusive<u32>>> {
        let Self::Set(items) = self else { return None };
        let mut ranges: Vec<RangeInclusive<u32>> =
            items.iter().map(|s| s.resolve(largest)).collect();
        ranges.sort_unstable_by_key(|r| *r.start());
        let mut merged: Vec<RangeInclusive<u32>> = Vec::with_capacity(ranges.len());
        for range in ranges {
            match merged.last_mut() {
                Some(last) if *range.start() <= last.end().saturating_add(1) => {
                    if range.end() > last.end() {
                        *last = *last.start()..=*range.end();
                    }
                }
                _ => merged.push(range),
            }
        }
        Some(merged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nz(n: u32) -> SeqOrUid {
        SeqOrUid::Value(NonZeroU32::new(n).unwrap())
    }

    #[test]
    fn resolve_merges_and_orders() {
        let set = SequenceSet::Set(
            Vec1::try_from(vec![
                Sequence::Range(nz(10), nz(5)),
                Sequence::Single(nz(1)),
                Sequence::Range(nz(2), nz(3)),
                Sequence::Range(nz(7), SeqOrUid::Asterisk),
                Sequence::Single(nz(20)),
            ])
            .unwrap(),
        );
        assert_eq!(set.resolve(12), Some(vec![1..=3, 5..=12, 20..=20]));
    }

    #[test]
    fn huge_range_is_one_range() {
        let set = SequenceSet::Set(Vec1::one(Sequence::Range(nz(1), nz(u32::MAX))));
        assert_eq!(set.resolve(3), Some(vec![1..=u32::MAX]));
        assert_eq!(SequenceSet::Saved.resolve(3), None);
    }

    #[test]
    fn star_range_below_start() {
        // `5:*` with 3 messages means 3:5 (RFC 9051 §6.4.8).
        assert_eq!(Sequence::Range(nz(5), SeqOrUid::Asterisk).resolve(3), 3..=5);
    }
}
