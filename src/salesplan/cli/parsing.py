"""How the command line reads its arguments and explains itself: usage lines with plain
argument names, an "Examples:" section in every command's help, numbers checked against
their range, and every usage error in the tool's own words.

Typer (and the Click inside it) would say ``Invalid value for '--period' / '-p': Value error,
'week' is not one of …`` under a usage block; salesplan says ``salesplan: error: --period
week: choose month, quarter, year or plan`` on one line and exits 2, like its other usage
errors.  The translation works on the exception Typer raises (its parameter, its type, the
value pydantic saw), so every option gets it, including ones added later.
"""

from __future__ import annotations

import enum
import inspect
import re
import sys
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, get_args, get_origin

from typer._click import Command as ClickCommand
from typer._click import Context, HelpFormatter
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperArgument, TyperCommand, TyperGroup
from typer.main import Typer, get_command

# Typer's internals that the two shortcuts below use (QuickParam, Commands).  A Typer that
# moves them turns the shortcuts off: its own coercion and its own group then run, the same
# answers only slower.  One that changes what they do fails the tests that compare both.
try:
    from typer._click.utils import make_default_short_help
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_choice, coerce_cli_path, routes_to_path
    from typer.main import get_command_from_info, get_command_name
    from typer.models import CommandInfo

    SHORTCUTS = True
except ImportError:  # pragma: no cover - another Typer
    RuntimeParam = object  # type: ignore[assignment,misc]
    SHORTCUTS = False

from salesplan.cli.common import EXIT_USAGE

# An example: the command line as typed, and what it shows.
Example = tuple[str, str]


# Example lines longer than this continue on the next line, as a shell reads them.
EXAMPLE_WIDTH = 76


def examples_epilog(examples: Sequence[Example]) -> str:
    """Return the "Examples:" section of a command's help: each example a comment that says
    what it shows, then the command, laid out as written.

    >>> print(examples_epilog([("salesplan plan p.yaml", "the plan")]))
    Examples:
    <BLANKLINE>
    \b
      # the plan
      salesplan plan p.yaml
    """
    lines = []
    for command, what in examples:
        lines.append(f"  # {what}")
        # An option stays with its value: a long command breaks before an option.
        pieces: list[str] = []
        for word in command.split(" "):
            if pieces and not word.startswith("-") and pieces[-1].split(" ")[-1].startswith("-"):
                pieces[-1] += " " + word
            else:
                pieces.append(word)
        line = "  "
        for piece in pieces:
            if len(line) + len(piece) > EXAMPLE_WIDTH and line.strip():
                lines.append(line + "\\")
                line = "      "
            line += piece + " "
        lines.append(line.rstrip())
    # "\b" alone on a line keeps Click from re-wrapping the block.
    return "Examples:\n\n\b\n" + "\n".join(lines)


def in_range(low: float, high: float | None = None) -> Callable[[Any, Any, Any], Any]:
    """Return an option callback that refuses a number outside ``low`` to ``high`` (no upper
    bound when ``high`` is None)."""

    def check(ctx: Any, param: Any, value: Any) -> Any:
        if value is None or (low <= value and (high is None or value <= high)):
            return value
        span = f"of {_number(low)} or more"
        if high is not None:
            span = f"from {_number(low)} to {_number(high)}"
        # The value as typed: no separators (10000, not 10,000).
        shown = str(value) if isinstance(value, int) else f"{value:g}"
        raise OutOfRange(shown, f"choose {_what(param)} {span}")

    # Typer reads a callback's signature on every run, for every command, even for --help:
    # without annotations it passes (context, parameter, value) by position and resolves no
    # type hints, which keeps --help as quick as it was before the ranges moved here.
    check.__annotations__ = {}
    return check


def _number(value: float) -> str:
    """Return a bound or a value as people write it.

    >>> _number(10_000_000), _number(0.01), _number(2.0)
    ('10,000,000', '0.01', '2')
    """
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


class OutOfRange(BadParameter):
    """A number outside its option's range; carries the value for the message."""

    def __init__(self, value: Any, message: str) -> None:
        super().__init__(message)
        self.value = value


