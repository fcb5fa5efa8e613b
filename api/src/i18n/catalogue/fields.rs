//! The messages of invalid fields (422 `errors[].message`), `field.<name>`.
//! A validator rule's parameters fill the placeholders (`{max}`, `{min}`).

use super::{Message, m};

pub const MESSAGES: &[Message] =
    &[m("field.invalid", "Valeur non valide ({code}).", "Invalid value ({code}).")];
