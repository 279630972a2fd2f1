# Sourced by .ci/run and the setup scripts: provides Node.js 22 from the npm package `node`
# (the machines ship Node 20) in a git-ignored cache, and puts it first on PATH.
SKYSCALE_NODE_VERSION=22.23.3
_skyscale_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_skyscale_node_dir="$_skyscale_root/.cache/node-$SKYSCALE_NODE_VERSION"
if [ ! -x "$_skyscale_node_dir/node_modules/node/bin/node" ]; then
  command -v npm >/dev/null || { echo "setup: npm is missing; install Node.js (any version) with npm first" >&2; return 1; }
  mkdir -p "$_skyscale_node_dir"
  npm install --no-save --no-audit --no-fund --prefix "$_skyscale_node_dir" "node@$SKYSCALE_NODE_VERSION" >&2
fi
export PATH="$_skyscale_node_dir/node_modules/node/bin:$PATH"
