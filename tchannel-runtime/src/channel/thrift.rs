//! Thrift services on a channel: serving a generated service, and the transport that
//! generated clients send through.

use super::{Call, CallOptions, HandlerError, Request, Response, TChannel};
use crate::scheme::{HeaderMap, Thrift};
use crate::thrift::{self, BoxError, DispatchError, RequestContext, Service};
use bytes::Bytes;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

impl TChannel {
    /// Serves a generated Thrift service (every method, inherited ones too) under this
    /// channel's service name.
    ///
    /// ```no_run
    /// # mod kv { include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/meta/generated.rs")); }
    /// # async fn f() -> Result<(), tchannel_runtime::Error> {
    /// use tchannel_runtime::TChannel;
    /// // `MetaServer` and `Meta` are generated, as `KeyValueServer` / `KeyValue` would be.
    /// # struct MyMeta;
    /// # impl kv::Meta for MyMeta {
    /// #   async fn health(&self, _: &tchannel_runtime::thrift::RequestContext, _: kv::HealthRequest) -> Result<kv::HealthStatus, tchannel_runtime::thrift::Error<tchannel_runtime::thrift::NoException>> { unimplemented!() }
    /// #   async fn thrift_idl(&self, _: &tchannel_runtime::thrift::RequestContext) -> Result<kv::ThriftIDLs, tchannel_runtime::thrift::Error<tchannel_runtime::thrift::NoException>> { unimplemented!() }
    /// #   async fn version_info(&self, _: &tchannel_runtime::thrift::RequestContext) -> Result<kv::VersionInfo, tchannel_runtime::thrift::Error<tchannel_runtime::thrift::NoException>> { unimplemented!() }
    /// # }
    /// let server = TChannel::new("my-service");
    /// server.register_service(kv::MetaServer::new(MyMeta));
    /// server.listen("127.0.0.1:0").await?;
    /// # Ok(()) }
    /// ```
    pub fn register_service<S: Service>(&self, service: S) {
        let name = self.service().to_owned();
        self.register_service_for(name, service);
    }

    /// Serves a generated Thrift service under another TChannel service name.
    pub fn register_service_for<S: Service>(
        &self,
        tchannel_service: impl Into<String>,
        service: S,
    ) {
        let tchannel_service = tchannel_service.into();
        let service = Arc::new(service);
        for method in service.methods() {
            let service = service.clone();
            self.register_for(tchannel_service.clone(), *method, Thrift, move |req| {
                serve(service.clone(), req)
            });
        }
    }

    /// A transport for generated clients: calls go to `service` through this channel.
    ///
    /// ```no_run
    /// # mod kv { include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/meta/generated.rs")); }
    /// # async fn f() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use tchannel_runtime::TChannel;
    /// let channel = TChannel::new("my-client");
    /// let meta = kv::MetaClient::new(
    ///     channel
    ///         .thrift_client("other-service")
    ///         .hostport("127.0.0.1:4040")
    ///         .timeout(Duration::from_secs(1)),
    /// );
    /// let status = meta.health(kv::HealthRequest::default()).await?;
    /// assert!(status.ok);
    /// # Ok(()) }
    /// ```
    pub fn thrift_client(&self, service: impl Into<String>) -> ThriftClient {
        ThriftClient {
            channel: self.clone(),
            service: crate::Name::from(service.into()),
            opts: CallOptions::default(),
            headers: HeaderMap::new(),
            response_headers: None,
        }
    }
}

async fn serve<S: Service>(
    service: Arc<S>,
    req: Request<Thrift>,
) -> Result<Response<Thrift>, HandlerError> {
    let t = req.transport;
    let mut ctx = RequestContext::default();
    // The names and transport headers share the frame's bytes: nothing is copied.
    ctx.service = t.service;
    ctx.method = req.endpoint.clone();
    ctx.caller_name = t.caller;
    ctx.headers = req.headers;
    ctx.transport_headers = t.headers;
    ctx.deadline = Some(t.deadline.into_std());
    let (mut ctx, result) = service.serve(ctx, &req.endpoint, req.body).await;
    match result {
        Ok(res) => Ok(Response {
            ok: res.ok,
            headers: ctx.take_response_headers(),
            body: res.body,
            transport: Default::default(),
        }),
        Err(DispatchError::UnknownMethod(m)) => Err(HandlerError::bad_request(format!(
            "no such method {m:?} in service {}",
            service.name()
        ))),
        Err(DispatchError::BadRequest(e)) => {
            Err(HandlerError::bad_request(format!("{}: {e}", req.endpoint)))
        }
        Err(e) => Err(HandlerError::unexpected(e.to_string())),
    }
}

/// Where a [`ThriftClient`] puts the application headers of each response.
///
/// Deprecated: it holds the headers of whichever response came last, so with concurrent
/// calls on one client a caller may read another call's headers. Each call returns its own
/// with `.with_response()` ([`thrift::Call::with_response`], [`thrift::Reply`]).
///
/// ```
/// #![allow(deprecated)]
/// use tchannel_runtime::ResponseHeaders;
/// let sink = ResponseHeaders::default();
/// assert!(sink.get().is_empty());
/// ```
#[deprecated(
    note = "shared by every call of a client; use `.with_response()` on the call and `Reply::headers`"
)]
#[derive(Debug, Clone, Default)]
pub struct ResponseHeaders(Arc<Mutex<HeaderMap>>);

