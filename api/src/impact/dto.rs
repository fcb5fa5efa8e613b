//! Bodies of `GET /impact`.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImpactFilter {
    /// First month of the period, included: a whole calendar month `YYYY-MM`
    /// (e.g. `2026-03`, from the 1st at 00:00 UTC). Sessions starting,
    /// measures and lessons completed from then. Anything else (a date, a
    /// time) → 422 naming `from`.
    #[param(example = "2026-03", pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub from: Option<String>,
    /// Last month of the period, included: `YYYY-MM` (e.g. `2026-05`, up to
    /// the end of May, UTC); not before `from`. Anything else → 422 naming `to`.
    #[param(example = "2026-05", pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub to: Option<String>,
    /// Only members accompanied (with active consent) by counsellors of this
    /// organisation. Counsellors: one of their own organisations (the default
    /// when they belong to exactly one).
    pub organization_id: Option<Uuid>,
}

/// A count; `null` and `suppressed` when it would describe fewer than K people
/// (see `Impact::min_group_size`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct Count {
    pub value: Option<i64>,
    pub suppressed: bool,
}

/// A share (0..1, three decimals) or a mean (one decimal); `null` and
/// `suppressed` when it would describe fewer than K people.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct Measure {
    pub value: Option<f64>,
    pub suppressed: bool,
}

/// The figures of a programme or a module over the period.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct WorkshopFigures {
    /// Seats taken in sessions of the period (cancelled sessions excluded).
    pub enrolments: Count,
    /// Different people holding those seats.
    pub members: Count,
    /// Attended ÷ (attended + no-show), where attendance was recorded.
    pub attendance_rate: Measure,
    /// People who completed it (a module: attended; the programme: all its modules attended).
    pub completed: Count,
    /// `completed` ÷ `members`.
    pub completion_rate: Measure,
    /// People with both a `pre` and a `post` RSES measure for it in the period.
    pub measured: Count,
    /// Mean of their first `pre` score (10..40).
    pub mean_pre: Measure,
    /// Mean of their latest `post` score (10..40).
    pub mean_post: Measure,
    /// Share of them whose `post` score is above their `pre` score.
    pub share_improved: Measure,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ModuleImpact {
    pub module_id: Uuid,
    pub code: String,
    pub title: String,
    pub position: i32,
    pub figures: WorkshopFigures,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgramImpact {
    pub program_id: Uuid,
    pub code: String,
    pub name: String,
    pub figures: WorkshopFigures,
    pub modules: Vec<ModuleImpact>,
}

/// NumériZen over the period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LearningImpact {
    /// Lessons completed.
    pub lessons_completed: Count,
    /// People who completed at least one lesson.
    pub active_learners: Count,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Impact {
    /// First month of the period (`YYYY-MM`), as asked.
    #[schema(example = "2026-03")]
    pub from: Option<String>,
    /// Last month of the period (`YYYY-MM`), as asked.
    #[schema(example = "2026-05")]
    pub to: Option<String>,
    pub organization_id: Option<Uuid>,
    /// K: no figure describes fewer people than this. With an organisation,
    /// a figure is also withheld when it leaves out 1..K−1 of the people the
    /// same figure counts for everyone (their figures would follow by
    /// difference), or 1..K−1 of the members the organisation follows (the
    /// complement within it).
    pub min_group_size: u32,
    /// Impose-toi ! programmes and their modules.
    pub workshops: Vec<ProgramImpact>,
    pub learning: LearningImpact,
    pub mentoring: MentoringImpact,
}

/// Enchanté over the period (matches made in it, sessions held in it).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MentoringImpact {
    /// Matches a mentor accepted (whatever became of them since).
    pub matches_made: Count,
    /// Matches completed.
    pub matches_completed: Count,
    /// Different learners in those matches.
    pub learners: Count,
    /// Different mentors in those matches.
    pub mentors: Count,
    /// Sessions of those matches, held or planned in the period.
    pub sessions: Count,
}
