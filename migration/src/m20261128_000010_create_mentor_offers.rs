//! The suggestion index of Enchanté: one row per skill that an accepting
//! mentor offers, carrying what the hard filters and the SQL pre-ranking read
//! (modalities, languages, place, capacity, rating). Suggestions then scan one
//! primary-key range per skill instead of joining every offering mentor's
//! profile and languages. The rows are derived from `member_skills`,
//! `mentor_profiles` and `mentor_languages`: the service rebuilds a mentor's
//! rows whenever one of those changes (`skills::offers::refresh`).

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{index, reference};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let create = Table::create()
            .table(MentorOffers::Table)
            .col(uuid(MentorOffers::SkillId))
            .col(uuid(MentorOffers::UserId))
            .col(small_integer(MentorOffers::Level))
            .col(boolean(MentorOffers::OffersRemote))
            .col(boolean(MentorOffers::OffersInPerson))
            .col(boolean(MentorOffers::OffersPhone))
            .col(text(MentorOffers::Languages))
            .col(string_len_null(MentorOffers::Postcode, 5))
            .col(string_len_null(MentorOffers::Departement, 3))
            .col(small_integer(MentorOffers::MaxActiveMatches))
            .col(integer(MentorOffers::RatingSum))
            .col(integer(MentorOffers::RatingCount))
            .primary_key(Index::create().col(MentorOffers::SkillId).col(MentorOffers::UserId))
            .foreign_key(&mut reference(
                "fk_mentor_offers_skill",
                (MentorOffers::Table, MentorOffers::SkillId),
                (Skills::Table, Skills::Id),
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut reference(
                "fk_mentor_offers_profile",
                (MentorOffers::Table, MentorOffers::UserId),
                (MentorProfiles::Table, MentorProfiles::UserId),
                ForeignKeyAction::Cascade,
            ))
            .to_owned();
        // On SQLite the rows live in the primary-key b-tree (`WITHOUT ROWID`):
        // a skill's offers are one range, with no lookup of each row by rowid.
        let backend = manager.get_database_backend();
        let mut create = backend.build(&create).to_string();
        if backend == sea_orm::DatabaseBackend::Sqlite {
            create.push_str(" WITHOUT ROWID");
        }
        manager.get_connection().execute_unprepared(&create).await?;
        // A mentor's rows are rebuilt together.
        index(manager, "idx_mentor_offers_user", MentorOffers::Table, &[MentorOffers::UserId]).await?;
        // The offers already there. Languages read " fr ar " (each between
        // spaces, so that `LIKE '% fr %'` matches exactly one code).
        let languages = match backend {
            sea_orm::DatabaseBackend::Postgres => "string_agg(l.language, ' ' ORDER BY l.language)",
            _ => "group_concat(l.language, ' ')",
        };
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "INSERT INTO mentor_offers (skill_id, user_id, level, offers_remote, offers_in_person, offers_phone,
                     languages, postcode, departement, max_active_matches, rating_sum, rating_count)
                 SELECT ms.skill_id, ms.user_id, ms.level, p.offers_remote, p.offers_in_person, p.offers_phone,
                        COALESCE((SELECT ' ' || {languages} || ' ' FROM mentor_languages l WHERE l.user_id = p.user_id), ' '),
                        p.postcode, p.departement, p.max_active_matches, p.rating_sum, p.rating_count
                 FROM member_skills ms JOIN mentor_profiles p ON p.user_id = ms.user_id
                 WHERE ms.kind = 'offer' AND p.accepting"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(MentorOffers::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum MentorOffers {
    Table,
    SkillId,
    UserId,
    Level,
    OffersRemote,
    OffersInPerson,
    OffersPhone,
    Languages,
    Postcode,
    Departement,
    MaxActiveMatches,
    RatingSum,
    RatingCount,
}

#[derive(DeriveIden)]
enum Skills {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MentorProfiles {
    Table,
    UserId,
}
