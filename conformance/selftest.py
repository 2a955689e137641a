#!/usr/bin/env python3
"""Tests the conformance suite itself: it must pass a correct server and catch broken ones.

    /usr/bin/python3 conformance/selftest.py --server 127.0.0.1:50051

Routes the suite through a proxy in front of the given (correct) server. Transparent, every
targeted check must pass or skip; with each fault of marlopt_conformance/fault_proxy.py injected,
every check aimed at that fault must fail, except those the transparent run skipped (they do not
apply, e.g. message channel checks of an environment without a channel), and at least one must.
Prints one line per fault and `N caught, N missed` last; exits 1 when the transparent run fails
or a fault goes unnoticed.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from marlopt_conformance import stubs, suite  # noqa: E402
from marlopt_conformance.fault_proxy import FAULTS, TRANSPARENT, FaultProxy  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=os.environ.get("ENV_SERVER_TARGET", "127.0.0.1:50051"),
                        help="a server that passes the suite, host:port (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=10.0, help="deadline of each unary call, seconds")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    pb, pb_grpc = stubs.load()
    targeted = re.compile("|".join(f"(?:{fault.caught_by})" for fault in FAULTS))

    def outcomes(fault, pattern):
        with FaultProxy(args.server, pb, pb_grpc, fault, args.timeout) as proxy:
            server = suite.Server(proxy.target, pb, pb_grpc, args.timeout)
            if not server.wait_until_reachable(10):
                raise SystemExit(f"the proxy in front of {args.server} does not answer")
            return {check.name: suite.run_one(check) for check in suite.collect(server, [])
                    if pattern.search(check.name)}

    failures = 0
    baseline = outcomes(TRANSPARENT, targeted)
    broken = {name: o.detail for name, o in baseline.items() if o.status == "FAIL"}
    applicable = {name for name, o in baseline.items() if o.status == "PASS"}
    if broken:
        failures += 1
        print(f"FAIL  transparent proxy: these targeted checks do not pass a correct server: {broken}")
    else:
        print(f"ok    transparent proxy: {len(applicable)} targeted checks pass, "
              f"{len(baseline) - len(applicable)} do not apply (skipped)")

    caught = missed = 0
    for fault in FAULTS:
        results = {name: outcome for name, outcome in outcomes(fault, re.compile(fault.caught_by)).items()
                   if name in applicable}
        unnoticed = [name for name, outcome in results.items() if outcome.status != "FAIL"]
        if results and not unnoticed:
            caught += 1
            first = next(iter(results.values())).detail.splitlines()[0]
            print(f"ok    {fault.name}: failed {', '.join(results)}; e.g. {first}")
        else:
            missed += 1
            print(f"MISS  {fault.name}: not failed by "
                  f"{unnoticed or 'any applicable check (none matched ' + fault.caught_by + ')'}")
    print(f"{caught} caught, {missed} missed")
    return 1 if failures or missed else 0


if __name__ == "__main__":
    sys.exit(main())
