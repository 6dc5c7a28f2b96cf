"""One sh_test per integration case, all sharing the harness."""

def integration_cases(cases):
    for name, size in cases.items():
        native.sh_test(
            name = name + "_test",
            size = size,
            srcs = ["run_case.sh"],
            args = [name],
            data = [
                "cases.py",
                "harness.py",
                "//impl/server:tcpref-server",
            ],
            tags = [
                "integration",
                "requires-root",
            ],
        )
