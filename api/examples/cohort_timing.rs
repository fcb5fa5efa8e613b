//! Times cohort matching — the score of every (request, mentor) pair, then the
//! optimal assignment under capacities — on generated cohorts of realistic
//! shape: 200 requests × 100 mentors (target under 1 s) and 1 000 × 300.
//!
//!     cargo run --release -p api --example cohort_timing [-- REQUESTS MENTORS ...]
//!
//! Prints one line per size: the median of 3 runs for scoring, for the
//! assignment, and in total, with how many requests were placed.

use std::time::{Duration, Instant};

use api::mentoring::assignment::{Instance, assign};
use api::mentoring::domain::Modalities;
use api::mentoring::scoring::{
    Availability, MentorFeatures, RequestFeatures, WeeklySlot, eligibility, learner_intervals,
    mentor_intervals, reference_monday, score,
};
use chrono::Utc;
use chrono_tz::Tz;
use uuid::Uuid;

/// xorshift64*: reproducible cohorts without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const ZONES: [Tz; 4] = [
    chrono_tz::Europe::Paris,
    chrono_tz::Europe::Paris,
    chrono_tz::Indian::Reunion,
    chrono_tz::America::Martinique,
];
const POSTCODES: [&str; 6] = ["93800", "93200", "75011", "75018", "95100", "97400"];

fn availability(rng: &mut Rng) -> Availability {
    let slots = (0..1 + rng.below(3))
        .map(|_| {
            let start = (8 + rng.below(12)) as u16 * 60;
            WeeklySlot { weekday: 1 + rng.below(7) as u8, start, end: start + 60 + rng.below(3) as u16 * 30 }
        })
        .collect();
    Availability { timezone: ZONES[rng.below(ZONES.len() as u64) as usize], slots }
}

fn modalities(rng: &mut Rng) -> Modalities {
    let mut set = Modalities { remote: rng.chance(80), in_person: rng.chance(60), phone: rng.chance(20) };
    if !set.any() {
        set.remote = true;
    }
    set
}

fn languages(rng: &mut Rng) -> Vec<String> {
    let mut list = vec!["fr".to_owned()];
    if rng.chance(20) {
        list.push("ar".into());
    }
    if rng.chance(5) {
        list = vec!["en".into()];
    }
    list
}

fn cohort(rng: &mut Rng, requests: usize, mentors: usize) -> (Vec<RequestFeatures>, Vec<MentorFeatures>) {
    let monday = reference_monday(Utc::now());
    let requests = (0..requests)
        .map(|_| {
            let postcode = POSTCODES[rng.below(POSTCODES.len() as u64) as usize];
            RequestFeatures {
                learner_id: Uuid::now_v7(),
                target_level: 1 + rng.below(5) as u8,
                modalities: modalities(rng),
                languages: languages(rng),
                postcode: Some(postcode.into()),
                departement: Some(postcode[..2].into()),
                intervals: rng
                    .chance(90)
                    .then(|| availability(rng))
                    .and_then(|a| learner_intervals(Some(&a), monday)),
            }
        })
        .collect();
    let mentors = (0..mentors)
        .map(|_| {
            let postcode = POSTCODES[rng.below(POSTCODES.len() as u64) as usize];
            MentorFeatures {
                mentor_id: Uuid::now_v7(),
                offered_level: rng.chance(85).then(|| 2 + rng.below(7) as u8),
                accepting: rng.chance(95),
                active_matches: rng.below(2) as u32,
                max_active_matches: 1 + rng.below(4) as u32,
                modalities: modalities(rng),
                languages: languages(rng),
                postcode: Some(postcode.into()),
                departement: Some(postcode[..2].into()),
                rating_sum: rng.below(40) as i64,
                rating_count: rng.below(10) as i64,
                intervals: mentor_intervals(Some(&availability(rng)), monday),
            }
        })
        .collect();
    (requests, mentors)
}

fn run(requests: usize, mentors: usize, seed: u64) -> (Duration, Duration, usize, u32) {
    let mut rng = Rng(seed);
    let (requests, mentors) = cohort(&mut rng, requests, mentors);
    let started = Instant::now();
    let instance = Instance {
        scores: requests
            .iter()
            .map(|r| {
                mentors.iter().map(|m| eligibility(r, m, false).ok().map(|()| score(r, m).total)).collect()
            })
            .collect(),
        capacities: mentors.iter().map(|m| m.max_active_matches.saturating_sub(m.active_matches)).collect(),
    };
    let scored = started.elapsed();
    let started = Instant::now();
    let result = assign(&instance);
    (scored, started.elapsed(), result.pairs.len(), result.total_score)
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes: Vec<(usize, usize)> = if args.len() >= 2 {
        args.chunks(2).map(|c| (c[0], c[1])).collect()
    } else {
        vec![(200, 100), (1000, 300)]
    };
    println!("| requests × mentors | seats | scoring ms | assignment ms | total ms | placed | total score |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (requests, mentors) in sizes {
        let mut scoring = Vec::new();
        let mut solving = Vec::new();
        let mut totals = Vec::new();
        let mut outcome = (0, 0);
        for seed in 1..=3u64 {
            let (scored, solved, placed, total) =
                run(requests, mentors, seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            scoring.push(scored);
            solving.push(solved);
            totals.push(scored + solved);
            outcome = (placed, total);
        }
        let seats = {
            let mut rng = Rng(3u64.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let (_, m) = cohort(&mut rng, requests, mentors);
            m.iter().map(|m| m.max_active_matches.saturating_sub(m.active_matches)).sum::<u32>()
        };
        println!(
            "| {requests} × {mentors} | {seats} | {:.1} | {:.1} | {:.1} | {} | {} |",
            median(scoring).as_secs_f64() * 1e3,
            median(solving).as_secs_f64() * 1e3,
            median(totals).as_secs_f64() * 1e3,
            outcome.0,
            outcome.1
        );
    }
}
