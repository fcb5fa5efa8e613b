//! Texts of NumériZen's lessons: the rules an author's exercises break, the
//! answers that cannot be graded, and the feedback on a graded answer.

use super::{Message, m};

pub const MESSAGES: &[Message] = &[
    // Field messages of authoring.
    m("field.lesson_skill_unknown", "Cette compétence n'existe pas.", "This skill does not exist."),
    m(
        "field.exercise_image_alt_required",
        "Décrivez l'image (texte alternatif) pour les lecteurs d'écran.",
        "Describe the image (alternative text) for screen readers.",
    ),
    m("field.exercise_kind_unknown", "Type d'exercice inconnu.", "Unknown kind of exercise."),
    m(
        "field.exercise_field_not_allowed",
        "Ce champ ne s'applique pas à ce type d'exercice.",
        "This field does not apply to this kind of exercise.",
    ),
    m("field.exercise_choices_count", "Proposez de 2 à 8 choix.", "Offer 2 to 8 choices."),
    m(
        "field.exercise_one_correct_choice",
        "Un choix unique a exactement une bonne réponse.",
        "A single choice has exactly one right answer.",
    ),
    m(
        "field.exercise_some_correct_choice",
        "Indiquez au moins une bonne réponse.",
        "Mark at least one right answer.",
    ),
    m(
        "field.exercise_statement_truth_required",
        "Dites si l'affirmation est vraie ou fausse.",
        "Say whether the statement is true or false.",
    ),
    m(
        "field.exercise_items_count",
        "Donnez de 2 à 10 étapes, dans le bon ordre.",
        "Give 2 to 10 steps, in the right order.",
    ),
    m(
        "field.exercise_accepted_answers_count",
        "Donnez de 1 à 10 réponses acceptées, non vides.",
        "Give 1 to 10 accepted answers, none of them empty.",
    ),
    m(
        "field.exercise_text_too_long",
        "{max} caractères au plus par élément.",
        "At most {max} characters per item.",
    ),
    // Field messages of answering.
    m(
        "field.exercise_not_in_lesson",
        "Cet exercice ne fait pas partie de cette leçon.",
        "This exercise is not part of this lesson.",
    ),
    m(
        "field.answer_wrong_shape",
        "La réponse n'a pas la forme attendue pour un exercice de type {kind}.",
        "The answer does not have the shape expected for an exercise of kind {kind}.",
    ),
    m(
        "field.answer_too_long",
        "La réponse est trop longue ({max} caractères au plus).",
        "The answer is too long (at most {max} characters).",
    ),
    m(
        "field.answer_too_many_items",
        "La réponse contient trop d'éléments ({max} au plus).",
        "The answer has too many items (at most {max}).",
    ),
    // Feedback on a graded answer.
    m("feedback.answer_correct", "Bravo, c'est juste !", "Well done, that's right!"),
    m(
        "feedback.answer_wrong",
        "Pas tout à fait. Ce n'est pas grave : relisez l'explication et réessayez.",
        "Not quite. That's all right: read the explanation again and have another go.",
    ),
];
