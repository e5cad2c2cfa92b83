#!/usr/bin/env python
from hoso.cli import main

if __name__ == "__main__":
    main()
