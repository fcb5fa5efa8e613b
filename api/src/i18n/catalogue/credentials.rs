//! Texts of the achievements (Open Badges) and of their notices. A
//! credential itself is issued in French (`inLanguage: "fr"`); the member's
//! own views of their awards read the language of the request.

use super::{Message, m};

pub const MESSAGES: &[Message] = &[
    m(
        "achievement.digcomp_level.name",
        "DigComp {code} {competence} : niveau {level}",
        "DigComp {code} {competence}: level {level}",
    ),
    m(
        "achievement.digcomp_level.description",
        "A atteint le niveau {level} ({band}) du cadre européen DigComp 2.2 pour « {competence} ».",
        "Reached level {level} ({band}) of the European DigComp 2.2 framework in \"{competence}\".",
    ),
    m(
        "achievement.digcomp_level.criteria",
        "Terminer sur NumériZen, avec chaque exercice finalement réussi, une leçon de niveau {level} liée à « {competence} ».",
        "Complete on NumériZen, with every exercise eventually answered right, a level {level} lesson tied to \"{competence}\".",
    ),
    m("achievement.band.foundation", "fondamental", "foundation"),
    m("achievement.band.intermediate", "intermédiaire", "intermediate"),
    m("achievement.band.advanced", "avancé", "advanced"),
    m("achievement.band.specialised", "hautement spécialisé", "highly specialised"),
    m("achievement.module.name", "Impose-toi ! : {module}", "Impose-toi!: {module}"),
    m(
        "achievement.module.description",
        "A participé au module « {module} » du programme Impose-toi ! : {summary}",
        "Took part in the \"{module}\" module of the Impose-toi! programme: {summary}",
    ),
    m(
        "achievement.module.criteria",
        "Être présent à un atelier du module « {module} », présence notée par l'animateur ou l'animatrice.",
        "Attend a workshop of the \"{module}\" module, attendance recorded by the facilitator.",
    ),
    m("achievement.programme.name", "Impose-toi ! : programme complet", "Impose-toi!: whole programme"),
    m(
        "achievement.programme.description",
        "A suivi les trois modules du programme Impose-toi ! : se révéler, s'affirmer, s'imposer.",
        "Took part in all three modules of the Impose-toi! programme: reveal, assert, stand out.",
    ),
    m(
        "achievement.programme.criteria",
        "Être présent à un atelier de chacun des trois modules du programme, présences notées par l'animation.",
        "Attend a workshop of each of the programme's three modules, attendance recorded by the facilitators.",
    ),
    m("achievement.enchanteur.name", "Enchanteur", "Enchanteur (mentor)"),
    m(
        "achievement.enchanteur.description",
        "A partagé son savoir-faire avec d'autres personnes comme mentor Enchanté.",
        "Shared their know-how with other people as an Enchanté mentor.",
    ),
    m(
        "achievement.enchanteur.criteria",
        "Mener à terme trois mentorats Enchanté, chacun avec l'avis de la personne accompagnée.",
        "Complete three Enchanté mentoring matches, each with the learner's feedback.",
    ),
    m("achievement.placement.name", "NumériZen : test de positionnement", "NumériZen: placement test"),
    m(
        "achievement.placement.description",
        "A fait le point sur ses compétences numériques dans les cinq domaines de DigComp 2.2.",
        "Took stock of their digital skills in the five areas of DigComp 2.2.",
    ),
    m(
        "achievement.placement.criteria",
        "Aller au bout du test de positionnement adaptatif de NumériZen.",
        "Finish the adaptive placement test of NumériZen.",
    ),
    m("notice.credential_awarded.title", "Nouveau badge", "New badge"),
    m(
        "notice.credential_awarded.body",
        "Bravo ! Vous avez obtenu un badge : {achievement}. Vous pouvez le partager.",
        "Well done! You earned a badge: {achievement}. You can share it.",
    ),
    m("notice.credential_revoked.title", "Badge retiré", "Badge withdrawn"),
    m(
        "notice.credential_revoked.body",
        "Votre badge « {achievement} » a été retiré. Raison : {reason}",
        "Your badge \"{achievement}\" was withdrawn. Reason: {reason}",
    ),
    m(
        "field.credential_no_email",
        "Ce compte n'a pas d'adresse e-mail à ajouter au badge.",
        "This account has no email address to add to the badge.",
    ),
    m(
        "field.revoke_reason",
        "Donnez une raison (1 à 500 caractères).",
        "Give a reason (1 to 500 characters).",
    ),
    m("problem.credential_revoked", "Ce badge est déjà retiré.", "This badge is already withdrawn."),
];
