//! Cohort matching: the assignment of requests to mentors that maximises the
//! total match score under each mentor's remaining capacity.
//!
//! It is a maximum-weight bipartite matching, solved exactly with the
//! Hungarian algorithm (`pathfinding::kuhn_munkres`, integer weights):
//! - each mentor becomes one column per free seat (never more seats than
//!   requests), so capacity is respected by construction;
//! - an eligible pair weighs `score × K + 1` with `K` larger than the number
//!   of requests: the total score comes first and, among assignments of equal
//!   total score, the one that places more people wins;
//! - an ineligible pair, and a dummy column (added so that rows ≤ columns),
//!   weigh 0: a request that lands there stays unassigned.
//!
//! Requests with no eligible mentor and mentors with no seat are left out of
//! the matrix before solving: they cannot take part in any assignment.

use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;

/// `scores[r][m]`: the score of request `r` with mentor `m`, `None` when the
/// pair fails a hard filter; `capacities[m]`: mentor `m`'s free seats.
#[derive(Debug, Clone)]
pub struct Instance {
    pub scores: Vec<Vec<Option<u8>>>,
    pub capacities: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// `(request, mentor)` index pairs, by request.
    pub pairs: Vec<(usize, usize)>,
    pub unassigned: Vec<usize>,
    pub total_score: u32,
}

pub fn assign(instance: &Instance) -> Assignment {
    let requests = instance.scores.len();
    let mentors = instance.capacities.len();
    let eligible = |r: usize, m: usize| instance.scores[r].get(m).copied().flatten();

    // Only requests with at least one eligible mentor that has a seat, and
    // only mentors with a seat and at least one such request.
    let rows: Vec<usize> = (0..requests)
        .filter(|&r| (0..mentors).any(|m| instance.capacities[m] > 0 && eligible(r, m).is_some()))
        .collect();
    let mut seats: Vec<usize> = Vec::new();
    for m in 0..mentors {
        if rows.iter().any(|&r| eligible(r, m).is_some()) {
            let seat_count = (instance.capacities[m] as usize).min(rows.len());
            seats.extend(std::iter::repeat_n(m, seat_count));
        }
    }
    let mut pairs = Vec::new();
    if !rows.is_empty() {
        let columns = seats.len().max(rows.len());
        let k = rows.len() as i64 + 1;
        let seats = &seats;
        let weights: Vec<i64> = rows
            .iter()
            .flat_map(|&r| {
                (0..columns).map(move |c| match seats.get(c).and_then(|&m| eligible(r, m)) {
                    Some(score) => i64::from(score) * k + 1,
                    None => 0,
                })
            })
            .collect();
        // The dimensions match the data by construction; an empty matrix
        // would only mean nobody can be placed.
        if let Ok(matrix) = Matrix::from_vec(rows.len(), columns, weights) {
            let (_, columns_of_rows) = kuhn_munkres(&matrix);
            for (row, column) in columns_of_rows.into_iter().enumerate() {
                let r = rows[row];
                if let Some(&m) = seats.get(column)
                    && eligible(r, m).is_some()
                {
                    pairs.push((r, m));
                }
            }
        }
    }
    pairs.sort_unstable();
    let placed: Vec<usize> = pairs.iter().map(|&(r, _)| r).collect();
    let unassigned = (0..requests).filter(|r| !placed.contains(r)).collect();
    let total_score = pairs.iter().filter_map(|&(r, m)| eligible(r, m)).map(u32::from).sum();
    Assignment { pairs, unassigned, total_score }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The best total score over every assignment, by exhaustive search.
    fn brute_force(instance: &Instance) -> u32 {
        fn best(instance: &Instance, request: usize, seats: &mut Vec<u32>) -> u32 {
            if request == instance.scores.len() {
                return 0;
            }
            let mut top = best(instance, request + 1, seats); // left unassigned
            for m in 0..seats.len() {
                if let Some(score) = instance.scores[request][m]
                    && seats[m] > 0
                {
                    seats[m] -= 1;
                    top = top.max(u32::from(score) + best(instance, request + 1, seats));
                    seats[m] += 1;
                }
            }
            top
        }
        best(instance, 0, &mut instance.capacities.clone())
    }

    fn check(instance: &Instance, result: &Assignment) {
        let mut used = vec![0u32; instance.capacities.len()];
        let mut seen = Vec::new();
        for &(r, m) in &result.pairs {
            assert!(instance.scores[r][m].is_some(), "an ineligible pair was assigned");
            assert!(!seen.contains(&r), "request {r} assigned twice");
            seen.push(r);
            used[m] += 1;
        }
        for (m, &count) in used.iter().enumerate() {
            assert!(count <= instance.capacities[m], "mentor {m} over capacity");
        }
        assert_eq!(seen.len() + result.unassigned.len(), instance.scores.len());
    }

    #[test]
    fn a_small_case_by_hand() {
        // Two requests both prefer mentor 0, who has one seat.
        let instance = Instance {
            scores: vec![vec![Some(90), Some(60)], vec![Some(80), Some(20)]],
            capacities: vec![1, 1],
        };
        let result = assign(&instance);
        // 90 + 20 = 110 < 80 + 60 = 140.
        assert_eq!(result.pairs, vec![(0, 1), (1, 0)]);
        assert_eq!(result.total_score, 140);
        assert!(result.unassigned.is_empty());
    }

    #[test]
    fn capacity_and_eligibility_leave_requests_unassigned() {
        let instance = Instance {
            scores: vec![vec![Some(50), None], vec![Some(70), None], vec![None, None]],
            capacities: vec![1, 4],
        };
        let result = assign(&instance);
        assert_eq!(result.pairs, vec![(1, 0)]);
        assert_eq!(result.unassigned, vec![0, 2]);
        assert_eq!(result.total_score, 70);
        let empty = assign(&Instance { scores: vec![], capacities: vec![2] });
        assert!(empty.pairs.is_empty() && empty.unassigned.is_empty());
    }

    #[test]
    fn a_zero_score_pair_is_still_placed() {
        let instance = Instance { scores: vec![vec![Some(0)]], capacities: vec![1] };
        assert_eq!(assign(&instance).pairs, vec![(0, 0)]);
    }

    fn instances() -> impl Strategy<Value = Instance> {
        (0usize..=6, 1usize..=4).prop_flat_map(|(requests, mentors)| {
            let score = prop_oneof![1 => Just(None), 3 => (0u8..=100).prop_map(Some)];
            (
                prop::collection::vec(prop::collection::vec(score, mentors), requests),
                prop::collection::vec(0u32..=3, mentors),
            )
                .prop_map(|(scores, capacities)| Instance { scores, capacities })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(600))]

        #[test]
        fn equals_brute_force_and_respects_every_capacity(instance in instances()) {
            let result = assign(&instance);
            check(&instance, &result);
            prop_assert_eq!(result.total_score, brute_force(&instance));
        }
    }
}
