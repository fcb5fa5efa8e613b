//! Texts of Enchanté (mentoring): its problems and field messages, the
//! notices of a match's life, and the reasons of each score factor.

use super::{Message, m};

pub const MESSAGES: &[Message] = &[
    // Problems: a change a match's status no longer allows says which it is.
    m(
        "problem.invalid_transition.match_proposed",
        "Impossible : cette mise en relation est seulement proposée.",
        "Not possible: this match is only proposed.",
    ),
    m(
        "problem.invalid_transition.match_requested",
        "Impossible : cette mise en relation est en attente de réponse.",
        "Not possible: this match is waiting for an answer.",
    ),
    m(
        "problem.invalid_transition.match_accepted",
        "Impossible : cette mise en relation est déjà acceptée.",
        "Not possible: this match is already accepted.",
    ),
    m(
        "problem.invalid_transition.match_declined",
        "Impossible : cette mise en relation est refusée.",
        "Not possible: this match was declined.",
    ),
    m(
        "problem.invalid_transition.match_withdrawn",
        "Impossible : cette mise en relation est retirée.",
        "Not possible: this match was withdrawn.",
    ),
    m(
        "problem.invalid_transition.match_expired",
        "Impossible : cette mise en relation est expirée.",
        "Not possible: this match has expired.",
    ),
    m(
        "problem.invalid_transition.match_completed",
        "Impossible : cette mise en relation est terminée.",
        "Not possible: this match is completed.",
    ),
    m(
        "problem.invalid_transition.match_cancelled",
        "Impossible : cette mise en relation est annulée.",
        "Not possible: this match was cancelled.",
    ),
    m(
        "problem.too_many_open_requests.mentoring",
        "Vous avez déjà {max} demandes en cours : attendez une réponse, ou terminez-en une, avant d'en ouvrir une autre.",
        "You already have {max} requests under way: wait for an answer, or close one, before opening another.",
    ),
    // Field messages.
    m(
        "field.postcode",
        "Code postal attendu : 5 chiffres (ex. : 93800).",
        "Expected postcode: 5 digits (e.g. 93800).",
    ),
    m("field.clock", "Heure attendue au format HH:MM (ex. : 18:30).", "Expected time as HH:MM (e.g. 18:30)."),
    m("field.modalities_unique", "Chaque modalité une seule fois.", "Each modality only once."),
    m(
        "field.slot_end_before_start",
        "La fin doit être après le début, le même jour.",
        "The end must be after the start, on the same day.",
    ),
    m("field.requested_skill_unknown", "Cette compétence n'existe pas.", "This skill does not exist."),
    m(
        "field.own_request_unknown",
        "Vous n'avez pas de demande avec cet identifiant.",
        "You have no request with this id.",
    ),
    m(
        "field.cohort_request_unknown",
        "Aucune demande accessible ne porte cet identifiant.",
        "No request you may hand over has this id.",
    ),
    m("field.request_not_open", "Cette demande n'est plus ouverte.", "This request is no longer open."),
    m(
        "field.request_match_pending",
        "Cette demande a déjà une mise en relation en cours.",
        "This request already has a match under way.",
    ),
    m("field.mentor_unknown", "Ce mentor n'existe pas.", "This mentor does not exist."),
    m("field.cohort_mentor_unknown", "Aucun mentor ne porte cet identifiant.", "No mentor has this id."),
    m("field.mentor_self", "Vous ne pouvez pas être votre propre mentor.", "You cannot be your own mentor."),
    m(
        "field.mentor_skill_not_offered",
        "Ce mentor ne propose pas cette compétence.",
        "This mentor does not offer this skill.",
    ),
    m(
        "field.mentor_not_accepting",
        "Ce mentor n'accepte pas de nouvelles demandes pour le moment.",
        "This mentor is not taking new requests for now.",
    ),
    m(
        "field.mentor_at_capacity",
        "Ce mentor accompagne déjà autant de personnes qu'il le peut.",
        "This mentor already mentors as many people as they can.",
    ),
    m(
        "field.mentor_no_shared_language",
        "Vous n'avez pas de langue en commun avec ce mentor.",
        "You have no language in common with this mentor.",
    ),
    m(
        "field.mentor_no_common_modality",
        "Ce mentor ne propose aucune des façons de se rencontrer demandées.",
        "This mentor offers none of the ways of meeting asked for.",
    ),
    m(
        "field.not_yourself",
        "Cette action ne vous concerne pas vous-même.",
        "You cannot do this to yourself.",
    ),
    m("field.person_unknown", "Aucun compte ne porte cet identifiant.", "No account has this id."),
    m(
        "field.shared_match_unknown",
        "Aucune mise en relation entre vous et cette personne ne porte cet identifiant.",
        "No match between you and this person has this id.",
    ),
    // Notifications: `{person}` is whoever acted, `{skill}` the skill's name.
    m("notice.match_requested.title", "Nouvelle demande de mentorat", "New mentoring request"),
    m(
        "notice.match_requested.body",
        "{person} aimerait apprendre « {skill} » avec vous. Vous pouvez accepter ou refuser.",
        "{person} would like to learn “{skill}” with you. You can accept or decline.",
    ),
    m("notice.match_accepted.title", "Demande acceptée", "Request accepted"),
    m(
        "notice.match_accepted.body",
        "{person} accepte de vous accompagner pour « {skill} ». Ses coordonnées sont dans la mise en relation.",
        "{person} agrees to mentor you in “{skill}”. Their contact details are in the match.",
    ),
    m("notice.match_declined.title", "Demande refusée", "Request declined"),
    m(
        "notice.match_declined.body",
        "{person} ne peut pas vous accompagner pour « {skill} » en ce moment. Vous pouvez demander à un autre mentor.",
        "{person} cannot mentor you in “{skill}” right now. You can ask another mentor.",
    ),
    m("notice.match_declined_with_reason.title", "Demande refusée", "Request declined"),
    m(
        "notice.match_declined_with_reason.body",
        "{person} ne peut pas vous accompagner pour « {skill} » en ce moment. Vous pouvez demander à un autre mentor. \
         Raison donnée : {reason}",
        "{person} cannot mentor you in “{skill}” right now. You can ask another mentor. Reason given: {reason}",
    ),
    m("notice.match_withdrawn.title", "Demande retirée", "Request withdrawn"),
    m(
        "notice.match_withdrawn.body",
        "{person} a retiré sa demande pour « {skill} ».",
        "{person} withdrew their request for “{skill}”.",
    ),
    m("notice.match_cancelled.title", "Mise en relation annulée", "Match cancelled"),
    m(
        "notice.match_cancelled.body",
        "{person} a mis fin à la mise en relation pour « {skill} ».",
        "{person} ended the match for “{skill}”.",
    ),
    m("notice.match_cancelled_with_reason.title", "Mise en relation annulée", "Match cancelled"),
    m(
        "notice.match_cancelled_with_reason.body",
        "{person} a mis fin à la mise en relation pour « {skill} ». Raison donnée : {reason}",
        "{person} ended the match for “{skill}”. Reason given: {reason}",
    ),
    m("notice.match_completed.title", "Mentorat terminé", "Mentoring completed"),
    m(
        "notice.match_completed.body",
        "{person} a indiqué que le mentorat pour « {skill} » est terminé. Vous pouvez donner votre avis.",
        "{person} marked the mentoring in “{skill}” as completed. You can give your feedback.",
    ),
    m("notice.match_proposed.title", "Un mentor vous est proposé", "A mentor is proposed to you"),
    m(
        "notice.match_proposed.body",
        "{proposer} vous propose {mentor} comme mentor pour « {skill} ». Vous pouvez envoyer la demande, ou la retirer.",
        "{proposer} proposes {mentor} as your mentor in “{skill}”. You can send the request, or withdraw it.",
    ),
    m("notice.match_session_planned.title", "Rencontre prévue", "Meeting planned"),
    m(
        "notice.match_session_planned.body",
        "{person} a prévu une rencontre le {date} à {time} (heure de Paris), pendant {minutes} minutes.",
        "{person} planned a meeting on {date} at {time} (Paris time), for {minutes} minutes.",
    ),
    m("notice.match_expired_for_learner.title", "Demande sans réponse", "Request unanswered"),
    m(
        "notice.match_expired_for_learner.body",
        "Le mentor n'a pas répondu à temps. Vous pouvez demander à un autre mentor.",
        "The mentor did not answer in time. You can ask another mentor.",
    ),
    m("notice.match_expired_for_mentor.title", "Demande expirée", "Request expired"),
    m(
        "notice.match_expired_for_mentor.body",
        "Une demande de mentorat est restée sans réponse et a expiré.",
        "A mentoring request was left unanswered and has expired.",
    ),
    // Score reasons, one sentence per factor a counsellor can read out.
    m(
        "reason.skill_level_ahead",
        "Niveau {offered}/8 pour un objectif de niveau {target} : assez d'avance pour guider.",
        "Level {offered}/8 for a target of level {target}: far enough ahead to guide.",
    ),
    m(
        "reason.skill_level_equal",
        "Niveau {offered}/8, égal à l'objectif visé : peut aider, avec peu d'avance.",
        "Level {offered}/8, the same as the target: can help, with little lead.",
    ),
    m(
        "reason.skill_level_just_below",
        "Niveau {offered}/8, juste sous l'objectif de niveau {target} : une aide pour débuter.",
        "Level {offered}/8, just below the target of level {target}: a help to get started.",
    ),
    m(
        "reason.skill_level_far",
        "Niveau {offered}/8, loin de l'objectif de niveau {target}.",
        "Level {offered}/8, far from the target of level {target}.",
    ),
    m(
        "reason.availability_learner_unknown",
        "La personne n'a pas indiqué ses disponibilités.",
        "The learner has not given their availability.",
    ),
    m(
        "reason.availability_mentor_unknown",
        "Le mentor n'a pas indiqué ses disponibilités.",
        "The mentor has not given their availability.",
    ),
    m(
        "reason.availability_none",
        "Aucun créneau en commun dans la semaine.",
        "No time in common during the week.",
    ),
    m(
        "reason.availability_shared",
        "{duration} de disponibilités en commun par semaine (fuseaux horaires pris en compte).",
        "{duration} of availability in common per week (time zones taken into account).",
    ),
    m(
        "reason.modality_same_sector",
        "Même secteur : se rencontrer en personne est possible.",
        "Same area: meeting in person is possible.",
    ),
    m(
        "reason.modality_elsewhere_remote",
        "Pas dans le même département, mais possible en visio.",
        "Not in the same département, but possible by video call.",
    ),
    m(
        "reason.modality_elsewhere_phone",
        "Pas dans le même département, mais possible par téléphone.",
        "Not in the same département, but possible by phone.",
    ),
    m("reason.modality_remote", "Échanges en visio, comme souhaité.", "Meetings by video call, as wished."),
    m("reason.modality_phone", "Échanges par téléphone, comme souhaité.", "Talks by phone, as wished."),
    m(
        "reason.modality_too_far",
        "Rencontre en personne souhaitée, mais pas dans le même département.",
        "Meeting in person wished, but not in the same département.",
    ),
    m(
        "reason.load_free",
        "Aucun mentorat en cours (jusqu'à {max} à la fois) : pleinement disponible.",
        "No mentoring under way (up to {max} at a time): fully available.",
    ),
    m(
        "reason.load_one",
        "1 mentorat en cours sur {max} possibles.",
        "1 mentoring under way out of {max} possible.",
    ),
    m(
        "reason.load_several",
        "{count} mentorats en cours sur {max} possibles.",
        "{count} mentorings under way out of {max} possible.",
    ),
    m(
        "reason.rating_none",
        "Pas encore d'avis : note de départ {adjusted}/5.",
        "No ratings yet: starting rating {adjusted}/5.",
    ),
    m(
        "reason.rating_one",
        "Note moyenne {mean}/5 sur 1 avis, {adjusted}/5 une fois pondérée par le nombre d'avis.",
        "Average rating {mean}/5 from 1 rating, {adjusted}/5 once weighted by the number of ratings.",
    ),
    m(
        "reason.rating_several",
        "Note moyenne {mean}/5 sur {count} avis, {adjusted}/5 une fois pondérée par le nombre d'avis.",
        "Average rating {mean}/5 from {count} ratings, {adjusted}/5 once weighted by the number of ratings.",
    ),
];
