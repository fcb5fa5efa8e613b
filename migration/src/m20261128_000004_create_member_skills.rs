use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{reference, user_reference};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MemberSkills::Table)
                    .col(uuid(MemberSkills::UserId))
                    .col(uuid(MemberSkills::SkillId))
                    .col(string_len(MemberSkills::Kind, 8))
                    .col(small_integer(MemberSkills::Level))
                    .col(timestamp_with_time_zone(MemberSkills::CreatedAt))
                    .col(timestamp_with_time_zone(MemberSkills::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(MemberSkills::UserId)
                            .col(MemberSkills::SkillId)
                            .col(MemberSkills::Kind),
                    )
                    .foreign_key(&mut user_reference(
                        "fk_member_skills_user",
                        MemberSkills::Table,
                        MemberSkills::UserId,
                    ))
                    .foreign_key(&mut reference(
                        "fk_member_skills_skill",
                        (MemberSkills::Table, MemberSkills::SkillId),
                        (Skills::Table, Skills::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        // Finding who offers a skill (mentors) reads by skill first.
        manager
            .create_index(
                Index::create()
                    .name("idx_member_skills_skill_kind")
                    .table(MemberSkills::Table)
                    .col(MemberSkills::SkillId)
                    .col(MemberSkills::Kind)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(MemberSkills::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Skills {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MemberSkills {
    Table,
    UserId,
    SkillId,
    Kind,
    Level,
    CreatedAt,
    UpdatedAt,
}
