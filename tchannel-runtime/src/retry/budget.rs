//! Retries that cannot amplify an outage: a per-channel retry budget (a token bucket) and
//! the backoff between attempts.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// One retry costs this many milli-tokens.
const RETRY_COST: i64 = 1000;

/// How many retries a channel may make, as a share of its calls: a token bucket, as
/// Finagle's `RetryBudget` and Envoy's retry budget.
///
/// Every call deposits `ratio` of a token; every retry takes one whole token and is not
/// made when the bucket holds less (the call then fails with the error of its last attempt).
/// A floor of `min_per_sec` tokens a second is added over time, so a channel with few calls
/// may still retry now and then; the bucket starts with one second's worth of the floor. The
/// balance is capped at `max_balance` tokens, so a long quiet run cannot save up a burst
/// of retries larger than that.
///
/// So over any period, retries are at most `ratio` x calls + `min_per_sec` x seconds +
/// `max_balance`: with every peer failing, a burst of 1,000 calls makes about 200 retries
/// under the default budget, not 1,000 x the retry limit.
///
/// ```
/// use tchannel_runtime::RetryBudget;
/// let budget = RetryBudget::new(0.1).min_per_sec(5).max_balance(50);
/// assert_eq!(budget.get_ratio(), 0.1);
/// let ch = tchannel_runtime::TChannel::builder("client").retry_budget(budget).build();
/// # let _ = ch;
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryBudget {
    ratio: f64,
    min_per_sec: u32,
    max_balance: u32,
}

impl Default for RetryBudget {
    /// 20% of calls, plus 10 retries a second, at most 100 saved up.
    fn default() -> Self {
        RetryBudget {
            ratio: 0.2,
            min_per_sec: 10,
            max_balance: 100,
        }
    }
}

impl RetryBudget {
    /// Retries may be `ratio` of the calls (0.2: one retry for every five calls), with the
    /// default floor (10 a second) and cap (100). A ratio below 0 or NaN is taken as 0,
    /// above 1000 as 1000.
    pub fn new(ratio: f64) -> Self {
        RetryBudget {
            ratio: if ratio.is_nan() {
                0.0
            } else {
                ratio.clamp(0.0, 1000.0)
            },
            ..Default::default()
        }
    }
    /// Retries allowed each second whatever the number of calls (the floor). Default: 10.
    pub fn min_per_sec(mut self, n: u32) -> Self {
        self.min_per_sec = n;
        self
    }
    /// The most retries that may be saved up. Default: 100. Values below 1 are taken as 1.
    pub fn max_balance(mut self, n: u32) -> Self {
        self.max_balance = n.max(1);
        self
    }
    /// The share of calls that may be retried.
    pub fn get_ratio(&self) -> f64 {
        self.ratio
    }
    /// The floor, in retries a second.
    pub fn get_min_per_sec(&self) -> u32 {
        self.min_per_sec
    }
    /// The cap on saved-up retries.
    pub fn get_max_balance(&self) -> u32 {
        self.max_balance
    }
}

/// A channel's bucket of retry tokens (milli-tokens), shared by its calls.
#[derive(Debug)]
pub(crate) struct Bucket {
    deposit: i64,
    per_sec: i64,
    cap: i64,
    balance: AtomicI64,
    /// When the floor was last added (read only when a retry is asked for).
    refilled: Mutex<Instant>,
}

impl Bucket {
    pub(crate) fn new(b: RetryBudget) -> Self {
        let cap = i64::from(b.max_balance) * RETRY_COST;
        let per_sec = i64::from(b.min_per_sec) * RETRY_COST;
        Bucket {
            deposit: (b.ratio * RETRY_COST as f64).round() as i64,
            per_sec,
            cap,
            balance: AtomicI64::new(per_sec.min(cap)),
            refilled: Mutex::new(Instant::now()),
        }
    }

    fn add(&self, n: i64) {
        if n <= 0 {
            return;
        }
        let cap = self.cap;
        let _ = self
            .balance
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| {
                (b < cap).then(|| (b + n).min(cap))
            });
    }

    /// A call is made: deposit its share (one atomic update; nothing when full).
    pub(crate) fn deposit(&self) {
        self.add(self.deposit);
    }

    /// A retry is wanted: true (and a token taken) if the budget allows it.
    pub(crate) fn try_withdraw(&self) -> bool {
        if self.per_sec > 0 {
            let now = Instant::now();
            let mut last = self.refilled.lock().unwrap_or_else(|p| p.into_inner());
            let ms = now.saturating_duration_since(*last).as_millis();
            let earned = i64::try_from(ms)
                .unwrap_or(i64::MAX)
                .saturating_mul(self.per_sec)
                / 1000;
            if earned > 0 {
                *last = now;
                drop(last);
                self.add(earned);
            }
        }
        self.balance
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| {
                (b >= RETRY_COST).then_some(b - RETRY_COST)
            })
            .is_ok()
    }

    /// Whole tokens left.
    #[cfg(test)]
    fn tokens(&self) -> i64 {
        self.balance.load(Ordering::Relaxed) / RETRY_COST
    }
}

