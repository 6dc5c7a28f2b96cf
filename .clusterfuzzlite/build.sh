#!/bin/bash -eu
# ClusterFuzzLite runs this; the build itself is OSS-Fuzz's, kept in one place.
exec "$SRC/tcpref/fuzz/oss-fuzz/build.sh"
