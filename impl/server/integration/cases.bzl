"""One sh_test per integration case, all sharing the harness."""

def integration_cases(cases, waiting_for_data_path = []):
    for name, size in cases.items():
        tags = ["integration", "requires-root"]
        if name in waiting_for_data_path:
            tags.append("manual")
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
            tags = tags,
        )
