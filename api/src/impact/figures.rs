//! The arithmetic of impact figures and their suppression, kept pure so that
//! it is tested on hand-made cases. Every figure knows how many different
//! people it is computed from; below K it is withheld (`suppressed`), never
//! rounded or approximated.

use std::collections::{HashMap, HashSet};

use entity::assessment::AssessmentContext;
use entity::enrolment::EnrolmentStatus;
use uuid::Uuid;

use super::dto::{Count, Measure, WorkshopFigures};

pub fn count(value: i64, people: usize, k: u32) -> Count {
    if people < k as usize {
        Count { value: None, suppressed: true }
    } else {
        Count { value: Some(value), suppressed: false }
    }
}

/// `value` is `None` when there is nothing to compute from (0 people); that
/// is also below any K, so it is suppressed.
pub fn measure(value: Option<f64>, people: usize, k: u32) -> Measure {
    match value {
        Some(value) if people >= k as usize => Measure { value: Some(round(value)), suppressed: false },
        _ => Measure { value: None, suppressed: true },
    }
}

fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// What one programme or module had over the period.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    /// Seated enrolments (confirmed, attended, no-show) in sessions of the period.
    pub seats: Vec<(Uuid, EnrolmentStatus)>,
    /// People who completed it (only those among `seats` count).
    pub completers: HashSet<Uuid>,
    /// `(first pre score, latest post score)` of each person measured both ways.
    pub pairs: Vec<(i16, i16)>,
}

pub fn workshop_figures(scope: &Scope, k: u32) -> WorkshopFigures {
    let members: HashSet<Uuid> = scope.seats.iter().map(|(member, _)| *member).collect();
    let marked: Vec<&(Uuid, EnrolmentStatus)> = scope
        .seats
        .iter()
        .filter(|(_, status)| matches!(status, EnrolmentStatus::Attended | EnrolmentStatus::NoShow))
        .collect();
    let marked_people: HashSet<Uuid> = marked.iter().map(|(member, _)| *member).collect();
    let attended = marked.iter().filter(|(_, status)| *status == EnrolmentStatus::Attended).count();
    let completed = members.iter().filter(|member| scope.completers.contains(member)).count();
    let measured = scope.pairs.len();
    let mean = |pick: fn(&(i16, i16)) -> i16| {
        ratio(scope.pairs.iter().map(|pair| pick(pair) as usize).sum(), measured)
    };
    let improved = scope.pairs.iter().filter(|(pre, post)| post > pre).count();
    WorkshopFigures {
        enrolments: count(scope.seats.len() as i64, members.len(), k),
        members: count(members.len() as i64, members.len(), k),
        attendance_rate: measure(ratio(attended, marked.len()), marked_people.len(), k),
        completed: count(completed as i64, members.len(), k),
        completion_rate: measure(ratio(completed, members.len()), members.len(), k),
        measured: count(measured as i64, measured, k),
        mean_pre: measure(mean(|(pre, _)| *pre), measured, k),
        mean_post: measure(mean(|(_, post)| *post), measured, k),
        share_improved: measure(ratio(improved, measured), measured, k),
    }
}

/// Pairs each person's first `pre` with their latest `post`; `rows` must be
/// in time order. People without both are left out.
pub fn pairs(rows: &[(Uuid, AssessmentContext, i16)]) -> Vec<(i16, i16)> {
    let mut first_pre: HashMap<Uuid, i16> = HashMap::new();
    let mut last_post: HashMap<Uuid, i16> = HashMap::new();
    for (member, context, score) in rows {
        match context {
            AssessmentContext::Pre => {
                first_pre.entry(*member).or_insert(*score);
            }
            AssessmentContext::Post => {
                last_post.insert(*member, *score);
            }
        }
    }
    let mut out: Vec<(Uuid, (i16, i16))> = first_pre
        .into_iter()
        .filter_map(|(member, pre)| Some((member, (pre, *last_post.get(&member)?))))
        .collect();
    out.sort();
    out.into_iter().map(|(_, pair)| pair).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use EnrolmentStatus::{Attended, Confirmed, NoShow};

    fn people(n: usize) -> Vec<Uuid> {
        (0..n).map(|_| Uuid::now_v7()).collect()
    }

    #[test]
    fn figures_from_fewer_than_k_people_are_withheld() {
        let p = people(5);
        // 5 people seated; 4 had their attendance recorded (3 came); 2 completed.
        let scope = Scope {
            seats: vec![
                (p[0], Attended),
                (p[1], Attended),
                (p[2], Attended),
                (p[3], NoShow),
                (p[4], Confirmed),
            ],
            completers: [p[0], p[1], Uuid::now_v7()].into_iter().collect(),
            pairs: vec![(20, 25), (30, 28), (22, 22)],
        };
        let figures = workshop_figures(&scope, 5);
        assert_eq!(figures.enrolments, Count { value: Some(5), suppressed: false });
        assert_eq!(figures.members.value, Some(5));
        assert_eq!(figures.completed.value, Some(2), "a completer who was not seated does not count");
        assert_eq!(figures.completion_rate.value, Some(0.4));
        // Attendance is known for 4 people only, measures for 3: below K = 5.
        assert!(figures.attendance_rate.suppressed && figures.attendance_rate.value.is_none());
        assert!(
            figures.measured.suppressed && figures.mean_pre.suppressed && figures.share_improved.suppressed
        );

        let figures = workshop_figures(&scope, 3);
        assert_eq!(figures.attendance_rate.value, Some(0.75));
        assert_eq!(figures.measured.value, Some(3));
        assert_eq!(figures.mean_pre.value, Some(24.0));
        assert_eq!(figures.mean_post.value, Some(25.0));
        assert_eq!(figures.share_improved.value, Some(0.333));
    }

    #[test]
    fn an_empty_scope_says_nothing() {
        let figures = workshop_figures(&Scope::default(), 1);
        assert_eq!(figures.enrolments, Count { value: None, suppressed: true });
        assert!(figures.attendance_rate.suppressed && figures.mean_post.suppressed);
    }

    #[test]
    fn pairs_take_the_first_pre_and_the_latest_post() {
        let p = people(3);
        let rows = vec![
            (p[0], AssessmentContext::Pre, 20),
            (p[0], AssessmentContext::Pre, 21),
            (p[0], AssessmentContext::Post, 24),
            (p[0], AssessmentContext::Post, 27),
            (p[1], AssessmentContext::Pre, 30),
            (p[2], AssessmentContext::Post, 35),
        ];
        assert_eq!(pairs(&rows), vec![(20, 27)]);
    }
}
