//! The period of impact figures: whole calendar months only. A finer bound
//! would let two queries differ by the moment one person enrolled or filled
//! in a measure, and the difference of their figures would describe them.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::dto::ImpactFilter;
use crate::error::ApiError;

/// A calendar month, written `YYYY-MM` (e.g. `2026-03`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month(NaiveDate);

impl Month {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        const MESSAGE: &str = "field.month";
        let (year, month) = raw.split_once('-').ok_or(MESSAGE)?;
        if year.len() != 4
            || month.len() != 2
            || !(year.bytes().chain(month.bytes()).all(|b| b.is_ascii_digit()))
        {
            return Err(MESSAGE);
        }
        let (year, month) = (year.parse().map_err(|_| MESSAGE)?, month.parse().map_err(|_| MESSAGE)?);
        NaiveDate::from_ymd_opt(year, month, 1).map(Month).ok_or(MESSAGE)
    }

    /// Midnight UTC on the first day of the month.
    fn start(self) -> DateTime<Utc> {
        self.0.and_time(chrono::NaiveTime::MIN).and_utc()
    }

    /// Midnight UTC on the first day of the following month.
    fn end(self) -> DateTime<Utc> {
        let (year, month) =
            if self.0.month() == 12 { (self.0.year() + 1, 1) } else { (self.0.year(), self.0.month() + 1) };
        NaiveDate::from_ymd_opt(year, month, 1).map_or(DateTime::<Utc>::MAX_UTC, |d| Month(d).start())
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.0.year(), self.0.month())
    }
}

/// `from` (first month included) and `to` (last month included), each optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<Month>,
    pub to: Option<Month>,
}

impl Period {
    pub fn parse(filter: &ImpactFilter) -> Result<Self, ApiError> {
        let month = |field: &str, raw: &Option<String>| {
            raw.as_deref()
                .map(Month::parse)
                .transpose()
                .map_err(|message| ApiError::validation(field, "month", message))
        };
        let period = Period { from: month("from", &filter.from)?, to: month("to", &filter.to)? };
        if let (Some(from), Some(to)) = (period.from, period.to)
            && to < from
        {
            return Err(ApiError::validation("to", "before_from", "field.period_end_before_start"));
        }
        Ok(period)
    }

    /// The first instant of the period (inclusive).
    pub fn start(&self) -> Option<DateTime<Utc>> {
        self.from.map(Month::start)
    }

    /// The first instant after the period (exclusive).
    pub fn end(&self) -> Option<DateTime<Utc>> {
        self.to.map(Month::end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_written_year_dash_month() {
        let march = Month::parse("2026-03").unwrap();
        assert_eq!(march.to_string(), "2026-03");
        assert_eq!(march.start().to_rfc3339(), "2026-03-01T00:00:00+00:00");
        assert_eq!(march.end().to_rfc3339(), "2026-04-01T00:00:00+00:00");
        assert_eq!(Month::parse("2026-12").unwrap().end().to_rfc3339(), "2027-01-01T00:00:00+00:00");
        for bad in [
            "",
            "2026-3",
            "2026-13",
            "2026-00",
            "2026-03-01",
            "2026-03-01T00:00:00Z",
            "+026-03",
            "mars",
            "2026/03",
        ] {
            assert!(Month::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_period_ends_after_its_last_month_and_not_before_its_first() {
        let filter =
            ImpactFilter { from: Some("2026-03".into()), to: Some("2026-03".into()), organization_id: None };
        let period = Period::parse(&filter).unwrap();
        assert_eq!(period.start().unwrap().to_rfc3339(), "2026-03-01T00:00:00+00:00");
        assert_eq!(period.end().unwrap().to_rfc3339(), "2026-04-01T00:00:00+00:00");
        let reversed =
            ImpactFilter { from: Some("2026-04".into()), to: Some("2026-03".into()), organization_id: None };
        assert_eq!(Period::parse(&reversed).unwrap_err().code(), "validation_failed");
        assert_eq!(Period::parse(&ImpactFilter::default()).unwrap(), Period::default());
    }
}
