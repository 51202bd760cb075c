"""``mentor-desk dossier`` and ``packet``: PDF documents, through the window's code path."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mentor_desk.errors import UserError

# cli.build_parser's helper: command(name, handler, help, *, writes=False) -> subparser.
Command = Callable[..., argparse.ArgumentParser]


def register(command: Command) -> None:
    dossier = command("dossier", cmd_dossier, "write an LMP candidate's dossier as a PDF")
    dossier.add_argument("mentee", metavar="MENTEE", help="the candidate (name or id)")
    dossier.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="the PDF")
    _date_options(dossier, "(default: the whole candidacy)")
    _document_options(dossier)

    packet = command("packet", cmd_packet, "write quarterly review packets as PDF")
    period = packet.add_mutually_exclusive_group(required=True)
    period.add_argument("--quarter", metavar="YYYY-QN", help="a calendar quarter, like 2026-Q3")
    _date_options(period, "instead of --quarter", packet)
    packet.add_argument(
        "--mentee",
        metavar="NAME",
        action="extend",
        nargs="+",
        help="only these mentees (name or id; repeatable); default: every active mentee",
    )
    output = packet.add_mutually_exclusive_group(required=True)
    output.add_argument("-o", "--output", metavar="FILE.pdf", help="one PDF with every packet")
    output.add_argument("--split", metavar="DIR", help="one PDF per mentee in this folder")
    _document_options(packet)


def _date_options(group: Any, note: str, parser: argparse.ArgumentParser | None = None) -> None:
    """``--from DATE`` (in ``group``) and ``--to DATE`` (in ``parser``, or the group too)."""
    group.add_argument("--from", dest="start", metavar="DATE", help=f"first day, {note}")
    (parser or group).add_argument("--to", dest="end", metavar="DATE", help="last day, with --from")


def _document_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--include-private",
        action="store_true",
        help="also include private items (they are listed before the PDF is written)",
    )
    parser.add_argument(
        "--paper",
        choices=["a4", "letter"],
        help="paper size (default: the program's setting, else a4)",
    )


def cmd_dossier(args: argparse.Namespace) -> int:
    from mentor_desk.cli import _open
    from mentor_desk.reports.export import default_paper, dossier_record, export_dossier
    from mentor_desk.services.exports_dossier import dossier_preview
    from mentor_desk.services.exports_privacy import ExportChoices

    period = _period(args)  # before opening anything: a typo is found at once
    db = _open(args)
    record_id = dossier_record(db, args.mentee)
    choices = ExportChoices(include_private=args.include_private)
    if choices.include_private:
        _announce_private(dossier_preview(db, record_id, choices, period=period))
    result = export_dossier(
        db,
        record_id,
        Path(args.output),
        choices=choices,
        paper=args.paper or default_paper(db),
        period=period,
    )
    print(result.describe())
    return 0


def cmd_packet(args: argparse.Namespace) -> int:
    from mentor_desk.cli import _open
    from mentor_desk.reports.export import batch_preview, default_paper, export_packets
    from mentor_desk.services.exports_privacy import ExportChoices
    from mentor_desk.services.mentees import resolve_mentee

    period = _period(args)
    db = _open(args)
    mentee_ids = None
    if args.mentee:
        mentee_ids = list(dict.fromkeys(resolve_mentee(db, name).id for name in args.mentee))
    choices = ExportChoices(include_private=args.include_private)
    if choices.include_private:
        _announce_private(batch_preview(db, period, mentee_ids, choices))
    result = export_packets(
        db,
        period,
        Path(args.split or args.output),
        mentee_ids=mentee_ids,
        split=bool(args.split),
        choices=choices,
        paper=args.paper or default_paper(db),
    )
    print(result.describe())
    return 0


def _period(args: argparse.Namespace) -> Any:
    """The period of ``--quarter`` or ``--from``/``--to``; None when neither was given."""
    from mentor_desk.errors import ValidationError
    from mentor_desk.services.periods import Period, parse_quarter

    quarter = getattr(args, "quarter", None)
    if quarter is not None:
        if args.end is not None:
            raise UserError("--to goes with --from, not with --quarter.")
        try:
            return parse_quarter(quarter)
        except ValidationError as exc:
            raise UserError(f"--quarter: {exc.args[0]}.") from exc
    if args.start is None and args.end is None:
        return None
    if args.start is None or args.end is None:
        raise UserError("--from and --to go together: give both dates (YYYY-MM-DD).")
    try:
        period = Period.from_dates(args.start, args.end)
    except ValidationError as exc:
        if exc.field == "to" and "before" in exc.args[0]:
            raise UserError(f"--to ({args.end}) is before --from ({args.start}).") from exc
        raise UserError(f"--{exc.field}: {exc.args[0]}.") from exc
    return period


def _announce_private(preview: Any) -> None:
    """Say which private items go into the document, before it is written."""
    from mentor_desk.reports.export import private_summary

    included = private_summary(preview)
    if included:
        print(f"Including private items (--include-private): {included}.")
    else:
        print("--include-private: there are no private items to include.")
