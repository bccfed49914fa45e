//! A service whose methods are named as the generated clients' own items (`new`,
//! `transport`, `client`, `runtime`): the generated code builds, and each method is reached,
//! through the async and the blocking client, under its escaped name (`new_`, ...).

use tchannel_runtime::thrift::{BlockingRuntime, Error, NoException, RequestContext};
use thrift_build_test::clash::{Clash, ClashBlockingClient, ClashClient, ClashServer};
use thrift_build_test::support::{block_on, Loopback};

struct Named;

impl Clash for Named {
    async fn new(&self, _: &RequestContext, name: String) -> Result<String, Error<NoException>> {
        Ok(format!("new {name}"))
    }
    async fn transport(&self, _: &RequestContext) -> Result<String, Error<NoException>> {
        Ok("transport".into())
    }
    async fn client(&self, _: &RequestContext) -> Result<String, Error<NoException>> {
        Ok("client".into())
    }
    async fn runtime(&self, _: &RequestContext) -> Result<String, Error<NoException>> {
        Ok("runtime".into())
    }
}

#[test]
fn methods_named_as_client_items_are_reached_under_escaped_names() {
    block_on(async {
        let c = ClashClient::new(Loopback(ClashServer::new(Named)));
        assert_eq!(c.new_("x").await.unwrap(), "new x");
        assert_eq!(c.transport_().await.unwrap(), "transport");
        assert_eq!(c.client_().await.unwrap(), "client");
        assert_eq!(c.runtime_().await.unwrap(), "runtime");
        // The client's own items keep their names.
        let _: &Loopback<ClashServer<Named>> = c.transport();
    });
}

#[test]
fn the_blocking_client_escapes_the_same_names() {
    let runtime = BlockingRuntime::new().unwrap();
    let c = ClashBlockingClient::new(Loopback(ClashServer::new(Named)), &runtime);
    assert_eq!(c.new_("y").unwrap(), "new y");
    assert_eq!(c.transport_().unwrap(), "transport");
    assert_eq!(c.client_().unwrap(), "client");
    assert_eq!(c.runtime_().unwrap(), "runtime");
    let _: &ClashClient<_> = c.client();
    let _: &BlockingRuntime = c.runtime();
}
