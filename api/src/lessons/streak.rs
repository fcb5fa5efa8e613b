//! The daily streak: pure functions, no I/O.
//!
//! A day counts when the member completes a lesson or a review that day, in their time zone
//! (default Europe/Paris). A single missed day between two active days is repaired
//! automatically, at most once in any 7 days (two repaired days are at least 7 days apart);
//! two or more missed days in a row end the streak. No purchase, no guilt.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use utoipa::ToSchema;

/// The time zone of a member who has not chosen one.
pub const DEFAULT_TIME_ZONE: Tz = chrono_tz::Europe::Paris;

/// Two repaired days are at least this many days apart.
pub const REPAIR_SPACING_DAYS: i64 = 7;

/// The member's time zone from its stored IANA name, or [`DEFAULT_TIME_ZONE`] when there is
/// none or it is unknown.
pub fn time_zone_or_default(name: Option<&str>) -> Tz {
    name.and_then(|name| name.parse::<Tz>().ok()).unwrap_or(DEFAULT_TIME_ZONE)
}

/// The calendar day of the instant `at` on the member's wall clock in `tz`.
pub fn local_day(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// A member's streak.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Streak {
    /// Calendar days of the current chain, repaired days included; 0 when there is none.
    pub current: u32,
    /// The longest chain ever, repaired days included (always ≥ `current`).
    pub longest: u32,
    /// The days repaired automatically in the current chain, oldest first.
    pub repaired_days: Vec<NaiveDate>,
}

/// Computes the streak from the member's active days (local calendar days on which they
/// completed a lesson or a review) as of their local `today`. Days after `today` are ignored.
///
/// The days are walked in order; a single missed day between two active days is repaired
/// when the previous repair (in any chain) is at least [`REPAIR_SPACING_DAYS`] earlier,
/// otherwise the chain restarts. The current chain is alive when its last active day is
/// today or yesterday, or the day before yesterday when yesterday could still be repaired (an
/// activity today would save it): then `current` counts the chain up to its last active day,
/// without yesterday, which is not listed as repaired either.
pub fn compute(active_days: &BTreeSet<NaiveDate>, today: NaiveDate) -> Streak {
    let mut days = active_days.range(..=today).copied();
    let Some(first) = days.next() else {
        return Streak::default();
    };
    let mut start = first;
    let mut last = first;
    let mut repaired: Vec<NaiveDate> = Vec::new();
    let mut last_repair: Option<NaiveDate> = None;
    let mut longest = 1;
    for day in days {
        let missed = days_between(last, day) - 1;
        let repairable = day.pred_opt().filter(|&gap| missed == 1 && repair_allowed(last_repair, gap));
        if let Some(gap) = repairable {
            repaired.push(gap);
            last_repair = Some(gap);
        } else if missed > 0 {
            start = day;
            repaired.clear();
        }
        last = day;
        longest = longest.max(span(start, last));
    }
    let behind = days_between(last, today);
    let alive = behind <= 1
        || (behind == 2 && today.pred_opt().is_some_and(|yesterday| repair_allowed(last_repair, yesterday)));
    if alive {
        Streak { current: span(start, last), longest, repaired_days: repaired }
    } else {
        Streak { current: 0, longest, repaired_days: Vec::new() }
    }
}

/// Whether `day` may be repaired, given the most recent repaired day.
fn repair_allowed(last_repair: Option<NaiveDate>, day: NaiveDate) -> bool {
    last_repair.is_none_or(|previous| days_between(previous, day) >= REPAIR_SPACING_DAYS)
}

