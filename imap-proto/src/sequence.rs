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

    /// The set of `numbers`, in their order, with each run of consecutive
    /// ascending numbers written as one range (`1,2,3,7` is `1:3,7`);
    /// `None` when there are none. The order is kept because COPYUID pairs
    /// source and destination UIDs by position (RFC 4315 §3).
    pub fn from_numbers(numbers: impl IntoIterator<Item = NonZeroU32>) -> Option<Self> {
        let mut runs: Vec<(NonZeroU32, NonZeroU32)> = Vec::new();
        for n in numbers {
            match runs.last_mut() {
                Some((_, last)) if last.checked_add(1) == Some(n) => *last = n,
                _ => runs.push((n, n)),
            }
        }
        let items = runs
            .into_iter()
            .map(|(a, b)| {
                if a == b {
                    Sequence::Single(SeqOrUid::Value(a))
                } else {
                    Sequence::Range(SeqOrUid::Value(a), SeqOrUid::Value(b))
                }
            })
            .collect::<Vec<_>>();
        Vec1::try_from(items).ok().map(Self::Set)
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
    fn from_numbers_compresses_runs_in_order() {
        let numbers = [1, 2, 3, 7, 9, 10, 5].map(|n| NonZeroU32::new(n).unwrap());
        let set = SequenceSet::from_numbers(numbers).unwrap();
        let SequenceSet::Set(items) = set else {
            panic!("not a set")
        };
        assert_eq!(
            items.as_slice(),
            &[
                Sequence::Range(nz(1), nz(3)),
                Sequence::Single(nz(7)),
                Sequence::Range(nz(9), nz(10)),
                Sequence::Single(nz(5)),
            ]
        );
        assert_eq!(SequenceSet::from_numbers([]), None);
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
