//! The arithmetic of impact figures and their suppression, kept pure so that
//! it is tested on hand-made cases. Every figure knows which people it is
//! computed from; when they are too few, or when the figure could be
//! differenced down to too few, it is withheld (`suppressed`), never rounded
//! or approximated.

use std::collections::{HashMap, HashSet};

use entity::assessment::AssessmentContext;
use entity::enrolment::EnrolmentStatus;
use uuid::Uuid;

use super::dto::{Count, Measure, WorkshopFigures};

const WITHHELD_COUNT: Count = Count { value: None, suppressed: true };
const WITHHELD_MEASURE: Measure = Measure { value: None, suppressed: true };

/// What may be told: K, and the members the requested organisation follows
/// (`None`: everyone, no organisation asked for).
#[derive(Debug, Clone)]
pub struct Disclosure {
    pub k: u32,
    pub cohort: Option<HashSet<Uuid>>,
}

impl Disclosure {
    /// Whether a figure is about `person` (in the requested organisation).
    pub fn includes(&self, person: &Uuid) -> bool {
        self.cohort.as_ref().is_none_or(|cohort| cohort.contains(person))
    }

    /// Whether a figure must be withheld. `people` are those the same figure
    /// counts over everyone, in the organisation or not. Withheld when fewer
    /// than K of them are in the organisation; and, for one organisation,
    /// when 1..K−1 of them are outside it (the figure for everyone minus
    /// this one would describe them) or 1..K−1 of the organisation's members
    /// are not among them (the complement within the organisation).
    fn withholds(&self, people: &HashSet<Uuid>) -> bool {
        let k = self.k as usize;
        let few = |n: usize| (1..k).contains(&n);
        match &self.cohort {
            None => people.len() < k,
            Some(cohort) => {
                let inside = people.iter().filter(|p| cohort.contains(p)).count();
                inside < k || few(people.len() - inside) || few(cohort.len() - inside)
            }
        }
    }

    pub fn count(&self, value: usize, people: &HashSet<Uuid>) -> Count {
        if self.withholds(people) {
            WITHHELD_COUNT
        } else {
            Count { value: Some(value as i64), suppressed: false }
        }
    }

    /// A share of 0..1, to three decimals. `None` when there is nothing to
    /// compute from (0 people): that is also below any K.
    pub fn share(&self, value: Option<f64>, people: &HashSet<Uuid>) -> Measure {
        self.measure(value, people, 1000.0)
    }

    /// A mean, to one decimal: the finer digits of a mean over n people
    /// would carry a part of each score.
    pub fn mean(&self, value: Option<f64>, people: &HashSet<Uuid>) -> Measure {
        self.measure(value, people, 10.0)
    }

    fn measure(&self, value: Option<f64>, people: &HashSet<Uuid>, scale: f64) -> Measure {
        match value {
            Some(value) if !self.withholds(people) => {
                Measure { value: Some((value * scale).round() / scale), suppressed: false }
            }
            _ => WITHHELD_MEASURE,
        }
    }

    /// A count of mentors: K of them, and the learners behind them as for
    /// any figure.
    pub fn mentors(&self, mentors: usize, learners: &HashSet<Uuid>) -> Count {
        if mentors < self.k as usize { WITHHELD_COUNT } else { self.count(mentors, learners) }
    }
}

fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// What one programme or module had over the period, for everyone.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    /// Seated enrolments (confirmed, attended, no-show) in sessions of the period.
    pub seats: Vec<(Uuid, EnrolmentStatus)>,
    /// People who completed it (only those among `seats` count).
    pub completers: HashSet<Uuid>,
    /// `(person, first pre score, latest post score)` of each person measured both ways.
    pub pairs: Vec<(Uuid, i16, i16)>,
}

/// The people behind each figure of a scope, and what the values are made of.
struct Tally {
    seats: usize,
    members: HashSet<Uuid>,
    marked: usize,
    attended: usize,
    marked_people: HashSet<Uuid>,
    completed: usize,
    measured: HashSet<Uuid>,
    pre: usize,
    post: usize,
    improved: usize,
}

