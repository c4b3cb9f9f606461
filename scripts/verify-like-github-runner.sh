#!/usr/bin/env bash
# Runs ./mvnw -B -ntp verify the way a GitHub runner would, to prove that the build passes there before it is pushed:
# as a user who is not root, with CI=true (and without SINGLE_INSTANCE_TEST_STRICT), and with none of the test tools
# (bubblewrap, Xvfb, openbox, the X tools, chromium, chromedriver, a C compiler) to be found. Every test that needs
# one of those, or root, must skip with its reason, not fail.
#
# Usage (as root, which it needs for the mount namespace and to become the other user):
#   scripts/verify-like-github-runner.sh [extra Maven arguments]
#   scripts/verify-like-github-runner.sh -pl launcher-core -am -Dtest='SquattedNames*' \
#     -Dsurefire.failIfNoSpecifiedTests=false
#
# How: a throwaway user (RUNNER_USER, default gh-runner, created with useradd -m if missing; a name without "si-", which
# SoakProcessTest looks for in mapped paths) gets a copy of this working tree (tracked and untracked files, not target/
# or other ignored files) and a copy of root's Maven repository and wrapper in its home, so the build runs offline (-o).
# In a private mount namespace an empty, non-executable file is bind-mounted over each test tool (on the PATH and at the
# fixed paths the tests probe), which leaves the machine itself untouched; then setpriv drops to that user, with an
# environment like a runner's. JAVA_HOME is passed on if set (else the java on the PATH). The copy stays in the user's
# home for a look afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=$PWD

[ "$(id -u)" -eq 0 ] || { echo "run as root (for the mount namespace and setpriv)"; exit 1; }
for tool in unshare setpriv useradd git; do
  command -v "$tool" >/dev/null || { echo "needs $tool"; exit 1; }
done

user=${RUNNER_USER:-gh-runner}
id -u "$user" >/dev/null 2>&1 || useradd -m -s /bin/bash "$user"
uid=$(id -u "$user")
gid=$(id -g "$user")
home=$(getent passwd "$user" | cut -d: -f6)
[ "$uid" -ne 0 ] || { echo "$user is root"; exit 1; }

# The tests probe these by path (/usr/bin/chromium, /usr/bin/bwrap, ...) or on the PATH (the X tools).
tools=${HIDDEN_TOOLS:-"bwrap Xvfb openbox xdotool xmessage xprop import chromium chromedriver cc gcc c99 clang"}
runner_path=/usr/local/bin:/usr/bin:/bin

echo "=== copying the working tree to $home/single-instance and the Maven repository to $home/.m2"
rm -rf "$home/single-instance"
mkdir -p "$home/single-instance" "$home/.m2"
git -C "$source_dir" ls-files -z --cached --others --exclude-standard \
  | (cd "$source_dir" && tar --null --ignore-failed-read -T - -cf -) \
  | tar -xf - -C "$home/single-instance"
# -u: a second run copies only what changed since
cp -a -u /root/.m2/repository "$home/.m2/"
[ ! -d /root/.m2/wrapper ] || cp -a -u /root/.m2/wrapper "$home/.m2/"
chown -R "$uid:$gid" "$home/single-instance" "$home/.m2"

hidden=()
for tool in $tools; do
  for dir in ${runner_path//:/ } /usr/local/bin /usr/bin /bin; do
    [ -e "$dir/$tool" ] && hidden+=("$(readlink -f "$dir/$tool")")
  done
done
mapfile -t hidden < <(printf '%s\n' "${hidden[@]}" | sort -u | sed '/^$/d')
echo "=== hiding: ${hidden[*]:-(none installed)}"

java_home=${JAVA_HOME:-}
maven_args=(-B -ntp -o "-Dmaven.repo.local=$home/.m2/repository" verify "$@")
echo "=== as $user (uid $uid), CI=true: ./mvnw ${maven_args[*]}"

# Runs in the new mount namespace, as root until setpriv; its arguments are the Maven arguments.
inner='
set -euo pipefail
empty=$(mktemp)
chmod 0644 "$empty"
for file in $HIDDEN; do
  mount --bind "$empty" "$file"
done
# a runtime directory of its own, as a runner has (/run/user/<uid>), on a tmpfs that goes with the namespace
mkdir -p /run/user
mount -t tmpfs -o mode=0755 tmpfs /run/user
mkdir -m 0700 "/run/user/$RUNNER_UID"
chown "$RUNNER_UID:$RUNNER_GID" "/run/user/$RUNNER_UID"
cd "$RUNNER_HOME/single-instance"
exec setpriv --reuid="$RUNNER_UID" --regid="$RUNNER_GID" --init-groups --inh-caps=-all \
  env -i HOME="$RUNNER_HOME" USER="$RUNNER_USER" LOGNAME="$RUNNER_USER" PATH="$RUNNER_PATH" LANG=C.UTF-8 \
  CI=true GITHUB_ACTIONS=true XDG_RUNTIME_DIR="/run/user/$RUNNER_UID" \
  ${JAVA_HOME_FOR_RUNNER:+JAVA_HOME=$JAVA_HOME_FOR_RUNNER} \
  nice ./mvnw "$@"
'
HIDDEN="${hidden[*]}" RUNNER_UID=$uid RUNNER_GID=$gid RUNNER_HOME=$home RUNNER_USER=$user RUNNER_PATH=$runner_path \
  JAVA_HOME_FOR_RUNNER=$java_home \
  unshare --mount --propagation private bash -c "$inner" inner "${maven_args[@]}"
