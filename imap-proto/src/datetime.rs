//! Dates of INTERNALDATE, APPEND and SEARCH (RFC 9051 §9 `date-time`, `date`).
//!
//! ```abnf
//! date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
//! date      = date-text / DQUOTE date-text DQUOTE
//! date-text = date-day "-" date-month "-" date-year
//! zone      = ("+" / "-") 4DIGIT
//! ```
//! Small validated value types without a calendar library: the engine needs
//! ordering and Unix times, which [`DateTime::unix_timestamp`] gives.

use crate::error::{ValidationError, ValidationReason};

/// Three-letter month names, as IMAP writes them.
pub(crate) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn out_of_range(kind: &'static str) -> ValidationError {
    ValidationError::new(kind, ValidationReason::OutOfRange)
}

/// A calendar date: `date-text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NaiveDate {
    year: u16,
    month: u8,
    day: u8,
}

impl NaiveDate {
    /// A date; `month` is 1-12.
    ///
    /// # Errors
    /// Returns [`ValidationError`] for a day or month that does not exist,
    /// or a year outside 1..=9999.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, ValidationError> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
            return Err(out_of_range("date"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(out_of_range("date"));
        }
        Ok(Self { year, month, day })
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1-12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, 1-31.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(&self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

/// A point in time with its zone: `date-time`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    date: NaiveDate,
    hour: u8,
    minute: u8,
    second: u8,
    zone_minutes: i16,
}

impl DateTime {
    /// A date and time; `zone_minutes` is the offset east of UTC (`+0100` is 60).
    ///
    /// # Errors
    /// Returns [`ValidationError`] for a time or zone out of range
    /// (zones are limited to ±99:59 by the grammar's 4 digits).
    pub fn new(
        date: NaiveDate,
        (hour, minute, second): (u8, u8, u8),
        zone_minutes: i16,
    ) -> Result<Self, ValidationError> {
        // Second 60 is a leap second, which RFC 5322 allows.
        if hour > 23 || minute > 59 || second > 60 || zone_minutes.abs() > 99 * 60 + 59 {
            return Err(out_of_range("date-time"));
        }
        Ok(Self {
            date,
            hour,
            minute,
            second,
            zone_minutes,
        })
    }

    /// The time at `timestamp` seconds since the Unix epoch, in UTC.
    ///
    /// # Errors
    /// Returns [`ValidationError`] for a time outside the years 1-9999.
    pub fn from_unix_timestamp(timestamp: i64) -> Result<Self, ValidationError> {
        let days = timestamp.div_euclid(86_400);
        let secs = timestamp.rem_euclid(86_400);
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        let year = u16::try_from(year).map_err(|_| out_of_range("date-time"))?;
        let date = NaiveDate::new(year, month as u8, day as u8)?;
        let time = (
            (secs / 3600) as u8,
            ((secs / 60) % 60) as u8,
            (secs % 60) as u8,
        );
        Self::new(date, time, 0)
    }

    /// The date, in the value's own zone.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// Hour, minute and second, in the value's own zone.
    pub fn time(&self) -> (u8, u8, u8) {
        (self.hour, self.minute, self.second)
    }

    /// The zone's offset east of UTC, in minutes.
    pub fn zone_minutes(&self) -> i16 {
        self.zone_minutes
    }

    /// Seconds since the Unix epoch.
    pub fn unix_timestamp(&self) -> i64 {
        self.date.days_since_epoch() * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - i64::from(self.zone_minutes) * 60
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_calendar() {
        assert!(NaiveDate::new(2024, 2, 29).is_ok());
        assert!(NaiveDate::new(2023, 2, 29).is_err());
        assert!(NaiveDate::new(2023, 13, 1).is_err());
        assert!(NaiveDate::new(2023, 4, 31).is_err());
        assert!(NaiveDate::new(0, 1, 1).is_err());
    }

    #[test]
    fn unix_time_round_trips() {
        let date = NaiveDate::new(1996, 7, 17).unwrap();
        let dt = DateTime::new(date, (2, 44, 25), -7 * 60).unwrap();
        assert_eq!(dt.unix_timestamp(), 837_596_665);
        let utc = DateTime::from_unix_timestamp(837_596_665).unwrap();
        assert_eq!(utc.date(), NaiveDate::new(1996, 7, 17).unwrap());
        assert_eq!(utc.time(), (9, 44, 25));
        assert_eq!(
            DateTime::from_unix_timestamp(0)
                .unwrap()
                .date()
                .days_since_epoch(),
            0
        );
        assert_eq!(
            DateTime::from_unix_timestamp(-1).unwrap().time(),
            (23, 59, 59)
        );
    }
}
