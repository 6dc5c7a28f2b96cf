"""One sh_test per case, all sharing the harness (run_case.sh, harness.py).

The integration suite (this package) and the attack suite
(//impl/server/attack) both use it; `script` is the suite's cases file."""

def integration_cases(
        cases,
        script = "cases.py",
        extra_data = [],
        waiting_for_data_path = []):
    for name, size in cases.items():
        tags = ["integration", "requires-root"]
        if name in waiting_for_data_path:
            tags.append("manual")
        native.sh_test(
            name = name + "_test",
            size = size,
            srcs = ["//impl/server/integration:run_case.sh"],
            args = [name, "$(rootpath %s)" % script],
            data = [
                script,
                "//impl/server/integration:harness.py",
                "//impl/server:tcpref-server",
            ] + extra_data,
            tags = tags,
        )