def _annotation(param: Any) -> Any:
    """Return the type a parameter's value is parsed to (``int``, ``float``, an enum …)."""
    return getattr(getattr(param, "type_descriptor", None), "annotation", None)


def _what(param: Any) -> str:
    """Return what a number parameter takes, in words: "a whole number", "a number"."""
    return "a whole number" if _annotation(param) is int else "a number"


def _name(param: Any) -> str:
    """Return how the user wrote a parameter: its longest option, or an argument's name."""
    opts = [o for o in getattr(param, "opts", ()) if o.startswith("--")]
    if isinstance(param, TyperArgument) or not opts:
        return str(param.metavar or param.name or "").upper().removesuffix("...")
    return str(max(opts, key=len))


def _choices(param: Any) -> list[str] | None:
    """Return the values a choice parameter takes, or None."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or not descriptor.is_choice or not descriptor.choices:
        return None
    return [c.value if isinstance(c, enum.Enum) else str(c) for c in descriptor.choices]


def _listed(words: list[str]) -> str:
    """Return ``a, b or c``.

    >>> _listed(["month", "quarter", "year"])
    'month, quarter or year'
    """
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _seen(error: BadParameter) -> Any:
    """Return the value a parameter was given, as its type's parser saw it, or None."""
    if isinstance(error, OutOfRange):
        return error.value
    cause = error.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors):
        found = errors()
        if found and "input" in found[0]:
            return found[0]["input"]
    return None


def own_words(error: UsageError) -> str:
    """Return a usage error as salesplan says it: what was given, then what would do."""
    command = error.ctx.command_path if error.ctx is not None else "salesplan"
    if isinstance(error, MissingParameter) and error.param is not None:
        return f"missing {_name(error.param)} (see {command} --help)"
    if isinstance(error, BadParameter) and error.param is not None:
        name, value = _name(error.param), _seen(error)
        choices = _choices(error.param)
        annotation = _annotation(error.param)
        if isinstance(error, OutOfRange):
            reason = error.message
        elif choices:
            reason = f"choose {_listed(choices)}"
        elif annotation in (int, float):
            reason = f"expected {_what(error.param)}"
        else:
            reason = error.message[:1].lower() + error.message[1:]
        shown = "" if value is None else f" {value}"
        return f"{name}{shown}: {reason}"
    if isinstance(error, NoSuchOption):
        near = sorted(error.possibilities or ())
        hint = f"; did you mean {_listed(near)}?" if near else ""
        return f"no such option {error.option_name}{hint}"
    if isinstance(error, BadOptionUsage) and "requires an argument" in error.message:
        return f"{error.option_name} needs a value"
    extra = _EXTRA.match(error.message)
    if extra:
        several = "s" if len(extra[1].split()) > 1 else ""
        return f"unexpected argument{several} {extra[1]} (see {command} --help)"
    unknown = _COMMAND.match(error.message)
    if unknown and error.ctx is not None and isinstance(error.ctx.command, TyperGroup):
        names = error.ctx.command.list_commands(error.ctx)
        return f"no such command {unknown[1]}; commands: {', '.join(names)}"
    message = error.format_message().rstrip(".")
    return message[:1].lower() + message[1:]


# Click's wording of two usage errors, to say them again in salesplan's.
_EXTRA = re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)")
_COMMAND = re.compile(r"No such command '(.*?)'")


