//! Seeds a benchmark volume into the database of a running Tremplin (see
//! `bench/seed.sh`): BENCH_MEMBERS members (default 20 000) sharing one
//! precomputed password hash, published lessons up to BENCH_LESSONS (default
//! 200, 10 exercises each), and — for the member BENCH_MEMBER_EMAIL — a
//! review state on up to BENCH_REVIEWS exercises (default 2 000, half of them
//! due). Prints `LESSON_ID=` and `EXERCISE_ID=` (a true/false exercise of that
//! lesson) for the endpoints file.

use api::config::Settings;
use api::lessons::dto::{ChoiceInput, ExerciseInput, LessonInput};
use chrono::Utc;
use entity::lesson::LessonStatus;
use entity::{Role, exercise, lesson, lesson_version, skill, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use uuid::Uuid;

fn count(var: &str, default: u64) -> anyhow::Result<u64> {
    Ok(std::env::var(var).ok().map(|v| v.parse()).transpose()?.unwrap_or(default))
}

fn exercise(kind: &str) -> ExerciseInput {
    ExerciseInput {
        kind: kind.into(),
        prompt: "Question d'entraînement ?".into(),
        explanation: "Une explication courte.".into(),
        hint: None,
        choices: None,
        statement_is_true: None,
        items: None,
        accepted_answers: None,
        tolerance: None,
        image_url: None,
        image_alt: None,
        audio_url: None,
        difficulty: Some(0.0),
    }
}

fn practice_lesson(number: u64, skill_id: Uuid) -> LessonInput {
    let mut single = exercise("single_choice");
    single.choices = Some(vec![
        ChoiceInput { text: "Oui".into(), correct: true },
        ChoiceInput { text: "Non".into(), correct: false },
    ]);
    let mut truth = exercise("true_false");
    truth.statement_is_true = Some(true);
    let mut ordering = exercise("ordering");
    ordering.items = Some(vec!["Un".into(), "Deux".into(), "Trois".into()]);
    let mut text = exercise("text_input");
    text.accepted_answers = Some(vec!["courriel".into()]);
    text.tolerance = Some(1);
    LessonInput {
        title: format!("Leçon d'entraînement n°{number}"),
        summary: "Une leçon pour mesurer le service.".into(),
        skill_id,
        level: (number % 3 + 1) as i16,
        position: Some(1000 + number as i32),
        estimated_minutes: 5,
        easy_read: true,
        // Ten exercises, so that 200 lessons give 2 000 exercises to review.
        exercises: [single, truth, ordering, text].into_iter().cycle().take(10).collect(),
    }
}

/// Review states for `email` on the first `reviews` exercises, half due now.
async fn seed_reviews(db: &sea_orm::DatabaseConnection, email: &str, reviews: u64) -> anyhow::Result<()> {
    use api::lessons::scheduling;
    use sea_orm::QuerySelect;
    let member = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no member {email}"))?;
    let exercises = exercise::Entity::find().limit(reviews).all(db).await?;
    let now = Utc::now();
    for (index, chunk) in exercises.chunks(500).enumerate() {
        let rows = chunk.iter().enumerate().map(|(offset, exercise)| {
            let mut memory = scheduling::review(None, scheduling::rating(true, true), now);
            let position = (index * 500 + offset) as i64;
            memory.due = if position % 2 == 0 {
                now - chrono::Duration::minutes(position)
            } else {
                now + chrono::Duration::days(position)
            };
            entity::review_state::ActiveModel {
                user_id: Set(member.id),
                exercise_id: Set(exercise.id),
                due: Set(memory.due),
                stability: Set(memory.stability),
                difficulty: Set(memory.difficulty),
                elapsed_days: Set(memory.elapsed_days),
                scheduled_days: Set(memory.scheduled_days),
                reps: Set(memory.reps),
                lapses: Set(memory.lapses),
                state: Set(memory.state),
                last_rating: Set(memory.last_rating),
                last_review: Set(memory.last_review),
            }
        });
        entity::review_state::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let db = api::startup::migrated_database(&settings).await?;
    let members = count("BENCH_MEMBERS", 20_000)?;
    let lessons = count("BENCH_LESSONS", 200)?;

    let existing =
        user::Entity::find().filter(user::Column::Email.starts_with("bench-member-")).count(&db).await?;
    let hash = api::auth::password::hash("bench member password")?;
    let now = Utc::now();
    for start in (existing..members).step_by(1000) {
        let batch = (start..members.min(start + 1000)).map(|n| user::ActiveModel {
            id: Set(Uuid::now_v7()),
            email: Set(Some(format!("bench-member-{n}@example.org"))),
            username: Set(format!("bench.member{n}")),
            phone: Set(None),
            email_verified_at: Set(None),
            password_change_required: Set(false),
            temporary_password_expires_at: Set(None),
            password_hash: Set(hash.clone()),
            display_name: Set(format!("Membre {n}")),
            role: Set(Role::Member),
            locale: Set("fr".into()),
            timezone: Set("Europe/Paris".into()),
            bio: Set(None),
            daily_goal_xp: Set(20),
            disabled_at: Set(None),
            erased_at: Set(None),
            last_active_at: Set(now),
            created_at: Set(now),
            updated_at: Set(now),
        });
        user::Entity::insert_many(batch).exec_without_returning(&db).await?;
    }

    let skill = skill::Entity::find()
        .filter(skill::Column::Code.eq("digcomp.1.1"))
        .one(&db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the skills catalogue is not seeded"))?;
    let published =
        lesson::Entity::find().filter(lesson::Column::Status.eq(LessonStatus::Published)).count(&db).await?;
    for number in published..lessons {
        api::lessons::editing::create_published(&db, None, practice_lesson(number, skill.id))
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }

    let last = lesson_version::Entity::find()
        .filter(lesson_version::Column::Title.starts_with("Leçon d'entraînement"))
        .one(&db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no practice lesson"))?;
    let truth = exercise::Entity::find()
        .filter(exercise::Column::LessonVersionId.eq(last.id))
        .filter(exercise::Column::Kind.eq(exercise::ExerciseKind::TrueFalse))
        .one(&db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no true/false exercise"))?;
    if let Ok(email) = std::env::var("BENCH_MEMBER_EMAIL") {
        seed_reviews(&db, &email, count("BENCH_REVIEWS", 2_000)?).await?;
    }
    println!("LESSON_ID={}", last.lesson_id);
    println!("EXERCISE_ID={}", truth.id);
    seed_workshops(&db, count("BENCH_WORKSHOPS", 500)?).await?;
    seed_mentors(&db, count("BENCH_MENTORS", 10_000)?).await?;
    // The state a live database reaches soon after a bulk load: planner
    // statistics, and on PostgreSQL the visibility map that autovacuum sets
    // after many inserts (index-only scans depend on it).
    let maintenance = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => "VACUUM ANALYZE",
        _ => "ANALYZE",
    };
    db.execute_unprepared(maintenance).await?;
    db.close().await?;
    Ok(())
}

/// BENCH_WORKSHOPS Impose-toi ! sessions (default 500), two a day from
/// tomorrow, three in five of them of the first module (no prerequisite, so
/// `bench_enrol` can fill them), run by one bench facilitator. Prints
/// `WORKSHOP_ID=` (the first session of the first module).
async fn seed_workshops(db: &sea_orm::DatabaseConnection, sessions: u64) -> anyhow::Result<()> {
    use entity::program_module;
    use entity::workshop::{self, WorkshopStatus};
    use sea_orm::QueryOrder;

    let modules =
        program_module::Entity::find().order_by_asc(program_module::Column::Position).all(db).await?;
    anyhow::ensure!(modules.len() == 3, "the Impose-toi ! programme is not seeded");
    let email = "bench-facilitator@example.org";
    let facilitator = match user::Entity::find().filter(user::Column::Email.eq(email)).one(db).await? {
        Some(existing) => existing.id,
        None => {
            let now = Utc::now();
            let id = Uuid::now_v7();
            user::Entity::insert(user::ActiveModel {
                id: Set(id),
                email: Set(Some(email.into())),
                username: Set("bench.facilitator".into()),
                phone: Set(None),
                email_verified_at: Set(None),
                password_change_required: Set(false),
                temporary_password_expires_at: Set(None),
                password_hash: Set(api::auth::password::hash("bench facilitator password")?),
                display_name: Set("Animatrice du banc".into()),
                role: Set(Role::Facilitator),
                locale: Set("fr".into()),
                timezone: Set("Europe/Paris".into()),
                bio: Set(None),
                daily_goal_xp: Set(20),
                disabled_at: Set(None),
                erased_at: Set(None),
                last_active_at: Set(now),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .exec_without_returning(db)
            .await?;
            id
        }
    };
    let existing = workshop::Entity::find().count(db).await?;
    let now = Utc::now();
    let rows: Vec<workshop::ActiveModel> = (existing..sessions)
        .map(|n| {
            let module = &modules[if n % 5 < 3 { 0 } else { 1 + (n % 2) as usize }];
            let starts_at = now + chrono::Duration::hours(24 + 12 * n as i64);
            workshop::ActiveModel {
                id: Set(Uuid::now_v7()),
                module_id: Set(module.id),
                facilitator_id: Set(facilitator),
                title: Set(module.title.clone()),
                description: Set(Some("Séance d'entraînement du banc d'essai.".into())),
                starts_at: Set(starts_at),
                ends_at: Set(starts_at + chrono::Duration::hours(2)),
                location: Set(format!("Tiers-lieu Efficience, salle {}", 1 + n % 4)),
                place_id: Set(None),
                capacity: Set(12 + (n % 9) as i32),
                cancellation_deadline_hours: Set(24),
                status: Set(WorkshopStatus::Scheduled),
                sequence: Set(0),
                cancelled_at: Set(None),
                cancel_reason: Set(None),
                created_by: Set(facilitator),
                created_at: Set(now),
                updated_at: Set(now),
            }
        })
        .collect();
    for chunk in rows.chunks(250) {
        workshop::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    let first = workshop::Entity::find()
        .filter(workshop::Column::ModuleId.eq(modules[0].id))
        .order_by_asc(workshop::Column::StartsAt)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no session of the first module"))?;
    println!("WORKSHOP_ID={}", first.id);
    Ok(())
}

/// BENCH_MENTORS accepting mentors (default 10 000) among the bench members,
/// for `GET /match-requests/{id}/suggestions`: each offers one to three
/// DigComp competences (levels 3..8), speaks French (some also Arabic or
/// English), meets remotely and/or in person (Seine-Saint-Denis, Paris,
/// Val-d'Oise, La Réunion) or by phone, takes one to four people, and has two
/// weekly slots. About 950 mentors offer each competence. Rows go in by
/// batches, then each mentor's suggestion index is built by the service's own
/// `offers::refresh`.
async fn seed_mentors(db: &sea_orm::DatabaseConnection, mentors: u64) -> anyhow::Result<()> {
    use entity::member_skill::{self, SkillIntent};
    use entity::{availability_slot, mentor_language, mentor_profile};
    use sea_orm::{QueryOrder, QuerySelect};

    if mentor_profile::Entity::find().count(db).await? >= mentors {
        return Ok(());
    }
    let competences: Vec<Uuid> = skill::Entity::find()
        .filter(skill::Column::Code.starts_with("digcomp."))
        .filter(skill::Column::ParentId.is_not_null())
        .order_by_asc(skill::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let count = competences.len();
    let members = user::Entity::find()
        .filter(user::Column::Email.starts_with("bench-member-"))
        .order_by_asc(user::Column::Id)
        .limit(mentors)
        .all(db)
        .await?;
    const PLACES: [(&str, &str); 7] = [
        ("93800", "Europe/Paris"),
        ("93200", "Europe/Paris"),
        ("93300", "Europe/Paris"),
        ("75011", "Europe/Paris"),
        ("75018", "Europe/Paris"),
        ("95100", "Europe/Paris"),
        ("97400", "Indian/Reunion"),
    ];
    let now = Utc::now();
    for (batch, chunk) in members.chunks(500).enumerate() {
        let mut profiles = Vec::new();
        let mut languages = Vec::new();
        let mut offers = Vec::new();
        let mut slots = Vec::new();
        for (offset, member) in chunk.iter().enumerate() {
            let n = batch * 500 + offset;
            let (postcode, timezone) = PLACES[n % PLACES.len()];
            let (remote, in_person, phone) = match n % 10 {
                0..=6 => (true, true, false),
                7 | 8 => (true, false, false),
                _ => (false, false, true),
            };
            profiles.push(mentor_profile::ActiveModel {
                user_id: Set(member.id),
                bio: Set(format!("Mentor d'entraînement n°{n}.")),
                offers_remote: Set(remote),
                offers_in_person: Set(in_person),
                offers_phone: Set(phone),
                postcode: Set(Some(postcode.to_owned())),
                departement: Set(Some(postcode[..if postcode.starts_with("97") { 3 } else { 2 }].to_owned())),
                max_active_matches: Set(1 + (n % 4) as i16),
                accepting: Set(true),
                // Zero to four ratings averaging 3 to 5.
                rating_sum: Set(((n % 5) * (3 + n % 3)) as i32),
                rating_count: Set((n % 5) as i32),
                created_at: Set(now),
                updated_at: Set(now),
            });
            languages.push(("fr", member.id));
            if n % 10 < 3 {
                languages.push(("ar", member.id));
            }
            if n % 5 == 4 {
                languages.push(("en", member.id));
            }
            for j in 0..=(n % 3) {
                offers.push(member_skill::ActiveModel {
                    user_id: Set(member.id),
                    skill_id: Set(competences[(n + j * 7) % count]),
                    kind: Set(SkillIntent::Offer),
                    level: Set(3 + ((n * 13 + j) % 6) as i16),
                    created_at: Set(now),
                    updated_at: Set(now),
                });
            }
            for (weekday, start) in [(1 + n % 7, 18 * 60), (1 + (n + 3) % 7, 10 * 60)] {
                slots.push(availability_slot::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    user_id: Set(member.id),
                    weekday: Set(weekday as i16),
                    start_minute: Set(start),
                    end_minute: Set(start + 120),
                    timezone: Set(timezone.to_owned()),
                });
            }
        }
        mentor_profile::Entity::insert_many(profiles).exec_without_returning(db).await?;
        mentor_language::Entity::insert_many(languages.into_iter().map(|(language, user_id)| {
            mentor_language::ActiveModel { user_id: Set(user_id), language: Set(language.to_owned()) }
        }))
        .exec_without_returning(db)
        .await?;
        member_skill::Entity::insert_many(offers).exec_without_returning(db).await?;
        availability_slot::Entity::insert_many(slots).exec_without_returning(db).await?;
        // The suggestion index, as the service keeps it.
        let txn = api::db::begin_write(db).await?;
        for member in chunk {
            api::skills::offers::refresh(&txn, member.id).await?;
        }
        txn.commit().await?;
    }
    Ok(())
}
