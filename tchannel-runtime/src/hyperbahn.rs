//! Hyperbahn: advertising a channel's services to the routing mesh, and calling through it.
//!
//! A service advertises with the `ad` call (service `hyperbahn`, `as=json`,
//! `{"services":[{"serviceName":..,"cost":0}]}`) to a router from its seed list. The router
//! takes the service's address from the init `host_port` of that connection, and relays calls
//! for the service over it; the channel serves them there like any other call. A channel with
//! routers and no known peers sends its calls by service name through the routers.
//!
//! The schedule is tchannel-go's (PROTOCOL.md 11.1), in [`AdvertiseSchedule`]: each attempt
//! may take 1 s; the first advertisement is tried up to 5 times, waiting a random time in
//! `[0, 2^n s)` after the n-th failure; afterwards the channel re-advertises every 50 s plus a
//! random `[0, 20 s)`, and after a failure retries with the same backoff. Every failure is
//! reported (an [`AdvertiseEvent`] and the `tracing` log).
//!
//! ```no_run
//! # async fn f() -> Result<(), tchannel_runtime::Error> {
//! use tchannel_runtime::TChannel;
//! let ch = TChannel::new("my-service");
//! ch.listen("127.0.0.1:0").await?;
//! ch.advertise(["127.0.0.1:21300"]).await?;
//! // Calls by service name now go through the router too.
//! let res = ch.raw("other-service", "echo").body("hi").await?;
//! # Ok(()) }
//! ```

use crate::channel::ChannelInner;
use crate::error::{Error, Kind};
use crate::TChannel;
use serde_json::json;
use std::sync::{Arc, Weak};
use std::time::Duration;

/// When and how often to advertise.
#[derive(Debug, Clone)]
pub struct AdvertiseSchedule {
    /// How long one `ad` call may take. Default 1 s.
    pub attempt_timeout: Duration,
    /// Attempts of the first advertisement before giving up. Default 5.
    pub initial_attempts: u32,
    /// Backoff after the n-th consecutive failure: up to `backoff_base * 2^n`. Default 1 s.
    pub backoff_base: Duration,
    /// The longest backoff. Default 16 s.
    pub backoff_max: Duration,
    /// Time between advertisements once advertised. Default 50 s.
    pub period: Duration,
    /// Random extra time added to each period, up to this. Default 20 s.
    pub period_jitter: Duration,
    /// Randomise backoffs (`[0, backoff)`) and periods. Default true; tests turn it off to
    /// get exact times.
    pub jitter: bool,
}

impl Default for AdvertiseSchedule {
    fn default() -> Self {
        AdvertiseSchedule {
            attempt_timeout: Duration::from_secs(1),
            initial_attempts: 5,
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(16),
            period: Duration::from_secs(50),
            period_jitter: Duration::from_secs(20),
            jitter: true,
        }
    }
}

impl AdvertiseSchedule {
    /// The wait after `failures` consecutive failures (1 = the first).
    pub fn backoff(&self, failures: u32) -> Duration {
        let full = self
            .backoff_base
            .saturating_mul(1u32 << failures.saturating_sub(1).min(16))
            .min(self.backoff_max);
        if self.jitter {
            full.mul_f64(crate::id::unit_random())
        } else {
            full
        }
    }

    /// The wait between two successful advertisements.
    pub fn next_period(&self) -> Duration {
        if self.jitter {
            self.period + self.period_jitter.mul_f64(crate::id::unit_random())
        } else {
            self.period
        }
    }
}

/// What happened to one advertisement attempt.
#[derive(Debug, Clone)]
pub enum AdvertiseEvent {
    /// A router accepted the advertisement.
    Advertised {
        /// The router.
        router: String,
        /// `connectionCount` from its answer.
        connection_count: u64,
    },
    /// An attempt failed; the advertiser tries again after a backoff.
    Failed {
        /// The router.
        router: String,
        /// Why.
        error: Error,
        /// Consecutive failures so far.
        failures: u32,
    },
}

type Listener = Arc<dyn Fn(&AdvertiseEvent) + Send + Sync>;

/// Sets up advertising; from [`TChannel::advertiser`].
#[must_use = "an advertiser does nothing until started"]
pub struct Advertiser {
    channel: TChannel,
    routers: Vec<String>,
    services: Vec<String>,
    schedule: AdvertiseSchedule,
    listener: Option<Listener>,
}

