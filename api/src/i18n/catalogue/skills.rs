//! Texts of the skills catalogue and of the skills members declare.

use super::{Message, m};

pub const MESSAGES: &[Message] = &[
    m(
        "field.skill_parent_unknown",
        "Cette compétence parente n'existe pas.",
        "This parent skill does not exist.",
    ),
    m(
        "field.skill_level_range",
        "Le niveau de cette compétence va de 1 à {max}.",
        "The level of this skill goes from 1 to {max}.",
    ),
];
