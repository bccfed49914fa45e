//! Latency recording and the report one load run prints.

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Latencies of one task or one run, in nanoseconds.
#[derive(Debug, Clone)]
pub struct Recorder {
    hist: Histogram<u64>,
    /// Calls that completed successfully inside the measured window.
    pub calls: u64,
    /// Calls that failed (error, not-ok response, wrong body) inside the measured window.
    pub errors: u64,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder {
            // 1 ns .. 100 s at 3 significant digits.
            hist: Histogram::new_with_bounds(1, 100_000_000_000, 3).expect("valid bounds"),
            calls: 0,
            errors: 0,
        }
    }
}

impl Recorder {
    /// Records one successful call.
    pub fn ok(&mut self, latency: Duration) {
        self.hist
            .saturating_record(latency.as_nanos().max(1) as u64);
        self.calls += 1;
    }

    /// Records one failed call.
    pub fn error(&mut self) {
        self.errors += 1;
    }

    /// Adds another recorder's calls to this one.
    pub fn merge(&mut self, other: &Recorder) {
        self.hist.add(&other.hist).expect("same bounds");
        self.calls += other.calls;
        self.errors += other.errors;
    }

    fn quantile_us(&self, q: f64) -> f64 {
        if self.hist.is_empty() {
            return 0.0;
        }
        self.hist.value_at_quantile(q) as f64 / 1000.0
    }

    /// The report of a run of `duration` with these settings.
    pub fn report(&self, settings: Settings, duration: Duration) -> Report {
        let secs = duration.as_secs_f64();
        Report {
            calls_per_sec: if secs > 0.0 {
                self.calls as f64 / secs
            } else {
                0.0
            },
            calls: self.calls,
            errors: self.errors,
            p50_us: self.quantile_us(0.5),
            p99_us: self.quantile_us(0.99),
            p999_us: self.quantile_us(0.999),
            max_us: if self.hist.is_empty() {
                0.0
            } else {
                self.hist.max() as f64 / 1000.0
            },
            mean_us: if self.hist.is_empty() {
                0.0
            } else {
                self.hist.mean() / 1000.0
            },
            duration_s: secs,
            settings,
        }
    }
}

/// What a run was asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// `tchannel` or `plain`.
    pub target: String,
    /// The server.
    pub hostport: String,
    /// TChannel service name (empty for plain).
    pub service: String,
    /// Connections.
    pub connections: usize,
    /// Calls in flight per connection.
    pub in_flight: usize,
    /// Payload bytes: arg3 for TChannel, frame payload for plain.
    pub size: usize,
}

/// The outcome of one load run; printed as one JSON line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// What was run.
    #[serde(flatten)]
    pub settings: Settings,
    /// Length of the measured window (warmup excluded), in seconds.
    pub duration_s: f64,
    /// Successful calls in the window.
    pub calls: u64,
    /// Successful calls per second.
    pub calls_per_sec: f64,
    /// Failed calls in the window.
    pub errors: u64,
    /// Median latency, microseconds.
    pub p50_us: f64,
    /// 99th percentile latency, microseconds.
    pub p99_us: f64,
    /// 99.9th percentile latency, microseconds.
    pub p999_us: f64,
    /// Largest latency, microseconds.
    pub max_us: f64,
    /// Mean latency, microseconds.
    pub mean_us: f64,
}

impl Report {
    /// One JSON object on one line.
    pub fn json(&self) -> String {
        serde_json::to_string(self).expect("a report always serialises")
    }

    /// One line for people.
    pub fn human(&self) -> String {
        let s = &self.settings;
        format!(
            "{} {}{} c={} n={} size={}: {:.0} calls/s, p50 {:.1}us, p99 {:.1}us, p999 {:.1}us, max {:.1}us, {} errors ({} calls in {:.1}s)",
            s.target,
            s.hostport,
            if s.service.is_empty() { String::new() } else { format!(" service={}", s.service) },
            s.connections,
            s.in_flight,
            s.size,
            self.calls_per_sec,
            self.p50_us,
            self.p99_us,
            self.p999_us,
            self.max_us,
            self.errors,
            self.calls,
            self.duration_s,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_round_trips_through_json() {
        let mut a = Recorder::default();
        let mut b = Recorder::default();
        for us in 1..=1000 {
            a.ok(Duration::from_micros(us));
        }
        b.error();
        a.merge(&b);
        let settings = Settings {
            target: "plain".into(),
            hostport: "127.0.0.1:1".into(),
            service: String::new(),
            connections: 1,
            in_flight: 1,
            size: 100,
        };
        let r = a.report(settings, Duration::from_secs(2));
        assert_eq!((r.calls, r.errors), (1000, 1));
        assert_eq!(r.calls_per_sec, 500.0);
        assert!((r.p50_us - 500.0).abs() < 1.0, "{}", r.p50_us);
        let back: Report = serde_json::from_str(&r.json()).unwrap();
        assert_eq!(back, r);
        assert!(r.human().contains("500 calls/s"));
    }
}
