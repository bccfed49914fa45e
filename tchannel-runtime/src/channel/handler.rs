//! The server side of a call: what a handler receives and returns, and the table that
//! routes an inbound call to its handler.

use super::ChannelInner;
use crate::call::{Name, TransportInfo};
use crate::connection::{BoxFuture, InboundCall, OutgoingResponse};
use crate::error::{Error, ErrorCode};
use crate::frame::{DefaultScheme, Tracing, TransportHeaders};
use crate::middleware::{InboundNext, InboundRequest, InboundResponse};
use crate::scheme::Scheme;
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

/// A request as a handler sees it, decoded by its scheme.
#[derive(Debug, Clone)]
pub struct Request<S: Scheme> {
    /// arg1: the endpoint (method) name (the frame's bytes, shared).
    pub endpoint: Name,
    /// arg2, decoded.
    pub headers: S::Headers,
    /// arg3, decoded.
    pub body: S::Body,
    /// Transport metadata: caller, ttl, deadline, transport headers, tracing.
    pub transport: TransportInfo,
}

/// A response: OK or an application error, with headers and body.
#[derive(Debug, Clone)]
pub struct Response<S: Scheme> {
    /// False for an application error (call res code 0x01).
    pub ok: bool,
    /// arg2.
    pub headers: S::Headers,
    /// arg3.
    pub body: S::Body,
    /// Transport headers of the response.
    pub transport: TransportHeaders,
}

impl<S: Scheme> Response<S> {
    /// A successful response with this body and no headers.
    pub fn new(body: S::Body) -> Self {
        Response {
            ok: true,
            headers: Default::default(),
            body,
            transport: TransportHeaders::new(),
        }
    }

    /// An application error (code 0x01) with this body.
    pub fn app_error(body: S::Body) -> Self {
        Response {
            ok: false,
            ..Self::new(body)
        }
    }

    /// Sets the application headers.
    pub fn with_headers(mut self, headers: S::Headers) -> Self {
        self.headers = headers;
        self
    }
}

/// Why a handler failed: sent to the caller as an error frame.
///
/// Any `std::error::Error` converts into one as an unexpected error (so `?` works in
/// handlers), except this crate's [`Error`], whose code is kept.
///
/// ```
/// use tchannel_runtime::{ErrorCode, HandlerError};
/// let e = HandlerError::busy("queue full");
/// assert_eq!(e.code(), ErrorCode::Busy);
/// let e: HandlerError = std::io::Error::other("disk on fire").into();
/// assert_eq!(e.code(), ErrorCode::Unexpected);
/// assert_eq!(e.message(), "disk on fire");
/// ```
#[derive(Debug, Clone)]
pub struct HandlerError {
    code: ErrorCode,
    message: String,
}

impl HandlerError {
    /// An error frame with this code.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        HandlerError {
            code,
            message: message.into(),
        }
    }
    /// Unexpected error (0x05).
    pub fn unexpected(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unexpected, message)
    }
    /// Busy (0x03).
    pub fn busy(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Busy, message)
    }
    /// Declined (0x04).
    pub fn declined(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Declined, message)
    }
    /// Bad request (0x06).
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadRequest, message)
    }
    /// The code sent.
    pub fn code(&self) -> ErrorCode {
        self.code
    }
    /// The message sent.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for HandlerError {
    fn from(e: E) -> Self {
        let any: &dyn std::any::Any = &e;
        if let Some(err) = any.downcast_ref::<Error>() {
            // An error with a wire code goes on with it, and the receiver names the code: the
            // message is the detail only (not "bad request: bad request: ...").
            return match err.code() {
                Some(code) if err.is_code_kind() => HandlerError::new(code, err.detail()),
                code => HandlerError::new(code.unwrap_or(ErrorCode::Unexpected), err.to_string()),
            };
        }
        HandlerError::unexpected(e.to_string())
    }
}

impl From<HandlerError> for Error {
    fn from(e: HandlerError) -> Self {
        Error::from_code(e.code, e.message)
    }
}

/// A handler with its scheme erased: raw args in, raw response out.
pub(crate) trait Erased: Send + Sync + 'static {
    fn scheme(&self) -> &'static str;
    fn call(
        &self,
        endpoint: Name,
        arg2: bytes::Bytes,
        arg3: bytes::Bytes,
        transport: TransportInfo,
        instrument: bool,
    ) -> BoxFuture<Result<OutgoingResponse, Error>>;
}

pub(crate) struct Typed<S, F> {
    pub f: F,
    pub _scheme: S,
}

