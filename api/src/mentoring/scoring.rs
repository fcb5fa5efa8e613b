//! The match score: hard filters, then five weighted factors whose points add
//! up to a score of 0..=100, each with a one-line reason a counsellor can
//! read out: a catalogue text (`reason.…`) and its numbers, put into words in
//! the language of whoever reads the breakdown ([`Reason::read_in`]). Pure
//! functions: no database, no clock.
//!
//! | factor         | weight | value (0..1)                                                    |
//! |----------------|-------:|-----------------------------------------------------------------|
//! | `skill_level`  | 30     | mentor's level against the target: ahead 1, equal 0.75, one below 0.35 |
//! | `availability` | 25     | weekly overlap in minutes, full at [`FULL_OVERLAP_MINUTES`]     |
//! | `modality`     | 20     | same postcode 1, same département 0.8, remote 0.6, far 0.2      |
//! | `load`         | 10     | share of the mentor's capacity still free                       |
//! | `rating`       | 15     | Bayesian average of learners' ratings, 1..5 mapped to 0..1      |
//!
//! `points = round(weight × value)` and the score is the sum of the points,
//! so the breakdown always adds up to the score exactly.
//!
//! The proximity reason says "même secteur" for the same postcode and for the
//! same département alike, and names no place: reasons are read by the other
//! party, and a postcode narrows down where someone lives.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use super::domain::Modalities;
use crate::i18n::{self, Lang};

pub const WEIGHT_SKILL_LEVEL: u8 = 30;
pub const WEIGHT_AVAILABILITY: u8 = 25;
pub const WEIGHT_MODALITY: u8 = 20;
pub const WEIGHT_LOAD: u8 = 10;
pub const WEIGHT_RATING: u8 = 15;

/// Two hours a week in common is enough to meet; more adds nothing.
pub const FULL_OVERLAP_MINUTES: i64 = 120;

/// Bayesian average of ratings: a mentor starts as if they had
/// `RATING_PRIOR_WEIGHT` ratings of `RATING_PRIOR_MEAN`, so one 5/5 (or one
/// 1/5) does not jump ahead of (or sink below) a long, steady record. 4/5 is
/// the typical rating on peer-mentoring platforms; 5 ratings is about what a
/// mentor gets in their first months.
pub const RATING_PRIOR_MEAN: f64 = 4.0;
pub const RATING_PRIOR_WEIGHT: f64 = 5.0;

/// A weekly slot in its owner's time zone: `weekday` 1 (Monday) ..= 7,
/// minutes since local midnight, `start < end <= 1440`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklySlot {
    pub weekday: u8,
    pub start: u16,
    pub end: u16,
}

/// Someone's weekly availability.
#[derive(Debug, Clone)]
pub struct Availability {
    pub timezone: Tz,
    pub slots: Vec<WeeklySlot>,
}

/// `[start, end)` in seconds since the Unix epoch.
pub type Interval = (i64, i64);

/// The Monday after `now` (UTC calendar): the concrete week in which weekly
/// slots are placed, so that each party's daylight-saving rules apply as they
/// will when they meet.
pub fn reference_monday(now: DateTime<Utc>) -> NaiveDate {
    let today = now.date_naive();
    today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday()))
}

/// A local wall-clock time as an instant. A time skipped by a daylight-saving
/// jump is read with the offset in force before the jump (02:30 on the spring
/// change in Paris is 03:30 summer time); a time that happens twice is the
/// first one.
fn instant(timezone: Tz, local: NaiveDateTime) -> i64 {
    match timezone.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => t.timestamp(),
        chrono::LocalResult::Ambiguous(first, _) => first.timestamp(),
        chrono::LocalResult::None => {
            let before = timezone.offset_from_utc_datetime(&(local - Duration::days(1)));
            local.and_utc().timestamp() - i64::from(before.fix().local_minus_utc())
        }
    }
}

