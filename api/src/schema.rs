//! Schema pieces that areas and `error` use without depending on the OpenAPI
//! assembly (`http::openapi`): closed sets of strings with a description per
//! value. A leaf: depends on nothing in the crate.

use utoipa::openapi::RefOr;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

/// A closed set of strings, each value described: generators read the `enum`
/// (and `x-enum-descriptions`, in the same order), people the list in the
/// description.
pub fn described_enum<'a>(
    summary: &str,
    values: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> RefOr<Schema> {
    let (names, descriptions): (Vec<&str>, Vec<&str>) = values.into_iter().unzip();
    let mut description = summary.to_owned();
    for (name, meaning) in names.iter().zip(&descriptions) {
        description.push_str(&format!("\n- `{name}`: {meaning}"));
    }
    let extensions = ExtensionsBuilder::new().add("x-enum-descriptions", descriptions).build();
    RefOr::T(Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(names))
            .description(Some(description))
            .extensions(Some(extensions))
            .build(),
    ))
}

/// Declares a documentation type for a closed set the code holds as strings:
/// a field names it with `#[schema(value_type = ...)]`.
macro_rules! string_set {
    ($(#[doc = $doc:literal])* $name:ident, $summary:literal, $values:expr) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::schema::described_enum($summary, $values.iter().map(|(value, meaning)| (*value, *meaning)))
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

pub(crate) use string_set;
