//! The `detail` of every problem code, `problem.<code>`: what a person reads
//! when no route gives a more precise text (`ApiError::conflict(code)` and
//! the like read it). A test checks that every `ErrorCode` has one.

use super::{Message, m};

pub const MESSAGES: &[Message] = &[
    // Requests the framework or the extractors reject.
    m("problem.bad_request", "La requête est mal formée.", "The request is malformed."),
    m(
        "problem.malformed_body",
        "Le JSON envoyé n'est pas valide : {error}",
        "The JSON sent is not valid: {error}",
    ),
    m(
        "problem.malformed_body.unreadable",
        "Le contenu envoyé n'a pas pu être lu.",
        "The content sent could not be read.",
    ),
    m(
        "problem.malformed_query",
        "Paramètres de requête non valides : {error}",
        "Invalid query parameters: {error}",
    ),
    m(
        "problem.malformed_query.unreadable",
        "Paramètres de requête non valides.",
        "Invalid query parameters.",
    ),
    m("problem.malformed_path", "Chemin non valide : {error}", "Invalid path: {error}"),
    m("problem.malformed_path.unreadable", "Chemin non valide.", "Invalid path."),
    m(
        "problem.invalid_cursor",
        "Ce curseur de pagination n'est pas valide.",
        "This pagination cursor is not valid.",
    ),
    m(
        "problem.invalid_idempotency_key",
        "L'en-tête Idempotency-Key doit faire de 1 à 255 caractères visibles.",
        "The Idempotency-Key header must be 1 to 255 visible characters.",
    ),
    m("problem.validation_failed", "Certains champs ne sont pas valides.", "Some fields are not valid."),
    m(
        "problem.payload_too_large",
        "Le contenu envoyé est trop gros (maximum {limit} octets).",
        "The content sent is too large (at most {limit} bytes).",
    ),
    m(
        "problem.unsupported_media_type",
        "Le contenu doit être envoyé en application/json.",
        "The content must be sent as application/json.",
    ),
    m(
        "problem.method_not_allowed",
        "Méthode non prise en charge ici. Méthodes possibles : {allow}.",
        "Method not supported here. Allowed methods: {allow}.",
    ),
    m(
        "problem.request_rejected",
        "La requête a été refusée (HTTP {status}).",
        "The request was refused (HTTP {status}).",
    ),
    m("problem.not_found", "Cette ressource n'existe pas.", "This resource does not exist."),
    m(
        "problem.forbidden",
        "Vous n'avez pas le droit de faire cette action.",
        "You are not allowed to do this.",
    ),
    m(
        "problem.password_change_required",
        "Choisissez d'abord votre propre mot de passe (POST /me/password).",
        "First choose your own password (POST /me/password).",
    ),
    // Sessions.
    m(
        "problem.unauthenticated",
        "Connexion requise ou jeton invalide.",
        "Sign-in required, or the token is not valid.",
    ),
    m(
        "problem.invalid_token",
        "Votre session n'est plus valable : reconnectez-vous.",
        "Your session is no longer valid: sign in again.",
    ),
    m(
        "problem.invalid_credentials",
        "Identifiant ou mot de passe incorrect.",
        "Wrong identifier or password.",
    ),
    m(
        "problem.invalid_refresh_token",
        "Votre session a expiré : reconnectez-vous.",
        "Your session has expired: sign in again.",
    ),
    m(
        "problem.temporary_password_expired",
        "Ce mot de passe provisoire a expiré : demandez-en un nouveau à votre conseiller ou conseillère.",
        "This temporary password has expired: ask your counsellor for a new one.",
    ),
    m(
        "problem.invalid_reset_token",
        "Ce lien n'est plus valable : demandez un nouveau mot de passe.",
        "This link is no longer valid: ask for a new password.",
    ),
    m(
        "problem.invalid_verification_token",
        "Ce lien de confirmation n'est plus valable.",
        "This confirmation link is no longer valid.",
    ),
    m(
        "problem.refresh_token_reused",
        "Par sécurité, toutes vos sessions ont été fermées : reconnectez-vous.",
        "For your safety, all your sessions were closed: sign in again.",
    ),
    m(
        "problem.too_many_requests",
        "Trop de tentatives. Réessayez dans {seconds} secondes.",
        "Too many attempts. Try again in {seconds} seconds.",
    ),
    // Accounts and organisations.
    m(
        "problem.email_taken",
        "Un compte existe déjà avec cette adresse email.",
        "An account already uses this email address.",
    ),
    m(
        "problem.phone_taken",
        "Un compte existe déjà avec ce numéro de téléphone.",
        "An account already uses this phone number.",
    ),
    m(
        "problem.cannot_modify_self",
        "Un administrateur ne peut pas changer son propre rôle ni désactiver son compte.",
        "An administrator cannot change their own role or disable their own account.",
    ),
    m(
        "problem.already_member",
        "Cette personne est déjà rattachée à cette organisation.",
        "This person already belongs to this organisation.",
    ),
    // Accompaniments.
    m(
        "problem.accompaniment_exists",
        "Vous avez déjà une demande en cours ou un accompagnement actif avec cette personne.",
        "You already have a pending request or an active accompaniment with this person.",
    ),
    m(
        "problem.consent_wording_outdated",
        "Le texte de consentement a changé. Relisez-le avant d'accepter.",
        "The consent text has changed. Read it again before accepting.",
    ),
    // Lessons and placement.
    m(
        "problem.skill_code_taken",
        "Une compétence utilise déjà ce code.",
        "Another skill already uses this code.",
    ),
    m("problem.attempt_completed", "Cette leçon est déjà terminée.", "This lesson is already completed."),
    m(
        "problem.attempt_incomplete",
        "Répondez d'abord à chaque exercice : il en reste {count}.",
        "First answer every exercise: {count} left.",
    ),
    m("problem.placement_completed", "Ce test est terminé.", "This test is finished."),
    m(
        "problem.review_not_due",
        "Cet exercice n'est pas encore à revoir : il reviendra au bon moment.",
        "This exercise is not due for review yet: it will come back at the right time.",
    ),
    // Mentoring.
    m(
        "problem.invalid_transition",
        "Ce changement n'est pas possible dans l'état actuel.",
        "This change is not possible in the current state.",
    ),
    m(
        "problem.match_exists",
        "Cette demande a déjà une mise en relation en cours. Attendez sa réponse ou retirez-la.",
        "This request already has a match under way. Wait for the answer or withdraw it.",
    ),
    m("problem.request_not_open", "Cette demande n'est plus ouverte.", "This request is no longer open."),
    m(
        "problem.mentor_at_capacity",
        "Vous accompagnez déjà autant de personnes que prévu dans votre profil de mentor.",
        "You already mentor as many people as your mentor profile allows.",
    ),
    m(
        "problem.too_many_open_requests",
        "Vous avez déjà {max} demandes en cours. Attendez une réponse ou retirez-en une.",
        "You already have {max} requests under way. Wait for an answer or withdraw one.",
    ),
    m(
        "problem.match_not_active",
        "Les rencontres se prévoient une fois la mise en relation acceptée, et avant qu'elle se termine.",
        "Meetings are planned once the match is accepted, and before it ends.",
    ),
    m(
        "problem.match_not_completed",
        "Vous pourrez donner votre avis une fois le mentorat terminé.",
        "You can give your feedback once the mentoring is completed.",
    ),
    m(
        "problem.feedback_exists",
        "Vous avez déjà donné votre avis sur ce mentorat.",
        "You already gave your feedback on this mentoring.",
    ),
    m("problem.already_blocked", "Vous avez déjà bloqué cette personne.", "You already block this person."),
    // Workshops.
    m("problem.workshop_cancelled", "Cette séance est annulée.", "This session is cancelled."),
    m("problem.workshop_started", "Cette séance a déjà commencé.", "This session has already started."),
    m(
        "problem.workshop_not_started",
        "La présence se note une fois la séance commencée.",
        "Attendance is recorded once the session has started.",
    ),
    m(
        "problem.already_enrolled",
        "Cette personne est déjà inscrite (ou sur la liste d'attente).",
        "This person is already enrolled (or on the waiting list).",
    ),
    m(
        "problem.capacity_below_seats_taken",
        "La capacité ne peut pas être inférieure aux places déjà prises.",
        "The capacity cannot be lower than the seats already taken.",
    ),
    m(
        "problem.prerequisite_not_met",
        "Il faut d'abord avoir suivi le module précédent du programme.",
        "The previous module of the programme must be attended first.",
    ),
    m(
        "problem.enrolment_closed",
        "Les inscriptions à cette séance sont closes.",
        "Enrolment for this session is closed.",
    ),
    m(
        "problem.attendance_recorded",
        "La présence est déjà notée : l'inscription ne peut plus être annulée.",
        "Attendance is already recorded: the enrolment can no longer be cancelled.",
    ),
    m(
        "problem.cancellation_deadline_passed",
        "Il est trop tard pour annuler : parlez-en à l'animateur ou à votre conseiller.",
        "It is too late to cancel: ask the facilitator or your counsellor.",
    ),
    m(
        "problem.calendar_feed_changed",
        "Votre lien de calendrier vient d'être changé. Réessayez.",
        "Your calendar link was just changed. Try again.",
    ),
    // Infrastructure.
    m(
        "problem.idempotency_in_progress",
        "La même requête est encore en cours de traitement. Réessayez dans un instant.",
        "The same request is still being processed. Try again shortly.",
    ),
    m(
        "problem.database_unavailable",
        "Le service est momentanément indisponible. Réessayez dans un instant.",
        "The service is unavailable for a moment. Try again shortly.",
    ),
    m("problem.internal_error", "Une erreur interne est survenue.", "An internal error occurred."),
];