impl Availability {
    /// The slots of the weeks `weeks` (0 = the reference week, -1 the one
    /// before...) as merged, sorted UTC intervals.
    pub fn utc_intervals(&self, monday: NaiveDate, weeks: std::ops::RangeInclusive<i64>) -> Vec<Interval> {
        let mut out = Vec::with_capacity(self.slots.len() * 3);
        for week in weeks {
            for slot in &self.slots {
                let day = monday + Duration::days(week * 7 + i64::from(slot.weekday) - 1);
                let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
                let start = instant(self.timezone, midnight + Duration::minutes(i64::from(slot.start)));
                let end = instant(self.timezone, midnight + Duration::minutes(i64::from(slot.end)));
                if start < end {
                    out.push((start, end));
                }
            }
        }
        merge(out)
    }
}

/// Sorts and merges overlapping or touching intervals.
pub fn merge(mut intervals: Vec<Interval>) -> Vec<Interval> {
    intervals.sort_unstable();
    let mut out: Vec<Interval> = Vec::with_capacity(intervals.len());
    for (start, end) in intervals {
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// Minutes in common between two merged, sorted interval lists.
pub fn overlap_minutes(a: &[Interval], b: &[Interval]) -> i64 {
    let (mut i, mut j, mut seconds) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let start = a[i].0.max(b[j].0);
        let end = a[i].1.min(b[j].1);
        if start < end {
            seconds += end - start;
        }
        if a[i].1 < b[j].1 { i += 1 } else { j += 1 }
    }
    seconds / 60
}

/// The learner's weekly slots in the reference week, and the mentor's in the
/// weeks around it: a Sunday evening in Los Angeles is a Monday morning in
/// Paris, and a slot of one week may meet a slot of the next.
pub fn learner_intervals(availability: Option<&Availability>, monday: NaiveDate) -> Option<Vec<Interval>> {
    availability.filter(|a| !a.slots.is_empty()).map(|a| a.utc_intervals(monday, 0..=0))
}

pub fn mentor_intervals(availability: Option<&Availability>, monday: NaiveDate) -> Option<Vec<Interval>> {
    availability.filter(|a| !a.slots.is_empty()).map(|a| a.utc_intervals(monday, -1..=1))
}

/// What the score needs to know of a request.
#[derive(Debug, Clone)]
pub struct RequestFeatures {
    pub learner_id: Uuid,
    /// The level the learner aims for, 1..=8.
    pub target_level: u8,
    pub modalities: Modalities,
    pub languages: Vec<String>,
    pub postcode: Option<String>,
    pub departement: Option<String>,
    /// `None` when the learner gave no availability.
    pub intervals: Option<Vec<Interval>>,
}

/// What the score needs to know of a mentor, for one skill.
#[derive(Debug, Clone)]
pub struct MentorFeatures {
    pub mentor_id: Uuid,
    /// The level they offer the skill at; `None` when they do not offer it.
    pub offered_level: Option<u8>,
    pub accepting: bool,
    pub active_matches: u32,
    pub max_active_matches: u32,
    pub modalities: Modalities,
    pub languages: Vec<String>,
    pub postcode: Option<String>,
    pub departement: Option<String>,
    pub rating_sum: i64,
    pub rating_count: i64,
    pub intervals: Option<Vec<Interval>>,
}

/// Why a mentor cannot be matched with a request at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ineligible {
    SelfMatch,
    Blocked,
    NotOffered,
    NotAccepting,
    AtCapacity,
    NoSharedLanguage,
    NoCommonModality,
}

