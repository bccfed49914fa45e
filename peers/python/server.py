"""tchannel-python 2.1.0 interop server. See peers/README.md for the contract.

peers/.venv/bin/python peers/python/server.py [--service NAME] [--host H]
    [--port P] [--advertise ROUTER_HOSTPORT]...

Prints exactly one line `listening on HOST:PORT` on stdout once it serves
calls (with --advertise: once the router also answered the first `ad`).
"""

import argparse
import binascii
import itertools
import json
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tornado import gen, ioloop  # noqa: E402

from tchannel import TChannel, Response  # noqa: E402
from tchannel.errors import (  # noqa: E402
    BadRequestError, BusyError, DeclinedError, UnexpectedError)

import common  # noqa: E402


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--service', default='interop')
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, default=0)
    p.add_argument('--advertise', action='append', default=[],
                   metavar='ROUTER_HOSTPORT')
    return p.parse_args()


def text(b):
    if isinstance(b, bytes):
        return b.decode('utf8', 'replace')
    return b or ''


def raw_bytes(b):
    if b is None:
        return b''
    if isinstance(b, str):
        return b.encode('utf8')
    return bytes(b)


def tracing_info(tracing):
    if tracing is None:
        return None
    out = {}
    for name in ('span_id', 'parent_id', 'trace_id', 'traceflags'):
        v = getattr(tracing, name, None)
        if isinstance(v, int):
            v = '%016x' % (v & 0xFFFFFFFFFFFFFFFF) if name != 'traceflags' else v
        out['flags' if name == 'traceflags' else name] = v
    return out


