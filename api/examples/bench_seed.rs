//! Seeds a benchmark volume into the database of a running Tremplin (see
//! `bench/seed.sh`): BENCH_MEMBERS members (default 20 000) sharing one
//! precomputed password hash, and published lessons up to BENCH_LESSONS
//! (default 200). Prints `LESSON_ID=` and `EXERCISE_ID=` (a true/false
//! exercise of that lesson) for the endpoints file.

use api::config::Settings;
use api::lessons::dto::{ChoiceInput, ExerciseInput, LessonInput};
use chrono::Utc;
use entity::lesson::LessonStatus;
use entity::{Role, exercise, lesson, lesson_version, skill, user};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
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
        exercises: vec![single, truth, ordering, text],
    }
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
            email: Set(format!("bench-member-{n}@example.org")),
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
        api::lessons::service::create_with_status(
            &db,
            None,
            None,
            practice_lesson(number, skill.id),
            LessonStatus::Published,
        )
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
    println!("LESSON_ID={}", last.lesson_id);
    println!("EXERCISE_ID={}", truth.id);
    seed_workshops(&db, count("BENCH_WORKSHOPS", 500)?).await?;
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
                email: Set(email.into()),
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
