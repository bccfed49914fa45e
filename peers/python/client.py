"""tchannel-python 2.1.0 interop client. See peers/README.md for the contract.

peers/.venv/bin/python peers/python/client.py --hostport HOST:PORT
    [--service NAME] [--caller NAME] [--calls JSON | --calls-file PATH]
    [--parallel]

Reads a JSON array of calls (from --calls, --calls-file, or stdin), makes
them, and prints one JSON object per call on stdout, in input order.
"""

import argparse
import binascii
import datetime
import hashlib
import json
import logging
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tornado import gen, ioloop  # noqa: E402

import tchannel.tornado.request as dep_request  # noqa: E402
from tchannel import TChannel  # noqa: E402
from tchannel.errors import TChannelError  # noqa: E402
import tchannel.health  # noqa: E402
from tchannel.messages.common import ChecksumType  # noqa: E402

import common  # noqa: E402

# tchannel-python logs every failed connect attempt at WARNING.
logging.getLogger('tchannel').setLevel(logging.ERROR)

BIG = 4096
META_THRIFT = os.path.join(os.path.dirname(tchannel.health.__file__), 'meta.thrift')
CHECKSUMS = {'none': ChecksumType.none, 'crc32': ChecksumType.crc32,
             'crc32c': ChecksumType.crc32c}

# tchannel-python has no API to choose the checksum type of a call: every
# outgoing request gets tchannel.tornado.request.Request's default (crc32c).
# A call's "checksum" option swaps that default while the call is made.
_checksum_override = [None]
_orig_request_init = dep_request.Request.__init__


def _request_init(self, *args, **kwargs):
    if kwargs.get('checksum') is None and _checksum_override[0] is not None:
        kwargs['checksum'] = (_checksum_override[0], 0)
    _orig_request_init(self, *args, **kwargs)


dep_request.Request.__init__ = _request_init

# Transport header keys the tchannel-python call API can set.
HEADER_ARGS = {'sk': 'shard_key', 'rd': 'routing_delegate', 'cn': 'caller_name'}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--hostport', required=True)
    p.add_argument('--service', default='interop')
    p.add_argument('--caller', default='interop-client')
    p.add_argument('--calls')
    p.add_argument('--calls-file')
    p.add_argument('--parallel', action='store_true')
    return p.parse_args()


def raw_bytes(b):
    if b is None:
        return b''
    if isinstance(b, str):
        return b.encode('utf8')
    return bytes(b)


def bytes_of(call, name):
    rep = call.get(name + '_repeat')
    if rep:
        unit = binascii.unhexlify(str(rep.get('byte', '00')))
        n = int(rep['len'])
        if not unit:
            return b'\x00' * n
        return (unit * (n // len(unit) + 1))[:n]
    v = call.get(name)
    if v is None:
        return b''
    return binascii.unhexlify(v)


def describe_bytes(out, name, buf):
    buf = raw_bytes(buf)
    out[name + '_len'] = len(buf)
    out[name + '_sha256'] = hashlib.sha256(buf).hexdigest()
    out[name + '_hex'] = binascii.hexlify(buf).decode('ascii') if len(buf) <= BIG else None


def to_plain(v):
    """thriftrw values and bytes -> JSON-able values."""
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, bytes):
        return v.decode('utf8', 'replace')
    if isinstance(v, dict):
        return {to_plain(k): to_plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, set)):
        return [to_plain(x) for x in v]
    spec = getattr(type(v), 'type_spec', None)
    if spec is not None and hasattr(spec, 'to_primitive'):
        return to_plain(spec.to_primitive(v))
    if hasattr(v, '__dict__'):
        return {k: to_plain(x) for k, x in vars(v).items() if not k.startswith('_')}
    return str(v)


