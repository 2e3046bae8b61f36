"""``brink analyze``: read a sweep folder and write what it found (``analysis.md``, tables and
figures) into it."""

from __future__ import annotations

from pathlib import Path

from brink.options import number


def register(subparsers) -> None:
    analyze = subparsers.add_parser(
        "analyze",
        help="outcome probabilities, sensitivity indices and figures of a sweep",
        description="Read a sweep directory and write analysis.md, tables (CSV) and figures "
        "(PNG and PDF) into it.",
    )
    analyze.add_argument("directory", type=Path, help="a directory written by brink sweep")
    analyze.add_argument(
        "--pair",
        nargs=2,
        metavar=("FACTOR", "FACTOR"),
        help="the two factors of the heat map (default: the two most influential)",
    )
    analyze.add_argument(
        "--prim",
        metavar="OUTCOME",
        help="scenario discovery: PRIM's box of the runs (or points) where OUTCOME happens",
    )
    analyze.add_argument(
        "--threshold",
        type=number(),
        help="cases of interest: a number outcome at or above it (a yes/no outcome: points "
        "whose probability reaches it)",
    )
    analyze.add_argument(
        "--below", action="store_true", help="cases of interest are at or below --threshold"
    )
    analyze.add_argument(
        "--min-coverage",
        type=number(),
        default=0.5,
        help="PRIM shows the densest box holding at least this share of the cases (0.5)",
    )
    analyze.add_argument("--cart", action="store_true", help="scenario discovery with CART")
    analyze.add_argument(
        "--feature-scores", action="store_true", help="extra-trees feature scores per outcome"
    )
    analyze.add_argument(
        "--method",
        action="append",
        choices=("delta", "pawn", "rbd-fast", "rsa"),
        default=[],
        help="a SALib given-data sensitivity method (repeat for several)",
    )
    analyze.add_argument("--stack", action="store_true", help="dimensional stacking")
    analyze.add_argument(
        "--robust",
        nargs="+",
        metavar="LEVER",
        default=[],
        help="compare the settings of these levers across futures: regret and satisficing",
    )
    analyze.add_argument(
        "--outcome", help="the outcome of --cart, --stack and --robust (default: --prim's)"
    )
    analyze.add_argument(
        "--satisficing",
        type=number(),
        metavar="LEVEL",
        help="for --robust: the share of futures where the outcome stays at or below LEVEL",
    )
    analyze.add_argument(
        "--higher-is-better", action="store_true", help="for --robust: more of the outcome is good"
    )
    analyze.set_defaults(handler=analyze_command)


def analyze_command(args) -> int:
    from brink.experiments.analysis.analyze import analyze_sweep
    from brink.experiments.analysis.on_request import Options

    options = Options(
        prim=args.prim,
        threshold=args.threshold,
        below=args.below,
        cart=args.cart,
        feature_scores=args.feature_scores,
        methods=tuple(dict.fromkeys(args.method)),
        stack=args.stack,
        robust=tuple(args.robust),
        outcome=args.outcome,
        higher_is_better=args.higher_is_better,
        satisficing=args.satisficing,
        min_coverage=args.min_coverage,
    )
    report = analyze_sweep(args.directory, pair=args.pair, options=options)
    print(f"brink analyze: wrote {report}")
    return 0
