"""The ``hoso`` command: ``hoso run``, ``hoso demo`` and every Django command."""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoso.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "hoso"
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
