"""cc_fuzz_test: one libFuzzer target, named like rules_fuzzing's.

    cc_fuzz_test(
        name = "wire_fuzzer",
        srcs = ["wire_fuzzer.cc"],
        deps = ["//impl/wire:segment"],
        corpus = glob(["corpus/wire_fuzzer/*"]),
        dict = "wire_fuzzer.dict",
        options = "wire_fuzzer.options",
    )

defines
  <name>       cc_test: replays every corpus file through LLVMFuzzerTestOneInput
               (fuzz/replay_main.cc; works with g++, no libFuzzer needed).
  <name>_bin   the libFuzzer binary; build with --config=fuzz (clang-14).
  <name>_run   runs <name>_bin over a scratch copy of the corpus with the dict
               and options: bazel run --config=fuzz //fuzz:<name>_run -- ARGS
  <name>_oss_fuzz
               <name>_oss_fuzz.tar, what OSS-Fuzz expects in $OUT for this
               fuzzer: <name> (the libFuzzer binary), <name>_seed_corpus.zip,
               <name>.dict, <name>.options. Build with --config=fuzz.
  <name>_lib   the target's code, shared by the others.

OSS-Fuzz itself builds without Bazel (fuzz/oss-fuzz/build.sh) into the same
layout.
"""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_library", "cc_test")

def cc_fuzz_test(name, srcs, deps = [], corpus = [], dict = None, options = None, tags = []):
    corpus_name = name + "_corpus"
    native.filegroup(
        name = corpus_name,
        testonly = True,
        srcs = corpus,
    )
    cc_library(
        name = name + "_lib",
        testonly = True,
        srcs = srcs,
        deps = deps + ["//fuzz:fuzz_check"],
        alwayslink = True,
    )
    cc_test(
        name = name,
        size = "small",
        args = ["$(rootpaths :%s)" % corpus_name],
        data = [":" + corpus_name],
        tags = ["fuzz-test"] + tags,
        deps = [
            ":" + name + "_lib",
            "//fuzz:replay_main",
        ],
    )
    cc_binary(
        name = name + "_bin",
        testonly = True,
        # UBSan's C++ runtime comes from .bazelrc's fuzz config.
        linkopts = ["-fsanitize=fuzzer"],
        tags = ["fuzz-test", "manual"] + tags,
        deps = [":" + name + "_lib"],
    )
    run_args = [
        "--bin=$(rootpath :%s_bin)" % name,
        "--seeds",
        "$(rootpaths :%s)" % corpus_name,
    ]
    run_data = [":" + name + "_bin", ":" + corpus_name]
    if dict:
        run_args.insert(1, "--dict=$(rootpath %s)" % dict)
        run_data.append(dict)
    if options:
        run_args.insert(1, "--options=$(rootpath %s)" % options)
        run_data.append(options)
    native.sh_binary(
        name = name + "_run",
        testonly = True,
        srcs = ["//fuzz:run_fuzzer.sh"],
        args = run_args + ["--"],
        data = run_data,
        tags = ["manual"] + tags,
    )
    package_srcs = [":" + name + "_bin", ":" + corpus_name]
    copy_extras = ""
    if dict:
        package_srcs.append(dict)
        copy_extras += "cp $(location %s) \"$$d/%s.dict\"\n" % (dict, name)
    if options:
        package_srcs.append(options)
        copy_extras += "cp $(location %s) \"$$d/%s.options\"\n" % (options, name)
    native.genrule(
        name = name + "_oss_fuzz",
        testonly = True,
        srcs = package_srcs,
        outs = [name + "_oss_fuzz.tar"],
        cmd = "\n".join([
            "d=$$(mktemp -d)",
            "cp $(location :%s_bin) \"$$d/%s\"" % (name, name),
            "zip -q -j -X \"$$d/%s_seed_corpus.zip\" $(locations :%s)" % (name, corpus_name),
            copy_extras,
            "tar -C \"$$d\" -cf $@ .",
            "rm -rf \"$$d\"",
        ]),
        tags = ["manual"] + tags,
    )
