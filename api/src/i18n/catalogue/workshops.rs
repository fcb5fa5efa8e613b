//! Texts of Impose-toi ! (workshops, enrolments, attendance) and of the
//! self-esteem assessment taken along the programme.

use super::{Message, m};

pub const MESSAGES: &[Message] = &[
    // Problems: a workshop says more than the generic text of its code.
    m("problem.workshop_cancelled.workshop", "Cet atelier est annulé.", "This workshop is cancelled."),
    m(
        "problem.workshop_started.workshop",
        "Cet atelier a déjà commencé.",
        "This workshop has already started.",
    ),
    m(
        "problem.workshop_not_started.workshop",
        "Les présences se notent une fois l'atelier commencé.",
        "Attendance is marked once the workshop has started.",
    ),
    m(
        "problem.already_enrolled.workshop",
        "Cette personne est déjà inscrite à cet atelier (ou sur sa liste d'attente).",
        "This person is already enrolled in this workshop (or on its waiting list).",
    ),
    m(
        "problem.capacity_below_seats_taken.workshop",
        "Plus de personnes sont déjà inscrites que cette nouvelle capacité.",
        "More people are already enrolled than this new capacity allows.",
    ),
    m(
        "problem.prerequisite_not_met.workshop",
        "Il faut d'abord avoir participé au module précédent du programme.",
        "You first need to take part in the previous module of the programme.",
    ),
    m(
        "problem.enrolment_closed.workshop",
        "Cet atelier a déjà commencé : les inscriptions sont closes.",
        "This workshop has already started: enrolment is closed.",
    ),
    m(
        "problem.attendance_recorded.workshop",
        "La présence à cet atelier est déjà notée.",
        "Attendance at this workshop is already marked.",
    ),
    m(
        "problem.cancellation_deadline_passed.workshop",
        "Il n'est plus possible d'annuler soi-même (au plus tard {hours} heures avant). \
         Prévenez l'animateur ou votre conseiller.",
        "It is too late to cancel yourself (at the latest {hours} hours before). \
         Please tell the facilitator or your counsellor.",
    ),
    // Field messages.
    m(
        "field.workshop_in_the_past",
        "La séance doit commencer dans le futur.",
        "The session must start in the future.",
    ),
    m(
        "field.workshop_end_before_start",
        "La fin doit être après le début.",
        "The end must be after the start.",
    ),
    m(
        "field.workshop_too_long",
        "Une séance dure au plus {max} heures.",
        "A session lasts at most {max} hours.",
    ),
    m(
        "field.not_a_facilitator",
        "Cette personne n'est pas animatrice ou animateur.",
        "This person is not a facilitator.",
    ),
    m("field.attendance_count", "Envoyez de 1 à {max} présences.", "Send from 1 to {max} attendance marks."),
    m("field.attendance_duplicate", "Cette inscription apparaît deux fois.", "This enrolment appears twice."),
    m(
        "field.attendance_unknown_enrolment",
        "Aucune inscription à cet atelier ne porte cet identifiant.",
        "No enrolment in this workshop has this id.",
    ),
    m(
        "field.attendance_not_seated",
        "Seules les personnes qui avaient une place peuvent être notées.",
        "Only people who had a seat can be marked.",
    ),
    m(
        "field.rses_answer_count",
        "Il faut exactement {count} réponses.",
        "Exactly {count} answers are needed.",
    ),
    m(
        "field.rses_answer_range",
        "Chaque réponse va de 1 (pas du tout d'accord) à 4 (tout à fait d'accord).",
        "Each answer goes from 1 (strongly disagree) to 4 (strongly agree).",
    ),
    // Notifications.
    m("notice.workshop_updated.title", "Atelier modifié", "Workshop changed"),
    m(
        "notice.workshop_updated.body",
        "L'atelier « {title} » a changé : il a lieu le {date} à {time} ({location}).",
        "The workshop “{title}” has changed: it now takes place on {date} at {time} ({location}).",
    ),
    m("notice.workshop_cancelled.title", "Atelier annulé", "Workshop cancelled"),
    m(
        "notice.workshop_cancelled.body",
        "L'atelier « {title} » du {date} à {time} est annulé.",
        "The workshop “{title}” on {date} at {time} is cancelled.",
    ),
    m("notice.workshop_cancelled_with_reason.title", "Atelier annulé", "Workshop cancelled"),
    m(
        "notice.workshop_cancelled_with_reason.body",
        "L'atelier « {title} » du {date} à {time} est annulé. Raison : {reason}",
        "The workshop “{title}” on {date} at {time} is cancelled. Reason: {reason}",
    ),
    m("notice.workshop_seat_confirmed.title", "Votre place est confirmée", "Your seat is confirmed"),
    m(
        "notice.workshop_seat_confirmed.body",
        "Une place s'est libérée : vous êtes inscrit·e à l'atelier « {title} » du {date} à {time}.",
        "A seat became free: you are now enrolled in the workshop “{title}” on {date} at {time}.",
    ),
    m("notice.workshop_seat_confirmed_for_member.title", "Place confirmée", "Seat confirmed"),
    m(
        "notice.workshop_seat_confirmed_for_member.body",
        "Une place s'est libérée à l'atelier « {title} » : la personne que vous avez inscrite y a maintenant sa place.",
        "A seat became free in the workshop “{title}”: the person you enrolled now has a seat.",
    ),
    m("notice.workshop_enrolled.title", "Inscription à un atelier", "Enrolled in a workshop"),
    m(
        "notice.workshop_enrolled.body",
        "{counsellor} vous a inscrit·e à l'atelier « {title} » du {date} à {time} ({location}).",
        "{counsellor} enrolled you in the workshop “{title}” on {date} at {time} ({location}).",
    ),
    m("notice.workshop_waitlisted.title", "Inscription à un atelier", "Enrolled in a workshop"),
    m(
        "notice.workshop_waitlisted.body",
        "{counsellor} vous a inscrit·e sur la liste d'attente de l'atelier « {title} » du {date} à {time}. \
         Vous serez prévenu·e si une place se libère.",
        "{counsellor} put you on the waiting list of the workshop “{title}” on {date} at {time}. \
         We will tell you if a seat becomes free.",
    ),
    m("notice.workshop_enrolment_cancelled.title", "Inscription annulée", "Enrolment cancelled"),
    m(
        "notice.workshop_enrolment_cancelled.body",
        "{person} a annulé votre inscription à l'atelier « {title} » du {date} à {time}.",
        "{person} cancelled your enrolment in the workshop “{title}” on {date} at {time}.",
    ),
];
