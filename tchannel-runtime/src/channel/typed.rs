//! Typed answers: [`Response::into_result`] turns an application error into an error value,
//! and JSON bodies convert to and from any `Serialize` / `DeserializeOwned` type
//! ([`Call::body_json`], [`Request::json`], [`Response::json`], [`Response::from_json`]).
//!
//! The name `Json` belongs to the scheme (`register("add", Json, ..)`, `Call<Json>`), so the
//! typed side is a set of methods, reqwest's names, rather than a `Json<T>` wrapper: the body
//! on the wire, and `serde_json::Value` for untyped code, stay as they are.

use super::{Call, Request, Response};
use crate::error::{Error, Kind};
use crate::scheme::{Json, Scheme};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;

/// An application error (call res code 0x01) as an error value, from
/// [`Response::into_result`]. It keeps the whole response (`response.body` is what the peer
/// said went wrong), and converts into the crate's [`Error`] (for which
/// [`Error::is_application_error`] holds) so `?` works in functions returning it.
pub struct ApplicationError<S: Scheme> {
    /// The response, as received.
    pub response: Response<S>,
}

impl<S: Scheme> ApplicationError<S> {
    /// The response, as received.
    pub fn into_response(self) -> Response<S> {
        self.response
    }
}

/// The longest rendering of a body an error message carries.
const BODY_IN_MESSAGE: usize = 256;

impl<S: Scheme> fmt::Display for ApplicationError<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = format!("{:?}", self.response.body);
        match body.char_indices().nth(BODY_IN_MESSAGE) {
            Some((i, _)) => write!(f, "application error: {}...", &body[..i]),
            None => write!(f, "application error: {body}"),
        }
    }
}

impl<S: Scheme> fmt::Debug for ApplicationError<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = &self.response;
        f.debug_struct("ApplicationError")
            .field("headers", &r.headers)
            .field("body", &r.body)
            .field("transport", &r.transport)
            .finish()
    }
}

impl<S: Scheme> std::error::Error for ApplicationError<S> {}

impl<S: Scheme> From<ApplicationError<S>> for Error {
    fn from(e: ApplicationError<S>) -> Self {
        let text = e.to_string();
        let message = text.strip_prefix("application error: ").unwrap_or(&text);
        Error::new(Kind::Application, message)
    }
}

impl<S: Scheme> Response<S> {
    /// `Ok(self)` for a successful response, an [`ApplicationError`] holding it for an
    /// application error (call res code 0x01), so that `?` or `match` handle it rather
    /// than a check of `ok` that is easy to forget.
    ///
    /// ```
    /// use tchannel_runtime::{Raw, Response};
    /// let ok: Response<Raw> = Response::new("fine".into());
    /// assert!(ok.into_result().is_ok());
    /// let failed: Response<Raw> = Response::app_error("no such user".into());
    /// let e = failed.into_result().unwrap_err();
    /// assert_eq!(e.response.body, "no such user");
    /// let e = tchannel_runtime::Error::from(e);
    /// assert!(e.is_application_error());
    /// assert_eq!(e.to_string(), r#"application error: b"no such user""#);
    /// ```
    pub fn into_result(self) -> Result<Self, ApplicationError<S>> {
        if self.ok {
            Ok(self)
        } else {
            Err(ApplicationError { response: self })
        }
    }
}

fn type_name<T: ?Sized>() -> &'static str {
    std::any::type_name::<T>()
}

impl Response<Json> {
    /// The body as a `T`. A body that is not a `T` is an arg scheme error
    /// ([`Error::is_scheme`]) naming the type and what did not match.
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// struct Sum { sum: i64 }
    /// let res = tchannel_runtime::Response::<tchannel_runtime::Json>::new(serde_json::json!({"sum": 3}));
    /// assert_eq!(res.json::<Sum>().unwrap().sum, 3);
    /// let e = res.json::<Vec<u8>>().unwrap_err();
    /// assert!(e.is_scheme());
    /// ```
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        T::deserialize(&self.body).map_err(|e| {
            Error::new(
                Kind::Scheme,
                format!("json body is not a `{}`: {e}", type_name::<T>()),
            )
        })
    }

    /// A successful response whose body is `body` as JSON. A value that JSON cannot hold
    /// (a map with keys that are not strings, a `Serialize` impl that fails) is an arg scheme
    /// error; in a handler `?` sends it as an unexpected-error frame.
    ///
    /// ```
    /// #[derive(serde::Serialize)]
    /// struct Sum { sum: i64 }
    /// let res = tchannel_runtime::Response::from_json(&Sum { sum: 3 }).unwrap();
    /// assert_eq!(res.body, serde_json::json!({"sum": 3}));
    /// ```
    pub fn from_json<T: Serialize + ?Sized>(body: &T) -> Result<Self, Error> {
        Ok(Response::new(to_value(body)?))
    }
}

impl Request<Json> {
    /// The body as a `T`. A body that is not a `T` is a bad request
    /// ([`Error::is_bad_request`]) naming the type and what did not match, so `?` in a
    /// handler answers the caller with a bad-request error frame.
    ///
    /// ```
    /// use tchannel_runtime::{Json, Response, TChannel};
    /// #[derive(serde::Deserialize)]
    /// struct Add { a: i64, b: i64 }
    /// #[derive(serde::Serialize)]
    /// struct Sum { sum: i64 }
    /// let ch = TChannel::new("math");
    /// ch.register("add", Json, |req| async move {
    ///     let add: Add = req.json()?;
    ///     Ok(Response::from_json(&Sum { sum: add.a + add.b })?)
    /// });
    /// ```
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        T::deserialize(&self.body).map_err(|e| {
            Error::bad_request(format!(
                "endpoint {:?}: json body is not a `{}`: {e}",
                self.endpoint,
                type_name::<T>()
            ))
        })
    }
}

impl Call<Json> {
    /// The body (arg3): `body` as JSON. Fails at once, nothing sent, with an arg scheme
    /// error if JSON cannot hold the value (a map whose keys are not strings, a `Serialize`
    /// impl that fails).
    ///
    /// ```no_run
    /// # async fn f(ch: tchannel_runtime::TChannel) -> Result<(), tchannel_runtime::Error> {
    /// #[derive(serde::Serialize)]
    /// struct Add { a: i64, b: i64 }
    /// #[derive(serde::Deserialize)]
    /// struct Sum { sum: i64 }
    /// let sum: Sum = ch
    ///     .json("math", "add")
    ///     .body_json(&Add { a: 40, b: 2 })?
    ///     .await?
    ///     .into_result()? // an application error becomes an error
    ///     .json()?;
    /// assert_eq!(sum.sum, 42);
    /// # Ok(()) }
    /// ```
    pub fn body_json<T: Serialize + ?Sized>(self, body: &T) -> Result<Self, Error> {
        Ok(self.body(to_value(body)?))
    }
}

fn to_value<T: Serialize + ?Sized>(body: &T) -> Result<serde_json::Value, Error> {
    serde_json::to_value(body).map_err(|e| {
        Error::new(
            Kind::Scheme,
            format!("cannot encode a {} as json: {e}", type_name::<T>()),
        )
    })
}
