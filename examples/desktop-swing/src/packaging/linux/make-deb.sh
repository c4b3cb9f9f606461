#!/usr/bin/env bash
# Packages the Swing example as a Debian package with jpackage (--type deb): the application "sinotes", installed in
# /opt/sinotes with its own runtime, a menu entry (group Office) and its own file type, application/x-sinotes
# (*.sinotes). Needs fakeroot and dpkg-deb (dpkg-dev). InstalledApplicationIT runs it; by hand, after ./mvnw package:
#   examples/desktop-swing/src/packaging/linux/make-deb.sh examples/desktop-swing/target/desktop-swing.jar target/deb
#   sudo dpkg -i target/deb/sinotes_0.1.0_amd64.deb
# The JDK is $JAVA_HOME's, else that of the java on the PATH.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 <desktop-swing.jar> <output directory>" >&2; exit 2; }
jar=$(realpath "$1")
out=$2
here=$(dirname "$(realpath "$0")")
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(realpath "$(command -v java)")")")}
# Uncompressed unless the caller says otherwise: dpkg-deb's default xz takes a minute for the 100 MB, longer than all
# the rest (dpkg 1.21.10+ reads this variable).
export DPKG_DEB_COMPRESSOR_TYPE=${DPKG_DEB_COMPRESSOR_TYPE:-none}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/input" "$out"
cp "$jar" "$work/input/"
# The runtime holds only the modules the jar uses; jpackage's default is every module of the JDK.
modules=$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release base "$jar")

# resources/sinotes.desktop replaces jpackage's menu entry, whose Exec line has no %F: a desktop that launches through
# GLib (gio open, a file manager) would start the application without the file.
"$jdk/bin/jpackage" --type deb --dest "$out" --temp "$work/jpackage" \
  --input "$work/input" --main-jar "$(basename "$jar")" \
  --name sinotes --app-version 0.1.0 --vendor single-instance \
  --description "A window that lists the files it opens: the single-instance library's Swing example" \
  --license-file "$here/../../../../../LICENSE" \
  --add-modules "$modules" \
  --java-options --enable-native-access=ALL-UNNAMED \
  --file-associations "$here/sinotes.properties" \
  --linux-shortcut --linux-menu-group Office \
  --resource-dir "$here/resources"
