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
        "AuditActorKind",
        "Who read the member's data.",
        &[
            ("person", "A counsellor the member consented to."),
            (
                "api_client",
                "An API client of an organisation the member consented to (`actor` names the client and its organisation).",
            ),
        ],
    ),
    (
        "OAuthErrorCode",
        "RFC 6749 §5.2 error codes of the token endpoint.",
        &[
            (
                "invalid_request",
                "The form is malformed, lacks `grant_type`, repeats a parameter or uses two client authentication methods.",
            ),
            ("invalid_client", "Unknown or revoked client, wrong secret, or no client authentication."),
            ("invalid_scope", "A scope that does not exist or is not granted to the client."),
            ("unsupported_grant_type", "Only `client_credentials` is served."),
        ],
    ),
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
        "AttemptOutcome",
        "How one try of a webhook delivery ended.",
        &[
            ("succeeded", "The endpoint answered 2xx."),
            ("failed", "Another status code, no answer in time, or an address not allowed."),
        ],
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
        "DeliveryStatus",
        "Lifecycle of a webhook delivery: `pending` (retried with backoff) → `succeeded` | `failed` | `dropped`.",
        &[
            ("pending", "Waiting for its first or next try."),
            ("succeeded", "The endpoint answered 2xx."),
            ("failed", "Still failing after the last try, or the endpoint answered `410 Gone`."),
            ("dropped", "Never sent: the member withdrew their consent to the organisation first."),
        ],
    ),
    (
        "EndpointStatus",
        "Whether a webhook endpoint receives events.",
        &[
            ("active", "Receives the events it subscribes to."),
            ("paused", "Paused by its organisation: nothing is queued for it nor sent."),
            ("disabled", "It answered `410 Gone`: nothing is sent until it is resumed."),
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
        "EventType",
        "The events a webhook subscribes to. Payloads are `{type, timestamp, data}`; `data` holds ids and \
         minimal facts, never free text nor contact details. An event about a member reaches only \
         organisations the member consents to (an active accompaniment by one of their counsellors).",
        &[
            ("accompaniment.consented", "A member consented to be accompanied by one of your counsellors."),
            ("accompaniment.revoked", "That accompaniment ended (sent to the organisation it ended with)."),
            ("enrolment.confirmed", "The member holds a seat in a workshop session."),
            ("enrolment.waitlisted", "The member is on a session's waiting list."),
            ("enrolment.promoted", "A freed seat went to the member from the waiting list."),
            ("enrolment.cancelled", "The member's enrolment was cancelled."),
            (
                "workshop.cancelled",
                "A workshop session was cancelled (about nobody: sent to every subscriber).",
            ),
            ("attendance.recorded", "The facilitator recorded whether the member came."),
            ("match.accepted", "A mentor accepted the member's match."),
            ("match.completed", "The member's match was completed."),
            ("lesson.completed", "The member completed a lesson."),
            ("placement.completed", "The member finished the placement test."),
            ("assessment.recorded", "The member took a self-assessment (RSES)."),
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
        "Funding",
        "A way a training may be paid for.",
        &[
            ("free", "Free for the learner."),
            ("cpf", "The personal training account (Compte personnel de formation)."),
            ("region", "The region's training programmes."),
            ("france_travail", "France Travail (job seekers)."),
            ("employer", "The employer (skills development plan)."),
            ("other", "Another funding: ask the centre."),
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
            ("local_authority", "A local authority (town hall, département, region)."),
            ("incubator", "An incubator of projects or businesses."),
            ("mediation_network", "A network of digital mediation places."),
        ],
    ),
    (
        "OfferStatus",
        "Lifecycle of a training offer: `draft` → `published` → `archived` (a draft may be archived too).",
        &[
            ("draft", "Being written: seen by its centre's managers only."),
            ("published", "In the public catalogue."),
            ("archived", "Out of the catalogue; its page stays readable."),
        ],
    ),
    (
        "PlaceService",
        "A service a place of the directory offers to the public.",
        &[
            ("digital_mediation", "Help with digital tools and online procedures by a mediator."),
            ("computers_with_internet", "Computers with internet access open to the public."),
            ("printing", "Printing, scanning or copying documents."),
            ("job_coaching", "Help to look for a job (CV, applications, interviews)."),
            ("french_courses", "Courses of French as a foreign language or literacy."),
            ("training", "Training courses."),
            ("childcare_during_sessions", "Children are looked after during sessions."),
            ("wheelchair_accessible", "Accessible to wheelchairs."),
            ("administrative_help", "Help with administrative paperwork."),
            ("wifi", "Free Wi-Fi."),
        ],
    ),
    (
        "TrainingModality",
        "How a training is taught.",
        &[
            ("in_person", "In a classroom."),
            ("remote", "At a distance."),
            ("blended", "Partly in a classroom, partly at a distance."),
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
