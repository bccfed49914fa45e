#[allow(unused_imports)]
use ::tchannel_runtime::thrift as _thrift;
/// `struct Type1` in the IDL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::type_complexity)]
pub struct Type1 {
    /// `number`: field 1, default requiredness.
    pub number: i32,
    /// `message`: field 2, default requiredness.
    pub message: String,
}
#[allow(
    clippy::type_complexity,
    clippy::approx_constant,
    clippy::unnecessary_lazy_evaluations
)]
impl _thrift::ThriftValue for Type1 {
    const TTYPE: _thrift::TType = _thrift::TType::Struct;
    fn write(&self, w: &mut _thrift::Writer) {
        w.write_field(1, &self.number);
        w.write_field(2, &self.message);
        w.write_field_stop();
    }
    fn encoded_len(&self) -> usize {
        #[allow(unused_mut)]
        let mut n = 1;
        n += 3 + _thrift::ThriftValue::encoded_len(&self.number);
        n += 3 + _thrift::ThriftValue::encoded_len(&self.message);
        n
    }
    fn read(r: &mut _thrift::Reader) -> Result<Self, _thrift::DecodeError> {
        r.enter()?;
        let mut f_number: Option<i32> = None;
        let mut f_message: Option<String> = None;
        loop {
            let (ty, id) = r.read_field_begin()?;
            if ty == _thrift::TType::Stop {
                break;
            }
            match (id, ty) {
                (1, _thrift::TType::I32) => {
                    f_number = Some(r.read_field("Type1", "number")?);
                }
                (2, _thrift::TType::String) => {
                    f_message = Some(r.read_field("Type1", "message")?);
                }
                _ => r.skip(ty)?,
            }
        }
        r.leave();
        Ok(Type1 {
            number: f_number.unwrap_or_default(),
            message: f_message.unwrap_or_default(),
        })
    }
}
impl _thrift::ThriftStruct for Type1 {
    const NAME: &'static str = "Type1";
}
