//! iCalendar (RFC 5545) by hand: the little this service publishes does not
//! need a crate. Lines end with CRLF and are folded at 75 octets (on character
//! boundaries), text is escaped, times are local to Europe/Paris with its
//! VTIMEZONE, and every event keeps the UID and SEQUENCE it is given, so that
//! calendar applications update events instead of duplicating them.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Paris;

pub const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";
const TZID: &str = "Europe/Paris";
const MAX_OCTETS: usize = 75;

/// The definition of Europe/Paris since 1996 (EU summer time rules).
const VTIMEZONE: [&str; 18] = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "X-LIC-LOCATION:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// One event as the calendar shows it.
#[derive(Debug, Clone)]
pub struct Event {
    /// Stable across regenerations, e.g. `workshop-<uuid>@tremplin`.
    pub uid: String,
    /// Raised at every change.
    pub sequence: i32,
    /// When the event was last revised (DTSTAMP and LAST-MODIFIED).
    pub revised_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub summary: String,
    pub location: String,
    pub description: Option<String>,
    pub cancelled: bool,
}

/// A whole VCALENDAR with the Europe/Paris time zone and `events`.
pub fn calendar(name: &str, events: &[Event]) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//Tremplin//Impose-toi !//FR".into(),
        "CALSCALE:GREGORIAN".into(),
        format!("X-WR-CALNAME:{}", escape(name)),
        format!("X-WR-TIMEZONE:{TZID}"),
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H".into(),
        "X-PUBLISHED-TTL:PT1H".into(),
    ];
    lines.extend(VTIMEZONE.iter().map(|line| (*line).to_owned()));
    for event in events {
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", escape(&event.uid)));
        lines.push(format!("DTSTAMP:{}", utc(event.revised_at)));
        lines.push(format!("CREATED:{}", utc(event.created_at)));
        lines.push(format!("LAST-MODIFIED:{}", utc(event.revised_at)));
        lines.push(format!("SEQUENCE:{}", event.sequence.max(0)));
        lines.push(format!("DTSTART;TZID={TZID}:{}", paris(event.starts_at)));
        lines.push(format!("DTEND;TZID={TZID}:{}", paris(event.ends_at)));
        lines.push(format!("SUMMARY:{}", escape(&event.summary)));
        lines.push(format!("LOCATION:{}", escape(&event.location)));
        if let Some(description) = &event.description {
            lines.push(format!("DESCRIPTION:{}", escape(description)));
        }
        lines.push(format!("STATUS:{}", if event.cancelled { "CANCELLED" } else { "CONFIRMED" }));
        lines.push("TRANSP:OPAQUE".into());
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in &lines {
        fold(line, &mut out);
    }
    out
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

fn paris(at: DateTime<Utc>) -> String {
    at.with_timezone(&Paris).format("%Y%m%dT%H%M%S").to_string()
}

/// TEXT value escaping (RFC 5545 §3.3.11).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded at 75 octets, never inside a UTF-8 character; each
/// continuation starts with one space (which counts in its 75 octets).
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > MAX_OCTETS {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(summary: &str) -> Event {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        Event {
            uid: "workshop-1@tremplin".into(),
            sequence: 2,
            revised_at: at("2026-02-01T08:30:00Z"),
            created_at: at("2026-01-15T10:00:00Z"),
            starts_at: at("2026-03-10T09:00:00Z"),
            ends_at: at("2026-07-01T08:00:00Z"),
            summary: summary.into(),
            location: "Tiers-lieu Efficience, 1 rue X; Épinay".into(),
            description: Some("Ligne 1\nLigne 2, avec \\ et ;".into()),
            cancelled: true,
        }
    }

    #[test]
    fn times_are_local_to_paris_in_winter_and_summer() {
        let text = calendar("Test", &[event("Se révéler")]);
        assert!(text.contains("DTSTART;TZID=Europe/Paris:20260310T100000\r\n"), "{text}");
        assert!(text.contains("DTEND;TZID=Europe/Paris:20260701T100000\r\n"), "{text}");
        assert!(text.contains("DTSTAMP:20260201T083000Z\r\n"));
        assert!(text.contains("SEQUENCE:2\r\n") && text.contains("STATUS:CANCELLED\r\n"));
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne\r"), "a\\,b\\;c\\\\d\\ne");
        let text = calendar("Test", &[event("x")]);
        assert!(text.contains("LOCATION:Tiers-lieu Efficience\\, 1 rue X\\; Épinay\r\n"));
        assert!(text.contains("DESCRIPTION:Ligne 1\\nLigne 2\\, avec \\\\ et \\;\r\n"));
    }

    #[test]
    fn long_lines_are_folded_at_75_octets_on_character_boundaries() {
        let summary = "Atelier « S'affirmer » : prendre la parole, se présenter, pitcher — ".repeat(4);
        let text = calendar("Test", &[event(&summary)]);
        assert!(text.split("\r\n").all(|line| line.len() <= 75), "{text}");
        assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
        let unfolded = text.replace("\r\n ", "");
        let line = unfolded.lines().find(|l| l.starts_with("SUMMARY:")).unwrap();
        assert_eq!(line, format!("SUMMARY:{}", escape(&summary)));
    }
}
