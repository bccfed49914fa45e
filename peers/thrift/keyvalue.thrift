// The KeyValue service of TChannel's Getting Started guide, served by the
// interop peers (peers/node/server.js, peers/python/server.py).
// Its fields carry no `required`/`optional`: load it non-strict
// (node strict:false, python strict=False, tcurl --no-strict).

exception NotFoundError {
    1: string key
}

service KeyValue {
    string getValue(1: string key) throws (1: NotFoundError notFound)
    void setValue(1: string key, 2: string value)
}
