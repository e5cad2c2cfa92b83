"""(to be written)"""


def run(candidate, workspace):
    return None
