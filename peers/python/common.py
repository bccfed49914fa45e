"""Helpers shared by the tchannel-python interop server and client."""

import os
import sys
import threading
import time

import thriftrw.loader
from tchannel.thrift.rw import TChannelThriftModule

PEERS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEYVALUE_THRIFT = os.path.join(PEERS, 'thrift', 'keyvalue.thrift')

# Error frame code -> the kind name both the node and python peer programs
# report (PROTOCOL.md section 7.2).
KIND_BY_CODE = {
    0x01: 'timeout',
    0x02: 'cancelled',
    0x03: 'busy',
    0x04: 'declined',
    0x05: 'unexpected',
    0x06: 'bad_request',
    0x07: 'network',
    0x08: 'unhealthy',
    0xFF: 'protocol',
}


def load_thrift(path, service=None, hostport=None):
    """tchannel.thrift.load, but non-strict: the KeyValue IDL has fields
    without required/optional, which thriftrw rejects in strict mode."""
    module = thriftrw.loader.Loader(strict=False).load(path)
    return TChannelThriftModule(service, module, hostport)


def host_port_list(values):
    out = []
    for v in values or []:
        out.extend(p.strip() for p in v.split(',') if p.strip())
    return out


def exit_with_parent():
    """Exit when the process that started us is gone (a test that crashed)."""
    parent = os.getppid()

    def watch():
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os._exit(0)

    t = threading.Thread(target=watch, name='parent-watch')
    t.daemon = True
    t.start()


def log(msg):
    sys.stderr.write(msg + '\n')
    sys.stderr.flush()