/// How long to wait before a retry: exponential backoff with full jitter (the wait is
/// drawn uniformly between zero and `base` x 2^(retry - 1), at most `max`), and never more
/// than half of what is left of the call's timeout, so the retry keeps time to run.
///
/// ```
/// use std::time::Duration;
/// use tchannel_runtime::Backoff;
/// let b = Backoff::new(Duration::from_millis(10), Duration::from_millis(200));
/// assert_eq!(b.get_base(), Duration::from_millis(10));
/// // No wait at all between attempts:
/// let ch = tchannel_runtime::TChannel::builder("client").retry_backoff(Backoff::none()).build();
/// # let _ = (ch, b);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    base: Duration,
    max: Duration,
}

impl Default for Backoff {
    /// 5 ms for the first retry, doubling, at most 100 ms.
    fn default() -> Self {
        Backoff {
            base: Duration::from_millis(5),
            max: Duration::from_millis(100),
        }
    }
}

impl Backoff {
    /// Waits of up to `base` before the first retry, doubling each retry, up to `max`.
    pub fn new(base: Duration, max: Duration) -> Self {
        Backoff { base, max }
    }
    /// No wait between attempts (the behaviour before backoff existed).
    pub fn none() -> Self {
        Backoff::new(Duration::ZERO, Duration::ZERO)
    }
    /// The longest wait before the first retry.
    pub fn get_base(&self) -> Duration {
        self.base
    }
    /// The longest wait before any retry.
    pub fn get_max(&self) -> Duration {
        self.max
    }

    /// The wait before retry number `retry` (1 for the first), from a random `seed`, when
    /// `left` remains of the call's timeout.
    pub(crate) fn delay(&self, retry: u32, seed: u64, left: Duration) -> Duration {
        let shift = retry.saturating_sub(1).min(30);
        let ceiling = self.base.saturating_mul(1 << shift).min(self.max);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        let jittered = Duration::from_nanos(seed % (nanos + 1));
        jittered.min(left / 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn bucket_allows_the_ratio_plus_the_floor() {
        let b = Bucket::new(RetryBudget::new(0.2).min_per_sec(0).max_balance(1000));
        assert!(!b.try_withdraw(), "starts empty without a floor");
        for _ in 0..1000 {
            b.deposit();
        }
        let mut n = 0;
        while b.try_withdraw() {
            n += 1;
        }
        assert_eq!(n, 200);
    }

    #[tokio::test(start_paused = true)]
    async fn floor_refills_over_time_up_to_the_cap() {
        let b = Bucket::new(RetryBudget::new(0.0).min_per_sec(10).max_balance(30));
        assert_eq!(b.tokens(), 10, "one second of the floor to start");
        for _ in 0..10 {
            assert!(b.try_withdraw());
        }
        assert!(!b.try_withdraw());
        tokio::time::advance(Duration::from_millis(500)).await;
        let mut n = 0;
        while b.try_withdraw() {
            n += 1;
        }
        assert_eq!(n, 5);
        tokio::time::advance(Duration::from_secs(3600)).await;
        let mut n = 0;
        while b.try_withdraw() {
            n += 1;
        }
        assert_eq!(n, 30, "capped");
    }

    #[test]
    fn deposits_stop_at_the_cap() {
        let b = Bucket::new(RetryBudget::new(1.0).min_per_sec(0).max_balance(3));
        for _ in 0..100 {
            b.deposit();
        }
        assert_eq!(b.tokens(), 3);
        let b = Bucket::new(RetryBudget::new(f64::NAN).min_per_sec(0));
        b.deposit();
        assert_eq!(b.tokens(), 0);
    }

    #[test]
    fn backoff_grows_is_capped_and_keeps_half_the_time_left() {
        let b = Backoff::new(Duration::from_millis(10), Duration::from_millis(50));
        let long = Duration::from_secs(10);
        // A draw equal to the ceiling gives the ceiling: 10, 20, 40, then capped at 50 ms.
        let ms = Duration::from_millis;
        for (retry, ceiling) in [(1, 10), (2, 20), (3, 40), (4, 50), (9, 50)] {
            let top = ms(ceiling.min(50));
            let at = |seed| b.delay(retry, seed, long);
            assert_eq!(at(ms(ceiling).as_nanos() as u64), top, "retry {retry}");
            assert!(at(u64::MAX - 7) <= top);
        }
        let top = |r| b.delay(r, u64::MAX - 1, long);
        for r in 1..40 {
            assert!(top(r) <= Duration::from_millis(50));
            assert!(b.delay(r, u64::MAX - 1, Duration::from_millis(8)) <= Duration::from_millis(4));
        }
        assert_eq!(
            b.delay(1, 0, long),
            Duration::ZERO,
            "full jitter starts at zero"
        );
        assert_eq!(Backoff::none().delay(3, 12345, long), Duration::ZERO);
    }
}
