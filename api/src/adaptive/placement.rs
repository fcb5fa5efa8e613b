//! The adaptive placement test under the 1-parameter logistic model:
//! P(correct) = 1 / (1 + e^-(θ − difficulty)). The ability θ is estimated by
//! maximum likelihood on a grid, with two pseudo-answers (an easy item passed,
//! a hard one failed) to keep it finite; the next item is the most informative
//! at the current estimate; an area ends when the estimate is stable or after
//! `MAX_ITEMS_PER_AREA` items. Pure.

use uuid::Uuid;

pub const MAX_ITEMS_PER_AREA: usize = 8;
pub const MIN_ITEMS_PER_AREA: usize = 3;
/// The estimate is stable when its standard error falls below this.
pub const STABLE_STANDARD_ERROR: f64 = 0.75;
/// Items are written for a DigComp level L with difficulty (L − 4.5) × 0.75.
pub const LOGITS_PER_LEVEL: f64 = 0.75;
const PSEUDO_EASY: f64 = -4.0;
const PSEUDO_HARD: f64 = 4.0;
const GRID_MIN: f64 = -5.0;
const GRID_MAX: f64 = 5.0;
const GRID_STEP: f64 = 0.01;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Response {
    pub difficulty: f64,
    pub correct: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Item {
    pub id: Uuid,
    pub difficulty: f64,
}

pub fn probability(theta: f64, difficulty: f64) -> f64 {
    1.0 / (1.0 + (-(theta - difficulty)).exp())
}

fn log_likelihood(theta: f64, responses: &[Response]) -> f64 {
    let pseudo = [
        Response { difficulty: PSEUDO_EASY, correct: true },
        Response { difficulty: PSEUDO_HARD, correct: false },
    ];
    responses
        .iter()
        .chain(pseudo.iter())
        .map(|r| {
            let p = probability(theta, r.difficulty);
            if r.correct { p.ln() } else { (1.0 - p).ln() }
        })
        .sum()
}

/// The maximum-likelihood ability on the grid.
pub fn estimate(responses: &[Response]) -> f64 {
    let steps = ((GRID_MAX - GRID_MIN) / GRID_STEP).round() as usize;
    (0..=steps)
        .map(|i| GRID_MIN + i as f64 * GRID_STEP)
        .map(|theta| (theta, log_likelihood(theta, responses)))
        .fold((0.0, f64::NEG_INFINITY), |best, (theta, ll)| if ll > best.1 { (theta, ll) } else { best })
        .0
}

/// Fisher information of one item at `theta`.
pub fn information(theta: f64, difficulty: f64) -> f64 {
    let p = probability(theta, difficulty);
    p * (1.0 - p)
}

pub fn standard_error(theta: f64, responses: &[Response]) -> f64 {
    let total: f64 = responses.iter().map(|r| information(theta, r.difficulty)).sum();
    if total > 0.0 { 1.0 / total.sqrt() } else { f64::INFINITY }
}

/// The most informative item not asked yet (ties: the first in `remaining`).
pub fn next_item(theta: f64, remaining: &[Item]) -> Option<Item> {
    remaining.iter().copied().fold(None, |best: Option<Item>, item| match best {
        Some(b) if information(theta, b.difficulty) >= information(theta, item.difficulty) => Some(b),
        _ => Some(item),
    })
}

/// Whether an area is done after these answers (or when nothing is left to ask).
pub fn area_finished(responses: &[Response], items_left: usize) -> bool {
    if items_left == 0 || responses.len() >= MAX_ITEMS_PER_AREA {
        return true;
    }
    responses.len() >= MIN_ITEMS_PER_AREA
        && standard_error(estimate(responses), responses) < STABLE_STANDARD_ERROR
}

/// The DigComp level (1..8) of an ability.
pub fn level_of(theta: f64) -> i16 {
    (theta / LOGITS_PER_LEVEL + 4.5).round().clamp(1.0, 8.0) as i16
}

/// The difficulty of an item written for `level`.
pub fn difficulty_of(level: i16) -> f64 {
    (f64::from(level) - 4.5) * LOGITS_PER_LEVEL
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so the simulation gives the same
    /// figures at every run.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> f64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// Like the seeded bank: 12 items per area spread over the 8 levels.
    fn bank(rng: &mut Lcg) -> Vec<Item> {
        (0..12)
            .map(|i| {
                let level = (i % 8 + 1) as i16;
                Item {
                    id: Uuid::from_u128(i as u128 + 1),
                    difficulty: difficulty_of(level) + (rng.next() - 0.5) * 0.5,
                }
            })
            .collect()
    }

    /// Runs one area for a learner of true ability `theta`.
    fn place(theta: f64, items: &[Item], rng: &mut Lcg) -> (i16, Vec<Uuid>) {
        let mut responses = Vec::new();
        let mut asked = Vec::new();
        let mut remaining = items.to_vec();
        while !area_finished(&responses, remaining.len()) {
            let Some(item) = next_item(estimate(&responses), &remaining) else { break };
            remaining.retain(|i| i.id != item.id);
            asked.push(item.id);
            responses.push(Response {
                difficulty: item.difficulty,
                correct: rng.next() < probability(theta, item.difficulty),
            });
        }
        (level_of(estimate(&responses)), asked)
    }

    #[test]
    fn the_estimate_follows_the_answers() {
        assert!(estimate(&[]).abs() < 0.02, "no answer: the middle");
        let right: Vec<Response> = (0..5).map(|_| Response { difficulty: 1.0, correct: true }).collect();
        let wrong: Vec<Response> = (0..5).map(|_| Response { difficulty: -1.0, correct: false }).collect();
        assert!(estimate(&right) > 1.5 && estimate(&wrong) < -1.5);
        assert!(estimate(&right).is_finite());
        assert_eq!((level_of(-10.0), level_of(0.0), level_of(10.0)), (1, 5, 8));
    }

    #[test]
    fn the_next_item_is_the_most_informative() {
        let items = [
            Item { id: Uuid::from_u128(1), difficulty: -2.0 },
            Item { id: Uuid::from_u128(2), difficulty: 0.4 },
            Item { id: Uuid::from_u128(3), difficulty: 2.0 },
        ];
        assert_eq!(next_item(0.5, &items).map(|i| i.id), Some(Uuid::from_u128(2)));
        assert_eq!(next_item(-3.0, &items).map(|i| i.id), Some(Uuid::from_u128(1)));
        assert_eq!(next_item(0.0, &[]), None);
    }

    /// Simulated learners of known ability answer with the model's
    /// probability; the placed level must be close to theirs, and no item is
    /// ever asked twice. Prints the mean absolute error per level.
    #[test]
    fn simulated_learners_are_placed_near_their_level() {
        let mut rng = Lcg(2026);
        let mut total_error = 0.0;
        let mut count = 0.0;
        for level in 1..=8i16 {
            let mut error = 0.0;
            let learners = 300;
            for _ in 0..learners {
                let items = bank(&mut rng);
                let (placed, asked) = place(difficulty_of(level), &items, &mut rng);
                let mut unique = asked.clone();
                unique.sort();
                unique.dedup();
                assert_eq!(unique.len(), asked.len(), "an item was asked twice");
                assert!(asked.len() <= MAX_ITEMS_PER_AREA);
                error += f64::from((placed - level).abs());
            }
            let mae = error / f64::from(learners);
            println!("level {level}: mean absolute error {mae:.2} levels");
            assert!(mae <= 1.5, "level {level}: MAE {mae}");
            total_error += error;
            count += f64::from(learners);
        }
        let overall = total_error / count;
        println!("overall: mean absolute error {overall:.2} levels");
        assert!(overall <= 1.0, "overall MAE {overall}");
    }
}
