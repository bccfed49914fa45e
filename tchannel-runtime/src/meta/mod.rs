//! The standard TChannel meta service (`meta.thrift`): every channel answers `Meta::health`,
//! `Meta::versionInfo` and `Meta::thriftIDL` under its own service name and under `tchannel`.
//!
//! The application reports its health with [`TChannel::set_health`](crate::TChannel::set_health);
//! a `TRAFFIC` health request is answered not-ok while the channel is closing.

// Generated code is kept exactly as the generator writes it (a test compares them).
#[allow(missing_docs, clippy::all)]
#[rustfmt::skip]
mod generated;

pub use generated::{
    HealthRequest, HealthRequestType, HealthState, HealthStatus, Meta, MetaBlockingClient,
    MetaClient, MetaServer, ThriftIDLs, VersionInfo,
};

/// The old name of [`ThriftIDLs`], from when the generator re-cased `ThriftIDLs`.
#[deprecated(note = "renamed to `ThriftIDLs`, the IDL's name")]
pub type ThriftIdLs = ThriftIDLs;

use crate::thrift::{Error, NoException, RequestContext};

/// The text of the standard `meta.thrift` these types are generated from (for tools that
/// encode calls from an IDL at run time, such as tcurl's `--health`).
pub const IDL: &str = include_str!("../../thrift/meta.thrift");
use std::sync::{Arc, Mutex};

/// What the application says about its health.
#[derive(Debug, Default)]
pub(crate) struct HealthCell {
    unhealthy: Mutex<Option<String>>,
    pub(crate) closing: std::sync::atomic::AtomicBool,
}

impl HealthCell {
    pub(crate) fn set(&self, healthy: bool, message: Option<String>) {
        *self.unhealthy.lock().unwrap_or_else(|p| p.into_inner()) = if healthy {
            None
        } else {
            Some(message.unwrap_or_default())
        };
    }
}

/// The channel's `Meta` implementation.
pub(crate) struct ChannelMeta(pub(crate) Arc<HealthCell>);

impl Meta for ChannelMeta {
    async fn health(
        &self,
        _ctx: &RequestContext,
        hr: HealthRequest,
    ) -> Result<HealthStatus, Error<NoException>> {
        let unhealthy = self
            .0
            .unhealthy
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let closing = self.0.closing.load(std::sync::atomic::Ordering::Acquire);
        let traffic = hr.r#type == Some(HealthRequestType::Traffic);
        Ok(match unhealthy {
            Some(message) => HealthStatus {
                ok: false,
                message: Some(message),
                state: Some(HealthState::Refusing),
            },
            None if traffic && closing => HealthStatus {
                ok: false,
                message: Some("closing".into()),
                state: Some(HealthState::Stopping),
            },
            None => HealthStatus {
                ok: true,
                message: None,
                state: Some(HealthState::Accepting),
            },
        })
    }

    async fn thrift_idl(&self, _ctx: &RequestContext) -> Result<ThriftIDLs, Error<NoException>> {
        Ok(ThriftIDLs::default())
    }

    async fn version_info(&self, _ctx: &RequestContext) -> Result<VersionInfo, Error<NoException>> {
        Ok(VersionInfo {
            language: "rust".into(),
            language_version: option_env!("CARGO_PKG_RUST_VERSION").unwrap_or("").into(),
            version: env!("CARGO_PKG_VERSION").into(),
        })
    }
}