impl Tally {
    fn of<'a>(scope: &'a Scope, keep: impl Fn(&Uuid) -> bool + 'a) -> Tally {
        let seats: Vec<&(Uuid, EnrolmentStatus)> = scope.seats.iter().filter(|(p, _)| keep(p)).collect();
        let members: HashSet<Uuid> = seats.iter().map(|(p, _)| *p).collect();
        let marked: Vec<&&(Uuid, EnrolmentStatus)> = seats
            .iter()
            .filter(|(_, status)| matches!(status, EnrolmentStatus::Attended | EnrolmentStatus::NoShow))
            .collect();
        let pairs: Vec<&(Uuid, i16, i16)> = scope.pairs.iter().filter(|(p, _, _)| keep(p)).collect();
        Tally {
            seats: seats.len(),
            completed: members.iter().filter(|p| scope.completers.contains(p)).count(),
            members,
            marked: marked.len(),
            attended: marked.iter().filter(|(_, status)| *status == EnrolmentStatus::Attended).count(),
            marked_people: marked.iter().map(|(p, _)| *p).collect(),
            measured: pairs.iter().map(|(p, _, _)| *p).collect(),
            pre: pairs.iter().map(|(_, pre, _)| *pre as usize).sum(),
            post: pairs.iter().map(|(_, _, post)| *post as usize).sum(),
            improved: pairs.iter().filter(|(_, pre, post)| post > pre).count(),
        }
    }
}

/// Values from the organisation's people; suppression from the people each
/// figure counts over everyone (see `Disclosure`).
pub fn workshop_figures(scope: &Scope, rule: &Disclosure) -> WorkshopFigures {
    let everyone = Tally::of(scope, |_| true);
    let own = Tally::of(scope, |p| rule.includes(p));
    let measured = own.measured.len();
    WorkshopFigures {
        enrolments: rule.count(own.seats, &everyone.members),
        members: rule.count(own.members.len(), &everyone.members),
        attendance_rate: rule.share(ratio(own.attended, own.marked), &everyone.marked_people),
        completed: rule.count(own.completed, &everyone.members),
        completion_rate: rule.share(ratio(own.completed, own.members.len()), &everyone.members),
        measured: rule.count(measured, &everyone.measured),
        mean_pre: rule.mean(ratio(own.pre, measured), &everyone.measured),
        mean_post: rule.mean(ratio(own.post, measured), &everyone.measured),
        share_improved: rule.share(ratio(own.improved, measured), &everyone.measured),
    }
}

