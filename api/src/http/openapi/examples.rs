//! The example of every request body, checked against its Rust type by a unit
//! test. Names the request body types of the areas (their `dto` modules).

use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi as Document, Ref, RefOr};

use super::operations_mut;

/// Declares the example of each request body, by schema name and Rust type; a
/// unit test deserialises every example into its type, so none drifts from the code.
macro_rules! body_examples {
    ($($name:literal: $ty:ty = $example:tt,)+) => {
        fn body_examples() -> Vec<(&'static str, serde_json::Value)> {
            vec![$(($name, serde_json::json!($example)),)+]
        }

        #[cfg(test)]
        fn body_examples_deserialise() -> Vec<(&'static str, Result<(), serde_json::Error>)> {
            vec![$(($name, serde_json::from_value::<$ty>(serde_json::json!($example)).map(drop)),)+]
        }
    };
}

body_examples! {
    "NewApiClient": crate::partners::dto::NewApiClient = {
        "name": "Logiciel de suivi de la Mission locale", "scopes": ["members:read", "impact:read"]
    },
    "TokenForm": crate::partners::dto::TokenForm = {"grant_type": "client_credentials", "scope": "members:read"},
    "NewAccompaniment": crate::accompaniments::dto::NewAccompaniment = {"member_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d01"},
    "ConsentRequest": crate::accompaniments::dto::ConsentRequest = {"wording_version": "2026-11"},
    "NewAssessment": crate::assessments::dto::NewAssessment = {
        "instrument": "rses", "context": "pre", "program_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d02",
        "answers": [3, 2, 3, 3, 2, 2, 3, 2, 2, 3]
    },
    "AnswerRequest": crate::lessons::dto::AnswerRequest = {
        "exercise_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d03", "answer": {"choice_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d04"}
    },
    "LoginRequest": crate::accounts::dto::LoginRequest = {"email": "awa.diallo@example.org", "password": "correct horse battery"},
    "RefreshRequest": crate::accounts::dto::RefreshRequest = {"refresh_token": "c2VjcmV0LXJlZnJlc2gtdG9rZW4"},
    "RegisterRequest": crate::accounts::dto::RegisterRequest = {
        "email": "awa.diallo@example.org", "password": "correct horse battery", "display_name": "Awa", "locale": "fr"
    },
    "NewBlock": crate::mentoring::dto::NewBlock = {"user_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d05"},
    "LessonInput": crate::lessons::dto::LessonInput = {
        "title": "Créer un dossier", "summary": "Ranger ses fichiers dans des dossiers.",
        "skill_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d06", "level": 1, "estimated_minutes": 10, "easy_read": true,
        "exercises": [{
            "kind": "single_choice", "prompt": "Où ranger une facture ?", "explanation": "Dans le dossier Factures.",
            "choices": [{"text": "Dans Factures", "correct": true}, {"text": "Sur le bureau", "correct": false}]
        }]
    },
    "LessonPatch": crate::lessons::dto::LessonPatch = {"title": "Créer et nommer un dossier", "estimated_minutes": 12},
    "NewMatchRequest": crate::mentoring::dto::NewMatchRequest = {
        "skill_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d06", "message": "J'aimerais préparer un entretien.",
        "modalities": ["remote", "in_person"], "languages": ["fr"], "postcode": "93800", "target_level": 3
    },
    "NewMatch": crate::mentoring::dto::NewMatch = {
        "request_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d07", "mentor_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d08",
        "message": "Bonjour, votre profil me correspond."
    },
    "ReasonBody": crate::mentoring::dto::ReasonBody = {"reason": "Je ne suis plus disponible ce mois-ci."},
    "RevokeCredential": crate::credentials::dto::RevokeCredential = {"reason": "Badge attribué par erreur."},
    "VerifyCredential": crate::credentials::dto::VerifyCredential = {
        "credential": "eyJhbGciOiJSUzI1NiIsImtpZCI6IjNfNkJ5Ti1GIiwidHlwIjoidmMrand0In0.eyJuYW1lIjoiLi4uIn0.c2lnbmF0dXJl"
    },
    "NewFeedback": crate::mentoring::dto::NewFeedback = {"rating": 5, "comment": "Des conseils clairs et concrets."},
    "NewSession": crate::mentoring::dto::NewSession = {
        "starts_at": "2030-03-10T17:00:00Z", "duration_minutes": 60, "modality": "in_person",
        "location": "Tiers-lieu Efficience, Épinay-sur-Seine"
    },
    "UpdateMe": crate::accounts::dto::UpdateMe = {"display_name": "Awa D.", "timezone": "Europe/Paris", "daily_goal_xp": 20},
    "AvailabilityInput": crate::mentoring::dto::AvailabilityInput = {
        "timezone": "Europe/Paris", "slots": [{"weekday": 2, "start": "18:00", "end": "20:00"}]
    },
    "MentorProfileInput": crate::mentoring::dto::MentorProfileInput = {
        "bio": "Cheffe de rang, je partage le métier de la salle.", "modalities": ["in_person", "phone"],
        "languages": ["fr", "en"], "max_active_matches": 2, "accepting": true, "postcode": "93800"
    },
    "ReviewAnswer": crate::adaptive::dto::ReviewAnswer = {
        "exercise_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d03", "answer": {"value": true}
    },
    "DeclareSkill": crate::skills::dto::DeclareSkill = {"kind": "want", "level": 2},
    "NewOrganization": crate::organizations::dto::NewOrganization = {
        "name": "Mission locale d'Épinay-sur-Seine", "kind": "mission_locale"
    },
    "CohortInput": crate::mentoring::dto::CohortInput = {
        "request_ids": ["0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d07"], "commit": false
    },
    "OrganizationPatch": crate::organizations::dto::OrganizationPatch = {
        "address": {"street": "1 rue de Paris", "postcode": "93800", "city": "Épinay-sur-Seine", "insee_code": "93031"},
        "phone": "01 48 00 00 00", "website": "https://efficience.example.org",
        "opening_hours": {"timezone": "Europe/Paris", "slots": [{"weekday": 2, "start": "09:30", "end": "17:00"}]},
        "services": ["digital_mediation", "computers_with_internet", "printing"]
    },
    "NewTrainingOffer": crate::training::dto::NewTrainingOffer = {
        "organization_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d0d", "title": "Conseiller médiateur numérique",
        "description": "Accompagner les publics vers l'autonomie numérique.",
        "skills": [{"skill_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d06", "level": 4}],
        "certification_code": "RNCP37245", "modality": "blended", "duration_hours": 400,
        "cost_euros": 0, "funding": ["cpf", "region"]
    },
    "TrainingOfferPatch": crate::training::dto::TrainingOfferPatch = {"duration_hours": 420, "funding": ["cpf", "france_travail"]},
    "NewTrainingSession": crate::training::dto::NewTrainingSession = {
        "starts_on": "2030-03-02", "ends_on": "2030-06-26", "seats": 12, "application_deadline": "2030-02-15"
    },
    "AttachMember": crate::organizations::dto::AttachMember = {
        "user_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d09", "role": "manager"
    },
    "ChangeMembership": crate::organizations::dto::ChangeMembership = {"role": "manager"},
    "PlacementAnswerRequest": crate::adaptive::dto::PlacementAnswerRequest = {
        "exercise_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d03", "answer": {"text": "un navigateur"}
    },
    "NewReport": crate::mentoring::dto::NewReport = {
        "reported_user_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d05", "reason": "Messages insistants après un refus."
    },
    "CreateSkill": crate::skills::dto::CreateSkill = {
        "code": "metier.cuisine", "name": "Cuisine de collectivité", "category": "professional", "level_max": 4,
        "description": "Préparer des repas en grande quantité."
    },
    "UpdateSkill": crate::skills::dto::UpdateSkill = {"name": "Cuisine collective", "level_max": 5},
    "AdminUserUpdate": crate::accounts::dto::AdminUserUpdate = {"role": "counsellor"},
    "NewWorkshop": crate::workshops::dto::NewWorkshop = {
        "module_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d0a", "starts_at": "2030-03-10T09:00:00Z",
        "ends_at": "2030-03-10T11:00:00Z", "location": "Tiers-lieu Efficience, Épinay-sur-Seine", "capacity": 8
    },
    "WorkshopPatch": crate::workshops::dto::WorkshopPatch = {"location": "Le POLE, La Courneuve", "capacity": 10},
    "AttendanceMark": Vec<crate::workshops::dto::AttendanceMark> = [
        {"enrolment_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d0b", "status": "attended"},
        {"enrolment_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d0c", "status": "no_show"}
    ],
    "CancelWorkshop": crate::workshops::dto::CancelWorkshop = {"reason": "L'animatrice est malade."},
    "NewEnrolment": crate::workshops::dto::NewEnrolment = {"member_id": "0192f1c4-8d2e-7c3a-9b1e-4f5a6b7c8d01"},
    "NewAssistedAccount": crate::accompaniments::dto::NewAssistedAccount = {
        "display_name": "Amina K.", "phone": "06 12 34 56 78", "locale": "fr", "consent_wording_version": "2026-11"
    },
    "PasswordResetRequest": crate::accounts::dto::PasswordResetRequest = {"login": "awa.diallo@example.org"},
    "PasswordResetConfirm": crate::accounts::dto::PasswordResetConfirm = {
        "token": "cmVzZXQtdG9rZW4tZnJvbS10aGUtbWFpbA", "new_password": "a new long passphrase"
    },
    "VerifyEmailRequest": crate::accounts::dto::VerifyEmailRequest = {"token": "dmVyaWZ5LXRva2VuLWZyb20tdGhlLW1haWw"},
    "UpdateIdentifiers": crate::accounts::dto::UpdateIdentifiers = {
        "current_password": "correct horse battery", "email": "awa.d@example.org"
    },
    "NewWebhook": crate::webhooks::dto::NewWebhook = {
        "url": "https://suivi.example.org/tremplin/webhooks", "events": ["enrolment.confirmed", "accompaniment.revoked"],
        "description": "Notre outil de suivi"
    },
    "WebhookChanges": crate::webhooks::dto::WebhookChanges = {"paused": true},
    "DeleteMe": crate::privacy::dto::DeleteMe = {"password": "correct horse battery"},
    "ChangePasswordRequest": crate::accounts::dto::ChangePasswordRequest = {
        "current_password": "correct horse battery", "new_password": "a new long passphrase"
    },
}