/// `to − from` in days.
fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// Calendar days from `start` to `end`, both included.
fn span(start: NaiveDate, end: NaiveDate) -> u32 {
    u32::try_from(days_between(start, end) + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use chrono::{Days, TimeZone};

    use super::*;

    /// Day `n` of an arbitrary month-crossing calendar (day 1 = 2026-01-01).
    fn d(n: u64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 12, 31).unwrap() + Days::new(n)
    }

    fn set(days: &[u64]) -> BTreeSet<NaiveDate> {
        days.iter().map(|&n| d(n)).collect()
    }

    fn streak(current: u32, longest: u32, repaired: &[u64]) -> Streak {
        Streak { current, longest, repaired_days: repaired.iter().map(|&n| d(n)).collect() }
    }

    fn utc(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, day, h, min, 0).unwrap()
    }

    fn date(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const PARIS: Tz = chrono_tz::Europe::Paris;
    const CAYENNE: Tz = chrono_tz::America::Cayenne;

    // --- compute ---------------------------------------------------------------------------

    #[test]
    fn no_activity_no_streak() {
        assert_eq!(compute(&BTreeSet::new(), d(10)), streak(0, 0, &[]));
    }

    #[test]
    fn a_single_day_today() {
        assert_eq!(compute(&set(&[10]), d(10)), streak(1, 1, &[]));
    }

    #[test]
    fn consecutive_days() {
        assert_eq!(compute(&set(&[6, 7, 8, 9, 10]), d(10)), streak(5, 5, &[]));
        // Across a month end.
        assert_eq!(compute(&set(&[30, 31, 32, 33]), d(33)), streak(4, 4, &[]));
    }

    #[test]
    fn a_single_missed_day_is_repaired_and_counted() {
        assert_eq!(compute(&set(&[1, 2, 4, 5]), d(5)), streak(5, 5, &[3]));
    }

    #[test]
    fn a_second_gap_three_days_later_breaks_the_chain() {
        // Day 3 is repaired; day 6 is only 3 days after it, so the chain restarts on day 7.
        assert_eq!(compute(&set(&[1, 2, 4, 5, 7]), d(7)), streak(1, 5, &[]));
    }

    #[test]
    fn two_gaps_eight_days_apart_are_both_repaired() {
        let days = set(&[1, 2, 4, 5, 6, 7, 8, 9, 10, 12]);
        assert_eq!(compute(&days, d(12)), streak(12, 12, &[3, 11]));
    }

    #[test]
    fn repairs_exactly_seven_days_apart_are_allowed_six_are_not() {
        let seven = set(&[1, 2, 4, 5, 6, 7, 8, 9, 11]);
        assert_eq!(compute(&seven, d(11)), streak(11, 11, &[3, 10]));
        let six = set(&[1, 2, 4, 5, 6, 7, 8, 10]);
        assert_eq!(compute(&six, d(10)), streak(1, 8, &[]));
    }

    #[test]
    fn two_missed_days_break_the_chain() {
        assert_eq!(compute(&set(&[1, 2, 5, 6]), d(6)), streak(2, 2, &[]));
        assert_eq!(compute(&set(&[1, 2, 3, 6]), d(6)), streak(1, 3, &[]));
    }

    #[test]
    fn yesterday_keeps_the_streak_alive() {
        assert_eq!(compute(&set(&[9]), d(10)), streak(1, 1, &[]));
        assert_eq!(compute(&set(&[7, 8, 9]), d(10)), streak(3, 3, &[]));
        assert_eq!(compute(&set(&[6, 8, 9]), d(10)), streak(4, 4, &[7]));
    }

    #[test]
    fn the_day_before_yesterday_is_alive_only_if_yesterday_can_still_be_repaired() {
        // No repair yet: yesterday (day 9) can be saved today; it is neither counted nor listed.
        assert_eq!(compute(&set(&[6, 7, 8]), d(10)), streak(3, 3, &[]));
        assert_eq!(compute(&set(&[8]), d(10)), streak(1, 1, &[]));
        // Day 5 was repaired 4 days before yesterday: too soon, the streak is over.
        assert_eq!(compute(&set(&[4, 6, 7, 8]), d(10)), streak(0, 5, &[]));
        // Day 2 was repaired 7 days before yesterday: still alive, with its repair.
        assert_eq!(compute(&set(&[1, 3, 4, 5, 6, 7, 8]), d(10)), streak(8, 8, &[2]));
        // And the member saves it today: yesterday is repaired, 7 days after day 2.
        assert_eq!(compute(&set(&[1, 3, 4, 5, 6, 7, 8, 10]), d(10)), streak(10, 10, &[2, 9]));
    }

    #[test]
    fn three_days_without_activity_end_the_streak() {
        assert_eq!(compute(&set(&[5, 6, 7]), d(10)), streak(0, 3, &[]));
        assert_eq!(compute(&set(&[1, 2, 4, 5]), d(40)), streak(0, 5, &[]));
    }

    #[test]
    fn longest_comes_from_an_earlier_chain() {
        let days = set(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 21, 22]);
        assert_eq!(compute(&days, d(22)), streak(3, 10, &[]));
        // An earlier chain lengthened by its repair.
        let days = set(&[1, 2, 3, 5, 6, 7, 20, 21]);
        assert_eq!(compute(&days, d(21)), streak(2, 7, &[]));
    }

    #[test]
    fn the_repair_spacing_spans_chain_breaks() {
        // Day 3 repaired; days 5 and 6 missed (break); day 8 missed only 5 days after the repair.
        assert_eq!(compute(&set(&[1, 2, 4, 7, 9]), d(9)), streak(1, 4, &[]));
        // Day 10 is 7 days after day 3: the chain restarted on day 9 gets its own repair.
        assert_eq!(compute(&set(&[1, 2, 4, 7, 9, 11]), d(11)), streak(3, 4, &[10]));
    }

    #[test]
    fn days_after_today_are_ignored() {
        assert_eq!(compute(&set(&[8, 9, 10, 11, 12]), d(10)), streak(3, 3, &[]));
        assert_eq!(compute(&set(&[11, 12]), d(10)), streak(0, 0, &[]));
    }

    #[test]
    fn streak_serialises_for_the_api() {
        let value = serde_json::to_value(compute(&set(&[1, 2, 4]), d(4))).unwrap();
        assert_eq!(value, serde_json::json!({ "current": 4, "longest": 4, "repaired_days": ["2026-01-03"] }));
    }

    // --- time zones ------------------------------------------------------------------------

    #[test]
    fn time_zone_defaults_to_paris() {
        assert_eq!(time_zone_or_default(None), PARIS);
        assert_eq!(time_zone_or_default(Some("Nowhere/Atlantis")), PARIS);
        assert_eq!(time_zone_or_default(Some("America/Cayenne")), CAYENNE);
    }

    #[test]
    fn paris_midnight_in_winter() {
        // UTC+1: 22:30Z is 23:30 local, 23:30Z is 00:30 local the next day.
        assert_eq!(local_day(utc(2026, 1, 15, 22, 30), PARIS), date(2026, 1, 15));
        assert_eq!(local_day(utc(2026, 1, 15, 23, 30), PARIS), date(2026, 1, 16));
    }

    #[test]
    fn paris_midnight_in_summer() {
        // UTC+2: 21:59Z is 23:59 local, 22:01Z is 00:01 local the next day.
        assert_eq!(local_day(utc(2026, 7, 15, 21, 59), PARIS), date(2026, 7, 15));
        assert_eq!(local_day(utc(2026, 7, 15, 22, 1), PARIS), date(2026, 7, 16));
    }

    #[test]
    fn spring_forward_keeps_days_consecutive() {
        // 2026-03-29 02:00 CET → 03:00 CEST in Europe/Paris.
        let instants = [
            (utc(2026, 3, 28, 22, 30), date(2026, 3, 28)), // 23:30 CET, the evening before
            (utc(2026, 3, 28, 23, 30), date(2026, 3, 29)), // 00:30 CET, the night of the switch
            (utc(2026, 3, 29, 1, 30), date(2026, 3, 29)),  // 03:30 CEST, just after it
            (utc(2026, 3, 29, 21, 30), date(2026, 3, 29)), // 23:30 CEST
            (utc(2026, 3, 29, 22, 30), date(2026, 3, 30)), // 00:30 CEST the day after
        ];
        for (at, expected) in instants {
            assert_eq!(local_day(at, PARIS), expected, "{at}");
        }
        let days: BTreeSet<NaiveDate> = instants.iter().map(|(at, _)| local_day(*at, PARIS)).collect();
        assert_eq!(compute(&days, date(2026, 3, 30)).current, 3);
        // 23:30 local the evening before, 00:30 local after the switch: consecutive days.
        let pair: BTreeSet<NaiveDate> = [utc(2026, 3, 29, 21, 30), utc(2026, 3, 29, 22, 30)]
            .iter()
            .map(|&at| local_day(at, PARIS))
            .collect();
        assert_eq!(
            compute(&pair, date(2026, 3, 30)),
            Streak { current: 2, longest: 2, repaired_days: vec![] }
        );
    }

    #[test]
    fn fall_back_keeps_days_consecutive() {
        // 2026-10-25 03:00 CEST → 02:00 CET in Europe/Paris.
        let instants = [
            (utc(2026, 10, 24, 21, 30), date(2026, 10, 24)), // 23:30 CEST, the evening before
            (utc(2026, 10, 24, 22, 30), date(2026, 10, 25)), // 00:30 CEST, the night of the switch
            (utc(2026, 10, 25, 0, 30), date(2026, 10, 25)),  // 02:30 CEST, first time
            (utc(2026, 10, 25, 1, 30), date(2026, 10, 25)),  // 02:30 CET, second time
            (utc(2026, 10, 25, 22, 30), date(2026, 10, 25)), // 23:30 CET
            (utc(2026, 10, 25, 23, 30), date(2026, 10, 26)), // 00:30 CET the day after
        ];
        for (at, expected) in instants {
            assert_eq!(local_day(at, PARIS), expected, "{at}");
        }
        let days: BTreeSet<NaiveDate> = instants.iter().map(|(at, _)| local_day(*at, PARIS)).collect();
        assert_eq!(compute(&days, date(2026, 10, 26)).current, 3);
        let pair: BTreeSet<NaiveDate> = [utc(2026, 10, 24, 21, 30), utc(2026, 10, 24, 22, 30)]
            .iter()
            .map(|&at| local_day(at, PARIS))
            .collect();
        assert_eq!(compute(&pair, date(2026, 10, 25)).current, 2);
    }

    #[test]
    fn the_same_instants_in_cayenne_and_paris() {
        // Cayenne is UTC−3 all year, Paris UTC+1 in winter: four hours apart.
        let first = utc(2026, 1, 15, 23, 30); // Paris 16th 00:30, Cayenne 15th 20:30
        let second = utc(2026, 1, 17, 3, 30); // Paris 17th 04:30, Cayenne 17th 00:30
        assert_eq!(local_day(first, PARIS), date(2026, 1, 16));
        assert_eq!(local_day(first, CAYENNE), date(2026, 1, 15));
        assert_eq!(local_day(second, PARIS), date(2026, 1, 17));
        assert_eq!(local_day(second, CAYENNE), date(2026, 1, 17));
        // 2026-01-16 02:30Z is still the 15th in Cayenne.
        assert_eq!(local_day(utc(2026, 1, 16, 2, 30), CAYENNE), date(2026, 1, 15));
        assert_eq!(local_day(utc(2026, 1, 16, 3, 0), CAYENNE), date(2026, 1, 16));

        let now = utc(2026, 1, 17, 12, 0);
        let in_zone = |tz: Tz| {
            let days: BTreeSet<NaiveDate> = [first, second].iter().map(|&at| local_day(at, tz)).collect();
            compute(&days, local_day(now, tz))
        };
        assert_eq!(in_zone(PARIS), Streak { current: 2, longest: 2, repaired_days: vec![] });
        assert_eq!(
            in_zone(CAYENNE),
            Streak { current: 3, longest: 3, repaired_days: vec![date(2026, 1, 16)] }
        );
    }

    // --- randomized invariants -------------------------------------------------------------

    /// A small linear congruential generator (Knuth's MMIX constants), deterministic.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            self.0 >> 33
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// An independent day-by-day model: walk every calendar day from the first active one to
    /// today, as a member living through them would.
    fn reference(active: &BTreeSet<NaiveDate>, today: NaiveDate) -> Streak {
        let Some(&first) = active.iter().next() else {
            return Streak::default();
        };
        if first > today {
            return Streak::default();
        }
        let is_active = |day: NaiveDate| active.contains(&day);
        let mut chain: Option<(u32, Vec<NaiveDate>)> = None; // (length so far, repaired)
        let mut last_repair: Option<NaiveDate> = None;
        let mut longest = 0;
        let mut day = first;
        while day <= today {
            let yesterday = day.pred_opt().unwrap();
            let tomorrow = day.succ_opt().unwrap();
            if is_active(day) {
                chain = Some(match chain.take() {
                    Some((len, repaired)) if is_active(yesterday) || repaired.last() == Some(&yesterday) => {
                        (len + 1, repaired)
                    }
                    _ => (1, Vec::new()),
                });
            } else if is_active(yesterday)
                && tomorrow <= today
                && is_active(tomorrow)
                && last_repair.is_none_or(|r| (day - r).num_days() >= 7)
            {
                // `chain` is the one that includes yesterday.
                let (len, repaired) = chain.as_mut().unwrap();
                *len += 1;
                repaired.push(day);
                last_repair = Some(day);
            }
            if let Some((len, _)) = &chain {
                longest = longest.max(*len);
            }
            day = tomorrow;
        }
        let last = *active.range(..=today).next_back().unwrap();
        let behind = (today - last).num_days();
        let alive = behind <= 1
            || (behind == 2 && last_repair.is_none_or(|r| (today.pred_opt().unwrap() - r).num_days() >= 7));
        match chain {
            Some((len, repaired)) if alive => Streak { current: len, longest, repaired_days: repaired },
            _ => Streak { current: 0, longest, repaired_days: Vec::new() },
        }
    }

    #[test]
    fn random_histories_keep_the_invariants() {
        let mut rng = Lcg(0x0072_656D_706C_696E);
        let origin = d(1);
        let mut alive_cases = 0;
        let mut repaired_cases = 0;
        for case in 0..500 {
            // Densities from sparse to almost daily, so that chains, repairs and breaks all occur.
            let density = 30 + rng.below(70);
            let active: BTreeSet<NaiveDate> = (0..120)
                .filter(|_| rng.below(100) < density)
                .map(|offset| origin + Days::new(offset))
                .collect();
            let today = origin + Days::new(100 + rng.below(30));
            let s = compute(&active, today);

            assert_eq!(s, reference(&active, today), "case {case}: {active:?} today {today}");
            assert!(s.current <= s.longest, "case {case}");
            for pair in s.repaired_days.windows(2) {
                assert!((pair[1] - pair[0]).num_days() >= REPAIR_SPACING_DAYS, "case {case}: {pair:?}");
            }
            for &day in &s.repaired_days {
                assert!(!active.contains(&day), "case {case}: {day} was active");
                assert!(active.contains(&day.pred_opt().unwrap()), "case {case}: {day}");
                assert!(active.contains(&day.succ_opt().unwrap()), "case {case}: {day}");
                assert!(day < today, "case {case}: {day}");
            }
            if s.current > 0 {
                alive_cases += 1;
                let last = *active.range(..=today).next_back().unwrap();
                assert!(last >= today - Days::new(2), "case {case}");
                // The chain is made of active or repaired days only, and starts after a break.
                let start = last - Days::new(u64::from(s.current) - 1);
                let mut day = start;
                while day <= last {
                    assert!(active.contains(&day) || s.repaired_days.contains(&day), "case {case}: {day}");
                    day = day.succ_opt().unwrap();
                }
                assert!(!active.contains(&start.pred_opt().unwrap()), "case {case}: chain starts at {start}");
            } else {
                assert!(s.repaired_days.is_empty(), "case {case}");
            }
            if !s.repaired_days.is_empty() {
                repaired_cases += 1;
            }
        }
        // The generator exercises both outcomes.
        assert!(alive_cases > 50 && alive_cases < 500, "{alive_cases} alive");
        assert!(repaired_cases > 20, "{repaired_cases} with repairs");
    }
}
