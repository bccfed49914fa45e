//! Load shedding: the channel-wide and per-service limits on inbound calls in flight. A call
//! past a limit is answered Busy at once, before its handler is found (as tchannel-node's
//! `toobusy` check), and the caller retries it on another peer. Whole calls are admitted by
//! the `Dispatcher` (`channel/mod.rs`), streamed ones by their handler's wrapper
//! (`stream::erase`), under the same counters.

use crate::error::{Error, ErrorCode};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Calls in flight under one limit.
#[derive(Debug)]
struct Counter {
    limit: usize,
    n: AtomicUsize,
}

impl Counter {
    fn new(limit: usize) -> Self {
        Counter {
            limit: limit.max(1),
            n: AtomicUsize::new(0),
        }
    }

    /// Takes a place, or says how many are in flight.
    fn enter(&self) -> Result<(), usize> {
        let prev = self.n.fetch_add(1, Ordering::AcqRel);
        if prev >= self.limit {
            self.n.fetch_sub(1, Ordering::AcqRel);
            return Err(prev);
        }
        Ok(())
    }

    fn leave(&self) {
        self.n.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The channel's inbound limits; built once, read without a lock.
#[derive(Debug)]
pub(crate) struct InboundLimits {
    channel: Option<Counter>,
    /// By service name: a few entries, scanned comparing bytes (cheaper than hashing the
    /// name, and no UTF-8 check).
    services: Vec<(Box<[u8]>, Counter)>,
}

/// A call's places under the limits, given back when it is dropped (the call answered,
/// failed, timed out or cancelled).
pub(crate) struct Permit {
    limits: Arc<InboundLimits>,
    channel: bool,
    service: Option<usize>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        if self.channel {
            if let Some(c) = &self.limits.channel {
                c.leave();
            }
        }
        if let Some(i) = self.service {
            self.limits.services[i].1.leave();
        }
    }
}

impl InboundLimits {
    /// None when no limit is set (then nothing is counted).
    pub(crate) fn new(
        channel: Option<usize>,
        services: &HashMap<String, usize>,
    ) -> Option<Arc<Self>> {
        if channel.is_none() && services.is_empty() {
            return None;
        }
        Some(Arc::new(InboundLimits {
            channel: channel.map(Counter::new),
            services: services
                .iter()
                .map(|(s, &n)| (s.as_bytes().into(), Counter::new(n)))
                .collect(),
        }))
    }

    /// Admits a call to `service`, or the Busy error that answers it.
    pub(crate) fn admit(self: &Arc<Self>, local: &str, service: &[u8]) -> Result<Permit, Error> {
        // Built first, so that an early return gives back what was taken.
        let mut permit = Permit {
            limits: self.clone(),
            channel: false,
            service: None,
        };
        if let Some(c) = &self.channel {
            c.enter().map_err(|n| {
                busy(format!(
                    "channel {local:?} is over its limit of inbound calls: {n} in flight, \
                     max_channel_inbound_calls is {}",
                    c.limit
                ))
            })?;
            permit.channel = true;
        }
        if let Some(i) = self.services.iter().position(|(s, _)| **s == *service) {
            let c = &self.services[i].1;
            c.enter().map_err(|n| {
                busy(format!(
                    "service {:?} is over its limit of inbound calls: {n} in flight, \
                     max_service_inbound_calls is {}",
                    String::from_utf8_lossy(service),
                    c.limit
                ))
            })?;
            permit.service = Some(i);
        }
        Ok(permit)
    }

    /// Calls in flight under the channel-wide limit (tests).
    #[cfg(test)]
    pub(crate) fn in_flight(&self) -> usize {
        self.channel
            .as_ref()
            .map_or(0, |c| c.n.load(Ordering::Acquire))
    }
}

/// The call's future, holding its permit until it ends (or is dropped).
pub(crate) fn hold(
    permit: Permit,
    fut: crate::connection::BoxFuture<Result<crate::connection::OutgoingResponse, Error>>,
) -> crate::connection::BoxFuture<Result<crate::connection::OutgoingResponse, Error>> {
    Box::pin(async move {
        let _permit = permit;
        fut.await
    })
}

fn busy(msg: String) -> Error {
    Error::from_code(ErrorCode::Busy, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_and_service_limits_admit_up_to_the_limit_and_release_on_drop() {
        let services = HashMap::from([("slow".to_string(), 1)]);
        let l = InboundLimits::new(Some(2), &services).unwrap();
        let a = l.admit("me", b"slow").unwrap();
        let e = l.admit("me", b"slow").err().unwrap();
        assert!(e.is_busy(), "{e}");
        assert!(
            e.message().contains("max_service_inbound_calls is 1"),
            "{e}"
        );
        assert_eq!(
            l.in_flight(),
            1,
            "the refused call gave its channel place back"
        );
        let b = l.admit("me", b"fast").unwrap();
        let e = l.admit("me", b"fast").err().unwrap();
        assert!(
            e.message().contains("max_channel_inbound_calls is 2"),
            "{e}"
        );
        drop(a);
        let _c = l.admit("me", b"slow").unwrap();
        drop(b);
        assert_eq!(l.in_flight(), 1);
        assert!(InboundLimits::new(None, &HashMap::new()).is_none());
    }
}
