"""Numbers as the file plan writes them."""

_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(number: int) -> str:
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def file_notation(number: int, abbreviation: str) -> str:
    """'01.TCCB' (two digits at least, then the top heading's abbreviation)."""
    return f"{number:02d}.{abbreviation}" if abbreviation else f"{number:02d}"