_SLOW = object()  # a value the quick coercion leaves to Typer's own
_INTEGER = re.compile(r"[+-]?[0-9]+")
_MAX_DIGITS = 100  # longer whole numbers go the slow way (Python will not read 4,301 digits)
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True)
class QuickParam(RuntimeParam):
    """Typer's coercion of one option's value, without building a pydantic adapter for
    what needs none.

    Typer coerces every parameter through a pydantic ``TypeAdapter`` built on first use,
    defaults and absent options included: some 30 ms a run for a command's dozen options.
    The values salesplan's options take (text, paths, whole numbers and numbers written
    plainly, choices, flags and lists of them) are turned into what that adapter returns
    by the same Typer functions it calls (``coerce_cli_choice``, ``coerce_cli_path``);
    anything else, and every value that would be refused, goes to Typer's own coercion,
    so what is accepted and every error message stay Typer's (see SHORTCUTS for a Typer
    that moves these internals).
    """

    def coerce(self, value: Any, param: Any, ctx: Context) -> Any:
        """Coerce a value (None: as Typer does, with no adapter built)."""
        if value is None:
            return super().coerce(value, param, ctx)
        quick = _quick(self.annotation, self.parameter_info, value, param, ctx)
        if quick is not _SLOW:
            return quick
        typer_own = build_runtime_param(param.type_descriptor)
        param._runtime_param = typer_own
        return typer_own.coerce(value, param, ctx)

    def _coerce_value(self, value: Any, param: Any, ctx: Context) -> Any:  # pragma: no cover
        return self.coerce(value, param, ctx)  # coerce() above does the work


def _quick(annotation: Any, info: Any, value: Any, param: Any, ctx: Context) -> Any:
    """Return what Typer's adapter would return for ``value``, or _SLOW to let it decide."""
    if get_origin(annotation) is list:
        if not isinstance(value, list | tuple):
            return _SLOW
        inner = get_args(annotation)[0]
        items = [_quick(inner, info, item, param, ctx) for item in value]
        return _SLOW if any(item is _SLOW for item in items) else items
    if info.parser is not None or info.min is not None or info.max is not None or info.clamp:
        return _SLOW
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        if isinstance(value, annotation | str):
            try:
                choices = list(annotation)
                return coerce_cli_choice(
                    value, choices=choices, case_sensitive=info.case_sensitive, ctx=ctx
                )
            except ValueError:
                return _SLOW
        return _SLOW
    if annotation is bool:
        return value if isinstance(value, bool) else _SLOW
    if annotation is str:
        return value if isinstance(value, str) else _SLOW
    if annotation is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and len(value) <= _MAX_DIGITS and _INTEGER.fullmatch(value):
            return int(value)
        return _SLOW
    if annotation is float:
        if isinstance(value, float):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return float(value) if isinstance(value, str) and _DECIMAL.fullmatch(value) else _SLOW
    if isinstance(annotation, type) and issubclass(annotation, Path) and isinstance(value, str):
        path_type = info.path_type or annotation
        if not value or not routes_to_path(annotation, info):
            return _SLOW
        # Given the path already made (as pydantic makes it from text), Typer checks it as
        # its adapter would, without building one; a path it refuses goes the slow way, so
        # the message quotes the path as it was typed.
        try:
            return coerce_cli_path(
                path_type(value), info, path_type=path_type, param=param, ctx=ctx
            )
        except (ClickException, ValueError):
            return _SLOW
    return _SLOW


def quick_params(params: Sequence[Any]) -> None:
    """Give each parameter Typer has not yet coerced with an adapter a :class:`QuickParam`
    (a file parameter, which Typer opens, keeps Typer's own)."""
    if not SHORTCUTS:  # pragma: no cover - another Typer
        return
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or descriptor.file_annotation is not None:
            continue
        if getattr(param, "_runtime_param", "absent") is None:
            param._runtime_param = QuickParam(
                annotation=descriptor.annotation, parameter_info=descriptor.parameter_info
            )