def build(args):
    tc = TChannel(args.service, hostport='%s:%d' % (args.host, args.port))
    dispatcher = tc._dep_tchannel._handler

    # tchannel-python keys handlers by endpoint name and rejects a call whose
    # `as` differs from the handler's scheme, so `echo` cannot be both a raw
    # and a json endpoint. The json ones are registered as `json:NAME`; a
    # wrapper around the dispatcher reads arg1 first and routes `as=json`
    # calls there. For `inspect` it also keeps the library's own request
    # object (checksum, ttl, raw transport headers, tracing), which the
    # handler API does not expose, under a token appended to the endpoint.
    inspected = {}
    tokens = itertools.count(1)
    SEP = '\x1f'

    class Handlers(dict):
        @staticmethod
        def _base(k):
            return k.split(SEP, 1)[0] if isinstance(k, str) else k

        def get(self, k, default=None):
            return dict.get(self, self._base(k), default)

        def __contains__(self, k):
            return dict.__contains__(self, self._base(k))

    dispatcher.handlers = Handlers(dispatcher.handlers)
    original_handle_call = dispatcher.handle_call

    @gen.coroutine
    def handle_call(request, connection):
        arg1 = b''
        chunk = yield request.argstreams[0].read()
        while chunk:
            arg1 += raw_bytes(chunk)
            chunk = yield request.argstreams[0].read()
        endpoint = arg1.decode('utf8', 'replace')
        scheme = request.headers.get('as', 'raw')
        if scheme == 'json' and dict.__contains__(dispatcher.handlers, 'json:' + endpoint):
            endpoint = 'json:' + endpoint
        if endpoint in ('inspect', 'json:inspect'):
            token = str(next(tokens))
            inspected[token] = (request, connection)
            endpoint = endpoint + SEP + token
        request.endpoint = endpoint
        result = yield original_handle_call(request, connection)
        raise gen.Return(result)

    dispatcher.handle_call = handle_call

    def inspect(request):
        name, _, token = request.endpoint.partition(SEP)
        dep, conn = inspected.pop(token, (None, None))
        t = request.transport
        info = {
            'peer': 'python',
            'service': request.service,
            'endpoint': name.split(':', 1)[-1],
            'caller_name': t.caller_name if t else None,
            'transport_headers': {text(k): text(v) for k, v in (dep.headers if dep else {}).items()},
            # tchannel-python keeps the ttl in seconds
            'ttl_ms': int(round(dep.ttl * 1000)) if dep is not None and dep.ttl is not None else None,
            'checksum_type': dep.checksum[0] if dep is not None else None,
            'retry_flags': text(dep.headers.get('re')) if dep is not None and dep.headers.get('re') else None,
            'tracing': tracing_info(dep.tracing) if dep is not None else None,
            'remote_host_port': getattr(conn, 'remote_host', None) and '%s:%s' % (
                conn.remote_host, conn.remote_host_port),
            'socket_remote_addr': None,
        }
        if conn is not None:
            try:
                peer = conn.connection.socket.getpeername()
                info['socket_remote_addr'] = '%s:%d' % (peer[0], peer[1])
            except Exception:  # noqa: BLE001
                pass
        return info

    # ------------------------------------------------------------- raw
    @tc.raw.register('echo')
    def echo(request):
        return Response(request.body, request.headers)

    @tc.raw.register('notok')
    def notok(request):
        return Response(request.body, request.headers, status=1)

    def message(request, fallback):
        body = raw_bytes(request.body)
        return body.decode('utf8', 'replace') if body else fallback

    @tc.raw.register('unexpected')
    def unexpected(request):
        raise UnexpectedError(message(request, 'unexpected error requested by the caller'))

    @tc.raw.register('throw')
    def throw(request):
        raise RuntimeError(message(request, 'handler raised'))

    @tc.raw.register('busy')
    def busy(request):
        raise BusyError(message(request, 'busy requested by the caller'))

    @tc.raw.register('declined')
    def declined(request):
        raise DeclinedError(message(request, 'declined requested by the caller'))

    @tc.raw.register('badrequest')
    def badrequest(request):
        raise BadRequestError(message(request, 'bad request requested by the caller'))

    @tc.raw.register('slow')
    @gen.coroutine
    def slow(request):
        try:
            ms = int(raw_bytes(request.body).decode('ascii').strip() or '0')
        except ValueError:
            ms = 0
        yield gen.sleep(ms / 1000.0)
        raise gen.Return(Response(request.body, request.headers))

    @tc.raw.register('inspect')
    def inspect_raw(request):
        info = inspect(request)
        info['arg2_hex'] = binascii.hexlify(raw_bytes(request.headers)).decode('ascii')
        info['arg3_len'] = len(raw_bytes(request.body))
        return Response(json.dumps(info).encode('utf8'), b'')

    # ------------------------------------------------------------ json
    @tc.json.register('json:echo')
    def echo_json(request):
        return Response(request.body, request.headers)

    @tc.json.register('json:add')
    def add_json(request):
        return Response({'sum': request.body['a'] + request.body['b']}, request.headers)

    @tc.json.register('json:notok')
    def notok_json(request):
        return Response({'type': 'interop.notok',
                         'message': 'not ok requested by the caller',
                         'request': request.body}, request.headers, status=1)

    @tc.json.register('json:inspect')
    def inspect_json(request):
        return Response(inspect(request), request.headers)

    # ---------------------------------------------------------- thrift
    keyvalue = common.load_thrift(common.KEYVALUE_THRIFT)
    store = {}

    @tc.thrift.register(keyvalue.KeyValue)
    def getValue(request):  # noqa: N802 (the IDL's name)
        key = request.body.key
        if key not in store:
            raise keyvalue.NotFoundError(key)
        return Response(store[key], request.headers)

    @tc.thrift.register(keyvalue.KeyValue)
    def setValue(request):  # noqa: N802 (the IDL's name)
        store[request.body.key] = request.body.value
        return Response(None, request.headers)

    return tc


@gen.coroutine
def start(tc, routers):
    tc.listen()
    if routers:
        yield tc.advertise(routers=routers)
    sys.stdout.write('listening on %s\n' % tc.hostport)
    sys.stdout.flush()


def main():
    args = parse_args()
    tc = build(args)
    routers = common.host_port_list(args.advertise)
    loop = ioloop.IOLoop.current()

    def on_started(future):
        if future.exception() is not None:
            common.log('server failed to start: %r' % (future.exception(),))
            os._exit(1)

    loop.add_future(start(tc, routers), on_started)

    def stop(signum, frame):
        loop.add_callback_from_signal(loop.stop)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    common.exit_with_parent()
    loop.start()


if __name__ == '__main__':
    main()
