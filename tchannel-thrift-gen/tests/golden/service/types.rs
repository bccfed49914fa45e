#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct Type1 {
    pub number: i32,
    pub message: ::std::string::String,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl ::tchannel_runtime::thrift::ThriftValue for Type1 {
    const TTYPE: ::tchannel_runtime::thrift::TType = ::tchannel_runtime::thrift::TType::Struct;
    fn write(&self, w: &mut ::tchannel_runtime::thrift::Writer) {
        w.write_field_begin(::tchannel_runtime::thrift::TType::I32, 1);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.number, w);
        w.write_field_begin(::tchannel_runtime::thrift::TType::String, 2);
        ::tchannel_runtime::thrift::ThriftValue::write(&self.message, w);
        w.write_field_stop();
    }
    fn read(
        r: &mut ::tchannel_runtime::thrift::Reader,
    ) -> ::std::result::Result<Self, ::tchannel_runtime::thrift::DecodeError> {
        r.enter()?;
        let mut f_number: ::std::option::Option<i32> = ::std::option::Option::None;
        let mut f_message: ::std::option::Option<::std::string::String> = ::std::option::Option::None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == ::tchannel_runtime::thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, ::tchannel_runtime::thrift::TType::I32) => {
                    f_number = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("Type1", "number"))?,
                    );
                }
                (2, ::tchannel_runtime::thrift::TType::String) => {
                    f_message = ::std::option::Option::Some(
                        ::tchannel_runtime::thrift::ThriftValue::read(r)
                            .map_err(|e| e.in_field("Type1", "message"))?,
                    );
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        ::std::result::Result::Ok(Type1 {
            number: f_number.unwrap_or_default(),
            message: f_message.unwrap_or_default(),
        })
    }
}
impl ::tchannel_runtime::thrift::ThriftStruct for Type1 {
    const NAME: &'static str = "Type1";
}