def error_result(out, err):
    out['ok'] = False
    out['code'] = None
    code = getattr(err, 'code', None) if isinstance(err, TChannelError) else None
    kind = common.KIND_BY_CODE.get(code, 'other') if code is not None else 'other'
    name = type(err).__name__
    if name == 'NoAvailablePeerError':
        kind = 'network'
    out['error'] = {
        'type': kind,
        'code': code,
        'library_type': name,
        'message': getattr(err, 'description', None) or str(err),
    }
    return out


class Caller(object):
    def __init__(self, args):
        self.args = args
        self.tc = TChannel(args.caller)
        self.modules = {}

    def thrift_module(self, path, service):
        key = (path, service)
        if key not in self.modules:
            self.modules[key] = common.load_thrift(path, service=service)
        return self.modules[key]

    def common_kwargs(self, call, out):
        kw = {
            'timeout': (call.get('timeout_ms', 1000)) / 1000.0,
            'retry_limit': call.get('retry_limit', 0),
            'hostport': call.get('host', self.args.hostport),
        }
        if 'retry_flags' in call:
            kw['retry_on'] = call['retry_flags']
        kw['caller_name'] = call.get('caller', self.args.caller)
        for k, v in (call.get('headers') or {}).items():
            if k not in HEADER_ARGS:
                raise ValueError(
                    "tchannel-python's call API cannot send transport header %r "
                    "(only sk, rd, cn)" % (k,))
            kw[HEADER_ARGS[k]] = v
        return kw

    @gen.coroutine
    def call(self, call, index):
        start = time.time()
        timeout_s = call.get('timeout_ms', 1000) / 1000.0
        try:
            # A safety net: a call never takes much longer than its timeout.
            out = yield gen.with_timeout(datetime.timedelta(seconds=timeout_s + 5),
                                         self._call(call, index))
        except gen.TimeoutError:
            out = {'index': index, 'scheme': call.get('scheme', 'raw'),
                   'endpoint': call.get('endpoint') or call.get('method'),
                   'ok': False, 'code': None,
                   'error': {'type': 'timeout', 'code': None, 'library_type': 'client-deadline',
                             'message': 'no result %.1f s after the call timeout' % 5}}
            out['elapsed_ms'] = round((time.time() - start) * 1000.0, 3)
        raise gen.Return(out)

    @gen.coroutine
    def _call(self, call, index):
        scheme = call.get('scheme', 'raw')
        out = {'index': index, 'scheme': scheme,
               'endpoint': call.get('endpoint') or call.get('method')}
        start = time.time()
        try:
            if 'checksum' in call:
                if call['checksum'] not in CHECKSUMS:
                    raise ValueError('unknown checksum type %r' % (call['checksum'],))
                _checksum_override[0] = CHECKSUMS[call['checksum']]
            else:
                _checksum_override[0] = None
            service = call.get('service', self.args.service)
            kw = self.common_kwargs(call, out)
            # tchannel-python retries a refused connection to a pinned hostport
            # forever (its peer choice ignores the blacklist when pinned):
            # connect first and report a refused connection as a network error.
            yield self.tc._dep_tchannel.peers.get(kw['hostport']).connect()
            if scheme == 'raw':
                resp = yield self.tc.raw(service=service, endpoint=call['endpoint'],
                                         headers=bytes_of(call, 'arg2'),
                                         body=bytes_of(call, 'arg3'), **kw)
                out['ok'] = resp.status == 0
                out['code'] = resp.status
                out['transport_headers'] = transport_dict(resp.transport)
                describe_bytes(out, 'arg2', resp.headers)
                describe_bytes(out, 'arg3', resp.body)
            elif scheme == 'json':
                resp = yield self.tc.json(service=service, endpoint=call['endpoint'],
                                          headers=call.get('arg2'),
                                          body=call.get('arg3'), **kw)
                out['ok'] = resp.status == 0
                out['code'] = resp.status
                out['transport_headers'] = transport_dict(resp.transport)
                out['headers'] = to_plain(resp.headers)
                out['body'] = to_plain(resp.body)
            elif scheme in ('thrift', 'health'):
                if scheme == 'health':
                    method = 'Meta::health'
                    path = META_THRIFT
                else:
                    method = call.get('method') or call['endpoint']
                    if '::' not in method:
                        method = 'KeyValue::' + method
                    path = os.path.abspath(call['thrift']) if call.get('thrift') \
                        else common.KEYVALUE_THRIFT
                module = self.thrift_module(path, service)
                svc, fn = method.split('::', 1)
                thrift_args = call.get('args', call.get('arg3')) or {}
                # JSON -> thriftrw values (nested structs, sets, unions, ...)
                function = getattr(getattr(module._module, svc), fn)
                args_value = function.request.type_spec.from_primitive(thrift_args)
                kwargs = {f.name: getattr(args_value, f.name)
                          for f in function.spec.args_spec.fields}
                request = getattr(getattr(module, svc), fn)(**kwargs)
                out['endpoint'] = method
                headers = call.get('app_headers', call.get('arg2')) or {}
                try:
                    resp = yield self.tc.thrift(request, headers=headers, **kw)
                    out['ok'] = True
                    out['code'] = 0
                    out['transport_headers'] = transport_dict(resp.transport)
                    out['headers'] = to_plain(resp.headers)
                    out['body'] = to_plain(resp.body)
                    out['exception'] = None
                except TChannelError:
                    raise
                except Exception as e:  # a declared exception: application error
                    if not hasattr(type(e), 'type_spec'):
                        raise
                    out['ok'] = False
                    out['code'] = 1
                    out['transport_headers'] = None
                    out['headers'] = None
                    out['body'] = to_plain(e)
                    out['exception'] = exception_field(request, e)
            elif scheme == 'ping':
                raise NotImplementedError('tchannel-python 2.1.0 has no ping API')
            else:
                raise ValueError('unknown scheme %r' % (scheme,))
        except TChannelError as e:
            error_result(out, e)
        except Exception as e:  # noqa: BLE001
            out['ok'] = False
            out['code'] = None
            out['error'] = {'type': 'client', 'code': None,
                            'library_type': type(e).__name__, 'message': str(e)}
        out['elapsed_ms'] = round((time.time() - start) * 1000.0, 3)
        raise gen.Return(out)