impl<S, F, Fut> Erased for Typed<S, F>
where
    S: Scheme,
    F: Fn(Request<S>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Response<S>, HandlerError>> + Send + 'static,
{
    fn scheme(&self) -> &'static str {
        S::NAME
    }

    fn call(
        &self,
        endpoint: Name,
        arg2: bytes::Bytes,
        arg3: bytes::Bytes,
        transport: TransportInfo,
        instrument: bool,
    ) -> BoxFuture<Result<OutgoingResponse, Error>> {
        let decoded = S::decode_headers(arg2).and_then(|h| Ok((h, S::decode_body(arg3)?)));
        let (headers, body) = match decoded {
            Ok(v) => v,
            Err(e) => {
                let msg = format!("endpoint {endpoint:?}: {}", e.message());
                return Box::pin(async move { Err(Error::bad_request(msg)) });
            }
        };
        // The response's `as` copies the request's (a raw handler may answer any scheme).
        let scheme = DefaultScheme::of(transport.scheme.as_bytes());
        let span = if instrument {
            inbound_span(&transport.service, &endpoint, &transport.tracing)
        } else {
            tracing::Span::none()
        };
        let current = transport.tracing;
        let fut = (self.f)(Request {
            endpoint,
            headers,
            body,
            transport,
        });
        Box::pin(Served::<S, _> {
            span: current,
            tspan: span,
            scheme,
            fut,
            _scheme: std::marker::PhantomData,
        })
    }
}

pin_project_lite::pin_project! {
    /// A handler's future as served: polled with the call's span as the current one (as
    /// `trace::Scoped` does), so calls it makes (their span is fixed when first polled) are
    /// children; its response encoded when it is done. One struct rather than an async block
    /// inside a `Scoped`: the handler's future is moved once less on its way into the box.
    struct Served<S, Fut> {
        span: Tracing,
        tspan: tracing::Span,
        // The response's `as` when the handler sets none.
        scheme: DefaultScheme,
        #[pin]
        fut: Fut,
        _scheme: std::marker::PhantomData<fn() -> S>,
    }
}

impl<S, Fut> Future for Served<S, Fut>
where
    S: Scheme,
    Fut: Future<Output = Result<Response<S>, HandlerError>>,
{
    type Output = Result<OutgoingResponse, Error>;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let this = self.project();
        let _restore = crate::trace::Enter::new(*this.span);
        let _entered = (!this.tspan.is_disabled()).then(|| this.tspan.enter());
        let res = match std::task::ready!(this.fut.poll(cx)) {
            Ok(res) => res,
            Err(e) => return std::task::Poll::Ready(Err(Error::from(e))),
        };
        std::task::Poll::Ready(Self::encode(res, this.scheme.clone()))
    }
}

impl<S: Scheme, Fut> Served<S, Fut> {
    fn encode(res: Response<S>, scheme: DefaultScheme) -> Result<OutgoingResponse, Error> {
        Ok(OutgoingResponse {
            code: if res.ok { 0 } else { 1 },
            headers: response_headers(res.transport, scheme),
            arg2: S::into_headers(res.headers)?,
            arg3: S::into_body(res.body)?,
        })
    }
}

/// A response's transport headers: those the handler set, with `as` copied from the
/// request's when it set none (most set no header at all: a lone `as` of a usual scheme is
/// then a static block, no allocation; see `TransportHeaders::with_default_scheme`).
#[inline(always)]
fn response_headers(headers: TransportHeaders, scheme: DefaultScheme) -> TransportHeaders {
    headers.with_default_scheme(scheme)
}

/// The `tracing` span of one inbound call.
fn inbound_span(service: &str, endpoint: &str, t: &Tracing) -> tracing::Span {
    crate::trace::call_span!("tchannel.inbound", service, endpoint, t)
}

/// The handler table's maps: foldhash, seeded per process, rather than SipHash. Lookups are
/// with names from the wire, but only registration inserts, so a peer cannot grow or
/// collide the table; the lookups of each served call cost a fraction of SipHash's.
type Map<V> = HashMap<String, V, foldhash::fast::RandomState>;

/// While a channel has at most this many routes, a call's handler is found by comparing
/// names in a list rather than by hashing them (see `Handlers::few`).
const FEW_ROUTES: usize = 8;

/// A route of `Handlers::few`: service, endpoint, handler.
type Route = (Box<[u8]>, Box<[u8]>, Arc<dyn Erased>);

