//! Impose-toi !: the programme and its modules, workshop sessions, enrolment
//! that never overbooks, waiting lists, attendance and calendars.

pub mod calendar;
pub mod dto;
pub mod ical;
pub mod routes;
pub mod service;