/// Pairs each person's first `pre` with their latest `post`; `rows` must be
/// in time order. People without both are left out.
pub fn pairs(rows: &[(Uuid, AssessmentContext, i16)]) -> Vec<(Uuid, i16, i16)> {
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
    let mut out: Vec<(Uuid, i16, i16)> = first_pre
        .into_iter()
        .filter_map(|(member, pre)| Some((member, pre, *last_post.get(&member)?)))
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use EnrolmentStatus::{Attended, Confirmed, NoShow};

    fn people(n: usize) -> Vec<Uuid> {
        (0..n).map(|_| Uuid::now_v7()).collect()
    }

    fn everyone(k: u32) -> Disclosure {
        Disclosure { k, cohort: None }
    }

    fn within(k: u32, cohort: &[Uuid]) -> Disclosure {
        Disclosure { k, cohort: Some(cohort.iter().copied().collect()) }
    }

    /// Everyone in `seated` attended, with pre 20 and post 25.
    fn attended_by(seated: &[Uuid]) -> Scope {
        Scope {
            seats: seated.iter().map(|p| (*p, Attended)).collect(),
            completers: seated.iter().copied().collect(),
            pairs: seated.iter().map(|p| (*p, 20, 25)).collect(),
        }
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
            pairs: vec![(p[0], 20, 25), (p[1], 30, 28), (p[2], 22, 22)],
        };
        let figures = workshop_figures(&scope, &everyone(5));
        assert_eq!(figures.enrolments, Count { value: Some(5), suppressed: false });
        assert_eq!(figures.members.value, Some(5));
        assert_eq!(figures.completed.value, Some(2), "a completer who was not seated does not count");
        assert_eq!(figures.completion_rate.value, Some(0.4));
        // Attendance is known for 4 people only, measures for 3: below K = 5.
        assert!(figures.attendance_rate.suppressed && figures.attendance_rate.value.is_none());
        assert!(
            figures.measured.suppressed && figures.mean_pre.suppressed && figures.share_improved.suppressed
        );

        let figures = workshop_figures(&scope, &everyone(3));
        assert_eq!(figures.attendance_rate.value, Some(0.75));
        assert_eq!(figures.measured.value, Some(3));
        assert_eq!(figures.mean_pre.value, Some(24.0));
        assert_eq!(figures.mean_post.value, Some(25.0));
        assert_eq!(figures.share_improved.value, Some(0.333));
    }

    #[test]
    fn an_empty_scope_says_nothing() {
        let figures = workshop_figures(&Scope::default(), &everyone(1));
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
        assert_eq!(pairs(&rows), vec![(p[0], 20, 27)]);
    }

    #[test]
    fn means_have_one_decimal_and_shares_three() {
        let p = people(3);
        let scope = Scope {
            seats: vec![(p[0], Attended), (p[1], Attended), (p[2], NoShow)],
            completers: HashSet::new(),
            pairs: vec![(p[0], 20, 25), (p[1], 21, 25), (p[2], 21, 26)],
        };
        let figures = workshop_figures(&scope, &everyone(3));
        assert_eq!(figures.mean_pre.value, Some(20.7), "62 / 3 = 20.666...");
        assert_eq!(figures.mean_post.value, Some(25.3), "76 / 3 = 25.333...");
        assert_eq!(figures.attendance_rate.value, Some(0.667));
    }

    #[test]
    fn an_organisation_view_never_differs_from_everyone_by_fewer_than_k() {
        let p = people(12);
        // Six people took part; the organisation follows five of them.
        let scope = attended_by(&p[..6]);
        assert_eq!(workshop_figures(&scope, &everyone(5)).members.value, Some(6));
        let narrowed = workshop_figures(&scope, &within(5, &p[..5]));
        assert_eq!(narrowed.members, WITHHELD_COUNT, "everyone minus it would be one person");
        assert_eq!(narrowed.mean_pre, WITHHELD_MEASURE);
        // Ten took part, five outside the organisation: enough on both sides.
        let scope = attended_by(&p[..10]);
        assert_eq!(workshop_figures(&scope, &within(5, &p[..5])).members.value, Some(5));
        // Nobody outside it: the two views are the same, nothing to difference.
        let scope = attended_by(&p[..5]);
        assert_eq!(workshop_figures(&scope, &within(5, &p[..5])).mean_post.value, Some(25.0));
    }

    #[test]
    fn a_figure_about_all_but_a_few_of_an_organisation_is_withheld() {
        let p = people(12);
        let scope = attended_by(&p[..5]);
        // Five of its six members: the sixth is the complement.
        assert_eq!(workshop_figures(&scope, &within(5, &p[..6])).members, WITHHELD_COUNT);
        // Five of its ten: enough on both sides.
        assert_eq!(workshop_figures(&scope, &within(5, &p[..10])).members.value, Some(5));
    }

    #[test]
    fn mentors_need_k_mentors_and_k_learners() {
        let p = people(5);
        let learners: HashSet<Uuid> = p.iter().copied().collect();
        assert_eq!(everyone(5).mentors(5, &learners).value, Some(5));
        assert_eq!(everyone(5).mentors(4, &learners), WITHHELD_COUNT);
        assert_eq!(everyone(5).mentors(5, &p[..4].iter().copied().collect()), WITHHELD_COUNT);
    }
}