impl Advertiser {
    /// Adds routers: `host:port` strings, `SocketAddr`s or `(host, port)` pairs
    /// ([`IntoHostPort`](crate::addr::IntoHostPort)).
    pub fn routers<I, S>(mut self, routers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: crate::addr::IntoHostPort,
    {
        self.routers.extend(
            routers
                .into_iter()
                .map(crate::addr::IntoHostPort::into_host_port),
        );
        self
    }

    /// Adds the routers of a JSON hosts file: an array of `"host:port"` strings.
    pub fn routers_file(mut self, path: impl AsRef<std::path::Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::new(
                Kind::Scheme,
                format!("cannot read hosts file {}: {e}", path.display()),
            )
        })?;
        let hosts: Vec<String> = serde_json::from_str(&text).map_err(|e| {
            Error::new(
                Kind::Scheme,
                format!(
                    "hosts file {} is not a JSON array of strings: {e}",
                    path.display()
                ),
            )
        })?;
        self.routers.extend(hosts);
        Ok(self)
    }

    /// Advertises another service name from this channel too (the channel's own is always
    /// advertised).
    pub fn service(mut self, name: impl Into<String>) -> Self {
        self.services.push(name.into());
        self
    }

    /// The schedule.
    pub fn schedule(mut self, schedule: AdvertiseSchedule) -> Self {
        self.schedule = schedule;
        self
    }

    /// Called after every attempt, from the advertising task.
    pub fn on_event(mut self, f: impl Fn(&AdvertiseEvent) + Send + Sync + 'static) -> Self {
        self.listener = Some(Arc::new(f));
        self
    }

    /// Listens (on `0.0.0.0:0`) if the channel does not yet, advertises until a router
    /// accepts or the first attempts are used up, then keeps re-advertising in the background
    /// for as long as the channel is open. Calls by service name use the routers from now on
    /// when the channel has no known peers.
    pub async fn start(self) -> Result<(), Error> {
        if self.channel.inner().peers.life.is_closing() {
            return Err(crate::channel::closed_error());
        }
        if self.routers.is_empty() {
            return Err(Error::new(
                Kind::NoPeerAvailable,
                "advertise: no routers given",
            ));
        }
        if self.channel.hostport().is_none() {
            self.channel.listen("0.0.0.0:0").await?;
        }
        let inner = self.channel.inner().clone();
        inner.peers.set_routers(&self.routers);
        let mut services = vec![self.channel.service().to_owned()];
        services.extend(self.services);
        let job = Arc::new(Job {
            routers: self.routers,
            services,
            schedule: self.schedule,
            listener: self.listener,
            task: std::sync::Mutex::new(None),
        });
        *inner.close_hook.lock().unwrap_or_else(|p| p.into_inner()) = Some(job.clone());

        let mut failures = 0;
        loop {
            match job.attempt(&inner, failures).await {
                Ok(()) => break,
                Err(e) => {
                    failures += 1;
                    if failures >= job.schedule.initial_attempts {
                        return Err(e);
                    }
                    tokio::time::sleep(job.schedule.backoff(failures)).await;
                }
            }
        }
        let task = tokio::spawn(readvertise(Arc::downgrade(&inner), job.clone()));
        *job.task.lock().unwrap_or_else(|p| p.into_inner()) = Some(task.abort_handle());
        // A close that began meanwhile did not see the task: stop it here.
        if inner.is_closing() {
            job.stop();
        }
        Ok(())
    }
}

/// One channel's advertising.
pub(crate) struct Job {
    routers: Vec<String>,
    services: Vec<String>,
    schedule: AdvertiseSchedule,
    listener: Option<Listener>,
    /// The re-advertising task, once started.
    task: std::sync::Mutex<Option<tokio::task::AbortHandle>>,
}

impl Job {
    /// Stops re-advertising (on close or drop of the channel).
    pub(crate) fn stop(&self) {
        if let Some(t) = self.task.lock().unwrap_or_else(|p| p.into_inner()).take() {
            t.abort();
        }
    }

    fn body(&self) -> serde_json::Value {
        let services: Vec<_> = self
            .services
            .iter()
            .map(|s| json!({"serviceName": s, "cost": 0}))
            .collect();
        json!({ "services": services })
    }

    fn emit(&self, ev: AdvertiseEvent) {
        match &ev {
            AdvertiseEvent::Advertised { router, .. } => {
                tracing::debug!(%router, services = ?self.services, "advertised")
            }
            AdvertiseEvent::Failed {
                router,
                error,
                failures,
            } => tracing::warn!(%router, failures, "advertising failed: {error}"),
        }
        if let Some(l) = &self.listener {
            l(&ev);
        }
    }

