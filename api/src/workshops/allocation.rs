//! The pure rules of seats: how the counts add up, how many of the waiting
//! list a free seat promotes, where a newcomer goes, and until when a member
//! may give up their own seat.
//!
//! No database, no clock of its own (`now` is passed in): `seats.rs`,
//! `enrolments.rs` and `views.rs` apply these rules to rows they read.

use chrono::{DateTime, Duration, Utc};
use entity::enrolment::EnrolmentStatus;
use entity::workshop::{self, WorkshopStatus};

/// Seats held and people waiting, per workshop.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Seats {
    pub seated: i32,
    pub waiting: i32,
}

impl Seats {
    /// Counts `n` active enrolments of `status`: waiting when waitlisted,
    /// else seated (confirmed, attended, no-show all hold the seat).
    pub fn add(&mut self, status: EnrolmentStatus, n: i64) {
        if status == EnrolmentStatus::Waitlisted {
            self.waiting += n as i32;
        } else {
            self.seated += n as i32;
        }
    }

    /// Seats nobody holds (0 when full, even if a capacity cut left it overfull).
    pub fn left(self, capacity: i32) -> i32 {
        std::cmp::max(capacity - self.seated, 0)
    }

    /// The counts once the first `n` of the waiting list took a seat.
    pub fn promoted(self, n: i32) -> Seats {
        Seats { seated: self.seated + n, waiting: self.waiting - n }
    }
}

/// How many from the head of the waiting list take a seat now: as many as
/// seats are free and people wait, while the session is scheduled and still
/// to come; none otherwise.
pub fn promotions(workshop: &workshop::Model, seats: Seats, now: DateTime<Utc>) -> i32 {
    let free = workshop.capacity - seats.seated;
    if workshop.status != WorkshopStatus::Scheduled
        || workshop.starts_at <= now
        || free <= 0
        || seats.waiting == 0
    {
        return 0;
    }
    std::cmp::min(free, seats.waiting)
}

/// Where a newcomer goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// A seat, confirmed at once.
    Seat,
    /// This position (1-based) at the end of the waiting list.
    Queue(i32),
}

/// A seat while one is free and nobody waits, else the end of the queue: a
/// newcomer never passes someone who waited.
pub fn placement(capacity: i32, seats: Seats) -> Placement {
    if seats.seated < capacity && seats.waiting == 0 {
        Placement::Seat
    } else {
        Placement::Queue(seats.waiting + 1)
    }
}

/// The last instant a member may cancel their own enrolment.
pub fn cancellation_deadline(workshop: &workshop::Model) -> DateTime<Utc> {
    workshop.starts_at - Duration::hours(i64::from(workshop.cancellation_deadline_hours))
}

/// Too late for a member to cancel themself: past the deadline of a session
/// still scheduled (a cancelled session may always be left).
pub fn too_late_to_cancel(workshop: &workshop::Model, now: DateTime<Utc>) -> bool {
    now > cancellation_deadline(workshop) && workshop.status == WorkshopStatus::Scheduled
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use uuid::Uuid;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 10, 10, 0, 0).unwrap()
    }

    fn session(capacity: i32, starts_in_hours: i64) -> workshop::Model {
        let starts_at = now() + Duration::hours(starts_in_hours);
        workshop::Model {
            id: Uuid::nil(),
            module_id: Uuid::nil(),
            facilitator_id: Uuid::nil(),
            title: "Se révéler".into(),
            description: None,
            starts_at,
            ends_at: starts_at + Duration::hours(2),
            location: "Le POLE".into(),
            place_id: None,
            capacity,
            cancellation_deadline_hours: 24,
            status: WorkshopStatus::Scheduled,
            sequence: 0,
            cancelled_at: None,
            cancel_reason: None,
            created_by: Uuid::nil(),
            created_at: now(),
            updated_at: now(),
        }
    }

    fn seats(seated: i32, waiting: i32) -> Seats {
        Seats { seated, waiting }
    }

    #[test]
    fn counts_waitlisted_as_waiting_and_every_other_active_status_as_seated() {
        let mut counts = Seats::default();
        counts.add(EnrolmentStatus::Confirmed, 3);
        counts.add(EnrolmentStatus::Waitlisted, 2);
        counts.add(EnrolmentStatus::Attended, 1);
        counts.add(EnrolmentStatus::NoShow, 1);
        assert_eq!(counts, seats(5, 2));
    }

    #[test]
    fn seats_left_never_goes_below_zero() {
        assert_eq!(seats(3, 0).left(5), 2);
        assert_eq!(seats(5, 4).left(5), 0);
        assert_eq!(seats(7, 0).left(5), 0);
    }

    #[test]
    fn promoting_moves_people_from_the_queue_to_seats() {
        assert_eq!(seats(4, 3).promoted(2), seats(6, 1));
        assert_eq!(seats(4, 3).promoted(0), seats(4, 3));
    }

    #[test]
    fn a_free_seat_goes_to_as_many_as_wait_up_to_the_free_seats() {
        let workshop = session(10, 48);
        assert_eq!(promotions(&workshop, seats(8, 5), now()), 2);
        assert_eq!(promotions(&workshop, seats(8, 1), now()), 1);
        assert_eq!(promotions(&workshop, seats(9, 3), now()), 1);
    }

    #[test]
    fn nobody_is_promoted_without_a_free_seat_or_a_queue() {
        let workshop = session(10, 48);
        assert_eq!(promotions(&workshop, seats(10, 4), now()), 0);
        assert_eq!(promotions(&workshop, seats(12, 4), now()), 0);
        assert_eq!(promotions(&workshop, seats(3, 0), now()), 0);
    }

    #[test]
    fn nobody_is_promoted_into_a_session_cancelled_or_begun() {
        let mut cancelled = session(10, 48);
        cancelled.status = WorkshopStatus::Cancelled;
        assert_eq!(promotions(&cancelled, seats(2, 4), now()), 0);
        assert_eq!(promotions(&session(10, 0), seats(2, 4), now()), 0);
        assert_eq!(promotions(&session(10, -1), seats(2, 4), now()), 0);
    }

    #[test]
    fn a_newcomer_gets_a_seat_only_when_one_is_free_and_nobody_waits() {
        assert_eq!(placement(10, seats(9, 0)), Placement::Seat);
        assert_eq!(placement(10, seats(10, 0)), Placement::Queue(1));
        assert_eq!(placement(10, seats(10, 3)), Placement::Queue(4));
        // A free seat beside a queue is not for the newcomer.
        assert_eq!(placement(10, seats(8, 2)), Placement::Queue(3));
    }

    #[test]
    fn a_member_may_cancel_until_the_deadline_of_a_scheduled_session() {
        let workshop = session(10, 48);
        assert_eq!(cancellation_deadline(&workshop), now() + Duration::hours(24));
        assert!(!too_late_to_cancel(&workshop, now()));
        assert!(!too_late_to_cancel(&workshop, now() + Duration::hours(24)));
        assert!(too_late_to_cancel(&workshop, now() + Duration::hours(25)));
        let mut cancelled = workshop;
        cancelled.status = WorkshopStatus::Cancelled;
        assert!(!too_late_to_cancel(&cancelled, now() + Duration::hours(25)));
    }
}
