//! The store's clock. Timestamps are UTC and truncated to microseconds, the precision both
//! PostgreSQL and our SQLite text form keep, so a value reads back exactly as written.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};

pub type Timestamp = DateTime<Utc>;

pub fn now() -> Timestamp {
    truncate(Utc::now())
}

pub fn truncate(t: Timestamp) -> Timestamp {
    t.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(t)
}

/// A timestamp as its JSON text, exactly as chrono's `Serialize` writes it (RFC 3339 in UTC with
/// `Z`, the fraction in 3, 6 or 9 digits as needed, none when whole), written digit by digit:
/// every listed row carries two, and chrono's formatter was a tenth of a page's client work.
/// Years outside 0–9999 and leap seconds, which the store never writes, go through chrono.
pub fn json_text(t: &Timestamp) -> String {
    use chrono::{Datelike, Timelike};
    let (date, time) = (t.date_naive(), t.time());
    let (year, nanos) = (date.year(), time.nanosecond());
    if !(0..=9999).contains(&year) || nanos >= 1_000_000_000 {
        return match serde_json::to_value(t) {
            Ok(serde_json::Value::String(text)) => text,
            _ => t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        };
    }
    let mut out = Vec::with_capacity(30);
    digits(&mut out, year.unsigned_abs(), 4);
    for (n, before) in [
        (date.month(), b'-'),
        (date.day(), b'-'),
        (time.hour(), b'T'),
        (time.minute(), b':'),
        (time.second(), b':'),
    ] {
        out.push(before);
        digits(&mut out, n, 2);
    }
    let (fraction, width) = match nanos {
        0 => (0, 0),
        n if n % 1_000_000 == 0 => (n / 1_000_000, 3),
        n if n % 1_000 == 0 => (n / 1_000, 6),
        n => (n, 9),
    };
    if width > 0 {
        out.push(b'.');
        digits(&mut out, fraction, width);
    }
    out.push(b'Z');
    // only ASCII digits and separators were written
    String::from_utf8(out).unwrap_or_default()
}

/// `n` in `width` decimal digits, zero-padded.
fn digits(out: &mut Vec<u8>, mut n: u32, width: usize) {
    let start = out.len();
    out.resize(start + width, b'0');
    for slot in out[start..].iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn chrono_text(t: &Timestamp) -> String {
        match serde_json::to_value(t) {
            Ok(serde_json::Value::String(text)) => text,
            other => panic!("chrono wrote {other:?}"),
        }
    }

    #[test]
    fn json_text_is_chronos_form_at_the_edges() {
        let at = |s: i64, nanos: u32| Utc.timestamp_opt(s, nanos).single().expect("time");
        for t in [
            at(0, 0),
            at(1_764_921_145, 0),
            at(1_764_921_145, 120_000_000),
            at(1_764_921_145, 123_456_000),
            at(1_764_921_145, 100_000),
            at(1_764_921_145, 1),
            at(253_402_300_799, 999_999_000), // 9999-12-31T23:59:59.999999
            at(-62_167_219_200, 0),           // year 0
            at(-62_167_219_201, 0),           // year -1: chrono's own form
            at(253_402_300_800, 0),           // year 10000
            at(1_483_228_799, 1_500_000_000), // a leap second
        ] {
            assert_eq!(json_text(&t), chrono_text(&t), "{t:?}");
        }
    }

    proptest! {
        #[test]
        fn json_text_is_chronos_form(s in -70_000_000_000i64..260_000_000_000, nanos in 0u32..1_000_000_000, whole in 0u8..4) {
            // a quarter each: whole seconds, milliseconds, microseconds, nanoseconds
            let nanos = match whole { 0 => 0, 1 => nanos / 1_000_000 * 1_000_000, 2 => nanos / 1_000 * 1_000, _ => nanos };
            let t = Utc.timestamp_opt(s, nanos).single().expect("time");
            prop_assert_eq!(json_text(&t), chrono_text(&t));
        }
    }
}
