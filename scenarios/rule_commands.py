"""``brink rules``: the decision rules available, and a check that a rule from outside loads."""

from __future__ import annotations

import argparse
import json


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``brink rules`` to the ``brink`` command."""
    parser = subparsers.add_parser(
        "rules",
        help="list the decision rules (built-in and installed), or check rules from outside",
        description=(
            "List the built-in decision rules and those installed packages declare in the "
            "brink.rules entry-point group. With RULE arguments, import each one as a run "
            "would and print what a run's manifest records of it."
        ),
    )
    parser.add_argument(
        "checked",
        nargs="*",
        metavar="[STATE=]MODULE:NAME",
        help="rules to import and describe (as --rule takes them)",
    )
    parser.set_defaults(handler=rules_command)


def rules_command(args: argparse.Namespace) -> int:
    """Handler of ``brink rules``."""
    from brink.errors import Location
    from brink.scenarios.rule_loader import available_rules, resolve_rule
    from brink.scenarios.rule_specs import parse_rule

    if args.checked:
        where = Location(file="command line", key="RULE")
        for text in args.checked:
            rule = resolve_rule(parse_rule(text, where), where)
            print(json.dumps(rule.record(), ensure_ascii=False))
        return 0
    rows = available_rules()
    width = max(len(name) for name, _, _ in rows)
    for name, place, summary in rows:
        print(f"{name:<{width}}  {place}  {summary}")
    print(
        "\nAny other rule: --rule [STATE=]MODULE:NAME, MODULE a dotted module or a .py file "
        "(docs/howto/write-a-rule.md)."
    )
    return 0
