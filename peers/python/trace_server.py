"""tchannel-python 2.1.0 trace relay, for the tracing interop test. See peers/README.md.

peers/.venv/bin/python peers/python/trace_server.py [--service NAME] [--host H]
    [--port P] [--tracer jaeger|default]

Serves one json endpoint, `relay`, with body {"leaf": "HOST:PORT", "service": NAME,
"endpoint": NAME}. It calls that endpoint (json, empty body) on the leaf from its handler,
as a tchannel-python service does, and answers
  {"received": <tracing field of the inbound call>,
   "server_span": <the span tchannel-python made for the inbound call, or null>,
   "baggage": <that span's baggage>,
   "sent": <tracing field of the call to the leaf>,
   "sent_headers": <the `$tracing$...` application headers of that call>,
   "leaf": <the leaf's json response body>}
with tracing fields as {"span_id", "parent_id", "trace_id" (16 hex digits), "flags"}.

tchannel-python takes the tracing field and the `$tracing$` headers through an OpenTracing
tracer. Its default (opentracing's no-op tracer) supports neither, so it propagates nothing:
each outbound call gets a fresh random field (`--tracer default`). `--tracer jaeger` (the
default here) installs Uber's jaeger-client 4.8.0 tracer, the one tchannel-python was
written for, built as tchannel-python's own jaeger-client test (tests/test_crossdock.py)
builds it: constant sampler on, an in-memory reporter (no agent), the tornado scope manager
and jaeger-client's default codecs. Those codecs, not code here, read and write the tracing
field (tchannel's ZIPKIN_SPAN_FORMAT) and the `$tracing$uber-trace-id` /
`$tracing$uberctx-<key>` headers.

Prints exactly one line `listening on HOST:PORT` on stdout once it serves calls.
"""

import argparse
import collections
import collections.abc
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# Compatibility shim, the only one: `import jaeger_client` imports tornado.httpclient, and
# tornado 4.5.3's httputil subclasses `collections.MutableMapping`, an alias Python 3.10
# removed (it is `collections.abc.MutableMapping`). Restore the alias before that import.
# tchannel-python itself never imports tornado.httputil, so it runs without this.
if not hasattr(collections, 'MutableMapping'):
    collections.MutableMapping = collections.abc.MutableMapping

import jaeger_client  # noqa: E402
import opentracing  # noqa: E402
from jaeger_client.reporter import InMemoryReporter  # noqa: E402
from opentracing_instrumentation.request_context import TornadoScopeManager  # noqa: E402
from tornado import gen, ioloop  # noqa: E402

import tchannel.tracing  # noqa: E402
from tchannel import TChannel  # noqa: E402

import common  # noqa: E402


def field(t):
    """A tracing field (tchannel's Tracing tuple or a jaeger SpanContext) as the JSON
    contract. Ids are printed as they are (no masking), so an id wider than the 64 bits the
    wire field holds would show up as more than 16 digits."""
    if t is None:
        return None
    if isinstance(t, jaeger_client.SpanContext):
        vals = (t.span_id, t.parent_id or 0, t.trace_id, t.flags)
    else:
        vals = (t.span_id, t.parent_id, t.trace_id, t.traceflags)
    hexed = ['%016x' % v for v in vals[:3]]
    return {'span_id': hexed[0], 'parent_id': hexed[1], 'trace_id': hexed[2],
            'flags': vals[3]}


# What tchannel-python read from and wrote into the frames' tracing field, and the
# `$tracing$` headers its client tracer added to the call to the leaf: wrap the functions it
# uses (one call at a time is served in the test, so "last" is that call's).
last = {'received': None, 'sent': None, 'sent_headers': None}
_start_basic_span = tchannel.tracing.ServerTracer.start_basic_span
_span_to_tracing_field = tchannel.tracing.span_to_tracing_field
_client_start_span = tchannel.tracing.ClientTracer.start_span


def start_basic_span(self, request):
    last['received'] = field(request.tracing)
    return _start_basic_span(self, request)


def span_to_tracing_field(span):
    t = _span_to_tracing_field(span)
    last['sent'] = field(t)
    return t


def client_start_span(self, *args, **kwargs):
    span, headers = _client_start_span(self, *args, **kwargs)
    last['sent_headers'] = {k: v for k, v in (headers or {}).items()
                            if k.startswith(tchannel.tracing.TRACING_KEY_PREFIX)}
    return span, headers


tchannel.tracing.ServerTracer.start_basic_span = start_basic_span
tchannel.tracing.span_to_tracing_field = span_to_tracing_field
tchannel.tracing.ClientTracer.start_span = client_start_span


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--service', default='trace-relay')
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, default=0)
    p.add_argument('--tracer', choices=['jaeger', 'default'], default='jaeger')
    return p.parse_args()


def main():
    args = parse_args()
    tracer = None
    if args.tracer == 'jaeger':
        # As tchannel-python's own jaeger-client fixture (tests/test_crossdock.py) builds
        # it. Global too: tchannel-python finds the current span through
        # opentracing_instrumentation, which asks the global tracer's scope manager.
        tracer = jaeger_client.Tracer(
            service_name=args.service,
            sampler=jaeger_client.ConstSampler(True),
            reporter=InMemoryReporter(),
            scope_manager=TornadoScopeManager(),
        )
        opentracing.set_global_tracer(tracer)
    tc = TChannel(args.service, hostport='%s:%d' % (args.host, args.port),
                  trace=True, tracer=tracer)

    @tc.json.register('relay')
    @gen.coroutine
    def relay(request):
        active = opentracing.tracer.scope_manager.active
        span = active.span if active else None
        is_jaeger = isinstance(span, jaeger_client.Span)
        server_span = field(span.context) if is_jaeger else None
        baggage = dict(span.context.baggage) if is_jaeger else {}
        received = last['received']
        # Started before the first yield, while the request's span is the active one.
        future = tc.json(service=request.body['service'],
                         endpoint=request.body['endpoint'], body={},
                         hostport=request.body['leaf'], timeout=2.0)
        res = yield future
        raise gen.Return({'received': received, 'server_span': server_span,
                          'baggage': baggage, 'sent': last['sent'],
                          'sent_headers': last['sent_headers'], 'leaf': res.body})

    tc.listen()
    sys.stdout.write('listening on %s\n' % tc.hostport)
    sys.stdout.flush()
    common.exit_with_parent()
    ioloop.IOLoop.current().start()


if __name__ == '__main__':
    main()