impl Ineligible {
    /// Stable machine code for a 422 on `mentor_id`. A block reads as an
    /// unknown mentor: nobody learns that they were blocked.
    pub fn code(self) -> &'static str {
        match self {
            Ineligible::SelfMatch => "self",
            Ineligible::Blocked => "unknown_mentor",
            Ineligible::NotOffered => "skill_not_offered",
            Ineligible::NotAccepting => "not_accepting",
            Ineligible::AtCapacity => "at_capacity",
            Ineligible::NoSharedLanguage => "no_shared_language",
            Ineligible::NoCommonModality => "no_common_modality",
        }
    }

    /// The catalogue id of its field message; a block reads as an unknown
    /// mentor here too.
    pub fn message(self) -> &'static str {
        match self {
            Ineligible::SelfMatch => "field.mentor_self",
            Ineligible::Blocked => "field.mentor_unknown",
            Ineligible::NotOffered => "field.mentor_skill_not_offered",
            Ineligible::NotAccepting => "field.mentor_not_accepting",
            Ineligible::AtCapacity => "field.mentor_at_capacity",
            Ineligible::NoSharedLanguage => "field.mentor_no_shared_language",
            Ineligible::NoCommonModality => "field.mentor_no_common_modality",
        }
    }
}

/// The hard filters, in the order a person would check them. The database
/// applies the same filters for suggestions; this is the rule for cohort
/// matching and direct requests.
pub fn eligibility(
    request: &RequestFeatures,
    mentor: &MentorFeatures,
    blocked: bool,
) -> Result<(), Ineligible> {
    if request.learner_id == mentor.mentor_id {
        return Err(Ineligible::SelfMatch);
    }
    if blocked {
        return Err(Ineligible::Blocked);
    }
    if mentor.offered_level.is_none() {
        return Err(Ineligible::NotOffered);
    }
    if !mentor.accepting {
        return Err(Ineligible::NotAccepting);
    }
    if mentor.active_matches >= mentor.max_active_matches {
        return Err(Ineligible::AtCapacity);
    }
    if !request.languages.iter().any(|l| mentor.languages.contains(l)) {
        return Err(Ineligible::NoSharedLanguage);
    }
    if !request.modalities.common(mentor.modalities).any() {
        return Err(Ineligible::NoCommonModality);
    }
    Ok(())
}

/// One line of the breakdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    pub factor: &'static str,
    pub weight: u8,
    /// 0..=1, rounded to three decimals.
    pub value: f64,
    pub points: u8,
    pub reason: Reason,
}

/// Why a factor gave its points: the catalogue id of the sentence and the
/// numbers that fill it. Kept as data until someone reads it, since the
/// numbers too are written the reader's way (`4,5` or `4.5`).
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    id: &'static str,
    values: Vec<(&'static str, Amount)>,
}

/// A number of a reason, and how it is written.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Amount {
    Whole(i64),
    /// One decimal: a rating out of 5.
    Tenths(f64),
    Minutes(i64),
}

impl Amount {
    fn written(self, lang: Lang) -> String {
        match self {
            Amount::Whole(n) => n.to_string(),
            Amount::Tenths(value) => match lang {
                Lang::Fr => format!("{value:.1}").replace('.', ","),
                Lang::En => format!("{value:.1}"),
            },
            Amount::Minutes(minutes) => duration(minutes, lang),
        }
    }
}

impl Reason {
    fn new(id: &'static str) -> Self {
        Reason { id, values: Vec::new() }
    }

    fn with(mut self, name: &'static str, amount: Amount) -> Self {
        self.values.push((name, amount));
        self
    }

