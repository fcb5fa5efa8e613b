//! SeaORM entities: one module per table. The schema itself is owned by the
//! `migration` crate; these types only describe it to the ORM.

pub mod accompaniment;
pub mod assessment;
pub mod attempt_answer;
pub mod audit_log;
pub mod availability_slot;
pub mod block;
pub mod calendar_feed;
pub mod enrolment;
pub mod exercise;
pub mod idempotency_record;
pub mod learning_day;
pub mod lesson;
pub mod lesson_attempt;
pub mod lesson_version;
pub mod login_failure;
pub mod match_event;
pub mod match_feedback;
pub mod match_request;
pub mod match_session;
pub mod member_skill;
pub mod mentor_language;
pub mod mentor_match;
pub mod mentor_offer;
pub mod mentor_profile;
pub mod notification;
pub mod notification_mention;
pub mod organization;
pub mod organization_member;
pub mod outbound_message;
pub mod placement_answer;
pub mod placement_item;
pub mod placement_test;
pub mod program;
pub mod program_module;
pub mod refresh_token;
pub mod report;
pub mod review_state;
pub mod role;
pub mod search;
pub mod skill;
pub mod user;
pub mod workshop;

pub use role::Role;