/// Handlers by service and endpoint, plus an optional fallback.
#[derive(Default)]
pub(crate) struct Handlers {
    /// service -> endpoint -> handler (nested so lookups borrow `&str`, no allocation).
    by_service: Map<Map<Arc<dyn Erased>>>,
    /// The same routes as a list while there are at most [`FEW_ROUTES`] (the usual
    /// server), `None` past that: comparing a call's names with a handful of routes, bytes
    /// against bytes, costs a fraction of hashing both names and probing two maps.
    few: Option<Vec<Route>>,
    /// No route was ever added past [`FEW_ROUTES`] (then `few` holds them all).
    many: bool,
    fallback: Option<Arc<dyn Erased>>,
}

use crate::name::same_bytes as same;

impl Handlers {
    pub(crate) fn insert(&mut self, service: String, endpoint: String, h: Arc<dyn Erased>) {
        if !self.many {
            let few = self.few.get_or_insert_with(Vec::new);
            let at = few
                .iter()
                .position(|(s, e, _)| **s == *service.as_bytes() && **e == *endpoint.as_bytes());
            match at {
                Some(i) => few[i].2 = h.clone(),
                None if few.len() < FEW_ROUTES => {
                    let (s, e) = (service.as_bytes().into(), endpoint.as_bytes().into());
                    few.push((s, e, h.clone()));
                }
                None => {
                    self.few = None;
                    self.many = true;
                }
            }
        }
        self.by_service
            .entry(service)
            .or_default()
            .insert(endpoint, h);
    }

