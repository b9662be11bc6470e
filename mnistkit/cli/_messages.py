"""Errors as the command prints them: one line each."""


def one_line(error):
    """The message of an error on one line: listed details joined after the first."""
    if isinstance(error, OSError) and error.strerror:
        text = f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    else:
        text = str(error) or type(error).__name__
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    out = lines[0].strip()
    for line in lines[1:]:
        item = line[:1].isspace()
        sep = " " if (not item or out.endswith((":", "("))) else "; "
        out += sep + line.strip()
    return out