def transport_dict(t):
    if t is None:
        return None
    out = {}
    if getattr(t, 'scheme', None) is not None:
        out['as'] = t.scheme
    if getattr(t, 'failure_domain', None) is not None:
        out['fd'] = t.failure_domain
    return out


def exception_field(request, exc):
    """The name of the result field the declared exception came in."""
    spec = getattr(getattr(request, 'result_type', None), 'type_spec', None)
    for f in getattr(spec, 'fields', []) or []:
        if f.name != 'success' and isinstance(exc, getattr(f.spec, 'surface', ())):
            return f.name
    return type(exc).__name__


@gen.coroutine
def run(args, calls):
    caller = Caller(args)
    if args.parallel:
        kinds = {c.get('checksum') for c in calls}
        if len(kinds) > 1:
            raise SystemExit('--parallel needs the same "checksum" on every call '
                             '(tchannel-python offers no per-call choice)')
        results = yield [caller.call(c, i) for i, c in enumerate(calls)]
    else:
        results = []
        for i, c in enumerate(calls):
            r = yield caller.call(c, i)
            results.append(r)
    for r in results:
        sys.stdout.write(json.dumps(r, sort_keys=False) + '\n')
    sys.stdout.flush()


def main():
    args = parse_args()
    if args.calls is not None:
        text = args.calls
    elif args.calls_file is not None:
        with open(args.calls_file) as f:
            text = f.read()
    else:
        text = sys.stdin.read()
    calls = json.loads(text)
    if not isinstance(calls, list):
        calls = [calls]
    ioloop.IOLoop.current().run_sync(lambda: run(args, calls))
    sys.stdout.flush()
    os._exit(0)


if __name__ == '__main__':
    main()
