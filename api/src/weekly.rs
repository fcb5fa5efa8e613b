//! Weekly time slots written as `HH:MM` clocks (a mentor's availability, a
//! place's opening hours): the slot as requests carry it and its parsing into
//! minutes since local midnight. A leaf.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::error::ApiError;

/// One weekly slot, in the time zone it is given with.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
pub struct SlotInput {
    /// 1 = Monday ... 7 = Sunday.
    #[validate(range(min = 1, max = 7))]
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: i16,
    #[validate(custom(function = "clock"))]
    #[schema(example = "18:00", pattern = "^[0-9]{2}:[0-9]{2}$")]
    pub start: String,
    /// After `start`, on the same day; `24:00` is midnight at the end of the day.
    #[validate(custom(function = "clock"))]
    #[schema(example = "20:00", pattern = "^[0-9]{2}:[0-9]{2}$")]
    pub end: String,
}

/// A slot in minutes since local midnight, `start < end <= 1440`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklySlot {
    pub weekday: i16,
    pub start_minute: i16,
    pub end_minute: i16,
}

/// `"18:30"` → 1110 minutes since midnight; `"24:00"` is the end of the day.
pub fn parse_clock(raw: &str) -> Result<u16, &'static str> {
    const MESSAGE: &str = "field.clock";
    let (hours, minutes) = raw.split_once(':').ok_or(MESSAGE)?;
    if hours.len() != 2 || minutes.len() != 2 {
        return Err(MESSAGE);
    }
    let hours: u16 = hours.parse().map_err(|_| MESSAGE)?;
    let minutes: u16 = minutes.parse().map_err(|_| MESSAGE)?;
    match (hours, minutes) {
        (24, 0) => Ok(1440),
        (0..=23, 0..=59) => Ok(hours * 60 + minutes),
        _ => Err(MESSAGE),
    }
}

pub fn format_clock(minutes: i16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The validator rule of a clock field.
pub fn clock(value: &str) -> Result<(), ValidationError> {
    parse_clock(value)
        .map(|_| ())
        .map_err(|message| ValidationError::new("time").with_message(Cow::Borrowed(message)))
}

/// Parses slots (already validated field by field), refusing one that ends
/// before it starts; errors name `{field}[i].start` / `.end`.
pub fn parse_slots(field: &str, slots: &[SlotInput]) -> Result<Vec<WeeklySlot>, ApiError> {
    let error = |index: usize, part: &str, code: &str, message: &str| {
        ApiError::validation(&format!("{field}[{index}].{part}"), code, message)
    };
    slots
        .iter()
        .enumerate()
        .map(|(index, slot)| {
            let start = parse_clock(&slot.start).map_err(|m| error(index, "start", "time", m))?;
            let end = parse_clock(&slot.end).map_err(|m| error(index, "end", "time", m))?;
            if start >= end {
                return Err(error(index, "end", "range", "field.slot_end_before_start"));
            }
            Ok(WeeklySlot { weekday: slot.weekday, start_minute: start as i16, end_minute: end as i16 })
        })
        .collect()
}

impl From<WeeklySlot> for SlotInput {
    fn from(slot: WeeklySlot) -> Self {
        SlotInput {
            weekday: slot.weekday,
            start: format_clock(slot.start_minute),
            end: format_clock(slot.end_minute),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks() {
        assert_eq!(parse_clock("00:00"), Ok(0));
        assert_eq!(parse_clock("18:30"), Ok(1110));
        assert_eq!(parse_clock("24:00"), Ok(1440));
        for bad in ["24:01", "7:00", "07:60", "0700", "ab:cd", ""] {
            assert!(parse_clock(bad).is_err(), "{bad}");
        }
        assert_eq!(format_clock(1110), "18:30");
        assert_eq!(format_clock(1440), "24:00");
    }

    #[test]
    fn a_slot_ends_after_it_starts() {
        let slot = |start: &str, end: &str| SlotInput { weekday: 2, start: start.into(), end: end.into() };
        let parsed = parse_slots("hours", &[slot("09:00", "12:30")]).unwrap();
        assert_eq!(parsed, vec![WeeklySlot { weekday: 2, start_minute: 540, end_minute: 750 }]);
        for (start, end) in [("12:00", "12:00"), ("14:00", "09:00")] {
            let ApiError::Validation(errors) =
                parse_slots("hours", &[slot("08:00", "09:00"), slot(start, end)]).unwrap_err()
            else {
                panic!("a validation error is expected");
            };
            assert_eq!(errors[0].field, "hours[1].end");
        }
    }
}