/// The schema a JSON request body names: `X`, `X | null` or `[X]`.
fn body_schema_name(schema: &RefOr<Schema>) -> Option<&str> {
    let name = |reference: &Ref| reference.ref_location.rsplit('/').next().map(str::to_owned);
    let found = match schema {
        RefOr::Ref(reference) => name(reference),
        RefOr::T(Schema::OneOf(one_of)) => one_of.items.iter().find_map(|item| match item {
            RefOr::Ref(reference) => name(reference),
            _ => None,
        }),
        RefOr::T(Schema::Array(array)) => match &array.items {
            utoipa::openapi::schema::ArrayItems::RefOrSchema(item) => match item.as_ref() {
                RefOr::Ref(reference) => name(reference),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    };
    found.and_then(|found| body_examples().into_iter().map(|(name, _)| name).find(|name| *name == found))
}

/// Every request body shows an example a person can send as it is.
pub(super) fn add_body_examples(document: &mut Document) {
    let examples: std::collections::BTreeMap<_, _> = body_examples().into_iter().collect();
    let operations =
        document.paths.paths.values_mut().flat_map(|item| operations_mut(item).map(|(_, op)| op));
    for operation in operations {
        let Some(RefOr::T(body)) = operation.request_body.as_mut() else { continue };
        // JSON bodies, and the form of the OAuth token endpoint.
        for content in body.content.values_mut() {
            let RefOr::T(content) = content else { continue };
            let name = content.schema.as_ref().and_then(body_schema_name);
            if let Some(example) = name.and_then(|name| examples.get(name)) {
                content.example = Some(example.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_body_example_is_accepted_by_its_type() {
        for (name, parsed) in super::body_examples_deserialise() {
            assert!(parsed.is_ok(), "the example of {name} does not deserialise: {parsed:?}");
        }
    }
}
