//go:build tools

// Package tools pins the Regal Rego linter. Its go.sum is committed so that the build is verified
// against recorded hashes: the public checksum database does not list this Regal version.
package tools

import _ "github.com/open-policy-agent/regal"