#[allow(deprecated)]
impl ResponseHeaders {
    /// The headers of the last response.
    pub fn get(&self) -> HeaderMap {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// The [`thrift::Transport`] of generated clients: sends calls to one service through a
/// channel, with [`CallOptions`] and application headers for every call. Cheap to clone;
/// derive a client with other options per call:
///
/// ```no_run
/// # mod kv { include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/meta/generated.rs")); }
/// # async fn f(channel: tchannel_runtime::TChannel) -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// let transport = channel.thrift_client("other-service");
/// let quick = kv::MetaClient::new(transport.clone().timeout(Duration::from_millis(50)));
/// quick.health(Default::default()).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct ThriftClient {
    channel: TChannel,
    service: crate::Name,
    opts: CallOptions,
    headers: HeaderMap,
    #[allow(deprecated)]
    response_headers: Option<ResponseHeaders>,
}

impl ThriftClient {
    /// Replaces all call options.
    pub fn options(mut self, opts: CallOptions) -> Self {
        self.opts = self.opts.replaced_by(opts);
        self
    }
    crate::call::delegate_call_options!(opts);

    /// An application header sent with every call.
    pub fn header(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.insert(key.into(), value.into());
        self
    }
    /// The application headers sent with every call.
    pub fn headers(mut self, headers: HeaderMap) -> Self {
        self.headers = headers;
        self
    }
    /// Keeps each response's application headers in `sink`.
    #[deprecated(
        note = "the sink holds the last response's headers, whichever call it was; use `.with_response()` on the call"
    )]
    #[allow(deprecated)]
    pub fn response_headers(mut self, sink: &ResponseHeaders) -> Self {
        self.response_headers = Some(sink.clone());
        self
    }
    /// The TChannel service calls go to.
    pub fn service(&self) -> &str {
        &self.service
    }
}

impl thrift::Transport for ThriftClient {
    fn call(
        &self,
        method: &'static str,
        args: Bytes,
    ) -> impl Future<Output = Result<thrift::Response, BoxError>> + Send {
        let send = self.send(thrift::Request::new(method, args));
        async move { send.await.map(thrift::Reply::into_value) }
    }

    fn send(
        &self,
        request: thrift::Request,
    ) -> impl Future<Output = Result<thrift::Reply<thrift::Response>, BoxError>> + Send {
        // The channel's future boxed (`Call::into_future`): awaited unboxed here it made this
        // future about 2.6 KB, copied on each move through `with_response`'s.
        Sending {
            call: self.channel_call(request).into_future(),
            sink: self.response_headers.clone(),
        }
    }

    fn send_boxed(
        &self,
        request: thrift::Request,
    ) -> thrift::BoxFuture<'_, Result<thrift::Reply<thrift::Response>, BoxError>> {
        // One allocation for the whole call: the channel's future written in place inside
        // this transport's, where an `async` block around the boxed channel future was a
        // second box, and copied on each move.
        let sink = self.response_headers.clone();
        let mut slot = Box::new_uninit();
        slot.write(Sending {
            call: self.channel_call(request).future(),
            sink,
        });
        // SAFETY: the value was written on the line above (`Box::write` does this safely but
        // needs Rust 1.87; the crate supports 1.85).
        Box::into_pin(unsafe { slot.assume_init() })
    }
}

impl ThriftClient {
    /// The channel's call for `request`: this client's options and headers under the call's.
    fn channel_call(&self, request: thrift::Request) -> Call<Thrift> {
        let opts = request.apply_options(self.opts.clone());
        let method = request.method();
        let (args, mut headers) = request.into_args_and_headers();
        // The call's headers over the client's; most calls have neither, and then no map is
        // cloned, merged or dropped here.
        if !self.headers.is_empty() {
            let mut all = self.headers.clone();
            all.append(&mut headers);
            headers = all;
        }
        // The service and method are shared names (no copy); the call is built whole (each
        // builder setter moved it, options and all, once more).
        Call::from_parts(
            self.channel.clone(),
            self.service.clone(),
            crate::Name::from_static(method),
            headers,
            args,
            opts,
        )
    }
}

/// A [`ThriftClient`]'s call: the channel's future `F` and the reply made of its response.
struct Sending<F> {
    call: F,
    #[allow(deprecated)]
    sink: Option<ResponseHeaders>,
}

impl<F> Future for Sending<F>
where
    F: Future<Output = Result<Response<Thrift>, crate::Error>> + Unpin,
{
    type Output = Result<thrift::Reply<thrift::Response>, BoxError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let res = std::task::ready!(Pin::new(&mut this.call).poll(cx))
            .map_err(|e| Box::new(e) as BoxError)?;
        #[allow(deprecated)]
        if let Some(sink) = &this.sink {
            *sink.0.lock().unwrap_or_else(|p| p.into_inner()) = res.headers.clone();
        }
        Poll::Ready(Ok(thrift::Reply {
            value: thrift::Response {
                ok: res.ok,
                body: res.body,
            },
            headers: res.headers,
            transport_headers: res.transport,
        }))
    }
}
