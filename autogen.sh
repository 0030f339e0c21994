#!/bin/sh
# Regenerate the build system from configure.ac and Makefile.am.
set -e
cd "$(dirname "$0")"
autoreconf --install --force
# The TAP driver ships with automake but autoreconf does not copy it.
cp -f "$(automake --print-libdir)/tap-driver.sh" build-aux/