class Commands(MutableMapping[str, ClickCommand]):
    """A group's commands by name, in the order they were registered, each built from its
    function by Typer when it is first looked up.

    Typer builds every command of a group (reading each function's signature and each
    option's annotations) before it runs one: some 30 ms for salesplan's sixteen, paid by
    every run and every ``--help``.  Here only the command that runs is built, and the
    group's help lists the others from their docstrings, as Click would word them.
    """

    def __init__(
        self, infos: Sequence[CommandInfo], pretty_exceptions_short: bool, markup: Any
    ) -> None:
        self._infos = {_command_name(info): info for info in infos}
        self._built: dict[str, ClickCommand] = {}
        self._short = pretty_exceptions_short
        self._markup = markup

    def __getitem__(self, name: str) -> ClickCommand:
        if name not in self._built:
            self._built[name] = get_command_from_info(
                self._infos[name],
                pretty_exceptions_short=self._short,
                rich_markup_mode=self._markup,
            )
        return self._built[name]

    def __setitem__(self, name: str, command: ClickCommand) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        self._built.pop(name, None)
        self._infos.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        yield from self._infos
        yield from (name for name in self._built if name not in self._infos)

    def __len__(self) -> int:
        return len(self._infos.keys() | self._built.keys())

    def hidden(self, name: str) -> bool:
        """Return whether a command is left out of the group's help."""
        info = self._infos.get(name)
        return bool(info.hidden if info is not None else self[name].hidden)

    def short_help(self, name: str, limit: int) -> str:
        """Return a command's line in the group's help, as Click words it from the command,
        without building a command that is not built."""
        info = self._infos.get(name)
        if name in self._built or info is None or info.short_help or info.deprecated:
            return self[name].get_short_help_str(limit)
        text = info.help if info.help is not None else inspect.getdoc(info.callback)
        return make_default_short_help(inspect.cleandoc(text or ""), limit).strip()


def _command_name(info: CommandInfo) -> str:
    """Return the name a registered command is called by."""
    assert info.callback is not None
    return info.name or get_command_name(info.callback.__name__)


class Group(TyperGroup):
    """The ``salesplan`` app: Typer's group, with usage errors in salesplan's words.

    A subclass names the Typer instance its commands are registered on (``source``): they
    are then built when first looked up (see :class:`Commands`).
    """

    source: ClassVar[Typer | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.source is not None and SHORTCUTS:
            source = self.source
            short, markup = source.pretty_exceptions_short, self.rich_markup_mode
            lazy = Commands(source.registered_commands, short, markup)
            lazy.update(self.commands)  # any the group was given built
            self.commands = lazy
        elif self.source is not None:  # pragma: no cover - another Typer: build them all now
            built = get_command(self.source)
            self.commands.update(getattr(built, "commands", {}))

    def list_commands(self, ctx: Context) -> list[str]:
        """Return the commands' names in the order they were registered (none is built)."""
        return list(self.commands)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        """Write the Commands section, as Typer's group does, without building a command."""
        if not isinstance(self.commands, Commands):
            super().format_commands(ctx, formatter)
            return
        names = [n for n in self.list_commands(ctx) if not self.commands.hidden(n)]
        if names:
            limit = formatter.width - 6 - max(len(n) for n in names)
            rows = [(n, self.commands.short_help(n, limit)) for n in names]
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the app; a usage error is one line on stderr and exit 2."""
        try:
            code = super().main(
                args,
                prog_name,
                complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
        except NoArgsIsHelpError as error:
            error.show()  # no command: the help, as Typer shows it
            code = error.exit_code
        except UsageError as error:
            sys.stderr.write(f"salesplan: error: {own_words(error)}\n")
            code = EXIT_USAGE
        except ClickException as error:
            sys.stderr.write(f"salesplan: error: {error.format_message()}\n")
            code = error.exit_code
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        """Parse the app's own options (its flags without pydantic: see QuickParam)."""
        quick_params(self.get_params(ctx))
        return super().parse_args(ctx, args)


class Command(TyperCommand):
    """A salesplan command: arguments named plainly in the usage line and the help (``PLAN``,
    ``PLAN...``, never ``{PLAN}`` or ``PLAN <path>``)."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        """Parse the command's arguments (without pydantic where it is not needed: see
        QuickParam)."""
        quick_params(self.get_params(ctx))
        return super().parse_args(ctx, args)

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        """Return the usage line after the command: [OPTIONS] and the arguments."""
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = _argument(param)
                pieces.append(name if param.required else f"[{name}]")
        return pieces

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        """Write the Arguments and Options sections."""
        arguments, options = [], []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                arguments.append((_argument(param), param.help or ""))
                continue
            record = param.get_help_record(ctx)
            if record is not None:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def _argument(param: TyperArgument) -> str:
    """Return an argument's name, with ``...`` when it takes several."""
    name = str(param.metavar or param.name or "").upper()
    return f"{name}..." if param.nargs != 1 and not name.endswith("...") else name
