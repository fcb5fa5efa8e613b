//! Route registration: every documented route of the API, the one list that
//! `startup` mounts and `openapi::document` reads. The top of the crate: it
//! calls into every area and nothing calls back into it but those two.

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    accompaniments, accounts, adaptive, assessments, credentials, impact, journey, lessons, mail, mentoring,
    notifications, operations, organizations, partners, privacy, skills, training, webhooks, workshops,
};

/// Every documented route of the API.
pub fn api_routes(cfg: &mut ServiceConfig) {
    operations::routes::configure(cfg);
    credentials::routes::configure_root(cfg);
    cfg.service(
        scope("/api/v1")
            .configure(accounts::routes::configure)
            .configure(privacy::routes::configure)
            .configure(notifications::routes::configure)
            .configure(organizations::routes::configure)
            .configure(training::routes::configure)
            .configure(accompaniments::routes::configure)
            .configure(journey::routes::configure)
            .configure(skills::routes::configure)
            .configure(workshops::routes::configure)
            .configure(assessments::routes::configure)
            .configure(impact::routes::configure)
            .configure(mentoring::routes::configure)
            .configure(lessons::routes::configure)
            .configure(adaptive::routes::configure)
            .configure(mail::routes::configure)
            .configure(webhooks::routes::configure)
            .configure(partners::routes::configure)
            .configure(credentials::routes::configure),
    );
}
