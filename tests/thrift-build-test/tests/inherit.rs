//! `extends` across files: the leaf service's dispatcher answers inherited methods under the
//! leaf name, and its client calls them; types from the included file round-trip.

use tchannel_runtime::thrift::{Bytes, Error, NoException, RequestContext, Service, ThriftStruct};
use thrift_build_test::inherit::{
    calculator, Calculator, CalculatorClient, CalculatorServer, Overloaded, Shape, Tree,
    DEFAULT_STATUS, SEED,
};
use thrift_build_test::shared::{shared_service, SharedError, SharedService, SharedStruct, Status};
use thrift_build_test::support::{block_on, Loopback};

struct Calc;

impl SharedService for Calc {
    async fn get_struct(
        &self,
        _: &RequestContext,
        key: i32,
    ) -> Result<SharedStruct, Error<shared_service::GetStructError>> {
        if key < 0 {
            return Err(SharedError {
                message: "negative".into(),
            }
            .into());
        }
        Ok(SharedStruct {
            key,
            value: key.to_string(),
            status: Some(Status::Ok),
        })
    }

    async fn health(&self, _: &RequestContext) -> Result<Status, Error<NoException>> {
        Ok(Status::from_value(7))
    }
}

impl Calculator for Calc {
    async fn add(&self, _: &RequestContext, a: i64, b: i64) -> Result<i64, Error<NoException>> {
        a.checked_add(b).ok_or_else(|| Error::failure("overflow"))
    }

    async fn area(
        &self,
        _: &RequestContext,
        shape: Shape,
    ) -> Result<f64, Error<calculator::AreaError>> {
        match shape {
            Shape::CircleRadius(r) => Ok(std::f64::consts::PI * r * r),
            Shape::Polygon(_) => Err(Overloaded { retry_after_ms: 5 }.into()),
            Shape::Tree(_) => Err(SharedError {
                message: "trees have no area".into(),
            }
            .into()),
        }
    }

    async fn mirror(&self, _: &RequestContext, tree: Tree) -> Result<Tree, Error<NoException>> {
        fn flip(t: Tree) -> Tree {
            Tree {
                value: t.value,
                left: t.right.map(|r| Box::new(flip(*r))),
                right: t.left.map(|l| Box::new(flip(*l))),
            }
        }
        Ok(flip(tree))
    }

    async fn log(&self, _: &RequestContext, _line: String) -> Result<(), Error<NoException>> {
        Ok(())
    }

    async fn seed(
        &self,
        _: &RequestContext,
    ) -> Result<std::collections::BTreeMap<String, SharedStruct>, Error<NoException>> {
        Ok(SEED.clone())
    }
}

#[test]
fn inherited_methods_are_served_under_the_leaf_name() {
    let server = CalculatorServer::new(Calc);
    assert_eq!(server.name(), "Calculator");
    assert!(server.methods().contains(&"Calculator::getStruct"));
    assert!(!server
        .methods()
        .iter()
        .any(|m| m.starts_with("SharedService::")));
    block_on(async {
        let (_, res) = server
            .call(
                RequestContext::default(),
                "SharedService::getStruct",
                Bytes::from_static(&[0]),
            )
            .await;
        assert!(res.is_err());
        let args = shared_service::GetStructArgs { key: 3 };
        let (_, res) = server
            .call(
                RequestContext::default(),
                "Calculator::getStruct",
                args.to_bytes(),
            )
            .await;
        let res = res.unwrap();
        assert!(res.ok);
        assert_eq!(
            shared_service::GetStructResult::from_bytes(res.body).unwrap(),
            shared_service::GetStructResult::Success(SharedStruct {
                key: 3,
                value: "3".into(),
                status: Some(Status::Ok)
            })
        );
    });
}

#[test]
fn client_calls_own_and_inherited_methods() {
    block_on(async {
        let client = CalculatorClient::new(Loopback(CalculatorServer::new(Calc)));
        assert_eq!(client.add(2, 40).await.unwrap(), 42);
        assert!(
            matches!(client.add(i64::MAX, 1).await, Err(Error::Failure(e)) if e.to_string().contains("overflow"))
        );
        assert_eq!(client.get_struct(1).await.unwrap().value, "1");
        match client.get_struct(-1).await {
            Err(Error::Exception(shared_service::GetStructError::Err(e))) => {
                assert_eq!(e.message, "negative")
            }
            other => panic!("{other:?}"),
        }
        // An enum value this code does not know survives the trip.
        assert_eq!(client.health().await.unwrap().value(), 7);
        let a = client.area(Shape::CircleRadius(1.0)).await.unwrap();
        assert!((a - std::f64::consts::PI).abs() < 1e-12);
        assert!(matches!(
            client.area(Shape::Polygon(vec![])).await,
            Err(Error::Exception(calculator::AreaError::Overloaded(
                Overloaded { retry_after_ms: 5 }
            )))
        ));
        assert!(matches!(
            client.area(Shape::Tree(Tree::default())).await,
            Err(Error::Exception(calculator::AreaError::Shared(_)))
        ));
        let tree = Tree {
            value: 1,
            left: Some(Box::new(Tree {
                value: 2,
                left: None,
                right: None,
            })),
            right: None,
        };
        let mirrored = client.mirror(tree).await.unwrap();
        assert_eq!(mirrored.right.unwrap().value, 2);
        assert!(mirrored.left.is_none());
        client.log("oneway is an ordinary call").await.unwrap();
        assert_eq!(client.seed().await.unwrap()["one"].value, "uno");
    });
    assert_eq!(DEFAULT_STATUS, Status::Degraded);
}