    async fn attempt(&self, inner: &Arc<ChannelInner>, n: u32) -> Result<(), Error> {
        let start = crate::id::random_id() as usize;
        let router = &self.routers[(start + n as usize) % self.routers.len()];
        let ch = TChannel::from_inner(inner.clone());
        let res = ch
            .json("hyperbahn", "ad")
            .hostport(router)
            .timeout(self.schedule.attempt_timeout)
            .retry_on(crate::RetryOn::Never)
            .body(self.body())
            .await
            .and_then(|r| {
                if r.ok {
                    Ok(r.body["connectionCount"].as_u64().unwrap_or(0))
                } else {
                    Err(Error::from_code(
                        crate::ErrorCode::Unexpected,
                        format!("router refused the advertisement: {}", r.body),
                    ))
                }
            });
        match res {
            Ok(connection_count) => {
                self.emit(AdvertiseEvent::Advertised {
                    router: router.clone(),
                    connection_count,
                });
                Ok(())
            }
            Err(error) => {
                self.emit(AdvertiseEvent::Failed {
                    router: router.clone(),
                    error: error.clone(),
                    failures: n + 1,
                });
                Err(error)
            }
        }
    }

    /// Withdraws the advertisement from every router (on close). The router answers by
    /// draining the connection, so any answer will do.
    pub(crate) async fn unadvertise(&self, inner: &Arc<ChannelInner>) {
        let ch = TChannel::from_inner(inner.clone());
        for router in &self.routers {
            let res = ch
                .json("hyperbahn", "unad")
                .hostport(router)
                .timeout(self.schedule.attempt_timeout)
                .retry_on(crate::RetryOn::Never)
                .body(self.body())
                .await;
            tracing::debug!(%router, "unadvertised: {:?}", res.map(|r| r.ok));
        }
    }
}

/// The channel stops re-advertising when it is dropped, and withdraws when it closes.
impl crate::channel::CloseHook for Job {
    fn stop(&self) {
        Job::stop(self);
    }
    fn withdraw<'a>(
        &'a self,
        channel: &'a Arc<ChannelInner>,
    ) -> crate::middleware::BoxFuture<'a, ()> {
        Box::pin(self.unadvertise(channel))
    }
}

async fn readvertise(inner: Weak<ChannelInner>, job: Arc<Job>) {
    let mut failures = 0;
    let mut wait = job.schedule.next_period();
    loop {
        tokio::time::sleep(wait).await;
        let Some(ch) = inner.upgrade() else { return };
        if ch.is_closing() {
            return;
        }
        match job.attempt(&ch, failures).await {
            Ok(()) => {
                failures = 0;
                wait = job.schedule.next_period();
            }
            Err(_) => {
                failures += 1;
                wait = job.schedule.backoff(failures);
            }
        }
    }
}

impl TChannel {
    /// Advertises this channel's service to `routers` with the default schedule; see
    /// [`TChannel::advertiser`] for the options.
    pub async fn advertise<I, S>(&self, routers: I) -> Result<(), Error>
    where
        I: IntoIterator<Item = S>,
        S: crate::addr::IntoHostPort,
    {
        self.advertiser().routers(routers).start().await
    }

    /// Sets up advertising: routers, extra service names, schedule, event listener.
    pub fn advertiser(&self) -> Advertiser {
        Advertiser {
            channel: self.clone(),
            routers: Vec::new(),
            services: Vec::new(),
            schedule: AdvertiseSchedule::default(),
            listener: None,
        }
    }

    /// Sends calls by service name through these routers when the channel has no known
    /// peers (a client of services advertised on Hyperbahn).
    pub fn set_routers<I, S>(&self, routers: I)
    where
        I: IntoIterator<Item = S>,
        S: crate::addr::IntoHostPort,
    {
        let routers: Vec<String> = routers
            .into_iter()
            .map(crate::addr::IntoHostPort::into_host_port)
            .collect();
        self.inner().peers.set_routers(&routers);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let s = AdvertiseSchedule {
            jitter: false,
            ..Default::default()
        };
        let secs: Vec<u64> = (1..=7).map(|n| s.backoff(n).as_secs()).collect();
        assert_eq!(secs, vec![1, 2, 4, 8, 16, 16, 16]);
        assert_eq!(s.next_period(), Duration::from_secs(50));
        let j = AdvertiseSchedule::default();
        for n in 1..10 {
            assert!(
                j.backoff(n) < s.backoff(n).max(Duration::from_millis(1)) + Duration::from_nanos(1)
            );
            let p = j.next_period();
            assert!(
                p >= Duration::from_secs(50) && p < Duration::from_secs(70),
                "{p:?}"
            );
        }
    }
}
