//! The schema and the account creation used by `tremplin create-user`, on the
//! test's database.

use api::accounts::domain::{DisplayName, Email, Password};
use api::accounts::service::{CreateUserError, NewUser, create_user};
use entity::{Role, user};
use sea_orm::{EntityTrait, PaginatorTrait};
use tests::spawn_app;

fn new_user(email: &str, role: Role) -> NewUser {
    NewUser {
        email: Some(Email::parse(email).unwrap()),
        phone: None,
        temporary: false,
        password: Password::parse("correct horse battery".into()).unwrap(),
        display_name: DisplayName::parse("Awa").unwrap(),
        role,
        locale: None,
    }
}

fn mail() -> api::config::MailSettings {
    tests::test_settings("sqlite::memory:").mail
}

#[tokio::test]
async fn created_accounts_are_stored_normalised_and_hashed() {
    let app = spawn_app().await;
    let created =
        create_user(&app.db, &mail(), new_user("  Awa.Diallo@Example.FR ", Role::Admin)).await.unwrap();
    let stored = user::Entity::find_by_id(created.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(stored.email.as_deref(), Some("awa.diallo@example.fr"));
    assert_eq!(stored.username, created.username);
    assert!(stored.username.starts_with("awa"), "{}", stored.username);
    assert_eq!(stored.role, Role::Admin);
    assert!(stored.password_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    assert!(api::auth::password::verify("correct horse battery", &stored.password_hash));
    assert_eq!(stored.id.get_version_num(), 7);
}

#[tokio::test]
async fn an_email_is_used_by_one_account_only_even_under_concurrency() {
    let app = spawn_app().await;
    let mail = mail();
    let attempts = (0..4).map(|_| create_user(&app.db, &mail, new_user("same@example.fr", Role::Member)));
    let results = futures_util::future::join_all(attempts).await;
    let created = results.iter().filter(|r| r.is_ok()).count();
    let taken = results.iter().filter(|r| matches!(r, Err(CreateUserError::EmailTaken))).count();
    assert_eq!((created, taken), (1, 3), "{results:?}");
    assert_eq!(user::Entity::find().count(&app.db).await.unwrap(), 1);
}
