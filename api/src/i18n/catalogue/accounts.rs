//! Texts of accounts, sessions, accompaniments and organisations.

use super::{Message, m};

pub const MESSAGES: &[Message] = &[
    // Problems: an accompaniment says more than the generic text of its code.
    m(
        "problem.consent_wording_outdated.in_person",
        "Le texte de consentement a changé. Relisez-le avec la personne avant de continuer.",
        "The consent text has changed. Read it again with the person before going on.",
    ),
    m(
        "problem.invalid_transition.accompaniment_pending",
        "Impossible : cet accompagnement est en attente de réponse.",
        "Not possible: this accompaniment is still waiting for an answer.",
    ),
    m(
        "problem.invalid_transition.accompaniment_active",
        "Impossible : cet accompagnement est déjà accepté.",
        "Not possible: this accompaniment is already accepted.",
    ),
    m(
        "problem.invalid_transition.accompaniment_refused",
        "Impossible : cet accompagnement est refusé.",
        "Not possible: this accompaniment was refused.",
    ),
    m(
        "problem.invalid_transition.accompaniment_revoked",
        "Impossible : cet accompagnement est terminé.",
        "Not possible: this accompaniment has ended.",
    ),
    // Field messages.
    m(
        "field.email_missing_at",
        "L'adresse email doit contenir un @.",
        "The email address must contain an @.",
    ),
    // Notifications.
    m("notice.accompaniment_requested.title", "Demande d'accompagnement", "Request for accompaniment"),
    m(
        "notice.accompaniment_requested.body",
        "{counsellor} aimerait vous accompagner. Il ou elle ne verra votre parcours que si vous êtes d'accord. Vous pouvez accepter ou refuser.",
        "{counsellor} would like to accompany you. They will only see your journey if you agree. You can accept or refuse.",
    ),
    m("notice.accompaniment_consented.title", "Accompagnement accepté", "Accompaniment accepted"),
    m(
        "notice.accompaniment_consented.body",
        "{member} a accepté votre accompagnement. Vous pouvez voir son parcours.",
        "{member} accepted your accompaniment. You can see their journey.",
    ),
    m(
        "notice.accompaniment_refused.title",
        "Demande d'accompagnement refusée",
        "Request for accompaniment refused",
    ),
    m(
        "notice.accompaniment_refused.body",
        "{member} a refusé votre demande d'accompagnement.",
        "{member} refused your request for accompaniment.",
    ),
    m("notice.accompaniment_revoked_by_member.title", "Accompagnement terminé", "Accompaniment ended"),
    m(
        "notice.accompaniment_revoked_by_member.body",
        "{person} a mis fin à l'accompagnement. Vous ne pouvez plus voir son parcours.",
        "{person} ended the accompaniment. You can no longer see their journey.",
    ),
    m("notice.accompaniment_revoked_by_counsellor.title", "Accompagnement terminé", "Accompaniment ended"),
    m(
        "notice.accompaniment_revoked_by_counsellor.body",
        "{person} a mis fin à l'accompagnement. Il ou elle ne peut plus voir votre parcours.",
        "{person} ended the accompaniment. They can no longer see your journey.",
    ),
    m("notice.account_opened_in_person.title", "Votre compte est ouvert", "Your account is open"),
    m(
        "notice.account_opened_in_person.body",
        "Bienvenue ! {counsellor} vous accompagne sur Tremplin. Vous pouvez retirer votre accord à tout moment.",
        "Welcome! {counsellor} accompanies you on Tremplin. You can withdraw your consent at any time.",
    ),
    m(
        "notice.password_reset_by_counsellor.title",
        "Nouveau mot de passe provisoire",
        "New temporary password",
    ),
    m(
        "notice.password_reset_by_counsellor.body",
        "{counsellor} vous a donné un mot de passe provisoire. Vous choisirez le vôtre à la prochaine connexion. Ce n'était pas vous qui l'avez demandé ? Parlez-en à votre conseiller ou conseillère.",
        "{counsellor} gave you a temporary password. You will choose your own at your next sign-in. You did not ask for it? Talk to your counsellor.",
    ),
];
