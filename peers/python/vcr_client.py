"""tchannel-python 2.1.0's VCR around the interop client. See peers/README.md.

peers/.venv/bin/python peers/python/vcr_client.py --cassette PATH
    [--record-mode once|new_episodes|none|all] [--matchers NAME,NAME...]
    --hostport HOST:PORT [--service NAME] [--caller NAME]
    [--calls JSON | --calls-file PATH]

Makes the calls exactly as peers/python/client.py does (same input, same one
JSON line per call on stdout), but inside
`tchannel.testing.vcr.use_cassette(PATH, record_mode, matchers)`: with a live
server at --hostport it records them into the cassette; with a cassette and no
server it replays them. After the calls it prints one more line:
{"cassette": {"play_count": N, "record_mode": "...", "existed": bool}}.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import yaml as pyyaml  # noqa: E402
from tornado import gen  # noqa: E402

from tchannel.testing import vcr  # noqa: E402
from tchannel.testing.vcr import yaml as vcr_yaml  # noqa: E402

import client  # noqa: E402

# tchannel-python 2.1.0's VCR loads cassettes with `yaml.load(s)`, which PyYAML
# 6 refuses (the Loader argument became mandatory). PyYAML 5 defaulted to the
# FullLoader there; give it that loader so existing cassettes can be replayed.
vcr_yaml.load = lambda s: pyyaml.load(s, Loader=pyyaml.FullLoader)


class NoPreconnect(object):
    """client.Caller connects to --hostport before each call (to report a
    refused connection at once); under the VCR the calls go through the VCR's
    proxy instead, and in replay no server is running, so skip that."""

    def __init__(self, peers):
        self._peers = peers

    def get(self, hostport):
        peer = self._peers.get(hostport)

        class Peer(object):
            def connect(self):
                f = gen.Future()
                f.set_result(peer)
                return f

        return Peer()

    def __getattr__(self, name):
        return getattr(self._peers, name)


def main():
    argv = sys.argv[1:]
    cassette_path, record_mode, matchers = None, None, None
    rest = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ('--cassette', '--record-mode', '--matchers') and i + 1 < len(argv):
            v = argv[i + 1]
            if a == '--cassette':
                cassette_path = v
            elif a == '--record-mode':
                record_mode = v
            else:
                matchers = [m for m in v.split(',') if m]
            i += 2
        else:
            rest.append(a)
            i += 1
    if not cassette_path:
        raise SystemExit('--cassette PATH is required')
    sys.argv = [sys.argv[0]] + rest

    # client.main reads the calls, makes them with client.Caller and prints the results;
    # it ends with os._exit, which would skip saving the cassette: run it inside the
    # cassette and turn that exit into leaving the `with`.
    original_init = client.Caller.__init__

    def init(self, args):
        original_init(self, args)
        dep = self.tc._dep_tchannel
        dep.peers = NoPreconnect(dep.peers)

    class Done(Exception):
        pass

    def leave(code):
        raise Done()

    real_exit = os._exit
    client.Caller.__init__ = init
    os._exit = leave
    with vcr.use_cassette(os.path.abspath(cassette_path), record_mode=record_mode,
                          matchers=matchers) as cassette:
        try:
            client.main()
        except Done:
            pass
        finally:
            os._exit = real_exit
        summary = {'play_count': cassette.play_count,
                   'record_mode': cassette.record_mode,
                   'existed': cassette.existed}
    sys.stdout.write(json.dumps({'cassette': summary}) + '\n')
    sys.stdout.flush()
    os._exit(0)


if __name__ == '__main__':
    main()
