//! Who may write lessons: their authors, facilitators and admins. An author
//! creates, edits and publishes lessons and reads drafts with their answers;
//! everyone else reads published lessons only, without answers.

use entity::{Role, user};
use uuid::Uuid;

/// Proof that `author_id` could write lessons when it was made (by their
/// role). Only this module builds one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LessonAuthor {
    author_id: Uuid,
}

impl LessonAuthor {
    pub fn author_id(&self) -> Uuid {
        self.author_id
    }
}

/// `caller` as a lesson author; `None` for members, counsellors and anyone else.
pub fn author(caller: &user::Model) -> Option<LessonAuthor> {
    matches!(caller.role, Role::Facilitator | Role::Admin).then_some(LessonAuthor { author_id: caller.id })
}
