//go:build tools

// Package tools pins the command that test/env/setup.sh builds; it is never compiled.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
