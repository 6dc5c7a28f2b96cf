#!/bin/sh
echo "remote_coverage_tools: coverage tools are unavailable offline" >&2
exit 1
