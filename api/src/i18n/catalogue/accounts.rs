//! Texts of accounts, sessions, accompaniments and organisations.

use super::{Message, m};

pub const MESSAGES: &[Message] = &[
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