    /// Every registered (service, endpoint, scheme), and whether there is a fallback.
    pub(crate) fn endpoints(&self) -> (Vec<(String, String, &'static str)>, bool) {
        let list = self
            .by_service
            .iter()
            .flat_map(|(s, m)| m.iter().map(|(e, h)| (s.clone(), e.clone(), h.scheme())))
            .collect();
        (list, self.fallback.is_some())
    }

    pub(crate) fn set_fallback(&mut self, h: Arc<dyn Erased>) {
        self.fallback = Some(h);
    }

    #[inline]
    pub(crate) fn find(&self, service: &str, endpoint: &str) -> Option<&Arc<dyn Erased>> {
        let found = match &self.few {
            Some(few) => few
                .iter()
                .find(|(s, e, _)| {
                    // Both lengths first: most routes differ in one of them.
                    s.len() == service.len()
                        && e.len() == endpoint.len()
                        && same(e, endpoint.as_bytes())
                        && same(s, service.as_bytes())
                })
                .map(|(_, _, h)| h),
            None => self.by_service.get(service).and_then(|m| m.get(endpoint)),
        };
        found.or(self.fallback.as_ref())
    }

    /// The handler for a call, or the bad-request error that answers it.
    #[inline]
    fn route(
        &self,
        service: &str,
        endpoint: &str,
        scheme: &str,
    ) -> Result<&Arc<dyn Erased>, Error> {
        let Some(handler) = self.find(service, endpoint) else {
            return Err(no_such_endpoint(service, endpoint));
        };
        let expects = handler.scheme();
        if !same(scheme.as_bytes(), expects.as_bytes()) && expects != "raw" {
            return Err(wrong_scheme(service, endpoint, scheme, expects));
        }
        Ok(handler)
    }
}

#[cold]
#[inline(never)]
fn no_such_endpoint(service: &str, endpoint: &str) -> Error {
    Error::bad_request(format!(
        "no such endpoint service={service:?} endpoint={endpoint:?}"
    ))
}

#[cold]
#[inline(never)]
fn wrong_scheme(service: &str, endpoint: &str, scheme: &str, expects: &str) -> Error {
    Error::bad_request(format!(
        "endpoint {endpoint:?} of service {service:?} expects as={expects}, got as={scheme}"
    ))
}

/// Routes a complete inbound call: through the inbound middleware if there is any, then
/// finds the handler, checks the scheme, runs it. (Inlined into `Dispatcher::dispatch`, its
/// one caller: the call is not moved once more on the way.)
#[inline(always)]
pub(crate) fn dispatch(
    channel: &Arc<ChannelInner>,
    handlers: &Handlers,
    call: InboundCall,
) -> BoxFuture<Result<OutgoingResponse, Error>> {
    let InboundCall {
        service,
        headers,
        tracing,
        ttl,
        deadline,
        args: [arg1, arg2, arg3],
        peer,
        checksum,
    } = call;
    let endpoint = Name::from_wire(arg1);
    let service = Name::from_wire(service);
    let scheme = TransportInfo::scheme_of(&headers);
    let timing = (ttl, deadline, tracing);
    let Some(chain) = &channel.inbound else {
        // No middleware: straight to the handler, one allocation (its boxed future). (The
        // transport built where it is passed: not built aside and then moved.)
        return match handlers.route(&service, &endpoint, &scheme) {
            Ok(handler) => handler.call(
                endpoint,
                arg2,
                arg3,
                TransportInfo::from_parts(service, scheme, headers, timing, peer, checksum),
                true,
            ),
            Err(e) => Box::pin(async move { Err(e) }),
        };
    };
    let transport = TransportInfo::from_parts(service, scheme, headers, timing, peer, checksum);
    let span = inbound_span(&transport.service, &endpoint, &transport.tracing);
    let current = transport.tracing;
    let scheme = DefaultScheme::of(transport.scheme.as_bytes());
    let next = InboundNext::start(chain.clone(), channel.clone());
    let req = InboundRequest {
        service: transport.service.clone(),
        endpoint,
        headers: arg2,
        body: arg3,
        transport,
    };
    Box::pin(crate::trace::Scoped::new(current, span, async move {
        let res = next.run(req).await?;
        Ok(OutgoingResponse {
            code: if res.ok { 0 } else { 1 },
            headers: response_headers(res.transport, scheme),
            arg2: res.headers,
            arg3: res.body,
        })
    }))
}

impl ChannelInner {
    /// The end of every inbound chain: the handler, found by service and endpoint, checked
    /// against the scheme.
    pub(crate) async fn handle(&self, req: InboundRequest) -> Result<InboundResponse, Error> {
        let handler = self
            .handlers
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .route(&req.service, &req.endpoint, &req.transport.scheme)?
            .clone();
        let res = handler
            .call(req.endpoint, req.headers, req.body, req.transport, false)
            .await?;
        Ok(InboundResponse {
            ok: res.code == 0,
            headers: res.arg2,
            body: res.arg3,
            transport: res.headers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::{Json, Raw};

    fn raw_handler() -> Arc<dyn Erased> {
        Arc::new(Typed {
            f: |req: Request<Raw>| async move { Ok(Response::new(req.body)) },
            _scheme: Raw,
        })
    }

    /// Each route is found, by the list while there are few and by the maps past that; a
    /// second registration replaces the first; an unknown one finds the fallback, if any;
    /// and the errors name the endpoint, the service and the schemes.
    #[test]
    fn routes_are_found_as_few_or_many() {
        for n in [
            1,
            FEW_ROUTES - 1,
            FEW_ROUTES,
            FEW_ROUTES + 1,
            3 * FEW_ROUTES,
        ] {
            let mut t = Handlers::default();
            let routes: Vec<(String, String, Arc<dyn Erased>)> = (0..n)
                .map(|i| (format!("svc{}", i % 3), format!("ep{i}"), raw_handler()))
                .collect();
            for (s, e, h) in &routes {
                t.insert(s.clone(), e.clone(), h.clone());
            }
            assert_eq!(t.few.is_some(), n <= FEW_ROUTES, "{n} routes");
            for (s, e, h) in &routes {
                assert!(Arc::ptr_eq(t.find(s, e).unwrap(), h), "{s}/{e} of {n}");
                assert!(Arc::ptr_eq(t.route(s, e, "raw").unwrap(), h));
            }
            // Same length, other bytes; same endpoint, other service.
            assert!(t.find("svc0", "ep9999").is_none());
            assert!(t.find("svcX", "ep0").is_none());
            assert!(t.find("svc1", "ep0").is_none());
            let e = t.route("svc0", "nope", "raw").err().unwrap();
            assert_eq!(
                e.message(),
                "no such endpoint service=\"svc0\" endpoint=\"nope\""
            );
            // Registered again: replaced.
            let again = raw_handler();
            t.insert("svc0".into(), "ep0".into(), again.clone());
            assert!(Arc::ptr_eq(t.find("svc0", "ep0").unwrap(), &again));
            let fallback = raw_handler();
            t.set_fallback(fallback.clone());
            assert!(Arc::ptr_eq(t.find("svc0", "nope").unwrap(), &fallback));
            assert_eq!(t.endpoints().0.len(), n);
        }
        let mut t = Handlers::default();
        let json: Arc<dyn Erased> = Arc::new(Typed {
            f: |req: Request<Json>| async move { Ok(Response::new(req.body)) },
            _scheme: Json,
        });
        t.insert("svc".into(), "get".into(), json);
        assert!(t.route("svc", "get", "json").is_ok());
        let e = t.route("svc", "get", "thrift").err().unwrap();
        assert!(e.is_bad_request());
        assert_eq!(
            e.message(),
            "endpoint \"get\" of service \"svc\" expects as=json, got as=thrift"
        );
    }
}
