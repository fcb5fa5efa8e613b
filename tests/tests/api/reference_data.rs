//! The skills catalogue is loaded at first start and re-seeding only fills gaps.

use std::collections::HashMap;

use entity::skill::{self, Category, Framework};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use tests::spawn_app;

#[tokio::test]
async fn digcomp_and_impose_toi_skills_are_seeded_at_start() {
    let app = spawn_app().await;
    let skills = skill::Entity::find().all(&app.db).await.unwrap();
    let by_code: HashMap<&str, &skill::Model> = skills.iter().map(|s| (s.code.as_str(), s)).collect();

    let digcomp: Vec<_> = skills.iter().filter(|s| s.framework == Framework::Digcomp).collect();
    let areas: Vec<_> = digcomp.iter().filter(|s| s.parent_id.is_none()).collect();
    assert_eq!((areas.len(), digcomp.len() - areas.len()), (5, 21));
    for competence in digcomp.iter().filter(|s| s.parent_id.is_some()) {
        let area_code = competence.code.rsplit_once('.').unwrap().0;
        assert_eq!(competence.parent_id, Some(by_code[area_code].id), "{}", competence.code);
        assert_eq!((competence.level_max, competence.category), (8, Category::Digital));
        assert!(competence.name_en.is_some() && !competence.description.is_empty());
    }
    assert_eq!(by_code["digcomp.4.2"].name_en.as_deref(), Some("Protecting personal data and privacy"));
    assert_eq!(by_code["digcomp.2.5"].name, "Nétiquette");

    let soft: Vec<_> = skills.iter().filter(|s| s.framework == Framework::ImposeToi).collect();
    assert!(soft.len() >= 5);
    assert!(soft.iter().all(|s| s.category == Category::Soft));
}

#[tokio::test]
async fn seeding_again_restores_missing_rows_and_keeps_edits() {
    let app = spawn_app().await;
    assert_eq!(migration::seed::run(&app.db).await.unwrap().skills_added, 0);

    let netiquette = skill::Entity::find()
        .filter(skill::Column::Code.eq("digcomp.2.5"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut edited = netiquette.into_active_model();
    edited.name = Set("Politesse en ligne".into());
    edited.update(&app.db).await.unwrap();
    skill::Entity::delete_many().filter(skill::Column::Code.eq("digcomp.3.4")).exec(&app.db).await.unwrap();

    assert_eq!(migration::seed::run(&app.db).await.unwrap().skills_added, 1);
    let names: HashMap<String, String> =
        skill::Entity::find().all(&app.db).await.unwrap().into_iter().map(|s| (s.code, s.name)).collect();
    assert_eq!(names["digcomp.2.5"], "Politesse en ligne");
    assert!(names.contains_key("digcomp.3.4"));
}

/// Lessons stored before ordering items had random ids get them from
/// migration 000015: sorting the ids a learner sees no longer gives the order.
#[tokio::test]
async fn ordering_items_stored_with_time_ordered_ids_are_given_random_ones() {
    use entity::exercise;
    use migration::MigratorTrait;
    use serde_json::{Value, json};
    let app = spawn_app().await;
    let ordering = exercise::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.answer_key["kind"] == "ordering")
        .expect("the starter lessons have ordering exercises");
    // As they were stored before: UUIDv7 ids, in the right order.
    let old: Vec<uuid::Uuid> = (0..3).map(|_| uuid::Uuid::now_v7()).collect();
    let options: Vec<Value> =
        old.iter().enumerate().map(|(n, id)| json!({"id": id, "text": format!("Étape {n}")})).collect();
    let mut row = ordering.clone().into_active_model();
    row.options = Set(Some(json!(options)));
    row.answer_key = Set(json!({"kind": "ordering", "items": old}));
    row.update(&app.db).await.unwrap();

    // Back to before migration 000015, whatever came after it.
    let since = migration::Migrator::migrations()
        .iter()
        .rev()
        .position(|m| m.name() == "m20261204_000015_random_ordering_item_ids")
        .unwrap();
    migration::Migrator::down(&app.db, Some(since as u32 + 1)).await.unwrap();
    migration::Migrator::up(&app.db, None).await.unwrap();

    let rekeyed = exercise::Entity::find_by_id(ordering.id).one(&app.db).await.unwrap().unwrap();
    let options = rekeyed.options.unwrap();
    let texts: Vec<&str> = options.as_array().unwrap().iter().map(|o| o["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["Étape 0", "Étape 1", "Étape 2"]);
    let shown: Vec<uuid::Uuid> =
        options.as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap().parse().unwrap()).collect();
    let key: Vec<uuid::Uuid> = rekeyed.answer_key["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(shown, key, "options and answer key keep the same items in the same order");
    assert!(shown.iter().all(|id| id.get_version_num() == 4 && !old.contains(id)), "{shown:?}");
}
