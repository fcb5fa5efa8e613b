//! Texts of the placement test and of the recommendations: each
//! recommendation says why, in the member's language. Skill and workshop
//! names are filled in as they are stored.

use super::{Message, m};

pub const MESSAGES: &[Message] = &[
    m(
        "field.placement_not_current_exercise",
        "Répondez à l'exercice proposé.",
        "Answer the exercise you were given.",
    ),
    // Why a recommendation is made.
    m(
        "reason.lesson_wanted_skill",
        "Vous voulez progresser en « {skill} » : cette leçon est juste à votre niveau.",
        "You want to get better at “{skill}”: this lesson is just at your level.",
    ),
    m(
        "reason.lesson_weak_area",
        "Votre test de positionnement montre que « {area} » est à renforcer.",
        "Your placement test shows that “{area}” needs strengthening.",
    ),
    m(
        "reason.lesson_next_step",
        "C'est l'étape suivante de votre parcours.",
        "It is the next step of your journey.",
    ),
    m(
        "reason.mentor_to_learn_with",
        "Apprendre avec quelqu'un, c'est plus simple : un mentor peut vous aider pour « {skill} ».",
        "Learning with someone is easier: a mentor can help you with “{skill}”.",
    ),
    m(
        "reason.mentor_after_lapses",
        "« {skill} » résiste encore : un mentor peut vous aider à avancer.",
        "“{skill}” is still hard going: a mentor can help you move forward.",
    ),
    m(
        "reason.reviews_due",
        "{count} exercice(s) à revoir : quelques minutes suffisent pour ne pas oublier.",
        "Exercises to review: {count}. A few minutes are enough to keep them in mind.",
    ),
    m(
        "reason.workshop_first_module",
        "L'atelier « {title} » du programme Impose-toi ! aide à prendre confiance, en petit groupe.",
        "The workshop “{title}” of the Impose-toi ! programme helps build confidence, in a small group.",
    ),
];
