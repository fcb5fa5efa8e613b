//! Shared application state handed to handlers. State lives in the database;
//! the caches here only hold copies: a change drops them on every replica at
//! once (see `cache.rs` and `cache_listener`), and they expire after a few
//! seconds in case a notice was missed.

use std::sync::Arc;
use std::time::Duration;

use entity::user;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::accounts::throttle::LoginThrottle;
use crate::adaptive::catalogue::Catalogue;
use crate::auth::token::TokenKeys;
use crate::cache::{Stale, TtlCache};
use crate::config::Settings;
use crate::error::ApiError;
use crate::lessons::editing::LessonCaches;
use crate::lessons::views::PublishedLesson;

/// How long another replica that missed the notice of a change may still
/// accept a disabled account's token, or show an account's previous role
/// (well within the 15 minutes of a token).
pub const USER_CACHE_TTL: Duration = Duration::from_secs(5);
/// How long another replica that missed the notice of a change may still
/// show the previous version of a lesson.
pub const LESSON_CACHE_TTL: Duration = Duration::from_secs(10);

pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub tokens: TokenKeys,
    pub throttle: LoginThrottle,
    /// Accounts of recent requests, read by authentication.
    pub users: TtlCache<Uuid, user::Model>,
    /// Published lessons as members read them.
    pub published_lessons: TtlCache<Uuid, Arc<PublishedLesson>>,
    /// Every published lesson and skill, for recommendations (one entry).
    catalogue: TtlCache<(), Arc<Catalogue>>,
}

impl AppState {
    pub fn new(
        db: DatabaseConnection,
        settings: Arc<Settings>,
        tokens: TokenKeys,
        throttle: LoginThrottle,
    ) -> Self {
        AppState {
            db,
            settings,
            tokens,
            throttle,
            users: TtlCache::new(USER_CACHE_TTL, 50_000),
            published_lessons: TtlCache::new(LESSON_CACHE_TTL, 5_000),
            catalogue: TtlCache::new(LESSON_CACHE_TTL, 1),
        }
    }

    /// The published lessons and the skills, at most `LESSON_CACHE_TTL` old.
    pub async fn catalogue(&self) -> Result<Arc<Catalogue>, ApiError> {
        self.catalogue.get_or_load((), async { Ok(Arc::new(Catalogue::load(&self.db).await?)) }).await
    }

    /// The caches an author's change to a lesson makes stale, for the
    /// authoring services to drop.
    pub fn lesson_caches(&self) -> LessonCaches<'_, Arc<Catalogue>> {
        LessonCaches { published: &self.published_lessons, catalogue: &self.catalogue }
    }

    /// Drops what a change, here or on another replica, made stale.
    pub fn forget(&self, stale: Stale) {
        match stale {
            Stale::User(id) => self.users.remove(&id),
            Stale::Lesson(id) => {
                self.published_lessons.remove(&id);
                self.catalogue.remove(&());
            }
            Stale::Catalogue => self.catalogue.remove(&()),
            Stale::Everything => self.forget_everything(),
        }
    }

    /// Drops every cached copy.
    pub fn forget_everything(&self) {
        self.users.clear();
        self.published_lessons.clear();
        self.catalogue.clear();
    }
}
