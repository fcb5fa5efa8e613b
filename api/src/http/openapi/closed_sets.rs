//! What each value of the closed sets of the document means: derived string
//! enums get a description per value. Calls `schema`.

use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi as Document, RefOr};

use crate::schema::described_enum;

type Values = &'static [(&'static str, &'static str)];

/// What each value of the closed sets means; the values themselves come from
/// the Rust enums (a test checks that every enum of the document is described
/// here, value for value).
const CLOSED_SETS: &[(&str, &str, Values)] = &[
    (
        "AccompanimentStatus",
        "Lifecycle: `pending` → `active` | `refused`; `pending` or `active` → `revoked`.",
        &[
            ("pending", "Asked by the counsellor; waits for the member's consent."),
            ("active", "The member consented: the counsellor follows their journey."),
            ("refused", "The member refused."),
            ("revoked", "Ended by the member or the counsellor."),
        ],
    ),
    (
        "AssessmentContext",
        "When a self-assessment is taken.",
        &[("pre", "Before the module or the programme."), ("post", "After it.")],
    ),
    (
        "AssessmentInstrument",
        "The questionnaire.",
        &[("rses", "Rosenberg Self-Esteem Scale: 10 items of 4 points, scored 10..40.")],
    ),
    (
        "CredentialStatus",
        "Whether a credential still holds.",
        &[
            ("active", "Valid: its bit in the status list is clear."),
            ("revoked", "Revoked by a facilitator or an admin, or by the account's erasure: its bit is set."),
        ],
    ),
    (
        "Attendance",
        "What the facilitator saw.",
        &[("attended", "The member came."), ("no_show", "The member held a seat and did not come.")],
    ),
    (
        "Category",
        "Kind of skill.",
        &[
            ("digital", "Digital skills (DigComp 2.2)."),
            ("soft", "Soft skills."),
            ("professional", "Professional skills."),
        ],
    ),
    (
        "EnrolmentStatus",
        "Lifecycle: `confirmed` or `waitlisted` (→ `confirmed` when a seat frees, in arrival order); \
         `confirmed` → `attended` | `no_show`; `confirmed` or `waitlisted` → `cancelled`.",
        &[
            ("confirmed", "Holds a seat."),
            ("waitlisted", "On the waiting list, at `waitlist_position`."),
            ("cancelled", "Cancelled by the member, their counsellor, the facilitator or an admin."),
            ("attended", "Came (recorded by the facilitator)."),
            ("no_show", "Held a seat and did not come."),
        ],
    ),
    (
        "ExerciseKind",
        "How an exercise is answered; the `Answer` shape follows it.",
        &[
            ("single_choice", "One correct choice: answer with `ChoiceAnswer`."),
            ("multiple_choice", "One or more correct choices: answer with `ChoicesAnswer`."),
            ("true_false", "A statement to judge: answer with `TrueFalseAnswer`."),
            ("ordering", "Items to put in order: answer with `OrderingAnswer`."),
            ("text_input", "A short text, graded with tolerance: answer with `TextAnswer`."),
        ],
    ),
    (
        "Framework",
        "Where a skill comes from.",
        &[
            ("digcomp", "The European DigComp 2.2 framework."),
            ("impose_toi", "The Impose-toi ! programme."),
            ("custom", "Added by the admins."),
        ],
    ),
    (
        "LessonStatus",
        "Lifecycle: `draft` → `published`; editing a published lesson makes a new version.",
        &[("draft", "Seen by its authors only."), ("published", "Open to members.")],
    ),
    (
        "MatchRequestStatus",
        "Lifecycle: `open` → `matched` | `closed`.",
        &[
            ("open", "Looking for a mentor."),
            ("matched", "A match for it was accepted."),
            ("closed", "No longer looking."),
        ],
    ),
    (
        "MatchRole",
        "Your side of a match.",
        &[("learner", "You asked for the match."), ("mentor", "You mentor in it.")],
    ),
    (
        "MatchStatus",
        "Lifecycle: `proposed` → `requested` → `accepted` → `completed`; `requested` → `declined` | \
         `withdrawn` | `expired`; `accepted` → `cancelled`.",
        &[
            ("proposed", "Proposed by cohort matching; the learner confirms it."),
            ("requested", "Asked; the mentor answers before it expires."),
            ("accepted", "The mentor accepted: both see each other's email and plan sessions."),
            ("declined", "The mentor declined."),
            ("withdrawn", "The learner withdrew the request."),
            ("expired", "The mentor did not answer in time."),
            ("completed", "Over; each party may give feedback once."),
            ("cancelled", "Cancelled by either party after acceptance."),
        ],
    ),
    (
        "MessageStatus",
        "Lifecycle of an outgoing mail: `pending` → `sent` | `failed` (retried with backoff while `pending`).",
        &[
            ("pending", "Waiting for its first or next try."),
            ("sent", "Accepted by the SMTP relay."),
            ("failed", "Refused for good, or still failing after the last try."),
        ],
    ),
    (
        "Modality",
        "How people meet.",
        &[("remote", "By video."), ("in_person", "Face to face."), ("phone", "By phone.")],
    ),
    (
        "MembershipRole",
        "What a person may do for the organisation they work for; admins set it.",
        &[
            ("member", "Works for the organisation: follows its members, runs its workshops."),
            (
                "manager",
                "Also manages the organisation: its directory entry, API clients, webhooks and training offers.",
            ),
        ],
    ),
    (
        "OrganizationKind",
        "Kind of partner organisation.",
        &[
            ("mission_locale", "A Mission locale (young people's integration)."),
            ("france_travail", "A France Travail agency."),
            ("tiers_lieu", "A third place (tiers-lieu)."),
            ("training_center", "A training centre."),
            ("association", "An association."),
        ],
    ),
    (
        "Role",
        "What an account may do; registration gives `member`, admins grant the others.",
        &[
            ("member", "A person on their own journey."),
            ("counsellor", "Follows members who consented; enrols them, reads their journey."),
            ("facilitator", "Writes lessons and runs workshop sessions."),
            ("admin", "Administers accounts, organisations and the catalogue."),
        ],
    ),
    (
        "SkillIntent",
        "Why a skill is on your profile.",
        &[("want", "You want to build it."), ("offer", "You can share it as a mentor.")],
    ),
    (
        "WorkshopStatus",
        "Lifecycle: `scheduled` → `cancelled`.",
        &[("scheduled", "Will take place."), ("cancelled", "Cancelled; calendars show it cancelled.")],
    ),
];

/// Gives each derived string enum its per-value descriptions.
pub(super) fn describe_closed_sets(document: &mut Document) {
    let Some(components) = document.components.as_mut() else {
        return;
    };
    for (name, summary, values) in CLOSED_SETS {
        let Some(RefOr::T(Schema::Object(derived))) = components.schemas.get(*name) else {
            continue;
        };
        let derived_values: Vec<&str> =
            derived.enum_values.iter().flatten().filter_map(|value| value.as_str()).collect();
        // A value added in Rust but not here keeps the bare enum: the test says which.
        if derived_values == values.iter().map(|(value, _)| *value).collect::<Vec<_>>() {
            components.schemas.insert((*name).into(), described_enum(summary, values.iter().copied()));
        }
    }
}
