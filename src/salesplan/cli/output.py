"""Where a report goes: the format (``--format``, else the extension of ``-o FILE``), one CSV
per table into ``-o DIR/``, the terminal's width and colour, the pager, and the exit code of
a write that fails.

Exit codes of a write: a target that cannot be used (no such directory, a directory where a
file was named, a socket, no permission) is a usage error, 2; a write the machine could not
finish (a full disk, an I/O error) is 1; a reader that went away (``| head``) ends quietly
with 141, what a shell reports for a process killed by SIGPIPE.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TextIO

import typer

from salesplan.choices import (
    BINARY_FORMATS,
    FORMAT_OF_EXTENSION,
    CsvDialect,
    OutputFormat,
    same_format,
)
from salesplan.cli.common import EXIT_PROBLEMS, note, usage

if TYPE_CHECKING:
    from salesplan.report.table import Report

# What a shell reports for a process that SIGPIPE ended: 128 + 13.
EXIT_BROKEN_PIPE = 141

# Width of the terminal view when it goes to a file, or when no terminal says otherwise.
DEFAULT_WIDTH = 100
# A terminal whose height cannot be read is taken to be this tall.
DEFAULT_HEIGHT = 24

# The status a POSIX shell gives a command it cannot find.
SHELL_NOT_FOUND = 127

TERMINAL_FORMATS = frozenset({OutputFormat.TABLE, OutputFormat.TEXT})
# Formats that draw no pictures: a chart is written as the table of its series, when named.
PICTURELESS_FORMATS = frozenset({OutputFormat.CSV, OutputFormat.XLSX})


@dataclass(frozen=True)
class Destination:
    """The output options of a report command, checked: what to write and where."""

    fmt: OutputFormat
    target: str | None  # a file, a device, or None for standard output
    directory: str | None  # -o DIR/: one CSV per table in it
    width: int | None
    csv_dialect: CsvDialect
    tables: tuple[str, ...]
    pager: bool

    @property
    def to_stdout(self) -> bool:
        """Return whether the report goes to standard output."""
        from salesplan.render.output import STDOUT_TARGETS

        return self.directory is None and (self.target is None or self.target in STDOUT_TARGETS)

    @property
    def terminal(self) -> bool:
        """Return whether the report is the terminal view."""
        return self.fmt in TERMINAL_FORMATS

    @property
    def on_screen(self) -> bool:
        """Return whether the terminal view goes to standard output (a terminal, if stdout
        is one: colour, the pager and one-line warnings ask that too)."""
        return self.terminal and self.to_stdout


def is_directory_target(output: str) -> bool:
    """Return whether ``-o`` names a directory: one that exists, or a path ending in ``/``."""
    return output.endswith(("/", os.sep)) or os.path.isdir(output)


def destination(
    fmt: OutputFormat | None,
    output: str | None,
    width: int | None,
    csv_dialect: CsvDialect = CsvDialect.RFC,
    tables: list[str] | None = None,
    no_pager: bool = False,
) -> Destination:
    """Check the output options and return where the report goes; refuse (exit 2) a format
    that contradicts ``-o``'s extension, a directory for anything but CSV, and a workbook to
    a terminal."""
    target = None if output in (None, "-") else output
    directory = None
    if target is not None and is_directory_target(target):
        if fmt is not None and fmt is not OutputFormat.CSV:
            usage(
                f"-o {target}: a directory takes one CSV file per table; --format "
                f"{fmt.value} writes one file: name it "
                f"(e.g. -o {os.path.join(target, 'report' + _extension_of(fmt))})"
            )
        fmt, directory, target = OutputFormat.CSV, target, None
    elif target is not None:
        by_name = FORMAT_OF_EXTENSION.get(os.path.splitext(target)[1].lower())
        if fmt is None:
            fmt = by_name
        elif by_name is not None and not same_format(fmt, by_name):
            usage(
                f"-o {output} names {with_article(by_name.value)} file but --format is "
                f"{fmt.value}; "
                "drop one of them, or name the file for its format"
            )
    fmt = fmt or OutputFormat.TABLE
    if fmt in BINARY_FORMATS and target is None and directory is None and sys.stdout.isatty():
        usage(
            f"--format {fmt.value} writes a binary workbook, not for a terminal: "
            f"name a file (-o report.{fmt.value}) or pipe it"
        )
    chosen = tuple(tables or ())
    return Destination(fmt, target, directory, width, csv_dialect, chosen, not no_pager)


def _extension_of(fmt: OutputFormat) -> str:
    """Return the extension that names a format's files (``.txt`` for the terminal view)."""
    for ext, known in FORMAT_OF_EXTENSION.items():
        if same_format(known, fmt):
            return ext
    raise ValueError(f"no extension names {fmt.value}")  # every format has one: a bug


def select_tables(report: Report, names: tuple[str, ...], fmt: OutputFormat) -> Report:
    """Return the report with only the named tables and charts; a usage error names the
    known ones.  In a format that draws no pictures (CSV, XLSX) a chart is left out unless
    named, and a chart named comes as the table of its series."""
    if names:
        tables = [t.name for t in report.tables]
        charts = [c.name for c in report.charts]
        unknown = [n for n in names if n not in tables and n not in charts]
        if unknown:
            known = f"tables: {', '.join(tables)}"
            known += f"; charts: {', '.join(charts)}" if charts else ""
            usage(f"no table {', '.join(unknown)}; {known}")
        report = replace(report.only(names), footer=())
    if fmt in PICTURELESS_FORMATS:
        series = tuple(chart.table() for chart in report.charts if chart.name in names)
        report = replace(report, tables=(*report.tables, *series), charts=())
    return report


