//! Builders the migrations share, so each migration reads as its schema.

use sea_orm_migration::prelude::*;

/// A foreign key `name` from `from` to `to`.
pub fn reference<T, C, RT, RC>(
    name: &str,
    from: (T, C),
    to: (RT, RC),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement
where
    T: IntoIden + 'static,
    C: IntoIden + 'static,
    RT: IntoIden + 'static,
    RC: IntoIden + 'static,
{
    ForeignKey::create().name(name).from(from.0, from.1).to(to.0, to.1).on_delete(on_delete).to_owned()
}

/// A reference to a user. Users are never deleted (erasure anonymises them),
/// so these references stay valid and deleting a user is refused.
pub fn user_reference<T, C>(name: &str, table: T, column: C) -> ForeignKeyCreateStatement
where
    T: IntoIden + 'static,
    C: IntoIden + 'static,
{
    reference(name, (table, column), (Users::Table, Users::Id), ForeignKeyAction::Restrict)
}

/// A (non-unique) index on `columns` of `table`.
pub async fn index<T, C>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    columns: &[C],
) -> Result<(), DbErr>
where
    T: IntoIden + Copy + 'static,
    C: IntoIden + Copy + 'static,
{
    let mut statement = Index::create();
    statement.name(name).table(table);
    for column in columns {
        statement.col(*column);
    }
    manager.create_index(statement.to_owned()).await
}

#[derive(DeriveIden)]
pub enum Users {
    Table,
    Id,
}
