//! Spaced reviews with FSRS (the `rs-fsrs` scheduler): how a stored memory
//! state becomes a card, how an answer becomes a rating, and the next state.
//! Pure: the caller stores the result.

use chrono::{DateTime, Utc};
use rs_fsrs::{Card, FSRS, Rating, State};

/// The memory state as stored per (member, exercise).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MemoryState {
    pub due: DateTime<Utc>,
    pub stability: f64,
    pub difficulty: f64,
    pub elapsed_days: i32,
    pub scheduled_days: i32,
    pub reps: i32,
    pub lapses: i32,
    /// 0 new, 1 learning, 2 review, 3 relearning.
    pub state: i16,
    /// 1 again .. 4 easy.
    pub last_rating: i16,
    pub last_review: DateTime<Utc>,
}

/// How an answer rates the memory of an exercise: right at the first try is
/// "good", right only after a retry is "hard", wrong is "again" (a lapse).
pub fn rating(correct: bool, first_try: bool) -> Rating {
    match (correct, first_try) {
        (true, true) => Rating::Good,
        (true, false) => Rating::Hard,
        (false, _) => Rating::Again,
    }
}

pub fn is_lapse(last_rating: i16) -> bool {
    last_rating == Rating::Again as i16
}

fn state_code(state: State) -> i16 {
    state as i16
}

fn state_of(code: i16) -> State {
    match code {
        1 => State::Learning,
        2 => State::Review,
        3 => State::Relearning,
        _ => State::New,
    }
}

fn card_of(memory: &MemoryState) -> Card {
    Card {
        due: memory.due,
        stability: memory.stability,
        difficulty: memory.difficulty,
        elapsed_days: i64::from(memory.elapsed_days),
        scheduled_days: i64::from(memory.scheduled_days),
        reps: memory.reps,
        lapses: memory.lapses,
        state: state_of(memory.state),
        last_review: memory.last_review,
    }
}

/// The state after a review at `now` (`previous` is `None` for a first answer).
pub fn review(previous: Option<&MemoryState>, rating: Rating, now: DateTime<Utc>) -> MemoryState {
    let card = previous.map_or_else(Card::new, card_of);
    let next = FSRS::default().next(card, now, rating).card;
    MemoryState {
        due: next.due,
        stability: next.stability,
        difficulty: next.difficulty,
        elapsed_days: i32::try_from(next.elapsed_days).unwrap_or(i32::MAX),
        scheduled_days: i32::try_from(next.scheduled_days).unwrap_or(i32::MAX),
        reps: next.reps,
        lapses: next.lapses,
        state: state_code(next.state),
        last_rating: rating as i16,
        last_review: now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use proptest::prelude::*;

    fn valid(memory: &MemoryState, now: DateTime<Utc>) {
        assert!(memory.due > now, "due {} not after {now}", memory.due);
        assert!(memory.stability.is_finite() && memory.stability > 0.0, "{memory:?}");
        assert!((1.0..=10.0).contains(&memory.difficulty), "{memory:?}");
        assert!((0..=3).contains(&memory.state) && (1..=4).contains(&memory.last_rating));
        assert!(memory.lapses <= memory.reps);
    }

    #[test]
    fn intervals_grow_with_successes_and_shrink_after_a_lapse() {
        let mut now = Utc::now();
        let mut memory = review(None, Rating::Good, now);
        let mut intervals = Vec::new();
        for _ in 0..6 {
            now = memory.due;
            memory = review(Some(&memory), Rating::Good, now);
            intervals.push(memory.due - now);
        }
        assert!(intervals.windows(2).all(|w| w[1] > w[0]), "{intervals:?}");
        let before = *intervals.last().unwrap_or(&Duration::zero());
        now = memory.due;
        let lapsed = review(Some(&memory), Rating::Again, now);
        assert!(lapsed.due - now < before, "a lapse shortens the interval");
        assert_eq!(lapsed.lapses, memory.lapses + 1);
        assert!(is_lapse(lapsed.last_rating));
        assert_eq!(lapsed.last_rating, 1, "the partial index of lapses (migration 000009) says 1");
    }

    proptest! {
        /// Whatever the answers and the delays between them, every due date
        /// lies in the future of its review and the state stays valid.
        #[test]
        fn any_answer_sequence_keeps_a_valid_state(
            answers in proptest::collection::vec((any::<bool>(), any::<bool>(), 0i64..60 * 24 * 90), 1..40)
        ) {
            let mut now = Utc::now();
            let mut memory: Option<MemoryState> = None;
            for (correct, first_try, minutes_later) in answers {
                let next = review(memory.as_ref(), rating(correct, first_try), now);
                valid(&next, now);
                memory = Some(next);
                now += Duration::minutes(minutes_later);
            }
        }
    }
}