def emit(report: Report, where: Destination) -> None:
    """Render a report (only the tables asked for) and write it where it goes."""
    from salesplan.render import render_report

    report = select_tables(report, where.tables, where.fmt)
    if where.directory is not None:
        _write_directory(report, where.directory, where.csv_dialect)
        return
    if where.fmt is OutputFormat.CSV and len(report.tables) > 1:
        names = ", ".join(t.name for t in report.tables)
        usage(
            f"CSV is one table and this report has {len(report.tables)}: {names}; "
            "pick one with --table NAME, or write one file per table with -o DIR/"
        )
    dialect = where.csv_dialect
    page_or_write(
        lambda width, color: render_report(
            report, where.fmt, width=width, color=color, csv_dialect=dialect
        ),
        where,
    )


def page_or_write(render: Callable[[int, bool], str | bytes], where: Destination) -> None:
    """Render with the width and colour the destination gets (the terminal's on stdout, 100
    into a file; colour only on a terminal) and write it, through the pager when it is a
    terminal view longer than the terminal."""
    to_stdout = where.to_stdout
    color = where.on_screen and use_color(sys.stdout, os.environ)
    width = where.width
    if width is None:
        width = shutil.get_terminal_size((DEFAULT_WIDTH, DEFAULT_HEIGHT)).columns
        width = width if to_stdout else DEFAULT_WIDTH
    data = render(width, color)
    if where.pager and where.on_screen and isinstance(data, str) and _pages(data):
        page(data)
        return
    write(data, where.target)


def _write_directory(report: Report, directory: str, dialect: CsvDialect) -> None:
    """Write one CSV file per table into ``directory`` (made if it is missing), each
    atomically, and say on stderr what was written."""
    from salesplan.render.csv_out import render_csv_table

    if not os.path.isdir(directory):
        try:
            os.mkdir(directory)
        except OSError as error:
            usage(f"-o {directory}: cannot make the directory: {error.strerror or error}")
    written = []
    for table in report.tables:
        path = os.path.join(directory, f"{table.name}.csv")
        write(render_csv_table(table, dialect), path)
        written.append(f"{table.name}.csv")
    what = f"{len(written)} table(s)" if len(written) != 1 else "1 table"
    note(f"wrote {what} to {directory}: {', '.join(written)}")


def use_color(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Return whether to colour what goes to ``stream``: only a terminal, and never when
    ``NO_COLOR`` holds anything (no-color.org: an empty value does not count)."""
    return stream.isatty() and not environ.get("NO_COLOR")


def write(data: str | bytes, output: str | None) -> None:
    """Write text or bytes to stdout (``None`` or ``-``) or a file; a failure exits: quietly
    with 141 when the reader went away, 1 when the disk is full, 2 for a target that
    cannot be written."""
    from salesplan.render import BrokenPipe, OutputError, WriteFailed, write_output

    try:
        write_output(data, output, stdout=sys.stdout)
    except BrokenPipe:
        _stdout_to_devnull()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except WriteFailed as err:
        _stdout_to_devnull()
        note(f"error: {err}")
        raise typer.Exit(EXIT_PROBLEMS) from None
    except OutputError as err:
        usage(str(err))


def _stdout_to_devnull() -> None:
    """Point stdout at /dev/null: what is still buffered for it would fail again when Python
    flushes it on the way out ("Exception ignored ... BrokenPipeError")."""
    # Without a descriptor (a test's captured stream) there is nothing to flush to fail.
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)


def _pages(text: str) -> bool:
    """Return whether text is for a terminal (stdout is one) and longer than it is tall."""
    if not sys.stdout.isatty():
        return False
    height = shutil.get_terminal_size((DEFAULT_WIDTH, DEFAULT_HEIGHT)).lines
    return text.count("\n") > height - 1


def page(text: str) -> None:
    """Show text in ``$PAGER`` (run by the shell, as git does), else ``less``; write it
    straight to stdout when no pager can be started."""
    import subprocess

    command = os.environ.get("PAGER") or "less"
    env = dict(os.environ)
    # As git does: quit when it fits one screen (F), pass colour codes (R), leave the text
    # on screen when done (X); an explicit LESS wins.
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    try:
        pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        write(text, None)
        return
    assert pager.stdin is not None
    try:
        with contextlib.suppress(BrokenPipeError):  # the user quit before the end
            pager.stdin.write(text.encode("utf-8"))
            pager.stdin.close()
    finally:
        while True:
            # Ctrl-C is the pager's to handle; wait for it to finish, as git does.
            try:
                status = pager.wait()
                break
            except KeyboardInterrupt:
                continue
    if status == SHELL_NOT_FOUND:  # no such pager: the shell said so; show the text anyway
        write(text, None)


def with_article(word: str) -> str:
    """Return ``word`` after its article: an xlsx, an html, a csv, a json, a markdown.

    >>> with_article("xlsx"), with_article("markdown")
    ('an xlsx', 'a markdown')
    """
    return ("an " if word[0] in "aehiox" else "a ") + word
