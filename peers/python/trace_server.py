"""tchannel-python 2.1.0 trace relay, for the tracing interop test. See peers/README.md.

peers/.venv/bin/python peers/python/trace_server.py [--service NAME] [--host H]
    [--port P] [--tracer zipkin|default]

Serves one json endpoint, `relay`, with body {"leaf": "HOST:PORT", "service": NAME,
"endpoint": NAME}. It calls that endpoint (json, empty body) on the leaf from its handler,
as a tchannel-python service does, and answers
  {"received": <tracing field of the inbound call>,
   "server_span": <the span tchannel-python made for the inbound call, or null>,
   "baggage": <that span's baggage>,
   "sent": <tracing field of the call to the leaf>,
   "leaf": <the leaf's json response body>}
with tracing fields as {"span_id", "parent_id", "trace_id" (16 hex digits), "flags"}.

tchannel-python takes the tracing field and the `$tracing$` headers through an OpenTracing
tracer. Its default (opentracing's no-op tracer) supports neither, so it propagates nothing:
each outbound call gets a fresh random field (`--tracer default`). `--tracer zipkin`
installs a minimal tracer here that supports the Zipkin span format (the tracing field)
and the Jaeger text map (`uber-trace-id`, `uberctx-<baggage>`), as jaeger-client does.

Prints exactly one line `listening on HOST:PORT` on stdout once it serves calls.
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import opentracing  # noqa: E402
from opentracing.scope_managers import ThreadLocalScopeManager  # noqa: E402
from tornado import gen, ioloop  # noqa: E402

import tchannel.tracing  # noqa: E402
from tchannel import TChannel  # noqa: E402

import common  # noqa: E402

ZIPKIN = tchannel.tracing.ZIPKIN_SPAN_FORMAT


def rand_id():
    return random.getrandbits(63) or 1


class Context(opentracing.SpanContext):
    def __init__(self, trace_id, span_id, parent_id, flags, baggage=None):
        self.trace_id = trace_id
        self.span_id = span_id
        self.parent_id = parent_id
        self.flags = flags
        self._baggage = dict(baggage or {})

    @property
    def baggage(self):
        return self._baggage


class Span(opentracing.Span):
    def set_baggage_item(self, key, value):
        self.context.baggage[key] = value
        return self

    def get_baggage_item(self, key):
        return self.context.baggage.get(key)


class ZipkinTracer(opentracing.Tracer):
    """Just enough of a Zipkin-compatible tracer for tchannel-python to propagate."""

    def __init__(self):
        super(ZipkinTracer, self).__init__(scope_manager=ThreadLocalScopeManager())

    def start_active_span(self, operation_name, child_of=None, references=None,
                          tags=None, start_time=None, ignore_active_span=False,
                          finish_on_close=True):
        span = self.start_span(operation_name, child_of, references, tags,
                               start_time, ignore_active_span)
        return self.scope_manager.activate(span, finish_on_close)

    def start_span(self, operation_name=None, child_of=None, references=None,
                   tags=None, start_time=None, ignore_active_span=False):
        parent = child_of.context if isinstance(child_of, opentracing.Span) else child_of
        if parent is None and not ignore_active_span and self.scope_manager.active:
            parent = self.scope_manager.active.span.context
        if isinstance(parent, Context):
            ctx = Context(parent.trace_id, rand_id(), parent.span_id, parent.flags,
                          parent.baggage)
        else:
            new = rand_id()
            ctx = Context(new, new, 0, 1)
        return Span(self, ctx)

    def inject(self, span_context, format, carrier):
        if isinstance(span_context, opentracing.Span):
            span_context = span_context.context
        if format == ZIPKIN:
            carrier['trace_id'] = span_context.trace_id
            carrier['span_id'] = span_context.span_id
            carrier['parent_id'] = span_context.parent_id
            carrier['traceflags'] = span_context.flags
        elif format == opentracing.Format.TEXT_MAP:
            carrier['uber-trace-id'] = '%x:%x:%x:%x' % (
                span_context.trace_id, span_context.span_id,
                span_context.parent_id, span_context.flags)
            for k, v in span_context.baggage.items():
                carrier['uberctx-' + k] = v
        else:
            raise opentracing.UnsupportedFormatException(format)

    def extract(self, format, carrier):
        if format == ZIPKIN:
            get = (carrier.get if isinstance(carrier, dict)
                   else lambda k: getattr(carrier, k))
            return Context(get('trace_id'), get('span_id'), get('parent_id'),
                           get('traceflags'))
        if format == opentracing.Format.TEXT_MAP:
            if 'uber-trace-id' not in carrier:
                return None
            t, s, p, f = (int(x, 16) for x in carrier['uber-trace-id'].split(':'))
            baggage = {k[len('uberctx-'):]: v for k, v in carrier.items()
                       if k.startswith('uberctx-')}
            return Context(t, s, p, f, baggage)
        raise opentracing.UnsupportedFormatException(format)


def field(t):
    """A tracing field (tchannel's Tracing tuple or our Context) as the JSON contract."""
    if t is None:
        return None
    if isinstance(t, Context):
        vals = (t.span_id, t.parent_id, t.trace_id, t.flags)
    else:
        vals = (t.span_id, t.parent_id, t.trace_id, t.traceflags)
    hexed = ['%016x' % (v & 0xFFFFFFFFFFFFFFFF) for v in vals[:3]]
    return {'span_id': hexed[0], 'parent_id': hexed[1], 'trace_id': hexed[2],
            'flags': vals[3]}


# What tchannel-python read from and wrote into the frames' tracing field: wrap the two
# functions it uses (one call at a time is served in the test, so "last" is that call's).
last = {'received': None, 'sent': None}
_start_basic_span = tchannel.tracing.ServerTracer.start_basic_span
_span_to_tracing_field = tchannel.tracing.span_to_tracing_field


def start_basic_span(self, request):
    last['received'] = field(request.tracing)
    return _start_basic_span(self, request)


def span_to_tracing_field(span):
    t = _span_to_tracing_field(span)
    last['sent'] = field(t)
    return t


tchannel.tracing.ServerTracer.start_basic_span = start_basic_span
tchannel.tracing.span_to_tracing_field = span_to_tracing_field


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--service', default='trace-relay')
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, default=0)
    p.add_argument('--tracer', choices=['zipkin', 'default'], default='zipkin')
    return p.parse_args()


def main():
    args = parse_args()
    if args.tracer == 'zipkin':
        opentracing.tracer = ZipkinTracer()
    tc = TChannel(args.service, hostport='%s:%d' % (args.host, args.port),
                  trace=True)

    @tc.json.register('relay')
    @gen.coroutine
    def relay(request):
        active = opentracing.tracer.scope_manager.active
        span = active.span if active else None
        server_span = field(span.context) if isinstance(span, Span) else None
        baggage = dict(span.context.baggage) if isinstance(span, Span) else {}
        received = last['received']
        # Started before the first yield, while the request's span is the active one.
        future = tc.json(service=request.body['service'],
                         endpoint=request.body['endpoint'], body={},
                         hostport=request.body['leaf'], timeout=2.0)
        res = yield future
        raise gen.Return({'received': received, 'server_span': server_span,
                          'baggage': baggage, 'sent': last['sent'],
                          'leaf': res.body})

    tc.listen()
    sys.stdout.write('listening on %s\n' % tc.hostport)
    sys.stdout.flush()
    common.exit_with_parent()
    ioloop.IOLoop.current().start()


if __name__ == '__main__':
    main()
