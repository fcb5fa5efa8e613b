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