    /// The sentence in `lang`.
    pub fn read_in(&self, lang: Lang) -> String {
        let written: Vec<(&str, String)> =
            self.values.iter().map(|(name, amount)| (*name, amount.written(lang))).collect();
        let values: Vec<(&str, &str)> = written.iter().map(|(name, text)| (*name, text.as_str())).collect();
        i18n::text_with(self.id, lang, &values)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub total: u8,
    pub breakdown: Vec<Factor>,
}

fn factor(name: &'static str, weight: u8, value: f64, reason: Reason) -> Factor {
    let value = value.clamp(0.0, 1.0);
    Factor {
        factor: name,
        weight,
        value: (value * 1000.0).round() / 1000.0,
        points: (f64::from(weight) * value).round() as u8,
        reason,
    }
}

/// Scores an eligible pair (see [`eligibility`]).
pub fn score(request: &RequestFeatures, mentor: &MentorFeatures) -> Score {
    let breakdown = vec![
        skill_level(mentor.offered_level.unwrap_or(0), request.target_level),
        availability(request.intervals.as_deref(), mentor.intervals.as_deref()),
        modality(request, mentor),
        load(mentor.active_matches, mentor.max_active_matches),
        rating(mentor.rating_sum, mentor.rating_count),
    ];
    let total = breakdown.iter().map(|f| f.points).sum();
    Score { total, breakdown }
}

pub fn skill_level(offered: u8, target: u8) -> Factor {
    let gap = i16::from(offered) - i16::from(target);
    let (value, id) = match gap {
        1.. => (1.0, "reason.skill_level_ahead"),
        0 => (0.75, "reason.skill_level_equal"),
        -1 => (0.35, "reason.skill_level_just_below"),
        _ => (0.0, "reason.skill_level_far"),
    };
    let reason = Reason::new(id)
        .with("offered", Amount::Whole(offered.into()))
        .with("target", Amount::Whole(target.into()));
    factor("skill_level", WEIGHT_SKILL_LEVEL, value, reason)
}

/// `95` → "1 h 35" in French, "1 h 35 min" in English; `60` → "1 h",
/// `45` → "45 min" in both.
fn duration(minutes: i64, lang: Lang) -> String {
    match (minutes / 60, minutes % 60, lang) {
        (0, m, _) => format!("{m} min"),
        (h, 0, _) => format!("{h} h"),
        (h, m, Lang::Fr) => format!("{h} h {m:02}"),
        (h, m, Lang::En) => format!("{h} h {m:02} min"),
    }
}

pub fn availability(learner: Option<&[Interval]>, mentor: Option<&[Interval]>) -> Factor {
    let (value, reason) = match (learner, mentor) {
        (None, _) => (0.0, Reason::new("reason.availability_learner_unknown")),
        (_, None) => (0.0, Reason::new("reason.availability_mentor_unknown")),
        (Some(learner), Some(mentor)) => match overlap_minutes(learner, mentor) {
            0 => (0.0, Reason::new("reason.availability_none")),
            minutes => (
                minutes as f64 / FULL_OVERLAP_MINUTES as f64,
                Reason::new("reason.availability_shared").with("duration", Amount::Minutes(minutes)),
            ),
        },
    };
    factor("availability", WEIGHT_AVAILABILITY, value, reason)
}

pub fn modality(request: &RequestFeatures, mentor: &MentorFeatures) -> Factor {
    let common = request.modalities.common(mentor.modalities);
    let same = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
    let (value, id) = if common.in_person && same(&request.postcode, &mentor.postcode) {
        (1.0, "reason.modality_same_sector")
    } else if common.in_person && same(&request.departement, &mentor.departement) {
        (0.8, "reason.modality_same_sector")
    } else if common.remote || common.phone {
        match (common.in_person, common.remote) {
            (true, true) => (0.6, "reason.modality_elsewhere_remote"),
            (true, false) => (0.6, "reason.modality_elsewhere_phone"),
            (false, true) => (0.6, "reason.modality_remote"),
            (false, false) => (0.6, "reason.modality_phone"),
        }
    } else {
        (0.2, "reason.modality_too_far")
    };
    factor("modality", WEIGHT_MODALITY, value, Reason::new(id))
}

pub fn load(active: u32, max: u32) -> Factor {
    let free = max.saturating_sub(active);
    let value = if max == 0 { 0.0 } else { f64::from(free) / f64::from(max) };
    let id = match active {
        0 => "reason.load_free",
        1 => "reason.load_one",
        _ => "reason.load_several",
    };
    let reason =
        Reason::new(id).with("count", Amount::Whole(active.into())).with("max", Amount::Whole(max.into()));
    factor("load", WEIGHT_LOAD, value, reason)
}

/// `(prior_mean × prior_weight + Σ ratings) / (prior_weight + n)`.
pub fn bayesian_rating(sum: i64, count: i64) -> f64 {
    (RATING_PRIOR_MEAN * RATING_PRIOR_WEIGHT + sum as f64) / (RATING_PRIOR_WEIGHT + count as f64)
}

pub fn rating(sum: i64, count: i64) -> Factor {
    let adjusted = bayesian_rating(sum, count);
    let id = match count {
        0 => "reason.rating_none",
        1 => "reason.rating_one",
        _ => "reason.rating_several",
    };
    let mut reason =
        Reason::new(id).with("count", Amount::Whole(count)).with("adjusted", Amount::Tenths(adjusted));
    if count > 0 {
        reason = reason.with("mean", Amount::Tenths(sum as f64 / count as f64));
    }
    factor("rating", WEIGHT_RATING, (adjusted - 1.0) / 4.0, reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America, Asia, Europe, Pacific, UTC};

    fn slot(weekday: u8, start: &str, end: &str) -> WeeklySlot {
        let clock = |s: &str| super::super::domain::parse_clock(s).unwrap();
        WeeklySlot { weekday, start: clock(start), end: clock(end) }
    }

    fn weekly(timezone: Tz, slots: &[WeeklySlot]) -> Availability {
        Availability { timezone, slots: slots.to_vec() }
    }

    fn monday(y: i32, m: u32, d: u32) -> NaiveDate {
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(date.weekday(), chrono::Weekday::Mon);
        date
    }

    fn overlap(learner: &Availability, mentor: &Availability, week: NaiveDate) -> i64 {
        overlap_minutes(
            &learner_intervals(Some(learner), week).unwrap(),
            &mentor_intervals(Some(mentor), week).unwrap(),
        )
    }

    #[test]
    fn the_reference_week_starts_on_the_next_monday() {
        let thursday = Utc.with_ymd_and_hms(2026, 3, 12, 22, 0, 0).unwrap();
        assert_eq!(reference_monday(thursday), monday(2026, 3, 16));
        let a_monday = Utc.with_ymd_and_hms(2026, 3, 16, 8, 0, 0).unwrap();
        assert_eq!(reference_monday(a_monday), monday(2026, 3, 23));
    }

    #[test]
    fn same_zone_overlap_is_the_plain_intersection() {
        let mentor = weekly(Europe::Paris, &[slot(1, "18:00", "20:00"), slot(3, "09:00", "12:00")]);
        let learner = weekly(Europe::Paris, &[slot(1, "19:00", "21:00"), slot(3, "11:30", "12:30")]);
        assert_eq!(overlap(&learner, &mentor, monday(2026, 1, 12)), 60 + 30);
    }

    #[test]
    fn overlap_follows_each_partys_daylight_saving_rules() {
        // Paris 18:00–20:00 and New York 12:00–14:00 on Mondays.
        let mentor = weekly(Europe::Paris, &[slot(1, "18:00", "20:00")]);
        let learner = weekly(America::New_York, &[slot(1, "12:00", "14:00")]);
        // Winter: Paris UTC+1, New York UTC−5 — the same two hours.
        assert_eq!(overlap(&learner, &mentor, monday(2026, 1, 12)), 120);
        // 8–29 March 2026: New York is already on summer time (UTC−4), Paris
        // not yet (UTC+1): one hour apart.
        assert_eq!(overlap(&learner, &mentor, monday(2026, 3, 16)), 60);
        // April: both on summer time again.
        assert_eq!(overlap(&learner, &mentor, monday(2026, 4, 6)), 120);
    }

    #[test]
    fn a_change_inside_the_week_applies_from_that_day() {
        // Paris moves to summer time on Sunday 29 March 2026 at 01:00 UTC.
        let mentor = weekly(Europe::Paris, &[slot(6, "15:00", "16:00"), slot(7, "15:00", "16:00")]);
        // A learner on UTC, 13:00–14:00 on Saturday and Sunday.
        let learner = weekly(UTC, &[slot(6, "13:00", "14:00"), slot(7, "13:00", "14:00")]);
        let week = monday(2026, 3, 23);
        // Saturday: 15:00 Paris = 14:00 UTC, no overlap. Sunday: 15:00 Paris = 13:00 UTC.
        assert_eq!(overlap(&learner, &mentor, week), 60);
        // A slot inside the skipped hour (02:00–03:00 does not exist that night)
        // is read as if the clocks had already moved: 02:30–04:00 is 01:30–02:00 UTC.
        let night = weekly(Europe::Paris, &[slot(7, "02:30", "04:00")]);
        let utc_night = weekly(UTC, &[slot(7, "00:00", "03:00")]);
        assert_eq!(overlap(&utc_night, &night, week), 30);
    }

    #[test]
    fn overlap_crosses_midnight_and_the_week_boundary_between_zones() {
        // Sunday 22:00–23:59 in Los Angeles is Monday morning in Paris.
        let mentor = weekly(America::Los_Angeles, &[slot(7, "22:00", "24:00")]);
        let learner = weekly(Europe::Paris, &[slot(1, "07:00", "09:00")]);
        // In January LA is UTC−8 and Paris UTC+1: Sunday 22:00 LA = Monday 07:00 Paris.
        assert_eq!(overlap(&learner, &mentor, monday(2026, 1, 12)), 120);
        // Far zones on the same wall-clock time share nothing.
        let tokyo = weekly(Asia::Tokyo, &[slot(2, "10:00", "12:00")]);
        let auckland = weekly(Pacific::Auckland, &[slot(2, "10:00", "12:00")]);
        assert_eq!(overlap(&tokyo, &auckland, monday(2026, 1, 12)), 0);
    }

    #[test]
    fn own_overlapping_slots_are_not_counted_twice() {
        let mentor = weekly(Europe::Paris, &[slot(2, "10:00", "12:00"), slot(2, "11:00", "13:00")]);
        let learner = weekly(Europe::Paris, &[slot(2, "09:00", "14:00")]);
        assert_eq!(overlap(&learner, &mentor, monday(2026, 1, 12)), 180);
    }

    fn request() -> RequestFeatures {
        RequestFeatures {
            learner_id: Uuid::from_u128(1),
            target_level: 3,
            modalities: Modalities { remote: true, in_person: true, phone: false },
            languages: vec!["fr".into()],
            postcode: Some("93800".into()),
            departement: Some("93".into()),
            intervals: learner_intervals(
                Some(&weekly(Europe::Paris, &[slot(1, "18:00", "20:00")])),
                monday(2026, 1, 12),
            ),
        }
    }

    fn mentor() -> MentorFeatures {
        MentorFeatures {
            mentor_id: Uuid::from_u128(2),
            offered_level: Some(5),
            accepting: true,
            active_matches: 1,
            max_active_matches: 3,
            modalities: Modalities { remote: true, in_person: true, phone: true },
            languages: vec!["fr".into(), "ar".into()],
            postcode: Some("93800".into()),
            departement: Some("93".into()),
            rating_sum: 23,
            rating_count: 5,
            intervals: mentor_intervals(
                Some(&weekly(Europe::Paris, &[slot(1, "19:00", "21:00")])),
                monday(2026, 1, 12),
            ),
        }
    }

    #[test]
    fn every_hard_filter_excludes() {
        let (r, m) = (request(), mentor());
        assert_eq!(eligibility(&r, &m, false), Ok(()));
        assert_eq!(eligibility(&r, &m, true), Err(Ineligible::Blocked));
        type Change = Box<dyn Fn(&mut MentorFeatures)>;
        let cases: Vec<(Ineligible, Change)> = vec![
            (Ineligible::SelfMatch, Box::new(|m| m.mentor_id = Uuid::from_u128(1))),
            (Ineligible::NotOffered, Box::new(|m| m.offered_level = None)),
            (Ineligible::NotAccepting, Box::new(|m| m.accepting = false)),
            (Ineligible::AtCapacity, Box::new(|m| m.active_matches = 3)),
            (Ineligible::NoSharedLanguage, Box::new(|m| m.languages = vec!["en".into()])),
            (
                Ineligible::NoCommonModality,
                Box::new(|m| m.modalities = Modalities { phone: true, ..Default::default() }),
            ),
        ];
        for (expected, change) in cases {
            let mut m = mentor();
            change(&mut m);
            assert_eq!(eligibility(&r, &m, false), Err(expected));
        }
    }

    #[test]
    fn the_breakdown_adds_up_to_the_score() {
        let s = score(&request(), &mentor());
        let factors: Vec<_> = s.breakdown.iter().map(|f| f.factor).collect();
        assert_eq!(factors, ["skill_level", "availability", "modality", "load", "rating"]);
        let weights: u32 = s.breakdown.iter().map(|f| u32::from(f.weight)).sum();
        assert_eq!(weights, 100);
        assert_eq!(s.total, s.breakdown.iter().map(|f| f.points).sum::<u8>());
        // 30 (ahead) + 13 (60 of 120 minutes) + 20 (same postcode) + 7 (2 of 3 free) + 12 (4.3 → 0.825)
        let points: Vec<_> = s.breakdown.iter().map(|f| f.points).collect();
        assert_eq!(points, [30, 13, 20, 7, 12]);
        assert_eq!(s.total, 82);
        for f in &s.breakdown {
            for lang in [Lang::Fr, Lang::En] {
                let reason = f.reason.read_in(lang);
                assert!(reason.ends_with('.') && !reason.contains('{'), "{f:?}: {reason}");
            }
            assert!((0.0..=1.0).contains(&f.value));
        }
        // Every combination stays within 0..=100 and adds up.
        for offered in 1..=8 {
            for target in 1..=8 {
                for active in 0..3 {
                    let mut m = mentor();
                    m.offered_level = Some(offered);
                    m.active_matches = active;
                    let mut r = request();
                    r.target_level = target;
                    let s = score(&r, &m);
                    assert!(s.total <= 100);
                    assert_eq!(s.total, s.breakdown.iter().map(|f| f.points).sum::<u8>());
                }
            }
        }
    }

    #[test]
    fn proximity_prefers_the_same_postcode_then_the_same_departement() {
        let r = request();
        let mut m = mentor();
        assert_eq!(modality(&r, &m).value, 1.0);
        let same_postcode = modality(&r, &m).reason.read_in(Lang::Fr);
        m.postcode = Some("93200".into());
        assert_eq!(modality(&r, &m).value, 0.8);
        assert_eq!(
            modality(&r, &m).reason.read_in(Lang::Fr),
            same_postcode,
            "the reason does not tell the two apart"
        );
        assert!(same_postcode.starts_with("Même secteur") && !same_postcode.contains("93"));
        m.departement = Some("75".into());
        assert_eq!(modality(&r, &m).value, 0.6);
        m.modalities = Modalities { in_person: true, ..Default::default() };
        assert_eq!(modality(&r, &m).value, 0.2);
    }

    #[test]
    fn ratings_are_a_bayesian_average() {
        assert_eq!(bayesian_rating(0, 0), RATING_PRIOR_MEAN);
        // One 5/5 moves the needle a little; twenty do a lot.
        assert!((bayesian_rating(5, 1) - 25.0 / 6.0).abs() < 1e-9);
        assert!(bayesian_rating(100, 20) > bayesian_rating(5, 1));
        assert!(bayesian_rating(1, 1) > bayesian_rating(20, 20));
        assert!(rating(0, 0).reason.read_in(Lang::Fr).contains("Pas encore d'avis"));
        assert!(rating(9, 2).reason.read_in(Lang::Fr).contains("4,5/5 sur 2 avis"));
        assert!(rating(9, 2).reason.read_in(Lang::En).contains("4.5/5 from 2 ratings"));
        assert!(rating(5, 1).reason.read_in(Lang::En).contains("5.0/5 from 1 rating,"));
    }

    #[test]
    fn durations_read_in_french_and_english() {
        assert_eq!(duration(45, Lang::Fr), "45 min");
        assert_eq!(duration(60, Lang::Fr), "1 h");
        assert_eq!(duration(95, Lang::Fr), "1 h 35");
        assert_eq!(duration(95, Lang::En), "1 h 35 min");
    }
}
